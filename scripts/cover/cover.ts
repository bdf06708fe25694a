/**
 * The print cover: one wrap sheet — back, spine, front — for the chosen printer profile, drawn from
 * `templates/cover/cover.html` in the same offline Chromium as the book, with the book face alone.
 *
 * The sheet is the printer’s: trim × 2 + spine + bleed all round, the spine from the interior’s page
 * count and the paper’s caliper (profiles.ts), spine text only where the printer allows it for
 * that page count. The ISBN (book.yaml `identifiers.isbn_print`) is an EAN-13 bar code in the
 * printer’s box on the back, with the price add-on when `cover.price` is given. The file is then
 * converted to CMYK by Ghostscript (PDF/X-3 with a CMYK output intent where the printer asks for
 * PDF/X), and checked (`preflightCover`): size, spine, bar code read back, fonts, colour.
 *
 * The e-book cover is the front panel of the same page (`frontPanelPage`).
 */
import {execFile} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import path from 'node:path'
import {promisify} from 'node:util'
import ejs from 'ejs'
import {toHtml} from 'hast-util-to-html'
import {sanitize} from 'hast-util-sanitize'
import {fromMarkdown} from 'mdast-util-from-markdown'
import {toHast} from 'mdast-util-to-hast'
import {PDFDict, PDFDocument, PDFName, PDFString} from 'pdf-lib'
import {buildKey} from '../print/postprocess.ts'
import type {VFile} from 'vfile'
import {launchBrowser, offlineArgs} from '../browser.ts'
import {inlineFace, authorsOf} from '../epub/cover.ts'
import {bookFace, type BookFace} from '../fonts.ts'
import {labelsOf, say} from '../labels.ts'
import type {Book} from '../manuscript/schema.ts'
import type {BookModel} from '../model.ts'
import {toPoints} from '../print/layout.ts'
import {scanContent} from '../print/preflight-profile.ts'
import {toPdfx} from '../print/press.ts'
import {coverSheet, paperOf, spineTextAllowed, type PrinterProfile} from '../print/profiles.ts'
import {templatesDir} from '../templates.ts'
import {barcodeSvg, decodeBarcode, isbn13, priceAddOn, readPgm} from './barcode.ts'

const run = promisify(execFile)

/** The e-book cover’s size in pixels: the front panel at 1600 px wide (1600 × 2400 for 6 × 9 in). */
function frontPanelPixels(book: Book): {width: number; height: number} {
  const width = 1600
  return {width, height: Math.round((width * toPoints(book.print.trim.height)) / toPoints(book.print.trim.width))}
}

export interface CoverGeometry {
  trim: {width: number; height: number}
  sheet: {width: number; height: number}
  spine: number
  bleed: number
  pages: number
  paper: string
  spineText: boolean
}

export function coverGeometry(book: Book, profile: PrinterProfile, pages: number): CoverGeometry {
  const trim = {width: toPoints(book.print.trim.width) / 72, height: toPoints(book.print.trim.height) / 72}
  const paper = book.print.paper ?? profile.defaultPaper
  const sheet = coverSheet(profile, trim, pages, paper)
  return {trim, sheet: {width: sheet.width, height: sheet.height}, spine: sheet.spine, bleed: profile.cover.bleed, pages, paper, spineText: spineTextAllowed(profile, pages)}
}

/** The spine’s text size: what fits between the folds’ clearances, at most 14pt. */
function spineFont(spine: number, clearance: number): number {
  return Math.max(0, Math.min(14, Math.floor(((spine - 2 * clearance) * 72 * 0.72) * 2) / 2))
}

interface PageInput {
  model: BookModel
  profile: PrinterProfile
  geometry: CoverGeometry
  mode: 'wrap' | 'front'
  face?: BookFace
  /** Warnings (no ISBN, no spine text…), when given. */
  file?: VFile
}

