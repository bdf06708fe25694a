/**
 * The Serge reader’s EPUB against the PDF of the same build and against its sources: the page-list
 * (for a sample of pages, the text right after the marker for page N is the text that begins PDF
 * page N), the index’s locators (the print pages), the glyphs (every character in the embedded
 * face), and its links followed in a reading system.
 */
import {describe, it, expect, beforeAll} from 'vitest'
import {mkdtempSync, readFileSync, readdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {execFileSync} from 'node:child_process'
import JSZip from 'jszip'
import {build} from '../../scripts/build.ts'
import type {Pagination} from '../../scripts/model.ts'
import {manuscriptDir} from '../helpers.ts'
import * as fontkit from 'fontkit'
import {select, selectAll} from 'hast-util-select'
import {textOf} from '../../scripts/epub/tree.ts'
import {parseHtml} from './fixture.ts'
import {epubReading} from '../../scripts/epub/screenshots.ts'
import {pageRanges} from '../../scripts/print/page-refs.ts'
import {firstParagraph} from '../../scripts/html/lead-in.ts'
import {boxWordsByPage} from '../../scripts/print/text-compare.ts'
import {faceDescent} from '../../scripts/print/typeset-report.ts'

let out: string
let pagination: Pagination
let xhtml: string
let zip: JSZip
const epubPath = () => path.join(out, 'victor-serge-reader.epub')

const letters = (text: string) => text.normalize('NFKD').replace(/[^\p{L}]/gu, '').toLowerCase()

beforeAll(async () => {
  out = mkdtempSync(path.join(tmpdir(), 'reader-pagelist-'))
  const result = await build({manuscript: manuscriptDir, out, skipValidation: true, onPagination: (p) => (pagination = p)})
  expect(result.ok).toBe(true)
  zip = await JSZip.loadAsync(readFileSync(epubPath()))
  const docs = Object.keys(zip.files).filter((name) => name.endsWith('.xhtml')).sort()
  xhtml = (await Promise.all(docs.map((name) => zip.file(name)!.async('string')))).join('\n')
}, 300_000)

describe('page-list against the PDF', () => {
  it('has a page-list entry for every numbered page', () => {
    const labels = pagination.starts.filter((start) => start.label && start.block !== null).map((start) => start.label)
    for (const label of labels) expect(xhtml, `marker for page ${label}`).toMatch(new RegExp(`id="page-${label}"`))
  })

  it('puts each sampled marker right before the text that begins that PDF page', () => {
    const body = pagination.starts.filter((start) => /^\d+$/.test(start.label) && start.block !== null)
    const sample = [body[0], body[Math.floor(body.length / 3)], body[Math.floor(body.length / 2)], body[Math.floor((2 * body.length) / 3)], body.at(-2)!]
    for (const start of sample) {
      const pdfText = execFileSync('pdftotext', ['-f', String(start.index + 1), '-l', String(start.index + 1), path.join(out, 'victor-serge-reader.pdf'), '-'], {encoding: 'utf8'})
      const at = xhtml.search(new RegExp(`<span[^>]*id="page-${start.label}"`))
      expect(at, `marker for page ${start.label}`).toBeGreaterThan(-1)
      const after = letters(xhtml.slice(at).replace(/^<span[^>]*\/?>(<\/span>)?/, '').replace(/<[^>]+>/g, ' ').slice(0, 400)).slice(0, 24)
      expect(after.length).toBeGreaterThan(10)
      // The page’s own text, without the running head and folio of its first line.
      expect(letters(pdfText).slice(0, 300), `page ${start.label} begins with “${after}”`).toContain(after)
    }
  })
})

describe('the index against the print', () => {
  it('gives each entry the print pages of its places, as ranges, each a link to its first place', async () => {
    const index = parseHtml(await zip.file('OEBPS/index.xhtml')!.async('string'))
    const reader = parseHtml(readFileSync(path.join(out, 'victor-serge-reader.html'), 'utf8'))
    const entries = selectAll('li.ix-entry', index)
    expect(entries.length).toBeGreaterThan(50)
    let checked = 0
    for (const entry of entries) {
      const id = String(entry.properties.id)
      const source = select(`li[id="${id}"]`, reader)!
      const ids = selectAll('a.ix-ref', source).map((a) => String(a.properties.href).slice(1))
      if (ids.length === 0) continue
      const expected = pageRanges(ids.map((i) => pagination.idPages[i]))
      const links = selectAll('a.ix-ref', entry)
      expect(links.map((a) => textOf(a)), id).toEqual(expected.map((r) => (r.last ? `${r.first}–${r.last}` : r.first)))
      expect(links.map((a) => String(a.properties.href).split('#')[1]), id).toEqual(expected.map((r) => ids[r.index]))
      checked++
    }
    expect(checked).toBeGreaterThan(50)
    // Birth of Our Power: 7, 13, 18–19 in print.
    expect(textOf(select('li#index-birth-of-our-power .ix-refs', index)!)).toMatch(/^\d+(–\d+)?(, \d+(–\d+)?)*$/)
  })

  it('links every see and see-also reference to the entry it names', async () => {
    const index = parseHtml(await zip.file('OEBPS/index.xhtml')!.async('string'))
    const sees = selectAll('.ix-see', index)
    expect(sees.length).toBeGreaterThan(5)
    for (const see of sees) {
      const links = selectAll('a', see)
      expect(links.length, textOf(see)).toBeGreaterThan(0)
      for (const a of links) {
        const target = select(`li[id="${String(a.properties.href).replace(/^#/, '')}"] .ix-term`, index)
        expect(target && textOf(target), String(a.properties.href)).toBe(textOf(a))
      }
    }
  })
})

describe('the lead-in of every text', () => {
  it('opens every text with its first words in small capitals in the print HTML and the EPUB, and the PDF says those words', async () => {
    const reader = parseHtml(readFileSync(path.join(out, 'victor-serge-reader.html'), 'utf8'))
    const printLeadIns = readdirSync(path.join(out, 'print'))
      .filter((name) => /^chunk-.*\.html$/.test(name))
      .flatMap((name) => selectAll('span.lead-in', parseHtml(readFileSync(path.join(out, 'print', name), 'utf8'))).map((span) => textOf(span)))
    const texts = selectAll('section.part.text', reader)
    expect(texts.length).toBe(5)
    // The letters of the words as printed, case kept: small capitals are the original letters.
    const spelled = (text: string) => text.normalize('NFKD').replace(/[^\p{L}\p{N}]/gu, '')
    for (const section of texts) {
      const id = String(section.properties.id)
      const paragraph = firstParagraph(section)!
      const lead = select('span.lead-in', paragraph)
      expect(lead, `${id}: a lead-in`).toBeTruthy()
      expect(paragraph.children.find((child) => child.type === 'element'), `${id}: the paragraph begins with it`).toBe(lead)
      const words = textOf(lead!)
      const following = textOf(paragraph).slice(words.length, words.length + 30)
      expect(words.split(/\s+/).length, id).toBeGreaterThanOrEqual(1)
      expect(printLeadIns, `${id}: print HTML`).toContain(words)
      const epub = await zip.file(`OEBPS/${id}.xhtml`)!.async('string')
      expect(epub, `${id}: EPUB`).toContain(`<span class="lead-in">${words}</span>`)
      const page = pagination.starts.find((start) => start.label === pagination.idPages[id])!
      const pdfText = execFileSync('pdftotext', ['-f', String(page.index + 1), '-l', String(page.index + 1), path.join(out, 'victor-serge-reader.pdf'), '-'], {encoding: 'utf8'})
      expect(spelled(pdfText), `${id}: the PDF’s words`).toContain(spelled(words + following))
    }
  })
})

describe('the parts as a designer sets them', () => {
  it('lists each text in the EPUB’s contents as the print contents do: a title two texts share, with its subtitle', async () => {
    const reader = parseHtml(readFileSync(path.join(out, 'victor-serge-reader.html'), 'utf8'))
    const nav = parseHtml(await zip.file('OEBPS/toc.xhtml')!.async('string'))
    const listed = selectAll('nav.toc > ol > li > a', reader).map((a) => textOf(a))
    const labels = selectAll('nav#toc > ol > li > a', nav).map((a) => textOf(a).split(' — ')[0])
    expect(labels).toEqual(listed)
    expect(labels).toContain('Victor Serge: Revolutionary and Chronicler of Revolution')
    expect(new Set(labels).size, 'no two entries alike').toBe(labels.length)
    // The texts set apart from the editorial matter before and after them, as in print; the texts'
    // sections kept for the reading system's menu, not shown on the contents page.
    const starts = selectAll('nav#toc > ol > li.toc-group-start > a', nav).map((a) => textOf(a).split(' — ')[0])
    expect(starts).toEqual(selectAll('nav.toc > ol > li.toc-group-start > a', reader).map((a) => textOf(a)))
    expect(starts).toEqual(['Remembering Victor Serge', 'Sources and Permissions'])
    expect(selectAll('nav#toc > ol > li > ol > li', nav).length).toBeGreaterThan(10)
    expect(await zip.file('OEBPS/style.css')!.async('string')).toMatch(/nav#toc ol ol \{ display: none; \}/)
  })

  it('sinks every part’s opening title to one baseline in print, the texts’ and the editorial parts’ alike', () => {
    const bbox = execFileSync('pdftotext', ['-bbox', path.join(out, 'victor-serge-reader.pdf'), '-'], {encoding: 'utf8', maxBuffer: 64 * 1024 * 1024})
    const pages = boxWordsByPage(bbox)
    const descent = faceDescent()
    const reader = parseHtml(readFileSync(path.join(out, 'victor-serge-reader.html'), 'utf8'))
    const openers = selectAll('body > .part', reader)
      .map((part) => String(part.properties.id))
      .filter((id) => !['half-title', 'title-page', 'copyright'].includes(id))
    expect(openers.length).toBeGreaterThan(10)
    const baselines = openers.map((id) => {
      const page = pagination.starts.find((start) => start.label === pagination.idPages[id])!
      const first = pages[page.index].filter((word) => word.yMin > 54).sort((a, b) => a.yMin - b.yMin)[0]
      return {id, baseline: first.yMax - (first.yMax - first.yMin) * descent}
    })
    const top = baselines[0].baseline
    for (const {id, baseline} of baselines) expect(Math.abs(baseline - top), id).toBeLessThan(0.5)
  })

  it('sets the textual notes’ readings in one column, their turn-over lines under them, after keys of either kind (`23.8`, `24 n. 2`)', () => {
    const first = pagination.starts.find((start) => start.label === pagination.idPages['textual-notes'])!
    const last = pagination.starts.find((start) => start.label === pagination.idPages.index)!
    const bbox = execFileSync('pdftotext', ['-bbox', '-f', String(first.index + 1), '-l', String(last.index), path.join(out, 'victor-serge-reader.pdf'), '-'], {encoding: 'utf8'})
    let keyed = 0
    let noteKeys = 0
    for (const words of boxWordsByPage(bbox)) {
      const body = words.filter((word) => word.yMin > 54 && word.yMax < 600)
      const left = Math.min(...body.map((word) => word.xMin))
      const lines = new Map<number, typeof body>()
      for (const word of body) lines.set(Math.round(word.yMin), [...(lines.get(Math.round(word.yMin)) ?? []), word])
      const rows = [...lines.values()].map((row) => row.sort((a, b) => a.xMin - b.xMin))
      // Turn-over lines start indented; the reading column is where they start.
      const turnovers = rows.filter((row) => row[0].xMin > left + 10).map((row) => row[0].xMin)
      if (turnovers.length === 0) continue
      const column = turnovers[0]
      for (const x of turnovers) expect(Math.abs(x - column)).toBeLessThan(0.5)
      for (const row of rows.filter((row) => /^\d+(\.\d+)?$/.test(row[0].text) && row[0].xMin < left + 1)) {
        keyed++
        if (row[1]?.text === 'n.') noteKeys++
        expect(row.some((word) => Math.abs(word.xMin - column) < 0.5), row.map((word) => word.text).join(' ')).toBe(true)
      }
    }
    expect(keyed).toBeGreaterThan(20)
    expect(noteKeys).toBeGreaterThan(3)
  })

  it('sets the chronology as hanging entries, no bullets, in print and EPUB', async () => {
    const reader = parseHtml(readFileSync(path.join(out, 'victor-serge-reader.html'), 'utf8'))
    const entries = selectAll('section.kind-chronology li', reader)
    expect(entries.length).toBeGreaterThan(30)
    const first = pagination.starts.find((start) => start.label === pagination.idPages.chronology)!
    const next = pagination.starts.find((start) => start.label === pagination.idPages['t-lena-remembering-victor-serge'])!
    const printed = execFileSync('pdftotext', ['-f', String(first.index + 1), '-l', String(next.index), path.join(out, 'victor-serge-reader.pdf'), '-'], {encoding: 'utf8'})
    expect(printed).toContain('1881 — Tsar Alexander II')
    expect(printed).not.toMatch(/[•◦▪]/u)
    const epub = await zip.file('OEBPS/chronology.xhtml')!.async('string')
    expect(epub).toContain('kind-chronology')
    const css = await zip.file('OEBPS/style.css')!.async('string')
    expect(css).toMatch(/\.kind-chronology ul \{[^}]*list-style: none/)
  })
})

describe('the face against the book', () => {
  it('has a glyph in every embedded font for every character it sets: the book face for the text, the code face for code', async () => {
    const chars = new Set<string>()
    const code = new Set<string>()
    for (const name of Object.keys(zip.files).filter((n) => /\.(xhtml|ncx)$/.test(n))) {
      const tree = parseHtml(await zip.file(name)!.async('string'))
      for (const c of textOf(tree)) chars.add(c)
      for (const element of selectAll('code, pre, kbd, samp', tree)) for (const c of textOf(element)) code.add(c)
    }
    const fonts = Object.keys(zip.files).filter((n) => /^OEBPS\/fonts\/.*\.(ttf|otf|woff2)$/.test(n))
    // The book face's four styles and, the editorial note having code, the code face's three: each as WOFF2 and TrueType.
    expect(fonts.filter((n) => /SourceSerif4/.test(n)).length).toBe(8)
    expect(fonts.filter((n) => /SourceCodePro/.test(n)).length).toBe(code.size > 0 ? 6 : 0)
    for (const name of fonts) {
      const font = fontkit.create(Buffer.from(await zip.file(name)!.async('uint8array')))
      const needed = /SourceCodePro/.test(name) ? code : chars
      const missing = [...needed].filter((c) => !/[\s\p{Cf}\p{Cc}]/u.test(c) && !font.hasGlyphForCodePoint(c.codePointAt(0)!))
      expect(missing, name).toEqual([])
    }
  })
})

describe('in a reading system', () => {
  it('follows a note, its backlink and an index locator in epub.js', async () => {
    const steps = await epubReading(epubPath(), out, 'victor-serge-reader')
    expect(steps.map((s) => s.step)).toEqual(['note reference', 'note', 'back to the reference', 'index locator'])
  }, 120_000)
})
