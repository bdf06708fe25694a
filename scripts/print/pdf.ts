/**
 * The PDF step: the reader document in (html/document.ts; or reader HTML text, read by
 * html/reader-parts.ts), a paginated, bookmarked, labelled PDF out.
 *
 * 1. Transform a copy of its tree for print, one unified processor (one concern per plugin: block
 *    numbers, notes, hyphenation, page-number placeholders, the document head), and split it into
 *    chunks by the document’s parts (chunks.ts).
 * 2. Write it with its stylesheets and fonts into `<buildDir>/print/`.
 * 3. Paginate it with Paged.js in Chromium (paginate.ts), write in folios, running heads and page
 *    numbers (from the document’s parts), print to PDF.
 * 4. Post-process with pdf-lib (postprocess.ts) and write `outPath`.
 */
import {copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {availableParallelism} from 'node:os'
import {PDFDocument} from 'pdf-lib'
import {unified} from 'unified'
import {findBrowser, type LaunchedBrowser} from '../browser.ts'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import type {Root} from 'hast'
import {select} from 'hast-util-select'
import type {Book} from '../manuscript/schema.ts'
import type {BookModel, Pagination, PageStart, ReaderHtml, ReaderPart} from '../model.ts'
import {ReaderError} from '../errors.ts'
import {sha256, type Cache} from '../cache.ts'
import {readReaderHtml} from '../html/reader-parts.ts'
import {bookAuthor, bookDescription} from '../html/document.ts'
import {toHtmlString, textLength as textLengthOf, eachElement} from './hast.ts'
import rehypeBlockNumbers from './block-numbers.ts'
import rehypePrintNotes from './notes.ts'
import rehypeHyphenate from './hyphenate.ts'
import rehypePageRefs, {pageRanges} from './page-refs.ts'
import rehypePrintDocument from './document.ts'
import rehypeBookFaceGlyphs from './glyphs.ts'
import {bookFace, faceProperties, faces, fontFaceCss} from '../fonts.ts'
import {templatesDir} from '../templates.ts'
import {estimatePages, insideMargin, pageCss, pageSetup, roman, textWidthPt} from './layout.ts'
import {fitParagraphs, type FitResult} from './fit.ts'
import {launchPrintBrowser, paginate, type DecisionScope, type Decisions, type Rendered} from './paginate.ts'
import {copyPaged, pageScripts, pagedScripts} from './pagedjs.ts'
import {postprocess, type OutlineItem} from './postprocess.ts'
import {joinChunks, splitChunks, type Chunk} from './chunks.ts'
import {chunkFile, paginateChunks, Relayout, type ChunkedResult, type PrintPool} from './chunked.ts'
import {ChunkMerger} from './merge.ts'
import {labelsOf, type Labels} from '../labels.ts'
import {bookProfile, profileOf, type ProfileId} from './profiles.ts'
import {pressPages} from './press.ts'
import {markPdfx} from './pdfx.ts'

const templates = path.join(templatesDir(), 'print')

export interface RenderPdfOptions {
  /** The reader document (html/document.ts): its tree is copied, not changed. */
  document?: ReaderHtml & {model?: BookModel}
  /** The reader HTML, when there is no document at hand (read as a file would be: html/reader-parts.ts). */
  html?: string
  book: Book
  buildDir: string
  /** Where the print HTML, its stylesheets and fonts are written (default `<buildDir>/print`; a build stages it). */
  printDir?: string
  outPath: string
  /** For the whole render; default `READER_RENDER_TIMEOUT` seconds, else 5 minutes. */
  timeoutMs?: number
  signal?: AbortSignal
  /** The printer profile (default: book.yaml’s `print.profile`; profiles.ts). */
  profile?: ProfileId
  /**
   * Paginate the whole book in one Paged.js pass instead of chunk by chunk (chunked.ts). Slower
   * for long books; the reference the chunked PDF is tested against.
   */
  singlePass?: boolean
  /** Receives what the render did (passes, time, chunks from the cache, requests refused). */
  onReport?: (report: RenderReport) => void
  /** The build’s id, written in the PDF’s Info (`/ReaderBuild`) and print/index.html (`<meta name="reader-build">`). */
  build?: string
  /** Fit paragraphs before pagination (fit.ts; default true): word spacing and hyphens chosen against loose lines and hyphen ladders. */
  fit?: boolean
  /** Lay out with Paged.js as published, without the project’s patches (chunked only; to compare with). */
  stockPaged?: boolean
  /** The cache (scripts/cache.ts) that keeps layouts and chunk PDFs between renders; none when not given (chunked only). */
  cache?: Cache
  /** Chunks paginated at once (default: 2, or 1 on a single core). */
  concurrency?: number
  /** A print browser and warm tabs kept between renders (chunked only; `reader watch`). */
  pool?: PrintPool
}

/** Details of the last render, for the command line and the tests. */
export interface RenderReport {
  passes: number
  ms: number
  pages: number
  insideMarginIn: number
  blocked: string[]
  printHtml: string
  /** Chunked renders: how many chunks, and how many came from the cache. */
  chunks?: ChunkedResult['stats']
  /** The fitting pass: paragraphs looked at and changed, soft hyphens taken out. */
  fit?: FitResult
  /** A PDF/X profile: the seconds taken to declare the file PDF/X and leave out what PDF/X does not allow (pdfx.ts). */
  pdfx_s?: number
}


/** The render’s time limit in ms: `READER_RENDER_TIMEOUT` (seconds) if set, else 5 minutes. */
function renderTimeout(env: NodeJS.ProcessEnv = process.env): number {
  const value = env.READER_RENDER_TIMEOUT?.trim()
  if (!value) return 5 * 60 * 1000
  const seconds = Number(value)
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new ReaderError(`Unexpected READER_RENDER_TIMEOUT \`${value}\`, expected a number of seconds above 0`, {ruleId: 'usage', exitCode: 2})
  }
  return seconds * 1000
}

