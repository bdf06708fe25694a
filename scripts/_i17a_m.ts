import path from 'node:path'
import {processManuscript} from './pipeline.ts'
import {assembleDocument} from './html/document.ts'
import {renderPdf} from './print/pdf.ts'
import {openCache} from './cache.ts'
const processed = await processManuscript(process.argv[2])
const {html} = assembleDocument(processed)
const t = Date.now()
let report: any
await renderPdf({html, book: processed.model!.book, buildDir: process.argv[3], outPath: path.join('/tmp', 'i17a-x.pdf'), cache: openCache(), onReport: (r) => (report = r)})
console.log(((Date.now() - t) / 1000).toFixed(2), 's', JSON.stringify(report?.fit), report?.pages)
