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
import type {Pagination, ReaderDocument} from './model.ts'
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

/**
 * The build in the order of its stages. The PDF comes first (the EPUB’s page list is its pagination),
 * then its cover; preflight runs beside the EPUB and EPUBCheck, and both checks
 * pass before anything is renamed into place.
 */
async function buildWith(options: BuildOptions, checker: EpubcheckSession | undefined, folder: OutputFolder): Promise<BuildResult> {
  const timings: Record<string, number> = {}
  const cache = options.cache === false ? undefined : openCache()
  const stage = timedStages(options, timings)

  // The design first: a missing font or a broken template is found before any work is done.
  if (options.pdf !== false || options.epub !== false) {
    checkTemplates()
    bookFace()
  }
  const processed = await stage('parse and check', () => processManuscript(options.manuscript))
  const files = [...processed.files]
  const failed = (): BuildResult => ({ok: false, files, processed, outputs: [], timings})
  if (!processed.model || hasErrors(files)) return failed()

  const doc = await stage('html', () => assembleDocument(processed))
  const build = startBuild(options, folder, doc, cache, stage)
  const {book} = build

  try {
    writeFileSync(stageOutput(build, `${book.slug}.html`), doc.html)

    let pdf: MadePdf | undefined
    let preflighting: Promise<VFile> | undefined
    if (options.pdf !== false) {
      pdf = await pdfStage(build)
      // Inside the pdf stage, timed apart: the PDF/X declaration a profile asks for (print/pdfx.ts).
      if (pdf.report?.pdfx_s !== undefined) timings.pdfx = pdf.report.pdfx_s
      writePages(build, pdf.pagination)
      options.onPagination?.(pdf.pagination)
      checkExamplePages(processed, pdf.pagination.idPages)
      const cover = await coverStage(build, pdf.pagination)
      if (cover) files.push(cover)
      if (cover && hasErrors([cover])) {
        return failed()
      }
      // Started, not awaited: preflight (after the conversion) runs beside the EPUB and EPUBCheck.
      if (!options.skipValidation) preflighting = preflightStage(build, pdf)
    }
    const epub = options.epub !== false ? await epubStage(build, pdf?.pagination) : undefined
    const epubReport = epub && !options.skipValidation ? await epubcheckStage(build, checker) : undefined
    const pdfReport = await preflighting
    files.push(...present([pdfReport, epub, epubReport]))
    // Both checks pass before anything is renamed into place.
    if (hasErrors(present([pdfReport, epubReport]))) return failed()

    // What is made from the finished outputs is staged with them, so it too is renamed into place
    // only when everything has succeeded.
    if (options.review) {
      const review = await stage('review', () => reviewOutputs(build))
      files.push(...review)
      if (hasErrors(review)) return failed()
    }
    if (options.errata && options.pdf !== false) await errataStage(build, options.errata)

    options.signal?.throwIfAborted()
    commit(folder, book.slug, build.keys.build)
    return {ok: true, files, processed, outputs: build.outputs, timings, print: pdf?.report}
  } finally {
    folder.close()
    if (cache?.dir) pruneCache(cache.dir)
  }
}

/** Runs one stage of a build, timed under its name; `note` (or what it returns once the stage is done) follows its time, e.g. `(unchanged)`. */
type Stage = <T>(name: string, run: () => Promise<T> | T, note?: string | (() => string | undefined)) => Promise<T>

