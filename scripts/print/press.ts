/**
 * The press step: the paginated PDF made into the file a printer profile asks for (profiles.ts).
 *
 * - Boxes: the page is laid out with the same bleed on every edge; where the printer wants no
 *   bleed at the spine (KDP, IngramSpark) the media box drops it, on the left of a recto and the
 *   right of a verso. The trim box is the trim, the bleed box the bleed.
 * - Crop marks, where the printer wants them, drawn here on every page (blanks included) in the
 *   slug outside the bleed, so none falls in the bleed or on the page.
 * - Grey: every colour Chromium sets (`r g b rg`, DeviceRGB) becomes DeviceGray, so black text and
 *   rules print as 100 % K and nothing else; a colour that is not grey becomes its luminance.
 * - PDF/X (IngramSpark): the interior is declared PDF/X-1a:2001 as it is written (pdfx.ts). The
 *   colour cover is converted to CMYK by Ghostscript’s pdfwrite (`toPdfx`), PDF/X-3:2002 with a CMYK
 *   output intent for a PDF/X printer. Ghostscript drops the /ActualText spans Chromium says some
 *   words with, and writes some /ToUnicode entries wrongly: pdfx-text.ts moves the spans into the
 *   fonts before and puts the entries back after, so the cover’s text is what was set.
 */
import {execFile} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {promisify} from 'node:util'
import {PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef, PDFStream, decodePDFRawStream, type PDFPage} from 'pdf-lib'
import {ReaderError} from '../errors.ts'
import {fastLoad, fastSave} from './pdf-options.ts'
import {bakeActualText, fontTexts, restoreToUnicode, type FontTexts} from './pdfx-text.ts'
import {cmykOutputProfile} from './pdfx.ts'
import type {PrinterProfile} from './profiles.ts'
import {buildKey} from './postprocess.ts'

const run = promisify(execFile)

/** Boxes, marks and grey for `profile`; `bleedPt` is the bleed the pages were laid out with (every edge). */
export function pressPages(doc: PDFDocument, profile: PrinterProfile, bleedPt: number): void {
  const slug = profile.slug * 72
  doc.getPages().forEach((page, index) => {
    const recto = index % 2 === 0
    const media = page.getMediaBox()
    const trim = {x: media.x + bleedPt, y: media.y + bleedPt, width: media.width - 2 * bleedPt, height: media.height - 2 * bleedPt}
    const b = {
      top: profile.bleed.top * 72,
      bottom: profile.bleed.bottom * 72,
      left: (recto ? profile.bleed.inside : profile.bleed.outside) * 72,
      right: (recto ? profile.bleed.outside : profile.bleed.inside) * 72
    }
    const bleed = {x: trim.x - b.left, y: trim.y - b.bottom, width: trim.width + b.left + b.right, height: trim.height + b.top + b.bottom}
    const sheet = {x: bleed.x - slug, y: bleed.y - slug, width: bleed.width + 2 * slug, height: bleed.height + 2 * slug}
    page.setMediaBox(sheet.x, sheet.y, sheet.width, sheet.height)
    page.setCropBox(sheet.x, sheet.y, sheet.width, sheet.height)
    page.setBleedBox(bleed.x, bleed.y, bleed.width, bleed.height)
    page.setTrimBox(trim.x, trim.y, trim.width, trim.height)
    page.node.delete(PDFName.of('ArtBox'))
    greyPage(doc, page)
    if (profile.cropMarks) cropMarks(doc, page, trim, Math.max(b.top, b.bottom, b.left, b.right), slug)
  })
  // Form XObjects draw with their own content streams.
  for (const [ref, object] of doc.context.enumerateIndirectObjects()) {
    if (object instanceof PDFRawStream && object.dict.get(PDFName.of('Subtype')) === PDFName.of('Form')) greyStream(doc, ref, object)
  }
}

