/**
 * Paginate the print HTML with Paged.js in the system Chromium and print it to PDF bytes.
 * Every request is filtered: only files inside the print folder load; everything else (the
 * network, other files) is aborted. After Paged.js is done, `decide` is given what landed where
 * and answers with the folios, running heads and page numbers to write in before printing.
 */
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import type {CDPSession, Page} from 'puppeteer-core'
import {launchBrowser, offlineArgs, type LaunchedBrowser} from '../browser.ts'
import {ReaderError} from '../errors.ts'
import type {TextArea} from '../model.ts'
import {pagedSettings, pageScripts} from './pagedjs.ts'

/** What the page tells us about one rendered page. */
export interface RenderedPage {
  index: number
  blank: boolean
  left: boolean
  /** Ids of `.part` sections whose first fragment is on this page. */
  partStarts: string[]
  /** Id of the `.part` section the page belongs to. */
  part: string | null
  block: number | null
  offset: number
  /** The text area, in points from the page’s top edge: [top, bottom, where its footnotes begin]. */
  area?: TextArea
  /** What the page carries alone: `widow: …`, `orphan: …`, `first item: …`, `last item: …`, `below the foot: …` (absent when nothing). */
  alone?: string[]
}

export interface Rendered {
  pages: RenderedPage[]
  /** Page index of each id asked for. */
  idIndex: Record<string, number>
  /** Line on its page (from 1) of each id asked a line for. */
  idLine: Record<string, number>
}

/** What to write into the rendered pages before printing. */
export interface Decisions {
  pages: Array<{folioHead: string; folioFoot: string; runningHead: string}>
  /** Text for each `[data-pn-for]` target id. */
  pageNumbers: Record<string, string>
  /** Text for each `[data-pn-for][data-pn-line]` target id (page and line); else its page number. */
  pageLines: Record<string, string>
  /** HTML for each `[data-ix-refs]` span, by its attribute value. */
  indexRefs: Record<string, string>
}

/** The part of the decisions a caller needs: pages `from` to `to` (exclusive), some ids’ page numbers, some index runs. */
export interface DecisionScope {
  from: number
  to: number
  ids: string[]
  runs: string[]
}

export interface PaginateOptions {
  /** The print HTML file, inside `printDir`. */
  htmlPath: string
  printDir: string
  /** Ids whose page we need. */
  ids: string[]
  /** Ids whose line on their page we need too. */
  lineIds?: string[]
  /** Everything when no scope is given; with one, `pages` holds only the scope’s pages. */
  decide(rendered: Rendered, scope?: DecisionScope): Decisions
  timeoutMs: number
  signal?: AbortSignal
}

export interface PaginateResult {
  pdf: Uint8Array
  rendered: Rendered
  /** URLs refused by the request filter. */
  blocked: string[]
  ms: number
}

export async function paginate(options: PaginateOptions): Promise<PaginateResult> {
  const started = Date.now()
  const printDir = path.resolve(options.printDir)
  const blocked: string[] = []
  let launched: LaunchedBrowser | undefined
  const limits = renderLimits(options.timeoutMs, options.signal)
  const {stop} = limits

  let launching: Promise<LaunchedBrowser> | undefined
  const work = async (): Promise<PaginateResult> => {
    launching = launchPrintBrowser()
    launched = await launching
    const page = await openPrintPage(launched, printDir, blocked, (error) => limits.fail(error))
    await layOut(page, options.htmlPath)
    let rendered = await collect(page, options.ids, options.lineIds)
    const decisions = options.decide(rendered)
    // (The page count is kept: only where the index’s pages begin, and its entries’ pages, move.)
    if (await apply(page, decisions)) rendered = await collect(page, options.ids, options.lineIds)
    const pdf = await printPage(page)
    return {pdf, rendered, blocked, ms: Date.now() - started}
  }

  try {
    return await Promise.race([work(), stop])
  } catch (error) {
    if (error instanceof ReaderError) throw error
    throw new ReaderError(`The browser failed while paginating: ${String((error as Error)?.message || error).split('\n')[0]}`, {
      ruleId: 'render-crash'
    })
  } finally {
    limits.clear()
    // The browser may still be starting when the time runs out: wait for it, then close it.
    const browser = launched ?? (await launching?.catch(() => undefined))
    await browser?.close()
  }
}

