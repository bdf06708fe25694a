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
/** A break in speech, after which a quotation mark followed by a space or punctuation closes (`“But I—” she began`). */
function isInterruption(value: string, i: number): boolean {
  const prev = value[i - 1]
  return prev !== undefined && (/[\u2014\u2013\u2012…]/u.test(prev) || (prev === '-' && value[i - 2] === '-'))
}
/** What may follow a closing mark: a space, the end, punctuation, another closing mark. */
const afterClosing = /^(?:$|[\s,.;:!?)\]}”’»\uE000\u00A0\u202F])/u

/**
 * Elisions that are never a word of their own, so an apostrophe before them is always one (after Standard
 * Ebooks' typogrify): ’tis, ’twas, ’twixt and the other ’t- forms, ’em, ’a’ (a cup ’a’ tea), the ’n’
 * family (rock ’n’ roll, fish ’n chips), a decade or a name from a year (’30s, ’49ers), and aphetic forms
 * (’gainst, ’midst, ’neath, ’pon).
 */
const elided =
  /^(?:t(?:isn|wasn|is|was|were|would|will|ain|won|ween|wixt)(?![\p{L}])|em\b|a['’](?![\p{L}])|n(?:['’]|(?=[ \u00A0]))|\d\d(?=\p{L})|(?:gainst|midst|mongst|neath|pon|cos|cept|bout|til|cause|nother|cording|scuse|specially|kay)\b)/iu
/**
 * Elided forms that could also open a quotation (’e said, ’ad ’im, ’round, ’appen, the class of ’98 — but
 * ‘20 years,’ he said): an apostrophe unless a closing single mark later in the quotation needs this one
 * to open it.
 */
const elidedUnlessPaired =
  /^(?:\d\d(?!\d)|e|er|ere|erself|im|is|isself|ad|adn|ave|aven|ome|ow|owever|alf|appen|ouse|eard|ear|eart|ead|elp|elped|ell|ole|ope|orse|oss|ooman|un|uns|ud|round|fore|ands?)\b/iu

function isOpeningContext(value: string, i: number): boolean {
  return i === 0 || openingContext.test(value[i - 1])
}

function isSpaceOrEnd(ch: string | undefined): boolean {
  return ch === undefined || /\s/u.test(ch)
}

/**
 * How many closing single marks later in the same quotation (before a double mark) no later opening
 * mark claims: the ones left to close a quotation open at `i` or before it.
 */
function freeClosings(value: string, i: number): number {
  let depth = 0
  let free = 0
  for (let j = i + 1; j < value.length; j++) {
    const ch = value[j]
    if (ch === '"' || ch === '“' || ch === '”') break
    if (ch !== "'" && ch !== '’' && ch !== '‘') continue
    const prev = value[j - 1]
    const next = value[j + 1]
    if (ch !== '’' && (prev === undefined || openingContext.test(prev)) && !isSpaceOrEnd(next) && !elided.test(value.slice(j + 1, j + 24))) {
      depth++
      continue
    }
    // Not a closing mark: inside a word, at a word's start, or an apostrophe ending `goin’`, `o’`, `workers’`.
    if (/[\p{L}\p{N}]/u.test(next ?? '') || isSpaceOrEnd(prev) || /(?:in|\bo|s)$/iu.test(value.slice(Math.max(0, j - 2), j))) continue
    if (depth > 0) depth--
    else free++
  }
  return free
}

/** What a straight quote's context gives: the (curled) text just before it, and which quotations are open there. */
interface QuoteContext {
  before: string
  /** How many quotations opened with `mark` are open. */
  openCount: (mark: '“' | '‘') => number
}

/**
 * The curly mark (or prime) for the straight quote at `i`, or undefined when the context does not tell.
 * `context` gives the text before `i` as already curled (see `curlQuotes`), so a quote right after an
 * opening one opens (`"'Hello,' she said."`); without it, `value` before `i` is read as it is.
 */
