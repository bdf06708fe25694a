/**
 * The text layer carried through a converter that drops marked content (Ghostscript’s pdfwrite,
 * which makes the PDF/X file: press.ts).
 *
 * Chromium says what some glyphs mean in `/Span <</ActualText …>> BDC … EMC` rather than in the
 * font’s /ToUnicode map: a right single quotation mark drawn with the glyph the font also uses for
 * U+02BC, a ligature, a hyphen drawn where a soft hyphen broke a line (U+2010), a soft hyphen drawn
 * as an invisible glyph (its /ActualText emptied by text-layer.ts). A converter that keeps the glyphs
 * and drops the spans prints the same page with other words in its text: “author’s” becomes
 * “authorʼs”, “Vic tor” gains a space. And Ghostscript 10.0 writes a /ToUnicode entry of two or
 * more UTF-16 units wrongly (“ft” as U+6600 U+7400).
 *
 * - `bakeActualText` (before the conversion) moves what each span says into the fonts: an
 *   invisible glyph the span does not account for is not drawn (nothing moves: every glyph is placed
 *   by its own `Td`); a glyph that means something else than its /ToUnicode entry gets that meaning
 *   there, or, when the same glyph also stands for its usual text elsewhere, a new CID drawing the
 *   same glyph whose entry says it. The span is then taken out; a span that cannot be said this way
 *   is left as it was (and preflight’s comparison names the words it changes).
 * - `restoreToUnicode` (after it) gives each font of the converted file the /ToUnicode entries of
 *   the same font before, by CID: Ghostscript keeps the CIDs of a CIDFontType2.
 */
import {deflateSync} from 'node:zlib'
import {decodePDFRawStream, PDFArray, PDFDict, PDFName, PDFNumber, PDFRawStream, PDFRef, type PDFContext, type PDFDocument, type PDFObject} from 'pdf-lib'
import {parseToUnicode, toUnicodeCMap, widthsOf, type GlyphText} from './font-maps.ts'
import {contentStreams, replaceStream} from './text-layer.ts'

/** A composite font of the file: its /ToUnicode map and where it lives. */
interface Font {
  dict: PDFDict
  /** The name without its subset tag (`SourceSerif4-Regular`). */
  name: string
  text: GlyphText
  /** Meanings given to codes by the spans; `plain`: the codes also drawn as their entry says. */
  assigned: Map<number, Set<string>>
  plain: Set<number>
}

/** What a content stream draws, as far as the text layer goes. */
interface Glyph {
  font: Font
  code: number
  /** The `<hex> Tj` that draws it alone, or undefined when it shares its string. */
  start: number
  end: number
  alone: boolean
}

interface Span {
  text: string
  open: [number, number]
  close?: [number, number]
  glyphs: Glyph[]
}

