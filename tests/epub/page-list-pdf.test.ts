/**
 * The EPUB’s page-list against the PDF of the same build: for a sample of pages, the text right after
 * the marker for page N in the EPUB is the text that begins PDF page N.
 */
import {describe, it, expect, beforeAll} from 'vitest'
import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {execFileSync} from 'node:child_process'
import JSZip from 'jszip'
import {build} from '../../scripts/build.ts'
import type {Pagination} from '../../scripts/model.ts'
import {manuscriptDir} from '../helpers.ts'

let out: string
let pagination: Pagination
let xhtml: string

const letters = (text: string) => text.normalize('NFKD').replace(/[^\p{L}]/gu, '').toLowerCase()

beforeAll(async () => {
  out = mkdtempSync(path.join(tmpdir(), 'reader-pagelist-'))
  const result = await build({manuscript: manuscriptDir, out, skipValidation: true, onPagination: (p) => (pagination = p)})
  expect(result.ok).toBe(true)
  const zip = await JSZip.loadAsync(readFileSync(path.join(out, 'victor-serge-reader.epub')))
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
