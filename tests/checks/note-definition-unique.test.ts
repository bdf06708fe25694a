import {describe, it, expect} from 'vitest'
import rule from '../../scripts/checks/note-definition-unique.ts'
import {lint} from './helpers.ts'

describe('note-definition-unique', () => {
  it('reports the failing fixture', () => {
    expect(lint(rule, 'Text.[^x]\n\n[^x]: One.\n\n[^x]: Two.')).toEqual([
      'ch1.md:5:1-5:11: Unexpected second definition of note `[^x]`, expected each note defined once (only the first would print)'
    ])
  })
  it('passes the passing fixture', () => {
    expect(lint(rule, 'Text.[^x] More.[^y]\n\n[^x]: One.\n\n[^y]: Two.')).toEqual([])
  })
})
