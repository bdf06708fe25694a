/**
 * The PDF’s text layer without soft hyphens. Chromium prints each soft hyphen (U+00AD) of the
 * hyphenated text as a glyph of no width inside a marked span whose /ActualText is U+00AD, so
 * every extractor (search, copy, screen readers) reads “Vic­tor”; a soft hyphen where a line
 * broke is drawn as a hyphen whose /ActualText is U+2010. Taking U+00AD out of every /ActualText
 * leaves the drawing as it is (nothing is laid out again) and the text as a reader sees it: a word
 * broken at a line end is its two halves with one hyphen, every other word is whole.
 */
import {deflateSync} from 'node:zlib'
import {decodePDFRawStream, PDFArray, PDFDict, PDFName, PDFRawStream, type PDFDocument, type PDFObject} from 'pdf-lib'

/** `/ActualText <hex>` (UTF-16BE with its byte-order mark, as Chromium writes it). */
const actualText = /\/ActualText\s*<([0-9A-Fa-f\s]*)>/g

/** Take U+00AD out of the /ActualText of every page’s content; returns how many were taken out. */
export function stripSoftHyphens(doc: PDFDocument): number {
  let removed = 0
  const seen = new Set<PDFRawStream>()
  for (const page of doc.getPages()) {
    for (const stream of contentStreams(doc, page.node.get(PDFName.of('Contents')), page.node.get(PDFName.of('Resources')))) {
      if (seen.has(stream)) continue
      seen.add(stream)
      const source = Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1')
      if (!source.includes('/ActualText')) continue
      let count = 0
      const result = source.replace(actualText, (whole, hex: string) => {
        const units = hex.replace(/\s/g, '').toLowerCase().match(/.{4}/g) ?? []
        const kept = units.filter((unit, i) => i === 0 || unit !== '00ad')
        if (kept.length === units.length) return whole
        count += units.length - kept.length
        return `/ActualText <${kept.join('')}>`
      })
      if (!count) continue
      removed += count
      // The stream keeps its object number and its dictionary (a form’s box and resources).
      const dict = stream.dict.clone(doc.context)
      dict.delete(PDFName.of('DecodeParms'))
      dict.set(PDFName.of('Filter'), PDFName.of('FlateDecode'))
      const ref = doc.context.getObjectRef(stream)
      if (ref) doc.context.assign(ref, PDFRawStream.of(dict, deflateSync(Buffer.from(result, 'latin1'))))
    }
  }
  return removed
}

/** A page’s content streams and those of the forms it draws (nested forms included). */
function* contentStreams(doc: PDFDocument, contents: PDFObject | undefined, resources: PDFObject | undefined, depth = 0): Generator<PDFRawStream> {
  const lookup = (object: PDFObject | undefined) => (object ? doc.context.lookup(object) : undefined)
  const target = lookup(contents)
  if (target instanceof PDFRawStream) yield target
  else if (target instanceof PDFArray) {
    for (let i = 0; i < target.size(); i++) {
      const item = lookup(target.get(i))
      if (item instanceof PDFRawStream) yield item
    }
  }
  const xobjects = lookup((lookup(resources) as PDFDict | undefined)?.get(PDFName.of('XObject')))
  if (!(xobjects instanceof PDFDict) || depth > 8) return
  for (const [, value] of xobjects.entries()) {
    const form = lookup(value)
    if (form instanceof PDFRawStream && form.dict.get(PDFName.of('Subtype')) === PDFName.of('Form')) {
      yield form
      yield* contentStreams(doc, undefined, form.dict.get(PDFName.of('Resources')), depth + 1)
    }
  }
}
