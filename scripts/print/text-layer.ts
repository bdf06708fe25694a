/**
 * The PDF’s text layer without soft hyphens. Chromium prints each soft hyphen (U+00AD) of the
 * hyphenated text as a glyph of no width inside a marked span whose /ActualText is U+00AD, so
 * every extractor (search, copy, screen readers) reads “Vic­tor”; a soft hyphen where a line
 * broke is drawn as a hyphen whose /ActualText is U+2010. Taking U+00AD out of every /ActualText
 * leaves the drawing as it is (nothing is laid out again) and the text as a reader sees it: a word
 * broken at a line end is its two halves with one hyphen, every other word is whole.
 */
import {deflateSync} from 'node:zlib'
import {decodePDFRawStream, PDFArray, PDFDict, PDFName, PDFRawStream, type PDFContext, type PDFDocument, type PDFObject} from 'pdf-lib'

/** `/ActualText <hex>` (UTF-16BE with its byte-order mark, as Chromium writes it). */
const actualText = /\/ActualText\s*<([0-9A-Fa-f\s]*)>/g

/** Take U+00AD out of the /ActualText of every page’s content; returns how many were taken out. */
export function stripSoftHyphens(doc: PDFDocument): number {
  let removed = 0
  for (const {stream} of contentStreams(doc)) {
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
    replaceStream(doc.context, stream, result)
  }
  return removed
}

/** Every page’s content streams and those of the forms they draw, each with its resources. */
export function* contentStreams(doc: PDFDocument): Generator<{stream: PDFRawStream; resources: PDFDict | undefined}> {
  const seen = new Set<PDFRawStream>()
  function* walk(contents: PDFObject | undefined, resources: PDFDict | undefined, depth: number): Generator<{stream: PDFRawStream; resources: PDFDict | undefined}> {
    const target = lookup(doc, contents)
    const list = target instanceof PDFArray ? target.asArray().map((item) => lookup(doc, item)) : [target]
    for (const item of list) {
      if (item instanceof PDFRawStream && !seen.has(item)) {
        seen.add(item)
        yield {stream: item, resources}
      }
    }
    const xobjects = lookup(doc, resources?.get(PDFName.of('XObject')))
    if (!(xobjects instanceof PDFDict) || depth > 8) return
    for (const [, value] of xobjects.entries()) {
      const form = lookup(doc, value)
      if (form instanceof PDFRawStream && form.dict.get(PDFName.of('Subtype')) === PDFName.of('Form') && !seen.has(form)) {
        const own = lookup(doc, form.dict.get(PDFName.of('Resources')))
        yield* walk(form, own instanceof PDFDict ? own : resources, depth + 1)
      }
    }
  }
  for (const page of doc.getPages()) {
    const resources = lookup(doc, page.node.get(PDFName.of('Resources')))
    yield* walk(page.node.get(PDFName.of('Contents')), resources instanceof PDFDict ? resources : undefined, 0)
  }
}

/** A content stream’s new text, compressed; it keeps its object number and its dictionary (a form’s box and resources). */
export function replaceStream(context: PDFContext, stream: PDFRawStream, text: string): void {
  const dict = stream.dict.clone(context)
  dict.delete(PDFName.of('DecodeParms'))
  dict.set(PDFName.of('Filter'), PDFName.of('FlateDecode'))
  const ref = context.getObjectRef(stream)
  if (ref) context.assign(ref, PDFRawStream.of(dict, deflateSync(Buffer.from(text, 'latin1'))))
}

function lookup(doc: PDFDocument, object: PDFObject | undefined): PDFObject | undefined {
  return object ? doc.context.lookup(object) : undefined
}
