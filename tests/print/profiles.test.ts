import {execFileSync} from 'node:child_process'
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {PDFArray, PDFDict, PDFDocument, PDFName} from 'pdf-lib'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {build} from '../../scripts/build.ts'
import {bookSchema} from '../../scripts/manuscript/schema.ts'
import {renderPdf} from '../../scripts/print/pdf.ts'
import {preflight} from '../../scripts/print/preflight.ts'
import {inkCoverage} from '../../scripts/print/preflight-profile.ts'
import type {Pagination} from '../../scripts/model.ts'
import {fontTexts} from '../../scripts/print/pdfx-text.ts'
import {toPdfx} from '../../scripts/print/press.ts'
import {markPdfx, pdfxProblems} from '../../scripts/print/pdfx.ts'
import {bookProfile, coverSheet, interiorSheet, profileIds, profiles, requiredInside, spineTextAllowed, spineWidth} from '../../scripts/print/profiles.ts'
import {root} from '../helpers.ts'
import {fixtureBook, fixtureHtml} from './fixture.ts'

const trim = {width: 6, height: 9}

describe('printer profiles', () => {
  it('gives each printer’s published spine width for 74, 150 and 400 pages', () => {
    // KDP: pages × 0.002252 in (white) or × 0.0025 in (cream).
    expect(spineWidth(profiles.kdp, 74)).toBeCloseTo(74 * 0.002252, 4)
    expect(spineWidth(profiles.kdp, 150, 'cream')).toBeCloseTo(0.375, 4)
    expect(spineWidth(profiles.kdp, 400)).toBeCloseTo(0.9008, 4)
    // Lulu: pages / 444 + 0.06 in.
    expect(spineWidth(profiles.lulu, 74)).toBeCloseTo(74 / 444 + 0.06, 4)
    expect(spineWidth(profiles.lulu, 400)).toBeCloseTo(400 / 444 + 0.06, 4)
    expect(spineWidth(profiles.ingramspark, 150, 'creme')).toBeCloseTo(0.375, 4)
    expect(() => spineWidth(profiles.kdp, 100, 'newsprint')).toThrow(/Unexpected paper `newsprint`/)
  })

  it('gives the wrap cover’s sheet: trim × 2 + spine + bleed', () => {
    const sheet = coverSheet(profiles.kdp, trim, 400)
    expect(sheet.width).toBeCloseTo(12 + 0.9008 + 0.25, 4)
    expect(sheet.height).toBeCloseTo(9.25, 4)
  })

  it('gives the interior page with the bleed each printer asks', () => {
    // KDP and IngramSpark: top, bottom and outside only; Lulu: every edge; generic: every edge and room for the marks.
    expect(interiorSheet(profiles.kdp, trim)).toEqual({width: 6.125, height: 9.25})
    expect(interiorSheet(profiles.ingramspark, trim)).toEqual({width: 6.125, height: 9.25})
    expect(interiorSheet(profiles.lulu, trim)).toEqual({width: 6.25, height: 9.25})
    expect(interiorSheet(profiles.generic, trim)).toEqual({width: 6.75, height: 9.75})
    expect(profiles.kdp.cropMarks || profiles.lulu.cropMarks || profiles.ingramspark.cropMarks).toBe(false)
    expect(profiles.generic.cropMarks).toBe(true)
  })

  it('asks a wider inside margin of a thicker book', () => {
    expect(requiredInside(profiles.kdp, 74)).toBe(0.375)
    expect(requiredInside(profiles.kdp, 400)).toBe(0.625)
    expect(requiredInside(profiles.lulu, 400)).toBe(1)
    expect(spineTextAllowed(profiles.kdp, 79)).toBe(false)
    expect(spineTextAllowed(profiles.kdp, 80)).toBe(true)
  })

  it('is chosen in book.yaml, and a paper the printer lacks is refused', () => {
    const base = {slug: 'b', title: 'B', language: 'en', edition: {number: 1, date: '2026-01-01'}, texts: ['t.md']}
    const book = bookSchema.parse({...base, print: {profile: 'kdp', paper: 'cream'}})
    expect(bookProfile(book.print)?.id).toBe('kdp')
    expect(bookProfile(bookSchema.parse({...base, print: {print_shop: true}}).print)?.id).toBe('generic')
    expect(bookProfile(bookSchema.parse(base).print)).toBeUndefined()
    const bad = bookSchema.safeParse({...base, print: {profile: 'kdp', paper: 'creme'}})
    expect(bad.success).toBe(false)
    expect(JSON.stringify(bad.error?.issues)).toMatch(/Unexpected paper `creme` for kdp, expected one of white, cream/)
    expect(bookSchema.safeParse({...base, print: {profile: 'createspace'}}).success).toBe(false)
  })
})

