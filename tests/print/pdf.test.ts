import {execFileSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {PDFDocument, PDFName, PDFDict, PDFArray} from 'pdf-lib'
import {renderPdf, type RenderReport} from '../../scripts/print/pdf.ts'
import {preflight, normalise} from '../../scripts/print/preflight.ts'
import {pageRanges} from '../../scripts/print/page-refs.ts'
import {ReaderError} from '../../scripts/errors.ts'
import type {Pagination} from '../../scripts/model.ts'
import {fixtureHtml, fixtureBook, longNote, cyrillic} from './fixture.ts'
import {liveBrowsers} from '../helpers.ts'
import {bookFace} from '../../scripts/fonts.ts'
import {processManuscript} from '../../scripts/pipeline.ts'
import {assembleDocument} from '../../scripts/html/document.ts'
import {loadIndex} from '../../scripts/html/index-of-names.ts'

const pdftotext = (pdf: string, page?: number) =>
  execFileSync('pdftotext', [...(page ? ['-f', String(page), '-l', String(page)] : []), pdf, '-'], {encoding: 'utf8'})
const pdffonts = (pdf: string, page?: number) =>
  execFileSync('pdffonts', [...(page ? ['-f', String(page), '-l', String(page)] : []), pdf], {encoding: 'utf8'})
/** Live Chromium processes this test started (zombies and other programs’ browsers not counted). */
const chromiums = () => liveBrowsers()

describe('renderPdf on the fixture', () => {
  let dir: string
  let pdf: string
  let html: string
  let pagination: Pagination
  let server: http.Server
  let requests = 0
  const book = fixtureBook()
  let report: RenderReport | undefined

  beforeAll(async () => {
    server = http.createServer((_, res) => {
      requests++
      res.end('SERVER-WAS-REACHED')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as AddressInfo).port
    dir = mkdtempSync(path.join(tmpdir(), 'reader-print-'))
    pdf = path.join(dir, 'out.pdf')
    html = fixtureHtml({
      extraBody: `<section class="part back" id="hostile" data-part="appendix"><h1>Resources</h1>
        <p><img src="http://127.0.0.1:${port}/x.png" alt=""> <img src="file:///etc/passwd" alt=""></p>
        <link rel="preload" as="style" href="file:///etc/hostname"><link rel="stylesheet" href="http://127.0.0.1:${port}/x.css"></section>`
    })
    pagination = await renderPdf({html, book, buildDir: dir, outPath: pdf, onReport: (r) => (report = r)})
  })

  afterAll(() => {
    server?.close()
    if (dir) rmSync(dir, {recursive: true, force: true})
  })

  it('labels the pages lower-case roman, then arabic from 1 at the first text', async () => {
    const labels = pagination.starts.map((s) => s.label)
    const first = labels.indexOf('1')
    expect(first).toBeGreaterThan(3)
    expect(labels.slice(0, first)).toEqual(labels.slice(0, first).map((_, i) => ['i', 'ii', 'iii', 'iv', 'v', 'vi', 'vii', 'viii', 'ix', 'x'][i]))
    expect(pagination.idPages['t-one']).toBe('1')
    const doc = await PDFDocument.load(readFileSync(pdf))
    const labelsDict = doc.catalog.lookup(PDFName.of('PageLabels'), PDFDict)
    const nums = labelsDict.lookup(PDFName.of('Nums'), PDFArray)
    expect(nums.toString()).toMatch(new RegExp(`0 <<\\s*/S /r\\s*>> ${first} <<\\s*/S /D\\s*>>`))
    expect(doc.getPageCount() % 2).toBe(0)
    expect(pagination.pages).toBe(doc.getPageCount())
    expect(doc.catalog.get(PDFName.of('Outlines'))).toBeDefined()
  })

  it('prints contents page numbers where the headings really are', () => {
    const labels = pagination.starts.map((s) => s.label)
    const contents = pdftotext(pdf, labels.indexOf(pagination.idPages['contents']) + 1)
    for (const [id, title] of [['editorial-note', 'Editorial Note'], ['t-one', 'Remembering Victor Serge'], ['t-two', 'Serge’s Legacy'], ['index', 'Index']]) {
      const label = pagination.idPages[id]
      expect(label).toBeTruthy()
      expect(label).not.toBe('0')
      // The heading is on the page the contents give.
      expect(normalise(pdftotext(pdf, labels.indexOf(label) + 1))).toContain(title)
      expect(contents).toMatch(new RegExp(`${title}[\\s\\S]*?\\b${label}\\b`))
    }
    expect(contents).not.toMatch(/\s0\s*$/m)
  })

  it('sets a footnote on the page of its reference, and keeps a long note whole', () => {
    const labels = pagination.starts.map((s) => s.label)
    expect(pagination.idPages['t-one-fn-1']).toBe(pagination.idPages['t-one-fnref-1'])
    const page = normalise(pdftotext(pdf, labels.indexOf(pagination.idPages['t-one-fnref-1']) + 1))
    expect(page).toContain('Short note opening words')
    const all = normalise(pdftotext(pdf)).replace(/-\s?/g, '')
    const words = normalise(longNote).replace(/-\s?/g, '').split(' ')
    for (let i = 0; i + 6 <= words.length; i += 3) expect(all).toContain(words.slice(i, i + 6).join(' '))
    expect(normalise(pdftotext(pdf))).toContain('Editor’s note on the Moscow meeting')
  })

  it('embeds only the book face, subset, and prints the Cyrillic name in it', () => {
    const fonts = pdffonts(pdf).split('\n').slice(2).filter(Boolean)
    expect(fonts.length).toBeGreaterThan(0)
    for (const line of fonts) {
      expect(line).toMatch(new RegExp(`^[A-Z]{6}\\+${bookFace().pdfName}`))
      expect(line).toMatch(/\byes\s+yes\s+yes\b/)
    }
    const page = pagination.starts.map((s) => s.label).indexOf(pagination.idPages['ix-serge-1']) + 1
    expect(normalise(pdftotext(pdf, page)).replace(/\u00AD/g, '')).toContain(cyrillic)
    expect(pdffonts(pdf, page)).not.toMatch(/DejaVu|Liberation/)
  })

  it('gives textual notes their page and line, index entries their pages with ranges merged', () => {
    const labels = pagination.starts.map((s) => s.label)
    const poppler = (args: string[], page: string) => execFileSync('pdftotext', [...args, '-f', String(labels.indexOf(page) + 1), '-l', String(labels.indexOf(page) + 1), pdf, '-'], {encoding: 'utf8'})
    const notes = normalise(poppler(['-layout'], pagination.idPages['textual-notes']))
    // Each reading’s line as Poppler counts it: the lines of that page’s text area, below the top
    // margin of page.css (where the running head sits).
    const top = Number(/--top-margin: ([\d.]+)in/.exec(readFileSync(path.join(dir, 'print', 'page.css'), 'utf8'))![1]) * 72
    for (const [id, word, entry] of [['tn-1', 'books', 'books] Business Relationships'], ['tn-2', '[the]', '[the] supplied']]) {
      const [, page, line] = new RegExp(`(\\d+)\\.(\\d+) ${entry.replace(/[[\]]/g, '\\$&')}`).exec(notes) ?? []
      expect(page, id).toBe(pagination.idPages[id])
      const lines = [...poppler(['-bbox-layout'], page).matchAll(/<line xMin="[\d.]+" yMin="([\d.]+)"[^>]*>([\s\S]*?)<\/line>/g)]
        .map((m) => ({y: Number(m[1]), words: [...m[2].matchAll(/>([^<]*)<\/word>/g)].map((w) => w[1].replace(/\u00AD/g, ''))}))
        .filter((l) => l.y >= top - 2)
      const at = lines.find((l) => l.words.includes(word))!
      const above = new Set(lines.filter((l) => l.y < at.y - 2).map((l) => Math.round(l.y)))
      expect(Number(line), id).toBe(above.size + 1)
    }
    // A reading in a footnote: its page and note (lines are counted in the text area only).
    expect(notes).toMatch(new RegExp(`(^|\\s)${pagination.idPages['tn-4']} n\\. 1 +second\\] secnod`))
    expect(normalise(pdftotext(pdf, labels.indexOf(pagination.idPages['tn-4']) + 1))).toMatch(/1 ?A note in the second text/)
    const ix = normalise(pdftotext(pdf, labels.indexOf(pagination.idPages['index']) + 1))
    const expected = pageRanges(['ix-trotsky-1', 'ix-trotsky-2', 'ix-trotsky-3', 'ix-trotsky-4'].map((id) => pagination.idPages[id]))
      .map((r) => r.first + (r.last ? '–' + r.last : ''))
      .join(', ')
    expect(ix).toContain(`Trotsky, Leon, ${expected}`)
    expect(ix).toContain(`Serge, Victor (${cyrillic}), ${pagination.idPages['ix-serge-1']}`)
  })

  it('says where each page begins', () => {
    const opening = pagination.starts.find((s) => s.label === '1')!
    expect(opening.block).not.toBeNull()
    expect(opening.offset).toBe(0)
    // A page that starts inside a paragraph points into it.
    expect(pagination.starts.some((s) => s.block !== null && s.offset > 0)).toBe(true)
  })

  it('loads nothing from the network or outside the print folder', () => {
    expect(requests).toBe(0)
    const text = pdftotext(pdf)
    expect(text).not.toContain('SERVER-WAS-REACHED')
    expect(text).not.toMatch(/root:x:0:0/)
    expect(text).not.toContain(readFileSync('/etc/hostname', 'utf8').trim() || '\u0000')
    expect(report!.blocked.some((url) => url.startsWith('http://127.0.0.1'))).toBe(true)
    expect(report!.blocked.some((url) => url === 'file:///etc/passwd')).toBe(true)
  })

  it('passes preflight', async () => {
    const file = await preflight(pdf, {
      book,
      pagination,
      html,
      mustContain: ['This is the last paragraph of the first text, and it ends here.', 'The second text closes with this sentence about the archive.', 'Trotsky, Leon']
    })
    expect(file.messages.map(String)).toEqual([])
  })

  it('preflight names a note of the reader HTML that the PDF lacks', async () => {
    const lost = '<li id="t-one-fn-9" class="note" value="9"><p>A note that never reached the page.</p></li>'
    expect(html).toContain('</ol></section>')
    const file = await preflight(pdf, {book, pagination, html: html.replace('</ol></section>', lost + '</ol></section>')})
    expect(file.messages.map((m) => [m.ruleId, m.reason])).toEqual([['preflight-missing-note', 'Missing note `A note that never reached the page.` (t-one-fn-9) in the PDF']])
  })
})

describe('renderPdf limits', () => {
  it('stops a render that takes too long, and leaves no browser behind', async () => {
    const before = chromiums()
    const dir = mkdtempSync(path.join(tmpdir(), 'reader-print-'))
    try {
      const error = await renderPdf({html: fixtureHtml(), book: fixtureBook(), buildDir: dir, outPath: path.join(dir, 'x.pdf'), timeoutMs: 300}).catch((e) => e)
      expect(error).toBeInstanceOf(ReaderError)
      expect((error as ReaderError).ruleId).toBe('render-timeout')
      await new Promise((r) => setTimeout(r, 500))
      expect(chromiums()).toBeLessThanOrEqual(before)
      expect(existsSync(path.join(dir, 'x.pdf'))).toBe(false)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})

describe('pageRanges', () => {
  it('drops repeats and joins runs', () => {
    const show = (labels: string[], style?: 'full' | 'elided') => pageRanges(labels, style).map((r) => r.first + (r.last ? '–' + r.last : '')).join(', ')
    expect(show(['23', '24', '25', '25', '40'])).toBe('23–25, 40')
    expect(show(['82', '83'], 'elided')).toBe('82–3')
    expect(show(['113', '114', '115', '116', '117', '118', '119'], 'elided')).toBe('113–19')
    expect(show(['vii', '3'])).toBe('vii, 3')
  })
})

describe('the Serge reader', () => {
  it('paginates to an even page count that passes preflight', async () => {
    const processed = await processManuscript('manuscript')
    const book = processed.model!.book
    const dir = mkdtempSync(path.join(tmpdir(), 'reader-print-'))
    try {
      const pdf = path.join(dir, 'serge.pdf')
      const html = assembleDocument(processed, {index: loadIndex('manuscript').data}).html
      const pagination = await renderPdf({html, book, buildDir: dir, outPath: pdf})
      expect(pagination.pages % 2).toBe(0)
      const file = await preflight(pdf, {book, pagination, html})
      expect(file.messages.filter((m) => m.fatal).map(String)).toEqual([])
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
