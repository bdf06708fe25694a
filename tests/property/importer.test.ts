/** The importer never throws on arbitrary text, places every message, and is stable on its own output’s words. */
import {describe, it, expect} from 'vitest'
import fc from 'fast-check'
import {VFile} from 'vfile'
import {importCopyText} from '../../scripts/import/import.ts'

const fragments = fc.constantFrom(
  '1. ', '12. ', '  3. ', '(1)', '(2)', '(1927)', '.1', '.”3', ',"2', ' 1 –', ' 2 — ', 'Word', 'Title Case Heading', '== Section ==', '= ', '- ', '* ',
  '# ', '> ', '[^1]', ']: ', '<div>', '</div>', '<!--', '-->', '```', '~~~', '|', ' | ', '---', '***', '\\', '`', '*', '_', ':corr[x]{was="y"}',
  '\n', '\n\n', '\r\n', '\r', ' ', '\t', '\u00A0', '\u200B', '\uFEFF', '\0', '.', '…', '”', '“', '’', 'é', 'e\u0301', 'Щ', '😀', '\uD800',
  'claim.1 ', 'said,”2\n', 'left.(1) ', '\n\n1. A note.\n', '\n2. Another note.\n', '\n  1. Indented.\n', '\n\nNotes\n\n'
)

const generators = {
  'arbitrary strings': fc.string({maxLength: 400}),
  'full unicode, lone surrogates included': fc.string({unit: 'binary', maxLength: 300}),
  graphemes: fc.string({unit: 'grapheme', maxLength: 200}),
  'copy-text fragments': fc.array(fragments, {maxLength: 120}).map((parts) => parts.join('')),
  'many lines': fc.array(fc.oneof(fc.string({maxLength: 40}), fragments), {maxLength: 200}).map((lines) => lines.join('\n'))
}

describe('importCopyText (property)', () => {
  for (const [name, generator] of Object.entries(generators)) {
    it(`never throws, and places every message (${name})`, () => {
      fc.assert(
        fc.property(generator, (value) => {
          const file = new VFile({path: 'raw.txt', value})
          const result = importCopyText(file)
          expect(typeof result.markdown).toBe('string')
          expect(result.notes.matched).toBeLessThanOrEqual(result.notes.found)
          for (const message of file.messages) {
            expect(message.line, String(message)).toBeGreaterThanOrEqual(1)
            expect(message.column, String(message)).toBeGreaterThanOrEqual(1)
          }
        }),
        {numRuns: 300}
      )
    })
  }

  it('never throws on its own output (import of an import)', () => {
    fc.assert(
      fc.property(generators['copy-text fragments'], (value) => {
        const once = importCopyText(new VFile({path: 'raw.txt', value})).markdown
        expect(() => importCopyText(new VFile({path: 'draft.md', value: once}))).not.toThrow()
      }),
      {numRuns: 300}
    )
  })
})