/** One render of the fixture per profile, checked with Poppler’s boxes and fonts and Ghostscript’s inks. */
describe('a build for each printer profile', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'reader-profiles-'))
  const html = fixtureHtml()
  const pdfs: Record<string, string> = {}
  const paginations: Record<string, Pagination> = {}

  beforeAll(async () => {
    for (const id of [undefined, ...profileIds]) {
      const out = path.join(dir, `${id ?? 'reading'}.pdf`)
      paginations[id ?? 'reading'] = await renderPdf({html, book: fixtureBook(id ? {print: {profile: id}} : {}), buildDir: path.join(dir, id ?? 'reading'), outPath: out})
      pdfs[id ?? 'reading'] = out
    }
  }, 240_000)

  afterAll(() => rmSync(dir, {recursive: true, force: true}))

  const boxes = (pdf: string, page: number) => {
    const info = execFileSync('pdfinfo', ['-box', '-f', String(page), '-l', String(page), pdf], {encoding: 'utf8'})
    const box = (name: string) => new RegExp(`Page +${page} ${name}: +([-\\d.]+) +([-\\d.]+) +([-\\d.]+) +([-\\d.]+)`).exec(info)!.slice(1).map(Number)
    return {media: box('MediaBox'), bleed: box('BleedBox'), trim: box('TrimBox')}
  }
  const edges = (outer: number[], inner: number[]) => ({left: inner[0] - outer[0], bottom: inner[1] - outer[1], right: outer[2] - inner[2], top: outer[3] - inner[3]})

  it.each(profileIds)('%s: the trim, and the bleed on the edges the printer wants (pdfinfo -box)', (id) => {
    const profile = profiles[id]
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdfs[id]], {encoding: 'utf8'}))![1])
    for (const page of [1, 2, pages]) {
      const {media, bleed, trim} = boxes(pdfs[id], page)
      expect(trim[2] - trim[0]).toBeCloseTo(432, 1)
      expect(trim[3] - trim[1]).toBeCloseTo(648, 1)
      const recto = page % 2 === 1
      const b = edges(bleed, trim)
      expect(b.top).toBeCloseTo(profile.bleed.top * 72, 1)
      expect(b.bottom).toBeCloseTo(profile.bleed.bottom * 72, 1)
      expect(recto ? b.left : b.right).toBeCloseTo(profile.bleed.inside * 72, 1)
      expect(recto ? b.right : b.left).toBeCloseTo(profile.bleed.outside * 72, 1)
      const slug = edges(media, bleed)
      for (const edge of Object.values(slug)) expect(edge).toBeCloseTo(profile.slug * 72, 1)
    }
  })

  it.each(profileIds)('%s: no colour ink on any page, text in 100 %% K (Ghostscript inkcov)', async (id) => {
    const coverage = (await inkCoverage(pdfs[id]))!
    expect(coverage.length).toBeGreaterThan(4)
    for (const [c, m, y] of coverage) expect([c, m, y]).toEqual([0, 0, 0])
    expect(Math.max(...coverage.map((ink) => ink[3]))).toBeGreaterThan(0.01)
  })

  it('the reading PDF is RGB black, the four-colour black a printer’s conversion makes', async () => {
    const coverage = (await inkCoverage(pdfs.reading))!
    expect(Math.max(...coverage.map((ink) => ink[0]))).toBeGreaterThan(0.01)
  })

  it.each(['reading', ...profileIds])('%s: each face embedded once (pdffonts)', (id) => {
    const rows = execFileSync('pdffonts', [pdfs[id]], {encoding: 'utf8'}).split('\n').slice(2).filter(Boolean)
    const faces = rows.map((row) => row.split(/\s+/)[0].replace(/^[A-Z]{6}\+/, ''))
    expect(faces.length).toBeGreaterThan(1)
    expect(new Set(faces).size).toBe(faces.length)
    for (const row of rows) expect(row).toMatch(/ yes yes yes /)
  })

  it('keeps the text and the look of every page when the fonts are joined', () => {
    const text = (pdf: string) => execFileSync('pdftotext', [pdf, '-'], {encoding: 'utf8'})
    expect(text(pdfs.kdp)).toContain('Виктор Львович Кибальчич')
    // (Words, wherever the lines break.)
    expect(text(pdfs.reading).replace(/\s+/g, ' ')).toMatch(/The final words of the long note are these/)
  })

  it.each(profileIds)('%s: preflight passes, with the profile’s table', async (id) => {
    const file = await preflight(pdfs[id], {book: fixtureBook({print: {profile: id}})})
    expect(file.messages.filter((m) => m.fatal).map(String)).toEqual([])
    expect(file.data.profileTable).toMatch(new RegExp(`Printer profile ${id}`))
    expect(file.data.profileTable).toMatch(/✓ ink +0 % C, M, Y on every page +C, M, Y 0 %/)
  })

  it('ingramspark is PDF/X-1a:2001: PDF 1.3, the declaration, a CMYK output intent; outline and page labels kept, links out', async () => {
    const info = execFileSync('pdfinfo', [pdfs.ingramspark], {encoding: 'utf8'})
    expect(info).toMatch(/PDF version:\s+1\.3/)
    const raw = execFileSync('qpdf', ['--qdf', '--object-streams=disable', pdfs.ingramspark, '-'], {maxBuffer: 64 * 1024 * 1024}).toString('latin1')
    expect(raw).toMatch(/GTS_PDFXVersion \(PDF\/X-1:2001\)/)
    expect(raw).toMatch(/GTS_PDFXConformance \(PDF\/X-1a:2001\)/)
    expect(raw).toMatch(/\/Trapped \/False/)
    expect(raw).toMatch(/\/S \/GTS_PDFX/)
    expect(raw).toMatch(/\/Outlines/)
    expect(raw).toMatch(/\/PageLabels/)
    expect(raw).not.toMatch(/\/Subtype \/Link/)
    expect(raw).not.toMatch(/\/StructTreeRoot|\/ObjStm|\/ca 1/)
    // What was left out is not in the file either (as written, not as qpdf rewrites it): no structure element, no link.
    const bytes = readFileSync(pdfs.ingramspark).toString('latin1')
    expect(bytes).not.toMatch(/\/StructElem|\/Subtype \/Link/)
    expect(execFileSync('qpdf', ['--check', pdfs.ingramspark], {encoding: 'utf8'})).toMatch(/No syntax or stream encoding errors/)
    const doc = await PDFDocument.load(readFileSync(pdfs.ingramspark))
    expect(pdfxProblems(doc)).toEqual([])
    // The output profile is a CMYK printer profile (ICC header: class and colour space).
    expect(raw).toMatch(/prtrCMYK/)
  })

  it('ingramspark: preflight fails a PDF/X file that is not one — each defect planted in the real file', async () => {
    const planted = async (name: string, plant: (doc: PDFDocument) => void) => {
      const doc = await PDFDocument.load(readFileSync(pdfs.ingramspark))
      plant(doc)
      const out = path.join(dir, `planted-${name}.pdf`)
      writeFileSync(out, await doc.save({useObjectStreams: false}))
      const file = await preflight(out, {book: fixtureBook({print: {profile: 'ingramspark'}})})
      return file.messages.filter((m) => m.fatal && m.ruleId === 'preflight-profile-pdfx').map(String).join('\n')
    }
    const info = (doc: PDFDocument) => doc.context.lookup(doc.context.trailerInfo.Info, PDFDict)
    expect(await planted('untrapped', (doc) => info(doc).delete(PDFName.of('Trapped')))).toMatch(/Trapped is neither True nor False/)
    expect(await planted('link', (doc) => doc.getPage(2).node.set(PDFName.of('Annots'), doc.context.obj([doc.context.obj({Type: 'Annot', Subtype: 'Link', Rect: [0, 0, 10, 10]})])))).toMatch(/p\. 3: 1 annotation \(\/Link\)/)
    expect(
      await planted('translucent', (doc) => {
        const resources = doc.getPage(4).node.Resources()!
        resources.set(PDFName.of('ExtGState'), doc.context.obj({Half: doc.context.obj({ca: 0.5})}))
      })
    ).toMatch(/p\. 5: opacity 0\.5/)
    expect(await planted('rgb', (doc) => doc.getPage(0).node.Resources()!.set(PDFName.of('ColorSpace'), doc.context.obj({CS0: 'DeviceRGB'})))).toMatch(/p\. 1: colour space DeviceRGB/)
    expect(await planted('no-intent', (doc) => doc.catalog.delete(PDFName.of('OutputIntents')))).toMatch(/no output intents/)
    // pdf-lib heads what it saves PDF 1.7: the header is checked too.
    expect(await planted('header', () => {})).toMatch(/header PDF 1\.7/)
  })

  it('ingramspark: a page PDF/X-1a cannot carry is refused, not declared', async () => {
    const doc = await PDFDocument.load(readFileSync(pdfs.kdp))
    doc.getPage(1).node.Resources()!.set(PDFName.of('ExtGState'), doc.context.obj({Soft: doc.context.obj({SMask: doc.context.obj({S: 'Luminosity'})})}))
    expect(() => markPdfx(doc, {title: 'T'})).toThrow(/Cannot make PDF\/X-1a:2001: p\. 2: a soft mask \(transparency\)/)
  })

  it('ingramspark: the PDF/X file’s text is the book’s, word for word', async () => {
    const book = fixtureBook({print: {profile: 'ingramspark'}})
    const file = await preflight(pdfs.ingramspark, {book, pagination: paginations.ingramspark, html})
    expect(file.data.wordsCompared).toBeGreaterThan(300)
    expect(file.messages.filter((m) => m.fatal).map(String)).toEqual([])
    const text = execFileSync('pdftotext', [pdfs.ingramspark, '-'], {encoding: 'utf8'})
    // A ligature, a right single quotation mark, the Cyrillic name with its accent.
    for (const word of ['afterwards', 'Serge’s', 'author’s', 'Виктор']) expect(text).toContain(word)
    // What Ghostscript makes of them when it rewrites the text (the next test): U+02BC for ’, CJK for a two-letter ligature.
    expect(text).not.toMatch(/[\u02bc\u3400-\u9fff]/)
  })

  it('Ghostscript’s conversion (the colour cover’s) without moving /ActualText into the fonts: the comparison fails', async () => {
    // The kdp file through Ghostscript as it is (its fonts’ entries given, its spans left).
    const kdp = readFileSync(pdfs.kdp)
    const converted = await toPdfx(kdp, {title: 'T', workDir: dir, date: new Date('2026-01-01T00:00:00Z'), text: fontTexts(await PDFDocument.load(kdp))})
    const out = path.join(dir, 'unbaked.pdf')
    writeFileSync(out, converted)
    const file = await preflight(out, {book: fixtureBook({print: {profile: 'kdp'}}), pagination: paginations.kdp, html})
    expect(file.messages.filter((m) => m.fatal && m.ruleId === 'preflight-text').map(String).join('\n')).toMatch(/Serge[ʼ’]s|author/)
  })

  it('preflight fails a PDF that misses the profile: the reading PDF checked as kdp', async () => {
    const file = await preflight(pdfs.reading, {book: fixtureBook({print: {profile: 'kdp'}})})
    const rules = file.messages.filter((m) => m.fatal).map((m) => m.ruleId)
    expect(rules).toEqual(expect.arrayContaining(['preflight-profile-bleed', 'preflight-profile-colour', 'preflight-profile-ink']))
    expect(String(file.data.profileTable)).toMatch(/✗ colour/)
  })

  it('preflight fails a face embedded twice, and crop marks missing from a page', async () => {
    // Two copies of the kdp file’s pages, not joined: every face twice.
    const source = await PDFDocument.load(readFileSync(pdfs.kdp))
    const doubled = await PDFDocument.create()
    for (const copy of [await PDFDocument.load(readFileSync(pdfs.kdp)), source]) for (const page of await doubled.copyPages(copy, copy.getPageIndices())) doubled.addPage(page)
    const twice = path.join(dir, 'twice.pdf')
    writeFileSync(twice, await doubled.save())
    const file = await preflight(twice, {book: fixtureBook({print: {profile: 'kdp'}})})
    expect(file.messages.filter((m) => m.fatal).map((m) => m.ruleId)).toContain('preflight-profile-fonts')
    // The generic file without its marks on the last page.
    const generic = await PDFDocument.load(readFileSync(pdfs.generic))
    const last = generic.getPage(generic.getPageCount() - 1)
    const contents = last.node.lookup(PDFName.of('Contents'), PDFArray)
    last.node.set(PDFName.of('Contents'), generic.context.obj(contents.asArray().slice(0, -1)))
    const unmarked = path.join(dir, 'unmarked.pdf')
    writeFileSync(unmarked, await generic.save())
    const marks = await preflight(unmarked, {book: fixtureBook({print: {profile: 'generic'}})})
    expect(marks.messages.filter((m) => m.fatal).map(String).join('\n')).toMatch(/crop marks for generic: on \d+ of \d+ pages/)
  })
})

