/**
 * Quotation marks and apostrophes: which way a straight quote turns, which curly marks are turned the
 * wrong way, and how a block’s quotations nest. Shared by the quotes normaliser and the quotation
 * checks, so both read a paragraph the same way. Every function maps one character to one character:
 * offsets stay valid.
 */

export type QuoteStyle = 'double-first' | 'single-first'

const wordChar = /[\p{L}\p{M}\p{N}\uE000\uFFFC]/u
/** Characters after which a quotation mark opens: start, space, brackets, dashes, slash, another opening mark. */
const openingContext = /[\s([{\u2014\u2013\u2012\-/“‘«\u00A0\u202F]/u
/** What follows an apostrophe at the start of a word: ’30s, ’em, rock ’n’ roll, ’tis, ’til, ’cause. */
const elision = /^(\d\d(s\b|\b(?!\d))|em\b|n['’]\s|tis\b|twas\b|til\b|cause\b|bout\b)/iu

function isOpeningContext(value: string, i: number): boolean {
  return i === 0 || openingContext.test(value[i - 1])
}

function isSpaceOrEnd(ch: string | undefined): boolean {
  return ch === undefined || /\s/u.test(ch)
}

/** The curly mark for the straight quote at `i`, or undefined when the context does not tell. */
export function straightQuote(value: string, i: number): string | undefined {
  const ch = value[i]
  const opening = isOpeningContext(value, i)
  const next = value[i + 1]
  if (ch === '"') {
    if (!opening) return '”'
    return isSpaceOrEnd(next) ? undefined : '“'
  }
  if (ch === "'") {
    if (!opening) return '’'
    if (elision.test(value.slice(i + 1))) return '’'
    return isSpaceOrEnd(next) ? undefined : '‘'
  }
  return undefined
}

export interface Misdirection {
  actual: string
  expected: string
  kind: 'closing-as-opening' | 'opening-as-apostrophe' | 'opening-as-closing'
}

/** A curly mark turned the wrong way, as naive “smart quotes” do: ”another, ‘30s, don‘t, word“. */
export function misdirected(value: string, i: number): Misdirection | undefined {
  const ch = value[i]
  const prev = value[i - 1]
  const next = value[i + 1]
  const opening = isOpeningContext(value, i)
  if (ch === '‘') {
    if ((opening && elision.test(value.slice(i + 1))) || (prev !== undefined && wordChar.test(prev) && next !== undefined && /\p{L}/u.test(next))) {
      return {actual: ch, expected: '’', kind: 'opening-as-apostrophe'}
    }
  }
  if (ch === '”' && opening && next !== undefined && wordChar.test(next) && prev !== '“') {
    return {actual: ch, expected: '“', kind: 'closing-as-opening'}
  }
  if (ch === '“' && prev !== undefined && /\p{L}/u.test(prev) && isSpaceOrEnd(next)) {
    return {actual: ch, expected: '”', kind: 'opening-as-closing'}
  }
  return undefined
}

/** The block with every straight quote turned (where the context tells) and every misdirected mark righted. */
export function curlQuotes(value: string): string {
  let out = ''
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]
    if (ch === '"' || ch === "'") out += straightQuote(value, i) ?? ch
    else out += ch
  }
  let fixed = ''
  for (let i = 0; i < out.length; i++) fixed += misdirected(out, i)?.expected ?? out[i]
  return fixed
}

export interface Pair {
  open: number
  close: number
  depth: number
  kind: 'double' | 'single'
}

export interface QuoteStructure {
  pairs: Pair[]
  /** Opening marks never closed, outermost first. */
  unclosed: Array<{at: number; mark: string; depth: number}>
  /** Closing double marks with no opening mark. */
  unopened: number[]
  /** A closing mark that closes an outer quotation while an inner one is still open. */
  crossed: Array<{close: number; inner: number; innerMark: string}>
  /** Whether a `’` could be either a closing single quote or an apostrophe (`the officers’ `). */
  ambiguous: boolean
}

/** How the quotations of a block (already curled) pair up. */
export function parseQuotes(value: string): QuoteStructure {
  const stack: Array<{at: number; mark: string}> = []
  const result: QuoteStructure = {pairs: [], unclosed: [], unopened: [], crossed: [], ambiguous: false}
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]
    if (ch === '“') {
      stack.push({at: i, mark: ch})
    } else if (ch === '‘') {
      if (misdirected(value, i)) continue
      stack.push({at: i, mark: ch})
    } else if (ch === '”') {
      const index = findLast(stack, '“')
      if (index === -1) {
        result.unopened.push(i)
        continue
      }
      for (let j = stack.length - 1; j > index; j--) result.crossed.push({close: i, inner: stack[j].at, innerMark: stack[j].mark})
      const open = stack[index]
      stack.length = index
      result.pairs.push({open: open.at, close: i, depth: index, kind: 'double'})
    } else if (ch === '’') {
      const top = stack.at(-1)
      if (!top || top.mark !== '‘') continue
      const next = value[i + 1]
      if (next !== undefined && /[\p{L}\p{N}]/u.test(next)) continue
      if (/s/iu.test(value[i - 1] ?? '') && isSpaceOrEnd(next)) {
        // `the workers’ ` — a plural possessive or the end of the quotation? A later closing `’`
        // before the outer quotation ends says it is an apostrophe.
        result.ambiguous = true
        const rest = value.slice(i + 1)
        const end = rest.search(/[”“]/u)
        const scope = end === -1 ? rest : rest.slice(0, end)
        if (/’(?![\p{L}\p{N}])/u.test(scope)) continue
      }
      stack.pop()
      result.pairs.push({open: top.at, close: i, depth: stack.length, kind: 'single'})
    }
  }
  result.unclosed = stack.map((entry, depth) => ({at: entry.at, mark: entry.mark, depth}))
  return result
}

function findLast(stack: Array<{mark: string}>, mark: string): number {
  for (let i = stack.length - 1; i >= 0; i--) if (stack[i].mark === mark) return i
  return -1
}

/** The marks a quotation at `depth` takes in a style. */
export function marksFor(style: QuoteStyle, depth: number): [string, string] {
  const doubleAt = style === 'double-first' ? depth % 2 === 0 : depth % 2 === 1
  return doubleAt ? ['“', '”'] : ['‘', '’']
}
