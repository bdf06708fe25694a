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
 * Layouts and PDFs are cached by content hash in the build’s cache (scripts/cache.ts): an unchanged chunk is not laid
 * out again, and is not printed again while its folios and page numbers stay the same.
 */
import path from 'node:path'
import type {Page} from 'puppeteer-core'
import type {LaunchedBrowser} from '../browser.ts'
import {ReaderError} from '../errors.ts'
import {sha256, type Cache} from '../cache.ts'
import {placeholderTargets, type Chunk} from './chunks.ts'
import {apply, collect, launchPrintBrowser, layOut, layOutAgain, openPrintPage, printPage, renderLimits, type DecisionScope, type Decisions, type Rendered, type RenderedPage, type PageSide} from './paginate.ts'

export interface ChunkedOptions {
  chunks: Chunk[]
  printDir: string
  /** Where layouts and chunk PDFs are kept between builds (scripts/cache.ts); none when undefined. */
  cache?: Cache
  /** Everything besides a chunk’s HTML that changes its layout (stylesheets, fonts, code, browser). */
  salt: string
  decide(rendered: Rendered, scope: DecisionScope): Decisions
  /** Ids whose line on their page the decisions need (collect). */
  lineIds?: string[]
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
  /**
   * Given each chunk’s PDF as soon as it is printed or read from the cache, and whether a blank
   * verso follows it (merge.ts `ChunkMerger`). The PDFs are not kept here.
   */
  onPdf(index: number, pdf: Uint8Array, padAfter: boolean): void
  /** A print browser already starting (launchPrintBrowser), to use instead of launching one; closed at the end. */
  browser?: Promise<LaunchedBrowser>
  /** A browser and warm tabs kept between runs (`reader watch`): used instead of `browser`, and left open. */
  pool?: PrintPool
}

export interface ChunkedResult {
  rendered: Rendered
  blocked: string[]
  stats: {chunks: number; laidOut: number; printed: number; layoutsFromCache: number; pdfsFromCache: number; tabsOpened: number; laidOutAgain: number}
  /** Settles when the browser has closed (the caller waits for it before returning). */
  closed: Promise<void>
}

interface Layout {
  pages: RenderedPage[]
  idIndex: Record<string, number>
  idLine: Record<string, number>
  blocked: string[]
}

