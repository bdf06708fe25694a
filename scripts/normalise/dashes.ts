/**
 * remark plugin: dashes. An en dash in number ranges (1919-1921 → 1919–1921) and, after `p.`/`pp.`,
 * page ranges written in book.yaml `style.page_ranges` (full: 82–83; elided: 82–3); an em dash for a
 * break (`--` or `---`, or a spaced hyphen or en dash between words). A spaced dash between two numbers
 * (`1890 – 1947`) is a range and keeps its en dash. With `emDash`, every em dash between words is
 * then spaced or closed as book.yaml `style.em_dash` says.
 */
import type {Root} from 'mdast'
import {editBlocks, regexEdits, type Edit} from './text.ts'

export interface Options {
  pageRanges?: 'full' | 'elided'
  /** book.yaml `style.em_dash`: a dash between words spaced (`word — word`, no line starting with it) or closed (`word—word`); as typed when absent. */
  emDash?: 'spaced' | 'closed' | 'as-typed'
}

const emptyOptions: Readonly<Options> = {}

/** `82–3` → `82–83`; undefined when the second number cannot be the end of a range from the first. */
function expandRange(from: string, to: string): string | undefined {
  if (to.length >= from.length) return Number(to) > Number(from) ? to : undefined
  const full = from.slice(0, from.length - to.length) + to
  return Number(full) > Number(from) ? full : undefined
}

/** `82–83` → `82–3`, `111–112` → `111–12` (the teens keep two digits). */
function elideRange(from: string, to: string): string {
  if (to.length !== from.length || Number(to) <= Number(from)) return to
  let i = 0
  while (i < to.length - 1 && from[i] === to[i]) i++
  let kept = to.slice(i)
  if (kept.length === 1 && to.length >= 2 && to[to.length - 2] === '1') kept = to.slice(-2)
  return kept
}

function normaliseDashes(value: string, pageRanges: 'full' | 'elided'): Edit[] {
  const edits: Edit[] = []
  // Page ranges after p./pp.
  const pages = regexEdits(value, /(\bpp?\.?[ \u00A0]*)(\d+)\s*[-\u2010\u2011\u2012\u2013](\d+)(?![\d\-\u2013])/gu, (m) => {
    const end = pageRanges === 'full' ? expandRange(m[2], m[3]) : elideRange(m[2], m[3])
    if (end === undefined) return undefined
    return `${m[1]}${m[2]}\u2013${end}`
  })
  edits.push(...pages)
  const taken = (start: number, end: number) => edits.some((e) => start < e.end && end > e.start)
  // Number ranges: 1919-1921, 150-191 (not dates such as 1890-12-30).
  for (const edit of regexEdits(value, /(?<!(?:^|[^-])-)(?<![\d\u2013/.,])(\d{1,4})[-\u2010\u2011\u2012](\d{1,4})(?![\d\u2013/]|\.\d|-(?!-))/gu, (m) => `${m[1]}\u2013${m[2]}`)) {
    if (!taken(edit.start, edit.end)) edits.push(edit)
  }
  // Breaks: `--` or `---`, and a spaced hyphen or en dash unless it joins two numbers. A longer run
  // (`----`, a blank for a name) is left for the check `no-doubled-punctuation`.
  for (const edit of regexEdits(value, /(?<!-)---?(?!-)|(?<=\S[ \u00A0])[-\u2013](?=[ \u00A0]\S)/gu, (m) => {
    if (m[0] === '--' || m[0] === '---') return '\u2014'
    const before = value.slice(0, m.index).trimEnd().slice(-1)
    const after = value.slice(m.index + 1).trimStart().charAt(0)
    if (/\d/.test(before) && /\d/.test(after)) return m[0] === '-' ? '\u2013' : undefined
    return '\u2014'
  })) {
    if (!taken(edit.start, edit.end)) edits.push(edit)
  }
  return edits
}

/**
 * An em dash between words set as the house style says: `spaced` puts a no-break space before it
 * (so no line begins with it) and a space after; `closed` takes the spaces away. A dash that
 * opens or closes something (`— Ed.`, an interruption `was—”`, `“—`, a run `——`) is left as it is.
 */
export function spaceEmDashes(value: string, style: 'spaced' | 'closed'): Edit[] {
  // Between a word (or what closes one: a quote, a bracket, a stop, a note call’s figure) and a word (or what opens one).
  const pattern = /(?<=[\p{L}\p{N}\p{Pf}’”)\].!?…*†‡§¶])[ \u00A0]*\u2014[ \u00A0]*(?=[\p{L}\p{N}\p{Pi}‘“(\[])/gu
  return regexEdits(value, pattern, () => (style === 'spaced' ? '\u00A0\u2014 ' : '\u2014'))
}

export default function remarkNormaliseDashes(options?: Readonly<Options> | null) {
  const settings = options || emptyOptions
  const pageRanges = settings.pageRanges || 'full'
  const emDash = settings.emDash
  return function (tree: Root): undefined {
    editBlocks(tree, (value) => normaliseDashes(value, pageRanges))
    if (emDash === 'spaced' || emDash === 'closed') editBlocks(tree, (value) => spaceEmDashes(value, emDash))
  }
}
