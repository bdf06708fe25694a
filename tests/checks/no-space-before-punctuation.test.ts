import {describe, it, expect} from 'vitest'
import rule from '../../scripts/checks/no-space-before-punctuation.ts'
import {lint} from './helpers.ts'

describe('no-space-before-punctuation', () => {
  it('reports the failing fixture', () => {
    expect(lint(rule, 'He believed , that (so ) it was .')).toEqual([
      'ch1.md:1:12: Unexpected space before `,`, expected `,` closed up to the word',
      'ch1.md:1:23: Unexpected space before `)`, expected `)` closed up to the word',
      'ch1.md:1:32: Unexpected space before `.`, expected `.` closed up to the word'
    ])
  })
  it('passes the passing fixture', () => {
    expect(lint(rule, 'He believed, . . . that it was … so.')).toEqual([])
  })
})
