/**
 * Page make-up measured from the PDF, what the typesetting report (typeset-report.ts: facing
 * baselines, short pages) does not: how much empty space a page leaves above its footnotes that
 * they could have used, and which pages that go on with a part begin below their text area’s top
 * (a heading that kept its space above).
 *
 * The words come from `pdftotext -bbox` (each word’s box), sorted into body and footnotes by the
 * page’s text area (`PageStart.area`, kept by the pagination). A word’s box runs from the face’s
 * ascent to its descent, so its baseline is `yMax − descent × height` (`share`: the face’s
 * descent’s share of the box, typeset-report.ts’s `faceDescent`).
 */
import type {PageStart} from '../model.ts'
import {boxWordsByPage} from './text-compare.ts'

/** One text line of a page: its baseline and the top of its tallest word, in points from the page’s top. */
export interface Line {
  baseline: number
  top: number
  /** The type size the line’s words were set in (from their boxes). */
  size: number
  text: string
}

export interface PageMakeup {
  index: number
  label: string
  body: Line[]
  notes: Line[]
  /** The baseline of the page’s last line (body or footnote); null on a page with no text. */
  bottom: number | null
  /** The page is the last before a part opens (or the book ends): it may run short. */
  beforeOpener: boolean
  /** Lines of body type the page could still hold below its body and above its footnotes (or foot). */
  emptyLines: number
  /** How far the page’s first line begins below the top of its text area, in points. */
  topSpace: number | null
}

export interface Makeup {
  pages: PageMakeup[]
  /** The body’s line spacing (the most common distance between body baselines). */
  leading: number
  /** A full page’s last baseline: the one most pages end on. */
  depth: number
  /** Pages that go on with a part but begin lower than their text area’s top (half a line or more). */
  lowered: Array<{index: number; space: number}>
}

/**
 * The lines of a list of word boxes: words whose baselines lie within a third of their size of
 * each other share a line (a raised note call sits on the line of its text).
 */
function linesOf(words: Array<{baseline: number; top: number; size: number; text: string; x: number}>): Line[] {
  const lines: Array<Line & {words: typeof words}> = []
  for (const word of [...words].sort((a, b) => b.size - a.size || a.baseline - b.baseline)) {
    const line = lines.find((l) => Math.abs(l.baseline - word.baseline) < l.size / 3 || (word.size < 0.8 * l.size && word.baseline < l.baseline && word.baseline > l.top))
    if (line) line.words.push(word)
    else lines.push({baseline: word.baseline, top: word.top, size: word.size, text: '', words: [word]})
  }
  return lines
    .map(({words, ...line}) => ({...line, top: Math.min(...words.map((w) => w.top)), text: words.sort((a, b) => a.x - b.x).map((w) => w.text).join(' ')}))
    .sort((a, b) => a.baseline - b.baseline)
}

/**
 * Measure the page make-up of a PDF: `bbox` is `pdftotext -bbox` of it, `starts` its pages as the
 * pagination left them, `openers` the indexes of the pages a part opens on, `share` the descent’s
 * share of a word box (faceDescent).
 */
export function measureMakeup(bbox: string, starts: PageStart[], openers: Set<number>, share = 0.25): Makeup {
  const byPage = boxWordsByPage(bbox)
  const pages: PageMakeup[] = starts.map((start) => {
    const area = start.area
    const body: Parameters<typeof linesOf>[0] = []
    const notes: Parameters<typeof linesOf>[0] = []
    for (const word of area ? (byPage[start.index] ?? []) : []) {
      const middle = (word.yMin + word.yMax) / 2
      if (middle < area![0] || middle > area![1]) continue
      const height = word.yMax - word.yMin
      const entry = {baseline: word.yMax - share * height, top: word.yMin, size: height, text: word.text, x: word.xMin}
      ;(middle >= area![2] ? notes : body).push(entry)
    }
    const bodyLines = linesOf(body)
    const noteLines = linesOf(notes)
    const all = [...bodyLines, ...noteLines]
    return {
      index: start.index,
      label: start.label,
      body: bodyLines,
      notes: noteLines,
      bottom: all.length ? Math.max(...all.map((l) => l.baseline)) : null,
      beforeOpener: false,
      emptyLines: 0,
      topSpace: bodyLines.length ? Math.round((bodyLines[0].top - area![0]) * 100) / 100 : null
    }
  })
  // A page is before an opener when the next page with text opens a part (blank pages between).
  for (let i = pages.length - 1, next = true; i >= 0; i--) {
    pages[i].beforeOpener = next
    if (pages[i].bottom !== null) next = openers.has(i)
    else if (openers.has(i)) next = true
  }
  const gaps = new Map<number, number>()
  for (const page of pages) {
    for (let i = 1; i < page.body.length; i++) {
      if (Math.abs(page.body[i].size - page.body[i - 1].size) > 0.1) continue
      const gap = Math.round((page.body[i].baseline - page.body[i - 1].baseline) * 10) / 10
      gaps.set(gap, (gaps.get(gap) ?? 0) + 1)
    }
  }
  // Chromium puts baselines on whole pixels (13.6 pt lines come 13.5 and 14.25 pt apart): the
  // leading is that of pages set solid in one size, first baseline to last over their lines.
  const mode = [...gaps.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 12
  const solid = pages
    .filter((p) => p.body.length >= 10 && p.body.every((l, i) => Math.abs(l.size - p.body[0].size) < 0.1 && (i === 0 || Math.abs(l.baseline - p.body[i - 1].baseline - mode) <= 1)))
    .map((p) => (p.body[p.body.length - 1].baseline - p.body[0].baseline) / (p.body.length - 1))
    .sort((a, b) => a - b)
  const leading = solid.length ? solid[Math.floor(solid.length / 2)] : mode
  // The full depth: the last baseline most pages reach (pages before an opener left out).
  const bottoms = new Map<number, number>()
  for (const page of pages) if (page.bottom !== null && !page.beforeOpener) bottoms.set(Math.round(page.bottom), (bottoms.get(Math.round(page.bottom)) ?? 0) + 1)
  const common = [...bottoms.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0]
  const depth = common === undefined ? 0 : Math.max(...pages.filter((p) => p.bottom !== null && Math.abs(p.bottom - common) <= 0.5).map((p) => p.bottom!))
  // The least space seen between a body’s last baseline and its first footnote line’s top: what the
  // footnote rule and its spaces take; more than that is room the notes could have used.
  const separations = pages.filter((p) => p.body.length && p.notes.length).map((p) => p.notes[0].top - p.body[p.body.length - 1].baseline)
  const separation = separations.length ? Math.min(...separations) : 0
  for (const page of pages) {
    if (!page.body.length || page.beforeOpener) continue
    const last = page.body[page.body.length - 1].baseline
    const room = page.notes.length ? page.notes[0].top - last - separation : depth - last
    page.emptyLines = Math.max(0, Math.floor((room + 0.5) / leading * 100) / 100)
  }
  // A page begins at its text area’s top, less the space above its first line’s type (most pages’ own).
  const tops = pages.filter((p) => p.topSpace !== null && !openers.has(p.index)).map((p) => p.topSpace!).sort((a, b) => a - b)
  const usual = tops.length ? tops[Math.floor(tops.length / 2)] : 0
  const lowered = pages
    .filter((p) => p.topSpace !== null && !openers.has(p.index) && p.topSpace - usual >= leading / 2)
    .map((p) => ({index: p.index, space: Math.round((p.topSpace! - usual) * 10) / 10}))
  return {pages, leading, depth, lowered}
}
