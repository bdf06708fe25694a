/**
 * The chunked PDF (each text paginated on its own, assembled with pdf-lib) says what a single
 * Paged.js pass over the whole book says: the same page count, the same page for every heading,
 * note and note reference (and every other id), the same page starts for the EPUB page-list; and
 * its links land on those pages.
 */
import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {PDFArray, PDFDict, PDFDocument, PDFName, PDFRef} from 'pdf-lib'
import {selectAll} from 'hast-util-select'
import {processManuscript} from '../../scripts/pipeline.ts'
import {assembleDocument} from '../../scripts/html/document.ts'
import {renderPdf, type RenderReport} from '../../scripts/print/pdf.ts'
import {PrintPool} from '../../scripts/print/chunked.ts'
import {openCache} from '../../scripts/cache.ts'
import {fromHtml} from 'hast-util-from-html'
import {preflight} from '../../scripts/print/preflight.ts'
import {hiddenBy, readerStreams} from '../../scripts/print/text-compare.ts'
import {templatesDir} from '../../scripts/templates.ts'
import type {Pagination} from '../../scripts/model.ts'
import type {Book} from '../../scripts/manuscript/schema.ts'

describe('the chunked PDF of the Serge reader', () => {
  let dir: string
  let html: string
  let book: Book
  let single: Pagination
  let chunked: Pagination
  let cached: Pagination
  let chunkStats: RenderReport | undefined
  let cachedStats: RenderReport | undefined

  beforeAll(async () => {
    const processed = await processManuscript('manuscript')
    html = assembleDocument(processed).html
    book = processed.model!.book
    dir = mkdtempSync(path.join(tmpdir(), 'reader-chunked-'))
    single = await renderPdf({html, book, buildDir: path.join(dir, 'single'), outPath: path.join(dir, 'single.pdf'), singlePass: true})
    // A cache of its own: layouts an earlier build of the same book left are not there.
    const cache = openCache(path.join(dir, 'cache'))
    chunked = await renderPdf({html, book, buildDir: path.join(dir, 'chunked'), outPath: path.join(dir, 'chunked.pdf'), cache, onReport: (r) => (chunkStats = r)})
    // Again, from the cache.
    cached = await renderPdf({html, book, buildDir: path.join(dir, 'chunked'), outPath: path.join(dir, 'cached.pdf'), cache, onReport: (r) => (cachedStats = r)})
  }, 180_000)

  afterAll(() => {
    if (dir) rmSync(dir, {recursive: true, force: true})
  })

  it('was paginated in chunks: front matter, each text, back matter', () => {
    const texts = book.texts.length
    expect(chunkStats?.chunks?.chunks).toBe(texts + 2)
    expect(chunkStats?.chunks?.laidOut).toBe(texts + 2)
  })

  it('has the page count of the single pass', async () => {
    expect(chunked.pages).toBe(single.pages)
    const pdf = await PDFDocument.load(readFileSync(path.join(dir, 'chunked.pdf')))
    expect(pdf.getPageCount()).toBe(single.pages)
  })

  it('puts every heading and every note on the page the single pass gives it', () => {
    const tree = fromHtml(html)
    const headings = selectAll('h1[id], h2[id], h3[id], .part[id]', tree).map((e) => String(e.properties.id))
    const notes = selectAll('li.note[id], a.noteref[id]', tree).map((e) => String(e.properties.id))
    expect(headings.length).toBeGreaterThan(10)
    expect(notes.length).toBeGreaterThan(50)
    // (The notes sections’ own headings do not print with footnotes: no page in either.)
    const placed = [...headings, ...notes].filter((id) => single.idPages[id] !== undefined)
    expect(placed.length).toBeGreaterThan(0.9 * (headings.length + notes.length))
    for (const id of [...headings, ...notes]) expect(chunked.idPages[id], id).toBe(single.idPages[id])
    // And every other id (index anchors, textual-note anchors).
    expect(chunked.idPages).toEqual(single.idPages)
  })

  it('prints the textual notes as the single pass does, each reading’s page and line', () => {
    const notes = (pdf: string, pagination: Pagination) => {
      const first = pagination.starts.findIndex((s) => s.label === pagination.idPages['textual-notes']) + 1
      const next = pagination.starts.findIndex((s) => s.label === pagination.idPages['index']) || first + 1
      // (Row by row, spaces folded: Poppler’s column guess may differ by a space.)
      return execFileSync('pdftotext', ['-layout', '-f', String(first), '-l', String(Math.max(first, next)), pdf, '-'], {encoding: 'utf8'}).replace(/[ \t]+/g, ' ')
    }
    const printed = notes(path.join(dir, 'chunked.pdf'), chunked)
    expect(printed.match(/^ ?\d+\.\d+ /gm)?.length ?? 0).toBeGreaterThan(10)
    expect(printed).toBe(notes(path.join(dir, 'single.pdf'), single))
  })

  it('gives the EPUB page-list the same page starts and labels', () => {
    const withoutArea = (p: Pagination) => p.starts.map(({area, ...start}) => start)
    expect(withoutArea(chunked)).toEqual(withoutArea(single))
    // The text areas too (where preflight looks for body and footnotes), to a tenth of a point.
    chunked.starts.forEach((start, i) => {
      const other = single.starts[i].area
      if (!start.area || !other) return // a blank page: no text to place
      start.area.forEach((y, j) => expect(Math.abs(y - other[j]), `page ${i + 1}: ${start.area} vs ${other}`).toBeLessThan(0.1))
    })
  })

  it('keeps its links: each heading’s named destination is on the heading’s page', async () => {
    const pdf = await PDFDocument.load(readFileSync(path.join(dir, 'chunked.pdf')))
    const pageIndex = new Map(pdf.getPages().map((p, i) => [p.ref.toString(), i]))
    const dests = pdf.catalog.lookup(PDFName.of('Dests'), PDFDict)
    const labels = chunked.starts.map((s) => s.label)
    const contents = selectAll('nav.toc a[href^="#"]', fromHtml(html)).map((a) => String(a.properties.href).slice(1))
    expect(contents.length).toBeGreaterThan(5)
    for (const id of contents) {
      const dest = dests.lookup(PDFName.of(id), PDFArray)
      const page = pageIndex.get((dest.get(0) as PDFRef).toString())
      expect(labels[page!], id).toBe(chunked.idPages[id])
    }
    expect(pdf.catalog.get(PDFName.of('StructTreeRoot'))).toBeDefined()
  })

  it('links every index reference to the page of its target', async () => {
    const pdf = await PDFDocument.load(readFileSync(path.join(dir, 'chunked.pdf')))
    const pages = pdf.getPages()
    const pageIndex = new Map(pages.map((p, i) => [p.ref.toString(), i]))
    const dests = pdf.catalog.lookup(PDFName.of('Dests'), PDFDict)
    const labels = chunked.starts.map((s) => s.label)
    const indexStart = labels.indexOf(chunked.idPages['index'])
    expect(indexStart).toBeGreaterThan(0)
    const refs = selectAll('li.ix-entry a.ix-ref', fromHtml(html)).map((a) => String(a.properties.href).slice(1))
    // (The index’s own cross-references, see and see also, link to the entries they name.)
    const targets = selectAll('li.ix-entry a[href^="#"]', fromHtml(html)).map((a) => String(a.properties.href).slice(1))
    const linked = new Set<string>()
    for (const page of pages.slice(indexStart)) {
      for (const annot of page.node.lookupMaybe(PDFName.of('Annots'), PDFArray)?.asArray() ?? []) {
        const name = (pdf.context.lookup(annot) as PDFDict).get(PDFName.of('Dest'))
        if (!name) continue
        const id = (name as PDFName).decodeText()
        const dest = dests.lookup(PDFName.of(id), PDFArray)
        expect(labels[pageIndex.get((dest.get(0) as PDFRef).toString())!], id).toBe(chunked.idPages[id])
        linked.add(id)
      }
    }
    // A run of pages links from its first reference: at least one link per entry, none to elsewhere.
    expect(linked.size).toBeGreaterThan(refs.length / 3)
    for (const id of linked) expect(targets).toContain(id)
  })

  it('prints every word of the reader HTML, in order, in both the chunked PDF and the single pass', async () => {
    for (const [name, pagination] of [['chunked', chunked], ['single', single]] as const) {
      const file = await preflight(path.join(dir, `${name}.pdf`), {book, pagination, html})
      expect(file.messages.map(String), name).toEqual([])
      expect(file.data.wordsCompared, name).toBeGreaterThan(15000)
      expect(file.data.textDifferences, name).toBe(0)
    }
  })

  it('has a text layer search finds words in: as many of each as the reader HTML prints, no soft hyphen', () => {
    // In content order (`-raw`): Poppler's reading-order mode also drops a word's own hyphen at a
    // line end (`post-` `Soviet` became `postSoviet`).
    const text = execFileSync('pdftotext', ['-raw', path.join(dir, 'chunked.pdf'), '-'], {encoding: 'utf8'})
    expect(text).not.toContain('\u00AD')
    // A word broken at a line end is its two halves with one hyphen (U+2010) there; one broken at
    // its own hyphen keeps it.
    const joined = text.replace(/\u2010\n/g, '').replace(/-\n/g, '-')
    const tree = fromHtml(html)
    const printed = readerStreams(tree, true, hiddenBy(readFileSync(path.join(templatesDir(), 'print', 'print.css'), 'utf8'), tree))
    const inHtml = [...printed.body, ...printed.notes]
    const words = ['bolsheviks', 'soviet', 'trotsky', 'stalin', 'petrograd', 'kronstadt', 'mexico', 'literature', 'anarchist', 'comintern',
      'deportation', 'memoirs', 'russian', 'orenburg', 'brussels', 'communist', 'prison', 'translation', 'opposition', 'bureaucracy']
    for (const word of words) {
      const expected = inHtml.filter((w) => w === word).length
      const found = joined.toLowerCase().match(new RegExp(`(?<![\\p{L}\\p{M}])${word}(?![\\p{L}\\p{M}])`, 'gu'))?.length ?? 0
      expect(expected, word).toBeGreaterThan(0)
      expect(found, word).toBe(expected)
    }
  })

  it('comes from the cache when nothing changed, with the same result', () => {
    expect(cachedStats?.chunks?.layoutsFromCache).toBe(book.texts.length + 2)
    expect(cachedStats?.chunks?.pdfsFromCache).toBe(book.texts.length + 2)
    expect(cachedStats?.chunks?.laidOut).toBe(0)
    expect(cached).toEqual(chunked)
  })
})

