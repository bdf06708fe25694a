/**
 * The typesetting figures of a PDF, read from where its words lie (`pdftotext -bbox`) and the
 * pagination the build wrote beside it (`<slug>.pages.json`: each page's text area, so running
 * heads and folios are told from the text, and footnotes from the body):
 *
 * - hyphenated lines: lines that end in a hyphen, of all lines of text (body and notes); the longest
 *   run of them in a row; words broken at a hyphen the pipeline offered that are capitalised, under
 *   six letters, or leave fewer than three letters on a side; pages whose last line ends in one;
 * - page make-up: the difference between the last baselines of facing pages of running text,
 *   pages short by more than a line, the largest empty space at a page's foot (in lines), pages
 *   set in two columns whose columns do not end level (on a page the part goes on from) or are
 *   not balanced (on its last page), and what a page carries alone (a paragraph's single line, a
 *   list's first or last item: what the pagination found, `PageStart.alone`);
 * - loose lines: justified lines whose word space exceeds 1.6 × the median word space of lines of
 *   their size;
 * - the measure: characters (letters, spaces and punctuation) of a full line of running text.
 *
 * A page of running text has a running head; an opening page has none; a blank page no words.
 * The last page of a part (the one before an opening or blank page) may end short; a page the
 * part goes on from (an opening page too) ends on the full depth.
 */
import {execFile} from 'node:child_process'
import {promisify} from 'node:util'
import * as fontkit from 'fontkit'
import type {PageStart} from '../model.ts'
import {bookFace} from '../fonts.ts'
import {boxWordsByPage, lines as joinLines, type BoxWord} from './text-compare.ts'

const run = promisify(execFile)

/** The limits a page must keep (issue 17's, a university press's). */
export const limits = {
  /** Lines that end in a hyphen, of all lines: less than this. */
  hyphenatedShare: 0.08,
  /** Hyphenated lines in a row, at most. */
  hyphenRun: 2,
  /** A justified line's word space, at most this times the median of lines of its size. */
  looseRatio: 1.6,
  /** The measure of running text, in characters. */
  measure: [62, 70] as [number, number],
  /** Facing pages' last baselines may differ by this much (points). */
  facingDifference: 0.5,
  /** A page of running text (not the last of its part) may end this many lines short. */
  shortLines: 1,
  /** The empty space at a page's foot, in lines, at most. */
  emptyFootLines: 3,
  /** The columns of a two-column page a part goes on from end this close (points). */
  columnDifference: 0.5,
  /** The columns of a part's last two-column page end within this many of their lines. */
  balancedLines: 2
}

/** A line of text on a page: its words left to right, where it lies, and which stream it is in. */
export interface Line {
  page: number
  stream: 'body' | 'notes'
  words: BoxWord[]
  text: string
  xMin: number
  xMax: number
  /** Estimated baseline, points from the page's top edge. */
  baseline: number
  /** The height of its tallest word box (the type size × the face's ascent + descent). */
  height: number
  /** Reaches the right edge of its column. */
  full: boolean
  /** Starts at the left edge of its column (not indented). */
  flushLeft: boolean
  /** Its column, from the left (0 on a page of one column). */
  column: number
}

export interface Break {
  page: number
  label: string
  /** The word as broken: `Pet‐rograd`. */
  word: string
  /** The hyphen is one the pipeline offered (a soft hyphen), not the word's own. */
  soft: boolean
}

export interface TypesetReport {
  pages: number
  lines: number
  hyphenated: number
  /** Hyphenated lines at a soft hyphen (the rest break at a word's own hyphen: `Seventy-` `five`). */
  hyphenatedSoft: number
  hyphenatedShare: number
  longestRun: {length: number; page?: string}
  runsOverLimit: Array<{page: string; length: number}>
  capitalised: Break[]
  short: Break[]
  /** Pages whose last line of body or notes ends in a hyphen. */
  hyphenAtFoot: string[]
  facing: Array<{pages: [string, string]; difference: number}>
  largestFacing: {pages?: [string, string]; difference: number}
  shortPages: Array<{page: string; lines: number}>
  largestEmptyFoot: {page?: string; lines: number}
  /**
   * Two-column pages: how far apart their columns' last baselines are (points; `lines`: in the
   * columns' own line spacing), and whether the page is its part's last (its columns balanced, not filled).
   */
  columns: Array<{page: string; difference: number; lines: number; last: boolean}>
  /** Two-column pages a part goes on from whose columns end apart, and last pages whose columns are not balanced. */
  unlevelColumns: Array<{page: string; difference: number; lines: number; last: boolean}>
  /** What pages carry alone, or under their foot (from the pagination, and widows and orphans from the PDF): `p. 19: first item: …`. */
  alone: string[]
  medianWordSpace: number
  loose: Array<{page: string; wordSpace: number; ratio: number; text: string}>
  measure: {average: number; lines: number}
}

