/**
 * Every word of the reader HTML in the PDF, in order, and nothing else: the whole text layer
 * compared with its source, so that text lost (or doubled) at a page break, a footnote that did
 * not fit, a line pushed out of the text area — anything the print lost — fails the build.
 *
 * The PDF’s words (`pdftotext -bbox`, page by page) are sorted by where they lie on their page:
 * above or below the text area they are furniture (running heads, folios) and are set aside; in
 * the footnote area they are notes; else body. A word broken at a line end (a soft hyphen drawn as
 * U+2010) is joined again. The reader HTML gives the same two streams: the body in document order,
 * and, when notes are footnotes, each note’s words where it is called (a note called from a note
 * right after the note that calls it), as the print sets them. The streams are compared as words
 * (runs of letters, case folded): digits and punctuation are the print’s own (page numbers, note
 * marks, leaders) and are not compared. What the print stylesheet hides on purpose
 * (`display: none`: the contents’ section entries) is not expected.
 */
import {diffArrays} from 'diff'
import {selectAll} from 'hast-util-select'
import type {Element, Root, RootContent} from 'hast'
import type {PageStart} from '../model.ts'
import {hasClass} from './hast.ts'

export interface Difference {
  kind: 'missing' | 'added' | 'changed' | 'moved'
  /** Where in the PDF: the page’s label (or its number when it has none). */
  page: string
  /** For `moved`: the page the words were expected on. */
  expectedPage?: string
  words: string[]
  /** For `changed`: what the PDF has instead of `words`. */
  printed?: string[]
  /** The words of the reader HTML just before, for finding the place. */
  after: string[]
  stream: 'body' | 'notes'
}

export interface Comparison {
  /** Words of the reader HTML compared. */
  words: number
  differences: Difference[]
  /** Set when the texts differ too much to be compared word by word. */
  unmatched?: boolean
}

interface Token {
  word: string
  /** Physical page index (PDF words). */
  page: number
}

/** Elements the print does not show. */
const unprinted = new Set(['head', 'script', 'style', 'template', 'title'])
const unprintedClasses = ['visually-hidden', 'screen-only', 'epub-only', 'backlink']
const blocks = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'dd', 'div', 'dl', 'dt', 'figcaption', 'figure', 'footer', 'h1', 'h2', 'h3', 'h4',
  'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'table', 'td', 'th', 'tr', 'ul'
])

/** The words of a text: runs of letters (with their marks), case folded, soft hyphens out. */
export function wordsOf(text: string): string[] {
  return (
    text
      .normalize('NFC')
      .replace(/\u00AD/g, '')
      .toLowerCase()
      .match(/[\p{L}\p{M}]+/gu) ?? []
  )
}

/**
 * The elements a stylesheet hides (`display: none`), found in `tree`: what the design leaves out
 * of print on purpose (the contents’ section entries, say). Selectors hast-util-select does not
 * know (pseudo-elements) are passed over.
 */
