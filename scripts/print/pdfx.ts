/**
 * PDF/X-1a:2001 (ISO 15930-1), written into the pressed interior as it is saved, for a printer that
 * asks for it (IngramSpark). The pages Chromium draws and press.ts greys already hold only what
 * PDF/X-1a allows on a page: grey, every face embedded, nothing transparent. What is left is the
 * file’s own declaration and what PDF/X-1a leaves out:
 *
 * - in: the Info keys (`GTS_PDFXVersion`, `GTS_PDFXConformance`, `Trapped`), a file `/ID`, the
 *   output intent (the press the file is made for: CGATS TR 001, SWOP, with its ICC output profile;
 *   grey prints on the black plate alone), a PDF 1.3 header, and no object streams (PDF 1.5);
 * - out: the links (annotations on the printed page), the structure tree and the keys that point
 *   into it, and the PDF 1.4 transparency keys of a graphics state when all they say is “opaque,
 *   normal blending”.
 *
 * The text layer is Chromium’s, untouched: its /ActualText spans are marked content, which PDF/X
 * leaves alone, so the file says every word as the reading PDF does (preflight compares it).
 * `pdfxProblems` lists what keeps a file from being PDF/X-1a:2001; it is the one check, run on the
 * document before it is declared (a file with a problem is refused, not declared) and by preflight
 * on the file written.
 */
import {createHash} from 'node:crypto'
import {existsSync, readFileSync} from 'node:fs'
import {PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRawStream, PDFRef, PDFStream, PDFString, decodePDFRawStream} from 'pdf-lib'
import {ReaderError} from '../errors.ts'
import type {WriteOptions} from './pdf-options.ts'

/** The version this writer declares (`PrinterProfile.pdfx`). */
export const pdfxVersion = 'PDF/X-1a:2001'

/** The press the file is made for, as PDF/X names it (the ICC registry’s SWOP characterisation). */
const outputCondition = {
  identifier: 'CGATS TR 001',
  condition: 'Commercial offset printing (SWOP); black-and-white interior: grey prints as black (K) alone',
  registry: 'http://www.color.org'
}

/** The file of Ghostscript’s SWOP output profile (Debian: ghostscript): the output intent’s profile here, and the colour cover’s (press.ts). */
export function cmykOutputProfile(): string {
  const candidates = ['/usr/share/color/icc/ghostscript/default_cmyk.icc', '/usr/local/share/ghostscript/iccprofiles/default_cmyk.icc']
  const file = candidates.find((candidate) => existsSync(candidate))
  if (!file) throw new ReaderError('Cannot make the printer’s file: no CMYK output profile found (Debian: apt-get install ghostscript)', {ruleId: 'tool-missing'})
  return file
}

/**
 * Declares `doc` PDF/X-1a:2001 and leaves out what the standard does not allow; returns the save
 * options the file must be written with. Throws (rule `pdfx`) when the pages hold something PDF/X-1a
 * cannot carry (an RGB image, transparency): nothing is declared that is not so.
 */
export function markPdfx(doc: PDFDocument, options: {title: string; build?: string}): WriteOptions {
  const {context, catalog} = doc
  // Out: the links, the structure tree (and what points into it), PDF 1.4 keys of the catalogue.
  for (const page of doc.getPages()) for (const key of ['Annots', 'StructParents', 'Tabs']) page.node.delete(PDFName.of(key))
  for (const key of ['StructTreeRoot', 'MarkInfo', 'Lang', 'AcroForm', 'OpenAction', 'AA']) catalog.delete(PDFName.of(key))
  for (const {state} of graphicsStates(doc)) opaqueDefaultsOut(state)

  const problems = pdfxProblems(doc, {declared: false})
  if (problems.length) {
    throw new ReaderError(`Cannot make ${pdfxVersion}: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}`, {ruleId: 'pdfx'})
  }

  const info = context.lookup(context.trailerInfo.Info, PDFDict)
  info.set(PDFName.of('GTS_PDFXVersion'), PDFString.of('PDF/X-1:2001'))
  info.set(PDFName.of('GTS_PDFXConformance'), PDFString.of(pdfxVersion))
  info.set(PDFName.of('Trapped'), PDFName.of('False'))
  if (!info.get(PDFName.of('Title'))) info.set(PDFName.of('Title'), PDFHexString.fromText(options.title))

  const profile = context.flateStream(readFileSync(cmykOutputProfile()), {N: 4})
  const intent = context.obj({
    Type: 'OutputIntent',
    S: 'GTS_PDFX',
    OutputConditionIdentifier: PDFString.of(outputCondition.identifier),
    OutputCondition: PDFString.of(outputCondition.condition),
    RegistryName: PDFString.of(outputCondition.registry),
    Info: PDFString.of('Artifex CMYK SWOP Profile'),
    DestOutputProfile: context.register(profile)
  })
  catalog.set(PDFName.of('OutputIntents'), context.obj([context.register(intent)]))

  // The file’s id: from the build (the same book gives the same bytes), else from its title.
  const id = createHash('sha256').update(options.build ?? options.title).digest('hex').slice(0, 32)
  context.trailerInfo.ID = context.obj([PDFHexString.of(id), PDFHexString.of(id)])
  // What was left out is not written either (pdf-lib writes every object it holds, reached or not).
  dropUnreached(doc)
  return {useObjectStreams: false, version: '1.3'}
}