/** The browser the print pages run in, with the flags they need. */
export function launchPrintBrowser(): Promise<LaunchedBrowser> {
  return launchBrowser({extraArgs: ['--allow-file-access-from-files', '--export-tagged-pdf', ...offlineArgs]})
}

/** A new tab whose requests are limited to the print folder (refused URLs are pushed to `blocked`). */
export async function openPrintPage(
  launched: LaunchedBrowser,
  printDir: string,
  blocked: string[],
  onCrash: (error: Error) => void,
  options: {background?: boolean} = {}
): Promise<Page> {
  const page = await launched.browser.newPage()
  page.on('error', (error) => onCrash(new ReaderError(`The browser crashed while paginating: ${error.message}`, {ruleId: 'render-crash'})))
  page.on('request', (request) => {
    if (request.isInterceptResolutionHandled()) return
    const url = request.url()
    if (allowed(url, printDir)) request.continue().catch(() => {})
    else {
      blocked.push(url)
      request.abort('blockedbyclient').catch(() => {})
    }
  })
  // tsx/esbuild may wrap the functions passed to evaluate() in a `__name` helper the page lacks.
  // Paged.js waits for an animation frame between pages (its queue’s tick): up to 16 ms a page in a
  // tab in front, none at all in a background tab of headless Chromium. Nothing is painted while it
  // lays out, so give it the next task instead: a message to itself (setTimeout would be clamped to
  // 4 ms once nested). `options.background` is kept for callers; every print tab gets this.
  void options.background
  // (The set-up calls go out together: each is a round trip to the browser.)
  await Promise.all([
    page.setRequestInterception(true),
    page.evaluateOnNewDocument('globalThis.__name = (f) => f'),
    page.evaluateOnNewDocument(
      '(() => { const c = new MessageChannel(); const q = []; c.port1.onmessage = () => { const f = q.shift(); if (f) f(performance.now()) }; window.requestAnimationFrame = (f) => { q.push(f); c.port2.postMessage(0); return q.length } })()'
    ),
    page.emulateMediaType('print')
  ])
  return page
}

/** Load a print HTML file into the tab and let Paged.js paginate it. */
export async function layOut(page: Page, htmlPath: string): Promise<void> {
  await page.goto(pathToFileURL(htmlPath).href, {waitUntil: 'load', timeout: 0})
  // A chunk loads Paged.js itself (pagedScripts), as the page loads; another document is given it now.
  const loaded = await page.evaluate(() => 'PagedPolyfill' in window)
  if (!loaded) {
    await page.evaluate((settings) => {
      ;(window as unknown as {PagedConfig: unknown}).PagedConfig = {auto: false, settings}
    }, pagedSettings)
    for (const content of pageScripts()) await page.addScriptTag({content})
  }
  await runPreview(page, null)
}

const sessions = new WeakMap<Page, Promise<CDPSession>>()

/**
 * DOM nodes in a tab (the laid-out chunk’s and those of earlier chunks not yet collected) above
 * which its garbage is collected before the next chunk: a chunk of a few dozen pages holds about
 * 15,000.
 */
const nodesLimit = 40_000

/**
 * Lay out another chunk in a tab that has already laid one out (layOut): the same <head>, so the
 * same stylesheets, fonts and Paged.js, only the body changes. Saves loading the document and
 * parsing Paged.js again (a third of a small chunk’s time); the pages are the ones a fresh tab gives.
 */
export async function layOutAgain(page: Page, bodyHtml: string): Promise<void> {
  // Each layout leaves garbage the tab collects late, and a long book’s tabs would grow by hundreds
  // of MB; a full collection costs a tenth of a second, so it is made only when the garbage piles up.
  let session = sessions.get(page)
  if (!session) sessions.set(page, (session = page.createCDPSession()))
  const {nodes} = (await (await session).send('Memory.getDOMCounters')) as {nodes: number}
  if (nodes > nodesLimit) await (await session).send('HeapProfiler.collectGarbage')
  await runPreview(page, bodyHtml)
}

