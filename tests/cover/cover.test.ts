import {execFileSync, spawnSync} from 'node:child_process'
import {copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {VFile} from 'vfile'
import {coverGeometry, preflightCover, renderCover} from '../../scripts/cover/cover.ts'
import {isbn13, priceAddOn} from '../../scripts/cover/barcode.ts'
import {buildIds, checkBuildFolder} from '../../scripts/output.ts'
import type {BookModel} from '../../scripts/model.ts'
import {profileIds, profiles} from '../../scripts/print/profiles.ts'
import {fixtureBook} from '../print/fixture.ts'

const dir = mkdtempSync(path.join(tmpdir(), 'reader-cover-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

const book = (profile: string, extra: Record<string, unknown> = {}) =>
  fixtureBook({
    print: {profile},
    editor: 'Ada Editor',
    publisher: {imprint: 'Test Press', place: ''},
    identifiers: {isbn_print: '978-0-306-40615-7', isbn_epub: ''},
    cover: {blurb: 'A **critical** reader: five texts on Victor Serge, with their notes.', price: 'USD 18.00'},
    ...extra
  })
const model = (b: ReturnType<typeof book>): BookModel => ({book: b, manuscriptDir: dir, texts: [{meta: {author: 'Theodor Lena'}}, {meta: {author: 'Susan Weissman'}}] as never, editorial: []})

describe('the cover’s sheet', () => {
  // The printers’ formulas: KDP and IngramSpark pages × caliper; Lulu pages / 444 + 0.06 in.
  const formula = {kdp: (n: number) => n * 0.002252, ingramspark: (n: number) => n * 0.002252, lulu: (n: number) => n / 444 + 0.06, generic: (n: number) => n * 0.0039}
  for (const id of profileIds) {
    for (const pages of [74, 150, 400]) {
      it(`${id}, ${pages} pages: trim × 2 + spine + bleed`, () => {
        const g = coverGeometry(book(id), profiles[id], pages)
        expect(g.spine).toBeCloseTo(formula[id](pages), 4)
        expect(g.sheet.width).toBeCloseTo(2 * 6 + formula[id](pages) + 2 * 0.125, 4)
        expect(g.sheet.height).toBeCloseTo(9.25, 4)
      })
    }
  }
  it('allows spine text as each printer does', () => {
    expect(coverGeometry(book('kdp'), profiles.kdp, 74).spineText).toBe(false)
    expect(coverGeometry(book('kdp'), profiles.kdp, 150).spineText).toBe(true)
  })
  it('reads ISBNs and prices as a bar code needs them', () => {
    expect(isbn13('0-306-40615-2')).toEqual({digits: '9780306406157'})
    expect(isbn13('978-0-306-40615-8')).toEqual({reason: 'check digit 8, expected 7'})
    expect(priceAddOn('USD 18.00')).toEqual({digits: '51800'})
    expect(priceAddOn('GBP 9.99')).toEqual({digits: '00999'})
  })
})

describe('the wrap cover PDF', () => {
  it.each([
    ['kdp', 150],
    ['ingramspark', 400],
    ['lulu', 74]
  ] as const)('%s at %i pages: the printer’s sheet, bar code read back, fonts embedded, CMYK', async (id, pages) => {
    const file = new VFile({path: 'cover.pdf'})
    const out = path.join(dir, `${id}-${pages}.pdf`)
    const b = book(id)
    const build = `c0ffee${pages}`
    const g = await renderCover({model: model(b), book: b, profile: profiles[id], pages, outPath: out, workDir: dir, file, build})
    expect(file.messages.filter((m) => m.fatal).map(String)).toEqual([])
    // The build id in its Info, PDF/X or not, as `reader diff` reads it beside the other outputs.
    expect(execFileSync('pdfinfo', ['-custom', out], {encoding: 'utf8'})).toMatch(new RegExp(`^ReaderBuild:\\s+${build}$`, 'm'))
    const folder = path.join(dir, `folder-${id}`)
    mkdirSync(folder)
    copyFileSync(out, path.join(folder, 'book-cover.pdf'))
    expect(await buildIds(folder, 'book')).toEqual({'book-cover.pdf': build})
    writeFileSync(path.join(folder, 'book.build.json'), JSON.stringify({build: 'abc123', files: {}}))
    await expect(checkBuildFolder(folder, 'book')).rejects.toThrow(
      `Unexpected \`book-cover.pdf\` in \`${path.relative(process.cwd(), folder)}\`: it comes from build ${build}, the folder’s last build is abc123`
    )
    const info = execFileSync('pdfinfo', ['-box', out], {encoding: 'utf8'})
    const media = /MediaBox:\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)/.exec(info)!.slice(1).map(Number)
    expect((media[2] - media[0]) / 72).toBeCloseTo(g.sheet.width, 2)
    expect((media[3] - media[1]) / 72).toBeCloseTo(9.25, 2)
    const trim = /TrimBox:\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)/.exec(info)!.slice(1).map(Number)
    expect((trim[2] - trim[0]) / 72 - 12).toBeCloseTo(g.spine, 3)
    expect(file.data.barcode).toEqual({text: '9780306406157', addOn: '51800'})
    for (const row of execFileSync('pdffonts', [out], {encoding: 'utf8'}).split('\n').slice(2).filter(Boolean)) expect(row).toMatch(/SourceSerif4.* yes yes /)
    if (id === 'ingramspark') expect(execFileSync('qpdf', ['--qdf', '--object-streams=disable', out, '-']).toString('latin1')).toMatch(/GTS_PDFXVersion \(PDF\/X-3:2002\)/)
    if (pages < profiles[id].cover.spineTextMinPages) expect(file.messages.map(String).join('\n')).toMatch(/The spine is blank: .* from 80 pages, the book has 74/)
  }, 120_000)

  it('fails a bar code that does not read as the ISBN, and a spine for another page count', async () => {
    const out = path.join(dir, 'kdp-150.pdf')
    const file = new VFile({path: out})
    const g = coverGeometry(book('kdp'), profiles.kdp, 150)
    await preflightCover(out, {profile: profiles.kdp, geometry: {...g, pages: 160}, isbn: '9780306406164', addOn: '51800', file, workDir: dir})
    const errors = file.messages.filter((m) => m.fatal).map(String).join('\n')
    expect(errors).toMatch(/Unexpected bar code 9780306406157 on the cover, expected the ISBN 9780306406164/)
    expect(errors).toMatch(/Unexpected spine 0\.3378 in, expected 0\.3603 in for 160 pages/)
  })
})

describe('the e-book cover', () => {
  it('is the front panel of the print cover', async () => {
    const {coverPage, drawCover} = await import('../../scripts/epub/cover.ts')
    const b = book('kdp')
    const png = path.join(dir, 'epub-cover.png')
    await drawCover(await coverPage(model(b)), png)
    const file = new VFile({path: 'cover.pdf'})
    const pdf = path.join(dir, 'front.pdf')
    const g = await renderCover({model: model(b), book: b, profile: profiles.kdp, pages: 150, outPath: pdf, workDir: dir, file})
    // The wrap cover’s front panel at the e-book cover’s resolution (1600 px across the 6 in trim).
    const dpi = 1600 / 6
    const x = Math.round((g.bleed + g.trim.width + g.spine) * dpi)
    const y = Math.round(g.bleed * dpi)
    const panel = (name: string, left: number) => {
      execFileSync('pdftoppm', ['-r', String(dpi), '-x', String(left), '-y', String(y), '-W', '1600', '-H', '2400', '-png', '-singlefile', pdf, path.join(dir, name)])
      const result = spawnSync('compare', ['-metric', 'RMSE', '-colorspace', 'Gray', png, path.join(dir, `${name}.png`), 'null:'], {encoding: 'utf8'})
      return Number(/\(([\d.e-]+)\)/.exec(result.stderr)![1])
    }
    // Alike but for the CMYK conversion and the rasterisers; the back panel, the same size, is not.
    const front = panel('front', x)
    const back = panel('back', Math.round(g.bleed * dpi))
    expect(front).toBeLessThan(0.06)
    expect(back).toBeGreaterThan(2 * front)
  }, 120_000)
})

describe('reader diff and the spine', () => {
  it('says when a correction changes the spine, and not when it does not', async () => {
    const {spineChange} = await import('../../scripts/editions/compare.ts')
    const edition = (pages: number, print?: {profile: string; paper?: string}) => ({print, pagination: {pages, starts: [], idPages: {}}}) as never
    expect(spineChange(edition(74, {profile: 'kdp', paper: 'cream'}), edition(76, {profile: 'kdp', paper: 'cream'}))).toBe(
      'Spine 0.185 in → 0.190 in (74 → 76 pages, kdp): a new cover file is needed.'
    )
    expect(spineChange(edition(74, {profile: 'kdp'}), edition(74, {profile: 'kdp'}))).toBeUndefined()
    expect(spineChange(edition(74), edition(76))).toBeUndefined()
  })
})
