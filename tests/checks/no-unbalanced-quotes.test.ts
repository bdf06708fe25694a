import {describe, it, expect} from 'vitest'
import rule from '../../scripts/checks/no-unbalanced-quotes.ts'
import {lint} from './helpers.ts'

describe('no-unbalanced-quotes', () => {
  it('reports the failing fixture', () => {
    expect(lint(rule, 'He said “yes and left.\n\nShe said ‘no” and “left’ again.\n\nA closing ” alone.')).toEqual([
      'ch1.md:1:9: Unexpected unclosed `“`, expected a closing `”` (or the next paragraph to reopen a quotation that runs on)',
      'ch1.md:3:13: Unexpected closing `”` with no opening `“`, expected an opening mark before it',
      'ch1.md:3:10: Unexpected unclosed `‘`, expected a closing `’` (or the next paragraph to reopen a quotation that runs on)',
      'ch1.md:3:19: Unexpected unclosed `“`, expected a closing `”` (or the next paragraph to reopen a quotation that runs on)',
      'ch1.md:5:11: Unexpected closing `”` with no opening `“`, expected an opening mark before it'
    ])
  })
  it('passes the passing fixture', () => {
    expect(lint(rule, '“One paragraph that runs on\n\n“into the next.” And ‘single’ and “nested ‘inner’ quotes”.')).toEqual([])
  })
})
