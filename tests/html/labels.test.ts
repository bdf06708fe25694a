/**
 * A book in French: the words the pipeline writes itself (headings of generated parts, the title and
 * copyright pages, headnotes, e-book navigation, PDF bookmarks, dates) come from book.yaml’s
 * `labels:` and the book’s language; the labels it leaves out stay English, and the build says so.
 */
import {execFileSync} from 'node:child_process'
import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import JSZip from 'jszip'
import {PDFDict, PDFDocument, PDFHexString, PDFName, PDFString} from 'pdf-lib'
import {build, type BuildResult} from '../../scripts/build.ts'
import {englishLabels, englishOrdinal, formatDate} from '../../scripts/labels.ts'
import {editionStatement} from '../../scripts/html/parts.ts'
import {bookSchema} from '../../scripts/manuscript/schema.ts'
import {root, runReader} from '../helpers.ts'

const french = `slug: petit-lecteur
title: Un petit lecteur
language: fr
editor: Jeanne Martin
edition:
  number: 2
  date: 2026-01-15
front:
  - editorial/note.md
texts:
  - texts/essay.md
labels:
  contents: Table des matières
  copyright: Droits
  title_page: Page de titre
  textual_notes: Notes textuelles
  cover: Couverture
  edited_by: Sous la direction de {editor}
  edition: '{number}e édition'
  first_published_in: Paru dans {in}
  landmarks: Repères
  pages: Pages imprimées
`

function miniCopy(prefix: string): {dir: string; manuscript: string} {
  const dir = mkdtempSync(path.join(tmpdir(), prefix))
  const manuscript = path.join(dir, 'manuscript')
  cpSync(path.join(root, 'tests/fixtures/mini'), manuscript, {recursive: true})
  return {dir, manuscript}
}

