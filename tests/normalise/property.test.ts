/** Every normaliser never throws on arbitrary text and is idempotent. */
import {describe, it, expect} from 'vitest'
import fc from 'fast-check'
import {parse, textOf} from './helpers.ts'
import {normalisers} from '../../scripts/normalise/index.ts'
import remarkNormaliseQuotes from '../../scripts/normalise/quotes.ts'
import remarkNormaliseDashes from '../../scripts/normalise/dashes.ts'
import remarkNormaliseEllipses from '../../scripts/normalise/ellipses.ts'
import remarkNormaliseSpaces from '../../scripts/normalise/spaces.ts'
import remarkNormaliseNoteReferences from '../../scripts/normalise/note-references.ts'

const pieces = ['"', "'", '‘', '’', '“', '”', '.', '. ', '…', '-', '–', '—', ' ', '  ', ',', ' ,', 'p.', 'pp. ', '82', '3', 'a', 'Word', '’30s', "'em", ' n ', '(', ')', '[', ']', '[^1]', '`c"d`', '*x*', ':corr[y]{was="z"}', '\n', '\u00A0', 'D. J. ', ';', '!', '?', 'https://e.org/a"b']
const text = fc.oneof(
  fc.array(fc.constantFrom(...pieces), {maxLength: 40}).map((parts) => parts.join('')),
  fc.string({maxLength: 60}),
  fc.string({unit: 'grapheme', maxLength: 40})
)
const markdown = text.map((body) => `${body}\n\n[^1]: note ${body.slice(0, 10)}`)

const plugins = {
  quotes: [() => remarkNormaliseQuotes({style: 'double-first'}), () => remarkNormaliseQuotes({style: 'single-first'})],
  dashes: [() => remarkNormaliseDashes({pageRanges: 'full'}), () => remarkNormaliseDashes({pageRanges: 'elided'})],
  ellipses: [() => remarkNormaliseEllipses({ellipsis: '…'}), () => remarkNormaliseEllipses({ellipsis: '. . .'}), () => remarkNormaliseEllipses({ellipsis: '...'})],
  spaces: [() => remarkNormaliseSpaces()],
  'note references': [() => remarkNormaliseNoteReferences({afterPunctuation: true}), () => remarkNormaliseNoteReferences({afterPunctuation: false})],
  preset: [() => ((tree: any) => { for (const step of normalisers()) step(tree) }) as (tree: any) => undefined]
}

describe('normalisers (property)', () => {
  for (const [name, makers] of Object.entries(plugins)) {
    it(`${name}: never throws and is idempotent`, () => {
      for (const make of makers) {
        fc.assert(
          fc.property(markdown, (md) => {
            const step = make() as (tree: any) => undefined
            const tree = parse(md)
            step(tree)
            const once = textOf(tree)
            step(tree)
            expect(textOf(tree)).toBe(once)
          }),
          {numRuns: 400}
        )
      }
    })
  }
})