function straightQuote(value: string, i: number, context?: QuoteContext): string | undefined {
  const ch = value[i]
  if (ch !== '"' && ch !== "'") return undefined
  const before = context?.before ?? value.slice(Math.max(0, i - 24), i)
  const openCount = context?.openCount ?? ((mark: '“' | '‘') => parseQuotes(value.slice(0, i)).unclosed.filter((entry) => entry.mark === mark).length)
  const isOpen = (mark: '“' | '‘') => openCount(mark) > 0
  const prev = before.at(-1)
  const next = value[i + 1]
  const rest = value.slice(i + 1, i + 24)
  // Primes after digits: 5' 10", 6'2", a 21" monitor, “Monitor 21"”.
  if (prev !== undefined && /\p{N}/u.test(prev)) {
    if (ch === "'") {
      if (/^[ \u00A0]?\d+(?:\.\d+)?["″]/u.test(rest) || /^\d/u.test(rest)) return '′'
      if (!/^\p{L}/u.test(rest) && !isOpen('‘')) return '′'
    } else {
      if (/′[ \u00A0]?\d+(?:\.\d+)?$/u.test(before) || next === '"' || next === '”') return '″'
      if (!isOpen('“')) return '″'
    }
  }
  // A closing mark after a break in speech: `"But I--" she began`, `"I was going to—", he said`.
  if (isInterruption(before, before.length) && afterClosing.test(rest)) {
    return ch === '"' ? '”' : '’'
  }
  const opening = prev === undefined || openingContext.test(prev)
  if (ch === '"') {
    // A closing mark with no quotation open before it (`“Monitor”"`) is a stray: the context does not tell.
    if (!opening) return isOpen('“') ? '”' : undefined
    return isSpaceOrEnd(next) ? undefined : '“'
  }
  if (!opening) return '’'
  if (elided.test(rest)) return '’'
  if (elidedUnlessPaired.test(rest) && freeClosings(value, i) <= openCount('‘')) return '’'
  return isSpaceOrEnd(next) ? undefined : '‘'
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
    // A curly `‘a’` typed as such may quote the letter: only a straight one is read as two apostrophes.
    const after = value.slice(i + 1, i + 24)
    if ((opening && elided.test(after) && !/^a’/iu.test(after)) || (prev !== undefined && wordChar.test(prev) && next !== undefined && /\p{L}/u.test(next))) {
      return {actual: ch, expected: '’', kind: 'opening-as-apostrophe'}
    }
  }
  if (ch === '”' && opening && next !== undefined && wordChar.test(next) && prev !== '“') {
    return {actual: ch, expected: '“', kind: 'closing-as-opening'}
  }
  if (ch === '“' && ((prev !== undefined && /\p{L}/u.test(prev) && isSpaceOrEnd(next)) || (isInterruption(value, i) && afterClosing.test(value.slice(i + 1, i + 3))))) {
    return {actual: ch, expected: '”', kind: 'opening-as-closing'}
  }
  return undefined
}

/**
 * The block with every straight quote turned (where the context tells) and every misdirected mark
 * righted. Read left to right, each quote in the light of the ones before it. A straight quote the
 * context does not tell stays straight (offsets stay valid: one character for one).
 */
export function curlQuotes(value: string): string {
  const out: string[] = []
  // The quotations open so far, as the marks are turned: enough to tell a closing mark from a stray one
  // and a prime from a closing mark.
  const open: string[] = []
  const openCount = (mark: '“' | '‘') => open.filter((m) => m === mark).length
  for (let i = 0; i < value.length; i++) {
    let ch = value[i]
    if (ch === '"' || ch === "'") ch = straightQuote(value, i, {before: out.slice(Math.max(0, i - 24), i).join(''), openCount}) ?? ch
    out.push(ch)
    if (ch === '“') open.push(ch)
    else if (ch === '‘' && !/[\p{L}\p{N}]/u.test(out[i - 1] ?? '')) open.push(ch)
    else if (ch === '”') {
      const at = open.lastIndexOf('“')
      if (at !== -1) open.length = at
    } else if (ch === '’' && open.at(-1) === '‘' && !/[\p{L}\p{N}]/u.test(value[i + 1] ?? '')) open.pop()
  }
  const curled = out.join('')
  let fixed = ''
  for (let i = 0; i < curled.length; i++) fixed += misdirected(curled, i)?.expected ?? curled[i]
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
  /** Whether a `’` was read as an apostrophe though it could close a single quotation (`the officers’ `). */
  ambiguous: boolean
  /**
   * Opening marks a later line of the block reopens, as verse and run-on quotations do (each line of a
   * quoted stanza opening with `‘`): the quotation runs on, it is not left unclosed.
   */
  continued: number[]
}

/** The opening marks that begin a line or a block (`“‘On Tuesday…` → `“‘`). */
export function leadingMarks(value: string): string {
  return /^[\s\u00A0]*([“‘]*)/u.exec(value)![1]
}

/** How the quotations of a block (already curled) pair up. */
export function parseQuotes(value: string): QuoteStructure {
  const stack: Array<{at: number; mark: string}> = []
  const result: QuoteStructure = {pairs: [], unclosed: [], unopened: [], crossed: [], ambiguous: false, continued: []}
  let lineStart = 0
  let lead = 0
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]
    if (ch === '\n') {
      lineStart = i + 1
      lead = 0
      continue
    }
    if ((ch === '“' || ch === '‘') && lineStart > 0 && /^[\s\u00A0“‘]*$/u.test(value.slice(lineStart, i))) {
      // A line that reopens the quotations still open from the lines before continues them.
      const k = lead++
      const open = stack[k]
      if (open && open.mark === ch && open.at < lineStart) {
        result.continued.push(open.at)
        stack[k] = {at: i, mark: ch}
        continue
      }
    }
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
        if (closesLater(value, i + 1)) {
          result.ambiguous = true
          continue
        }
      }
      stack.pop()
      result.pairs.push({open: top.at, close: i, depth: stack.length, kind: 'single'})
    }
  }
  result.unclosed = stack.map((entry, depth) => ({at: entry.at, mark: entry.mark, depth}))
  return result
}

/** Whether a closing `’` after `from`, before a double mark, is left with no `‘` of its own to close. */
function closesLater(value: string, from: number): boolean {
  let depth = 0
  for (let j = from; j < value.length; j++) {
    const ch = value[j]
    if (ch === '“' || ch === '”') return false
    if (ch === '‘' && !/[\p{L}\p{N}]/u.test(value[j - 1] ?? '')) depth++
    else if (ch === '’' && !/[\p{L}\p{N}]/u.test(value[j + 1] ?? '')) {
      if (depth === 0) return true
      depth--
    }
  }
  return false
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
