import {describe, it, expect} from 'vitest'
import {lintTexts} from './helpers.ts'

const source = 'Serge wanted a society that defends human freedom, enhances human dignity and improves the human condition.'

describe('quotation-variant', () => {
  it('reports a quotation whose wording differs from the passage in another text, as a word diff', () => {
    expect(
      lintTexts({
        'texts/a.md': source,
        'texts/b.md': 'Serge belongs to a society that “defends human freedom, enhances human worth and improves the human condition”.'
      })
    ).toEqual([
      'texts/b.md:1:72: Unexpected variant of a passage also in texts/a.md:1:29: enhances human [-dignity-] {+worth+} and improves, expected the same wording'
    ])
  })
  it('passes a quotation with the same wording', () => {
    expect(
      lintTexts({
        'texts/a.md': source,
        'texts/b.md': 'Serge belongs to a society that “defends human freedom, enhances human dignity and improves the human condition”.'
      })
    ).toEqual([])
  })
})
