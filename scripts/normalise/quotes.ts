/**
 * remark plugin: quotation marks and apostrophes. Straight quotes become curly ones where the context
 * tells which way they turn (an apostrophe stays right in ’30s, ’em, rock ’n’ roll; a quotation that
 * opens after a dash or a bracket opens); curly marks turned the wrong way are righted; and where a
 * paragraph’s quotations pair up unambiguously, their marks alternate by depth as book.yaml
 * `style.quotes` says. A paragraph whose quotations do not pair up keeps its marks: the check
 * `no-unbalanced-quotes` reports it. Code, HTML and URLs are left alone.
 */
import type {Root} from 'mdast'
import {editBlocks, type Edit} from './text.ts'
import {curlQuotes, parseQuotes, marksFor, type QuoteStyle} from './quote-marks.ts'

export interface Options {
  style?: QuoteStyle
}

const emptyOptions: Readonly<Options> = {}

/** The block with its quotation marks as the edition prints them. */
function normaliseQuotes(value: string, style: QuoteStyle): string {
  let curled = curlQuotes(value)
  for (let i = 0; i < 3 && curlQuotes(curled) !== curled; i++) curled = curlQuotes(curled)
  const structure = parseQuotes(curled)
  if (structure.unclosed.length > 0 || structure.unopened.length > 0 || structure.crossed.length > 0 || structure.ambiguous || structure.continued.length > 0) {
    return curled
  }
  const chars = curled.split('')
  for (const pair of structure.pairs) {
    const [open, close] = marksFor(style, pair.depth)
    chars[pair.open] = open
    chars[pair.close] = close
  }
  const restyled = chars.join('')
  // A restyled mark that reads as turned the wrong way (`x‘x`) means the pairing was a guess: keep the marks.
  return curlQuotes(restyled) === restyled ? restyled : curled
}

export default function remarkNormaliseQuotes(options?: Readonly<Options> | null) {
  const style = (options || emptyOptions).style || 'double-first'
  return function (tree: Root): undefined {
    editBlocks(tree, function (value) {
      const out = normaliseQuotes(value, style)
      const edits: Edit[] = []
      for (let i = 0; i < value.length; i++) if (out[i] !== value[i]) edits.push({start: i, end: i + 1, value: out[i]})
      return edits
    })
  }
}
