import {describe, it, expect} from 'vitest'
import rule from '../../scripts/checks/page-reference-format.ts'
import {lint} from './helpers.ts'

describe('page-reference-format', () => {
  it('reports the failing fixture', () => {
    expect(lint(rule, 'a[^1] b[^2] c[^3]\n\n[^1]: *Memoirs*, p. 1.\n\n[^2]: Ibid pp. 107.\n\n[^3]: Ibid p.71 and pp 5–7.')).toEqual([
      'ch1.md:5:12: Unexpected `pp.` before a single page, expected `p.`: `p. 107`',
      'ch1.md:7:12: Unexpected page reference `p.71`, expected `p. 71` as in this text’s first page reference',
      'ch1.md:7:21: Unexpected page reference `pp 5–7`, expected `pp. 5–7` as in this text’s first page reference'
    ])
  })
  it('passes the passing fixture', () => {
    expect(lint(rule, 'a[^1] b[^2]\n\n[^1]: *Memoirs*, p. 1.\n\n[^2]: Ibid pp. 82–83.')).toEqual([])
  })
})