describe('a print pool (reader watch) between renders', () => {
  it('re-lays out only the corrected text, in a warm tab of the same browser, and prints what a cold render prints', async () => {
    const processed = await processManuscript('manuscript')
    const html = assembleDocument(processed).html
    const book = processed.model!.book
    const at = html.indexOf(' remembered ')
    expect(at).toBeGreaterThan(0)
    const corrected = html.slice(0, at) + ' rememberde ' + html.slice(at + ' remembered '.length)
    const dir = mkdtempSync(path.join(tmpdir(), 'reader-pool-'))
    const pool = new PrintPool()
    try {
      const cache = openCache(path.join(dir, 'cache'))
      await renderPdf({html, book, buildDir: path.join(dir, 'watch'), outPath: path.join(dir, 'first.pdf'), pool, cache})
      const first = await pool.browser()
      let again: RenderReport | undefined
      await renderPdf({html: corrected, book, buildDir: path.join(dir, 'watch'), outPath: path.join(dir, 'again.pdf'), pool, cache, onReport: (r) => (again = r)})
      expect(await pool.browser()).toBe(first)
      expect(again?.chunks?.laidOut).toBe(1)
      expect(again?.chunks?.tabsOpened).toBe(0)
      await renderPdf({html: corrected, book, buildDir: path.join(dir, 'cold'), outPath: path.join(dir, 'cold.pdf')})
      expect(Buffer.compare(readFileSync(path.join(dir, 'again.pdf')), readFileSync(path.join(dir, 'cold.pdf')))).toBe(0)
      const proc = first.process
      await pool.close()
      expect(proc?.exitCode !== null || proc?.signalCode !== null).toBe(true)
    } finally {
      await pool.close()
      rmSync(dir, {recursive: true, force: true})
    }
  }, 180_000)
})
