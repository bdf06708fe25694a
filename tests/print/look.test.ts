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
import {pageTexts} from '../../scripts/print/text-compare.ts'

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

/** The words of one page as `pdftotext -bbox` gives them. */
function pageWords(page: number): Array<{x0: number; x1: number; y0: number; y1: number; text: string}> {
  const bbox = execFileSync('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), pdf, '-'], {encoding: 'utf8'})
  return [...bbox.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</g)].map((m) => ({x0: +m[1], y0: +m[2], x1: +m[3], y1: +m[4], text: m[5]}))
}

/** A page’s lines: its words grouped by baseline, left to right. */
function pageLines(page: number) {
  const lines = new Map<number, ReturnType<typeof pageWords>>()
  for (const word of pageWords(page)) {
    const key = [...lines.keys()].find((y) => Math.abs(y - word.y1) < 2) ?? word.y1
    lines.set(key, [...(lines.get(key) ?? []), word])
  }
  return [...lines.entries()].sort((a, b) => a[0] - b[0]).map(([, words]) => words.sort((a, b) => a.x0 - b.x0))
}

const centre = (words: Array<{x0: number; x1: number}>) => (Math.min(...words.map((w) => w.x0)) + Math.max(...words.map((w) => w.x1))) / 2
const squeeze = (text: string) => text.replace(/\s+/g, '').toLowerCase()

describe('the finished parts of the design', () => {
  it('sets the title centred and larger than its subtitle, on the axis of the half-title (the title-page cascade)', () => {
    const [title, subtitle] = pageLines(pageOf('title-page'))
    const [halfTitle] = pageLines(pageOf('half-title'))
    expect(title.map((w) => w.text).join(' ')).toBe('Victor Serge')
    expect(subtitle.map((w) => w.text).join(' ')).toBe('A Critical Reader')
    expect(Math.abs(centre(title) - centre(subtitle))).toBeLessThan(1.5)
    expect(Math.abs(centre(title) - centre(halfTitle))).toBeLessThan(1.5)
    // 30 pt over 15 pt; the cascade bug printed it at 17 pt, flush left.
    expect(title[0].y1 - title[0].y0).toBeGreaterThan(1.6 * (subtitle[0].y1 - subtitle[0].y0))
  })

  it('sets each contributor’s name on a line of its own, above the note', () => {
    const html = readFileSync(path.join(out, 'victor-serge-reader.html'), 'utf8')
    const names = [...html.matchAll(/<p class="contributor-name"[^>]*>([^<]+)<\/p>/g)].map((m) => m[1])
    expect(names).toEqual(['Theodor Lena', 'Douglas Penick', 'Susan Weissman'])
    const first = pageOf('contributors')
    const lines = [...pageLines(first), ...pageLines(first + 1)].map((line) => squeeze(line.map((w) => w.text).join('')))
    for (const name of names) {
      const at = lines.indexOf(squeeze(name))
      expect(at, `${name} alone on its line`).toBeGreaterThan(0)
      // The note begins on the next line (`Douglas Penick has…`, `Suzi (Susan) Weissman…`).
      expect(lines[at + 1]).toMatch(/^(theodorlena|douglaspenick|suzi)/)
    }
  })

  it('sets every footnote one way, numbered or the editor’s: the mark hanging, the text aligned beside it', () => {
    const starts = new Map<string, number[]>()
    for (const [i, start] of pagination.starts.entries()) {
      if (!start.area || start.area[2] >= start.area[1]) continue
      const notes = pageLines(i + 1).filter((l) => l[0].y0 >= start.area![2] && l[0].y1 <= start.area![1] + 2)
      const left = Math.min(...notes.map((l) => l[0].x0))
      for (const line of notes) {
        const [mark, next] = line
        // A note’s first line: its mark at the notes’ left edge (a line that goes on begins at the indent).
        if (!next || mark.x0 > left + 1 || !/^(\d+|[*†‡§¶|]+)$/u.test(mark.text)) continue
        const kind = /\d/.test(mark.text) ? 'numbered' : 'symbol'
        starts.set(kind, [...(starts.get(kind) ?? []), Math.round(next.x0 - mark.x0)])
      }
    }
    expect([...starts.keys()].sort()).toEqual(['numbered', 'symbol'])
    // From the mark’s left edge to the note’s first word: one measure for every note.
    const offsets = new Set([...starts.values()].flat())
    expect([...offsets], 'offsets from the mark to the text').toHaveLength(1)
  })

  it('sets the index in two columns, letter groups in order, on pages that follow the back matter without blanks', () => {
    const first = pageOf('index')
    const pages = Array.from({length: pagination.starts.length - first + 1}, (_, i) => first + i).filter((p) => pagination.starts[p - 1].block !== null)
    expect(pages.length).toBeGreaterThanOrEqual(2)
    for (const page of pages) {
      // The text area’s lines (no running head or folio).
      const [top, bottom] = pagination.starts[page - 1].area!
      const lines = pageLines(page).filter((line) => line[0].y0 > top - 2 && line[0].y1 < bottom + 2)
      const left = Math.min(...lines.flat().map((w) => w.x0))
      const right = Math.max(...lines.flat().map((w) => w.x1))
      // Where a line of each column begins: a word with no other within 8 pt to its left (the
      // columns’ baselines need not line up, their letter headings differ).
      const starts = lines.flatMap((line) => line.filter((w, i) => i === 0 || w.x0 - line[i - 1].x1 > 8).map((w) => w.x0))
      const rightColumn = starts.filter((x) => x > (left + right) / 2 - 10)
      const leftColumn = starts.filter((x) => x < left + 20)
      expect(leftColumn.length, `page ${page}: lines of the left column`).toBeGreaterThanOrEqual(8)
      expect(rightColumn.length, `page ${page}: lines of the right column`).toBeGreaterThanOrEqual(8)
      // The right column has one left edge (and its turn-over indent), well clear of the left one.
      expect(Math.max(...rightColumn) - Math.min(...rightColumn), `page ${page}`).toBeLessThan(20)
      expect(Math.min(...rightColumn), `page ${page}`).toBeGreaterThan(left + (right - left) * 0.45)
    }
    // The letters, read column by column, are the reader HTML’s groups in order.
    const html = readFileSync(path.join(out, 'victor-serge-reader.html'), 'utf8')
    const letters = [...html.matchAll(/<h2 class="index-letter"[^>]*>([^<]+)<\/h2>/g)].map((m) => m[1])
    expect(letters.length).toBeGreaterThan(15)
    const bbox = execFileSync('pdftotext', ['-bbox', '-f', String(first), '-l', String(pages[pages.length - 1]), pdf, '-'], {encoding: 'utf8'})
    const printed = pageTexts(bbox).flatMap((text) => text.split('\n')).filter((line) => /^\p{Lu}$/u.test(line))
    expect(printed).toEqual(letters)
    // book.yaml `back_matter_start: any-page`: no blank page from the first back-matter part to the index.
    for (let p = pageOf('sources'); p <= first; p++) expect(pagination.starts[p - 1].block, `page ${p}`).not.toBe(null)
  })
})
