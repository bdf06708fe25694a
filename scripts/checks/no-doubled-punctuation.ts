/**
 * `no-doubled-punctuation`: the same mark twice (`,,`, `;;`, `::`), two full stops that are not an
 * ellipsis (`..`), and runs normalisation leaves as typed because it cannot tell what they stand for:
 * five dots or more (or four after `!` or `?`), and four hyphens or more (`----`).
 */
import type {Rule} from './rule.ts'
import {collectBlocks, pointAtOffset} from '../normalise/text.ts'

const doubled = /([,;:])\1+|(?<![.…][ \u00A0]?)\.\.(?![ \u00A0]?[.…])/gu
/** Dots (spaced or not, `…` as three) in a run; the runs normalisation sets are three or four dots. */
const dotRun = /[.…](?:[ \u00A0]?[.…])+/gu
const hyphenRun = /-{4,}/gu

const rule: Rule = {
  id: 'no-doubled-punctuation',
  check(tree, file) {
    for (const block of collectBlocks(tree)) {
      for (const m of block.value.matchAll(doubled)) {
        const mark = m[0][0]
        const message = file.message(`Unexpected doubled punctuation \`${m[0]}\`, expected \`${mark}\``, {place: pointAtOffset(block, m.index + 1), ruleId: rule.id})
        message.actual = m[0]
        message.expected = [mark]
      }
      for (const m of block.value.matchAll(dotRun)) {
        const dots = [...m[0]].reduce((n, ch) => n + (ch === '.' ? 1 : ch === '…' ? 3 : 0), 0)
        const afterMark = /[!?]/u.test(block.value[m.index - 1] ?? '')
        if (dots < 5 && !(afterMark && dots === 4)) continue
        const message = file.message(
          `Unexpected run of ${dots} dots \`${m[0]}\`, expected an ellipsis \`…\`${afterMark ? '' : ' (or a full stop and an ellipsis, `.…`)'}`,
          {place: pointAtOffset(block, m.index), ruleId: rule.id}
        )
        message.actual = m[0]
        message.expected = afterMark ? ['…'] : ['…', '.…']
      }
      for (const m of block.value.matchAll(hyphenRun)) {
        const message = file.message(`Unexpected run of ${m[0].length} hyphens \`${m[0]}\`, expected an em dash \`—\` (\`--\`) or, for a word left blank, a 2-em dash \`⸺\``, {
          place: pointAtOffset(block, m.index),
          ruleId: rule.id
        })
        message.actual = m[0]
        message.expected = ['—', '⸺']
      }
    }
  }
}

export default rule
