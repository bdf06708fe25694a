/**
 * Contents that run over several pages: every page but the last ends on the full depth (its
 * entries spaced out), as the pages of running text do, and the page numbers written in after
 * pagination leave the titles turning over where they did (the numbers' column is as wide
 * whatever they are). Paged.js as published, without the project's make-up, leaves them short.
 */
import {execFileSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {renderPdf} from '../../scripts/print/pdf.ts'
import {faceDescent, typesetReport, type TypesetReport} from '../../scripts/print/typeset-report.ts'
import type {Pagination} from '../../scripts/model.ts'
import {fixtureBook, fixtureHtml} from './fixture.ts'

/** A contents list of `n` entries, titles of one to three lines, some with an author, pointing at the fixture's two texts. */
function longContents(n: number): string {
  const words = 'The Archive and the Exile of a Revolutionary Writer in Mexico City After the War'.split(' ')
  const items = Array.from({length: n}, (_, i) => {
    const title = words.slice(0, 3 + ((i * 7) % 14)).join(' ')
    const author = i % 3 === 0 ? '' : ` <span class="toc-author">Author ${i}</span>`
    return `<li${i === 2 || i === 40 ? ' class="toc-group-start"' : ''}><a href="#${i % 2 ? 't-two' : 't-one'}">${title} ${i}</a>${author}</li>`
  })
  return `<ol>${items.join('\n')}\n<li><a href="#index">Index</a></li></ol>`
}

describe('contents over several pages', () => {
  let dir: string
  const runs: Record<'made' | 'stock', {pagination: Pagination; report: TypesetReport}> = {} as never
  /** The labels of the contents' pages. */
  let contents: string[]

  beforeAll(async () => {
    const html = fixtureHtml().replace(/(<nav class="part front toc"[^>]*><h1>Contents<\/h1>\s*)<ol>[\s\S]*?<\/ol><\/nav>/, (_, head: string) => `${head}${longContents(70)}</nav>`)
    expect(html).toContain('Author 68')
    dir = mkdtempSync(path.join(tmpdir(), 'reader-contents-'))
    for (const name of ['made', 'stock'] as const) {
      const pdf = path.join(dir, `${name}.pdf`)
      const pagination = await renderPdf({html, book: fixtureBook(), buildDir: path.join(dir, name), outPath: pdf, stockPaged: name === 'stock'})
      const bbox = execFileSync('pdftotext', ['-bbox', pdf, '-'], {encoding: 'utf8', maxBuffer: 64 * 1024 * 1024})
      runs[name] = {pagination, report: typesetReport(bbox, pagination.starts, {descent: faceDescent()})}
    }
    const {starts, idPages} = runs.made.pagination
    const from = starts.findIndex((s) => s.label === idPages.contents)
    const to = starts.findIndex((s) => s.label === idPages['editorial-note'])
    contents = starts.slice(from, to).map((s) => s.label)
  }, 180_000)

  afterAll(() => {
    if (dir) rmSync(dir, {recursive: true, force: true})
  })

  it('ends every page of the contents but the last on the full depth', () => {
    expect(contents.length).toBeGreaterThanOrEqual(3)
    const short = (run: (typeof runs)['made']) => run.report.shortPages.filter((s) => contents.includes(s.page))
    expect(short(runs.made)).toEqual([])
    expect(runs.made.report.largestEmptyFoot.lines).toBeLessThanOrEqual(1)
    expect(short(runs.stock).length).toBeGreaterThan(0)
  })
})
