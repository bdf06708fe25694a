import {describe, it, expect} from 'vitest'
import rule from '../../scripts/checks/note-numbering.ts'
import {lint} from './helpers.ts'

describe('note-numbering', () => {
  it('reports the failing fixture', () => {
    expect(lint(rule, 'a[^1] b[^2] c[^4] d[^4]\n\n[^1]: One.\n\n[^2]: Two.\n\n[^4]: Four.\n\n[^4]: Four again.')).toEqual([
      'ch1.md:7:1: Unexpected note number `[^4]` after `[^2]`, expected `[^3]`: a note may be lost',
      'ch1.md:9:1: Unexpected repeated note number `[^4]`, expected `[^5]`: a note may be lost or doubled'
    ])
  })
  it('passes the passing fixture', () => {
    expect(lint(rule, 'a[^1] b[^2]\n\n[^1]: One.\n\n[^2]: Two.')).toEqual([])
  })
})
