/**
 * Each font embedded once. A chunked render prints every chunk separately, so Chromium embeds one
 * subset of each face per chunk, all under the same name (`AAAAAA+SourceSerif4-Regular` seven
 * times in the Serge reader: duplicate subset names trip some RIPs, and the glyphs they share are
 * stored again and again). Chromium’s subsets keep the glyph ids of the full font (CIDToGIDMap
 * /Identity), so the subsets of one face can be joined into one: the union of their glyphs at the
 * same ids, their widths and their ToUnicode maps, under one new subset tag. Every page’s font
 * resources then point at the joined font and the copies are dropped.
 */
import {createHash} from 'node:crypto'
import {PDFArray, PDFDict, PDFName, PDFNumber, PDFRawStream, PDFRef, PDFStream, decodePDFRawStream, type PDFDocument} from 'pdf-lib'
import {parseToUnicode, toUnicodeCMap, widthsOf} from './font-maps.ts'

interface SourceFont {
  ref: PDFRef
  type0: PDFDict
  cid: PDFDict
  descriptor: PDFDict
  program: Uint8Array
  widths: Map<number, number>
  dw: number
  unicode: Map<number, string>
  /** Objects only this font uses, removed once it is replaced. */
  owned: PDFRef[]
}

/** Join the subsets of each face into one font; returns how many font dictionaries were replaced. */
export function unifyFonts(doc: PDFDocument): number {
  const groups = new Map<string, SourceFont[]>()
  for (const [ref, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict)) continue
    if (object.get(PDFName.of('Type')) !== PDFName.of('Font') || object.get(PDFName.of('Subtype')) !== PDFName.of('Type0')) continue
    const font = readFont(doc, ref, object)
    if (!font) continue
    const base = String(object.get(PDFName.of('BaseFont'))).replace(/^\/([A-Z]{6}\+)?/, '')
    groups.set(base, [...(groups.get(base) ?? []), font])
  }
  const replaced = new Map<string, PDFRef>()
  const recoded = new Map<string, Map<number, number>>()
  for (const [base, fonts] of groups) {
    if (fonts.length < 2) continue
    const program = joinPrograms(fonts.map((f) => f.program))
    if (!program) continue
    const {ref, codes} = writeFont(doc, base, fonts, program)
    fonts.forEach((font, i) => {
      replaced.set(font.ref.toString(), ref)
      if (codes[i].size) recoded.set(font.ref.toString(), codes[i])
    })
    for (const font of fonts) for (const owned of [font.ref, ...font.owned]) doc.context.delete(owned)
  }
  if (replaced.size === 0) return 0
  // Text shown in a glyph another chunk gave other text (a small capital from ‘t’ here, from ‘T’
  // there) is shown with its own code, so each keeps its text.
  if (recoded.size) {
    for (const page of doc.getPages()) {
      const fonts = page.node.Resources()?.lookupMaybe(PDFName.of('Font'), PDFDict)
      if (!fonts) continue
      const byName = new Map<string, Map<number, number>>()
      for (const [key, value] of fonts.entries()) {
        const codes = value instanceof PDFRef ? recoded.get(value.toString()) : undefined
        if (codes) byName.set(key.asString().slice(1), codes)
      }
      if (byName.size) recode(doc, page.node, byName)
    }
  }
  // Point every font resource at the joined fonts.
  const remap = (resources: unknown) => {
    const dict = resources instanceof PDFRef ? doc.context.lookup(resources) : resources
    if (!(dict instanceof PDFDict)) return
    const fonts = dict.lookupMaybe(PDFName.of('Font'), PDFDict)
    if (!fonts) return
    for (const [key, value] of fonts.entries()) {
      const to = value instanceof PDFRef ? replaced.get(value.toString()) : undefined
      if (to) fonts.set(key, to)
    }
  }
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    const dict = object instanceof PDFDict ? object : object instanceof PDFStream ? object.dict : undefined
    if (!dict) continue
    if (dict.get(PDFName.of('Font'))) remap(dict)
    const resources = dict.get(PDFName.of('Resources'))
    if (resources) remap(resources)
  }
  return replaced.size
}