export async function renderPdf(options: RenderPdfOptions): Promise<Pagination> {
  // The browser starts while the HTML is made ready for print: handed to paginateChunks, which
  // closes it, or closed here if anything fails before. A finished chunked run’s browser closes
  // while the book is assembled; it has closed before this returns.
  const early: Early = {browser: options.singlePass || options.pool ? undefined : launchPrintBrowser(), closing: []}
  if (options.pool && !options.singlePass) options.pool.browser().catch(() => {})
  early.browser?.catch(() => {})
  try {
    return await render(options, early)
  } finally {
    if (early.browser) await early.browser.then((b) => b.close(), () => {})
    await Promise.all(early.closing)
  }
}

interface Early {
  browser?: Promise<LaunchedBrowser>
  closing: Array<Promise<void>>
}

async function render(options: RenderPdfOptions, early: Early): Promise<Pagination> {
  const started = Date.now()
  const {book} = options
  const labels = labelsOf(book)
  const timeoutMs = options.timeoutMs ?? renderTimeout()
  const profile = options.profile ? profileOf(options.profile) : bookProfile(book.print)
  const printShop = profile !== undefined
  const source: ReaderHtml & {model?: BookModel} = options.document ?? readReaderHtml(options.html ?? '')
  const tree = structuredClone(source.tree)
  const {parts} = source
  const htmlElement = select('html', tree)
  if (!htmlElement) throw new ReaderError('The reader HTML has no <html> element', {ruleId: 'render-input'})

  // What the original says, before print changes it.
  const ids: string[] = []
  eachElement(tree, (node) => {
    if (typeof node.properties.id === 'string' && node.properties.id) ids.push(node.properties.id)
  })
  const body = select('body', tree)
  const htmlLang = String(htmlElement.properties.lang || book.language)
  const textLength = textLengthOf(body || tree)

  // Transform for print: one plugin per concern, in this order.
  const face = bookFace()
  unified()
    .use(rehypeBlockNumbers)
    .use(rehypePrintNotes, {mode: book.print.notes})
    // (Breaks at three letters a side only for the fitting pass's line breaker, which takes out those it does not use.)
    .use(rehypeHyphenate, {lang: htmlLang, least: options.fit !== false ? 3 : 4})
    .use(rehypeBookFaceGlyphs, {substitutes: face.substitutes, face})
    .use(rehypePageRefs, {note: labels.note_abbreviation})
    .use(rehypePrintDocument, {
      stylesheets: ['fonts.css', 'page.css', 'print.css'],
      classNames: ['print', `notes-${book.print.notes}`, ...(printShop ? ['print-shop'] : [])],
      runOn: book.print.back_matter_start === 'any-page' ? parts.filter((part) => part.matter === 'back').slice(1).map((part) => part.id) : []
    })
    .runSync(tree)
  const indexRuns: string[] = []
  const lineIds: string[] = []
  const noteMarks: Record<string, string> = {}
  eachElement(tree, (node) => {
    if (node.properties.dataIxRefs !== undefined && node.properties.dataIxRefs !== null) indexRuns.push(String(node.properties.dataIxRefs))
    if (node.properties.dataPnLine !== undefined && node.properties.dataPnLine !== null) lineIds.push(String(node.properties.dataPnFor))
    if (node.properties.dataPnNote !== undefined && node.properties.dataPnNote !== null) noteMarks[String(node.properties.dataPnFor)] = String(node.properties.dataPnNote)
  })

  // The print folder's design first: the fitting pass lays the text out with it.
  const chunked = !options.singlePass
  const printDir = path.resolve(options.printDir ?? path.join(options.buildDir, 'print'))
  mkdirSync(path.join(printDir, 'fonts'), {recursive: true})
  for (const file of faces(face).flatMap((f) => f.files)) copyFileSync(file.path, path.join(printDir, 'fonts', file.name))
  writeFileSync(path.join(printDir, 'fonts.css'), `${faceProperties(face)}\n${faces(face).map((f) => fontFaceCss(f)).join('\n')}\n`)
  copyFileSync(path.join(templates, 'print.css'), path.join(printDir, 'print.css'))
  const pagesKey = sha256(path.resolve(options.buildDir), book.slug)
  const guessed = rememberedPages(chunked ? options.cache : undefined, pagesKey, textLength) ?? estimatePages(textLength, parts.length)

  const bleedPt = pageSetup(book, 0, profile).bleedPt
  const decide = (rendered: Rendered, scope?: DecisionScope) => decisions(rendered, parts, scope ?? {from: 0, to: rendered.pages.length, ids, runs: indexRuns}, book, noteMarks)

  // Paragraphs fitted (line breaks chosen paragraph-wide, word spacing and hyphens against loose
  // lines and hyphen ladders) at the width of the pages they are laid out in: again, from the
  // unfitted tree, when the page count moves the gutter into a band where the measure differs.
  const unfitted = options.fit !== false ? structuredClone(tree) : undefined
  let fit: FitResult | undefined
  let fittedWidth: number | undefined
  let chunks: Chunk[] = []
  let salt = ''
  const htmlPath = path.join(printDir, 'index.html')
  /** Fit (if the measure is new) and write the print folder for `pages` pages; false when nothing changed. */
  const prepare = async (pages: number, browser?: Promise<LaunchedBrowser>): Promise<boolean> => {
    const setup = pageSetup(book, pages, profile)
    if (fittedWidth !== undefined && (!unfitted || textWidthPt(setup) === fittedWidth)) return false
    if (unfitted) {
      if (fittedWidth !== undefined) tree.children = structuredClone(unfitted).children
      writeFileSync(path.join(printDir, 'page.css'), pageCss(setup))
      // The browser the chunks are laid out in, or one of its own for a single pass (or a second fit).
      const own = browser ? undefined : launchPrintBrowser()
      try {
        fit = await fitParagraphs(tree, {printDir, widthPt: textWidthPt(setup), browser: await (own ?? browser!), cache: options.cache})
      } finally {
        if (own) await own.then((b) => b.close(), () => {})
      }
    }
    fittedWidth = textWidthPt(setup)
    // Split into chunks: the print document is then put together from their HTML.
    chunks = chunked ? splitChunks(tree, {parts, head: pagedScripts()}) : []
    // The build id in print/index.html only (the chunks are made: their layouts stay reusable across builds).
    if (options.build) select('head', tree)?.children.push({type: 'element', tagName: 'meta', properties: {name: 'reader-build', content: options.build}, children: []})
    // Write the print folder.
    if (chunked) copyPaged(printDir, {stock: options.stockPaged})
    const printTree: Root = {type: 'root', children: tree.children.filter((c) => c.type !== 'doctype')}
    writeFileSync(htmlPath, '<!doctype html>\n' + (chunked ? joinChunks(printTree, chunks) : toHtmlString(printTree)))
    if (chunked) {
      for (const file of readdirSync(printDir)) if (/^chunk-\d+\.html$/.test(file)) rmSync(path.join(printDir, file))
      for (const chunk of chunks) writeFileSync(path.join(printDir, chunkFile(chunk)), chunk.html)
    }
    salt = chunked ? layoutSalt(printDir, options.stockPaged) : ''
    return true
  }
  await prepare(guessed, chunked ? (options.pool ? options.pool.browser() : early.browser!) : undefined)

  // The gutter depends on the page count: guess it before laying anything out, from the last
  // build’s count (kept with the chunk cache) or from the length of the text, so that a book is
  // normally laid out once. A chunked run also checks the guess against its first layouts.
  const cache = chunked ? options.cache : undefined
  const remembered = rememberedPages(cache, pagesKey, textLength)
  let estimate = remembered ?? estimatePages(textLength, parts.length)
  let projected = remembered !== undefined
  let passes = 0
  let result: {pdf: Uint8Array | PDFDocument; rendered: Rendered; blocked: string[]; stats?: ChunkedResult['stats']}
  for (;;) {
    passes++
    // (A page count in another band of gutters: the measure may differ, and the paragraphs are fitted to it again.)
    await prepare(estimate)
    const css = pageCss(pageSetup(book, estimate, profile))
    writeFileSync(path.join(printDir, 'page.css'), css)
    const remaining = Math.max(1, timeoutMs - (passes > 1 ? Date.now() - started : 0))
    if (chunked) {
      let out: ChunkedResult
      // Chunks are copied into the book as they are printed: the texts in order, then the back and
      // front matter, which print last.
      const merger = new ChunkMerger([...chunks.filter((c) => c.kind === 'text'), ...chunks.filter((c) => c.kind === 'back'), ...chunks.filter((c) => c.kind === 'front')].map((c) => c.index))
      try {
        const browser = early.browser
        early.browser = undefined
        out = await paginateChunks({
          onPdf: (index, pdf, padAfter) => merger.add(index, {pdf, ids: new Set(chunks[index].ids), padAfter}),
          browser,
          pool: options.pool,
          chunks,
          printDir,
          cache,
          salt: sha256(salt, css),
          decide,
          lineIds,
          timeoutMs: remaining,
          signal: options.signal,
          concurrency: options.concurrency ?? Math.min(2, availableParallelism()),
          onLayout: projected ? undefined : (pages) => {
            const total = projectPages(chunks, pages)
            if (total === undefined) return
            projected = true
            if (insideMargin(total, profile) !== insideMargin(estimate, profile)) throw new Relayout(total)
          }
        })
      } catch (error) {
        if (!(error instanceof Relayout)) throw error
        estimate = error.pages
        passes--
        continue
      }
      early.closing.push(out.closed)
      result = {pdf: new Uint8Array(), rendered: out.rendered, blocked: out.blocked, stats: out.stats}
      const pages = out.rendered.pages.length + (out.rendered.pages.length % 2)
      if (insideMargin(pages, profile) === insideMargin(estimate, profile) || passes >= 2) {
        result.pdf = await merger.finish()
        cache?.put('print-pages', pagesKey, {textLength, pages})
        break
      }
      estimate = pages
      projected = true
      continue
    }
    result = await paginate({htmlPath, printDir, ids, lineIds, decide, timeoutMs: remaining, signal: options.signal})
    const pages = result.rendered.pages.length + (result.rendered.pages.length % 2)
    // A second pass only if the page count lands in another gutter band (and never a third).
    if (insideMargin(pages, profile) === insideMargin(estimate, profile) || passes >= 2) break
    estimate = pages
  }

  const {rendered} = result
  const firstArabic = firstTextPage(rendered, parts)
  const label = labeller(firstArabic)
  const authors = [...new Set(parts.filter((p) => p.matter === 'text' && p.author).map((p) => p.author))]
  const title = book.subtitle ? `${book.title}: ${book.subtitle}` : book.title
  let pdfxMs: number | undefined
  const post = await postprocess(result.pdf, {
    title,
    author: book.editor || (source.model ? bookAuthor(source.model) : '') || authors.join(', '),
    subject: bookDescription(book),
    keywords: [[book.title, ...authors].join(', ')],
    language: book.language,
    date: new Date(`${book.edition.date}T00:00:00Z`),
    firstArabic,
    outline: outline(parts, rendered, labels),
    bleedPt,
    build: options.build,
    // The printer’s boxes, marks and grey (press.ts); PDF/X where the printer asks for it (pdfx.ts).
    press: profile
      ? (doc) => {
          pressPages(doc, profile, bleedPt)
          if (!profile.pdfx) return
          const marking = performance.now()
          const saving = markPdfx(doc, {title, build: options.build})
          pdfxMs = performance.now() - marking
          return saving
        }
      : undefined
  })
  writeFileSync(options.outPath, post.pdf)

  const starts: PageStart[] = rendered.pages.map((page) => ({
    index: page.index,
    label: label(page.index),
    block: page.block,
    offset: page.offset,
    ...(page.area ? {area: page.area} : {}),
    ...(page.alone ? {alone: page.alone} : {})
  }))
  if (post.padded) starts.push({index: starts.length, label: label(starts.length), block: null, offset: 0})
  const idPages: Record<string, string> = {}
  for (const id of ids) if (rendered.idIndex[id] !== undefined) idPages[id] = label(rendered.idIndex[id])

  options.onReport?.({
    passes,
    ms: Date.now() - started,
    pages: post.pages,
    insideMarginIn: insideMargin(estimate, profile),
    blocked: result.blocked,
    printHtml: htmlPath,
    chunks: result.stats,
    fit,
    ...(pdfxMs !== undefined ? {pdfx_s: pdfxMs / 1000} : {})
  })
  return {pages: post.pages, starts, idPages}
}

