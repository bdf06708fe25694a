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
import {ParseSpeeds, type LoadOptions, type SaveOptions} from 'pdf-lib'

export const fastLoad: LoadOptions = {updateMetadata: false, parseSpeed: ParseSpeeds.Fastest}
export const fastSave: SaveOptions = {useObjectStreams: true, objectsPerTick: Infinity}

const require = createRequire(import.meta.url)
const pako = createRequire(require.resolve('pdf-lib'))('pako') as {deflate: (data: Uint8Array, options?: {level?: number}) => Uint8Array}
pako.deflate = (data, options) => new Uint8Array(deflateSync(data, {level: options?.level}))
