/**
 * Chunked pagination: Paged.js’s cost per page grows with the document, so each chunk (front
 * matter, each text, each back-matter part: see chunks.ts) is paginated on its own, two at a time
 * in one browser, and the book is assembled from the chunk PDFs (merge.ts).
 *
 * A chunk is printed once everything its page furniture depends on has been laid out: the chunks
 * before it (its folios) and the chunks holding the targets of its page-number placeholders (the
 * contents, the textual notes and the index wait for the texts). Laying out never waits, so the
 * “second pass” is only the printing of the chunks with placeholders.
 *
 * Layouts and PDFs are cached by content hash under `cacheDir`: an unchanged chunk is not laid
 * out again, and is not printed again while its folios and page numbers stay the same.
 */
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import type {Page} from 'puppeteer-core'
import type {LaunchedBrowser} from '../browser.ts'
import {ReaderError} from '../errors.ts'
import {placeholderTargets, type Chunk} from './chunks.ts'
import {apply, collect, launchPrintBrowser, layOut, layOutAgain, openPrintPage, printPage, renderLimits, type Decisions, type Rendered, type RenderedPage} from './paginate.ts'

export interface ChunkedOptions {
  chunks: Chunk[]
  printDir: string
  /** Where layouts and chunk PDFs are kept between builds; none when undefined. */
  cacheDir?: string
  /** Everything besides a chunk’s HTML that changes its layout (stylesheets, fonts, code, browser). */
  salt: string
  decide(rendered: Rendered): Decisions
  timeoutMs: number
  signal?: AbortSignal
  /** Tabs working at once (default 2). */
  concurrency?: number
  /**
   * Called as chunks are laid out, with each chunk’s page count so far (undefined: not yet). An
   * error it throws stops the run at once (the caller then lays the book out again, e.g. with
   * another gutter): called early, it costs the few chunks laid out so far.
   */
  onLayout?(pages: Array<number | undefined>): void
  /** A print browser already starting (launchPrintBrowser), to use instead of launching one; closed at the end. */
  browser?: Promise<LaunchedBrowser>
}

export interface ChunkedResult {
  /** Each chunk’s PDF, in order. */
  pdfs: Uint8Array[]
  /** For each chunk: whether a blank verso follows it. */
  padAfter: boolean[]
  rendered: Rendered
  blocked: string[]
  stats: {chunks: number; laidOut: number; printed: number; layoutsFromCache: number; pdfsFromCache: number}
}

interface Layout {
  pages: RenderedPage[]
  idIndex: Record<string, number>
  blocked: string[]
}

