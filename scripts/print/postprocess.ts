/**
 * The PDF after Chromium: metadata, bookmarks, page labels matching the printed folios, trim and
 * bleed boxes, and a blank page to make the count even. pdf-lib’s low-level API for what it has
 * no helper for (/PageLabels, /Outlines).
 */
import {PDFDocument, PDFName, PDFHexString, PDFNumber, PDFDict, PDFArray, PDFRef, PDFString} from 'pdf-lib'
import {stabiliseDestinations} from '../editions/reproducible.ts'
import {fastLoad, savePdf, type WriteOptions} from './pdf-options.ts'
import {stripSoftHyphens} from './text-layer.ts'

export interface OutlineItem {
  title: string
  pageIndex: number
  children?: OutlineItem[]
}

export interface PostprocessOptions {
  title: string
  author: string
  subject: string
  keywords: string[]
  language: string
  date: Date
  /** Index of the first page numbered in arabic (1); pages before it are lower-case roman. */
  firstArabic: number
  outline: OutlineItem[]
  /** Bleed in points (print-shop variant); 0 for none. */
  bleedPt: number
  /** The build’s id (scripts/output.ts), as `/ReaderBuild` in the document’s Info. */
  build?: string
  /** A printer profile’s changes (press.ts, pdfx.ts), made once the boxes are set and before the file is written; what it returns, how it is written. */
  press?: (doc: PDFDocument) => WriteOptions | void
}

export async function postprocess(input: Uint8Array | PDFDocument, options: PostprocessOptions): Promise<{pdf: Uint8Array; pages: number; padded: boolean}> {
  const doc = input instanceof PDFDocument ? input : await PDFDocument.load(input, fastLoad)
  doc.setTitle(options.title, {showInWindowTitleBar: true})
  if (options.author) doc.setAuthor(options.author)
  if (options.subject) doc.setSubject(options.subject)
  if (options.keywords.length) doc.setKeywords(options.keywords)
  doc.setLanguage(options.language)
  doc.setCreator('reader')
  doc.setProducer('reader: Paged.js 0.4.3, Chromium, pdf-lib')
  doc.setCreationDate(options.date)
  doc.setModificationDate(options.date)
  if (options.build) infoDict(doc).set(PDFName.of(buildKey), PDFString.of(options.build))

  // Searchable and copyable text: no soft hyphens in the text layer (text-layer.ts).
  stripSoftHyphens(doc)

  let padded = false
  if (doc.getPageCount() % 2 === 1) {
    const last = doc.getPage(doc.getPageCount() - 1)
    const {width, height} = last.getMediaBox()
    doc.addPage([width, height])
    padded = true
  }

  for (const page of doc.getPages()) {
    const {x, y, width, height} = page.getMediaBox()
    const b = options.bleedPt
    page.setBleedBox(x, y, width, height)
    page.setTrimBox(x + b, y + b, width - 2 * b, height - 2 * b)
    page.setCropBox(x, y, width, height)
  }
  const saving = options.press?.(doc)

  const context = doc.context
  const nums: unknown[] = []
  if (options.firstArabic > 0) nums.push(0, {S: 'r'})
  nums.push(Math.max(0, options.firstArabic), {S: 'D'})
  doc.catalog.set(PDFName.of('PageLabels'), context.obj({Nums: nums as never}))

  if (options.outline.length) {
    const pageRefs = doc.getPages().map((p) => p.ref)
    const rootRef = context.nextRef()
    const count = addItems(context, rootRef, options.outline, pageRefs)
    context.assign(rootRef, context.obj({Type: 'Outlines', First: count.first, Last: count.last, Count: count.total}))
    doc.catalog.set(PDFName.of('Outlines'), rootRef)
    doc.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'))
  }

  // Written reproducibly here, so the build has nothing left to fix (editions/reproducible.ts).
  stabiliseDestinations(doc)
  const pdf = await savePdf(doc, saving ?? {})
  return {pdf, pages: doc.getPageCount(), padded}
}

/** The Info key holding the build id. */
export const buildKey = 'ReaderBuild'

function infoDict(doc: PDFDocument): PDFDict {
  return doc.context.lookup(doc.context.trailerInfo.Info, PDFDict)
}

function addItems(
  context: PDFDocument['context'],
  parentRef: PDFRef,
  items: OutlineItem[],
  pageRefs: PDFRef[]
): {first: PDFRef; last: PDFRef; total: number} {
  const refs = items.map(() => context.nextRef())
  let total = 0
  items.forEach((item, i) => {
    const dict = context.obj({}) as PDFDict
    dict.set(PDFName.of('Title'), PDFHexString.fromText(item.title))
    dict.set(PDFName.of('Parent'), parentRef)
    if (i > 0) dict.set(PDFName.of('Prev'), refs[i - 1])
    if (i < items.length - 1) dict.set(PDFName.of('Next'), refs[i + 1])
    const dest = PDFArray.withContext(context)
    dest.push(pageRefs[Math.min(item.pageIndex, pageRefs.length - 1)])
    dest.push(PDFName.of('Fit'))
    dict.set(PDFName.of('Dest'), dest)
    if (item.children?.length) {
      const sub = addItems(context, refs[i], item.children, pageRefs)
      dict.set(PDFName.of('First'), sub.first)
      dict.set(PDFName.of('Last'), sub.last)
      // Negative: closed by default.
      dict.set(PDFName.of('Count'), PDFNumber.of(-sub.total))
    }
    context.assign(refs[i], dict)
    total += 1
  })
  return {first: refs[0], last: refs[refs.length - 1], total}
}
