/**
 * The book as a reader sees it: the pages an editor looks at first are rendered to images (kept in
 * build/pages/ for a person to open), and the images are read back to check what must be there
 * — ink on an opening page, nothing at all on a blank verso.
 */
import {describe, it, expect, beforeAll} from 'vitest'
import {mkdirSync, mkdtempSync, readFileSync, existsSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {execFileSync} from 'node:child_process'
import {build} from '../../scripts/build.ts'
import type {Pagination} from '../../scripts/model.ts'
import {manuscriptDir, root} from '../helpers.ts'

let out: string
let pdf: string
let pagination: Pagination
const pagesDir = path.join(root, 'build', 'pages')

/** Render one page to a greyscale image and return its pixels (0 = black, 255 = white). */
function pixels(page: number, name: string): {width: number; height: number; data: Uint8Array} {
  const base = path.join(pagesDir, name)
  execFileSync('pdftoppm', ['-r', '40', '-gray', '-f', String(page), '-l', String(page), '-singlefile', pdf, base])
  execFileSync('pdftoppm', ['-r', '60', '-png', '-f', String(page), '-l', String(page), '-singlefile', pdf, base])
  const pgm = readFileSync(`${base}.pgm`)
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 64).toString('latin1'))!
  return {width: Number(header[1]), height: Number(header[2]), data: pgm.subarray(header[0].length)}
}

const ink = (image: {data: Uint8Array}) => image.data.filter((value) => value < 200).length

/** The physical page (1-based) of an element id, from the pagination. */
function pageOf(id: string): number {
  const label = pagination.idPages[id]
  const start = pagination.starts.find((s) => s.label === label)
  if (!start) throw new Error(`no page for ${id}`)
  return start.index + 1
}

beforeAll(async () => {
  mkdirSync(pagesDir, {recursive: true})
  out = mkdtempSync(path.join(tmpdir(), 'reader-look-'))
  const result = await build({manuscript: manuscriptDir, out, epub: false, skipValidation: true, onPagination: (p) => (pagination = p)})
  expect(result.ok).toBe(true)
  pdf = path.join(out, 'victor-serge-reader.pdf')
}, 300_000)

describe('the pages a reader looks at first', () => {
  it('renders the copyright page, the contents, a text opening, a page with footnotes and the index', () => {
    const pages = {
      copyright: pageOf('copyright'),
      contents: pageOf('contents'),
      opening: pageOf('t-penick-at-liberations-heart'),
      footnotes: pageOf('t-penick-at-liberations-heart-fn-2'),
      index: pageOf('index')
    }
    for (const [name, page] of Object.entries(pages)) {
      const image = pixels(page, name)
      expect(ink(image), `${name} (page ${page}) has text`).toBeGreaterThan(100)
      expect(existsSync(path.join(pagesDir, `${name}.png`))).toBe(true)
    }
  })

  it('leaves blank versos truly blank: no running head, no folio', () => {
    const blanks = pagination.starts.filter((start) => start.block === null && start.index > 3)
    expect(blanks.length).toBeGreaterThan(0)
    for (const blank of blanks) expect(ink(pixels(blank.index + 1, `blank-${blank.index + 1}`)), `page ${blank.index + 1}`).toBe(0)
  })

  it('prints no running head on a text’s opening page, and one on the next', () => {
    const opening = pageOf('t-weissman-serge-legacy')
    const first = execFileSync('pdftotext', ['-f', String(opening), '-l', String(opening), pdf, '-'], {encoding: 'utf8'}).trim().split('\n')[0]
    expect(first).toBe('Victor Serge’s Legacy')
    const next = execFileSync('pdftotext', ['-f', String(opening + 1), '-l', String(opening + 1), pdf, '-'], {encoding: 'utf8'}).trim().split('\n').slice(0, 3)
    expect(next.join(' ').toLowerCase()).toMatch(/susan weissman|victor serge’s legacy/)
  })
})
