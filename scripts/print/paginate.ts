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
import {pagedSettings, pagedSource} from './pagedjs.ts'

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
    const rendered = await collect(page, options.ids, options.lineIds)
    const decisions = options.decide(rendered)
    await apply(page, decisions)
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
    await page.addScriptTag({content: pagedSource()})
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
  const error = await page.evaluate(async (bodyHtml: string | null, settings: unknown) => {
    try {
      type Previewer = {
        preview(content?: unknown, stylesheets?: unknown[]): Promise<unknown>
        chunker: {pages: Array<{destroy(): void}>; destroy(): void}
        polisher: {destroy(): void}
      }
      const w = window as unknown as {PagedPolyfill: Previewer; Paged: {Previewer: new (settings: unknown) => Previewer}; readerSheets?: string[]; readerLast?: Previewer}
      if (bodyHtml === null) {
        // The stylesheets Paged.js is about to take out of the document, for the next chunks.
        w.readerSheets = Array.from(document.querySelectorAll<HTMLLinkElement>("link[rel='stylesheet']")).map((link) => link.href)
        w.readerLast = w.PagedPolyfill
        await w.PagedPolyfill.preview()
      } else {
        // Take the last chunk’s pages down with their observers and listeners, or they pile up.
        const last = w.readerLast
        if (last) {
          for (const p of last.chunker.pages ?? []) p.destroy()
          last.chunker.destroy()
          last.polisher.destroy()
        }
        document.querySelectorAll('style[data-pagedjs-inserted-styles]').forEach((style) => style.remove())
        document.body.innerHTML = bodyHtml
        w.readerLast = new w.Paged.Previewer(settings)
        await w.readerLast.preview(undefined, w.readerSheets ?? [])
      }
      await document.fonts.ready
      // Paged.js loads every @font-face; one that failed would silently fall back to another face.
      const broken: string[] = []
      document.fonts.forEach((font) => {
        if (font.status === 'error') broken.push(`${font.family.replace(/["']/g, '')} ${font.style} ${font.weight}`)
      })
      return broken.length ? `font-load:${[...new Set(broken)].join(', ')}` : null
    } catch (error) {
      return String((error as Error)?.stack || error)
    }
  }, bodyHtml, pagedSettings)
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
export function allowed(url: string, printDir: string): boolean {
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

export async function collect(page: Page, ids: string[], lineIds: string[] = []): Promise<Rendered> {
  return page.evaluate((ids: string[], lineIds: string[]) => {
    const pages = Array.from(document.querySelectorAll<HTMLElement>('.pagedjs_page'))
    const skipSelector = '[data-print-added], [data-footnote-call], [data-print-hidden], .footnote, script, style'
    /** Text nodes of an element that count as the reader HTML’s text. */
    const texts = (root: Element): Text[] => {
      const out: Text[] = []
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = (node as Text).parentElement
        if (!parent) continue
        const skipped = parent.closest(skipSelector)
        if (skipped && root.contains(skipped) && skipped !== root) continue
        if (skipped && skipped === root && !root.matches('.footnote')) continue
        out.push(node as Text)
      }
      return out
    }
    const length = (node: Text): number => {
      let value = (node.nodeValue || '').replace(/\u00AD/g, '')
      const parent = node.parentElement
      if (parent && parent.classList.contains('pagedjs_hyphen') && node === lastText(parent) && value.endsWith('-')) value = value.slice(0, -1)
      return value.length
    }
    const lastText = (element: Element): Text | null => {
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT)
      let last: Text | null = null
      for (let node = walker.nextNode(); node; node = walker.nextNode()) last = node as Text
      return last
    }
    const done = new Map<string, number>()
    let part: string | null = null
    const result = pages.map((pageElement, index) => {
      const content = pageElement.querySelector('.pagedjs_page_content')
      const starts: string[] = []
      content?.querySelectorAll<HTMLElement>('section.part, nav.part').forEach((section) => {
        if (!section.hasAttribute('data-split-from') && section.id) starts.push(section.id)
      })
      const sections = content ? Array.from(content.querySelectorAll<HTMLElement>('section.part, nav.part')) : []
      if (sections.length) {
        const lastSection = sections[sections.length - 1]
        part = lastSection.id || document.querySelector(`[data-ref="${lastSection.getAttribute('data-ref')}"][id]`)?.id || part
      }
      let block: number | null = null
      let offset = 0
      if (content) {
        for (const node of texts(content)) {
          if (!/\S/.test(node.nodeValue || '')) continue
          const owner = node.parentElement?.closest<HTMLElement>('[data-b]')
          if (!owner) break
          const b = owner.getAttribute('data-b')!
          block = Number(b)
          offset = done.get(b) || 0
          for (const before of texts(owner)) {
            if (before === node) break
            offset += length(before)
          }
          break
        }
      }
      pageElement.querySelectorAll<HTMLElement>('.pagedjs_area [data-b]').forEach((element) => {
        const b = element.getAttribute('data-b')!
        let sum = 0
        for (const node of texts(element)) sum += length(node)
        done.set(b, (done.get(b) || 0) + sum)
      })
      // Where the text area and its footnotes lie, in points (CSS px × 0.75) from the page’s top,
      // for telling the body, the footnotes and the furniture apart in the PDF’s text.
      const origin = pageElement.getBoundingClientRect().top
      const areaBox = pageElement.querySelector('.pagedjs_area')?.getBoundingClientRect()
      const notes = pageElement.querySelector('.pagedjs_footnote_area')
      const notesTop = notes && notes.querySelector('.pagedjs_footnote_inner_content')?.textContent?.trim() ? notes.getBoundingClientRect().top : areaBox?.bottom
      const pt = (px: number) => Math.round((px - origin) * 0.75 * 100) / 100
      return {
        index,
        blank: pageElement.classList.contains('pagedjs_blank_page'),
        left: pageElement.classList.contains('pagedjs_left_page'),
        partStarts: starts,
        part: starts.length ? starts[starts.length - 1] : part,
        block,
        offset,
        ...(areaBox ? {area: [pt(areaBox.top), pt(areaBox.bottom), pt(notesTop!)] as [number, number, number]} : {})
      }
    })
    const idIndex: Record<string, number> = {}
    for (const id of ids) {
      const element = document.getElementById(id)
      const pageElement = element?.closest('.pagedjs_page')
      if (pageElement) idIndex[id] = pages.indexOf(pageElement as HTMLElement)
    }
    // The line an element starts on: the lines of its page’s text area (running heads and footnotes
    // are elsewhere) are the text’s line boxes from the top, found from where its text lies; raised
    // or lowered text (a note’s call) shares the line it sits on.
    const idLine: Record<string, number> = {}
    const linesOf = new Map<Element, Array<[number, number]>>()
    /** Text that counts for the lines: not blank, not raised or lowered (below `root`). */
    const counts = (node: Text, root: Element) => {
      if (!/\S/.test(node.nodeValue || '')) return false
      for (let e = node.parentElement; e && e !== root; e = e.parentElement) if (getComputedStyle(e).verticalAlign !== 'baseline') return false
      return true
    }
    const range = document.createRange()
    /** The [top, bottom] of each line box a text node fills. */
    const rectsOf = (node: Text): Array<[number, number]> => {
      range.selectNodeContents(node)
      return Array.from(range.getClientRects())
        .filter((r) => r.width > 0 && r.height > 0)
        .map((r): [number, number] => [r.top, r.bottom])
    }
    const boxes = (root: Element, within: Element) => {
      const found: Array<[number, number]> = []
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
      for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) if (counts(node, within)) found.push(...rectsOf(node))
      return found
    }
    /** Where an element’s text begins; for one that shows nothing (an omission), where the text before it ends. */
    const spot = (element: Element, area: Element): [number, number] | undefined => {
      const own = boxes(element, area)
      if (own.length) return own[0]
      const walker = document.createTreeWalker(area, NodeFilter.SHOW_TEXT)
      for (const step of ['previousNode', 'nextNode'] as const) {
        walker.currentNode = element
        for (let node = walker[step]() as Text | null; node; node = walker[step]() as Text | null) {
          if (element.contains(node) || !counts(node, area)) continue
          const rects = rectsOf(node)
          if (rects.length) return step === 'previousNode' ? rects[rects.length - 1] : rects[0]
        }
      }
      return undefined
    }
    for (const id of lineIds) {
      const element = document.getElementById(id)
      const area = element?.closest('.pagedjs_page')?.querySelector('.pagedjs_page_content')
      if (!element || !area || !area.contains(element)) continue
      // Lines as [middle, height]: a box within half a height of a line’s middle is on it (glyph
      // boxes are often taller than the line spacing, so the boxes of two lines overlap).
      let lines = linesOf.get(area)
      if (!lines) {
        lines = []
        const middles = boxes(area, area).map(([top, bottom]): [number, number] => [(top + bottom) / 2, bottom - top])
        for (const [middle, height] of middles.sort((a, b) => a[0] - b[0])) {
          const last = lines[lines.length - 1]
          if (!last || middle - last[0] >= Math.max(last[1], height) / 2) lines.push([middle, height])
        }
        linesOf.set(area, lines)
      }
      const first = spot(element, area)
      if (!first || !lines.length) continue
      const middle = (first[0] + first[1]) / 2
      let nearest = 0
      lines.forEach(([m], i) => {
        if (Math.abs(m - middle) < Math.abs(lines![nearest][0] - middle)) nearest = i
      })
      idLine[id] = nearest + 1
    }
    return {pages: result, idIndex, idLine}
  }, ids, lineIds)
}

export async function apply(page: Page, decisions: Decisions): Promise<void> {
  await page.evaluate((decisions: Decisions) => {
    const css = (s: string) => JSON.stringify(s)
    document.querySelectorAll<HTMLElement>('.pagedjs_page').forEach((pageElement, index) => {
      const d = decisions.pages[index]
      if (!d) return
      pageElement.style.setProperty('--folio-head', css(d.folioHead))
      pageElement.style.setProperty('--folio-foot', css(d.folioFoot))
      pageElement.style.setProperty('--running-head', css(d.runningHead))
    })
    document.querySelectorAll<HTMLElement>('[data-pn-for]').forEach((element) => {
      const id = element.getAttribute('data-pn-for')!
      element.textContent = (element.hasAttribute('data-pn-line') ? decisions.pageLines[id] : undefined) ?? decisions.pageNumbers[id] ?? '?'
    })
    document.querySelectorAll<HTMLElement>('[data-ix-refs]').forEach((element) => {
      element.innerHTML = decisions.indexRefs[element.getAttribute('data-ix-refs')!] ?? '?'
    })
  }, decisions)
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