/**
 * The book’s page count foreseen from the chunks laid out so far: the others at the text chunks’
 * pages per character, each with half a page for a blank verso. Undefined until two texts (or a
 * tenth of the text) are laid out.
 */
function projectPages(chunks: Chunk[], pages: Array<number | undefined>): number | undefined {
  let chars = 0
  let laid = 0
  let texts = 0
  let all = 0
  for (const chunk of chunks) {
    if (chunk.kind !== 'text') continue
    all += chunk.textLength
    if (pages[chunk.index] === undefined) continue
    chars += chunk.textLength
    laid += pages[chunk.index]!
    texts++
  }
  if (!chars || (texts < 2 && chars < all / 10)) return undefined
  const rate = laid / chars
  let total = 0
  for (const chunk of chunks) total += (pages[chunk.index] ?? Math.max(1, Math.round(chunk.textLength * rate))) + 0.5
  return Math.round(total)
}

/** The page count of the last chunked build into the same folder, scaled to the text’s length now. */
function rememberedPages(cache: Cache | undefined, key: string, textLength: number): number | undefined {
  const last = cache?.get<{textLength: number; pages: number}>('print-pages', key)
  if (!last || !(last.textLength > 0 && last.pages > 0)) return undefined
  return Math.round((last.pages * textLength) / last.textLength)
}

