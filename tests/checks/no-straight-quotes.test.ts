import {describe, it, expect} from 'vitest'
import rule from '../../scripts/checks/no-straight-quotes.ts'
import {lint} from './helpers.ts'

describe('no-straight-quotes', () => {
  it('reports the failing fixture', () => {
    expect(lint(rule, 'A lone " here.\n\n<span>It\'s raw</span>\n\nAnd `"code"`.')).toEqual([
      'ch1.md:1:8: Unexpected straight quote `"` whose direction the context does not tell, expected a curly one',
      'ch1.md:5:6: Unexpected straight quote `"` in code, which normalisation does not touch, expected a curly one',
      'ch1.md:5:11: Unexpected straight quote `"` in code, which normalisation does not touch, expected a curly one'
    ])
  })
  it('passes the passing fixture', () => {
    expect(lint(rule, 'He said "yes" and it\'s fine.')).toEqual([])
  })
})
