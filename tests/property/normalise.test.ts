/**
 * Every normaliser, and the preset the pipeline runs (normalisePreset, which turns a throw into a
 * `normalise` message), never fails on arbitrary Markdown, in every house style, and is idempotent.
 */
import {describe, it, expect} from 'vitest'
import fc from 'fast-check'
import {VFile} from 'vfile'
import type {Root} from 'mdast'
import {parse, textOf} from '../normalise/helpers.ts'
import {normalisePreset, normalisers} from '../../scripts/normalise/index.ts'
import remarkNormaliseQuotes from '../../scripts/normalise/quotes.ts'
import remarkNormaliseDashes from '../../scripts/normalise/dashes.ts'
import remarkNormaliseEllipses from '../../scripts/normalise/ellipses.ts'
import remarkNormaliseSpaces from '../../scripts/normalise/spaces.ts'
import remarkNormaliseNoteReferences from '../../scripts/normalise/note-references.ts'
import type {Book} from '../../scripts/manuscript/schema.ts'

const pieces = [
  '"', "'", '‘', '’', '“', '”', '«', '»', '„', '.', '. ', '..', '...', '. . .', '…', '-', '--', '---', '–', '—', '−', ' ', '  ', '\t', ',', ' ,', ';', ':', '!', '?',
  'p.', 'pp. ', '82', '3', '1917', '82-3', '113–19', 'a', 'Word', '’30s', "'em", ' n ', '(', ')', '[', ']', '[^1]', '[^2]', '`c"d`', '*x*', '**y**', '_z_',
  ':corr[y]{was="z"}', ':sic[teh]', ':ednote[See.]', '\n', '\n\n', '\u00A0', '\u202F', '\u2009', '\u200B', 'D. J. ', 'https://e.org/a"b', '<b>"x"</b>', '<!-- c -->',
  '> ', '# ', '- ', '1. ', '| a | b |\n| - | - |\n| "c" | d |', 'é', 'Щ', '😀', '\\', '&amp;', '&quot;'
]
const text = fc.oneof(
  fc.array(fc.constantFrom(...pieces), {maxLength: 60}).map((parts) => parts.join('')),
  fc.string({maxLength: 120}),
  fc.string({unit: 'grapheme', maxLength: 80}),
  fc.string({unit: 'binary', maxLength: 80})
)
const markdown = fc.tuple(text, text).map(([body, note]) => `${body}\n\n${note}[^1]\n\n[^1]: note ${note.slice(0, 20)}`)

/** Counterexamples found before: always tried first. */
const examples: Array<[string]> = [['pp.  82-3'], ['--82-3'], ['\n\n82-3--[^1]\n\n[^1]: note 82-3--']]

type Step = (tree: Root) => undefined
const styles = [
  {quotes: 'double-first', ellipsis: '…', page_ranges: 'full', note_ref_after_punctuation: true},
  {quotes: 'single-first', ellipsis: '. . .', page_ranges: 'elided', note_ref_after_punctuation: false},
  {quotes: 'double-first', ellipsis: '...', page_ranges: 'elided', note_ref_after_punctuation: true}
] as const

const plugins: Record<string, Array<() => Step>> = {
  spaces: [() => remarkNormaliseSpaces()],
  quotes: [() => remarkNormaliseQuotes({style: 'double-first'}), () => remarkNormaliseQuotes({style: 'single-first'})],
  dashes: [() => remarkNormaliseDashes({pageRanges: 'full'}), () => remarkNormaliseDashes({pageRanges: 'elided'})],
  ellipses: [() => remarkNormaliseEllipses({ellipsis: '…'}), () => remarkNormaliseEllipses({ellipsis: '. . .'}), () => remarkNormaliseEllipses({ellipsis: '...'})],
  'note references': [() => remarkNormaliseNoteReferences({afterPunctuation: true}), () => remarkNormaliseNoteReferences({afterPunctuation: false})]
  // The chain as the pipeline runs it (to a fixed point) is the normalisePreset property below.
}

describe('normalisers (property)', () => {
  for (const [name, makers] of Object.entries(plugins)) {
    it(`${name}: never throws on arbitrary Markdown and is idempotent`, () => {
      for (const make of makers) {
        fc.assert(
          fc.property(markdown, (md) => {
            const step = make()
            const tree = parse(md)
            step(tree)
            const once = textOf(tree)
            step(tree)
            expect(textOf(tree)).toBe(once)
          }),
          {numRuns: 400, examples}
        )
      }
    })
  }

  it('normalisePreset (the pipeline’s): reports no failure and is idempotent, in every style', () => {
    for (const style of styles) {
      // normalisePreset reads only the book's style.
      const book = {style} as unknown as Book
      fc.assert(
        fc.property(markdown, (md) => {
          const file = new VFile({path: 'x.md', value: md})
          const tree = parse(md)
          const run = normalisePreset({book})
          run(tree, file)
          const once = textOf(tree)
          run(tree, file)
          expect(textOf(tree)).toBe(once)
          expect(file.messages.filter((m) => m.ruleId === 'normalise').map(String)).toEqual([])
        }),
        {numRuns: 400, examples}
      )
    }
  })
})