/** The objects nothing reaches from the catalogue or the Info any more (the structure tree, the links) taken out. */
function dropUnreached(doc: PDFDocument): void {
  const {context} = doc
  const reached = new Set<string>()
  const queue: unknown[] = [context.trailerInfo.Root, context.trailerInfo.Info]
  while (queue.length) {
    const item = queue.pop()
    if (item instanceof PDFRef) {
      if (reached.has(item.tag)) continue
      reached.add(item.tag)
      queue.push(context.lookup(item))
    } else if (item instanceof PDFDict) for (const [, value] of item.entries()) queue.push(value)
    else if (item instanceof PDFArray) queue.push(...item.asArray())
    else if (item instanceof PDFStream) queue.push(item.dict)
  }
  for (const [ref] of context.enumerateIndirectObjects()) if (!reached.has(ref.tag)) context.delete(ref)
}

/**
 * What keeps `doc` from being PDF/X-1a:2001, one line each (empty: nothing). With `declared` (the
 * default), the declaration too: Info keys, output intent, file id, header.
 */
export function pdfxProblems(doc: PDFDocument, options: {declared?: boolean} = {}): string[] {
  const problems: string[] = []
  const {context, catalog} = doc
  if (context.trailerInfo.Encrypt) problems.push('encrypted')
  if (catalog.get(PDFName.of('AcroForm'))) problems.push('a form')
  const names = catalog.lookupMaybe(PDFName.of('Names'), PDFDict)
  if (names?.get(PDFName.of('JavaScript')) || catalog.get(PDFName.of('OpenAction'))) problems.push('an action on opening (JavaScript or OpenAction)')

  if (options.declared !== false) {
    const info = context.lookupMaybe(context.trailerInfo.Info, PDFDict)
    const text = (key: string) => {
      const value = info?.get(PDFName.of(key))
      return value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : undefined
    }
    if (text('GTS_PDFXVersion') !== 'PDF/X-1:2001' || text('GTS_PDFXConformance') !== pdfxVersion) {
      problems.push(`Info declares ${text('GTS_PDFXConformance') ?? text('GTS_PDFXVersion') ?? 'no PDF/X version'}`)
    }
    if (!text('Title')) problems.push('no Title in Info')
    for (const key of ['CreationDate', 'ModDate']) if (!text(key)) problems.push(`no ${key} in Info`)
    const trapped = info?.get(PDFName.of('Trapped'))
    if (trapped !== PDFName.of('True') && trapped !== PDFName.of('False')) problems.push('Trapped is neither True nor False')
    if (!(context.lookupMaybe(context.trailerInfo.ID, PDFArray)?.size() === 2)) problems.push('no file /ID')
    // (The header the file was read with: pdf-lib writes its own, which savePdf corrects.)
    const version = /%PDF-(\d+\.\d+)/.exec(context.header.toString())?.[1]
    if (!version || Number(version) > 1.3) problems.push(`header PDF ${version ?? '?'} (PDF/X-1a:2001 is PDF 1.3)`)
    problems.push(...intentProblems(doc))
  }

  doc.getPages().forEach((page, index) => {
    const where = `p. ${index + 1}`
    const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray)
    const kinds = (annots?.asArray() ?? []).map((ref) => context.lookupMaybe(ref, PDFDict)?.get(PDFName.of('Subtype'))).filter((kind) => kind !== PDFName.of('TrapNet') && kind !== PDFName.of('PrinterMark'))
    if (kinds.length) problems.push(`${where}: ${kinds.length} annotation${kinds.length > 1 ? 's' : ''} (${[...new Set(kinds.map(String))].join(', ')})`)
    const box = (key: string) => page.node.lookupMaybe(PDFName.of(key), PDFArray)?.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : NaN))
    const media = box('MediaBox')
    const trim = box('TrimBox') ?? box('ArtBox')
    const bleed = box('BleedBox') ?? media
    if (!trim) problems.push(`${where}: no TrimBox`)
    else if (!media || !bleed || !within(trim, bleed) || !within(bleed, media)) problems.push(`${where}: TrimBox outside BleedBox or MediaBox`)
    if (page.node.lookupMaybe(PDFName.of('Group'), PDFDict)?.get(PDFName.of('S')) === PDFName.of('Transparency')) problems.push(`${where}: a transparency group`)
  })

  for (const {where, state} of graphicsStates(doc)) {
    const smask = state.get(PDFName.of('SMask'))
    if (smask && smask !== PDFName.of('None')) problems.push(`${where}: a soft mask (transparency)`)
    for (const key of ['CA', 'ca']) {
      const alpha = state.lookupMaybe(PDFName.of(key), PDFNumber)?.asNumber()
      if (alpha !== undefined && alpha !== 1) problems.push(`${where}: opacity ${alpha} (transparency)`)
    }
    const blend = state.get(PDFName.of('BM'))
    if (blend && blend !== PDFName.of('Normal') && blend !== PDFName.of('Compatible')) problems.push(`${where}: blend mode ${String(blend)} (transparency)`)
    for (const key of ['TR', 'TR2']) {
      const transfer = state.get(PDFName.of(key))
      if (transfer && transfer !== PDFName.of('Default') && transfer !== PDFName.of('Identity')) problems.push(`${where}: a transfer function`)
    }
  }
  for (const {where, space} of colourSpaces(doc)) {
    const kind = spaceKind(doc, space)
    if (!allowedSpaces.has(kind)) problems.push(`${where}: colour space ${kind} (PDF/X-1a: grey, CMYK or spot colours only)`)
  }
  return [...new Set(problems)]
}

