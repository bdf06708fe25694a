/**
 * The chunked PDF (each text paginated on its own, assembled with pdf-lib) says what a single
 * Paged.js pass over the whole book says: the same page count, the same page for every heading,
 * note and note reference (and every other id), the same page starts for the EPUB page-list; and
 * its links land on those pages.
 */
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {PDFArray, PDFDict, PDFDocument, PDFName, PDFRef} from 'pdf-lib'
import {selectAll} from 'hast-util-select'
import {processManuscript} from '../../scripts/pipeline.ts'
import {assembleDocument} from '../../scripts/html/document.ts'
import {loadIndex} from '../../scripts/html/index-of-names.ts'
import {renderPdf, lastRender} from '../../scripts/print/pdf.ts'
import {fromHtml} from '../../scripts/print/hast.ts'
import type {Pagination} from '../../scripts/model.ts'
import type {Book} from '../../scripts/manuscript/schema.ts'

describe('the chunked PDF of the Serge reader', () => {
  let dir: string
  let html: string
  let book: Book
  let single: Pagination
  let chunked: Pagination
  let cached: Pagination
  let chunkStats: typeof lastRender

  beforeAll(async () => {
    const processed = await processManuscript('manuscript')
    const index = loadIndex(processed.manuscript.dir)
    html = assembleDocument(processed, {index: index.data, indexFile: index.file}).html
    book = processed.model!.book
    dir = mkdtempSync(path.join(tmpdir(), 'reader-chunked-'))
    single = await renderPdf({html, book, buildDir: path.join(dir, 'single'), outPath: path.join(dir, 'single.pdf'), singlePass: true})
    chunked = await renderPdf({html, book, buildDir: path.join(dir, 'chunked'), outPath: path.join(dir, 'chunked.pdf')})
    chunkStats = lastRender
    // Again, from the cache.
    cached = await renderPdf({html, book, buildDir: path.join(dir, 'chunked'), outPath: path.join(dir, 'cached.pdf')})
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

  it('gives the EPUB page-list the same page starts and labels', () => {
    expect(chunked.starts).toEqual(single.starts)
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

  it('comes from the cache when nothing changed, with the same result', () => {
    expect(lastRender?.chunks?.layoutsFromCache).toBe(book.texts.length + 2)
    expect(lastRender?.chunks?.pdfsFromCache).toBe(book.texts.length + 2)
    expect(lastRender?.chunks?.laidOut).toBe(0)
    expect(cached).toEqual(chunked)
  })
})
