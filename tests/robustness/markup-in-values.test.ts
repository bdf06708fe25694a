/**
 * What passes `check` builds, with markup characters in the values: an author named with `<` and
 * `&` (escaped in the EPUB’s XHTML, so EPUBCheck passes), a text title long enough to run over two
 * lines of the contents, and a label with tags in it (printed as text: preflight compares the
 * contents by their words, not by the exact strings).
 */
import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, expect, it} from 'vitest'
import {build} from '../../scripts/build.ts'
import {root} from '../helpers.ts'

const dir = mkdtempSync(path.join(tmpdir(), 'reader-markup-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

it('builds a book whose author, title and labels hold markup characters, preflight and EPUBCheck passing', async () => {
  const manuscript = path.join(dir, 'manuscript')
  cpSync(path.join(root, 'tests/fixtures/mini'), manuscript, {recursive: true})
  const title = 'An Essay on the Long Titles That Run over Two Lines of the Contents, with <Angle Brackets> & More'
  const essay = path.join(manuscript, 'texts/essay.md')
  writeFileSync(essay, readFileSync(essay, 'utf8').replace('title: An Essay\nauthor: A. N. Author', `title: "${title}"\nauthor: "A. <N.> Author & Co"`))
  const copyText = path.join(manuscript, 'sources/essay.txt')
  writeFileSync(copyText, readFileSync(copyText, 'utf8').replace(/^An Essay$/m, title))
  writeFileSync(path.join(manuscript, 'book.yaml'), readFileSync(path.join(manuscript, 'book.yaml'), 'utf8') + "labels:\n  contents: '<b>Contents</b>'\n")

  const result = await build({manuscript, out: path.join(dir, 'build')})
  expect(result.files.flatMap((file) => file.messages.filter((m) => m.fatal).map(String))).toEqual([])
  expect(result.ok).toBe(true)
  const html = readFileSync(path.join(dir, 'build/mini-reader.html'), 'utf8')
  expect(html).toContain('&#x3C;b>Contents&#x3C;/b>')
  expect(html).toContain('A. &#x3C;N.> Author &#x26; Co')
})