/** Stages timed into `timings` (the `--timings` names) and announced to `onStage`; each first checks for an abort. */
function timedStages(options: Pick<BuildOptions, 'signal' | 'onStage'>, timings: Record<string, number>): Stage {
  return async function <T>(name: string, run: () => Promise<T> | T, note?: string | (() => string | undefined)): Promise<T> {
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
}

/** What the stages of one build share once its reader document is made. */
interface Build {
  options: BuildOptions
  /** The book, with the printer profile chosen on the command line over book.yaml’s (the print steps read it from the book). */
  book: Book
  doc: ReaderDocument
  /** Everything is written into its staging folder and renamed into place at the end (scripts/output.ts). */
  folder: OutputFolder
  cache: Cache | undefined
  /** The build id and every stage’s cache key (scripts/cache.ts). */
  keys: ReturnType<typeof buildKeys>
  stage: Stage
  /** The final paths of the staged outputs, in the order they were staged. */
  outputs: string[]
}

function startBuild(options: BuildOptions, folder: OutputFolder, doc: ReaderDocument, cache: Cache | undefined, stage: Stage): Build {
  const book = options.printShop ? {...doc.model.book, print: {...doc.model.book.print, profile: options.printShop}} : doc.model.book
  const keys = buildKeys({html: doc.html, book, model: doc.model, printShop: options.printShop})
  return {options, book, doc, folder, cache, keys, stage, outputs: []}
}

/** Where to write output `name` in the staging folder; it is renamed into `out` at the commit. */
function stageOutput(build: Build, name: string): string {
  build.outputs.push(path.join(build.options.out, name))
  return path.join(build.folder.staging, name)
}

/** The PDF in the staging folder, with its pagination. */
interface MadePdf {
  path: string
  pagination: Pagination
  /** What the render did; absent when the PDF was kept. */
  report?: RenderReport
}

/** The PDF: the one in `out`, when nothing the print depends on changed and it is the one made then; else paginated again. */
async function pdfStage(build: Build): Promise<MadePdf> {
  const {options, book, cache, keys} = build
  const {renderPdf} = await import('./print/pdf.ts')
  const pdfPath = stageOutput(build, `${book.slug}.pdf`)
  const finalPdf = path.join(options.out, `${book.slug}.pdf`)
  const printDir = path.join(build.folder.staging, 'print')
  const printHtml = path.join(options.out, 'print', 'index.html')
  const kept = cache?.get<{pdf: string; printHtml: string; pagination: Pagination}>('pdf', keys.print)
  if (kept && fileSha256(printHtml) === kept.printHtml && fileSha256(finalPdf) === kept.pdf) {
    await build.stage(
      'pdf',
      () => {
        copyFileSync(finalPdf, pdfPath)
        cpSync(path.dirname(printHtml), printDir, {recursive: true})
      },
      'unchanged'
    )
    return {path: pdfPath, pagination: kept.pagination}
  }
  let report: RenderReport | undefined
  // (The PDF is written reproducibly: print/postprocess.ts, editions/reproducible.ts.)
  const pagination = await build.stage('pdf', () =>
    renderPdf({document: build.doc, book, buildDir: options.out, printDir, outPath: pdfPath, signal: options.signal, pool: options.session?.print, cache, build: keys.build, onReport: (made) => (report = made)})
  )
  cache?.put('pdf', keys.print, {pdf: fileSha256(pdfPath), printHtml: fileSha256(path.join(printDir, 'index.html')), pagination})
  return {path: pdfPath, pagination, report}
}

/** The pagination beside the PDF: `reader diff` reads it (with print/index.html) to place changes on pages. */
function writePages(build: Build, pagination: Pagination): void {
  const {book} = build
  const printedFor = book.print.profile ?? (book.print.print_shop ? 'generic' : undefined)
  const pages = {edition: book.edition, build: build.keys.build, ...(printedFor ? {print: {profile: printedFor, paper: book.print.paper}} : {}), ...pagination}
  writeFileSync(stageOutput(build, `${book.slug}.pages.json`), JSON.stringify(pages, null, 1) + '\n')
}

/** The wrap cover for the printer profile, its spine from this page count (scripts/cover/); none without a profile. */
async function coverStage(build: Build, pagination: Pagination): Promise<VFile | undefined> {
  const {options, book} = build
  const {bookProfile} = await import('./print/profiles.ts')
  const profile = bookProfile(book.print)
  if (!profile) return undefined
  const {renderCover} = await import('./cover/cover.ts')
  const file = new VFile({path: path.join(options.out, `${book.slug}-cover.pdf`)})
  const {pages} = pagination
  await build.stage('cover', () => renderCover({model: build.doc.model, book, profile, pages, outPath: stageOutput(build, `${book.slug}-cover.pdf`), workDir: build.folder.staging, file, build: build.keys.build, signal: options.signal}))
  return file
}

/**
 * Preflight of the finished PDF. It only reads the PDF,
 * so it runs while the EPUB is made and checked: started here, its report awaited at the end.
 */
function preflightStage(build: Build, pdf: MadePdf): Promise<VFile> {
  const {options, book, cache, keys} = build
  let reused = false
  const check = () =>
    build.stage(
      'preflight',
      async () => {
        const {preflight} = await import('./print/preflight.ts')
        // The same PDF, checked against the same book, pagination and HTML: the stored messages.
        const key = keys.preflight(pdf.path, pdf.pagination)
        const result = await checkedOnce(cache, 'preflight', key, pdf.path, () => preflight(pdf.path, {book, pagination: pdf.pagination, document: build.doc}))
        reused = result.reused
        return result.report
      },
      () => (reused ? 'unchanged' : undefined)
    )
  const preflighting = check().then((report) => {
    relocate(report, path.join(options.out, `${book.slug}.pdf`))
    controlMessages(report, book)
    return report
  })
  preflighting.catch(() => {})
  return preflighting
}

/** The EPUB, with the print’s page list when there is a PDF: the one in `out` when its inputs are unchanged, else made again. */
async function epubStage(build: Build, pagination: Pagination | undefined): Promise<VFile> {
  const {options, book, cache, keys} = build
  const {staging} = build.folder
  const {makeEpub} = await import('./epub/epub.ts')
  const epubPath = stageOutput(build, `${book.slug}.epub`)
  // The cover is drawn (or kept) in the staging folder too: the last one is copied there first.
  for (const name of [`${book.slug}-epub-cover.png`, `${book.slug}-epub-cover.sha256`]) {
    if (existsSync(path.join(options.out, name))) copyFileSync(path.join(options.out, name), path.join(staging, name))
  }
  const finalEpub = path.join(options.out, `${book.slug}.epub`)
  const file = new VFile({path: finalEpub})
  const key = keys.epub(pagination)
  const kept = cache?.get<{epub: string; messages: number}>('epub', key)
  if (kept && kept.messages === 0 && fileSha256(finalEpub) === kept.epub) {
    await build.stage('epub', () => copyFileSync(finalEpub, epubPath), 'unchanged')
    return file
  }
  await build.stage('epub', () => makeEpub({document: build.doc, buildDir: staging, outPath: epubPath, pagination, file, cache: cache ?? false, build: keys.build}))
  cache?.put('epub', key, {epub: fileSha256(epubPath), messages: file.messages.length})
  controlMessages(file, book)
  return file
}

/** EPUBCheck on the staged EPUB: the stored messages for the same EPUB and checker, else the warm JVM started with the build. */
async function epubcheckStage(build: Build, checker: EpubcheckSession | undefined): Promise<VFile> {
  const {options, book, cache} = build
  const {epubcheck, epubcheckVersion} = await import('./epub/validate.ts')
  const epubPath = path.join(build.folder.staging, `${book.slug}.epub`)
  const key = build.keys.epubcheck(epubPath, epubcheckVersion())
  let how: string | undefined
  const report = await build.stage(
    'epubcheck',
    async () => {
      const result = await checkedOnce(cache, 'epubcheck', key, epubPath, () => (checker ? checker.check(epubPath) : epubcheck(epubPath)))
      how = result.reused ? 'unchanged' : checker?.mode
      return result.report
    },
    () => how
  )
  relocate(report, path.join(options.out, `${book.slug}.epub`))
  return report
}

/**
 * What a person looks at after a build: Ace’s accessibility report, the EPUB as a reader sees it,
 * the first pages — made from the staged outputs, into the staging folder.
 */
async function reviewOutputs(build: Build): Promise<VFile[]> {
  const {options} = build
  const {slug} = build.book
  const {staging} = build.folder
  const files: VFile[] = []
  const outputs: string[] = []
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
  for (const output of outputs) build.outputs.push(path.join(options.out, path.relative(staging, output)))
  return files
}

/** `<slug>-errata.txt`, staged with the build. */
async function errataStage(build: Build, errata: NonNullable<BuildOptions['errata']>): Promise<void> {
  const {book} = build
  await build.stage('errata', async () => writeFileSync(stageOutput(build, `${book.slug}-errata.txt`), await errataList(build.folder, book, build.keys.build, build.options.manuscript, errata)))
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

function hasErrors(files: VFile[]): boolean {
  return countMessages(files).errors > 0
}

function present<T>(values: Array<T | undefined>): T[] {
  return values.filter((value) => value !== undefined)
}
