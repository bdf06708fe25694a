/** The headnote of a text: what it says about the copy-text's title and what was omitted from it. */
import {describe, it, expect} from 'vitest'
import {toString} from 'hast-util-to-string'
import {select} from 'hast-util-select'
import {textHead} from '../../scripts/html/parts.ts'
import {textSchema, type Book} from '../../scripts/manuscript/schema.ts'

const book = {language: 'en', labels: {}} as unknown as Book

function headnote(meta: Record<string, unknown>): string {
  const head = textHead(textSchema.parse({title: 'T', kind: 'essay', copytext: 'c.txt', ...meta}), book)
  const note = select('.headnote', head)
  return note ? toString(note).trim() : ''
}

describe('the headnote', () => {
  it('gives the first clause of each `why` of `removed`, once, and none of a removal with `headnote: false`', () => {
    const removed = [
      {text: 'Share this', why: 'share prompt (site furniture)'},
      {text: 'Share', why: 'share prompt', all: true},
      {text: 'Home', why: 'navigation line, repeated', headnote: false},
      {text: 'By A', why: 'byline; moved to author'}
    ]
    expect(headnote({removed})).toBe('Omitted from the copy-text: share prompt; byline.')
    expect(headnote({removed: [removed[2]]})).toBe('')
  })

  it('says the copy-text has no title only for `title_source: editor`', () => {
    expect(headnote({title_source: 'editor'})).toBe('The copy-text has no title; the title is the editor’s.')
    expect(headnote({})).toBe('')
  })
})
