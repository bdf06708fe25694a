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

describe('note-numbering on the conventions of other copy-texts', () => {
  it('keeps checking when one label is not a number', () => {
    expect(lint(rule, 'a[^1] b[^21bis] c[^3] d[^*]\n\n[^1]: One.\n\n[^21bis]: Bis.\n\n[^3]: Three.\n\n[^*]: Star.')).toEqual([
      'ch1.md:7:1: Unexpected note number `[^3]` after `[^1]`, expected `[^2]`: a note may be lost'
    ])
  })
  it('lets an excerpt start anywhere and reads zero-padded labels as numbers', () => {
    expect(lint(rule, 'a[^20] b[^21]\n\n[^20]: One.\n\n[^21]: Two.')).toEqual([])
    expect(lint(rule, 'a[^05] b[^06] c[^08]\n\n[^05]: a\n\n[^06]: b\n\n[^08]: c')).toEqual([
      'ch1.md:7:1: Unexpected note number `[^08]` after `[^06]`, expected `[^7]`: a note may be lost'
    ])
  })
  it('checks each prefixed sequence on its own', () => {
    const md = 'a[^i-1] b[^i-2] c[^ii-1] d[^ii-3]\n\n[^i-1]: a\n\n[^i-2]: b\n\n[^ii-1]: c\n\n[^ii-3]: d'
    expect(lint(rule, md)).toEqual([
      'ch1.md:9:1: Unexpected note number `[^ii-3]` after `[^ii-1]`, expected `[^ii-2]`: a note may be lost'
    ])
  })
})