export async function paginateChunks(options: ChunkedOptions): Promise<ChunkedResult> {
  const {chunks} = options
  const printDir = path.resolve(options.printDir)
  const cache = options.cacheDir ? new ChunkCache(options.cacheDir) : undefined
  const slots = new Semaphore(Math.max(1, options.concurrency ?? 2))
  const stats = {chunks: chunks.length, laidOut: 0, printed: 0, layoutsFromCache: 0, pdfsFromCache: 0}
  const layouts: Array<Layout | undefined> = chunks.map(() => undefined)
  const ready = chunks.map(() => deferred())
  const owner = new Map<string, number>()
  for (const chunk of chunks) for (const id of chunk.ids) if (!owner.has(id)) owner.set(id, chunk.index)
  const firstText = chunks.findIndex((c) => c.kind === 'text')

  let launched: LaunchedBrowser | undefined
  let launching: Promise<LaunchedBrowser> | undefined
  let failed: ((error: Error) => void) | undefined
  const browser = () => (launching ??= (options.browser ?? launchPrintBrowser()).then((b) => (launched = b)))
  // A browser started by the caller is ours to close, even if no chunk needs it.
  if (options.browser) void browser().catch(() => {})
  /** Tabs with nothing to do, kept for the next chunk; each tab’s refused URLs collect in its own list. */
  const idle: Page[] = []
  const refused = new Map<Page, string[]>()

  /** The book’s pages so far: chunks 0..last with their blank versos. */
  const assemble = (last: number): Rendered => {
    const pages: RenderedPage[] = []
    const idIndex: Record<string, number> = {}
    for (let c = 0; c <= last; c++) {
      const layout = layouts[c]!
      const offset = pages.length
      for (const page of layout.pages) pages.push({...page, index: offset + page.index})
      for (const [id, index] of Object.entries(layout.idIndex)) if (owner.get(id) === c) idIndex[id] = offset + index
      if (padAfter(c)) {
        const previous = pages[pages.length - 1]
        pages.push({index: pages.length, blank: true, left: true, partStarts: [], part: previous?.part ?? null, block: null, offset: 0})
      }
    }
    return {pages, idIndex}
  }
  const padAfter = (c: number) => c < chunks.length - 1 && layouts[c]!.pages.length % 2 === 1

  const t0 = Date.now()
  const trace = process.env.READER_TRACE_CHUNKS ? (what: string) => process.stderr.write(`${((Date.now() - t0) / 1000).toFixed(2)} ${what}\n`) : () => {}
  const open = async (chunk: Chunk, blocked: string[]): Promise<Page> => {
    trace(`open ${chunk.name}`)
    // A tab that has laid out a chunk keeps its document and Paged.js: only the body changes.
    let page = idle.pop()
    if (page) {
      trace(`layout ${chunk.name} (warm tab)`)
      await layOutAgain(page, chunk.bodyHtml)
    } else {
      const list: string[] = []
      page = await openPrintPage(await browser(), printDir, list, (error) => failed?.(error), {background: true})
      refused.set(page, list)
      trace(`layout ${chunk.name}`)
      await layOut(page, path.join(printDir, chunkFile(chunk)))
    }
    blocked.push(...refused.get(page)!.splice(0))
    trace(`laid out ${chunk.name}`)
    return page
  }

  const run = async (chunk: Chunk): Promise<Uint8Array> => {
    const layoutKey = hash(options.salt, chunk.hash)
    let layout = cache?.readJson<Layout>(layoutKey)
    let page: Page | undefined
    if (layout) stats.layoutsFromCache++
    else {
      await slots.acquire()
      try {
        const blocked: string[] = []
        page = await open(chunk, blocked)
        const rendered = await collect(page, chunk.ids)
        layout = {...rendered, blocked}
        stats.laidOut++
      } finally {
        slots.release()
      }
      cache?.writeJson(layoutKey, layout)
    }
    layouts[chunk.index] = layout
    if (options.onLayout) {
      try {
        options.onLayout(layouts.map((l) => l?.pages.length))
      } catch (error) {
        failed?.(error as Error)
        throw error
      }
    }
    ready[chunk.index].resolve()

    // Wait for what the furniture needs, then decide it from the pages so far.
    let last = Math.max(chunk.index, firstText)
    for (const id of placeholderTargets(chunk)) last = Math.max(last, owner.get(id) ?? -1)
    await Promise.all(ready.slice(0, last + 1).map((d) => d.promise))
    const all = assemble(last)
    const offset = offsetOf(chunk.index)
    const decided = options.decide(all)
    const mine: Decisions = {
      pages: decided.pages.slice(offset, offset + layout.pages.length),
      pageNumbers: pick(decided.pageNumbers, chunk.pageNumberFor),
      indexRefs: pick(decided.indexRefs, chunk.indexRuns)
    }
    const pdfKey = hash(layoutKey, JSON.stringify(mine), chunk.outsideLinks.join(' '), chunk.linkedFromOutside.join(' '))
    let pdf = cache?.read(pdfKey)
    if (pdf) stats.pdfsFromCache++
    else {
      await slots.acquire(true)
      try {
        if (!page) {
          page = await open(chunk, [])
          stats.laidOut++
        }
        await apply(page, mine)
        await standIns(page, chunk.outsideLinks, chunk.linkedFromOutside)
        trace(`print ${chunk.name}`)
        pdf = await printPage(page)
        trace(`printed ${chunk.name}`)
        stats.printed++
      } finally {
        slots.release()
      }
      cache?.write(pdfKey, pdf)
    }
    // A tab goes back to the pool while chunks still wait to be laid out; after that it only holds memory.
    if (page) {
      if (layouts.some((l) => l === undefined)) idle.push(page)
      else await page.close().catch(() => {})
    }
    return pdf
  }
  // Offsets need only the layouts before a chunk.
  const offsetOf = (c: number) => {
    let offset = 0
    for (let i = 0; i < c; i++) offset += layouts[i]!.pages.length + (padAfter(i) ? 1 : 0)
    return offset
  }

  const limits = renderLimits(options.timeoutMs, options.signal)
  failed = limits.fail
  const {stop} = limits

  try {
    const pdfs = await Promise.race([Promise.all(chunks.map(run)), stop])
    cache?.prune()
    const rendered = assemble(chunks.length - 1)
    const blocked = layouts.flatMap((l) => l!.blocked)
    return {pdfs, padAfter: chunks.map((_, c) => padAfter(c)), rendered, blocked, stats}
  } catch (error) {
    if (error instanceof ReaderError || error instanceof Relayout) throw error
    throw new ReaderError(`The browser failed while paginating: ${String((error as Error)?.message || error).split('\n')[0]}`, {ruleId: 'render-crash'})
  } finally {
    limits.clear()
    for (const d of ready) d.resolve()
    const b = launched ?? (await launching?.catch(() => undefined))
    await b?.close()
  }
}

