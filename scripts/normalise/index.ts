/**
 * The normalisation preset: the typographic choices of book.yaml `style`, applied to the tree at build
 * time (after collation and critical markup, before notes are renumbered). One concern per plugin, in
 * this order; each is idempotent, never throws, and leaves code, HTML, URLs and directive attributes
 * alone.
 */
import type {Root} from 'mdast'
import {toString} from 'mdast-util-to-string'
import type {VFile} from 'vfile'
import type {Book} from '../manuscript/schema.ts'
import remarkNormaliseSpaces from './spaces.ts'
import remarkNormaliseQuotes from './quotes.ts'
import remarkNormaliseDashes from './dashes.ts'
import remarkNormaliseEllipses from './ellipses.ts'
import remarkNormaliseNoteReferences from './note-references.ts'

export {remarkNormaliseSpaces, remarkNormaliseQuotes, remarkNormaliseDashes, remarkNormaliseEllipses, remarkNormaliseNoteReferences}

export interface Options {
  book?: Book
}

type Style = NonNullable<Book['style']>

const defaultStyle: Style = {quotes: 'double-first', ellipsis: '…', page_ranges: 'full', note_ref_after_punctuation: true, em_dash: 'as-typed', note_numbers: 'renumbered', lead_in: 3}

/** The transformers of the preset for a style, in order. */
export function normalisers(style: Partial<Style> = {}): Array<(tree: Root) => undefined> {
  const s = {...defaultStyle, ...style}
  return [
    remarkNormaliseSpaces(),
    remarkNormaliseNoteReferences({afterPunctuation: s.note_ref_after_punctuation}),
    remarkNormaliseEllipses({ellipsis: s.ellipsis}),
    remarkNormaliseQuotes({style: s.quotes}),
    remarkNormaliseDashes({pageRanges: s.page_ranges, emDash: s.em_dash})
  ]
}

export function normalisePreset(options?: Readonly<Options> | null) {
  const steps = normalisers(options?.book?.style)
  return function (tree: Root, file: VFile): undefined {
    // One concern’s change can give another something to do (a range after `--` is a range only once
    // the em dash is there), so run the chain until the text holds still: the result is a fixed point,
    // and normalising it again changes nothing.
    let before = toString(tree)
    for (let pass = 0; pass < 4; pass++) {
      for (const step of steps) {
        try {
          step(tree)
        } catch (error) {
          file.message(`Unexpected failure in normalisation, expected it to pass: ${String(error)}`, {ruleId: 'normalise', source: 'reader'})
          return
        }
      }
      const after = toString(tree)
      if (after === before) return
      before = after
    }
  }
}