describe('a book in French, with its own labels', () => {
  let dir: string
  let result: BuildResult
  let html: string
  let pdfText: string
  let bookmarks: string[]
  let nav: string
  let cover: string

  beforeAll(async () => {
    const copy = miniCopy('reader-labels-')
    dir = copy.dir
    writeFileSync(path.join(copy.manuscript, 'book.yaml'), french)
    // The essay gets a place of first publication, for the headnote.
    const essay = path.join(copy.manuscript, 'texts/essay.md')
    writeFileSync(essay, readFileSync(essay, 'utf8').replace('kind: essay\n', 'kind: essay\nfirst_published:\n  in: La Revue\n  date: 1931-03-02\n'))
    result = await build({manuscript: copy.manuscript, out: path.join(dir, 'build')})
    html = readFileSync(path.join(dir, 'build/petit-lecteur.html'), 'utf8')
    const pdfPath = path.join(dir, 'build/petit-lecteur.pdf')
    pdfText = execFileSync('pdftotext', [pdfPath, '-'], {encoding: 'utf8'})
    bookmarks = outlineTitles(await PDFDocument.load(readFileSync(pdfPath)))
    const zip = await JSZip.loadAsync(readFileSync(path.join(dir, 'build/petit-lecteur.epub')))
    nav = await zip.file('OEBPS/toc.xhtml')!.async('string')
    cover = await zip.file('OEBPS/cover.xhtml')!.async('string')
  }, 240_000)

  afterAll(() => {
    if (dir) rmSync(dir, {recursive: true, force: true})
  })

  it('builds', () => {
    expect(result.files.flatMap((f) => f.messages.filter((m) => m.fatal).map(String))).toEqual([])
    expect(result.ok).toBe(true)
  })

  it('writes the generated parts and phrases in the book’s words, and dates as French writes them', () => {
    expect(html).toMatch(/<h1 id="contents-title"[^>]*>Table des matières<\/h1>/)
    expect(html).toContain('Sous la direction de Jeanne Martin')
    expect(html).toContain('2e édition, 15 janvier 2026')
    expect(html).toContain('Paru dans <i>La Revue</i>, 2 mars 1931.')
    expect(html).not.toMatch(/Edited by|First published|Second edition|January/)
    expect(pdfText).toContain('Table des matières')
    expect(pdfText).toContain('2e édition, 15 janvier 2026')
  })

  it('carries nothing of another book: the index has no note above it unless index.yaml gives one', () => {
    expect(html + pdfText + nav).not.toMatch(/Serge|Victor/)
    expect(html).not.toContain('index-intro')
  })

  it('names the PDF’s bookmarks and the e-book’s navigation and cover with the labels', () => {
    expect(bookmarks).toEqual(['Un petit lecteur', 'Droits', 'Table des matières', 'Editorial Note', 'An Essay (A. N. Author)', 'Notes textuelles', 'Index'])
    expect(nav).toContain('<h2>Repères</h2>')
    expect(nav).toContain('aria-label="Pages imprimées"')
    expect(nav).not.toContain('Landmarks')
    expect(cover).toMatch(/aria-label="Couverture: Un petit lecteur\. Sous la direction de Jeanne Martin\./)
  })

  it('warns, at `language` in book.yaml, that the labels it left out are English', () => {
    const bookFile = result.files.find((f) => f.path.endsWith('book.yaml'))!
    const warning = bookFile.messages.find((m) => m.ruleId === 'labels-language')
    expect(warning, 'labels-language warning').toBeDefined()
    expect(warning!.fatal).toBeFalsy()
    expect(warning!.line).toBe(3)
    expect(warning!.column).toBe(1)
    const left = Object.keys(englishLabels).length - 10
    expect(warning!.reason).toContain(`${left} generated labels`)
    expect(warning!.reason).toContain('`index`')
  })
})

describe('labels in book.yaml', () => {
  it('refuses a label that drops a placeholder, at its line and column', () => {
    const {dir, manuscript} = miniCopy('reader-labels-bad-')
    try {
      const yaml = readFileSync(path.join(manuscript, 'book.yaml'), 'utf8') + 'labels:\n  edited_by: Sous la direction de\n'
      writeFileSync(path.join(manuscript, 'book.yaml'), yaml)
      const {code, stderr} = runReader(['check', '-m', manuscript], dir)
      expect(code).not.toBe(0)
      // At the value: the key is right, its value is not.
      const lines = yaml.split('\n')
      const line = lines.findIndex((l) => l.includes('edited_by')) + 1
      expect(stderr).toContain(`book.yaml\n${line}:${lines[line - 1].indexOf('Sous') + 1} error`)
      expect(stderr).toContain('expected {editor}, as in “Edited by {editor}”')
      expect(stderr).toContain('book-schema')
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  it('refuses a label the pipeline does not write', () => {
    const parsed = bookSchema.safeParse({slug: 'a', title: 'A', language: 'fr', edition: {number: 1, date: '2026-01-01'}, texts: ['t.md'], labels: {chapter: 'Chapitre'}})
    expect(parsed.success).toBe(false)
  })

  it('an English book needs none, and gets no warning', () => {
    const {dir, manuscript} = miniCopy('reader-labels-en-')
    try {
      const {stdout, stderr} = runReader(['check', '-m', manuscript], dir)
      expect(stdout + stderr).not.toContain('labels-language')
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})

describe('editions and dates', () => {
  it('names editions past the tenth with an English ordinal, and no stray comma', () => {
    expect([1, 2, 10, 11, 12, 13, 21, 22, 23, 101].map(englishOrdinal)).toEqual(['First', 'Second', 'Tenth', '11th', '12th', '13th', '21st', '22nd', '23rd', '101st'])
    const book = bookSchema.parse({slug: 'a', title: 'A', language: 'en', edition: {number: 11, date: '2026-01-15', printing: 2}, texts: ['t.md']})
    expect(editionStatement(book)).toBe('11th edition, 15 January 2026; printing 2')
  })

  it('writes dates as the book’s language does, and leaves one it cannot read as it is', () => {
    expect(formatDate('2026-11-03', 'en')).toBe('3 November 2026')
    expect(formatDate('2026-11-03', 'en-US')).toBe('November 3, 2026')
    expect(formatDate('2026-11-03', 'fr')).toBe('3 novembre 2026')
    expect(formatDate('2026-11', 'de')).toBe('November 2026')
    expect(formatDate('1931', 'fr')).toBe('1931')
    expect(formatDate('2026-13-01', 'en')).toBe('2026-13-01')
    expect(formatDate('spring 1931', 'en')).toBe('spring 1931')
  })
})

/** The titles of a PDF’s top-level bookmarks, in order. */
function outlineTitles(doc: PDFDocument): string[] {
  const titles: string[] = []
  const outlines = doc.catalog.lookupMaybe(PDFName.of('Outlines'), PDFDict)
  let item = outlines?.lookupMaybe(PDFName.of('First'), PDFDict)
  while (item) {
    const title = item.lookup(PDFName.of('Title'))
    if (title instanceof PDFHexString || title instanceof PDFString) titles.push(title.decodeText())
    item = item.lookupMaybe(PDFName.of('Next'), PDFDict)
  }
  return titles
}
