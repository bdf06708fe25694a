/**
 * An index of several pages, laid out page by page once its page numbers are written in: every
 * page but its last in two columns ending on the full depth's baseline, the last page's columns
 * balanced, entries too long for what is left of a column going on in the next (over a page too),
 * and every word of the index in the PDF, in order (preflight's comparison and its check that
 * each entry shows its pages). Paged.js as published sets the CSS columns inside its own page
 * columns: its pages end short and their columns apart.
 */
import {execFileSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {renderPdf} from '../../scripts/print/pdf.ts'
import {preflight} from '../../scripts/print/preflight.ts'
import {faceDescent, typesetReport, type TypesetReport} from '../../scripts/print/typeset-report.ts'
import type {Pagination} from '../../scripts/model.ts'
import {fixtureBook, fixtureHtml} from './fixture.ts'

const names = ['Adler', 'Bakunin', 'Ciliga', 'Dan', 'Eastman', 'Fischer', 'Gorky', 'Herzen', 'Istrati', 'Joffe', 'Kollontai', 'Lunacharsky', 'Martov', 'Nin', 'Orwell', 'Pivert', 'Rosmer', 'Souvarine', 'Tresca', 'Ulam', 'Victor', 'Wolfe', 'Yagoda', 'Zetkin']

/** An index in letter groups (as index-of-names.ts makes it): some entries a line, some with a see-also list of many lines. */
function longIndex(): string {
  const groups = names.map((name, g) => {
    const items = Array.from({length: 3 + (g % 4)}, (_, i) => {
      const term = `${name}${'abcdefgh'[i]}, ${['Anna', 'Boris', 'Clara', 'David'][i % 4]}`
      const refs = i % 2 ? ' <span class="ix-refs"><a class="ix-ref" href="#ix-trotsky-1">1</a>, <a class="ix-ref" href="#ix-trotsky-4">2</a></span>' : ' <span class="ix-refs"><a class="ix-ref" href="#ix-serge-1">1</a></span>'
      const also = (g + i) % 5 === 0 ? `. <span class="ix-see"><i>See also</i> ${names.slice(0, 8 + ((g * 3 + i) % 16)).map((n) => `${n}, Pavel Ivanovich`).join('; ')}</span>` : ''
      const letter = i === 0 ? `<h2 class="index-letter" id="index-group-${g + 1}">${name[0]}</h2>` : ''
      return `<li class="ix-entry${i === 0 ? ' ix-lettered' : ''}" id="index-${name.toLowerCase()}-${i}">${letter}<span class="ix-term">${term}</span>${refs}${also}</li>`
    })
    return `<section class="index-group" aria-labelledby="index-group-${g + 1}"><ul class="index-list">${items.join('')}</ul></section>`
  })
  return `<h1>Index</h1><p class="index-intro">Names of people in the texts.</p><div class="index-groups">${groups.join('')}</div>`
}

describe('an index of several pages', () => {
  let dir: string
  let html: string
  const book = fixtureBook()
  const runs: Record<'made' | 'stock', {pdf: string; pagination: Pagination; report: TypesetReport}> = {} as never
  let pages: string[]

  beforeAll(async () => {
    html = fixtureHtml().replace(/(<section class="part back index"[^>]*>)[\s\S]*?<\/section>/, (_, open: string) => `${open}${longIndex()}</section>`)
    expect(html).toContain('Zetkinc')
    dir = mkdtempSync(path.join(tmpdir(), 'reader-index-'))
    for (const name of ['made', 'stock'] as const) {
      const pdf = path.join(dir, `${name}.pdf`)
      const pagination = await renderPdf({html, book, buildDir: path.join(dir, name), outPath: pdf, stockPaged: name === 'stock'})
      const bbox = execFileSync('pdftotext', ['-bbox', pdf, '-'], {encoding: 'utf8', maxBuffer: 64 * 1024 * 1024})
      runs[name] = {pdf, pagination, report: typesetReport(bbox, pagination.starts, {descent: faceDescent()})}
    }
    const {starts, idPages} = runs.made.pagination
    const first = starts.findIndex((s) => s.label === idPages.index)
    pages = runs.made.report.columns.map((c) => c.page).filter((label) => starts.findIndex((s) => s.label === label) >= first)
  }, 180_000)

  afterAll(() => {
    if (dir) rmSync(dir, {recursive: true, force: true})
  })

  it('ends the two columns of every page but the last on the full depth, and balances the last', () => {
    expect(pages.length).toBeGreaterThanOrEqual(3)
    const {report} = runs.made
    expect(report.unlevelColumns).toEqual([])
    for (const column of report.columns.slice(0, -1)) expect(column.difference).toBeLessThanOrEqual(0.8)
    expect(report.columns[report.columns.length - 1].lines).toBeLessThanOrEqual(2)
    expect(report.shortPages).toEqual([])
    expect(runs.stock.report.unlevelColumns.length + runs.stock.report.shortPages.length).toBeGreaterThan(0)
  })

  it('keeps every word of the index, in order, and each entry’s pages', async () => {
    const file = await preflight(runs.made.pdf, {book, pagination: runs.made.pagination, html})
    expect(file.messages.map(String)).toEqual([])
    expect(file.data.textDifferences).toBe(0)
  })
})
