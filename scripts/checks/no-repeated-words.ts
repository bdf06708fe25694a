/**
 * `no-repeated-words`: the same word twice in a row (“in in”), as a transcription or typing slip leaves
 * it. Doubles that English makes on purpose are not slips: reduplications (“bye bye”, “there there”,
 * “ha ha”) are not reported, and grammatical doubles (“had had”, “that that”, “is is”) are reported as
 * a warning at most, for the editor to read once.
 */
import type {Rule} from './rule.ts'
import {asWarning} from './rule.ts'
import {collectBlocks, pointAtOffset} from '../normalise/text.ts'

const repeated = /(?<![\p{L}\p{N}’'-])(\p{L}+)\s+(\1)(?![\p{L}\p{N}’'-])/giu

/** Words English doubles by design: “bye bye”, “no no”, “so so”, “there there”, “well well”. */
const reduplications = new Set(['bye', 'no', 'so', 'tut', 'tsk', 'there', 'well', 'now', 'ha', 'hear', 'yes', 'knock', 'chop', 'pooh', 'night', 'blah', 'hush', 'ding', 'bang', 'boo', 'goody'])
/** Doubles that a sentence’s grammar can make: “he had had enough”, “he said that that was”, “what it is is”, “what I do do”. */
const grammatical = new Set(['had', 'that', 'is', 'was', 'do'])

const rule: Rule = {
  id: 'no-repeated-words',
  check(tree, file) {
    for (const block of collectBlocks(tree)) {
      for (const m of block.value.matchAll(repeated)) {
        const word = m[1].toLowerCase()
        if (reduplications.has(word)) continue
        const second = m.index + m[0].length - m[2].length
        const place = pointAtOffset(block, second)
        const message = grammatical.has(word)
          ? asWarning(file.message(`Possible repeated word \`${m[0].replace(/\s+/gu, ' ')}\`, expected it only where the grammar doubles it (“he had had enough”, “that that”)`, {place, ruleId: rule.id}))
          : file.message(`Unexpected repeated word \`${m[2]}\`, expected \`${m[1]}\` once`, {place, ruleId: rule.id})
        message.actual = m[0]
        message.expected = [m[1]]
      }
    }
  }
}

export default rule
