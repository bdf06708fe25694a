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
})