function readFont(doc: PDFDocument, ref: PDFRef, type0: PDFDict): SourceFont | undefined {
  if (String(type0.get(PDFName.of('Encoding'))) !== '/Identity-H') return undefined
  const descendants = type0.lookupMaybe(PDFName.of('DescendantFonts'), PDFArray)
  const cidRef = descendants?.get(0)
  const cid = descendants?.lookupMaybe(0, PDFDict)
  if (!cid || !(cidRef instanceof PDFRef) || cid.get(PDFName.of('Subtype')) !== PDFName.of('CIDFontType2')) return undefined
  const map = cid.get(PDFName.of('CIDToGIDMap'))
  if (map !== undefined && String(map) !== '/Identity') return undefined
  const descriptorRef = cid.get(PDFName.of('FontDescriptor'))
  const descriptor = cid.lookupMaybe(PDFName.of('FontDescriptor'), PDFDict)
  const fileRef = descriptor?.get(PDFName.of('FontFile2'))
  const file = descriptor?.lookupMaybe(PDFName.of('FontFile2'), PDFStream)
  if (!descriptor || !(descriptorRef instanceof PDFRef) || !(fileRef instanceof PDFRef) || !(file instanceof PDFRawStream)) return undefined
  const owned = [cidRef, descriptorRef, fileRef]
  const unicode = new Map<number, string>()
  const toUnicodeRef = type0.get(PDFName.of('ToUnicode'))
  const toUnicode = type0.lookupMaybe(PDFName.of('ToUnicode'), PDFStream)
  if (toUnicode instanceof PDFRawStream) {
    for (const [code, text] of parseToUnicode(Buffer.from(decodePDFRawStream(toUnicode).decode()).toString('latin1'))) if (!unicode.has(code)) unicode.set(code, text)
    if (toUnicodeRef instanceof PDFRef) owned.push(toUnicodeRef)
  }
  const cidSet = descriptor.get(PDFName.of('CIDSet'))
  if (cidSet instanceof PDFRef) owned.push(cidSet)
  return {
    ref,
    type0,
    cid,
    descriptor,
    program: decodePDFRawStream(file).decode(),
    widths: widthsOf(doc.context, cid.lookupMaybe(PDFName.of('W'), PDFArray)),
    dw: cid.lookupMaybe(PDFName.of('DW'), PDFNumber)?.asNumber() ?? 1000,
    unicode,
    owned
  }
}