/** Marks at the four corners of the trim, from the bleed’s edge outwards, in 100 % K. */
function cropMarks(doc: PDFDocument, page: PDFPage, trim: {x: number; y: number; width: number; height: number}, offset: number, slug: number): void {
  const length = Math.max(0, slug - 4.5)
  const n = (v: number) => String(Math.round(v * 1000) / 1000)
  const lines: string[] = []
  const x0 = trim.x
  const x1 = trim.x + trim.width
  const y0 = trim.y
  const y1 = trim.y + trim.height
  for (const [x, y, dx, dy] of [
    [x0, y0, -1, -1],
    [x1, y0, 1, -1],
    [x0, y1, -1, 1],
    [x1, y1, 1, 1]
  ]) {
    lines.push(`${n(x + dx * offset)} ${n(y)} m ${n(x + dx * (offset + length))} ${n(y)} l S`)
    lines.push(`${n(x)} ${n(y + dy * offset)} m ${n(x)} ${n(y + dy * (offset + length))} l S`)
  }
  // The page’s own drawing is wrapped in q … Q so the marks start from the default state.
  const before = doc.context.register(doc.context.flateStream('q\n'))
  const after = doc.context.register(doc.context.flateStream(`Q\nq 0 G 0.25 w [] 0 d 0 J\n${lines.join('\n')}\nQ\n`))
  const contents = page.node.get(PDFName.of('Contents'))
  const resolved = contents ? doc.context.lookup(contents) : undefined
  const list = resolved instanceof PDFArray ? resolved.asArray() : contents ? [contents] : []
  page.node.set(PDFName.of('Contents'), doc.context.obj([before, ...list, after]))
}

function greyPage(doc: PDFDocument, page: PDFPage): void {
  const group = page.node.lookupMaybe(PDFName.of('Group'), PDFDict)
  if (group?.get(PDFName.of('CS')) === PDFName.of('DeviceRGB')) group.set(PDFName.of('CS'), PDFName.of('DeviceGray'))
  const contents = page.node.get(PDFName.of('Contents'))
  if (!contents) return
  const resolved = doc.context.lookup(contents)
  const refs = resolved instanceof PDFArray ? resolved.asArray() : [contents]
  const out: Array<PDFRef | PDFStream> = []
  let changed = false
  for (const ref of refs) {
    const stream = doc.context.lookup(ref)
    if (!(stream instanceof PDFRawStream)) {
      out.push(ref as PDFRef)
      continue
    }
    const text = Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1')
    const grey = greyOperators(text)
    if (grey === text) {
      out.push(ref as PDFRef)
      continue
    }
    changed = true
    out.push(doc.context.register(doc.context.flateStream(grey)))
    if (ref instanceof PDFRef) doc.context.delete(ref)
  }
  if (changed) page.node.set(PDFName.of('Contents'), out.length === 1 ? out[0] : doc.context.obj(out))
}

function greyStream(doc: PDFDocument, ref: PDFRef, stream: PDFRawStream): void {
  const text = Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1')
  const grey = greyOperators(text)
  if (grey === text) return
  const dict = stream.dict.clone(doc.context)
  dict.delete(PDFName.of('Filter'))
  dict.delete(PDFName.of('DecodeParms'))
  dict.delete(PDFName.of('Length'))
  const replacement = doc.context.flateStream(grey)
  for (const [key, value] of dict.entries()) replacement.dict.set(key, value)
  doc.context.assign(ref, replacement)
}

