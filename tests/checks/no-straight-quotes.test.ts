import {describe, it, expect} from 'vitest'
import rule from '../../scripts/checks/no-straight-quotes.ts'
import {lint} from './helpers.ts'

describe('no-straight-quotes', () => {
  it('reports the failing fixture', () => {
    expect(lint(rule, 'A lone " here.\n\n<div>It\'s raw</div>\n\n“Monitor”" and more.')).toEqual([
      'ch1.md:1:8: Unexpected straight quote `"`: could not tell whether it opens or closes a quotation, expected the curly mark typed (`“` or `”`)',
      'ch1.md:5:10: Unexpected straight quote `"`: could not tell whether it opens or closes a quotation, expected the curly mark typed (`“` or `”`)',
      'ch1.md:3:8: Unexpected straight quote `\'` in raw HTML, which normalisation does not touch, expected a curly one'
    ])
  })
  it('passes the passing fixture', () => {
    expect(lint(rule, 'He said "yes" and it\'s fine, 6\'2" tall.')).toEqual([])
  })
  it('leaves quotes in code alone (code is code)', () => {
    expect(lint(rule, 'And `"code"` and `it\'s`.\n\n```\nprint("x")\n```')).toEqual([])
  })
})
