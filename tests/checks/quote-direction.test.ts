import {describe, it, expect} from 'vitest'
import rule from '../../scripts/checks/quote-direction.ts'
import {lint} from './helpers.ts'

describe('quote-direction', () => {
  it('reports the failing fixture', () => {
    expect(lint(rule, 'In the ‘30s he said ”another word“ and left.')).toEqual([
      'ch1.md:1:8: Unexpected opening mark used as an apostrophe `‘`, expected `’`',
      'ch1.md:1:21: Unexpected closing mark used to open `”`, expected `“`',
      'ch1.md:1:34: Unexpected opening mark used to close `“`, expected `”`'
    ])
  })
  it('passes the passing fixture', () => {
    expect(lint(rule, 'In the ’30s he said “another word” and left.')).toEqual([])
  })
  it('reports a mark turned the wrong way after a dash, and not a letter quoted', () => {
    expect(lint(rule, '“I was going to—“, he said. The letter ‘a’ and the ‘49ers.')).toEqual([
      'ch1.md:1:17: Unexpected opening mark used to close `“`, expected `”`',
      'ch1.md:1:52: Unexpected opening mark used as an apostrophe `‘`, expected `’`'
    ])
  })
})
