/**
 * A code block split over a page break keeps every line: the lines before the break end the
 * page, the rest begin the next one with their indents, and none lies out of sight (a break at a
 * line's first word left its indent as a line of blanks at the page's foot, which Chromium's
 * widows rule carried, with the line of code before it, into the column beyond the page; and a
 * page the make-up could not fill put back less than it had changed, so a heading at its top took
 * its space above again and pushed a split listing's first lines off the page).
 */
import {execFileSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {renderPdf} from '../../scripts/print/pdf.ts'
import {preflight} from '../../scripts/print/preflight.ts'
import {boxWords, type BoxWord} from '../../scripts/print/text-compare.ts'
import type {Pagination} from '../../scripts/model.ts'
import {fixtureBook} from './fixture.ts'
import {codeBreaksHtml, listing, listings} from './code-breaks.ts'

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim()

describe('page breaks inside code blocks', () => {
  const html = codeBreaksHtml()
  const book = fixtureBook({texts: ['texts/c.md']})
  let dir: string
  let pdf: string
  let pagination: Pagination
  /** Each page's lines of text, whitespace collapsed. */
  let pages: string[][]
  let words: BoxWord[]

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'reader-code-breaks-'))
    pdf = path.join(dir, 'code.pdf')
    pagination = await renderPdf({html, book, buildDir: path.join(dir, 'build'), outPath: pdf})
    pages = execFileSync('pdftotext', ['-layout', pdf, '-'], {encoding: 'utf8'})
      .split('\f')
      .map((page) => page.split('\n').map(collapse))
    words = boxWords(execFileSync('pdftotext', ['-bbox', pdf, '-'], {encoding: 'utf8', maxBuffer: 64 * 1024 * 1024}))
  }, 120_000)

  afterAll(() => {
    if (dir) rmSync(dir, {recursive: true, force: true})
  })

  /** The pages a code line is printed on. */
  const pagesOf = (line: string) => {
    const whole = new RegExp(`(^| )${collapse(line).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( |$)`)
    return pages.flatMap((lines, page) => (lines.some((l) => whole.test(l)) ? [page] : []))
  }

  it('prints every line of every listing, those split over a page break too', async () => {
    const missing: string[] = []
    const split: number[] = []
    for (let i = 0; i < listings; i++) {
      const lines = listing(i).filter((line) => /\d/.test(line))
      const on = lines.map(pagesOf)
      lines.forEach((line, k) => {
        if (!on[k].length) missing.push(line.trim())
      })
      if (new Set(on.flat()).size > 1) split.push(i)
    }
    // The fixture does split listings, at different lines.
    expect(split.length).toBeGreaterThanOrEqual(4)
    expect(missing).toEqual([])
    const file = await preflight(pdf, {book, pagination, html})
    expect(file.messages.filter((m) => m.ruleId === 'preflight-text').map(String)).toEqual([])
  })

  it('begins the next page with the split line’s indent', () => {
    let checked = 0
    for (let i = 0; i < listings; i++) {
      const lines = listing(i)
      const first = lines.findIndex((line, k) => k > 0 && /\d/.test(line) && pagesOf(line).length > 0 && pagesOf(line)[0] !== pagesOf(lines[0])[0])
      if (first < 0 || !lines[first].startsWith(' ')) continue
      // Its first word lies right of the listing's closing brace (at no indent), on the same page.
      const page = pagesOf(lines[first])[0]
      const token = lines[first].trim().split(' ')[0]
      const start = words.find((w) => w.page === page && w.text === token)
      const done = words.find((w) => w.page === page && w.text.startsWith(`done${i}(`))
      const brace = done && words.find((w) => w.page === page && w.text === '}' && w.yMin > done.yMax - 1)
      expect(start && brace, `listing ${i}`).toBeTruthy()
      expect(start!.xMin - brace!.xMin, `listing ${i}: ${lines[first].trim()}`).toBeGreaterThan(2)
      checked++
    }
    expect(checked).toBeGreaterThan(0)
  })
})
