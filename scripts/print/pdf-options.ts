/**
 * How we drive pdf-lib. Its defaults yield to the event loop every 50 objects while parsing and
 * saving (a `setTimeout` each time: over a second on a long book): we parse and save in one go.
 *
 * It compresses the object streams it writes with pako, zlib ported to JavaScript: half the time of
 * saving a long book. Node’s own zlib writes the same format (RFC 1950) several times faster, so
 * pako’s one-shot `deflate`, the only part of it pdf-lib writes with, is Node’s here. (pako’s
 * streaming classes, which JSZip uses for the EPUB, are left alone.)
 */
import {createRequire} from 'node:module'
import {deflateSync} from 'node:zlib'
import {ParseSpeeds, type LoadOptions, type PDFDocument, type SaveOptions} from 'pdf-lib'

export const fastLoad: LoadOptions = {updateMetadata: false, parseSpeed: ParseSpeeds.Fastest}
export const fastSave: SaveOptions = {useObjectStreams: true, objectsPerTick: Infinity}

const require = createRequire(import.meta.url)
const pako = createRequire(require.resolve('pdf-lib'))('pako') as {deflate: (data: Uint8Array, options?: {level?: number}) => Uint8Array}
pako.deflate = (data, options) => new Uint8Array(deflateSync(data, {level: options?.level}))

/** How a file is written: pdf-lib’s save options, and the PDF version its header names. */
export interface WriteOptions extends SaveOptions {
  /**
   * pdf-lib heads every file `%PDF-1.7`. A file that keeps to an older version (PDF/X-1a:2001:
   * PDF 1.3, no object streams) says so: the header’s digits, replaced in place (same length,
   * so no offset moves).
   */
  version?: '1.3' | '1.4'
}

/** `doc` saved as `options` say, its header naming `options.version` when given. */
export async function savePdf(doc: PDFDocument, options: WriteOptions = {}): Promise<Uint8Array> {
  const {version, ...save} = options
  const bytes = await doc.save({...fastSave, ...save})
  if (version) {
    const header = new TextDecoder('latin1').decode(bytes.subarray(0, 8))
    if (!/^%PDF-1\.\d$/.test(header)) throw new Error(`pdf-lib wrote an unexpected header ${JSON.stringify(header)}`)
    bytes.set(new TextEncoder().encode(`%PDF-${version}`), 0)
  }
  return bytes
}