/** The descent of the book face as a share of its line box (ascent + descent): baselines from word boxes. */
export function faceDescent(): number {
  const regular = bookFace().files.find((f) => f.style === 'normal' && f.weight === 400) ?? bookFace().files[0]
  const font = fontkit.openSync(regular.path) as unknown as {ascent: number; descent: number}
  return -font.descent / (font.ascent - font.descent)
}

/** Read a PDF's words and report on them (`starts`: the pagination's pages, with their text areas). */
export async function typesetReportOf(pdf: string, starts: PageStart[]): Promise<TypesetReport> {
  const {stdout} = await run('pdftotext', ['-bbox', pdf, '-'], {maxBuffer: 256 * 1024 * 1024, encoding: 'utf8'})
  return typesetReport(stdout, starts, {descent: faceDescent()})
}

const median = (values: number[]): number => {
  if (!values.length) return 0
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
const round = (n: number, places = 1) => Math.round(n * 10 ** places) / 10 ** places
const letters = (text: string) => (text.match(/[\p{L}\p{M}]/gu) ?? []).length
/** The hyphen a taken soft hyphen extracts as (U+2010), or a word's own. */
const endsInHyphen = (text: string) => /[\p{L}\p{M}][\u2010-]$/u.test(text)

interface Page {
  index: number
  label: string
  kind: 'blank' | 'opening' | 'text'
  lines: Line[]
  area: [number, number, number]
}

/** `bbox`: `pdftotext -bbox` of the PDF; `descent`: the face's descent as a share of its line box. */
export function typesetReport(bbox: string, starts: PageStart[], options: {descent: number}): TypesetReport {
  const byPage = boxWordsByPage(bbox)
  const pageCount = Math.max(byPage.length, starts.length)
  const pages: Page[] = []
  for (let index = 0; index < pageCount; index++) {
    const label = starts[index]?.label || String(index + 1)
    const area = starts[index]?.area
    const all = byPage[index] ?? []
    if (!area || !all.length) {
      pages.push({index, label, kind: 'blank', lines: [], area: area ?? [0, 0, 0]})
      continue
    }
    const middle = (w: BoxWord) => (w.yMin + w.yMax) / 2
    const head = all.some((w) => middle(w) < area[0])
    const body = all.filter((w) => middle(w) >= area[0] && middle(w) <= area[1] && middle(w) < area[2])
    const notes = all.filter((w) => middle(w) >= area[0] && middle(w) <= area[1] && middle(w) >= area[2])
    const lines = [...pageLines(body, index, 'body', options.descent), ...pageLines(notes, index, 'notes', options.descent)]
    pages.push({index, label, kind: !lines.length ? 'blank' : head ? 'text' : 'opening', lines, area})
  }

  // Hyphens: every line, in reading order, body and notes apart.
  const all = pages.flatMap((p) => p.lines)
  const hyphenated = all.filter((l) => endsInHyphen(l.text))
  const capitalised: Break[] = []
  const short: Break[] = []
  for (const stream of ['body', 'notes'] as const) {
    const sequence = all.filter((l) => l.stream === stream)
    sequence.forEach((line, i) => {
      if (!endsInHyphen(line.text)) return
      const last = line.words[line.words.length - 1].text
      const next = sequence[i + 1]?.words[0]?.text ?? ''
      const soft = last.endsWith('\u2010')
      const before = last.slice(0, -1).split(/[-\u2010\s]/).pop() ?? ''
      const after = next.split(/[-\u2010]/)[0]
      const whole = (before + after).replace(/[^\p{L}\p{M}]/gu, '')
      const found: Break = {page: line.page, label: pages[line.page].label, word: `${before}‐${after.replace(/[^\p{L}\p{M}]+$/u, '')}`, soft}
      if (!soft) return
      if (/\p{Lu}/u.test(whole)) capitalised.push(found)
      if (letters(whole) < 6 || letters(before) < 3 || letters(after) < 3) short.push(found)
    })
  }
  const runs: Array<{page: string; length: number}> = []
  for (const stream of ['body', 'notes'] as const) {
    let length = 0
    let start = ''
    for (const line of all.filter((l) => l.stream === stream)) {
      if (endsInHyphen(line.text)) {
        if (!length) start = pages[line.page].label
        length++
      } else {
        if (length) runs.push({page: start, length})
        length = 0
      }
    }
    if (length) runs.push({page: start, length})
  }
  const longest = runs.reduce((a, b) => (b.length > a.length ? b : a), {page: undefined as string | undefined, length: 0})
  const hyphenAtFoot = pages
    .filter((p) => ['body', 'notes'].some((s) => {
      const list = p.lines.filter((l) => l.stream === s)
      return list.length > 0 && endsInHyphen(list[list.length - 1].text)
    }))
    .map((p) => p.label)

  // Page make-up: pages of running text, and which are the last of their part.
  // The body's line pitch: the usual step between one body line and the next on a page.
  const steps = pages.flatMap((p) => {
    const body = p.lines.filter((l) => l.stream === 'body')
    return body.slice(1).map((l, i) => l.baseline - body[i].baseline)
  })
  const leading = median(steps.filter((d) => d > 6 && d < 24)) || 12
  const isText = (p?: Page) => p?.kind === 'text'
  const lastOfPart = (p: Page) => !isText(pages[p.index + 1])
  const lastBaseline = (p: Page) => Math.max(...p.lines.map((l) => l.baseline))
  // (An opening page the part goes on from is filled too.)
  const runningPages = pages.filter((p) => (isText(p) || p.kind === 'opening') && !lastOfPart(p))
  const fullDepth = median(runningPages.map(lastBaseline))
  const facing: TypesetReport['facing'] = []
  for (const verso of runningPages) {
    // Page 1 is a recto: a spread is an even page (odd index) and the page after it.
    const recto = pages[verso.index + 1]
    if (verso.index % 2 !== 1 || !recto || !runningPages.includes(recto)) continue
    facing.push({pages: [verso.label, recto.label], difference: round(Math.abs(lastBaseline(verso) - lastBaseline(recto)), 2)})
  }
  const largestFacing = facing.reduce((a, b) => (b.difference > a.difference ? b : a), {pages: undefined as [string, string] | undefined, difference: 0})
  const shortPages = runningPages
    .map((p) => ({page: p.label, lines: round((fullDepth - lastBaseline(p)) / leading)}))
    .filter((s) => s.lines > limits.shortLines)
  const largestEmptyFoot = runningPages
    .map((p) => ({page: p.label, lines: round(Math.max(0, fullDepth - lastBaseline(p)) / leading)}))
    .reduce((a, b) => (b.lines > a.lines ? b : a), {page: undefined as string | undefined, lines: 0})
  const columns = pages
    .filter((p) => p.lines.some((l) => l.stream === 'body' && l.column === 1))
    .map((p) => {
      const body = p.lines.filter((l) => l.stream === 'body')
      const [left, right] = [0, 1].map((c) => body.filter((l) => l.column === c))
      const pitch = median([...left.slice(1).map((l, i) => l.baseline - left[i].baseline), ...right.slice(1).map((l, i) => l.baseline - right[i].baseline)]) || leading
      const difference = round(Math.abs(Math.max(...left.map((l) => l.baseline)) - Math.max(...right.map((l) => l.baseline))), 2)
      return {page: p.label, difference, lines: round(difference / pitch), last: lastOfPart(p)}
    })
  const unlevelColumns = columns.filter((c) => (c.last ? c.lines > limits.balancedLines : c.difference > limits.columnDifference))
  const told = starts.flatMap((s) => (s.alone ?? []).map((what) => `p. ${s.label}: ${what}`))
  // (What both find, once: as the pagination names it.)
  const seen = (found: string) => told.some((t) => t.startsWith(found.replace(/ \(PDF\):.*/, ':')))
  const alone = [...told, ...loneLines(pages, runningPages).filter((found) => !seen(found))]

  // Word spaces of justified lines (full, more than one gap, gaps alike: not a contents line), by size.
  const spaced = all
    .filter((l) => l.full && l.words.length >= 3)
    .map((l) => ({line: l, space: lineSpace(l)}))
    .filter((s): s is {line: Line; space: number} => s.space !== undefined)
  const sizeOf = (l: Line) => Math.round(l.height * 2) / 2
  const medians = new Map<number, number>()
  for (const size of new Set(spaced.map((s) => sizeOf(s.line)))) medians.set(size, median(spaced.filter((s) => sizeOf(s.line) === size).map((s) => s.space)))
  const bodySize = sizeOf(mostCommon(all.filter((l) => l.stream === 'body')) ?? all[0] ?? ({height: 0} as Line))
  const loose = spaced
    .map((s) => ({...s, ratio: s.space / medians.get(sizeOf(s.line))!}))
    .filter((s) => s.ratio > limits.looseRatio)
    .map((s) => ({page: pages[s.line.page].label, wordSpace: round(s.space, 2), ratio: round(s.ratio, 2), text: s.line.text}))

  // The measure: full, flush-left lines of running text at the body size.
  const measured = all.filter((l) => l.stream === 'body' && l.full && l.flushLeft && l.words.length >= 4 && sizeOf(l) === bodySize)
  const characters = measured.map((l) => l.words.reduce((n, w) => n + [...w.text].length, 0) + l.words.length - 1)

  return {
    pages: pageCount,
    lines: all.length,
    hyphenated: hyphenated.length,
    hyphenatedSoft: hyphenated.filter((l) => l.text.endsWith('\u2010')).length,
    hyphenatedShare: all.length ? hyphenated.length / all.length : 0,
    longestRun: longest,
    runsOverLimit: runs.filter((r) => r.length > limits.hyphenRun),
    capitalised,
    short,
    hyphenAtFoot,
    facing,
    largestFacing,
    shortPages,
    largestEmptyFoot,
    columns,
    unlevelColumns,
    alone,
    medianWordSpace: round(medians.get(bodySize) ?? 0, 2),
    loose,
    measure: {average: round(characters.reduce((a, b) => a + b, 0) / (characters.length || 1)), lines: characters.length}
  }
}

/**
 * A paragraph's single line alone over a page, read from the PDF (what the pagination says it
 * carries is taken too): a page the part goes on from ending in a paragraph's indented, full
 * first line after a line that ends one (or after a heading), its next page going on flush left
 * (an orphan); a page beginning with a short, flush-left line in the size of the full line that
 * ended the page before, a new paragraph or a heading after it (a widow). Pages in two columns
 * are left out.
 */
function loneLines(pages: Page[], running: Page[]): string[] {
  const body = (p?: Page) => (p && !p.lines.some((l) => l.column > 0) ? p.lines.filter((l) => l.stream === 'body') : [])
  const alike = (a: Line, b: Line) => Math.abs(a.height - b.height) < 0.3
  const words = (line: Line) => line.words.slice(0, 6).map((w) => w.text).join(' ')
  const found: string[] = []
  for (const page of running) {
    const lines = body(page)
    const next = body(pages[page.index + 1])
    if (lines.length < 2 || !next.length) continue
    const [before, last] = lines.slice(-2)
    if (last.full && !last.flushLeft && alike(before, last) && alike(last, next[0]) && next[0].flushLeft && (!before.full || !alike(before, last)))
      found.push(`p. ${page.label}: orphan (PDF): ${words(last)}`)
    const first = next[0]
    const after = next[1]
    if (alike(last, first) && last.full && first.flushLeft && !first.full && first.words.length > 0 && (!after || !after.flushLeft || !alike(first, after)))
      found.push(`p. ${pages[page.index + 1].label}: widow (PDF): ${words(first)}`)
  }
  return found
}

/** The size most lines have. */
function mostCommon(lines: Line[]): Line | undefined {
  const counts = new Map<number, {n: number; line: Line}>()
  for (const line of lines) {
    const key = Math.round(line.height * 2) / 2
    const entry = counts.get(key) ?? {n: 0, line}
    entry.n++
    counts.set(key, entry)
  }
  return [...counts.values()].sort((a, b) => b.n - a.n)[0]?.line
}

/** A justified line's word space: its median gap, or undefined when its gaps are not alike (a contents line, a table). */
function lineSpace(line: Line): number | undefined {
  const gaps = line.words.slice(1).map((w, i) => w.xMin - line.words[i].xMax)
  // Justification widens every space of a line alike; a contents line's gap before its page
  // number, or a table's between columns, does not.
  if (Math.max(...gaps) > 2 * Math.min(...gaps) + 1.5) return undefined
  return median(gaps)
}

/**
 * A page's lines in one stream, split into columns where a gap runs down the page (a two-column
 * index), each marked full (reaches its column's right edge) and flush left.
 */
function pageLines(words: BoxWord[], page: number, stream: 'body' | 'notes', descent: number): Line[] {
  if (!words.length) return []
  const joined = joinLines(words)
  const columns = gutter(joined)
  const out: Line[] = []
  for (const [column, [from, to]] of columns.entries()) {
    const pieces = joined.map((line) => line.filter((w) => w.xMin >= from - 0.5 && w.xMin < to)).filter((line) => line.length)
    const left = Math.min(...pieces.map((l) => l[0].xMin))
    const right = Math.max(...pieces.map((l) => l[l.length - 1].xMax))
    for (const piece of pieces) {
      const height = Math.max(...piece.map((w) => w.yMax - w.yMin))
      const tallest = piece.find((w) => w.yMax - w.yMin === height)!
      out.push({
        page,
        stream,
        words: piece,
        text: piece.map((w) => w.text).join(' '),
        xMin: piece[0].xMin,
        xMax: piece[piece.length - 1].xMax,
        baseline: tallest.yMax - descent * height,
        height,
        full: piece[piece.length - 1].xMax >= right - 0.75,
        flushLeft: piece[0].xMin <= left + 0.75,
        column
      })
    }
  }
  return out.sort((a, b) => a.baseline - b.baseline || a.xMin - b.xMin)
}

/**
 * The page's columns: [from, to) x ranges, split where, in the middle third, the fewest of its
 * lines cross (text-compare.ts `lines` gives two columns' lines apart, and a column spaced out to
 * the full depth has its lines off the other's), when three lines at least lie wholly on each side,
 * no more than a third cross, and the second is a column of text, not of page numbers (the
 * contents'); lines across the gutter (a heading, the index's note) count with the first column.
 */
function gutter(lines: BoxWord[][]): Array<[number, number]> {
  const left = Math.min(...lines.map((l) => l[0].xMin))
  const right = Math.max(...lines.map((l) => l[l.length - 1].xMax))
  const width = right - left
  if (lines.length < 6 || width <= 0) return [[-Infinity, Infinity]]
  // (A gutter at least 8 pt wide: every word kept 4 pt off it.)
  const crosses = (line: BoxWord[], x: number) => line.some((w) => w.xMin - 4 < x && w.xMax + 4 > x)
  let best: {x: number; crossing: number} | undefined
  for (let x = left + width / 3; x <= left + (2 * width) / 3; x += 0.5) {
    const crossing = lines.filter((l) => crosses(l, x)).length
    if (!best || crossing < best.crossing) best = {x, crossing}
  }
  if (!best || best.crossing > lines.length / 3) return [[-Infinity, Infinity]]
  const middle = best.x
  const rightHand = lines.filter((l) => l[0].xMin > middle)
  const leftHand = lines.filter((l) => l[l.length - 1].xMax < middle)
  const beyond = rightHand.flat()
  const wide = beyond.length > 0 && Math.max(...beyond.map((w) => w.xMax)) - Math.min(...beyond.map((w) => w.xMin)) >= width / 4
  return wide && rightHand.length >= 3 && leftHand.length >= 3 ? [[-Infinity, middle], [middle, Infinity]] : [[-Infinity, Infinity]]
}

/** Is each figure within its limit. */
export function verdicts(report: TypesetReport): Array<{figure: string; limit: string; value: string; ok: boolean}> {
  const pct = (n: number) => `${round(n * 100)} %`
  const list = <T>(items: T[], show: (t: T) => string, max = 4) => items.slice(0, max).map(show).join(', ') + (items.length > max ? ` …(${items.length})` : '')
  return [
    {figure: 'hyphenated lines', limit: `< ${pct(limits.hyphenatedShare)}`, value: `${pct(report.hyphenatedShare)} (${report.hyphenated} of ${report.lines}; ${report.hyphenatedSoft} at a soft hyphen)`, ok: report.hyphenatedShare < limits.hyphenatedShare},
    {figure: 'longest hyphen run', limit: `≤ ${limits.hyphenRun}`, value: `${report.longestRun.length}${report.longestRun.page ? ` (p. ${report.longestRun.page})` : ''}${report.runsOverLimit.length ? `; ${report.runsOverLimit.length} over` : ''}`, ok: report.longestRun.length <= limits.hyphenRun},
    {figure: 'capitalised words hyphenated', limit: '0', value: `${report.capitalised.length}${report.capitalised.length ? ': ' + list(report.capitalised, (b) => `${b.word} (${b.label})`) : ''}`, ok: report.capitalised.length === 0},
    {figure: 'short breaks (< 6 letters, < 3 a side)', limit: '0', value: `${report.short.length}${report.short.length ? ': ' + list(report.short, (b) => `${b.word} (${b.label})`) : ''}`, ok: report.short.length === 0},
    {figure: 'hyphen on a page’s last line', limit: '0', value: `${report.hyphenAtFoot.length}${report.hyphenAtFoot.length ? ': pp. ' + list(report.hyphenAtFoot, String) : ''}`, ok: report.hyphenAtFoot.length === 0},
    {figure: 'facing-page baseline difference', limit: `≤ ${limits.facingDifference} pt`, value: `${report.largestFacing.difference} pt${report.largestFacing.pages ? ` (pp. ${report.largestFacing.pages.join('/')})` : ''}; ${report.facing.filter((f) => f.difference > limits.facingDifference).length} of ${report.facing.length} spreads differ`, ok: report.largestFacing.difference <= limits.facingDifference},
    {figure: 'short pages (> 1 line short)', limit: '0', value: `${report.shortPages.length}${report.shortPages.length ? ': ' + list(report.shortPages, (s) => `p. ${s.page} (${s.lines})`) : ''}`, ok: report.shortPages.length === 0},
    {figure: 'largest empty space at a page foot', limit: `≤ ${limits.emptyFootLines} lines`, value: `${report.largestEmptyFoot.lines} lines${report.largestEmptyFoot.page ? ` (p. ${report.largestEmptyFoot.page})` : ''}`, ok: report.largestEmptyFoot.lines <= limits.emptyFootLines},
    {
      figure: 'two-column pages: columns level',
      limit: `≤ ${limits.columnDifference} pt (last: ${limits.balancedLines} lines)`,
      value: report.columns.length
        ? `${report.unlevelColumns.length} of ${report.columns.length} pages apart${report.unlevelColumns.length ? ': ' + list(report.unlevelColumns, (c) => `p. ${c.page} (${c.difference} pt)`) : ''}; most ${Math.max(0, ...report.columns.filter((c) => !c.last).map((c) => c.difference))} pt, last page ${Math.max(0, ...report.columns.filter((c) => c.last).map((c) => c.lines))} lines`
        : 'none',
      ok: report.unlevelColumns.length === 0
    },
    {figure: 'a line or list item alone, text under a foot', limit: '0', value: `${report.alone.length}${report.alone.length ? ': ' + list(report.alone, String, 3) : ''}`, ok: report.alone.length === 0},
    {figure: 'loose lines', limit: `≤ ${limits.looseRatio} × median`, value: `${report.loose.length} (median word space ${report.medianWordSpace} pt)${report.loose.length ? ': ' + list(report.loose, (l) => `p. ${l.page} ${l.wordSpace} pt`) : ''}`, ok: report.loose.length === 0},
    {figure: 'measure', limit: `${limits.measure[0]}–${limits.measure[1]} characters`, value: `${report.measure.average} characters (${report.measure.lines} full lines)`, ok: report.measure.average >= limits.measure[0] && report.measure.average <= limits.measure[1]}
  ]
}

/** The report as a table for a terminal. */
export function formatReport(report: TypesetReport): string {
  const rows = verdicts(report)
  const width = Math.max(...rows.map((r) => r.figure.length))
  const limitWidth = Math.max(...rows.map((r) => r.limit.length))
  return [`Typesetting, ${report.pages} pages, ${report.lines} lines of text:`, ...rows.map((r) => `  ${r.ok ? '✓' : '✗'} ${r.figure.padEnd(width)}  ${r.limit.padEnd(limitWidth)}  ${r.value}`)].join('\n')
}