function firstTextPage(rendered: Rendered, parts: ReaderPart[]): number {
  const texts = new Set(parts.filter((p) => p.matter === 'text').map((p) => p.id))
  const page = rendered.pages.find((p) => p.partStarts.some((id) => texts.has(id)))
  return page ? page.index : 0
}

/** Folio of a page index: lower-case roman before the first text, arabic from 1 at it. */
function labeller(firstArabic: number) {
  return (index: number) => (index < firstArabic ? roman(index + 1) : String(index - firstArabic + 1))
}

const unnumbered = ['half-title', 'title-page', 'copyright']

/**
 * Folios, running heads and page numbers for the pages, ids and index runs in `scope`; an id in a
 * footnote (`noteMarks`: its note’s mark) that wants its line gives its note instead.
 */
function decisions(rendered: Rendered, parts: ReaderPart[], scope: DecisionScope, book: Book, noteMarks: Record<string, string>): Decisions {
  const byId = new Map(parts.map((p) => [p.id, p]))
  const label = labeller(firstTextPage(rendered, parts))
  const pages = rendered.pages.slice(scope.from, scope.to).map((page) => {
    const part = page.part ? byId.get(page.part) : undefined
    const silent = page.blank || (part ? unnumbered.some((c) => part.classes.includes(c)) : false)
    if (silent) return {folioHead: '', folioFoot: '', runningHead: ''}
    const opening = page.partStarts.length > 0
    const folio = label(page.index)
    return {
      folioHead: opening ? '' : folio,
      folioFoot: opening ? folio : '',
      runningHead: opening || !part ? '' : runningHead(part, page.left, book)
    }
  })
  const pageNumbers: Record<string, string> = {}
  const pageLines: Record<string, string> = {}
  const noteWord = labelsOf(book).note_abbreviation
  for (const id of scope.ids) {
    if (rendered.idIndex[id] === undefined) continue
    pageNumbers[id] = label(rendered.idIndex[id])
    if (rendered.idLine[id] !== undefined) pageLines[id] = `${pageNumbers[id]}.${rendered.idLine[id]}`
    else if (noteMarks[id] !== undefined) pageLines[id] = `${pageNumbers[id]} ${noteWord} ${noteMarks[id]}`
  }
  const indexRefs: Record<string, string> = {}
  for (const run of scope.runs) {
    const refs = run.split(' ')
    const labels = refs.map((id) => (rendered.idIndex[id] === undefined ? '' : label(rendered.idIndex[id])))
    indexRefs[run] = pageRanges(labels, book.style.page_ranges)
      // A range is not broken at its dash (`17–` at a line end, `20` on the next).
      .map((r) => {
        const first = `<a href="#${escape(refs[r.index])}">${escape(r.first)}</a>`
        return r.last ? `<span class="ix-range">${first}–${escape(r.last)}</span>` : first
      })
      .join(', ')
  }
  return {pages, pageNumbers, pageLines, indexRefs}
}