export async function paginateChunks(options: ChunkedOptions): Promise<ChunkedResult> {
  const {chunks} = options
  const printDir = path.resolve(options.printDir)
  const {cache} = options
  const slots = new Semaphore(Math.max(1, options.concurrency ?? 2))
  const stats = {chunks: chunks.length, laidOut: 0, printed: 0, layoutsFromCache: 0, pdfsFromCache: 0, tabsOpened: 0, laidOutAgain: 0}
  const layouts: Array<Layout | undefined> = chunks.map(() => undefined)
  const ready = chunks.map(() => deferred())
  const owner = new Map<string, number>()
  for (const chunk of chunks) for (const id of chunk.ids) if (!owner.has(id)) owner.set(id, chunk.index)
  const firstText = chunks.findIndex((c) => c.kind === 'text')
  const wantLine = new Set(options.lineIds ?? [])

  let launched: LaunchedBrowser | undefined
  let launching: Promise<LaunchedBrowser> | undefined
  let failed: ((error: Error) => void) | undefined
  const {pool} = options
  const browser = () => (launching ??= (pool ? pool.browser() : (options.browser ?? launchPrintBrowser())).then((b) => (launched = b)))
  // A browser started by the caller is ours to close, even if no chunk needs it.
  if (options.browser) void browser().catch(() => {})
  // Tabs are warm for one document shell (the <head>, the <html> attributes) and one design.
  const shellKey = chunks.length ? sha256(options.salt, shellOf(chunks[0])) : ''
  /** Tabs with nothing to do, kept for the next chunk. */
  const idle: Tab[] = pool ? pool.take(shellKey) : []
  const open = new Set<Tab>(idle)
  for (const tab of idle) tab.onCrash = (error) => failed?.(error)
  /**
   * The book’s pages from chunk `from` to `last`, with their blank versos, numbered from `from`’s
   * first page; and the pages of `ids` (all ids when not given).
   */
  const assemble = (from: number, last: number, ids?: string[]): Rendered => {
    const pages: RenderedPage[] = []
    const offsets: number[] = []
    for (let c = from; c <= last; c++) {
      const layout = layouts[c]!
      const offset = pages.length
      offsets[c] = offset
      for (const page of layout.pages) pages.push({...page, index: offset + page.index})
      if (padAfter(c)) {
        const previous = pages[pages.length - 1]
        pages.push({index: pages.length, blank: true, left: true, partStarts: [], part: previous?.part ?? null, block: null, offset: 0})
      }
    }
    const idIndex: Record<string, number> = {}
    const idLine: Record<string, number> = {}
    const place = (id: string) => {
      const c = owner.get(id)
      if (c === undefined || c < from || c > last) return
      const index = layouts[c]!.idIndex[id]
      if (index !== undefined) idIndex[id] = offsets[c] + index
      const line = layouts[c]!.idLine[id]
      if (line !== undefined) idLine[id] = line
    }
    if (ids) ids.forEach(place)
    else for (const id of owner.keys()) place(id)
    return {pages, idIndex, idLine}
  }
  const padAfter = (c: number) => c < chunks.length - 1 && layouts[c]!.pages.length % 2 === 1

  const t0 = Date.now()
  const trace = process.env.READER_TRACE_CHUNKS ? (what: string) => process.stderr.write(`${((Date.now() - t0) / 1000).toFixed(2)} ${what}\n`) : () => {}
  const layOutChunk = async (chunk: Chunk, blocked: string[]): Promise<Tab> => {
    trace(`open ${chunk.name}`)
    // A tab that has laid out a chunk keeps its document and Paged.js: only the body changes.
    let tab = idle.pop()
    if (tab) {
      trace(`layout ${chunk.name} (warm tab)`)
      await layOutAgain(tab.page, chunk.bodyHtml)
    } else {
      const fresh: Tab = {page: undefined as unknown as Page, refused: [], onCrash: (error) => failed?.(error)}
      fresh.page = await openPrintPage(await browser(), printDir, fresh.refused, (error) => fresh.onCrash(error), {background: true})
      tab = fresh
      open.add(tab)
      stats.tabsOpened++
      trace(`layout ${chunk.name}`)
      await layOut(tab.page, path.join(printDir, chunkFile(chunk)))
    }
    blocked.push(...tab.refused.splice(0))
    trace(`laid out ${chunk.name}`)
    return tab
  }

  /**
   * The chunks whose layouts a chunk’s furniture depends on, `from` to `last`. Folios count from the
   * first text, so a text or the back matter needs no page count from the front matter (unless it
   * prints a page number from there): it prints as soon as the texts before it are laid out.
   */
  const needs = (chunk: Chunk) => {
    const targets = placeholderTargets(chunk)
    let from = chunk.index >= firstText && firstText >= 0 ? firstText : 0
    let last = Math.max(chunk.index, firstText)
    for (const id of targets) {
      const o = owner.get(id)
      if (o === undefined) continue
      last = Math.max(last, o)
      if (o < from) from = 0
    }
    return {from, last, targets}
  }
  const done = chunks.map(() => false)
  const laidOut = (chunk: Chunk, layout: Layout) => {
    layouts[chunk.index] = layout
    done[chunk.index] = true
    if (options.onLayout) {
      try {
        options.onLayout(layouts.map((l) => l?.pages.length))
      } catch (error) {
        failed?.(error as Error)
        throw error
      }
    }
    ready[chunk.index].resolve()
  }
  /** Decide a laid-out chunk’s furniture and print it (in the tab `tab()` gives), unless the cache has that PDF. */
  const print = async (chunk: Chunk, layout: Layout, layoutKey: string, need: ReturnType<typeof needs>, tab: () => Promise<Tab>) => {
    const offset = offsetOf(chunk.index, need.from)
    const mine = options.decide(assemble(need.from, need.last, need.targets), {from: offset, to: offset + layout.pages.length, ids: chunk.pageNumberFor, runs: chunk.indexRuns})
    const pdfKey = sha256(layoutKey, JSON.stringify(mine), chunk.outsideLinks.join(' '), chunk.linkedFromOutside.join(' '))
    // (With the PDF, what landed where once the furniture was written in, when that moved pages’ text: the index.)
    const kept = cache?.getBytes('print-pdf', pdfKey)
    const relaid = cache?.get<Layout | {same: true}>('print-layout-applied', pdfKey)
    if (kept && relaid) {
      stats.pdfsFromCache++
      if (!('same' in relaid)) layouts[chunk.index] = relaid
      return kept
    }
    const {page} = await tab()
    trace(`apply ${chunk.name}`)
    if (await apply(page, mine)) {
      const lineIds = chunk.ids.filter((id) => wantLine.has(id))
      layouts[chunk.index] = {...(await collect(page, chunk.ids, lineIds)), blocked: layout.blocked}
      cache?.put('print-layout-applied', pdfKey, layouts[chunk.index])
    } else cache?.put('print-layout-applied', pdfKey, {same: true})
    trace(`stand-ins ${chunk.name}`)
    await standIns(page, chunk.outsideLinks, chunk.linkedFromOutside)
    trace(`print ${chunk.name}`)
    const pdf = await printPage(page)
    trace(`printed ${chunk.name}`)
    stats.printed++
    cache?.putBytes('print-pdf', pdfKey, pdf)
    return pdf
  }

  /** Chunks not yet laid out that wait for a tab. */
  let unstarted = 0
  const run = async (chunk: Chunk): Promise<void> => {
    const lineIds = chunk.ids.filter((id) => wantLine.has(id))
    const layoutKey = sha256(options.salt, chunk.hash, lineIds.join(' '))
    const need = needs(chunk)
    let layout = cache?.get<Layout>('print-layout', layoutKey)
    let tab: Tab | undefined
    let pdf: Uint8Array | undefined
    if (layout) {
      stats.layoutsFromCache++
      laidOut(chunk, layout)
    } else {
      unstarted++
      await slots.acquire()
      unstarted--
      try {
        const blocked: string[] = []
        const laid = await layOutChunk(chunk, blocked)
        tab = laid
        layout = {...(await collect(laid.page, chunk.ids, lineIds)), blocked}
        stats.laidOut++
        cache?.put('print-layout', layoutKey, layout)
        laidOut(chunk, layout)
        // When the pages before it are known already, print in the same turn. Otherwise, if
        // another chunk waits to be laid out, a short text’s tab goes on to it and the text is laid
        // out again when it can print: a warm tab lays out a short text in less than a new tab
        // costs to start. (Longer chunks, and the front and back matter, which wait for the last
        // texts, keep their tab.)
        if (done.slice(need.from, need.last + 1).every(Boolean)) pdf = await print(chunk, layout, layoutKey, need, async () => laid)
        else if (unstarted > 0 && chunk.kind === 'text' && chunk.textLength < relayOutBelow) {
          idle.push(laid)
          tab = undefined
        }
      } finally {
        slots.release()
      }
    }
    if (!pdf) {
      await Promise.all(ready.slice(need.from, need.last + 1).map((d) => d.promise))
      let holding = false
      try {
        pdf = await print(chunk, layout, layoutKey, need, async () => {
          await slots.acquire(true)
          holding = true
          // (Its layout came from the cache, or its tab went on to another chunk meanwhile.)
          if (!tab) {
            tab = await layOutChunk(chunk, [])
            stats.laidOutAgain++
          }
          return tab
        })
      } finally {
        if (holding) slots.release()
      }
    }
    options.onPdf(chunk.index, pdf, padAfter(chunk.index))
    // A tab goes back to the idle list while chunks still wait to be laid out; after that it only
    // holds memory (unless a pool keeps it for the next run).
    if (tab) {
      if (pool || layouts.some((l) => l === undefined)) idle.push(tab)
      else {
        open.delete(tab)
        await tab.page.close().catch(() => {})
      }
    }
  }
  // Offsets need only the layouts before a chunk.
  const offsetOf = (c: number, from = 0) => {
    let offset = 0
    for (let i = from; i < c; i++) offset += layouts[i]!.pages.length + (padAfter(i) ? 1 : 0)
    return offset
  }

  const limits = renderLimits(options.timeoutMs, options.signal)
  failed = limits.fail
  const {stop} = limits

  const closeBrowser = async () => {
    const b = launched ?? (await launching?.catch(() => undefined))
    await b?.close()
  }
  let closed: Promise<void> | undefined
  try {
    // The texts first: they print as soon as they are laid out, so their tabs go straight on to the
    // next chunk; the front and back matter wait for the texts’ page numbers anyway, and the one
    // with the most links (the index), the slowest to print, goes first.
    const matter = chunks.filter((c) => c.kind !== 'text').sort((a, b) => b.outsideLinks.length - a.outsideLinks.length || a.index - b.index)
    const order = [...chunks.filter((c) => c.kind === 'text'), ...matter]
    const running: Array<Promise<void>> = []
    for (const chunk of order) running[chunk.index] = run(chunk)
    await Promise.race([Promise.all(running), stop])
    const rendered = assemble(0, chunks.length - 1)
    const blocked = layouts.flatMap((l) => l!.blocked)
    // The browser closes while the caller assembles the book; a pool keeps it, and the tabs.
    if (pool) {
      pool.give(shellKey, [...open])
      open.clear()
      closed = Promise.resolve()
    } else closed = closeBrowser()
    return {rendered, blocked, stats, closed}
  } catch (error) {
    if (error instanceof ReaderError || error instanceof Relayout) throw error
    throw new ReaderError(`The browser failed while paginating: ${String((error as Error)?.message || error).split('\n')[0]}`, {ruleId: 'render-crash'})
  } finally {
    limits.clear()
    for (const d of ready) d.resolve()
    if (pool) {
      // A run that failed leaves its tabs in an unknown state: close them, keep the browser.
      for (const tab of open) await tab.page.close().catch(() => {})
      // A run still launching the browser, or that crashed it, leaves the pool to start again.
      if (!closed) await pool.check()
    } else if (!closed) await closeBrowser()
  }
}

