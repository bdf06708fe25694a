/** `no-doubled-punctuation`: the same mark twice (`,,`, `;;`, `::`) or two full stops that are not an ellipsis (`..`). */
import type {Rule} from './rule.ts'
import {collectBlocks, pointAtOffset} from '../normalise/text.ts'

const doubled = /([,;:])\1+|(?<![.…][ \u00A0]?)\.\.(?![ \u00A0]?[.…])/gu

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
    }
  }
}

export default rule
