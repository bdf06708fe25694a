/**
 * What the editor knows from outside the texts is shown to be the editor’s: `source="…"` on an
 * editor’s note or a correction prints `Source: …`, and a text’s `supplied:` values print in square
 * brackets with the editor’s account, in the headnote and on the Sources page. Checked on the real
 * book’s reader HTML, which the PDF and the EPUB are made from.
 */
import {describe, it, expect, beforeAll} from 'vitest'
import {rmSync} from 'node:fs'
import path from 'node:path'
import {select, selectAll} from 'hast-util-select'
import {toString} from 'hast-util-to-string'
import type {Root} from 'hast'
import {checkManuscript} from '../../scripts/check.ts'
import {assembleDocument} from '../../scripts/html/document.ts'
import {loadIndex} from '../../scripts/html/index-of-names.ts'
import {formatDate} from '../../scripts/labels.ts'
import {copyManuscript, manuscriptDir, plant} from '../helpers.ts'

async function readerTree(dir: string): Promise<{tree: Root; errors: number; reasons: string[]}> {
  const result = await checkManuscript(dir)
  const reasons = result.files.flatMap((file) => file.messages.filter((m) => m.fatal).map((m) => `${m.reason} [${m.ruleId}]`))
  if (result.counts.errors > 0) return {tree: {type: 'root', children: []}, errors: result.counts.errors, reasons}
  const index = loadIndex(result.processed.manuscript.dir)
  return {tree: assembleDocument(result.processed, {index: index.data}).tree, errors: 0, reasons}
}

describe('editor-supplied statements in the reader HTML', () => {
  let tree: Root
  beforeAll(async () => {
    tree = (await readerTree(manuscriptDir)).tree
  })

  it('prints the source of an editor’s note set apart, and marks the note', () => {
    const notes = selectAll('#bibliography section.ednotes li.ednote', tree)
    expect(notes.length).toBeGreaterThan(0)
    for (const note of notes) {
      expect(note.properties.className).toContain('ednote-sourced')
      const source = select('span.ednote-source', note)
      expect(source && toString(source)).toMatch(/^Source: .+\.$/)
    }
    // Editor’s notes that only report the texts have no source.
    const penick = selectAll('#t-penick-at-liberations-heart section.ednotes li.ednote', tree)
    expect(penick.some((note) => select('span.ednote-source', note))).toBe(false)
  })

  it('gives the source of a correction that rests on outside knowledge in the Textual Notes', () => {
    const entries = selectAll('#textual-notes li.tn', tree).map((li) => toString(li))
    const precigne = entries.find((entry) => entry.startsWith('Précigné]'))
    expect(precigne).toMatch(/Precigne copy-text \(misspelt place name: the accents are lost\. Source: INSEE/)
    expect(entries.find((entry) => entry.startsWith('François]'))).toMatch(/Source: /)
    // A reason without a source is printed as before.
    expect(entries.find((entry) => entry.startsWith('books]'))).toBe('books] Business Relationships copy-text (scraper substitution)')
  })

  it('prints supplied values in square brackets, with the editor’s account, in the headnote and the Sources list', () => {
    const head = select('#t-lena-remembering-victor-serge .headnote', tree)!
    expect(toString(head)).toMatch(/^First published in \[Tempest\], \[2022\]\. /)
    expect(toString(head)).toMatch(/In square brackets, what the copy-text does not state: the copy-text names neither the place nor the date/)
    const sources = selectAll('#sources ol.sources-list li', tree).map((li) => toString(li))
    expect(sources[0]).toMatch(/^“Remembering Victor Serge: On the 75th anniversary of his death”, by Theodor Lena\. \[Tempest\], \[2022\]\. Rights not stated/)
    expect(sources[1]).toMatch(/^“Victor Serge: Revolutionary and Chronicler of Revolution”\. Place of first publication not stated/)
    expect(sources[2]).toMatch(/^“Victor Serge”, by \[Wikipedia contributors\]\. \[Wikipedia\], \[https:\/\/en\.wikipedia\.org\/wiki\/Victor_Serge\]\. \[Text of the Wikipedia article/)
    // Unsupplied values are not bracketed; a bimonthly issue is dated by its two months.
    expect(sources[4]).toMatch(/^“Victor Serge’s Legacy”, by Susan Weissman\. \[Against the Current, no\. 136\], September–October 2008\./)
    expect(toString(select('#t-weissman-serge-legacy .headnote', tree)!)).toMatch(/^First published in \[Against the Current, no\. 136\], September–October 2008\./)
  })

  it('refuses an empty source', async () => {
    const dir = copyManuscript()
    plant(dir, 'texts/penick-at-liberations-heart.md', 'Vlady joined him in Orenburg only in 1934.]', 'Vlady joined him in Orenburg only in 1934.]{source=""}')
    try {
      const {errors, reasons} = await readerTree(dir)
      expect(errors).toBe(1)
      expect(reasons[0]).toMatch(/Unexpected empty `source`.*\[critical-markup\]/)
    } finally {
      rmSync(path.dirname(dir), {recursive: true, force: true})
    }
  })
})

describe('dates of first publication', () => {
  it('writes an interval of months as the language writes it', () => {
    expect(formatDate('2008-09/2008-10')).toBe('September–October 2008')
    expect(formatDate('2008-11/2009-01')).toBe('November 2008–January 2009')
    expect(formatDate('2008-09/2008-10', 'fr')).toBe('septembre–octobre 2008')
    expect(formatDate('2008-13/2008-14')).toBe('2008-13/2008-14')
  })
})