/** Moves /ActualText into the fonts (see above); returns how many spans were said this way and how many were left. */
export function bakeActualText(doc: PDFDocument): {baked: number; left: number} {
  const fonts = new Map<PDFDict, Font>()
  const streams: Array<{stream: PDFRawStream; source: string; spans: Span[]}> = []
  for (const {stream, resources} of contentStreams(doc)) {
    const source = Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1')
    if (!source.includes('/ActualText')) {
      // Still read: a glyph drawn here as its entry says is a plain use.
      scan(doc, source, resources, fonts)
      continue
    }
    streams.push({stream, source, spans: scan(doc, source, resources, fonts)})
  }

  // What each span asks of its glyphs.
  type Plan = {span: Span; drop: Glyph[]; assign?: {glyph: Glyph; text: string}}
  const plans: Plan[] = []
  let left = 0
  for (const {spans} of streams) {
    for (const span of spans) {
      const plan = planSpan(span)
      if (!plan) {
        left++
        for (const glyph of span.glyphs) glyph.font.plain.add(glyph.code)
        continue
      }
      plans.push({span, ...plan})
      const dropped = new Set(plan.drop)
      for (const glyph of span.glyphs) {
        if (dropped.has(glyph) || glyph === plan.assign?.glyph) continue
        glyph.font.plain.add(glyph.code)
      }
      if (plan.assign) {
        const {glyph, text} = plan.assign
        if (!glyph.font.assigned.has(glyph.code)) glyph.font.assigned.set(glyph.code, new Set())
        glyph.font.assigned.get(glyph.code)!.add(text)
      }
    }
  }

  // Each (font, code, meaning): the code itself when nothing else draws it, else a new CID.
  const codeFor = new Map<Font, Map<number, Map<string, number>>>()
  for (const font of fonts.values()) {
    if (!font.assigned.size) continue
    const byCode = new Map<number, Map<string, number>>()
    const cids = cidSpace(doc.context, font)
    for (const [code, meanings] of font.assigned) {
      const targets = new Map<string, number>()
      const own = font.text.get(code)
      const sole = meanings.size === 1 && !font.plain.has(code)
      for (const meaning of meanings) {
        if (meaning === own) targets.set(meaning, code)
        else if (sole) {
          font.text.set(code, meaning)
          targets.set(meaning, code)
        } else {
          const cid = cids.add(code)
          font.text.set(cid, meaning)
          targets.set(meaning, cid)
        }
      }
      byCode.set(code, targets)
    }
    cids.write()
    writeToUnicode(doc.context, font)
    codeFor.set(font, byCode)
  }

  // The content streams without the spans said in the fonts.
  const inPlan = new Map<Span, Plan>(plans.map((plan) => [plan.span, plan]))
  for (const {stream, source, spans} of streams) {
    const edits: Array<{start: number; end: number; text: string}> = []
    for (const span of spans) {
      const plan = inPlan.get(span)
      if (!plan || !span.close) continue
      edits.push({start: span.open[0], end: span.open[1], text: ''}, {start: span.close[0], end: span.close[1], text: ''})
      for (const glyph of plan.drop) edits.push({start: glyph.start, end: glyph.end, text: ''})
      if (plan.assign) {
        const {glyph, text} = plan.assign
        const code = codeFor.get(glyph.font)?.get(glyph.code)?.get(text) ?? glyph.code
        if (code !== glyph.code) edits.push({start: glyph.start, end: glyph.end, text: `<${hex4(code)}> Tj`})
      }
    }
    if (!edits.length) continue
    edits.sort((a, b) => a.start - b.start)
    let result = ''
    let at = 0
    for (const edit of edits) {
      result += source.slice(at, edit.start) + edit.text
      at = edit.end
    }
    result += source.slice(at)
    replaceStream(doc.context, stream, result)
  }
  return {baked: plans.length, left}
}

/** Each composite font’s /ToUnicode entries by font name (subset tag left out); null where two fonts of one name differ. */
export type {GlyphText}

export type FontTexts = Map<string, GlyphText | null>

export function fontTexts(doc: PDFDocument): FontTexts {
  const known: FontTexts = new Map()
  for (const font of compositeFonts(doc)) {
    const name = baseName(font)
    const text = readToUnicode(doc.context, font)
    // Two fonts of one name with different entries: which one a converted font was is unknown.
    if (known.has(name) && !sameText(known.get(name), text)) known.set(name, null)
    else known.set(name, text)
  }
  return known
}

/**
 * `converted` (a file and its parse) with each font’s /ToUnicode entries from before (`fontTexts`),
 * by CID, as an incremental update: Ghostscript’s bytes stay as written (pdf-lib, saving the file
 * again, cuts a stream whose /Length is an indirect object at its last newline, and Ghostscript
 * ends some compressed streams with one). Returns the file unchanged when every entry is right.
 */
export function restoreToUnicode(known: FontTexts, written: Uint8Array, converted: PDFDocument): Uint8Array {
  const replaced = new Map<number, string>()
  for (const font of compositeFonts(converted)) {
    const source = known.get(baseName(font))
    const ref = font.get(PDFName.of('ToUnicode'))
    if (!source || !(ref instanceof PDFRef)) continue
    const now = readToUnicode(converted.context, font)
    const text: GlyphText = new Map()
    let differs = false
    for (const code of now.keys()) {
      const value = source.get(code) ?? now.get(code)!
      if (value !== now.get(code)) differs = true
      text.set(code, value)
    }
    if (differs) replaced.set(ref.objectNumber, toUnicodeCMap(text))
  }
  return replaced.size ? appendUpdate(written, replaced) : written
}