async function runPreview(page: Page, bodyHtml: string | null): Promise<void> {
  const error = await page.evaluate((bodyHtml: string | null, settings: unknown) => (window as unknown as PageSide).reader.preview(bodyHtml, settings), bodyHtml, pagedSettings)
  if (error?.startsWith('font-load:')) {
    throw new ReaderError(`Unexpected font that failed to load: ${error.slice(10)}, expected every @font-face of the print CSS to load from the print folder`, {ruleId: 'font-load'})
  }
  if (error) throw new ReaderError(`Paged.js failed: ${error.split('\n')[0]}`, {ruleId: 'render-crash'})
}

/** Print the paginated tab as it stands (its fonts have loaded: runPreview waited for them). */
export function printPage(page: Page): Promise<Uint8Array> {
  return page.pdf({preferCSSPageSize: true, printBackground: true, tagged: true, outline: false, timeout: 0, waitForFonts: false})
}

/** Only files inside the print folder. */
function allowed(url: string, printDir: string): boolean {
  if (!url.startsWith('file:')) return false
  let file: string
  try {
    file = path.resolve(fileURLToPath(url))
  } catch {
    return false
  }
  const relative = path.relative(printDir, file)
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)
}

/** The tab’s side (pagedjs/reader-page.js), as `window.reader`. */
export interface PageSide {
  reader: {
    preview(bodyHtml: string | null, settings: unknown): Promise<string | null>
    collect(ids: string[], lineIds: string[]): Rendered
    apply(decisions: Decisions): boolean
    standIns(ids: string[], linked: string[]): void
  }
}

/** What landed where: each page (its part, where its text begins, its text area), each id’s page, some ids’ lines. */
export async function collect(page: Page, ids: string[], lineIds: string[] = []): Promise<Rendered> {
  return page.evaluate((ids: string[], lineIds: string[]) => (window as unknown as PageSide).reader.collect(ids, lineIds), ids, lineIds)
}

/**
 * Writes in the folios, running heads and page numbers. True when that laid some pages out again
 * (the index, its numbers written in: reader-page.js): what landed where is then to be collected again.
 */
export async function apply(page: Page, decisions: Decisions): Promise<boolean> {
  return page.evaluate((decisions: Decisions) => (window as unknown as PageSide).reader.apply(decisions), decisions)
}

export interface RenderLimits {
  /** Rejects when the time limit passes, the signal aborts, or `fail` is called. */
  stop: Promise<never>
  fail(error: Error): void
  /** Stop the timer and the abort listener. */
  clear(): void
}

/** The time limit and cancellation every pagination runs under, one message for each. */
export function renderLimits(timeoutMs: number, signal?: AbortSignal): RenderLimits {
  let timer: NodeJS.Timeout | undefined
  let onAbort: (() => void) | undefined
  let fail: (error: Error) => void = () => {}
  const stop = new Promise<never>((_, reject) => {
    fail = reject
    const limit = timeoutMs >= 10000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`
    timer = setTimeout(
      () =>
        reject(
          new ReaderError(`Pagination took longer than ${limit} and was stopped (set READER_RENDER_TIMEOUT to more seconds if the book needs longer)`, {
            ruleId: 'render-timeout'
          })
        ),
      timeoutMs
    )
    if (signal) {
      onAbort = () => reject(new ReaderError('Pagination was cancelled', {ruleId: 'render-aborted'}))
      if (signal.aborted) onAbort()
      else signal.addEventListener('abort', onAbort, {once: true})
    }
  })
  stop.catch(() => {})
  return {
    stop,
    fail: (error) => fail(error),
    clear() {
      clearTimeout(timer)
      if (onAbort) signal?.removeEventListener('abort', onAbort)
    }
  }
}
