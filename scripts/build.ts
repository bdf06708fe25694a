/**
 * Building the book as a library call. Every output is written under a temporary name and renamed
 * into place only when the whole build has succeeded, so a failed build never touches the last
 * good HTML, PDF or EPUB.
 */
import {copyFileSync, cpSync, writeFileSync, existsSync} from 'node:fs'
import path from 'node:path'
import {VFile} from 'vfile'
import {checkTemplates} from './templates.ts'
import {bookFace} from './fonts.ts'
import {processManuscript, type ProcessedManuscript} from './pipeline.ts'
import {assembleDocument} from './html/document.ts'
import {checkExamplePages} from './editorial/claims.ts'
import {countMessages} from './report.ts'
import {controlMessages} from './checks/control.ts'
import type {Pagination} from './model.ts'
import {buildKeys, fileSha256, openCache, pruneCache, restoreFile, storeFile, type Cache, type StoredFile} from './cache.ts'
import type {EpubcheckSession} from './epub/validate.ts'
import type {BuildSession} from './session.ts'
import {commit, openOutput, writeManifest, type OutputFolder} from './output.ts'
import {removeStaleScratch} from './scratch.ts'
import {ReaderError} from './errors.ts'
import type {ProfileId} from './print/profiles.ts'
import type {Book} from './manuscript/schema.ts'
import type {RenderReport} from './print/pdf.ts'

export interface BuildOptions {
  manuscript: string
  out: string
  pdf?: boolean
  epub?: boolean
  skipValidation?: boolean
  /** The printer profile, over book.yaml’s `print.profile` (scripts/print/profiles.ts). */
  printShop?: ProfileId
  /** After a good build: DAISY Ace’s report, EPUB screenshots and a contact sheet of the PDF, in `out`. */
  review?: boolean
  /**
   * Also write `<slug>-errata.txt`: the corrections of this edition since `since` (a revision, a
   * manuscript or a build folder, as `reader diff` reads them; `log` hears a revision being built).
   */
  errata?: {since: string; log?: (line: string) => void}
  signal?: AbortSignal
  /** Receives the print pagination once the PDF is made (the page map the EPUB uses). */
  onPagination?: (pagination: Pagination) => void
  /** Called as each stage starts and ends, for progress lines and `--timings`. */
  onStage?: (stage: string, state: 'start' | 'end', detail?: string) => void
  /** Reuse the PDF and the EPUB in `out` when their inputs are unchanged (scripts/cache.ts). Default true. */
  cache?: boolean
  /** A browser and an EPUBCheck kept between builds (`reader watch`); else the build starts and ends its own. */
  session?: BuildSession
}

export interface BuildResult {
  ok: boolean
  files: VFile[]
  processed?: ProcessedManuscript
  outputs: string[]
  timings: Record<string, number>
  /** What the PDF’s render did, when the PDF was made again (not taken from the cache). */
  print?: RenderReport
}

export async function build(options: BuildOptions): Promise<BuildResult> {
  await requireTools(options)
  // EPUBCheck’s JVM starts first and warms up while the manuscript is parsed and the PDF paginated.
  // (A session’s JVM is kept for the next build; one started here ends with this build.)
  // One build at a time in an output folder (scripts/output.ts); what killed builds left is removed.
  removeStaleScratch()
  const folder = openOutput(options.out)
  const checking = options.epub !== false && !options.skipValidation
  try {
    const own = checking && !options.session ? (await import('./epub/validate.ts')).startEpubcheck() : undefined
    try {
      const checker = checking ? (own ?? (await options.session!.epubcheck())) : undefined
      return await buildWith(options, checker, folder)
    } finally {
      await own?.close()
    }
  } finally {
    folder.close()
  }
}

/**
 * The system tools this build will need, looked for before any work starts, so that a missing one
 * is reported at once rather than after the manuscript is checked and the PDF made: a browser (the
 * PDF, and the EPUB’s cover), EPUBCheck, and Poppler for the PDF’s preflight.
 */
async function requireTools(options: Pick<BuildOptions, 'pdf' | 'epub' | 'skipValidation' | 'session'>): Promise<void> {
  if (options.pdf === false && options.epub === false) return
  if (!options.session) (await import('./browser.ts')).findBrowser()
  if (options.epub !== false && !options.skipValidation && !options.session) (await import('./epub/validate.ts')).findEpubcheck()
  if (options.pdf !== false && !options.skipValidation) {
    for (const tool of ['pdffonts', 'pdftotext']) {
      if (!onPath(tool)) throw new ReaderError(`${tool} not found: install Poppler (Debian: \`apt-get install poppler-utils\`)`, {ruleId: 'tool-missing'})
    }
  }
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && existsSync(path.join(dir, command)))
}

