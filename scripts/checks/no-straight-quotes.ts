/**
 * `no-straight-quotes`: a straight quote that normalisation will leave — in raw HTML or code, which
 * it never touches, or in text where the context does not tell which way it turns (`a " b`).
 */
import {visit} from 'unist-util-visit'
import type {Rule} from './rule.ts'
import {collectBlocks, pointAtOffset} from '../normalise/text.ts'
import {straightQuote} from '../normalise/quote-marks.ts'
import {pointAt} from '../manuscript/read.ts'

const rule: Rule = {
  id: 'no-straight-quotes',
  check(tree, file) {
    for (const block of collectBlocks(tree)) {
      for (let i = 0; i < block.value.length; i++) {
        const ch = block.value[i]
        if ((ch === '"' || ch === "'") && straightQuote(block.value, i) === undefined) {
          const message = file.message(`Unexpected straight quote \`${ch}\` whose direction the context does not tell, expected a curly one`, {
            place: pointAtOffset(block, i),
            ruleId: rule.id
          })
          message.actual = ch
          message.expected = ch === '"' ? ['“', '”'] : ['‘', '’']
        }
      }
    }
    visit(tree, function (node) {
      if (node.type !== 'html' && node.type !== 'inlineCode' && node.type !== 'code') return
      if (node.type === 'html' && /^\s*<!--/.test(node.value)) return
      const start = node.position?.start
      if (!start) return
      // In HTML, quotes inside tags delimit attributes: only text between tags counts.
      const text = node.type === 'html' ? node.value.replace(/<[^>]*>/g, (tag) => ' '.repeat(tag.length)) : node.value
      const where = node.type === 'html' ? 'raw HTML' : 'code'
      const offset = node.type === 'inlineCode' ? 1 : 0
      for (const match of text.matchAll(/["']/g)) {
        const within = pointAt(node.value, match.index)
        const place = within.line === 1 ? {line: start.line, column: start.column + offset + within.column - 1} : {line: start.line + within.line - 1, column: within.column}
        const message = file.message(`Unexpected straight quote \`${match[0]}\` in ${where}, which normalisation does not touch, expected a curly one`, {place, ruleId: rule.id})
        message.actual = match[0]
      }
    })
  }
}

export default rule
