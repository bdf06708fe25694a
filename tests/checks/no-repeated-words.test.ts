import {describe, it, expect} from 'vitest'
import rule from '../../scripts/checks/no-repeated-words.ts'
import {lint} from './helpers.ts'

describe('no-repeated-words', () => {
  it('reports the failing fixture', () => {
    expect(lint(rule, 'He was born in in Brussels and and then left.')).toEqual([
      'ch1.md:1:16: Unexpected repeated word `in`, expected `in` once',
      'ch1.md:1:32: Unexpected repeated word `and`, expected `and` once'
    ])
  })
  it('passes the passing fixture', () => {
    expect(lint(rule, 'He was born in :del[born in] Brussels, that is, in Brussels.')).toEqual([])
  })
})