function runningHead(part: ReaderPart, verso: boolean, book: Book): string {
  if (part.matter !== 'text') return part.heading
  const choice = verso ? book.print.running_heads.verso : book.print.running_heads.recto
  if (choice === 'author' && part.author) return part.author
  if (choice === 'title' || (choice === 'author' && !part.author)) return part.shortTitle || part.heading
  return book.title
}

function outline(parts: ReaderPart[], rendered: Rendered, labels: Labels): OutlineItem[] {
  const items: OutlineItem[] = []
  for (const part of parts) {
    if (part.classes.includes('half-title')) continue
    const pageIndex = rendered.idIndex[part.id]
    if (pageIndex === undefined) continue
    const title =
      part.matter === 'text' && part.author ? `${part.heading} (${part.author})` : part.heading || (part.classes.includes('title-page') ? labels.title_page : part.classes.includes('copyright') ? labels.copyright : part.id)
    const children = part.sections
      .filter((s) => rendered.idIndex[s.id] !== undefined)
      .map((s) => ({title: s.title, pageIndex: rendered.idIndex[s.id]}))
    items.push({title, pageIndex, children})
  }
  return items
}

function escape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;')
}

/** What besides a chunk’s own HTML decides its layout and printing: the design, the fonts, Paged.js, this code, the browser. */
function layoutSalt(printDir: string, stockPaged = false): string {
  const here = path.dirname(fileURLToPath(import.meta.url))
  const files = [
    path.join(printDir, 'print.css'),
    path.join(printDir, 'fonts.css'),
    ...faces(bookFace()).flatMap((f) => f.files.map((file) => path.join(printDir, 'fonts', file.name))),
    path.join(here, 'paginate.ts'),
    path.join(here, 'chunked.ts')
  ]
  const parts = [...files.map((file) => readFileSync(file).toString('base64')), ...pageScripts({stock: stockPaged})]
  let browser = ''
  try {
    const executable = findBrowser()
    const stat = statSync(executable)
    browser = `${executable} ${stat.size} ${stat.mtimeMs}`
  } catch {}
  return sha256(...parts, browser)
}