/** Thrown by `onLayout` to stop a run whose layouts call for another page set-up. */
export class Relayout extends Error {
  constructor(readonly pages: number) {
    super(`Lay out again for about ${pages} pages`)
  }
}

/** The file name a chunk is written under, inside the print folder. */
export function chunkFile(chunk: Chunk): string {
  return `chunk-${String(chunk.index).padStart(3, '0')}.html`
}

/**
 * Chromium names a destination only when a link in the same document points to it. Invisible
 * targets for links that leave the chunk keep those links; invisible links to the chunk’s own ids
 * that other chunks link to make Chromium name them. The assembled PDF takes each name from the
 * chunk that really holds the id.
 */
async function standIns(page: Page, ids: string[], linked: string[]): Promise<void> {
  if (!ids.length && !linked.length) return
  await page.evaluate((ids: string[], linked: string[]) => {
    const host = document.querySelector('.pagedjs_page .pagedjs_page_content') || document.body
    for (const id of linked) {
      const a = document.createElement('a')
      a.href = '#' + id
      a.setAttribute('data-print-stand-in', '')
      a.style.cssText = 'position:absolute;left:0;top:0;width:0;height:0;overflow:hidden'
      host.appendChild(a)
    }
    for (const id of ids) {
      if (document.getElementById(id)) continue
      const span = document.createElement('span')
      span.id = id
      span.setAttribute('data-print-stand-in', '')
      span.style.cssText = 'position:absolute;left:0;top:0;width:1px;height:1px;overflow:hidden'
      host.appendChild(span)
    }
  }, ids, linked)
}

function pick<T>(record: Record<string, T>, keys: string[]): Record<string, T> {
  const out: Record<string, T> = {}
  for (const key of keys) if (record[key] !== undefined) out[key] = record[key]
  return out
}

export function hash(...parts: string[]): string {
  const h = createHash('sha256')
  for (const part of parts) h.update(part).update('\u0000')
  return h.digest('hex')
}

function deferred(): {promise: Promise<void>; resolve: () => void} {
  let resolve!: () => void
  const promise = new Promise<void>((r) => (resolve = r))
  return {promise, resolve}
}

/** Slots for work in the browser; urgent work (printing, which frees a tab) goes first. */
class Semaphore {
  private waiting: Array<() => void> = []
  constructor(private free: number) {}
  async acquire(urgent = false): Promise<void> {
    if (this.free > 0) {
      this.free--
      return
    }
    await new Promise<void>((resolve) => (urgent ? this.waiting.unshift(resolve) : this.waiting.push(resolve)))
  }
  release(): void {
    const next = this.waiting.shift()
    if (next) next()
    else this.free++
  }
}

/** Files by key under one folder; the least recently used go when there are too many. */
class ChunkCache {
  constructor(
    private dir: string,
    private limit = 2000
  ) {
    mkdirSync(dir, {recursive: true})
  }
  private file(key: string, ext: string) {
    return path.join(this.dir, `${key}.${ext}`)
  }
  read(key: string): Uint8Array | undefined {
    const file = this.file(key, 'pdf')
    if (!existsSync(file)) return undefined
    const now = new Date()
    utimesSync(file, now, now)
    return readFileSync(file)
  }
  write(key: string, bytes: Uint8Array): void {
    const file = this.file(key, 'pdf')
    writeFileSync(file + '.tmp', bytes)
    renameSync(file + '.tmp', file)
  }
  readJson<T>(key: string): T | undefined {
    const file = this.file(key, 'json')
    if (!existsSync(file)) return undefined
    try {
      const value = JSON.parse(readFileSync(file, 'utf8')) as T
      const now = new Date()
      utimesSync(file, now, now)
      return value
    } catch {
      return undefined
    }
  }
  writeJson(key: string, value: unknown): void {
    const file = this.file(key, 'json')
    writeFileSync(file + '.tmp', JSON.stringify(value))
    renameSync(file + '.tmp', file)
  }
  prune(): void {
    const files = readdirSync(this.dir).filter((f) => !f.endsWith('.tmp'))
    if (files.length <= this.limit) return
    const byAge = files.map((f) => ({f, t: statSync(path.join(this.dir, f)).mtimeMs})).sort((a, b) => a.t - b.t)
    for (const {f} of byAge.slice(0, files.length - this.limit)) unlinkSync(path.join(this.dir, f))
  }
}
