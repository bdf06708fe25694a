/**
 * Fitting paragraphs before pagination. Chromium sets a justified paragraph a line at a time: a line
 * takes what fits and is stretched, so a long word that cannot be broken (a name, a short word)
 * leaves a loose line, and the hyphens fall where they fall, three or four in a row. This pass lays
 * the print HTML out once in a column of the text block's width (fit-page.js) and finds each
 * paragraph with a loose line or a run of more than two hyphenated lines. Its breaks are chosen
 * again over the whole paragraph, as a paragraph-wide line breaker (Knuth and Plass) would: among
 * its spaces and the soft hyphens it was offered, the set whose lines' word spaces stay nearest the
 * usual one, with a line tracked by at most 0.02 em (letter spacing) where no set of breaks keeps
 * it from running loose, and slightly tighter (to −0.01 em) where that helps. Each line Chromium
 * would not break so on its own is wrapped in spans (`data-fit-line`, one per text node) whose word
 * spacing makes it take those words and no more — spacing that shows in nothing once the line is
 * justified — and the paragraph gets where its lines start (`data-fit-starts`: reader-page.js
 * leaves the spacing out on a page that starts elsewhere in it). Where Chromium cannot be made to
 * follow, the paragraph is tried with word spacing a little tighter or looser (±0.02em, ±0.04em)
 * and without some of its hyphens, and keeps what reads best: a `style` on the paragraph, soft
 * hyphens taken out. The text is unchanged; Paged.js then paginates lines that Chromium breaks the
 * same way at the same width. The result is kept in the cache under the HTML, the stylesheets, the
 * width and the settings: a rebuild does not lay it out again.
 */