export function hiddenBy(css: string, tree: Root): Set<Element> {
  const selectors: string[] = []
  const rules = css.replace(/\/\*[\s\S]*?\*\//g, '')
  for (const match of rules.matchAll(/([^{}@;]+)\{([^{}]*)\}/g)) {
    if (!/(^|;|\s)display\s*:\s*none\b/.test(match[2])) continue
    for (const selector of match[1].split(',')) {
      try {
        selectAll(selector.trim(), {type: 'root', children: []})
        selectors.push(selector.trim())
      } catch {}
    }
  }
  // One walk of the tree for all of them.
  return new Set(selectors.length ? selectAll(selectors.join(', '), tree) : [])
}

/** The reader HTML as the print sets it: body words, and note words in the order they are called. */
export function readerStreams(tree: Root, footnotes: boolean, hidden: Set<Element> = new Set()): {body: string[]; notes: string[]} {
  const notesById = new Map<string, Element>()
  const collectNotes = (node: Root | Element) => {
    for (const child of node.children) {
      if (child.type !== 'element') continue
      if (child.tagName === 'li' && hasClass(child, 'note') && child.properties.id) notesById.set(String(child.properties.id), child)
      collectNotes(child)
    }
  }
  if (footnotes) collectNotes(tree)

  const skipped = (node: Element) =>
    hidden.has(node) ||
    unprinted.has(node.tagName) ||
    node.properties.hidden !== undefined ||
    unprintedClasses.some((name) => hasClass(node, name)) ||
    // Footnotes leave their notes sections empty, and the print drops them.
    (footnotes && node.tagName === 'section' && (hasClass(node, 'notes') || hasClass(node, 'ednotes')))
  /** Text of a subtree into `out`, blocks kept apart; note calls into `called`, in order. */
  const walk = (nodes: RootContent[], out: string[], called: string[]) => {
    for (const node of nodes) {
      if (node.type === 'text') out.push(node.value)
      if (node.type !== 'element' || skipped(node)) continue
      const block = blocks.has(node.tagName)
      if (block) out.push(' ')
      if (footnotes && node.tagName === 'a' && hasClass(node, 'noteref')) {
        const id = String(node.properties.href || '').slice(1)
        if (notesById.has(id)) called.push(id)
      } else walk(node.children, out, called)
      if (block) out.push(' ')
    }
  }
  const notes: string[] = []
  const set = new Set<string>()
  /** A note’s words, then those of the notes it calls. */
  const setNote = (id: string) => {
    if (set.has(id)) return
    set.add(id)
    const out: string[] = []
    const called: string[] = []
    walk(notesById.get(id)!.children, out, called)
    notes.push(...wordsOf(out.join('')))
    for (const next of called) setNote(next)
  }
  const out: string[] = []
  const called: string[] = []
  walk(tree.children, out, called)
  for (const id of called) setNote(id)
  return {body: wordsOf(out.join('')), notes}
}

/** A word of `pdftotext -bbox` output. */
export interface BoxWord {
  page: number
  xMin: number
  xMax: number
  yMin: number
  yMax: number
  text: string
}

/** Parse `pdftotext -bbox` output: each word with its page and box. */
export function boxWords(bbox: string): BoxWord[] {
  const words: BoxWord[] = []
  let page = -1
  for (const match of bbox.matchAll(/<page width="[\d.]+" height="[\d.]+">|<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</g)) {
    if (match[1] === undefined) page++
    else words.push({page, xMin: Number(match[1]), yMin: Number(match[2]), xMax: Number(match[3]), yMax: Number(match[4]), text: unescape(match[5])})
  }
  return words
}

/**
 * A page’s words in reading order, as lines of text: grouped by where they sit, left to right,
 * and pieces the extractor split (at a ligature, after a combining accent) put together again.
 */
export function lines(words: BoxWord[]): BoxWord[][] {
  const sorted = [...words].sort((a, b) => a.yMin + a.yMax - (b.yMin + b.yMax))
  const found: Array<{middle: number; height: number; words: BoxWord[]}> = []
  for (const word of sorted) {
    const middle = (word.yMin + word.yMax) / 2
    const height = word.yMax - word.yMin
    const line = found.find((l) => Math.abs(l.middle - middle) <= Math.max(l.height, height) / 2 - 0.01 && Math.abs(l.height - height) < Math.max(l.height, height) / 2)
    if (line) line.words.push(word)
    else found.push({middle, height, words: [word]})
  }
  return columnOrder(found.sort((a, b) => a.middle - b.middle).map((line) => line.words))
    .map((line) => {
      const sorted = line.sort((a, b) => a.xMin - b.xMin)
      // Letter-spaced text (small capitals) comes out a letter a word: its usual gap is far narrower
      // than any word space (the gaps between its letters), its word spaces several times wider.
      const height = Math.max(...sorted.map((word) => word.yMax - word.yMin))
      const gaps = sorted.slice(1).map((word, i) => word.xMin - sorted[i].xMax).sort((a, b) => a - b)
      const usual = gaps.length >= 3 ? gaps[Math.floor(gaps.length / 2)] : Infinity
      const letterSpaced = usual < 0.12 * height
      const joined: BoxWord[] = []
      for (const word of sorted) {
        const last = joined[joined.length - 1]
        const gap = last ? word.xMin - last.xMax : Infinity
        if (last && (gap < 0.08 * height || (letterSpaced && gap < 2 * usual))) joined[joined.length - 1] = {...last, xMax: word.xMax, text: last.text + word.text}
        else joined.push(word)
      }
      return joined
    })
}

/**
 * A page’s lines in reading order where part of it is set in two columns (the index): a run of three
 * or more lines that one vertical gutter, at least a line’s height wide, splits all the way down is
 * read down its left column, then down its right. Lines that cross the gutter (a heading, the
 * index’s note) are read where they are.
 */
export function columnOrder(rows: BoxWord[][]): BoxWord[][] {
  const all = rows.flat()
  if (rows.length < 3 || all.length === 0) return rows
  const left = Math.min(...all.map((word) => word.xMin))
  const right = Math.max(...all.map((word) => word.xMax))
  const heights = all.map((word) => word.yMax - word.yMin).sort((a, b) => a - b)
  const half = heights[Math.floor(heights.length / 2)] / 2
  const crosses = (row: BoxWord[], x: number) => row.some((word) => word.xMin - half < x && word.xMax + half > x)
  // The gutter: where, in the middle third of the page, the fewest lines cross.
  let gutter = 0
  let fewest = Infinity
  for (let x = left + (right - left) / 3; x <= left + (2 * (right - left)) / 3; x += 0.5) {
    const crossing = rows.filter((row) => crosses(row, x)).length
    if (crossing < fewest) [gutter, fewest] = [x, crossing]
  }
  const out: BoxWord[][] = []
  for (let i = 0; i < rows.length; ) {
    let j = i
    while (j < rows.length && !crosses(rows[j], gutter)) j++
    if (j === i) {
      out.push(rows[i++])
      continue
    }
    const block = rows.slice(i, j)
    const rightHand = block.map((row) => row.filter((word) => word.xMin > gutter)).filter((row) => row.length > 0)
    if (rightHand.length >= 3) out.push(...block.map((row) => row.filter((word) => word.xMax < gutter)).filter((row) => row.length > 0), ...rightHand)
    else out.push(...block)
    i = j
  }
  return out
}

/** The words of `pdftotext -bbox` output page by page (a page without words: an empty list). */
export function boxWordsByPage(bbox: string): BoxWord[][] {
  const byPage: BoxWord[][] = []
  for (const word of boxWords(bbox)) (byPage[word.page] ??= []).push(word)
  return Array.from(byPage, (words) => words ?? [])
}

/**
 * Each page’s text in reading order (columns read one after the other), a line a line; with
 * `starts`, only what lies in each page’s text area (its running head and folio left out);
 * `shifts`: per page, how far below the PDF page’s top the laid-out page begins (room for marks).
 */
export function pageTexts(bbox: string, starts?: PageStart[], shifts: number[] = []): string[] {
  const inArea = (word: BoxWord) => {
    const area = starts?.[word.page]?.area
    const middle = laidOutMiddle(word, shifts)
    return !area || (middle >= area[0] && middle <= area[1])
  }
  return boxWordsByPage(bbox).map((words) => lines(words.filter(inArea)).map((line) => line.map((word) => word.text).join(' ')).join('\n'))
}

/** A word's middle, in points from the top of the page as it was laid out (room for marks added above it moves everything down). */
function laidOutMiddle(word: BoxWord, shifts: number[]): number {
  return (word.yMin + word.yMax) / 2 - (shifts[word.page] ?? 0)
}

/** The PDF’s body and note words, furniture set aside, line-end breaks joined. */
function pdfStreams(words: BoxWord[], starts: PageStart[], shifts: number[] = []): {body: Token[]; notes: Token[]} {
  const pages = new Map<number, {body: BoxWord[]; notes: BoxWord[]}>()
  for (const word of words) {
    const area = starts[word.page]?.area
    if (!area) continue
    const middle = laidOutMiddle(word, shifts)
    if (middle < area[0] || middle > area[1]) continue
    let page = pages.get(word.page)
    if (!page) pages.set(word.page, (page = {body: [], notes: []}))
    page[middle >= area[2] ? 'notes' : 'body'].push(word)
  }
  const tokens = (stream: 'body' | 'notes'): Token[] => {
    const out: Token[] = []
    let pending = ''
    let pendingPage = 0
    for (const page of [...pages.keys()].sort((a, b) => a - b)) {
      for (const line of lines(pages.get(page)![stream])) {
        line.forEach((word, i) => {
          const text = pending + word.text
          if (!pending) pendingPage = page
          pending = ''
          // A soft hyphen taken at a line end prints as U+2010: the word goes on at the next line.
          if (i === line.length - 1 && text.endsWith('\u2010')) pending = text.slice(0, -1)
          else for (const w of wordsOf(text)) out.push({word: w, page: pendingPage})
        })
      }
    }
    for (const w of wordsOf(pending)) out.push({word: w, page: pendingPage})
    return out
  }
  return {body: tokens('body'), notes: tokens('notes')}
}

/**
 * Compare the reader HTML’s words with the PDF’s (`bbox`: `pdftotext -bbox` of it). `generated`:
 * words the print writes itself in page references (roman folios, the `n.` of `24 n. 2`), which
 * the reader HTML cannot have; the PDF may add them.
 */
export function compareText(
  tree: Root,
  bbox: string,
  starts: PageStart[],
  options: {footnotes: boolean; generated: Set<string>; css: string; /** Per page: how far below the PDF page’s top the laid-out page begins (room for marks). */ shifts?: number[]}
): Comparison {
  const expected = readerStreams(tree, options.footnotes, hiddenBy(options.css, tree))
  const actual = pdfStreams(boxWords(bbox), starts, options.shifts)
  const label = (page: number) => starts[page]?.label || String(page + 1)
  const differences: Difference[] = []
  let unmatched = false
  for (const stream of ['body', 'notes'] as const) {
    const want = expected[stream]
    const got = actual[stream]
    const changes = diffArrays(
      want,
      got.map((t) => t.word),
      {maxEditLength: 5000}
    )
    if (!changes) {
      unmatched = true
      continue
    }
    let w = 0
    let g = 0
    for (let c = 0; c < changes.length; c++) {
      const change = changes[c]
      const count = change.count ?? change.value.length
      if (!change.added && !change.removed) {
        w += count
        g += count
        continue
      }
      // The same letters cut into words differently on one page (an inline element that prints as
      // a block, a ligature the extractor splits) are no difference; a word cut by a page break is.
      const next = changes[c + 1]
      const printed = change.added ? got.slice(g, g + count) : next?.added ? got.slice(g, g + next.value.length) : []
      const onePage = printed.every((t) => t.page === printed[0]?.page)
      if (next && (next.added || next.removed) && next.added !== change.added && next.value.join('') === change.value.join('') && onePage) {
        w += change.removed ? count : next.value.length
        g += change.added ? count : next.value.length
        c++
        continue
      }
      if (change.added && change.value.every((word) => options.generated.has(word))) {
        g += count
        continue
      }
      // The page: of the first word the PDF added, or of the last one it has before what it lacks.
      const page = got.length ? label(got[Math.max(0, Math.min(change.added ? g : g - 1, got.length - 1))].page) : '?'
      const after = want.slice(Math.max(0, w - 4), w)
      if (change.removed && next?.added) {
        differences.push({kind: 'changed', page, words: change.value, printed: next.value, after, stream})
        w += count
        g += next.value.length
        c++
        continue
      }
      differences.push({kind: change.added ? 'added' : 'missing', page, words: change.value, after, stream})
      if (change.added) g += count
      else w += count
    }
  }
  // A run of words missing in one place and added in another is out of place.
  const moved: Difference[] = []
  for (const missing of differences.filter((d) => d.kind === 'missing')) {
    const added = differences.find((d) => d.kind === 'added' && d.stream === missing.stream && d.words.join(' ') === missing.words.join(' '))
    if (!added) continue
    moved.push({...added, kind: 'moved', expectedPage: missing.page, after: missing.after})
    differences.splice(differences.indexOf(missing), 1)
    differences.splice(differences.indexOf(added), 1)
  }
  return {words: expected.body.length + expected.notes.length, differences: [...differences, ...moved], unmatched}
}

function unescape(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|apos);/g, (_, name: string) => ({amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'"})[name]!)
}