/** New versions of objects (streams, given as their uncompressed data) appended with their cross-reference section. */
function appendUpdate(bytes: Uint8Array, objects: Map<number, string>): Uint8Array {
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 4096))).toString('latin1')
  const trailer = /trailer\s*<<([\s\S]*)>>\s*startxref\s*(\d+)\s*%%EOF\s*$/.exec(tail)
  if (!trailer) throw new Error('no cross-reference table at the end of the file')
  const keep = (key: string) => new RegExp(`/${key}\\s*(\\d+\\s+\\d+\\s+R|\\d+|\\[[^\\]]*\\])`).exec(trailer[1])?.[1]
  const size = Number(keep('Size'))
  const parts: Buffer[] = [Buffer.from(bytes)]
  let offset = bytes.length
  const push = (chunk: Buffer) => {
    parts.push(chunk)
    offset += chunk.length
  }
  if (bytes[bytes.length - 1] !== 0x0a) push(Buffer.from('\n'))
  const offsets = new Map<number, number>()
  for (const [number, data] of [...objects].sort((a, b) => a[0] - b[0])) {
    offsets.set(number, offset)
    const compressed = deflateSync(Buffer.from(data, 'latin1'))
    push(Buffer.concat([Buffer.from(`${number} 0 obj\n<< /Length ${compressed.length} /Filter /FlateDecode >>\nstream\n`), compressed, Buffer.from('\nendstream\nendobj\n')]))
  }
  const xref = offset
  const rows = [...offsets].map(([number, at]) => `${number} 1\n${String(at).padStart(10, '0')} 00000 n \n`).join('')
  const entries = ['Root', 'Info', 'ID'].map((key) => [key, keep(key)] as const).filter(([, value]) => value !== undefined)
  push(
    Buffer.from(
      `xref\n${rows}trailer\n<< /Size ${Math.max(size, Math.max(...objects.keys()) + 1)} ${entries.map(([key, value]) => `/${key} ${value}`).join(' ')} /Prev ${trailer[2]} >>\nstartxref\n${xref}\n%%EOF\n`,
      'latin1'
    )
  )
  return new Uint8Array(Buffer.concat(parts))
}

/** The span’s text said by its glyphs: invisible ones it does not account for dropped, or one glyph given the whole text. */
function planSpan(span: Span): {drop: Glyph[]; assign?: {glyph: Glyph; text: string}} | undefined {
  if (!span.close || !span.glyphs.length) return span.close && !span.glyphs.length ? {drop: []} : undefined
  const blank = (glyph: Glyph) => /^\s*$/.test(glyph.font.text.get(glyph.code) ?? '')
  // As drawn: each glyph’s entry in turn, blanks the text does not have left out.
  const drop: Glyph[] = []
  let at = 0
  let matched = true
  for (const glyph of span.glyphs) {
    const text = glyph.font.text.get(glyph.code) ?? ''
    if (text && span.text.startsWith(text, at)) at += text.length
    else if (blank(glyph) && glyph.alone) drop.push(glyph)
    else {
      matched = false
      break
    }
  }
  if (matched && at === span.text.length) return {drop}
  // One visible glyph (a ligature, a quotation mark, a line-end hyphen): it says the whole text.
  const visible = span.glyphs.filter((glyph) => !blank(glyph))
  const blanks = span.glyphs.filter(blank)
  if (visible.length !== 1 || !visible[0].alone || !span.text || blanks.some((glyph) => !glyph.alone)) return undefined
  return {drop: blanks, assign: {glyph: visible[0], text: span.text}}
}