async function buildWith(options: BuildOptions, checker: EpubcheckSession | undefined, folder: OutputFolder): Promise<BuildResult> {
  const timings: Record<string, number> = {}
  const cache = options.cache === false ? undefined : openCache()
  /** Run one stage; `note` (or what it returns once the stage is done) follows its time, e.g. `(unchanged)`. */
  const stage = async <T>(name: string, run: () => Promise<T> | T, note?: string | (() => string | undefined)): Promise<T> => {
    options.signal?.throwIfAborted()
    options.onStage?.(name, 'start')
    const started = performance.now()
    try {
      return await run()
    } finally {
      timings[name] = (performance.now() - started) / 1000
      const said = typeof note === 'function' ? note() : note
      options.onStage?.(name, 'end', `${timings[name].toFixed(2)} s${said ? ` (${said})` : ''}`)
    }
  }

  // The design first: a missing font or a broken template is found before any work is done.
  if (options.pdf !== false || options.epub !== false) {
    checkTemplates()
    bookFace()
  }
  const processed = await stage('parse and check', () => processManuscript(options.manuscript))
  const files = [...processed.files]
  if (!processed.model || countMessages(files).errors > 0) return {ok: false, files, processed, outputs: [], timings}

  const doc = await stage('html', () => assembleDocument(processed))

  // The printer profile chosen on the command line, over book.yaml’s (the print steps read it from the book).
  const book = options.printShop ? {...processed.model.book, print: {...processed.model.book.print, profile: options.printShop}} : processed.model.book
  // Everything is written into the staging folder and renamed into place at the end (scripts/output.ts).
  const {staging} = folder
  const finals: string[] = []
  const stageFile = (name: string) => {
    finals.push(path.join(options.out, name))
    return path.join(staging, name)
  }
  const keys = buildKeys({html: doc.html, book, model: processed.model, printShop: options.printShop})
  const buildId = keys.build

  try {
    writeFileSync(stageFile(`${book.slug}.html`), doc.html)

    let pagination: Pagination | undefined
    let printReport: RenderReport | undefined
    let preflighting: Promise<VFile> | undefined
    let converting: Promise<void> | undefined
    if (options.pdf !== false) {
      const {renderPdf} = await import('./print/pdf.ts')
      const pdfPath = stageFile(`${book.slug}.pdf`)
      // Skipped when nothing the print depends on changed and the PDF in `out` is the one made then.
      const printKey = keys.print
      const finalPdf = path.join(options.out, `${book.slug}.pdf`)
      const printDir = path.join(staging, 'print')
      const printHtml = path.join(options.out, 'print', 'index.html')
      const kept = cache?.get<{pdf: string; printHtml: string; pagination: Pagination}>('pdf', printKey)
      if (kept && fileSha256(printHtml) === kept.printHtml && fileSha256(finalPdf) === kept.pdf) {
        await stage(
          'pdf',
          () => {
            copyFileSync(finalPdf, pdfPath)
            cpSync(path.dirname(printHtml), printDir, {recursive: true})
          },
          'unchanged'
        )
        pagination = kept.pagination
      } else {
        const paginated = await stage('pdf', async () => {
          // (The PDF is written reproducibly: print/postprocess.ts, editions/reproducible.ts.)
          return renderPdf({document: doc, book, buildDir: options.out, printDir, outPath: pdfPath, signal: options.signal, pool: options.session?.print, cache, build: buildId, deferPdfx: true, onReport: (report) => (printReport = report)})
        })
        pagination = paginated
        const keep = () => cache?.put('pdf', printKey, {pdf: fileSha256(pdfPath), printHtml: fileSha256(path.join(printDir, 'index.html')), pagination: paginated})
        // A PDF/X profile’s conversion (Ghostscript) runs beside the cover and the EPUB; preflight waits for it.
        const pdfx = printReport?.pdfx
        if (pdfx) {
          converting = stage('pdfx', () => pdfx(options.signal)).then(keep)
          converting.catch(() => {})
        } else keep()
      }
      // The pagination beside the PDF: `reader diff` reads it (with print/index.html) to place changes on pages.
      const printedFor = book.print.profile ?? (book.print.print_shop ? 'generic' : undefined)
      writeFileSync(stageFile(`${book.slug}.pages.json`), JSON.stringify({edition: book.edition, build: buildId, ...(printedFor ? {print: {profile: printedFor, paper: book.print.paper}} : {}), ...pagination}, null, 1) + '\n')
      options.onPagination?.(pagination)
      checkExamplePages(processed, pagination.idPages)
      // The wrap cover for the printer profile, its spine from this page count (scripts/cover/).
      const {bookProfile} = await import('./print/profiles.ts')
      const profile = bookProfile(book.print)
      if (profile) {
        const {renderCover} = await import('./cover/cover.ts')
        const coverFile = new VFile({path: path.join(options.out, `${book.slug}-cover.pdf`)})
        files.push(coverFile)
        const pages = pagination.pages
        await stage('cover', () => renderCover({model: processed.model!, book, profile, pages, outPath: stageFile(`${book.slug}-cover.pdf`), workDir: staging, file: coverFile, build: buildId, signal: options.signal}))
        if (countMessages([coverFile]).errors > 0) {
          await converting?.catch(() => {})
          return {ok: false, files, processed, outputs: [], timings}
        }
      }
      if (!options.skipValidation) {
        // Preflight only reads the finished PDF: it runs while the EPUB is made and checked.
        const {preflight} = await import('./print/preflight.ts')
        const pdfFile = pdfPath
        const paginated = pagination
        let reused = false
        const check = () =>
          stage(
            'preflight',
            async () => {
              // The same PDF, checked against the same book, pagination and HTML: the stored messages.
              const preflightKey = keys.preflight(pdfFile, paginated)
              const result = await checkedOnce(cache, 'preflight', preflightKey, pdfFile, () => preflight(pdfFile, {book, pagination: paginated, document: doc}))
              reused = result.reused
              return result.report
            },
            () => (reused ? 'unchanged' : undefined)
          )
        // After the PDF/X conversion, when there is one.
        preflighting = (converting ? converting.then(check) : check()).then((report) => {
          relocate(report, path.join(options.out, `${book.slug}.pdf`))
          controlMessages(report, book)
          return report
        })
        preflighting.catch(() => {})
        if (options.epub === false) {
          const report = await preflighting
          files.push(report)
          if (countMessages([report]).errors > 0) return {ok: false, files, processed, outputs: [], timings}
        }
      }
    }

    if (options.epub !== false) {
      const {makeEpub} = await import('./epub/epub.ts')
      const epubPath = stageFile(`${book.slug}.epub`)
      // The cover is drawn (or kept) in the staging folder too: the last one is copied there first.
      for (const name of [`${book.slug}-epub-cover.png`, `${book.slug}-epub-cover.sha256`]) {
        if (existsSync(path.join(options.out, name))) copyFileSync(path.join(options.out, name), path.join(staging, name))
      }
      const epubFile = new VFile({path: path.join(options.out, `${book.slug}.epub`)})
      files.push(epubFile)
      const epubKey = keys.epub(pagination)
      const finalEpub = path.join(options.out, `${book.slug}.epub`)
      const keptEpub = cache?.get<{epub: string; messages: number}>('epub', epubKey)
      if (keptEpub && keptEpub.messages === 0 && fileSha256(finalEpub) === keptEpub.epub) {
        await stage('epub', () => copyFileSync(finalEpub, epubPath), 'unchanged')
      } else {
        await stage('epub', () => makeEpub({document: doc, buildDir: staging, outPath: epubPath, pagination, file: epubFile, cache: cache ?? false, build: buildId}))
        cache?.put('epub', epubKey, {epub: fileSha256(epubPath), messages: epubFile.messages.length})
        controlMessages(epubFile, book)
      }
      if (!options.skipValidation) {
        const {epubcheck, epubcheckVersion} = await import('./epub/validate.ts')
        // The same EPUB, the same checker: the stored messages. Else the warm JVM started above.
        const version = epubcheckVersion()
        const checkKey = keys.epubcheck(epubPath, version)
        let how: string | undefined
        const report = await stage(
          'epubcheck',
          async () => {
            const result = await checkedOnce(cache, 'epubcheck', checkKey, epubPath, () => (checker ? checker.check(epubPath) : epubcheck(epubPath)))
            how = result.reused ? 'unchanged' : checker?.mode
            return result.report
          },
          () => how
        )
        relocate(report, path.join(options.out, `${book.slug}.epub`))
        const pdfReport = await preflighting
        if (pdfReport) files.splice(files.indexOf(epubFile), 0, pdfReport)
        files.push(report)
        if (countMessages([report, ...(pdfReport ? [pdfReport] : [])]).errors > 0) return {ok: false, files, processed, outputs: [], timings}
      }
    }
    // Both checks pass before anything is renamed into place.
    if (preflighting && (options.epub === false || options.skipValidation)) {
      const pdfReport = await preflighting
      if (!files.includes(pdfReport)) files.push(pdfReport)
      if (countMessages([pdfReport]).errors > 0) return {ok: false, files, processed, outputs: [], timings}
    }

    // The PDF/X file is made before anything is renamed into place (without validation too).
    await converting
    // What is made from the finished outputs is staged with them, so it too is renamed into place
    // only when everything has succeeded.
    if (options.review) {
      const review = await stage('review', () => reviewOutputs(book.slug, {...options, staging}))
      files.push(...review.files)
      for (const output of review.outputs) finals.push(path.join(options.out, path.relative(staging, output)))
      if (countMessages(review.files).errors > 0) return {ok: false, files, processed, outputs: [], timings}
    }
    if (options.errata && options.pdf !== false) {
      const errata = options.errata
      await stage('errata', async () => writeFileSync(stageFile(`${book.slug}-errata.txt`), await errataList(folder, book, buildId, options.manuscript, errata)))
    }

    options.signal?.throwIfAborted()
    commit(folder, book.slug, buildId)
    return {ok: true, files, processed, outputs: finals, timings, print: printReport}
  } finally {
    folder.close()
    if (cache?.dir) pruneCache(cache.dir)
  }
}

