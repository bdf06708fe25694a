/**
 * remark plugin: ellipses in one house style (book.yaml `style.ellipsis`), whether the copy-text
 * wrote `...`, `. . .` or `…`. Four dots (a sentence’s full stop and an ellipsis, `. . . .`) stay
 * distinct: the full stop closes up to the word, then the ellipsis. Two dots are left for the
 * check `no-doubled-punctuation`; five or more, and four after `!` or `?`, are left as they are and
 * reported by the same check.
 */
import type {Root} from 'mdast'
import {editBlocks, type Edit} from './text.ts'

export interface Options {
  ellipsis?: string
}

const emptyOptions: Readonly<Options> = {}

function normaliseEllipses(value: string, ellipsis: string): Edit[] {
  const edits: Edit[] = []
  const spaced = ellipsis.startsWith('.') && ellipsis.includes(' ')
  const fourDot = '.' + (spaced ? ' ' : '') + ellipsis
  const run = /[.…](?:[ \u00A0]?[.…])+/gu
  for (let m = run.exec(value); m; m = run.exec(value)) {
    const dots = [...m[0]].reduce((n, ch) => n + (ch === '.' ? 1 : ch === '…' ? 3 : 0), 0)
    let start = m.index
    let replacement: string
    if (dots === 3) replacement = ellipsis
    else if (dots === 4 && !/[!?]/u.test(value[start - 1] ?? '')) {
      replacement = fourDot
      while (start > 0 && (value[start - 1] === ' ' || value[start - 1] === '\u00A0')) start--
      if (start > 0 && /[\s\uE000]/u.test(value[start - 1])) start = m.index
    } else continue
    const end = m.index + m[0].length
    if (value.slice(start, end) !== replacement) edits.push({start, end, value: replacement})
  }
  return edits
}

export default function remarkNormaliseEllipses(options?: Readonly<Options> | null) {
  const ellipsis = (options || emptyOptions).ellipsis || '…'
  return function (tree: Root): undefined {
    editBlocks(tree, (value) => normaliseEllipses(value, ellipsis))
  }
}
