/**
 * Nothing of the reader HTML is lost in print: page breaks that fall inside hyphenated words (in
 * the body, a footnote and a list item) keep every word, preflight compares every word of the PDF
 * with the reader HTML and names what differs, and the text layer has no soft hyphens.
 */
import {execFileSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {renderPdf} from '../../scripts/print/pdf.ts'
import {boxWordsByPage} from '../../scripts/print/text-compare.ts'
import {preflight} from '../../scripts/print/preflight.ts'
import {boxWords} from '../../scripts/print/text-compare.ts'
import type {Pagination} from '../../scripts/model.ts'
import {fixtureBook} from './fixture.ts'
import {bodyWords, hyphenBreaksHtml, listWords, noteWords} from './hyphen-breaks.ts'

/** For each page, the last word of its body and of its footnotes, and the first of each on the next page. */
function pageEnds(pdf: string, pagination: Pagination) {
  const words = boxWords(execFileSync('pdftotext', ['-bbox', pdf, '-'], {encoding: 'utf8', maxBuffer: 64 * 1024 * 1024}))
  const ends: Array<{page: number; stream: 'body' | 'notes'; last: string; next: string}> = []
  for (const stream of ['body', 'notes'] as const) {
    const byPage = new Map<number, string[]>()
    for (const word of words) {
      const area = pagination.starts[word.page]?.area
      if (!area) continue
      const middle = (word.yMin + word.yMax) / 2
      if (middle < area[0] || middle > area[1] || (stream === 'notes') !== middle >= area[2]) continue
      byPage.set(word.page, [...(byPage.get(word.page) ?? []), word.text])
    }
    for (const [page, list] of byPage) {
      // (A note going on from the page before begins with an arrow, not with a piece of a word.)
      const following = byPage.get(page + 1)?.filter((word, i) => !(i === 0 && word === '→'))
      if (following?.length) ends.push({page, stream, last: list[list.length - 1], next: following[0]})
    }
  }
  return ends
}

/** Pages that end inside a word of `vocabulary`: their last word and the next page’s first are its two parts. */
const brokenIn = (ends: ReturnType<typeof pageEnds>, vocabulary: string[]) =>
  ends.filter((e) => /[\p{L}\u2010-]$/u.test(e.last) && vocabulary.includes((e.last.replace(/[-\u2010]$/, '') + e.next).toLowerCase().replace(/[^a-z]/g, '')))

describe('page breaks inside hyphenated words', () => {
  const html = hyphenBreaksHtml()
  const book = fixtureBook({texts: ['texts/h.md']})
  let dir: string
  const runs: Record<'stock' | 'patched', {pdf: string; pagination: Pagination}> = {} as never

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'reader-hyphens-'))
    for (const name of ['stock', 'patched'] as const) {
      const pdf = path.join(dir, `${name}.pdf`)
      // Not fitted (fit.ts would take out hyphens of the runs this fixture is made of): the breaks stay forced.
      const pagination = await renderPdf({html, book, buildDir: path.join(dir, name), outPath: pdf, stockPaged: name === 'stock', fit: false})
      runs[name] = {pdf, pagination}
    }
  }, 120_000)

  afterAll(() => {
    if (dir) rmSync(dir, {recursive: true, force: true})
  })

  it('are where Paged.js as published loses text, and preflight names the words and pages', async () => {
    const {pdf, pagination} = runs.stock
    // The fixture does force the breaks: pages end inside hyphenated words in the body, the list and the footnote.
    const ends = pageEnds(pdf, pagination)
    expect(brokenIn(ends.filter((e) => e.stream === 'body'), bodyWords).length).toBeGreaterThan(0)
    expect(brokenIn(ends.filter((e) => e.stream === 'body'), listWords).length).toBeGreaterThan(0)
    expect(brokenIn(ends.filter((e) => e.stream === 'notes'), noteWords).length).toBeGreaterThan(0)
    const file = await preflight(pdf, {book, pagination, html})
    const text = file.messages.filter((m) => m.ruleId === 'preflight-text')
    expect(text.length).toBeGreaterThan(0)
    expect(text.every((m) => m.fatal)).toBe(true)
    expect(text.map(String).join('\n')).toMatch(/on p\. \d+/)
  })

  it('lose nothing: every word of the body, the list items and the footnote is in the PDF', async () => {
    const {pdf, pagination} = runs.patched
    const file = await preflight(pdf, {book, pagination, html})
    expect(file.messages.map(String)).toEqual([])
    expect(file.data.wordsCompared).toBeGreaterThan(1500)
    expect(file.data.textDifferences).toBe(0)
    // A word the line broke at a soft hyphen goes over the page whole: no page ends in a hyphen.
    const ends = pageEnds(pdf, pagination)
    expect(ends.filter((e) => /[-\u2010]$/.test(e.last))).toEqual([])
    expect(brokenIn(ends, [...bodyWords, ...listWords, ...noteWords])).toEqual([])
  })

  it('continue the footnote at the next page’s foot after an arrow hung where its mark hangs', () => {
    const {pdf} = runs.patched
    const byPage = boxWordsByPage(execFileSync('pdftotext', ['-bbox', pdf, '-'], {encoding: 'utf8', maxBuffer: 64 * 1024 * 1024}))
    const page = byPage.findIndex((words) => words.some((w) => w.text === '→'))
    expect(page).toBeGreaterThan(0)
    const sameLine = (words: typeof byPage[number], word: typeof words[number]) => words.filter((w) => Math.abs(w.yMin - word.yMin) < 2 && w.xMin > word.xMax).sort((a, b) => a.xMin - b.xMin)[0]
    const arrow = byPage[page].find((w) => w.text === '→')!
    // The note's first line, on the page before: its mark, then its words.
    const mark = byPage[page - 1].find((w) => w.text === '1' && noteWords.some((n) => sameLine(byPage[page - 1], w)?.text.toLowerCase().startsWith(n.slice(0, 5))))
    expect(mark, 'the note’s mark on the page before').toBeDefined()
    // From the text block's left edge (verso and recto margins differ): the arrow where the mark
    // is, the text after it where the note's text is, so its first line keeps the measure.
    const left = (p: number) => Math.min(...byPage[p].filter((w) => w.xMin > 20).map((w) => w.xMin))
    expect(Math.abs(arrow.xMin - left(page) - (mark!.xMin - left(page - 1)))).toBeLessThan(0.5)
    expect(Math.abs(sameLine(byPage[page], arrow).xMin - left(page) - (sameLine(byPage[page - 1], mark!).xMin - left(page - 1)))).toBeLessThan(0.5)
  })
})