/** The cover page as HTML. */
async function coverPage(input: PageInput): Promise<{html: string; isbn?: string; addOn?: string}> {
  const {model, profile, geometry, mode, file} = input
  const {book} = model
  const face = input.face ?? bookFace()
  const labels = labelsOf(book)
  const warn = (reason: string, rule: string) => {
    if (file) file.message(reason, {ruleId: rule, source: 'reader'}).fatal = false
  }
  let isbn: string | undefined
  let addOn: string | undefined
  let svg = ''
  if (mode === 'wrap') {
    const given = book.identifiers.isbn_print.trim()
    if (!given) warn('Missing value for `identifiers.isbn_print`: the cover has no bar code', 'cover-barcode')
    else {
      const parsed = isbn13(given)
      if ('reason' in parsed) file?.message(`Unexpected ISBN \`${given}\`: ${parsed.reason}`, {ruleId: 'cover-barcode', source: 'reader'})
      else {
        isbn = parsed.digits
        if (book.cover.price) {
          const price = priceAddOn(book.cover.price)
          if ('reason' in price) warn(`Unexpected price \`${book.cover.price}\`: ${price.reason}; the bar code has no price add-on`, 'cover-barcode')
          else addOn = price.digits
        }
        svg = barcodeSvg(isbn, addOn)
      }
    }
    if (!geometry.spineText) {
      warn(`The spine is blank: ${profile.name} allows spine text from ${profile.cover.spineTextMinPages} pages, the book has ${geometry.pages}`, 'cover-spine')
    }
  }
  const template = await readFile(path.join(templatesDir(), 'cover', 'cover.html'), 'utf8')
  const pixels = frontPanelPixels(book)
  const html = ejs.render(template, {
    mode,
    lang: book.language,
    title: book.title,
    subtitle: book.subtitle,
    editedBy: book.editor.trim() ? say(labels.edited_by, {editor: book.editor.trim()}) : '',
    authors: authorsOf(model),
    imprint: book.publisher.imprint.trim(),
    blurb: blurbHtml(book.cover.blurb),
    barcodeSvg: svg,
    spineText: mode === 'wrap' && geometry.spineText && spineFont(geometry.spine, profile.cover.spineSafe) >= 6,
    spineFont: spineFont(geometry.spine, profile.cover.spineSafe),
    sheet: geometry.sheet,
    trim: geometry.trim,
    spine: geometry.spine,
    bleed: geometry.bleed,
    safe: profile.cover.safe,
    spineSafe: profile.cover.spineSafe,
    barcode: profile.cover.barcode,
    // 96 CSS px to the inch: the front panel scaled to the e-book cover’s width.
    scale: pixels.width / (geometry.trim.width * 96),
    fontFaces: inlineFace('', face)
  })
  return {html: html.replaceAll('var(--book-face)', `'${face.family}'`), isbn, addOn}
}

/** The front panel alone, at the e-book cover’s pixel size: the EPUB’s cover page. */
export async function frontPanelPage(model: BookModel, face: BookFace = bookFace()): Promise<string> {
  const {book} = model
  const profile = (await import('../print/profiles.ts')).bookProfile(book.print) ?? (await import('../print/profiles.ts')).profiles.generic
  const geometry = coverGeometry(book, profile, 0)
  return (await coverPage({model, profile, geometry, mode: 'front', face})).html
}

function blurbHtml(markdown: string): string {
  if (!markdown.trim()) return ''
  // Markdown through mdast and hast, sanitised with the default (GitHub) schema: text, not a page.
  return toHtml(sanitize(toHast(fromMarkdown(markdown))))
}

export interface RenderCoverOptions {
  model: BookModel
  /** The book with its printer profile chosen. */
  book: Book
  profile: PrinterProfile
  /** The interior’s page count. */
  pages: number
  outPath: string
  workDir: string
  file: VFile
  /** The build’s id (scripts/output.ts), as `/ReaderBuild` in the PDF’s Info like the interior’s. */
  build?: string
  signal?: AbortSignal
}

/** Draw the wrap cover to `outPath` (PDF), converted for the printer, then check it into `file`. */
export async function renderCover(options: RenderCoverOptions): Promise<CoverGeometry> {
  const {profile, pages} = options
  const model = {...options.model, book: options.book}
  const geometry = coverGeometry(options.book, profile, pages)
  const {html, isbn, addOn} = await coverPage({model, profile, geometry, mode: 'wrap', file: options.file})
  const launched = await launchBrowser({extraArgs: [...offlineArgs, '--font-render-hinting=none']})
  let pdf: Uint8Array
  try {
    const page = await launched.browser.newPage()
    await page.setRequestInterception(true)
    page.on('request', (request) => (request.url().startsWith('data:') || request.url() === 'about:blank' ? request.continue() : request.abort()))
    await page.setContent(html, {waitUntil: 'load', timeout: 60_000})
    await page.evaluate('document.fonts.ready')
    // Chromium sizes a PDF page in whole CSS pixels: the page is printed a little wider, and cut to the sheet below.
    pdf = await page.pdf({width: `${Math.ceil(geometry.sheet.width * 96) / 96}in`, height: `${Math.ceil(geometry.sheet.height * 96) / 96}in`, printBackground: true, tagged: false})
  } finally {
    await launched.close()
  }
  // Boxes: the trim inside the bleed.
  const doc = await PDFDocument.load(pdf, {updateMetadata: false})
  const b = geometry.bleed * 72
  for (const page of doc.getPages()) {
    const full = page.getMediaBox()
    const [width, height] = [geometry.sheet.width * 72, geometry.sheet.height * 72]
    const [x, y] = [full.x, full.y + full.height - height]
    page.setMediaBox(x, y, width, height)
    page.setCropBox(x, y, width, height)
    page.setBleedBox(x, y, width, height)
    page.setTrimBox(x + b, y + b, width - 2 * b, height - 2 * b)
  }
  doc.setTitle(`${options.book.title}: cover`)
  doc.setProducer('reader: Chromium, pdf-lib, Ghostscript')
  doc.setCreationDate(new Date(`${options.book.edition.date}T00:00:00Z`))
  doc.setModificationDate(new Date(`${options.book.edition.date}T00:00:00Z`))
  if (options.build) doc.context.lookup(doc.context.trailerInfo.Info, PDFDict).set(PDFName.of(buildKey), PDFString.of(options.build))
  const boxed = await doc.save({useObjectStreams: false})
  const converted = await toPdfx(boxed, {
    title: `${options.book.title}: cover`,
    workDir: options.workDir,
    date: new Date(`${options.book.edition.date}T00:00:00Z`),
    build: options.build,
    signal: options.signal,
    pdfx: Boolean(profile.pdfx)
  })
  writeFileSync(options.outPath, converted)
  await preflightCover(options.outPath, {profile, geometry, isbn, addOn, file: options.file, workDir: options.workDir})
  return geometry
}