function writeFont(doc: PDFDocument, base: string, fonts: SourceFont[], program: Uint8Array): {ref: PDFRef; codes: Array<Map<number, number>>} {
  const context = doc.context
  const tag = subsetTag(program)
  const name = PDFName.of(`${tag}+${base}`)
  // Widths as the subsets gave them (a glyph a subset holds but does not list has its DW).
  const widths = new Map<number, number>()
  for (const font of fonts) {
    for (const [gid, width] of font.widths) if (width && !widths.has(gid)) widths.set(gid, width)
    for (const gid of font.unicode.keys()) if (!widths.has(gid) && !font.widths.has(gid)) widths.set(gid, font.dw)
  }
  // Codes are glyph ids (CIDToGIDMap /Identity) unless a glyph stands for other text in another
  // subset: that use gets a new code past the glyphs, mapped to the same glyph.
  const glyphCount = new DataView(tables(program)!.get('maxp')!.buffer, tables(program)!.get('maxp')!.byteOffset).getUint16(4)
  const unicode = new Map<number, string>()
  const extra = new Map<string, number>()
  const gidOf: number[] = []
  const codes = fonts.map((font) => {
    const codes = new Map<number, number>()
    for (const [gid, value] of font.unicode) {
      if (!unicode.has(gid)) unicode.set(gid, value)
      else if (unicode.get(gid) !== value) {
        const key = `${gid} ${value}`
        let code = extra.get(key)
        if (code === undefined) {
          code = glyphCount + extra.size
          extra.set(key, code)
          gidOf[code] = gid
          unicode.set(code, value)
          if (widths.has(gid)) widths.set(code, widths.get(gid)!)
        }
        codes.set(gid, code)
      }
    }
    return codes
  })

  const file = context.flateStream(program, {Length1: program.length})
  const fileRef = context.register(file)
  const descriptor = fonts[0].descriptor.clone(context)
  descriptor.set(PDFName.of('FontName'), name)
  descriptor.set(PDFName.of('FontFile2'), fileRef)
  descriptor.delete(PDFName.of('CIDSet'))
  const descriptorRef = context.register(descriptor)
  const cid = fonts[0].cid.clone(context)
  cid.set(PDFName.of('BaseFont'), name)
  cid.set(PDFName.of('FontDescriptor'), descriptorRef)
  cid.set(PDFName.of('W'), widthArray(doc, widths))
  cid.set(PDFName.of('DW'), PDFNumber.of(0))
  if (extra.size) {
    const map = new Uint8Array((glyphCount + extra.size) * 2)
    const view = new DataView(map.buffer)
    for (let code = 0; code < glyphCount + extra.size; code++) view.setUint16(code * 2, code < glyphCount ? code : gidOf[code])
    cid.set(PDFName.of('CIDToGIDMap'), context.register(context.flateStream(map)))
  }
  const cidRef = context.register(cid)
  const type0 = fonts[0].type0.clone(context)
  type0.set(PDFName.of('BaseFont'), name)
  type0.set(PDFName.of('DescendantFonts'), context.obj([cidRef]))
  type0.set(PDFName.of('ToUnicode'), context.register(context.flateStream(toUnicodeCMap(unicode))))
  return {ref: context.register(type0), codes}
}

/** Rewrite the codes shown in the fonts `byName` (resource name → old code → new) in a page’s content. */
function recode(doc: PDFDocument, page: PDFDict, byName: Map<string, Map<number, number>>): void {
  const contents = page.get(PDFName.of('Contents'))
  const resolved = contents ? doc.context.lookup(contents) : undefined
  const refs = resolved instanceof PDFArray ? resolved.asArray() : [contents]
  const out = PDFArray.withContext(doc.context)
  let font: Map<number, number> | undefined
  const hex = (codes: string) => {
    if (!font) return codes
    let result = ''
    for (let i = 0; i + 4 <= codes.length; i += 4) {
      const code = parseInt(codes.slice(i, i + 4), 16)
      result += (font.get(code) ?? code).toString(16).toUpperCase().padStart(4, '0')
    }
    return result
  }
  for (const ref of refs) {
    const stream = ref ? doc.context.lookup(ref) : undefined
    if (!(stream instanceof PDFRawStream)) {
      if (ref) out.push(ref)
      continue
    }
    const text = Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1')
    const rewritten = text.replace(/\/([^\s/[\]<>()]+)\s+[-\d.]+\s+Tf\b|<([0-9A-Fa-f]*)>(\s*Tj)|\[([^\]]*)\](\s*TJ)/g, (match, name, shown, tj, array, tjs) => {
      if (name !== undefined) {
        font = byName.get(name)
        return match
      }
      if (shown !== undefined) return `<${hex(shown)}>${tj}`
      return `[${(array as string).replace(/<([0-9A-Fa-f]*)>/g, (_m: string, codes: string) => `<${hex(codes)}>`)}]${tjs}`
    })
    if (rewritten === text) out.push(ref!)
    else {
      out.push(doc.context.register(doc.context.flateStream(rewritten)))
      if (ref instanceof PDFRef) doc.context.delete(ref)
    }
  }
  page.set(PDFName.of('Contents'), out.size() === 1 ? out.get(0) : out)
}

function widthArray(doc: PDFDocument, widths: Map<number, number>): PDFArray {
  const array = PDFArray.withContext(doc.context)
  const gids = [...widths.keys()].sort((a, b) => a - b)
  for (let i = 0; i < gids.length; ) {
    let j = i
    while (j + 1 < gids.length && gids[j + 1] === gids[j] + 1) j++
    array.push(PDFNumber.of(gids[i]))
    array.push(doc.context.obj(gids.slice(i, j + 1).map((g) => widths.get(g)!)))
    i = j + 1
  }
  return array
}