/** An IngramSpark build commits the PDF/X file, checked like every other. */
describe('an IngramSpark build', () => {
  it('commits the PDF/X file, compared word by word, and reuses it when nothing changed', async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'reader-pdfx-build-'))
    const saved = process.env.READER_CACHE
    // A cache of its own: no other test’s stored layouts or checks.
    process.env.READER_CACHE = path.join(work, 'cache')
    try {
      const out = path.join(work, 'build')
      const options = {manuscript: path.join(root, 'tests/fixtures/mini'), out, printShop: 'ingramspark' as const}
      const first = await build(options)
      expect(first.files.flatMap((file) => file.messages.filter((m) => m.fatal)).map(String)).toEqual([])
      expect(first.ok).toBe(true)
      const pdf = readdirSync(out).find((name) => /^[^.]+\.pdf$/.test(name) && !name.endsWith('-cover.pdf'))!
      const raw = execFileSync('qpdf', ['--qdf', '--object-streams=disable', path.join(out, pdf), '-'], {maxBuffer: 64 * 1024 * 1024}).toString('latin1')
      expect(raw).toMatch(/GTS_PDFXConformance \(PDF\/X-1a:2001\)/)
      const preflightFile = first.files.find((file) => file.data.wordsCompared !== undefined)
      expect(preflightFile?.data.wordsCompared).toBeGreaterThan(50)
      expect(preflightFile?.data.textDifferences).toBe(0)
      const bytes = readFileSync(path.join(out, pdf))
      const second = await build(options)
      expect(second.ok).toBe(true)
      expect(readFileSync(path.join(out, pdf)).equals(bytes)).toBe(true)
    } finally {
      if (saved === undefined) delete process.env.READER_CACHE
      else process.env.READER_CACHE = saved
      rmSync(work, {recursive: true, force: true})
    }
  }, 240_000)
})

