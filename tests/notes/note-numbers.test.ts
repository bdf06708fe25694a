/**
 * `style.note_numbers`: the printed note numbers are the copy-text’s own (`source`: an excerpt’s notes
 * from 20, a `*` note) or 1…n in each text (`renumbered`, the default). Either way a note missing from
 * the copy-text’s sequence is reported. Built from the small fixture book, as HTML and EPUB.
 */
import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import JSZip from 'jszip'
import {build} from '../../scripts/build.ts'
import {checkManuscript} from '../../scripts/check.ts'
import {root} from '../helpers.ts'

const copyText = `An Essay

The first paragraph says "hello" to the reader.20 It is short.*

The second paragraph quotes Trotsky and ends here.21

20. A note on the first paragraph.

21. A note on the second.

* A starred note.
`

const text = `---
title: An Essay
author: A. N. Author
kind: essay
copytext: essay.txt
---

The first paragraph says “hello” to the reader.[^20] It is short.[^*]

The second paragraph quotes Trotsky and ends here.[^21]

[^20]: A note on the first paragraph.

[^21]: A note on the second.

[^*]: A starred note.
`

const dirs: string[] = []

function manuscript(numbers: string | undefined, body = text): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'reader-note-numbers-'))
  dirs.push(dir)
  const manuscript = path.join(dir, 'manuscript')
  cpSync(path.join(root, 'tests/fixtures/mini'), manuscript, {recursive: true})
  writeFileSync(path.join(manuscript, 'sources/essay.txt'), copyText)
  writeFileSync(path.join(manuscript, 'texts/essay.md'), body)
  if (numbers) writeFileSync(path.join(manuscript, 'book.yaml'), readFileSync(path.join(manuscript, 'book.yaml'), 'utf8') + `style:\n  note_numbers: ${numbers}\n`)
  return manuscript
}

async function outputs(numbers: string | undefined): Promise<{html: string; epub: string}> {
  const dir = manuscript(numbers)
  const out = path.join(path.dirname(dir), 'build')
  const result = await build({manuscript: dir, out, pdf: false, epub: true})
  expect(result.files.flatMap((file) => file.messages.filter((m) => m.fatal).map(String))).toEqual([])
  const html = readFileSync(path.join(out, 'mini-reader.html'), 'utf8')
  const zip = await JSZip.loadAsync(readFileSync(path.join(out, 'mini-reader.epub')))
  const names = Object.keys(zip.files).filter((name) => /essay.*\.xhtml$/.test(name))
  const epub = (await Promise.all(names.map((name) => zip.file(name)!.async('string')))).join('\n')
  return {html, epub}
}

/** The marks of the references and of the notes, in order. */
function marks(html: string): {refs: string[]; notes: string[]} {
  const refs = [...html.matchAll(/<a [^>]*class="noteref"[^>]*>([^<]*)<\/a>/g)].map((m) => m[1])
  const notes = [...html.matchAll(/<li [^>]*class="note"[^>]*>/g)].map((m) => /value="([^"]*)"/.exec(m[0])?.[1] ?? /data-mark="([^"]*)"/.exec(m[0])?.[1] ?? '')
  return {refs, notes}
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, {recursive: true, force: true})
})

describe('note numbers as book.yaml chooses', () => {
  it('prints the copy-text’s own numbers and symbols with `source`, in the reader HTML and the EPUB', async () => {
    const {html, epub} = await outputs('source')
    expect(marks(html)).toEqual({refs: ['20', '*', '21'], notes: ['20', '*', '21']})
    expect([...epub.matchAll(/epub:type="noteref"[^>]*>([^<]*)</g)].map((m) => m[1])).toEqual(['20', '*', '21'])
    expect([...epub.matchAll(/<span class="note-(?:number|mark)">([^<]*)</g)].map((m) => m[1])).toEqual(['20.', '*', '21.'])
  }, 180_000)

  it('numbers the notes 1…n in each text by default', async () => {
    const {html} = await outputs(undefined)
    expect(marks(html)).toEqual({refs: ['1', '2', '3'], notes: ['1', '2', '3']})
  }, 180_000)

  for (const numbers of ['source', 'renumbered']) {
    it(`reports a note missing from the copy-text’s sequence (${numbers})`, async () => {
      const gap = text.replaceAll('[^21]', '[^22]')
      const result = await checkManuscript(manuscript(numbers, gap))
      const messages = result.files.flatMap((file) => file.messages.filter((m) => m.ruleId === 'note-numbering' || m.ruleId === 'collation').map((m) => m.reason))
      expect(messages.some((reason) => /Unexpected note number `\[\^22\]` after `\[\^20\]`, expected `\[\^21\]`: a note may be lost/.test(reason))).toBe(true)
    })
  }
})