function subsetTag(bytes: Uint8Array): string {
  const digest = createHash('sha256').update(bytes).digest()
  return [...digest.subarray(0, 6)].map((b) => String.fromCharCode(65 + (b % 26))).join('')
}

/** TrueType tables by tag. */
function tables(font: Uint8Array): Map<string, Uint8Array> | undefined {
  if (font.length < 12) return undefined
  const view = new DataView(font.buffer, font.byteOffset, font.byteLength)
  const count = view.getUint16(4)
  const out = new Map<string, Uint8Array>()
  for (let i = 0; i < count; i++) {
    const at = 12 + 16 * i
    const tag = String.fromCharCode(font[at], font[at + 1], font[at + 2], font[at + 3])
    const offset = view.getUint32(at + 8)
    const length = view.getUint32(at + 12)
    if (offset + length > font.length) return undefined
    out.set(tag, font.subarray(offset, offset + length))
  }
  return out
}

const u16 = (b: Uint8Array, at: number) => (b[at] << 8) | b[at + 1]
const u32 = (b: Uint8Array, at: number) => ((b[at] << 24) >>> 0) + (b[at + 1] << 16) + (b[at + 2] << 8) + b[at + 3]

interface Parsed {
  tables: Map<string, Uint8Array>
  glyphs: number
  glyph: (gid: number) => Uint8Array
  metric: (gid: number) => [number, number]
}

function parse(font: Uint8Array): Parsed | undefined {
  const t = tables(font)
  if (!t) return undefined
  const [head, loca, glyf, maxp, hhea, hmtx] = ['head', 'loca', 'glyf', 'maxp', 'hhea', 'hmtx'].map((tag) => t.get(tag))
  if (!head || !loca || !glyf || !maxp || !hhea || !hmtx) return undefined
  const glyphs = u16(maxp, 4)
  const long = u16(head, 50) === 1
  const offset = (gid: number) => (long ? u32(loca, gid * 4) : u16(loca, gid * 2) * 2)
  const metrics = u16(hhea, 34)
  return {
    tables: t,
    glyphs,
    glyph: (gid) => (gid < glyphs ? glyf.subarray(offset(gid), offset(gid + 1)) : new Uint8Array()),
    metric: (gid) => {
      if (gid < metrics) return [u16(hmtx, gid * 4), u16(hmtx, gid * 4 + 2)]
      const lsbAt = metrics * 4 + (gid - metrics) * 2
      return [metrics ? u16(hmtx, (metrics - 1) * 4) : 0, lsbAt + 2 <= hmtx.length ? u16(hmtx, lsbAt) : 0]
    }
  }
}

