/**
 * The page make-up of the Serge reader, measured in its PDF: facing pages end on the same
 * baseline, no page of running text runs short, a page that goes on with a part begins at its
 * first line (a heading there drops its space above), footnotes begin under their calls and a note
 * too long for its page goes on over it (no room left above the notes that they could have used),
 * and no page carries a line or a list’s first or last item alone (as the pagination says and as the
 * PDF shows), and the index is set in level columns. Each is also shown to fail: the same
 * book laid out by Paged.js as published, without the project's make-up.
 */
import {execFileSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {fromHtml} from 'hast-util-from-html'
import {selectAll} from 'hast-util-select'
import {processManuscript} from '../../scripts/pipeline.ts'
import {assembleDocument} from '../../scripts/html/document.ts'
import {renderPdf} from '../../scripts/print/pdf.ts'
import {openCache} from '../../scripts/cache.ts'
import {faceDescent, typesetReport, type TypesetReport} from '../../scripts/print/typeset-report.ts'
import {measureMakeup, type Makeup} from '../../scripts/print/makeup.ts'
import type {Pagination} from '../../scripts/model.ts'

interface Laid {
  pagination: Pagination
  bbox: string
  report: TypesetReport
  makeup: Makeup
}

describe('the page make-up of the Serge reader', () => {
  let dir: string
  let html: string
  let made: Laid
  let stock: Laid
  /** Pages of the index: set in two columns. */
  let indexPages: string[]

  const lay = async (name: string, stockPaged: boolean, book: Parameters<typeof renderPdf>[0]['book']): Promise<Laid> => {
    const pdf = path.join(dir, `${name}.pdf`)
    const pagination = await renderPdf({html, book, buildDir: path.join(dir, name), outPath: pdf, cache: openCache(), stockPaged})
    const bbox = execFileSync('pdftotext', ['-bbox', pdf, '-'], {encoding: 'utf8', maxBuffer: 256 * 1024 * 1024})
    const tree = fromHtml(html)
    const labels = new Map(pagination.starts.map((s) => [s.label, s.index]))
    const openers = new Set(selectAll('.part[id]', tree).map((e) => labels.get(pagination.idPages[String(e.properties.id)])).filter((i): i is number => i !== undefined))
    return {pagination, bbox, report: typesetReport(bbox, pagination.starts, {descent: faceDescent()}), makeup: measureMakeup(bbox, pagination.starts, openers, faceDescent())}
  }

  beforeAll(async () => {
    const processed = await processManuscript('manuscript')
    html = assembleDocument(processed).html
    dir = mkdtempSync(path.join(tmpdir(), 'reader-makeup-'))
    made = await lay('made', false, processed.model!.book)
    stock = await lay('stock', true, processed.model!.book)
    const first = made.pagination.starts.findIndex((s) => s.label === made.pagination.idPages.index)
    indexPages = made.makeup.pages.slice(Math.max(0, first)).filter((p) => p.bottom !== null).map((p) => p.label)
  }, 300_000)

  afterAll(() => {
    if (dir) rmSync(dir, {recursive: true, force: true})
  })

  it('ends facing pages of running text on the same baseline', () => {
    expect(made.report.facing.length).toBeGreaterThan(10)
    // (Chromium puts baselines on whole pixels: 0.75 pt apart.)
    const apart = made.report.facing.filter((f) => f.difference > 0.8)
    expect(apart).toEqual([])
    expect(stock.report.facing.filter((f) => f.difference > 0.8).length).toBeGreaterThan(0)
  })

  it('runs no page of running text short by more than a line, but before a part opens', () => {
    expect(made.report.shortPages).toEqual([])
    expect(made.report.largestEmptyFoot.lines).toBeLessThanOrEqual(3)
    expect(stock.report.shortPages.length).toBeGreaterThan(0)
  })

  it('sets the index in two columns that end level on the full depth, on every page but its last, where they are balanced', () => {
    expect(indexPages.length).toBeGreaterThanOrEqual(3)
    const columns = (laid: Laid) => new Map(laid.report.columns.map((c) => [c.page, c]))
    const ours = columns(made)
    // Every page of the index is read as two columns; all but the last end on the same baseline,
    // the full depth's (no short page above), the last's within a line or so of each other.
    expect(indexPages.map((p) => ours.has(p))).toEqual(indexPages.map(() => true))
    expect(made.report.unlevelColumns).toEqual([])
    for (const page of indexPages.slice(0, -1)) expect(ours.get(page)!.difference).toBeLessThanOrEqual(0.8)
    expect(ours.get(indexPages[indexPages.length - 1])!.lines).toBeLessThanOrEqual(1.5)
    // Paged.js as published: its columns end apart (and its pages short, the test above).
    expect(stock.report.unlevelColumns.length + stock.report.shortPages.filter((s) => indexPages.includes(s.page)).length).toBeGreaterThan(0)
  })

  it('begins a page that goes on with a part at its first line: a heading there drops its space above', () => {
    expect(made.makeup.lowered).toEqual([])
    expect(stock.makeup.lowered.length).toBeGreaterThan(0)
  })

  it('begins every footnote on its call’s page and leaves no room above the notes they could have used', () => {
    const tree = fromHtml(html)
    const calls = selectAll('a.noteref[href^="#"]', tree).map((a) => [String(a.properties.id), String(a.properties.href).slice(1)])
    expect(calls.length).toBeGreaterThan(40)
    const apart = (laid: Laid) => calls.filter(([call, note]) => laid.pagination.idPages[call] !== laid.pagination.idPages[note])
    expect(apart(made)).toEqual([])
    const roomy = (laid: Laid) => laid.makeup.pages.filter((p) => p.emptyLines > 3).map((p) => `${p.label}: ${p.emptyLines}`)
    expect(roomy(made)).toEqual([])
    expect(roomy(stock).length + apart(stock).length).toBeGreaterThan(0)
  })

  it('carries no line of a paragraph, and no list’s first or last item, alone over a page', () => {
    const alone = (laid: Laid) => laid.pagination.starts.filter((s) => s.alone).map((s) => `${s.label}: ${s.alone!.join('; ')}`)
    expect(alone(made)).toEqual([])
    expect(made.report.alone).toEqual([])
    expect(alone(stock).length).toBeGreaterThan(0)
    expect(stock.report.alone.length).toBeGreaterThan(0)
    // The report reads them from the PDF too, without the pagination's word.
    const fromPdf = (laid: Laid) => typesetReport(laid.bbox, laid.pagination.starts.map(({alone, ...start}) => (void alone, start)), {descent: faceDescent()}).alone
    expect(fromPdf(made)).toEqual([])
    expect(fromPdf(stock).length).toBeGreaterThan(0)
  })
})
