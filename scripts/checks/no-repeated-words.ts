/** `no-repeated-words`: the same word twice in a row (“in in”), as a transcription or typing slip leaves it. */
import type {Rule} from './rule.ts'
import {collectBlocks, pointAtOffset} from '../normalise/text.ts'

const repeated = /(?<![\p{L}\p{N}’'-])(\p{L}+)\s+(\1)(?![\p{L}\p{N}’'-])/giu

const rule: Rule = {
  id: 'no-repeated-words',
  check(tree, file) {
    for (const block of collectBlocks(tree)) {
      for (const m of block.value.matchAll(repeated)) {
        const second = m.index + m[0].length - m[2].length
        const message = file.message(`Unexpected repeated word \`${m[2]}\`, expected \`${m[1]}\` once`, {place: pointAtOffset(block, second), ruleId: rule.id})
        message.actual = m[0]
        message.expected = [m[1]]
      }
    }
  }
}

export default rule
