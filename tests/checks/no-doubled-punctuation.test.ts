import {describe, it, expect} from 'vitest'
import rule from '../../scripts/checks/no-doubled-punctuation.ts'
import {lint} from './helpers.ts'

describe('no-doubled-punctuation', () => {
  it('reports the failing fixture', () => {
    expect(lint(rule, 'A comma,, and a stop.. Then more.')).toEqual([
      'ch1.md:1:9: Unexpected doubled punctuation `,,`, expected `,`',
      'ch1.md:1:22: Unexpected doubled punctuation `..`, expected `.`'
    ])
  })
  it('passes the passing fixture', () => {
    expect(lint(rule, 'An ellipsis... and four dots. . . . And one … more.')).toEqual([])
  })
  it('reports over-long runs of dots and hyphens', () => {
    expect(lint(rule, 'test..... then?.... and Mr. ---- came.')).toEqual([
      'ch1.md:1:5: Unexpected run of 5 dots `.....`, expected an ellipsis `…` (or a full stop and an ellipsis, `.…`)',
      'ch1.md:1:16: Unexpected run of 4 dots `....`, expected an ellipsis `…`',
      'ch1.md:1:29: Unexpected run of 4 hyphens `----`, expected an em dash `—` (`--`) or, for a word left blank, a 2-em dash `⸺`'
    ])
  })
})
