/**
 * `no-straight-quotes`: a straight quote that normalisation will leave — in raw HTML, which it never
 * touches, or in text where the context does not tell which way it turns (`a " b`, a closing `"` with
 * no quotation open). Code is code: its quotes are not reported.
 */
import {visit} from 'unist-util-visit'
import type {Rule} from './rule.ts'
import {collectBlocks, pointAtOffset} from '../normalise/text.ts'
import {curlQuotes} from '../normalise/quote-marks.ts'
import {pointAt} from '../manuscript/read.ts'

const rule: Rule = {
  id: 'no-straight-quotes',
  check(tree, file) {
    for (const block of collectBlocks(tree)) {
      const curled = curlQuotes(block.value)
      for (let i = 0; i < curled.length; i++) {
        const ch = curled[i]
        if (ch !== '"' && ch !== "'") continue
        const marks = ch === '"' ? '`“` or `”`' : '`‘` or `’`'
        const message = file.message(`Unexpected straight quote \`${ch}\`: could not tell whether it opens or closes a quotation, expected the curly mark typed (${marks})`, {
          place: pointAtOffset(block, i),
          ruleId: rule.id
        })
        message.actual = ch
        message.expected = ch === '"' ? ['“', '”'] : ['‘', '’']
      }
    }
    visit(tree, 'html', function (node) {
      if (/^\s*<!--/.test(node.value)) return
      const start = node.position?.start
      if (!start) return
      // In HTML, quotes inside tags delimit attributes: only text between tags counts.
      const text = node.value.replace(/<[^>]*>/g, (tag) => ' '.repeat(tag.length))
      for (const match of text.matchAll(/["']/g)) {
        const within = pointAt(node.value, match.index)
        const place = within.line === 1 ? {line: start.line, column: start.column + within.column - 1} : {line: start.line + within.line - 1, column: within.column}
        const message = file.message(`Unexpected straight quote \`${match[0]}\` in raw HTML, which normalisation does not touch, expected a curly one`, {place, ruleId: rule.id})
        message.actual = match[0]
      }
    })
  }
}

export default rule
