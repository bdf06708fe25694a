/**
 * The EPUB as Calibre reads it — the metadata retailers and library software take from it, and the
 * AZW3 conversion (the Kindle path), which must keep the book face. Runs only where Calibre’s
 * `ebook-meta` and `ebook-convert` are installed (Debian: `apt-get install calibre`; `npm test`
 * installs it where apt can, scripts/setup.sh --tests); tests/epub/epub.test.ts checks the TrueType
 * files the conversion keeps everywhere.
 */
import {execFile} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {promisify} from 'node:util'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import JSZip from 'jszip'
import {makeEpub} from '../../scripts/epub/epub.ts'
import {fixtureHtml, fixtureModel, fixturePagination} from './fixture.ts'

const run = promisify(execFile)
const onPath = (name: string) => (process.env.PATH ?? '').split(path.delimiter).some((d) => d && existsSync(path.join(d, name)))
const calibre = onPath('ebook-convert') && onPath('ebook-meta')

let dir: string
let epub: string

beforeAll(async () => {
  if (!calibre) return
  dir = mkdtempSync(path.join(tmpdir(), 'reader-calibre-'))
  epub = path.join(dir, 'book.epub')
  const model = fixtureModel({editor: 'Anne Editor', publisher: {imprint: 'Test Press', place: 'London'}, description: 'A book to test with.'})
  await makeEpub({html: fixtureHtml, model, buildDir: dir, outPath: epub, pagination: fixturePagination})
})

afterAll(() => {
  if (dir) rmSync(dir, {recursive: true, force: true})
})

describe.skipIf(!calibre)('Calibre', () => {
  it('shows the author, title, publisher, language and description (ebook-meta)', async () => {
    const {stdout} = await run('ebook-meta', [epub], {env: {...process.env, CALIBRE_CONFIG_DIRECTORY: path.join(dir, 'config')}})
    const field = (name: string) => stdout.match(new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm'))?.[1].trim()
    expect(field('Title')).toBe('Victor Serge: A Critical Reader')
    expect(field('Author\\(s\\)')).toBe('Anne Editor [Editor, Anne]')
    expect(field('Publisher')).toBe('Test Press')
    expect(field('Languages')).toBe('eng')
    expect(field('Comments')).toBe('A book to test with.')
  }, 60_000)

  it('keeps the book face in the AZW3 conversion', async () => {
    const env = {...process.env, CALIBRE_CONFIG_DIRECTORY: path.join(dir, 'config')}
    const azw3 = path.join(dir, 'book.azw3')
    const back = path.join(dir, 'back.epub')
    await run('ebook-convert', [epub, azw3], {env, timeout: 120_000})
    // Read the AZW3 back (as Calibre reads a Kindle book) and look for the fonts and their @font-face rules.
    await run('ebook-convert', [azw3, back], {env, timeout: 120_000})
    const zip = await JSZip.loadAsync(readFileSync(back))
    const fonts = Object.keys(zip.files).filter((n) => /\.(ttf|otf)$/i.test(n))
    expect(fonts).toHaveLength(4)
    const css = (await Promise.all(Object.keys(zip.files).filter((n) => n.endsWith('.css')).map((n) => zip.file(n)!.async('string')))).join('\n')
    const faces = [...css.matchAll(/@font-face\s*{[^}]*}/g)].map((m) => m[0])
    expect(faces).toHaveLength(4)
    for (const face of faces) expect(face).toMatch(/font-family:\s*"?Source Serif 4"?/)
  }, 240_000)
})
