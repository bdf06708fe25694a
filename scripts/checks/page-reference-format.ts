/**
 * `page-reference-format`: page references in one format within a text — `p.` before one page and
 * `pp.` before a range, with the full stop and the space of the text’s first page reference
 * (`p. 53`, `pp. 82–83`). The normaliser then binds `p.` to its number and sets the range.
 */
import type {Rule} from './rule.ts'
import {collectBlocks, pointAtOffset} from '../normalise/text.ts'

const reference = /(?<![\p{L}\p{N}])(pp?)(\.?)([ \u00A0]*)(\d+)(?:[ \u00A0]*([-\u2010-\u2013])[ \u00A0]*(\d+))?(?![\p{N}])/gu

const rule: Rule = {
  id: 'page-reference-format',
  check(tree, file) {
    let first: {dot: string; space: boolean; line: number; column: number} | undefined
    for (const block of collectBlocks(tree)) {
      for (const m of block.value.matchAll(reference)) {
        const [whole, prefix, dot, space, from, , to] = m
        const place = pointAtOffset(block, m.index)
        if (!place) continue
        const range = to !== undefined
        const pages = range ? `${from}–${to}` : from
        if (!first) first = {dot: dot || '.', space: space.length > 0 || !dot, line: place.line, column: place.column}
        const wanted = range ? 'pp' : 'p'
        const expected = `${wanted}${first.dot}${first.space ? ' ' : ''}${pages}`
        if (prefix !== wanted) {
          const message = file.message(
            `Unexpected \`${prefix}${dot}\` before ${range ? 'a range' : 'a single page'}, expected \`${wanted}${first.dot}\`: \`${expected}\``,
            {place, ruleId: rule.id}
          )
          message.actual = whole
          message.expected = [expected]
          continue
        }
        if (dot !== first.dot || (space.length > 0) !== first.space) {
          const message = file.message(
            `Unexpected page reference \`${whole}\`, expected \`${expected}\` as in this text’s first page reference`,
            {place, ruleId: rule.id}
          )
          message.actual = whole
          message.expected = [expected]
          message.cause = `first page reference at ${first.line}:${first.column}`
        }
      }
    }
  }
}

export default rule