/** `r g b rg` / `RG` as `grey g` / `G` (luminance; exact for neutral colours). */
function greyOperators(content: string): string {
  return content.replace(/(^|[\s\]])(-?\d*\.?\d+)\s+(-?\d*\.?\d+)\s+(-?\d*\.?\d+)\s+(rg|RG)(?=[\s/\[<(]|$)/g, (_m, before: string, r: string, g: string, b: string, op: string) => {
    const [R, G, B] = [r, g, b].map(Number)
    const grey = R === G && G === B ? R : 0.299 * R + 0.587 * G + 0.114 * B
    return `${before}${Math.round(grey * 10000) / 10000} ${op === 'rg' ? 'g' : 'G'}`
  })
}

/**
 * The colour cover rewritten by Ghostscript in CMYK: PDF/X-3:2002 with a CMYK output intent
 * (`pdfx`), else just converted to CMYK.
 */
export async function toPdfx(
  pdf: Uint8Array,
  options: {title: string; workDir: string; date: Date; build?: string; signal?: AbortSignal; pdfx?: boolean; text?: FontTexts}
): Promise<Uint8Array> {
  // The text layer through Ghostscript (pdfx-text.ts): what the spans say moved into the fonts first.
  let text = options.text
  if (!text) {
    const doc = await PDFDocument.load(pdf, fastLoad)
    bakeActualText(doc)
    text = fontTexts(doc)
    pdf = await doc.save(fastSave)
  }
  const pdfx = options.pdfx ?? true
  const icc = cmykOutputProfile()
  const dir = mkdtempSync(path.join(options.workDir, '.pdfx-'))
  try {
    const input = path.join(dir, 'in.pdf')
    const output = path.join(dir, 'out.pdf')
    const def = path.join(dir, 'pdfx.ps')
    writeFileSync(input, pdf)
    // Without PDF/X, only the build id is written into the Info (Ghostscript keeps no key of the input’s own).
    const build = options.build?.replace(/[^0-9a-f]/g, '')
    writeFileSync(def, pdfx ? pdfxDefinition(options.title, icc, options.build) : build ? `%!\n[ /${buildKey} (${build}) /DOCINFO pdfmark\n` : '%!\n')
    try {
      await run(
        'gs',
        [
          '-q', '-dNOPAUSE', '-dBATCH', '-dSAFER', `--permit-file-read=${icc}`,
          '-sDEVICE=pdfwrite', ...(pdfx ? ['-dPDFX'] : []), '-dCompatibilityLevel=1.4',
          '-sColorConversionStrategy=CMYK', '-sProcessColorModel=DeviceCMYK',
          '-dEmbedAllFonts=true', '-dSubsetFonts=true', '-dAutoRotatePages=/None',
          '-dPDFSETTINGS=/prepress', '-dDetectDuplicateImages=true', '-dPreserveAnnots=false', '-dNEWPDF=false',
          `-sOutputFile=${output}`, def, input
        ],
        // -dNEWPDF=false: Ghostscript 10.0's own PDF reader (the new default) embeds a face twice
        // when its glyphs are drawn both in and out of marked content (the Serge reader's index
        // letters: preflight refused “SourceSerif4-Semibold ×2”); the PostScript one, still in
        // 10.0, embeds it once and is a fifth faster. A Ghostscript without it uses its own reader,
        // and preflight still checks each face is embedded once.
        // The edition’s date for the file’s dates and id, so the same book gives the same bytes.
        {signal: options.signal, maxBuffer: 16 * 1024 * 1024, env: {...process.env, SOURCE_DATE_EPOCH: String(Math.floor(options.date.getTime() / 1000))}}
      )
    } catch (error) {
      const e = error as NodeJS.ErrnoException & {stderr?: string}
      if (e.code === 'ENOENT') throw new ReaderError('Cannot make PDF/X: Ghostscript (`gs`) is not installed (Debian: apt-get install ghostscript)', {ruleId: 'tool-missing'})
      throw new ReaderError(`Ghostscript could not make the PDF/X file: ${String(e.stderr || e.message).trim().split('\n').slice(0, 3).join(' ')}`, {ruleId: 'pdfx'})
    }
    // Ghostscript keeps each font’s CIDs but not always their text: the entries from before, by CID.
    const written = readFileSync(output)
    return restoreToUnicode(text, written, await PDFDocument.load(written, fastLoad))
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

function pdfxDefinition(title: string, icc: string, build?: string): string {
  const ps = (s: string) => `<${Buffer.from('\ufeff' + s, 'utf16le').swap16().toString('hex')}>`
  return `%!
[ /GTS_PDFXVersion (PDF/X-3:2002) /Title ${ps(title)}${build ? ` /${buildKey} (${build.replace(/[^0-9a-f]/g, '')})` : ''} /Trapped /False /DOCINFO pdfmark
[/_objdef {icc_PDFX} /type /stream /OBJ pdfmark
[{icc_PDFX} << /N 4 >> /PUT pdfmark
[{icc_PDFX} (${icc}) (r) file /PUT pdfmark
[/_objdef {OutputIntent_PDFX} /type /dict /OBJ pdfmark
[{OutputIntent_PDFX} <<
  /Type /OutputIntent /S /GTS_PDFX
  /OutputCondition (Commercial printing, coated, SWOP-like)
  /OutputConditionIdentifier (CGATS TR 001)
  /Info (Ghostscript default CMYK profile)
  /RegistryName (http://www.color.org)
  /DestOutputProfile {icc_PDFX}
>> /PUT pdfmark
[{Catalog} << /OutputIntents [ {OutputIntent_PDFX} ] >> /PUT pdfmark
`
}