/** One TrueType font with every glyph any of `programs` holds, at the same glyph ids; undefined if they cannot be joined. */
function joinPrograms(programs: Uint8Array[]): Uint8Array | undefined {
  const fonts = programs.map(parse)
  if (fonts.some((f) => !f)) return undefined
  const parsed = fonts as Parsed[]
  const count = Math.max(...parsed.map((f) => f.glyphs))
  const glyphs: Uint8Array[] = []
  const metrics: Array<[number, number]> = []
  for (let gid = 0; gid < count; gid++) {
    let glyph: Uint8Array = new Uint8Array()
    let metric: [number, number] = [0, 0]
    for (const font of parsed) {
      if (gid >= font.glyphs) continue
      const data = font.glyph(gid)
      const m = font.metric(gid)
      if (data.length > glyph.length) (glyph = data), (metric = m)
      else if (!glyph.length && m[0] > metric[0]) metric = m
    }
    glyphs.push(glyph)
    metrics.push(metric)
  }
  // glyf and a long loca.
  const padded = glyphs.map((g) => g.length + ((4 - (g.length % 4)) % 4))
  const glyf = new Uint8Array(padded.reduce((a, b) => a + b, 0))
  const loca = new Uint8Array((count + 1) * 4)
  const locaView = new DataView(loca.buffer)
  let at = 0
  glyphs.forEach((g, i) => {
    locaView.setUint32(i * 4, at)
    glyf.set(g, at)
    at += padded[i]
  })
  locaView.setUint32(count * 4, at)
  const hmtx = new Uint8Array(count * 4)
  const hmtxView = new DataView(hmtx.buffer)
  metrics.forEach(([advance, lsb], i) => {
    hmtxView.setUint16(i * 4, advance)
    hmtxView.setUint16(i * 4 + 2, lsb)
  })
  const largest = parsed.reduce((a, b) => (b.glyphs > a.glyphs ? b : a))
  const head = largest.tables.get('head')!.slice()
  new DataView(head.buffer).setUint16(50, 1)
  new DataView(head.buffer).setUint32(8, 0)
  const hhea = largest.tables.get('hhea')!.slice()
  new DataView(hhea.buffer).setUint16(34, count)
  // maxp: the glyph count, and each limit the largest any subset declares.
  const maxp = largest.tables.get('maxp')!.slice()
  const maxpView = new DataView(maxp.buffer)
  maxpView.setUint16(4, count)
  for (let offset = 6; offset + 2 <= maxp.length; offset += 2) {
    maxpView.setUint16(offset, Math.max(...parsed.map((f) => {
      const m = f.tables.get('maxp')!
      return offset + 2 <= m.length ? u16(m, offset) : 0
    })))
  }
  // post without glyph names (format 3): the names of a subset do not cover the union.
  const post = largest.tables.get('post')?.slice(0, 32)
  if (post) new DataView(post.buffer, post.byteOffset).setUint32(0, 0x00030000)
  const out = new Map<string, Uint8Array>([
    ['head', head],
    ['hhea', hhea],
    ['maxp', maxp],
    ['hmtx', hmtx],
    ['loca', loca],
    ['glyf', glyf]
  ])
  if (post) out.set('post', post)
  for (const tag of ['OS/2', 'cmap', 'name', 'cvt ', 'fpgm', 'prep', 'gasp']) {
    const table = largest.tables.get(tag)
    if (table) out.set(tag, table)
  }
  return assemble(out)
}

function checksum(bytes: Uint8Array): number {
  let sum = 0
  for (let i = 0; i < bytes.length; i += 4) {
    sum = (sum + (((bytes[i] << 24) >>> 0) + ((bytes[i + 1] ?? 0) << 16) + ((bytes[i + 2] ?? 0) << 8) + (bytes[i + 3] ?? 0))) >>> 0
  }
  return sum
}

function assemble(tablesByTag: Map<string, Uint8Array>): Uint8Array {
  const tags = [...tablesByTag.keys()].sort()
  const count = tags.length
  let size = 12 + 16 * count
  const offsets: number[] = []
  for (const tag of tags) {
    offsets.push(size)
    size += tablesByTag.get(tag)!.length
    size += (4 - (size % 4)) % 4
  }
  const font = new Uint8Array(size)
  const view = new DataView(font.buffer)
  view.setUint32(0, 0x00010000)
  view.setUint16(4, count)
  const power = 2 ** Math.floor(Math.log2(count))
  view.setUint16(6, power * 16)
  view.setUint16(8, Math.log2(power))
  view.setUint16(10, count * 16 - power * 16)
  tags.forEach((tag, i) => {
    const table = tablesByTag.get(tag)!
    const at = 12 + 16 * i
    for (let k = 0; k < 4; k++) font[at + k] = tag.charCodeAt(k)
    view.setUint32(at + 4, checksum(table))
    view.setUint32(at + 8, offsets[i])
    view.setUint32(at + 12, table.length)
    font.set(table, offsets[i])
  })
  const headAt = offsets[tags.indexOf('head')]
  view.setUint32(headAt + 8, (0xb1b0afba - checksum(font)) >>> 0)
  return font
}