/** A tab of the print browser, with the URLs it refused and where it reports a crash. */
interface Tab {
  page: Page
  refused: string[]
  onCrash: (error: Error) => void
}

/**
 * A print browser and its warm tabs, kept from one run to the next (`reader watch`), so a rebuild
 * neither starts Chromium nor loads Paged.js again. Tabs are kept for one document shell and
 * design at a time. Close it when done.
 */
export class PrintPool {
  private launching?: Promise<LaunchedBrowser>
  private kept?: {key: string; tabs: Tab[]}

  browser(): Promise<LaunchedBrowser> {
    this.launching ??= launchPrintBrowser()
    return this.launching
  }

  /** The warm tabs for `key`; tabs kept for another shell are closed. */
  take(key: string): Tab[] {
    const kept = this.kept
    this.kept = undefined
    if (!kept) return []
    if (kept.key === key) return kept.tabs
    for (const tab of kept.tabs) void tab.page.close().catch(() => {})
    return []
  }

  give(key: string, tabs: Tab[]): void {
    for (const tab of this.kept?.tabs ?? []) if (!tabs.includes(tab)) void tab.page.close().catch(() => {})
    this.kept = {key, tabs}
  }

  /** Forget a browser that is gone (crashed, killed), so the next run starts another. */
  async check(): Promise<void> {
    const launched = await this.launching?.catch(() => undefined)
    if (launched && launched.browser.connected) return
    this.kept = undefined
    this.launching = undefined
    await launched?.close()
  }

  async close(): Promise<void> {
    this.kept = undefined
    const launched = await this.launching?.catch(() => undefined)
    this.launching = undefined
    await launched?.close()
  }
}

/** Characters of text under which a chunk is laid out again sooner than a new tab starts (about a dozen pages). */
const relayOutBelow = 25_000

/** Thrown by `onLayout` to stop a run whose layouts call for another page set-up. */
export class Relayout extends Error {
  constructor(readonly pages: number) {
    super(`Lay out again for about ${pages} pages`)
  }
}

/** A chunk’s document without its body: what a warm tab keeps from one chunk to the next. */
function shellOf(chunk: Chunk): string {
  const at = chunk.html.lastIndexOf(chunk.bodyHtml)
  return at < 0 ? chunk.html : chunk.html.slice(0, at) + chunk.html.slice(at + chunk.bodyHtml.length)
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
  await page.evaluate((ids: string[], linked: string[]) => (window as unknown as PageSide).reader.standIns(ids, linked), ids, linked)
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
