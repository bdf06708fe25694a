/**
 * Lists at page breaks: no list's first item (a line) stays alone at a page's foot, and no last
 * item goes over alone. The fixture runs sections of one to eleven sentences, each followed by a
 * heading and a list of one-line items, so that lists meet page breaks at many points; Paged.js as
 * published leaves a first item alone there (and the pagination says so).
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {renderPdf} from '../../scripts/print/pdf.ts'
import type {Pagination} from '../../scripts/model.ts'
import {fixtureBook, fixtureHtml} from './fixture.ts'

const sentence = 'The archive preserves letters, notebooks and drafts whose corrections show a writer revising his account of events.'

function listSections(): string {
  return Array.from({length: 24}, (_, i) => {
    const paragraph = Array.from({length: 1 + ((i * 5) % 11)}, () => sentence).join(' ')
    const items = Array.from({length: 4}, (_, j) => `<li><p>Item ${i}.${j}, a line.</p></li>`).join('')
    return `<p>${paragraph}</p><h3>Works ${i}</h3><ul>${items}</ul>`
  }).join('\n')
}

describe('lists at page breaks', () => {
  let dir: string
  const runs: Record<'made' | 'stock', Pagination> = {} as never

  beforeAll(async () => {
    const html = fixtureHtml().replace('<p>The second text closes with this sentence about the archive.</p>', (last) => `${listSections()}\n${last}`)
    expect(html).toContain('Item 23.3')
    dir = mkdtempSync(path.join(tmpdir(), 'reader-lists-'))
    for (const name of ['made', 'stock'] as const) {
      runs[name] = await renderPdf({html, book: fixtureBook(), buildDir: path.join(dir, name), outPath: path.join(dir, `${name}.pdf`), stockPaged: name === 'stock'})
    }
  }, 180_000)

  afterAll(() => {
    if (dir) rmSync(dir, {recursive: true, force: true})
  })

  it('leaves no first item alone at a page’s foot and carries no last item alone over a page', () => {
    const items = (pagination: Pagination) => pagination.starts.flatMap((s) => (s.alone ?? []).filter((a) => / item: /.test(a)).map((a) => `${s.label}: ${a}`))
    expect(items(runs.made)).toEqual([])
    expect(items(runs.stock).length).toBeGreaterThan(0)
  })
})
