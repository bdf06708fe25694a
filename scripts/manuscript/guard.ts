/**
 * Limits checked on the raw text before parsing: a paragraph too long to be prose (pasted data) and
 * block quotations nested deeper than any book needs. Both would make the parser slow or overflow
 * its stack; caught here, they are a located message instead.
 */
import type {VFile} from 'vfile'

export const limits = {paragraphChars: 200_000, quoteDepth: 16}

/** Report what exceeds the limits; returns false when the file must not be parsed. */
export function withinLimits(file: VFile): boolean {
  const text = String(file.value)
  let ok = true
  const paragraph = /[^\n](?:[^\n]|\n(?![ \t]*\n))*/g
  for (const match of text.matchAll(paragraph)) {
    if (match[0].length > limits.paragraphChars) {
      const line = text.slice(0, match.index).split('\n').length
      file.message(
        `Unexpected paragraph of ${match[0].length.toLocaleString('en')} characters, expected at most ${limits.paragraphChars.toLocaleString('en')}: is this pasted data?`,
        {place: {line, column: 1}, ruleId: 'paragraph-too-long', source: 'reader'}
      )
      ok = false
      break
    }
  }

  const lines = text.split('\n')
  for (let n = 0; n < lines.length; n++) {
    const depth = /^(?:\s{0,3}>)*/.exec(lines[n])![0].split('>').length - 1
    if (depth > limits.quoteDepth) {
      file.message(`Unexpected block quotations nested ${depth} deep, expected at most ${limits.quoteDepth}`, {
        place: {line: n + 1, column: 1},
        ruleId: 'nesting-too-deep',
        source: 'reader'
      })
      return false
    }
  }
  return ok
}
