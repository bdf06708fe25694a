/**
 * `quote-direction`: a curly quotation mark turned the wrong way, as naive smart quotes leave them — a
 * closing mark used to open (`”another`), an opening mark used as an apostrophe (`‘30s`, `don‘t`), an
 * opening mark used to close (`word“ `).
 */
import type {Rule} from './rule.ts'
import {collectBlocks, pointAtOffset} from '../normalise/text.ts'
import {misdirected} from '../normalise/quote-marks.ts'

const what = {
  'closing-as-opening': 'closing mark used to open',
  'opening-as-apostrophe': 'opening mark used as an apostrophe',
  'opening-as-closing': 'opening mark used to close'
}

const rule: Rule = {
  id: 'quote-direction',
  check(tree, file) {
    for (const block of collectBlocks(tree)) {
      for (let i = 0; i < block.value.length; i++) {
        const found = misdirected(block.value, i)
        if (!found) continue
        const message = file.message(`Unexpected ${what[found.kind]} \`${found.actual}\`, expected \`${found.expected}\``, {
          place: pointAtOffset(block, i),
          ruleId: rule.id
        })
        message.actual = found.actual
        message.expected = [found.expected]
      }
    }
  }
}

export default rule