/** The output intent: one, GTS_PDFX, an identifier, and a CMYK output (printer) profile. */
function intentProblems(doc: PDFDocument): string[] {
  const intents = doc.catalog.lookupMaybe(PDFName.of('OutputIntents'), PDFArray)
  const intent = intents?.size() === 1 ? intents.lookupMaybe(0, PDFDict) : undefined
  if (!intent) return [`${intents?.size() ?? 'no'} output intents (PDF/X asks one)`]
  const problems: string[] = []
  if (intent.get(PDFName.of('S')) !== PDFName.of('GTS_PDFX')) problems.push('output intent not GTS_PDFX')
  if (!intent.get(PDFName.of('OutputConditionIdentifier'))) problems.push('output intent without OutputConditionIdentifier')
  const profile = intent.lookupMaybe(PDFName.of('DestOutputProfile'), PDFStream)
  if (!profile) return [...problems, 'output intent without its profile']
  const bytes = profile instanceof PDFRawStream ? decodePDFRawStream(profile).decode() : undefined
  const header = bytes && bytes.length >= 20 ? String.fromCharCode(...bytes.subarray(12, 20)) : ''
  if (header !== 'prtrCMYK') problems.push(`output profile is ${header ? `“${header.slice(0, 4)}” class, ${header.slice(4).trim()}` : 'unreadable'} (PDF/X-1a asks a CMYK printer profile)`)
  return problems
}

function within(inner: number[], outer: number[]): boolean {
  const [ix0, iy0, ix1, iy1] = [Math.min(inner[0], inner[2]), Math.min(inner[1], inner[3]), Math.max(inner[0], inner[2]), Math.max(inner[1], inner[3])]
  const [ox0, oy0, ox1, oy1] = [Math.min(outer[0], outer[2]), Math.min(outer[1], outer[3]), Math.max(outer[0], outer[2]), Math.max(outer[1], outer[3])]
  const e = 0.01
  return ix0 >= ox0 - e && iy0 >= oy0 - e && ix1 <= ox1 + e && iy1 <= oy1 + e
}

const allowedSpaces = new Set(['DeviceGray', 'DeviceCMYK', 'Separation', 'DeviceN', 'Pattern', 'ImageMask'])

