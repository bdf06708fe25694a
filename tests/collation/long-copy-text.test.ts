/**
 * A long copy-text is read whole: its tokens (hundreds of thousands) are gathered without spreading
 * them as arguments, which overflowed the stack (“internal error: Maximum call stack size
 * exceeded” for a 3.5 MB text with its copy-text, under the size limit of a file).
 */
import {describe, expect, it} from 'vitest'
import {readCopyTextTokens} from '../../scripts/collation/copy-text.ts'

const words = 300_000

describe('a long copy-text', () => {
  it('is read as plain text, with a removal cut out of it', () => {
    const text = 'Skip to content\n' + 'word '.repeat(words)
    const tokens = readCopyTextTokens(text, 'text', [[0, 16]])
    expect(tokens).toHaveLength(words)
    expect(tokens.at(-1)?.offset).toBe(16 + (words - 1) * 5)
  })

  it('is read when it is one line', () => {
    expect(readCopyTextTokens('word '.repeat(words), 'text', [])).toHaveLength(words)
  })
})
