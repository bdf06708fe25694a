/**
 * A build folder holds one build: what the previous build made (its manifest lists it) and this
 * one does not — the review files of an earlier `--review` build — is removed when this build is
 * committed; nothing the manifest did not list is touched.
 */
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, expect, it} from 'vitest'
import {checkBuildFolder, commit, openOutput} from '../../scripts/output.ts'

const dir = mkdtempSync(path.join(tmpdir(), 'reader-commit-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

/** Stage `files` (path → text) as one build with id `build`, and commit it. */
function build(out: string, id: string, files: Record<string, string>) {
  const folder = openOutput(out)
  try {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(folder.staging, name)), {recursive: true})
      writeFileSync(path.join(folder.staging, name), text)
    }
    commit(folder, 'book', id)
  } finally {
    folder.close()
  }
}

it('removes the outputs of the previous build that this one does not make, and nothing else', async () => {
  const out = path.join(dir, 'build')
  const outputs = {'book.html': 'a', 'book.pages.json': JSON.stringify({build: 'aa'})}
  build(out, 'aa', {...outputs, 'book-contact-sheet.png': 'png', 'ace/report.html': 'ace', 'ace/data/report.json': '{}', 'book-epub-1.png': 'png'})
  // The user’s own files, beside and inside the folders a review writes.
  writeFileSync(path.join(out, 'notes.txt'), 'mine')
  writeFileSync(path.join(out, 'ace', 'mine.txt'), 'mine')

  build(out, 'bb', {...outputs, 'book.pages.json': JSON.stringify({build: 'bb'})})
  expect(readdirSync(out).sort()).toEqual(['ace', 'book.build.json', 'book.html', 'book.pages.json', 'notes.txt'])
  expect(readdirSync(path.join(out, 'ace'))).toEqual(['mine.txt'])
  expect(readFileSync(path.join(out, 'notes.txt'), 'utf8')).toBe('mine')
  expect((await checkBuildFolder(out, 'book')).build).toBe('bb')

  // A folder the review alone wrote goes with its files.
  rmSync(path.join(out, 'ace', 'mine.txt'))
  build(out, 'cc', {...outputs, 'book.pages.json': JSON.stringify({build: 'cc'}), 'ace/report.html': 'ace'})
  build(out, 'dd', {...outputs, 'book.pages.json': JSON.stringify({build: 'dd'})})
  expect(existsSync(path.join(out, 'ace'))).toBe(false)
})

it('removes nothing a manifest names outside the folder', () => {
  const out = path.join(dir, 'other')
  const outside = path.join(dir, 'outside.txt')
  writeFileSync(outside, 'keep')
  build(out, 'aa', {'book.html': 'a'})
  writeFileSync(path.join(out, 'book.build.json'), JSON.stringify({build: 'aa', files: {'../outside.txt': 'x', [outside]: 'x', 'book.html': 'x'}}))
  build(out, 'bb', {'book.html': 'b'})
  expect(readFileSync(outside, 'utf8')).toBe('keep')
  expect(readFileSync(path.join(out, 'book.html'), 'utf8')).toBe('b')
})
