/**
 * `editorial-claims`: the editorial matter’s statements about the edition, held true on the real
 * book, and each kind of false statement planted in a copy of it and reported where it is made.
 */
import {describe, it, expect, beforeAll, afterAll} from 'vitest'
import {rmSync} from 'node:fs'
import path from 'node:path'
import {checkManuscript} from '../../scripts/check.ts'
import {processManuscript} from '../../scripts/pipeline.ts'
import {checkExamplePages} from '../../scripts/editorial/claims.ts'
import {copyManuscript, locate, manuscriptDir, plant} from '../helpers.ts'

type Found = {file: string; line?: number; column?: number; ruleId?: string; reason: string; fatal?: boolean | null}

function messagesOf(files: Awaited<ReturnType<typeof checkManuscript>>['files'], dir: string): Found[] {
  return files.flatMap((file) =>
    file.messages.map((m) => ({
      file: path.relative(dir, path.resolve(file.cwd, file.path)),
      line: m.line,
      column: m.column,
      ruleId: m.ruleId,
      reason: m.reason,
      fatal: m.fatal
    }))
  )
}

describe('editorial-claims on the Serge reader', () => {
  it('finds the editorial matter true of the edition', async () => {
    const result = await checkManuscript(manuscriptDir)
    expect(messagesOf(result.files, manuscriptDir).filter((m) => m.ruleId === 'editorial-claims')).toEqual([])
    expect((result.report as {rules: string[]}).rules).toContain('editorial-claims')
  })
})

describe('editorial-claims, each claim made false once', () => {
  let dir: string
  let found: Found[]
  const at = (file: string, needle: string) => ({file, ...locate(dir, file, needle)})

  beforeAll(async () => {
    dir = copyManuscript()
    // The Textual Notes keyed by page alone (as the editorial note once said).
    plant(dir, 'editorial/editorial-note.md', '`23.8 books]', '`23 books]')
    // A reading in a footnote keyed by page and line; a reading no text records.
    plant(dir, 'editorial/editorial-note.md', '`24 n. 2 Paizis]', '`24.30 Paizis]')
    plant(
      dir,
      'editorial/editorial-note.md',
      'A reading kept deliberately',
      'Thus `23.8 novels] Business Relationships copy-text` too. A reading kept deliberately'
    )
    // A work in the bibliography that works.yaml lacks.
    plant(dir, 'editorial/bibliography.md', '- *Lenin 1917*, written', '- *Lenin 1918*, written')
    // A see also between entries no text names together; a see to no entry.
    plant(dir, 'index.yaml', "    match: [Maspero]\n", "    match: [Maspero]\n    see_also: ['Joyce, James']\n")
    plant(dir, 'index.yaml', 'see: Mazin, Vladimir', 'see: Mazin, Vlad')
    found = messagesOf((await checkManuscript(dir)).files, dir).filter((m) => m.ruleId === 'editorial-claims')
  })

  afterAll(() => {
    if (dir) rmSync(path.dirname(dir), {recursive: true, force: true})
  })

  const expectAt = (place: {file: string; line: number; column?: number}, pattern: RegExp) => {
    const hit = found.find((m) => m.file === place.file && m.line === place.line && pattern.test(m.reason))
    expect(hit, `${place.file}:${place.line} ${pattern}\n${found.map((m) => `${m.file}:${m.line} ${m.reason}`).join('\n')}`).toBeDefined()
    expect(hit!.fatal).toBe(true)
    if (place.column) expect(hit!.column).toBe(place.column)
  }

  it('reports an example keyed by page alone, at the example', () => {
    expectAt(at('editorial/editorial-note.md', '`23 books]'), /key `23`.*expected page and line/)
  })

  it('reports a footnote reading keyed by page and line', () => {
    expectAt(at('editorial/editorial-note.md', '`24.30 Paizis]'), /expected page and note .*in a footnote/)
  })

  it('reports an example no text records', () => {
    expectAt(at('editorial/editorial-note.md', '`23.8 novels]'), /no text records/)
  })

  it('reports a work of the bibliography missing from works.yaml', () => {
    expectAt(at('editorial/bibliography.md', '*Lenin 1918*'), /`Lenin 1918`.*works\.yaml/)
  })

  it('reports a see also to an entry that shares no text, and a see to no entry', () => {
    const maspero = locate(dir, 'index.yaml', '- term: Maspero, François')
    expectAt({file: 'index.yaml', line: maspero.line}, /`Maspero, François` to `Joyce, James`: no text names both/)
    const mazin = locate(dir, 'index.yaml', '- term: Lichtenstadt, Vladimir Mazin-')
    expectAt({file: 'index.yaml', line: mazin.line}, /`see` from .* to `Mazin, Vlad`, which is no entry/)
  })

  it('reports nothing else', () => {
    expect(found).toHaveLength(6)
  })

  it('is silenced by rules: off in book.yaml', async () => {
    plant(dir, 'book.yaml', 'rules: {}', "rules: {editorial-claims: 'off'}")
    const quiet = messagesOf((await checkManuscript(dir)).files, dir).filter((m) => m.ruleId === 'editorial-claims')
    expect(quiet).toEqual([])
  })
})

