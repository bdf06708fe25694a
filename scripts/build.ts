/**
 * Building the book as a library call. Every output is written under a temporary name and renamed
 * into place only when the whole build has succeeded, so a failed build never touches the last
 * good HTML, PDF or EPUB.
 */
import {mkdirSync, renameSync, rmSync, writeFileSync, existsSync} from 'node:fs'
import path from 'node:path'
import type {VFile} from 'vfile'
import {processManuscript, type ProcessedManuscript} from './pipeline.ts'
import {assembleDocument} from './html/document.ts'
import {loadIndex} from './html/index-of-names.ts'
import {countMessages} from './report.ts'
import type {Pagination} from './model.ts'

export interface BuildOptions {
  manuscript: string
  out: string
  pdf?: boolean
  epub?: boolean
  skipValidation?: boolean
  printShop?: boolean
  signal?: AbortSignal
  /** Called as each stage starts and ends, for progress lines and `--timings`. */
  onStage?: (stage: string, state: 'start' | 'end', detail?: string) => void
}

export interface BuildResult {
  ok: boolean
  files: VFile[]
  processed?: ProcessedManuscript
  outputs: string[]
  timings: Record<string, number>
}

export async function build(options: BuildOptions): Promise<BuildResult> {
  const timings: Record<string, number> = {}
  const stage = async <T>(name: string, run: () => Promise<T> | T): Promise<T> => {
    options.signal?.throwIfAborted()
    options.onStage?.(name, 'start')
    const started = performance.now()
    try {
      return await run()
    } finally {
      timings[name] = (performance.now() - started) / 1000
      options.onStage?.(name, 'end', `${timings[name].toFixed(2)} s`)
    }
  }

  const processed = await stage('parse and check', () => processManuscript(options.manuscript))
  const files = [...processed.files]
  const index = loadIndex(processed.manuscript.dir)
  if (index.file) files.push(index.file)
  if (!processed.model || countMessages(files).errors > 0) return {ok: false, files, processed, outputs: [], timings}

  const doc = await stage('html', () => assembleDocument(processed, {index: index.data, indexFile: index.file}))
  if (countMessages(files).errors > 0) return {ok: false, files, processed, outputs: [], timings}

  const book = processed.model.book
  mkdirSync(options.out, {recursive: true})
  const staging = path.join(options.out, `.staging-${process.pid}`)
  rmSync(staging, {recursive: true, force: true})
  mkdirSync(staging, {recursive: true})
  const finals: Array<[string, string]> = []
  const stageFile = (name: string) => {
    const temp = path.join(staging, name)
    finals.push([temp, path.join(options.out, name)])
    return temp
  }

  try {
    writeFileSync(stageFile(`${book.slug}.html`), doc.html)

    let pagination: Pagination | undefined
    if (options.pdf !== false) {
      const {renderPdf} = await import('./print/pdf.ts')
      const pdfPath = stageFile(`${book.slug}.pdf`)
      pagination = await stage('pdf', () =>
        renderPdf({html: doc.html, book, buildDir: options.out, outPath: pdfPath, signal: options.signal, printShop: options.printShop})
      )
      if (!options.skipValidation) {
        const {preflight} = await import('./print/preflight.ts')
        const report = await stage('preflight', () => preflight(pdfPath, {book, pagination}))
        report.path = path.join(options.out, `${book.slug}.pdf`)
        files.push(report)
        if (countMessages([report]).errors > 0) return {ok: false, files, processed, outputs: [], timings}
      }
    }

    if (options.epub !== false) {
      const {makeEpub} = await import('./epub/epub.ts')
      const epubPath = stageFile(`${book.slug}.epub`)
      await stage('epub', () => makeEpub({html: doc.html, model: processed.model!, buildDir: options.out, outPath: epubPath, pagination}))
      if (!options.skipValidation) {
        const {epubcheck} = await import('./epub/validate.ts')
        const report = await stage('epubcheck', () => epubcheck(epubPath))
        report.path = path.join(options.out, `${book.slug}.epub`)
        files.push(report)
        if (countMessages([report]).errors > 0) return {ok: false, files, processed, outputs: [], timings}
      }
    }

    options.signal?.throwIfAborted()
    for (const [temp, final] of finals) renameSync(temp, final)
    return {ok: true, files, processed, outputs: finals.map(([, final]) => final), timings}
  } finally {
    if (existsSync(staging)) rmSync(staging, {recursive: true, force: true})
  }
}