/** The spans and glyphs of one content stream (Chromium’s: hex strings shown with `Tj`). */
function scan(doc: PDFDocument, source: string, resources: PDFDict | undefined, fonts: Map<PDFDict, Font>): Span[] {
  const token =
    /\/Span\s*<<\s*\/ActualText\s*(?:<(?<hex>[0-9A-Fa-f\s]*)>|\((?<literal>(?:\\[\s\S]|[^\\)])*)\))\s*>>\s*BDC|\/[^\s/<>[\]()]+\s*(?:<<(?:[^<>]|<[^<>]*>)*>>|\/[^\s/<>[\]()]+)\s*BDC|\/[^\s/<>[\]()]+\s+BMC|\bEMC\b|\/(?<font>[^\s/<>[\]()]+)\s+[-+\d.]+\s+Tf\b|<(?<glyphs>[0-9A-Fa-f\s]*)>\s*Tj\b/g
  const fontResources = lookup(doc, resources?.get(PDFName.of('Font')))
  const spans: Span[] = []
  const stack: Array<Span | null> = []
  let font: Font | undefined
  for (const match of source.matchAll(token)) {
    const start = match.index
    const end = start + match[0].length
    const groups = match.groups ?? {}
    if (groups.hex !== undefined || groups.literal !== undefined) {
      const text = groups.hex !== undefined ? utf16(groups.hex) : literalText(groups.literal)
      const span: Span = {text, open: [start, end], glyphs: []}
      spans.push(span)
      stack.push(span)
    } else if (match[0] === 'EMC') {
      const span = stack.pop()
      if (span) span.close = [start, end]
    } else if (match[0].endsWith('BDC') || match[0].endsWith('BMC')) stack.push(null)
    else if (groups.font !== undefined) {
      const dict = fontResources instanceof PDFDict ? lookup(doc, fontResources.get(PDFName.of(groups.font))) : undefined
      font = dict instanceof PDFDict && dict.get(PDFName.of('Subtype')) === PDFName.of('Type0') ? fontOf(doc, dict, fonts) : undefined
    } else if (groups.glyphs !== undefined) {
      if (!font) continue
      const codes = (groups.glyphs.replace(/\s/g, '').match(/.{4}/g) ?? []).map((unit) => Number.parseInt(unit, 16))
      const open = [...stack].reverse().find((entry) => entry !== null)
      for (const code of codes) {
        if (open) open.glyphs.push({font, code, start, end, alone: codes.length === 1})
        else font.plain.add(code)
      }
    }
  }
  // Unbalanced marked content: nothing of this stream is touched.
  if (stack.length) for (const span of spans) span.close = undefined
  return spans
}

function fontOf(doc: PDFDocument, dict: PDFDict, fonts: Map<PDFDict, Font>): Font {
  let font = fonts.get(dict)
  if (!font) {
    font = {dict, name: baseName(dict), text: readToUnicode(doc.context, dict), assigned: new Map(), plain: new Set()}
    fonts.set(dict, font)
  }
  return font
}

/** New CIDs drawing the glyph of an existing one: the descendant font’s CIDToGIDMap and widths grown. */
function cidSpace(context: PDFContext, font: Font): {add: (code: number) => number; write: () => void} {
  const descendants = context.lookup(font.dict.get(PDFName.of('DescendantFonts')))
  const cidFont = descendants instanceof PDFArray ? context.lookup(descendants.get(0)) : undefined
  if (!(cidFont instanceof PDFDict)) throw new Error(`font ${font.name} has no descendant font`)
  const mapObject = context.lookup(cidFont.get(PDFName.of('CIDToGIDMap')))
  const widths = context.lookup(cidFont.get(PDFName.of('W')))
  const width = widthsOf(context, widths instanceof PDFArray ? widths : undefined)
  let map: number[]
  if (mapObject instanceof PDFRawStream) {
    const bytes = decodePDFRawStream(mapObject).decode()
    map = Array.from({length: bytes.length >> 1}, (_, i) => (bytes[2 * i] << 8) | bytes[2 * i + 1])
  } else {
    // Identity: every CID the font draws is its glyph.
    const highest = Math.max(0, ...font.text.keys(), ...width.keys(), ...font.plain, ...font.assigned.keys())
    map = Array.from({length: highest + 1}, (_, i) => i)
  }
  const added: Array<[number, number]> = []
  return {
    add(code) {
      const cid = map.length
      map.push(map[code] ?? code)
      added.push([cid, width.get(code) ?? dw(context, cidFont)])
      return cid
    },
    write() {
      if (!added.length) return
      const bytes = new Uint8Array(map.length * 2)
      map.forEach((gid, i) => {
        bytes[2 * i] = gid >> 8
        bytes[2 * i + 1] = gid & 0xff
      })
      const stream = context.flateStream(bytes)
      cidFont.set(PDFName.of('CIDToGIDMap'), context.register(stream))
      const list = widths instanceof PDFArray ? widths : context.obj([])
      for (const [cid, w] of added) {
        list.push(PDFNumber.of(cid))
        list.push(context.obj([w]))
      }
      if (!(widths instanceof PDFArray)) cidFont.set(PDFName.of('W'), list)
    }
  }
}