describe('editorial-claims reads every kind of Textual Notes entry', () => {
  it('accepts a deletion, an addition, a supplied word, a sic and an entry with its reason', async () => {
    const dir = copyManuscript()
    try {
      plant(
        dir,
        'editorial/editorial-note.md',
        'A reading kept deliberately',
        'As `1.28 om.] born in copy-text`, `19.22 ,] not in copy-text`, `30.23 [had]] not in copy-text; supplied by the editor`, `41.10 a large extent] sic copy-text, kept` and `23.8 books] Business Relationships copy-text (scraper substitution)`. A reading kept deliberately'
      )
      const quiet = messagesOf((await checkManuscript(dir)).files, dir).filter((m) => m.ruleId === 'editorial-claims')
      expect(quiet).toEqual([])
      // The same kinds, each mistaken: a deletion of other words, an addition the copy-text has.
      plant(dir, 'editorial/editorial-note.md', '`1.28 om.] born in copy-text`', '`1.28 om.] born on copy-text`')
      plant(dir, 'editorial/editorial-note.md', '`30.23 [had]] not in copy-text; supplied by the editor`', '`30.23 [has]] not in copy-text; supplied by the editor`')
      const loud = messagesOf((await checkManuscript(dir)).files, dir).filter((m) => m.ruleId === 'editorial-claims')
      expect(loud.map((m) => m.reason)).toEqual([
        expect.stringMatching(/`1\.28 om\.\] born on copy-text` that no text records/),
        expect.stringMatching(/`30\.23 \[has\]\] not in copy-text; supplied by the editor` that no text records/)
      ])
    } finally {
      rmSync(path.dirname(dir), {recursive: true, force: true})
    }
  })
})

describe('the page of a Textual Notes example, after the PDF', () => {
  it('warns when the printed page of the reading is not the example’s', async () => {
    const processed = await processManuscript(manuscriptDir)
    const penick = processed.parts.find((part) => part.id === 't-penick-at-liberations-heart')!
    const books = penick.loaded.file.data.textual!.find((record) => record.reading === 'books')!
    const note = processed.parts.find((part) => part.loaded.rel === 'editorial/editorial-note.md')!
    const before = note.loaded.file.messages.length
    // As printed: no message.
    checkExamplePages(processed, {[books.id]: '23', 't-penick-at-liberations-heart-fnref-2': '24'})
    expect(note.loaded.file.messages.length).toBe(before)
    // The book reflowed: books on 27, note 2 called on 25.
    checkExamplePages(processed, {[books.id]: '27', 't-penick-at-liberations-heart-fnref-2': '25'})
    const added = note.loaded.file.messages.slice(before).map((m) => m.reason)
    expect(added).toEqual([
      expect.stringMatching(/page 23 in the Textual Notes example `23\.8 books\].*expected 27/),
      expect.stringMatching(/page 24 in the Textual Notes example `24 n\. 2 Paizis\].*expected 25/)
    ])
    expect(note.loaded.file.messages.slice(before).every((m) => m.fatal === false && m.ruleId === 'editorial-claims')).toBe(true)
  })
})
