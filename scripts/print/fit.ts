/**
 * Fitting paragraphs before pagination. Chromium sets a justified paragraph a line at a time: a line
 * takes what fits and is stretched, so a long word that cannot be broken (a name, a short word)
 * leaves a loose line, and the hyphens fall where they fall, three or four in a row. This pass lays
 * the print HTML out once in a column of the text block's width (fit-page.js), finds each
 * paragraph with a loose line or a run of more than two hyphenated lines, tries it with word
 * spacing a little tighter or looser (±0.02em, ±0.04em) and without some of the hyphens it took,
 * and writes what reads best into the tree: a `style` on the paragraph, soft hyphens taken out. The
 * text is unchanged; Paged.js then paginates lines that Chromium breaks the same way. The result is
 * kept in the cache under the HTML, the stylesheets and the width: a rebuild does not lay it out again.
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
}

export interface FitResult {
  paragraphs: number
  changed: number
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
  const key = sha256(script, html, ...sheets, String(options.widthPt), String(loose))
  let result = options.cache?.get<{decisions: FitDecision[]; tried: number; paragraphs: number}>('print-fit', key)
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
        (settings) => (window as unknown as {readerFit: (s: unknown) => {decisions: FitDecision[]; tried: number; paragraphs: number}}).readerFit(settings),
        {loose, run: 2}
      )) as {decisions: FitDecision[]; tried: number; paragraphs: number}
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
  let hyphensDropped = 0
  for (const decision of result.decisions) {
    const element = elements[decision.fit]
    if (!element) continue
    if (decision.style) {
      const before = typeof element.properties.style === 'string' ? element.properties.style.trim().replace(/;$/, '') : ''
      element.properties.style = before ? `${before}; ${decision.style}` : decision.style
    }
    if (decision.drop.length) hyphensDropped += dropSoftHyphens(element, new Set(decision.drop))
  }
  return {paragraphs: result.paragraphs, changed: result.decisions.length, hyphensDropped, tried: result.tried, fromCache}
}

/** Take out the soft hyphens of `element` at these places in its text (counted in document order). */
function dropSoftHyphens(element: Element, places: Set<number>): number {
  let n = 0
  let dropped = 0
  const walk = (node: Element) => {
    for (const child of node.children) {
      if (child.type === 'element') walk(child)
      else if (child.type === 'text') {
        let out = ''
        for (const c of (child as Text).value) {
          if (c === '\u00AD') {
            if (places.has(n++)) {
              dropped++
              continue
            }
          }
          out += c
        }
        ;(child as Text).value = out
      }
    }
  }
  walk(element)
  return dropped
}
