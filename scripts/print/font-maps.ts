/**
 * A composite font’s maps as the PDF writes them: /W (CID → width) and /ToUnicode (CID → text),
 * read and written. The font merge (fonts-once.ts) and the text layer through PDF/X
 * (pdfx-text.ts) both use them.
 */
import {PDFArray, PDFNumber, type PDFContext} from 'pdf-lib'

/** Code (CID) → the text it stands for. */
export type GlyphText = Map<number, string>

/** A /W array as CID → width. */
export function widthsOf(context: PDFContext, widths: PDFArray | undefined): Map<number, number> {
  const result = new Map<number, number>()
  if (!widths) return result
  const items = widths.asArray().map((item) => context.lookup(item))
  for (let i = 0; i < items.length; ) {
    const first = items[i]
    const next = items[i + 1]
    if (!(first instanceof PDFNumber)) break
    if (next instanceof PDFArray) {
      next.asArray().forEach((w, k) => {
        const value = context.lookup(w)
        if (value instanceof PDFNumber) result.set(first.asNumber() + k, value.asNumber())
      })
      i += 2
    } else {
      const last = next
      const value = items[i + 2]
      if (last instanceof PDFNumber && value instanceof PDFNumber) for (let c = first.asNumber(); c <= last.asNumber(); c++) result.set(c, value.asNumber())
      i += 3
    }
  }
  return result
}

/** A /ToUnicode CMap read: `bfchar` entries and both forms of `bfrange` (a code given twice: the first). */
export function parseToUnicode(cmap: string): GlyphText {
  const result: GlyphText = new Map()
  const put = (code: number, text: string) => {
    if (!result.has(code)) result.set(code, text)
  }
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const entry of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f\s]*)>/g)) put(Number.parseInt(entry[1], 16), units(entry[2]))
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const entry of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(?:<([0-9A-Fa-f\s]*)>|\[([^\]]*)\])/g)) {
      const low = Number.parseInt(entry[1], 16)
      const high = Number.parseInt(entry[2], 16)
      if (entry[3] !== undefined) {
        const start = units(entry[3])
        // The last unit counts up through the range.
        const stem = start.slice(0, -1)
        const lastUnit = start.charCodeAt(start.length - 1)
        for (let code = low; code <= high && code - low < 0x10000; code++) put(code, stem + String.fromCharCode(lastUnit + code - low))
      } else {
        const values = [...entry[4].matchAll(/<([0-9A-Fa-f\s]*)>/g)].map((value) => units(value[1]))
        values.forEach((value, k) => {
          if (low + k <= high) put(low + k, value)
        })
      }
    }
  }
  return result
}

/** A /ToUnicode CMap of `text` (bfchar entries, a hundred a block). */
export function toUnicodeCMap(text: GlyphText): string {
  const entries = [...text].filter(([, value]) => value !== '').sort((a, b) => a[0] - b[0])
  const blocks: string[] = []
  for (let i = 0; i < entries.length; i += 100) {
    const chunk = entries.slice(i, i + 100)
    blocks.push(`${chunk.length} beginbfchar\n${chunk.map(([code, value]) => `<${hex4(code)}> <${utf16Hex(value)}>`).join('\n')}\nendbfchar`)
  }
  return `/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
${blocks.join('\n')}
endcmap
CMapName currentdict /CMap defineresource pop
end
end
`
}

/** UTF-16BE hex as text. */
function units(hex: string): string {
  return String.fromCharCode(...(hex.replace(/\s/g, '').match(/.{4}/g) ?? []).map((unit) => Number.parseInt(unit, 16)))
}

function utf16Hex(text: string): string {
  return [...Array(text.length).keys()].map((i) => hex4(text.charCodeAt(i))).join('')
}

function hex4(value: number): string {
  return value.toString(16).toUpperCase().padStart(4, '0')
}