/**
 * What a person looks at after a build: Ace’s accessibility report, the EPUB as a reader sees it,
 * the first pages — made from the staged outputs, into the staging folder.
 */
async function reviewOutputs(slug: string, options: BuildOptions & {staging: string}): Promise<{files: VFile[]; outputs: string[]}> {
  const files: VFile[] = []
  const outputs: string[] = []
  const {staging} = options
  const pdf = path.join(staging, `${slug}.pdf`)
  const epub = path.join(staging, `${slug}.epub`)
  if (options.pdf !== false && existsSync(pdf)) {
    const {contactSheet} = await import('./print/contact-sheet.ts')
    const sheet = path.join(staging, `${slug}-contact-sheet.png`)
    await contactSheet(pdf, sheet, 12)
    outputs.push(sheet)
  }
  if (options.epub !== false && existsSync(epub)) {
    const {ace} = await import('./epub/validate.ts')
    const aceDir = path.join(staging, 'ace')
    const report = await ace(epub, aceDir)
    relocate(report, path.join(options.out, `${slug}.epub`))
    files.push(report)
    outputs.push(path.join(aceDir, 'report.html'))
    const {epubReading} = await import('./epub/screenshots.ts')
    const steps = await epubReading(epub, staging, slug)
    outputs.push(...steps.map((step) => step.png))
  }
  return {files, outputs}
}

