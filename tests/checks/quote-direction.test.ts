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
})