import {readFileSync, writeFileSync, rmSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import type {Element, Root, Text} from 'hast'
import {toHtml} from 'hast-util-to-html'
import type {LaunchedBrowser} from '../browser.ts'
import {sha256, type Cache} from '../cache.ts'
import {ReaderError} from '../errors.ts'
import {openPrintPage} from './paginate.ts'

const here = path.dirname(fileURLToPath(import.meta.url))

export interface FitOptions {
  /** The print folder, with fonts.css, page.css and print.css written. */
  printDir: string
  /** The text block's width, in points. */
  widthPt: number
  browser: LaunchedBrowser
  cache?: Cache
  /**
   * A justified line's word space may be this many times the usual one before fitting (default 1.35:
   * the limit is 1.6 × the median of the fitted book, whose spaces are a little tighter).
   */
  loose?: number
}

export interface FitDecision {
  fit: number
  style: string
  drop: number[]
  /** Spans to wrap, each within one text node: [from, to) in the element's text, and their style. */
  spans?: Array<[number, number, string]>
  /** Where its lines start (offsets in its text), for the pagination (reader-page.js). */
  starts?: number[]
}

/** What the browser's side returns. */
interface FitOutcome {
  decisions: FitDecision[]
  tried: number
  paragraphs: number
  planned: number
  missed: number
  tracked: number
  ms: number
}

/** The line-breaking settings (fit-page.js): see FitOptions. */
const breaking = {
  /** A line set past this many times the usual word space costs much more than any other choice. */
  limit: 1.4,
  /** Letter spacing a line may take, in em: a little tighter, or up to 0.02 em looser (more reads as letter-spaced). */
  tracks: [-0.01, -0.005, 0, 0.005, 0.01, 0.015, 0.02],
  /** A paragraph set so is kept when it has fewer lines looser than this many times the usual space, or as many and its loosest less loose. */
  near: 1.5,
  /** A line left to break where Chromium would has at least this much room (px) either way. */
  margin: 1.5,
  /** A word space may shrink to this share of its natural width. */
  shrink: 0.85
}

export interface FitResult {
  paragraphs: number
  changed: number
  /** Paragraphs whose breaks were chosen as a whole, lines tracked in them, plans Chromium did not follow. */
  planned: number
  tracked: number
  missed: number
  hyphensDropped: number
  tried: number
  fromCache: boolean
}

/** Every element of the tree, in document order (the numbering both sides agree on). */
function elementsOf(tree: Root): Element[] {
  const out: Element[] = []
  const walk = (node: Root | Element) => {
    for (const child of node.children) {
      if (child.type === 'element') {
        out.push(child)
        walk(child)
      }
    }
  }
  walk(tree)
  return out
}

/** Fit the tree's paragraphs (changed in place). */
export async function fitParagraphs(tree: Root, options: FitOptions): Promise<FitResult> {
  const elements = elementsOf(tree)
  // The measuring copy: every element numbered; footnotes shown apart, at the same width.
  const stamped = structuredClone(tree)
  elementsOf(stamped).forEach((element, i) => (element.properties.dataFit = i))
  const html = toHtml(stamped)
  const sheets = ['fonts.css', 'page.css', 'print.css'].map((name) => readFileSync(path.join(options.printDir, name), 'utf8'))
  const loose = options.loose ?? 1.35
  const script = readFileSync(path.join(here, 'fit-page.js'), 'utf8')
  const key = sha256(script, html, ...sheets, String(options.widthPt), String(loose), JSON.stringify(breaking))
  let result = options.cache?.get<FitOutcome>('print-fit', key)
  const fromCache = result !== undefined
  if (!result) {
    const measuring = `html { width: auto !important; } body { width: ${options.widthPt}pt !important; margin: 0 !important; padding: 0 !important; }
.footnote { display: none !important; }
#reader-fit-notes .footnote { display: block !important; }`
    const file = path.join(options.printDir, 'fit.html')
    writeFileSync(file, '<!doctype html>\n' + html.replace('</head>', `<style>${measuring}</style></head>`))
    const blocked: string[] = []
    let crashed: Error | undefined
    let page: Awaited<ReturnType<typeof openPrintPage>> | undefined
    try {
      page = await openPrintPage(options.browser, options.printDir, blocked, (error) => (crashed = error))
      await page.goto(pathToFileURL(file).href, {waitUntil: 'load', timeout: 0})
      await page.evaluate(() => document.fonts.ready.then(() => undefined))
      await page.addScriptTag({content: script})
      result = (await page.evaluate(
        (settings) => (window as unknown as {readerFit: (s: unknown) => FitOutcome}).readerFit(settings),
        {loose, run: 2, ...breaking}
      )) as FitOutcome
      if (crashed) throw crashed
    } catch (error) {
      // A browser that crashed or was killed under the page: said as the pagination says it.
      if (crashed) throw crashed
      if (error instanceof ReaderError) throw error
      throw new ReaderError(`The browser failed while fitting paragraphs: ${String((error as Error)?.message || error).split('\n')[0]}`, {ruleId: 'render-crash'})
    } finally {
      await page?.close().catch(() => {})
      rmSync(file, {force: true})
    }
    options.cache?.put('print-fit', key, result)
  }
  const marks = new Map<Text, Set<number>>()
  // Spans first (they keep the text as it is, so the offsets hold), then the soft hyphens taken out.
  for (const decision of result.decisions) {
    const element = elements[decision.fit]
    if (!decision.spans?.length || !element) continue
    wrapSpans(element, decision.spans)
  }
  for (const decision of result.decisions) {
    const element = elements[decision.fit]
    if (!element) continue
    if (decision.style) {
      const before = typeof element.properties.style === 'string' ? element.properties.style.trim().replace(/;$/, '') : ''
      element.properties.style = before ? `${before}; ${decision.style}` : decision.style
    }
    // (Marked first, taken out after: an element's soft hyphens are counted in its text as it was,
    // though another decision's element lies inside it, a note inside its paragraph.)
    if (decision.drop.length) dropSoftHyphens(element, new Set(decision.drop), marks)
  }
  // Where the chosen lines start, in the text as it will print: the soft hyphens taken out before
  // each start (the breaks at three letters not chosen, a note's inside the paragraph) counted off.
  for (const decision of result.decisions) {
    const element = elements[decision.fit]
    if (!element || !decision.starts?.length) continue
    const removed: number[] = []
    let offset = 0
    const walk = (node: Element) => {
      for (const child of node.children) {
        if (child.type === 'element') walk(child)
        else if (child.type === 'text') {
          for (const i of marks.get(child as Text) ?? []) removed.push(offset + i)
          offset += (child as Text).value.length
        }
      }
    }
    walk(element)
    element.properties.dataFitStarts = decision.starts.map((start) => start - removed.filter((at) => at < start).length).join(' ')
  }
  const hyphensDropped = takeOut(marks)
  return {paragraphs: result.paragraphs, changed: result.decisions.length, planned: result.planned, tracked: result.tracked, missed: result.missed, hyphensDropped, tried: result.tried, fromCache}
}

/** Mark the soft hyphens of `element` at these places in its text (counted in document order) to be taken out. */
function dropSoftHyphens(element: Element, places: Set<number>, marks: Map<Text, Set<number>>): void {
  let n = 0
  const walk = (node: Element) => {
    for (const child of node.children) {
      if (child.type === 'element') walk(child)
      else if (child.type === 'text') {
        const value = (child as Text).value
        for (let i = 0; i < value.length; i++) {
          if (value[i] !== '\u00AD' || !places.has(n++)) continue
          let marked = marks.get(child as Text)
          if (!marked) marks.set(child as Text, (marked = new Set()))
          marked.add(i)
        }
      }
    }
  }
  walk(element)
}

/** The soft hyphens marked (by dropSoftHyphens) taken out; how many. */
function takeOut(marks: Map<Text, Set<number>>): number {
  let dropped = 0
  for (const [text, places] of marks) {
    text.value = Array.from(text.value, (c, i) => (places.has(i) ? '' : c)).join('')
    dropped += places.size
  }
  return dropped
}

/**
 * Wrap pieces of `element`'s text in spans with their own style: `[from, to)` offsets in the
 * element's text (all its text nodes, in document order), each piece within one text node of the
 * page the fitting pass measured (a node here may be split differently: pieces are cut where they fall).
 */
function wrapSpans(element: Element, spans: Array<[number, number, string]>): void {
  let n = 0
  const walk = (node: Element) => {
    const out: Element['children'] = []
    for (const child of node.children) {
      if (child.type === 'element') {
        walk(child)
        out.push(child)
        continue
      }
      if (child.type !== 'text') {
        out.push(child)
        continue
      }
      const text = (child as Text).value
      const start = n
      n += text.length
      const mine = spans.filter(([a, b]) => a < start + text.length && b > start).sort((x, y) => x[0] - y[0])
      let at = 0
      for (const [a, b, style] of mine) {
        const from = Math.max(a - start, at)
        const to = Math.min(b - start, text.length)
        if (to <= from) continue
        if (from > at) out.push({type: 'text', value: text.slice(at, from)})
        out.push({type: 'element', tagName: 'span', properties: {style, dataFitLine: ''}, children: [{type: 'text', value: text.slice(from, to)}]})
        at = to
      }
      if (at < text.length) out.push(at ? {type: 'text', value: text.slice(at)} : child)
    }
    node.children = out
  }
  walk(element)
}