/**
 * The errata list of this edition since `since`: the staged build (its manifest written for the
 * comparison; `commit` writes it again) against that edition, as `reader diff --errata` prints it.
 */
async function errataList(folder: OutputFolder, book: Book, buildId: string, manuscript: string, errata: NonNullable<BuildOptions['errata']>): Promise<string> {
  const {editionFolder} = await import('./editions/revision.ts')
  const {loadEdition} = await import('./editions/edition.ts')
  const {compareEditions} = await import('./editions/compare.ts')
  const {formatErrata} = await import('./editions/format.ts')
  const since = await editionFolder(errata.since, {manuscript, log: errata.log ?? (() => {})})
  writeManifest(folder, book.slug, buildId)
  const diff = compareEditions(await loadEdition(since), await loadEdition(folder.staging))
  const {number, printing, date} = book.edition
  return formatErrata(diff.errata, `Errata to the edition of ${diff.old.edition?.date ?? errata.since}, corrected in edition ${number}, printing ${printing} (${date})`) + '\n'
}

/**
 * A check whose report depends only on `key`: the stored messages of the last run with that key,
 * else `run()`. Only reports without errors are stored (an error stops the build anyway, and a
 * missing tool may be installed since), so a reused report is the one the check would give.
 */
async function checkedOnce(cache: Cache | undefined, stage: string, key: string | undefined, filePath: string, run: () => Promise<VFile>): Promise<{report: VFile; reused: boolean}> {
  const kept = cache && key ? cache.get<StoredFile>(stage, key) : undefined
  if (kept) {
    const report = new VFile({path: filePath})
    restoreFile(report, kept)
    // Named as `file.message` names them (`<file>:<place>`, what String(message) begins with).
    for (const message of report.messages) message.name = `${filePath}:${message.name}`
    return {report, reused: true}
  }
  const report = await run()
  if (key && !report.messages.some((message) => message.fatal)) cache?.put(stage, key, storeFile(report))
  return {report, reused: false}
}

/** Report a check made on a staged file under the name the file will have. */
function relocate(report: VFile, finalPath: string): void {
  report.history = [finalPath]
  for (const message of report.messages) message.file = finalPath
}