/** A colour space’s family, an Indexed space’s base, a spot colour’s alternate looked through. */
function spaceKind(doc: PDFDocument, space: unknown): string {
  const value = space instanceof PDFRef ? doc.context.lookup(space) : space
  if (value instanceof PDFName) return value.decodeText()
  if (value instanceof PDFArray) {
    const family = value.lookupMaybe(0, PDFName)?.decodeText() ?? '?'
    if (family === 'Indexed') return spaceKind(doc, value.get(1))
    if (family === 'Separation' || family === 'DeviceN') {
      const alternate = spaceKind(doc, value.get(2))
      return alternate === 'DeviceGray' || alternate === 'DeviceCMYK' ? family : `${family} over ${alternate}`
    }
    if (family === 'Pattern' && value.size() > 1) {
      const under = spaceKind(doc, value.get(1))
      return allowedSpaces.has(under) ? family : `${family} over ${under}`
    }
    return family
  }
  return '?'
}

/** Every resource dictionary reached from the pages (forms, patterns, Type 3 fonts included), once, with the page it was first met on. */
function resourceDicts(doc: PDFDocument): {where: string; resources: PDFDict}[] {
  const seen = new Set<PDFDict>()
  const out: {where: string; resources: PDFDict}[] = []
  const visit = (resources: PDFDict | undefined, where: string) => {
    if (!resources || seen.has(resources)) return
    seen.add(resources)
    out.push({where, resources})
    for (const key of ['XObject', 'Pattern', 'Font']) {
      const entries = resources.lookupMaybe(PDFName.of(key), PDFDict)
      for (const [, ref] of entries?.entries() ?? []) {
        const object = doc.context.lookup(ref)
        const dict = object instanceof PDFStream ? object.dict : object instanceof PDFDict ? object : undefined
        visit(dict?.lookupMaybe(PDFName.of('Resources'), PDFDict), where)
      }
    }
  }
  doc.getPages().forEach((page, index) => visit(page.node.Resources(), `p. ${index + 1}`))
  return out
}

/** Every graphics state the pages use, once, with the page it was first met on. */
function graphicsStates(doc: PDFDocument): {where: string; state: PDFDict}[] {
  const seen = new Set<PDFDict>()
  const out: {where: string; state: PDFDict}[] = []
  for (const {where, resources} of resourceDicts(doc)) {
    const states = resources.lookupMaybe(PDFName.of('ExtGState'), PDFDict)
    for (const [, ref] of states?.entries() ?? []) {
      const state = doc.context.lookupMaybe(ref, PDFDict)
      if (state && !seen.has(state)) seen.add(state), out.push({where, state})
    }
  }
  return out
}

/** The colour spaces named in resources and those of images, with where they were first met (and, as such, what PDF/X-1a excludes among XObjects). */
function colourSpaces(doc: PDFDocument): {where: string; space: unknown}[] {
  const out: {where: string; space: unknown}[] = []
  for (const {where, resources} of resourceDicts(doc)) {
    for (const [, space] of resources.lookupMaybe(PDFName.of('ColorSpace'), PDFDict)?.entries() ?? []) out.push({where, space})
    for (const [, ref] of resources.lookupMaybe(PDFName.of('XObject'), PDFDict)?.entries() ?? []) {
      const object = doc.context.lookup(ref)
      if (!(object instanceof PDFStream)) continue
      // PostScript XObjects, OPI proxies and alternate images: none in PDF/X-1a.
      if (object.dict.get(PDFName.of('Subtype')) === PDFName.of('PS')) out.push({where, space: PDFName.of('PostScript XObject')})
      if (object.dict.get(PDFName.of('OPI')) || object.dict.get(PDFName.of('Alternates'))) out.push({where, space: PDFName.of('OPI or alternate image')})
      if (object.dict.get(PDFName.of('Subtype')) !== PDFName.of('Image')) continue
      if (object.dict.get(PDFName.of('SMask'))) out.push({where, space: PDFName.of('SoftMask')})
      out.push({where, space: object.dict.get(PDFName.of('ImageMask')) ? PDFName.of('ImageMask') : object.dict.get(PDFName.of('ColorSpace'))})
    }
  }
  return out
}

/** PDF 1.4’s transparency keys out of a graphics state that only says “opaque, normal blending” (PDF 1.3 has none of them). */
function opaqueDefaultsOut(state: PDFDict): void {
  const is = (key: string, ...values: unknown[]) => {
    const value = state.get(PDFName.of(key))
    return value === undefined || values.some((v) => (v instanceof PDFName ? value === v : value instanceof PDFNumber && value.asNumber() === v))
  }
  if (is('CA', 1) && is('ca', 1) && is('BM', PDFName.of('Normal'), PDFName.of('Compatible')) && is('SMask', PDFName.of('None'))) {
    for (const key of ['CA', 'ca', 'BM', 'SMask', 'AIS', 'TK']) state.delete(PDFName.of(key))
  }
}
