/**
 * The typesetting of the Serge reader, measured in its PDF (`reader typeset-report`): hyphenation
 * within its limits, a measure of 62–70 characters, loose lines down to the one no line breaking
 * or tracking can mend (the README gives them), and far fewer than Chromium alone sets. The book is laid out once
 * through the project's cache (a layout an earlier build left is reused). Each figure is also
 * shown to fail: the same words with a defect planted in them.
 */
import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import type {Element, Root} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {processManuscript} from '../../scripts/pipeline.ts'
import {assembleDocument} from '../../scripts/html/document.ts'
import {renderPdf} from '../../scripts/print/pdf.ts'
import {openCache} from '../../scripts/cache.ts'
import {faceDescent, formatReport, limits, typesetReport, verdicts, type TypesetReport} from '../../scripts/print/typeset-report.ts'
import type {Pagination} from '../../scripts/model.ts'
import {main} from '../../scripts/cli.ts'
import {bookFace} from '../../scripts/fonts.ts'
import * as fontkit from 'fontkit'

describe('the typesetting of the Serge reader', () => {
  let dir: string
  let pdf: string
  let bbox: string
  let pagination: Pagination
  let report: TypesetReport
  const descent = faceDescent()

  beforeAll(async () => {
    const processed = await processManuscript('manuscript')
    const {html} = assembleDocument(processed)
    dir = mkdtempSync(path.join(tmpdir(), 'reader-typeset-'))
    pdf = path.join(dir, 'victor-serge-reader.pdf')
    pagination = await renderPdf({html, book: processed.model!.book, buildDir: dir, outPath: pdf, cache: openCache()})
    writeFileSync(path.join(dir, 'victor-serge-reader.pages.json'), JSON.stringify(pagination))
    bbox = execFileSync('pdftotext', ['-bbox', pdf, '-'], {encoding: 'utf8', maxBuffer: 256 * 1024 * 1024})
    report = typesetReport(bbox, pagination.starts, {descent})
  }, 240_000)

  afterAll(() => {
    if (dir) rmSync(dir, {recursive: true, force: true})
  })

  it('sets running text at a measure of 62–70 characters', () => {
    expect(report.measure.lines).toBeGreaterThan(500)
    expect(report.measure.average).toBeGreaterThanOrEqual(limits.measure[0])
    expect(report.measure.average).toBeLessThanOrEqual(limits.measure[1])
  })

  it('hyphenates fewer than 8 % of lines, never more than two in a row, never a name, a short word or the last line of a page', () => {
    expect(report.lines).toBeGreaterThan(1500)
    expect(report.hyphenated).toBeGreaterThan(0)
    expect(report.hyphenatedShare).toBeLessThan(limits.hyphenatedShare)
    expect(report.runsOverLimit).toEqual([])
    expect(report.capitalised).toEqual([])
    expect(report.short).toEqual([])
    expect(report.hyphenAtFoot).toEqual([])
  })

  it('leaves no loose line: none over 1.6 × the median word space', () => {
    // Chromium alone leaves about a hundred. The last ones went with: a break at three letters a
    // side offered to the line breaker (“mur-derers”, p. 26), the arrow of a continued footnote
    // hung in the note's indent, and the whole line going over with a word broken at a page's foot.
    expect(report.medianWordSpace).toBeGreaterThan(3)
    expect(report.loose.map((l) => `p. ${l.page}: ${l.text}`)).toEqual([])
  })

  it('keeps a break at three letters a side only where the line breaker ended a line at it', () => {
    // Every soft hyphen in the print HTML that leaves fewer than four letters on a side (hyphenate.ts
    // offers them to the fitting pass, which takes out those it does not choose) ends a chosen line:
    // it is where a line of a paragraph with data-fit-starts starts (just after it).
    const tree = fromHtml(readFileSync(path.join(dir, 'print', 'index.html'), 'utf8'))
    // The document's text, and for each of its characters the paragraph of chosen lines it is in
    // (the innermost) and its place in that paragraph's text.
    const chars: Array<{c: string; in?: Element; at: number}> = []
    const walk = (node: Element | Root, within: Array<{element: Element; seen: number}>) => {
      for (const child of node.children) {
        if (child.type === 'element') walk(child, child.properties.dataFitStarts !== undefined ? [...within, {element: child, seen: 0}] : within)
        else if (child.type === 'text') {
          for (const c of child.value) {
            const inner = within[within.length - 1]
            chars.push({c, in: inner?.element, at: inner?.seen ?? 0})
            for (const w of within) w.seen++
          }
        }
      }
    }
    walk(tree, [])
    const letter = /[\p{L}\p{M}]/u
    const lettersFrom = (i: number, step: number) => {
      let n = 0
      for (let j = i; j >= 0 && j < chars.length && (letter.test(chars[j].c) || chars[j].c === '\u00AD'); j += step) if (chars[j].c !== '\u00AD') n++
      return n
    }
    let chosen = 0
    const stray: string[] = []
    chars.forEach(({c, in: element, at}, i) => {
      if (c !== '\u00AD' || Math.min(lettersFrom(i - 1, -1), lettersFrom(i + 1, 1)) >= 4) return
      const starts = String(element?.properties.dataFitStarts ?? '').split(' ').map(Number)
      if (element && starts.includes(at + 1)) chosen++
      else stray.push(chars.slice(Math.max(0, i - 12), i + 8).map((x) => (x.c === '\u00AD' ? '~' : x.c)).join(''))
    })
    expect(stray).toEqual([])
    expect(chosen).toBeGreaterThan(0)
  })

  it('tracks a line by no more than 0.02 em, and shrinks no word space below 0.8 of its width', () => {
    // Every span the fitting pass wrote, in the print HTML: letter spacing beyond the element's own.
    const html = readFileSync(path.join(dir, 'print', 'index.html'), 'utf8')
    const spans = [...html.matchAll(/<span style="word-spacing: (-?[\d.]+)px; letter-spacing: (-?[\d.]+)px" data-fit-line="">/g)]
    expect(spans.length).toBeGreaterThan(50)
    // (What the element has of its own: none, a lead-in's 0.05 em, an abbreviation's 0.03 em, a glyph
    // stand-in's −0.12 em, at the sizes of running text, quotations and notes, in px.)
    const sizes = [10.75, 9.75, 9, 8.75].map((pt) => (pt * 4) / 3)
    const own = sizes.flatMap((size) => [0, 0.05, 0.03, -0.12].map((em) => em * size))
    for (const [, , letters] of spans) expect(Math.min(...own.map((o) => Math.abs(Number(letters) - o)))).toBeLessThanOrEqual(0.02 * sizes[0] + 0.002)
    // Word spaces, from the PDF: no justified line of body text tighter than 0.8 of the face's
    // space (less a line's tracking of −0.01 em on each side of it).
    // (Lines of the body's size: a word box as tall as most are.)
    const boxes = [...bbox.matchAll(/yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"/g)].map((m) => ({h: Math.round((Number(m[2]) - Number(m[1])) * 10) / 10}))
    const heights = new Map<number, number>()
    for (const b of boxes) heights.set(b.h, (heights.get(b.h) ?? 0) + 1)
    const body = [...heights].sort((a, b) => b[1] - a[1])[0][0]
    const gaps = bbox.split('<page ').flatMap((page) => {
      const rows = new Map<string, Array<[number, number]>>()
      for (const m of page.matchAll(/xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"/g)) {
        if (Math.round((Number(m[4]) - Number(m[2])) * 10) / 10 !== body) continue
        rows.set(m[4], [...(rows.get(m[4]) ?? []), [Number(m[1]), Number(m[3])]])
      }
      return [...rows.values()].filter((r) => r.length >= 4).map((r) => r.sort((a, b) => a[0] - b[0]).slice(1).map((w, i) => w[0] - r[i][1]))
    })
    const alike = gaps.filter((g) => Math.max(...g) <= 2 * Math.min(...g) + 1.5).map((g) => g.sort((a, b) => a - b)[g.length >> 1])
    expect(alike.length).toBeGreaterThan(1000)
    const regular = bookFace().files.find((f) => f.style === 'normal' && f.weight === 400)!
    const face = fontkit.openSync(regular.path) as unknown as {unitsPerEm: number; glyphForCodePoint: (c: number) => {advanceWidth: number}}
    const space = (face.glyphForCodePoint(32).advanceWidth / face.unitsPerEm) * 10.75
    expect(Math.min(...alike)).toBeGreaterThan(0.8 * space - 2 * 0.01 * 10.75 - 0.05)
  })

  it('is fitted: Chromium alone, without the fitting pass, leaves more loose lines', async () => {
    const processed = await processManuscript('manuscript')
    const {html} = assembleDocument(processed)
    const plain = path.join(dir, 'plain.pdf')
    const starts = (await renderPdf({html, book: processed.model!.book, buildDir: path.join(dir, 'plain'), outPath: plain, fit: false})).starts
    const unfitted = typesetReport(execFileSync('pdftotext', ['-bbox', plain, '-'], {encoding: 'utf8', maxBuffer: 256 * 1024 * 1024}), starts, {descent})
    expect(report.loose.length).toBeLessThan(unfitted.loose.length)
    expect(report.runsOverLimit.length).toBeLessThanOrEqual(unfitted.runsOverLimit.length)
  }, 240_000)

  it('finds a planted capitalised break, a short one, a run of three and a hyphen at a page foot', () => {
    // Three lines in a row of a page of running text made to end in a taken hyphen: the first
    // breaks a name (`Ser‐ge`), the second a short word, the last is the page's last line.
    const page = pagination.starts.findIndex((s, i) => s.label === '3' && i > 0)
    const pages = bbox.split('<page ')
    const words = [...pages[page + 1].matchAll(/<word [^>]*>([^<]*)<\/word>/g)]
    const area = pagination.starts[page].area!
    const bodyLines = new Map<string, number>()
    for (const w of words) {
      const y = /yMax="([\d.]+)"/.exec(w[0])![1]
      if (Number(y) > area[0] && Number(y) < area[2]) bodyLines.set(y, words.indexOf(w))
    }
    const lastWords = [...bodyLines.values()].slice(-3)
    let planted = pages[page + 1]
    const tail = ['Ser\u2010', 'an\u2010', 'the\u2010']
    lastWords.forEach((index, i) => (planted = planted.replace(words[index][0], words[index][0].replace(`>${words[index][1]}<`, `>${tail[i]}<`))))
    const broken = typesetReport([...pages.slice(0, page + 1), planted, ...pages.slice(page + 2)].join('<page '), pagination.starts, {descent})
    expect(broken.capitalised.map((b) => b.label)).toContain('3')
    expect(broken.short.length).toBeGreaterThan(0)
    expect(broken.runsOverLimit.length).toBeGreaterThan(report.runsOverLimit.length)
    expect(broken.hyphenAtFoot).toContain('3')
    expect(verdicts(broken).filter((v) => !v.ok).map((v) => v.figure)).toEqual(expect.arrayContaining(['longest hyphen run', 'capitalised words hyphenated', 'hyphen on a page’s last line']))
  })

  it('finds a planted loose line: one line’s words spread apart', () => {
    const pages = bbox.split('<page ')
    const page = pagination.starts.findIndex((s) => s.label === '5')
    // The first full line of the page: move each word right by twice the median word space.
    const lines = new Map<string, string[]>()
    for (const m of pages[page + 1].matchAll(/<word [^>]*yMax="([\d.]+)"[^>]*>[^<]*<\/word>/g)) lines.set(m[1], [...(lines.get(m[1]) ?? []), m[0]])
    const line = [...lines.values()].find((l) => l.length > 8)!
    let planted = pages[page + 1]
    line.forEach((word, i) => {
      const shift = (i - line.length + 1) * 2 * report.medianWordSpace
      planted = planted.replace(word, word.replace(/xMin="([\d.]+)"/, (_, x) => `xMin="${Number(x) + shift}"`).replace(/xMax="([\d.]+)"/, (_, x) => `xMax="${Number(x) + shift}"`))
    })
    const loose = typesetReport([...pages.slice(0, page + 1), planted, ...pages.slice(page + 2)].join('<page '), pagination.starts, {descent})
    expect(loose.loose.length).toBe(report.loose.length + 1)
    expect(loose.loose.some((l) => l.page === '5' && l.ratio > 2)).toBe(true)
  })

  it('is printed by `reader typeset-report`, as a table and as JSON', async () => {
    const out: string[] = []
    const io = {stdout: (t: string) => void out.push(t), stderr: (t: string) => void out.push(t)}
    expect(await main(['typeset-report', pdf], io)).toBe(0)
    expect(out.join('\n')).toBe(formatReport(report))
    expect(out.join('\n')).toMatch(/hyphenated lines +< 8 % +\d/)
    out.length = 0
    expect(await main(['typeset-report', '--json', pdf], io)).toBe(0)
    expect(JSON.parse(out.join('\n')).measure).toEqual(report.measure)
    out.length = 0
    // A PDF without its pagination beside it is refused, naming the file it looked for.
    const lone = path.join(dir, 'lone.pdf')
    writeFileSync(lone, '')
    expect(await main(['typeset-report', lone], io)).toBe(1)
    expect(out.join('\n')).toMatch(/lone\.pages\.json:1:1: .*\[typeset-report-input\]/)
  })
})
