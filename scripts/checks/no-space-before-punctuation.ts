/**
 * `no-space-before-punctuation`: a stray space before `,` `.` `;` `)` `]` (an ellipsis’s spaced dots
 * are not stray). `:`, `!` and `?` are left alone: French sets a space before them.
 */
import type {Rule} from './rule.ts'
import {collectBlocks, pointAtOffset} from '../normalise/text.ts'

const stray = /(?<=[\p{L}\p{N}”’)\]*])[ \u00A0]+(,|;|\)|\]|\.(?![ \u00A0]?[.…]))/gu

const rule: Rule = {
  id: 'no-space-before-punctuation',
  check(tree, file) {
    for (const block of collectBlocks(tree)) {
      for (const m of block.value.matchAll(stray)) {
        const message = file.message(`Unexpected space before \`${m[1]}\`, expected \`${m[1]}\` closed up to the word`, {place: pointAtOffset(block, m.index), ruleId: rule.id})
        message.actual = m[0]
        message.expected = [m[1]]
      }
    }
  }
}

export default rule
