import {describe, it, expect, beforeAll} from 'vitest'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {parse as parseYaml} from 'yaml'
import {selectAll, select} from 'hast-util-select'
import type {Root, Element} from 'hast'
import {processManuscript} from '../../scripts/pipeline.ts'
import {assembleDocument} from '../../scripts/html/document.ts'
import {textOf} from '../../scripts/html/parts.ts'
import {manuscriptDir, runReader, copyManuscript} from '../helpers.ts'

let tree: Root
let html: string

beforeAll(async () => {
  const processed = await processManuscript(manuscriptDir)
  const doc = assembleDocument(processed)
  tree = doc.tree
  html = doc.html
})

const idOf = (node: Element) => String(node.properties.id)

describe('the reader HTML', () => {
  it('has every text, in the order of book.yaml', () => {
    const book = parseYaml(readFileSync(path.join(manuscriptDir, 'book.yaml'), 'utf8'))
    const expected = book.texts.map((file: string) => `t-${path.basename(file, '.md')}`)
    expect(selectAll('section.part.text', tree).map(idOf)).toEqual(expected)
  })

  it('resolves every note reference to exactly one note, and every note back to its reference', () => {
    const refs = selectAll('a.noteref', tree)
    expect(refs.length).toBeGreaterThanOrEqual(30)
    for (const ref of refs) {
      const target = String(ref.properties.href).slice(1)
      const notes = selectAll(`[id="${target}"]`, tree)
      expect(notes, `note for ${target}`).toHaveLength(1)
      expect(notes[0].tagName).toBe('li')
      expect(notes[0].properties.role).toBe('doc-endnote')
      const back = select('a.backlink', notes[0])
      expect(back?.properties.href).toBe(`#${idOf(ref)}`)
      expect(back?.properties.role).toBe('doc-backlink')
      expect(ref.properties.role).toBe('doc-noteref')
    }
  })

  it('keeps each essay’s notes, numbered 1…n in reading order', () => {
    const count = (id: string) => selectAll(`#${id} section.notes li.note`, tree)
    expect(count('t-penick-at-liberations-heart')).toHaveLength(17)
    expect(count('t-weissman-serge-legacy')).toHaveLength(13)
    const numbers = selectAll('#t-weissman-serge-legacy a.noteref:not(.ednote-ref)', tree).map((a) => textOf(a))
    expect(numbers).toEqual(Array.from({length: 13}, (_, i) => String(i + 1)))
  })

  it('prints the note above the index that index.yaml gives', () => {
    const intro = select('#index p.index-intro', tree)
    expect(intro && textOf(intro)).toMatch(/^Names of people, works by Victor Serge and others, and periodicals/)
  })

  it('marks editor’s notes in reading order: one inside an author’s note where that note is called', () => {
    // Penick’s note 2 (called in the first block quote) holds an editor’s note; the text’s own
    // editor’s notes come after that call.
    const text = select('#t-penick-at-liberations-heart', tree)!
    const marks = selectAll('a.ednote-ref', text)
    const inNote2 = select('section.notes li.note:nth-child(2) a.ednote-ref', text)!
    expect(textOf(inNote2)).toBe('*')
    expect(marks.map((a) => textOf(a)).sort()).toEqual(['*', '†', '‡', '§', '‖', '¶', '**', '††'].sort())
    // In the body, the marks follow *: †, ‡, … in order.
    const body = marks.filter((a) => a !== inNote2).map((a) => textOf(a))
    expect(body).toEqual(['†', '‡', '§', '‖', '¶', '**', '††'])
    // The editor’s notes list keeps the same order, and each note links back to its mark.
    const listed = selectAll('section.ednotes li', text).map((li) => String(li.properties.dataMark))
    expect(listed).toEqual(['*', '†', '‡', '§', '‖', '¶', '**', '††'])
    expect(select('section.ednotes li:first-child a.backlink', text)?.properties.href).toBe(`#${idOf(inNote2)}`)
  })

  it('lists the textual notes in reading order, a reading in an author’s note where that note is called', () => {
    // Penick: “Paizis” is corrected in note 2, called in the first block quote, before the
    // misplaced apostrophe of “Mazin-Lichtenstadt’s” further on in the text.
    const lemmas = selectAll('#textual-notes a.tn-ref', tree).map((a) => textOf(a))
    const paizis = lemmas.indexOf('Paizis')
    expect(paizis).toBeGreaterThan(-1)
    expect(paizis).toBeLessThan(lemmas.indexOf('Mazin-Lichtenstadt’s'))
    expect(lemmas.indexOf('books')).toBeLessThan(paizis)
  })

  it('marks languages, the small-caps lead-in and titles', () => {
    expect(select('#t-encyclopedia-victor-serge [lang="ru"]', tree)).toBeTruthy()
    expect(select('#t-weissman-serge-legacy [lang="fr"]', tree)).toBeTruthy()
    expect(textOf(select('#t-weissman-serge-legacy .lead-in', tree)!)).toBe('VICTOR SERGE HAD')
    expect(select('#t-penick-at-liberations-heart blockquote.epigraph p.attribution', tree)).toBeTruthy()
  })

  it('shows corrections in the text and lists each in the textual notes with the copy-text reading', () => {
    const corr = select('#t-penick-at-liberations-heart span.corr', tree)!
    expect(textOf(corr)).toBe('books')
    const entry = select(`#textual-notes a.tn-ref[href="#${idOf(corr)}"]`, tree)
    expect(entry).toBeTruthy()
    expect(html).toContain('Business Relationships <i>copy-text</i>')
  })

  it('credits the CC BY-SA text on the copyright page, under the book’s title in italics as it is cited', () => {
    expect(textOf(select('#copyright', tree)!)).toContain('CC BY-SA')
    expect(textOf(select('#copyright .copyright-title > i', tree)!)).toBe('Victor Serge: A Critical Reader')
  })

  it('numbers every block of text for the page map, once', () => {
    const numbers = selectAll('[data-b]', tree).map((node) => Number(node.properties.dataB))
    expect(numbers).toEqual(Array.from({length: numbers.length}, (_, i) => i + 1))
    expect(selectAll('[data-b] [data-b]', tree)).toEqual([])
  })

  it('carries no script, event handler or remote resource', () => {
    expect(html).not.toMatch(/<script|<iframe|<object|<embed|\son[a-z]+=|javascript:/i)
    expect(html).not.toMatch(/<(img|link)[^>]+(src|href)="https?:/i)
  })

  it('is written by `reader build --html-only` into the output folder', () => {
    const dir = copyManuscript()
    const out = path.join(dir, '..', 'out')
    const {code, stderr} = runReader(['build', '--html-only', '--manuscript', dir, '--out', out])
    expect(stderr).toContain('wrote')
    expect(code).toBe(0)
    expect(readFileSync(path.join(out, 'victor-serge-reader.html'), 'utf8')).toBe(html)
  })
})
