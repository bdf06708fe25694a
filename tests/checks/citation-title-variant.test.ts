import {describe, it, expect} from 'vitest'
import {lintTexts} from './helpers.ts'
import {works} from './works-fixture.ts'

describe('citation-title-variant', () => {
  it('reports the same work under another English title in another text', () => {
    expect(
      lintTexts(
        {
          'texts/a.md': 'He wrote *What Everyone Should Know About State Repression*.',
          'texts/b.md': 'His pamphlet *What Every Revolutionary Should Know About Repression*.'
        },
        works
      )
    ).toEqual([
      'texts/b.md:1:15: Unexpected title `What Every Revolutionary Should Know About Repression` for the work texts/a.md calls `What Everyone Should Know About State Repression`, expected one title or an editor’s note'
    ])
  })
  it('passes when an editor’s note explains it', () => {
    expect(
      lintTexts(
        {
          'texts/a.md': 'He wrote *What Everyone Should Know About State Repression*.',
          'texts/b.md': 'His pamphlet *What Every Revolutionary Should Know About Repression*.:ednote[Elsewhere in the reader: *What Everyone Should Know About State Repression*.]'
        },
        works
      )
    ).toEqual([])
  })
})