function dw(context: PDFContext, cidFont: PDFDict): number {
  const value = context.lookup(cidFont.get(PDFName.of('DW')))
  return value instanceof PDFNumber ? value.asNumber() : 1000
}

/** The font’s /ToUnicode written from `text`. */
function writeToUnicode(context: PDFContext, font: {dict: PDFDict; text: GlyphText}): void {
  const stream = PDFRawStream.of(context.obj({Filter: 'FlateDecode'}), deflateSync(Buffer.from(toUnicodeCMap(font.text), 'latin1')))
  const existing = font.dict.get(PDFName.of('ToUnicode'))
  if (existing instanceof PDFRef) context.assign(existing, stream)
  else font.dict.set(PDFName.of('ToUnicode'), context.register(stream))
}

function readToUnicode(context: PDFContext, dict: PDFDict): GlyphText {
  const stream = context.lookup(dict.get(PDFName.of('ToUnicode')))
  return stream instanceof PDFRawStream ? parseToUnicode(Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1')) : new Map()
}

function* compositeFonts(doc: PDFDocument): Generator<PDFDict> {
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (object instanceof PDFDict && object.get(PDFName.of('Type')) === PDFName.of('Font') && object.get(PDFName.of('Subtype')) === PDFName.of('Type0')) yield object
  }
}

function baseName(dict: PDFDict): string {
  return String(dict.get(PDFName.of('BaseFont')) ?? '')
    .replace(/^\//, '')
    .replace(/^[A-Z]{6}\+/, '')
}

function sameText(a: GlyphText | null | undefined, b: GlyphText): boolean {
  if (!a || a.size !== b.size) return false
  for (const [code, text] of a) if (b.get(code) !== text) return false
  return true
}

function lookup(doc: PDFDocument, object: PDFObject | undefined): PDFObject | undefined {
  return object ? doc.context.lookup(object) : undefined
}


/** UTF-16BE hex (with or without its byte-order mark) as text. */
function utf16(hex: string, bom = true): string {
  const units = (hex.replace(/\s/g, '').match(/.{4}/g) ?? []).map((unit) => Number.parseInt(unit, 16))
  if (bom && units[0] === 0xfeff) units.shift()
  return String.fromCharCode(...units)
}

/** A literal string’s text: its escapes read, UTF-16BE after a byte-order mark, else PDFDocEncoding (Latin-1 for what Chromium writes). */
function literalText(literal: string): string {
  const escapes: Record<string, string> = {n: '\n', r: '\r', t: '\t', b: '\b', f: '\f'}
  const bytes = literal.replace(/\\(?:([0-7]{1,3})|\r?\n|([\s\S]))/g, (_m, octal: string | undefined, other: string | undefined) =>
    octal ? String.fromCharCode(Number.parseInt(octal, 8) & 0xff) : other === undefined ? '' : (escapes[other] ?? other)
  )
  if (bytes.startsWith('\xfe\xff')) return Buffer.from(bytes.slice(2), 'latin1').swap16().toString('utf16le')
  return bytes
}


function hex4(value: number): string {
  return value.toString(16).toUpperCase().padStart(4, '0')
}