/**
 * The cover as the printer’s preflight checks it: the sheet’s size (trim × 2 + spine + bleed), the
 * spine for the page count and paper, the bar code read back, fonts embedded (the book face only), no RGB.
 */
export async function preflightCover(
  pdfPath: string,
  expect: {profile: PrinterProfile; geometry: CoverGeometry; isbn?: string; addOn?: string; file: VFile; workDir: string}
): Promise<void> {
  const {geometry, profile, file} = expect
  const fail = (reason: string, rule: string) => {
    file.message(reason, {ruleId: `preflight-cover-${rule}`, source: 'reader'}).fatal = true
  }
  const doc = await PDFDocument.load(readFileSync(pdfPath), {updateMetadata: false})
  const page = doc.getPage(0)
  const media = page.getMediaBox()
  const trim = page.getTrimBox()
  const inch = (pt: number) => Math.round((pt / 72) * 10000) / 10000
  if (Math.abs(media.width - geometry.sheet.width * 72) > 0.5 || Math.abs(media.height - geometry.sheet.height * 72) > 0.5) {
    fail(`Unexpected cover size ${inch(media.width)} × ${inch(media.height)} in, expected ${geometry.sheet.width} × ${geometry.sheet.height} in (trim × 2 + spine ${geometry.spine} in + bleed)`, 'size')
  }
  const spine = inch(trim.width) - 2 * geometry.trim.width
  const paper = paperOf(profile, geometry.paper)
  const expected = Math.round((geometry.pages * paper!.caliper + (paper!.plus ?? 0)) * 10000) / 10000
  if (Math.abs(spine - expected) > 0.002) fail(`Unexpected spine ${spine.toFixed(4)} in, expected ${expected} in for ${geometry.pages} pages of ${paper!.label}`, 'spine')
  // Fonts.
  try {
    const {stdout} = await run('pdffonts', [pdfPath])
    const face = bookFace()
    for (const line of stdout.split('\n').slice(2)) {
      const columns = line.trim().split(/\s+/)
      if (columns.length < 7) continue
      const base = columns[0].replace(/^[A-Z]{6}\+/, '')
      if (!base.startsWith(face.pdfName)) fail(`Unexpected font \`${base}\` on the cover, expected only ${face.family}`, 'fonts')
      if (columns.slice(-5, -4)[0] !== 'yes') fail(`Font \`${base}\` is not embedded in the cover`, 'fonts')
    }
  } catch {
    fail('Cannot run pdffonts (install poppler-utils)', 'tool-missing')
  }
  // Colour: CMYK (or grey), nothing in RGB.
  const scan = scanContent(doc)
  if (scan.rgb.length) fail(`Unexpected RGB on the cover (${scan.rgb[0]}), expected CMYK for ${profile.name}`, 'colour')
  // The bar code, read back from a 600 ppi rendering of its box.
  if (expect.isbn) {
    const box = profile.cover.barcode
    const dpi = 600
    const px = (inches: number) => Math.round(inches * dpi)
    const left = media.width / 72 - geometry.bleed - geometry.trim.width - geometry.spine - box.fromSpine - box.width
    const top = geometry.bleed + geometry.trim.height - box.fromBottom - box.height
    const dir = mkdtempSync(path.join(expect.workDir, '.barcode-'))
    try {
      const out = path.join(dir, 'code')
      await run('pdftoppm', ['-gray', '-r', String(dpi), '-x', String(px(left)), '-y', String(px(top)), '-W', String(px(box.width)), '-H', String(px(box.height)), '-singlefile', pdfPath, out])
      const image = readPgm(readFileSync(`${out}.pgm`))
      const read = decodeBarcode(image.pixels, image.width, image.height)
      if (!read) fail(`Unreadable bar code on the cover, expected ${expect.isbn}`, 'barcode')
      else if (read.text !== expect.isbn) fail(`Unexpected bar code ${read.text} on the cover, expected the ISBN ${expect.isbn}`, 'barcode')
      else if ((read.addOn ?? '') !== (expect.addOn ?? '')) fail(`Unexpected price add-on ${read.addOn ?? 'none'}, expected ${expect.addOn ?? 'none'}`, 'barcode')
      else file.data.barcode = read
    } catch (error) {
      fail(`Cannot read the bar code back: ${String((error as Error).message).split('\n')[0]}`, 'barcode')
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  }
  file.data.cover = {sheet: geometry.sheet, spine: geometry.spine, pages: geometry.pages, paper: geometry.paper, spineText: geometry.spineText}
}
