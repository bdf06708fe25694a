/**
 * The ISBN as an EAN-13 bar code (with the EAN-5 price add-on when book.yaml gives a price), drawn
 * by bwip-js as SVG paths (no font), and read back from a rendering with ZXing, as a bookseller’s
 * scanner would: preflight compares what it reads with the ISBN.
 */
import {createRequire} from 'node:module'

const require = createRequire(import.meta.url)

/** The 13 digits of an ISBN (ISBN-10 converted), or a reason it is not one. */
export function isbn13(value: string): {digits: string} | {reason: string} {
  const raw = value.replace(/[\s-]/g, '').toUpperCase()
  if (/^\d{9}[\dX]$/.test(raw)) {
    let sum = 0
    for (let i = 0; i < 10; i++) sum += (raw[i] === 'X' ? 10 : Number(raw[i])) * (10 - i)
    if (sum % 11 !== 0) return {reason: `ISBN-10 check digit wrong`}
    const body = '978' + raw.slice(0, 9)
    return {digits: body + checkDigit(body)}
  }
  if (!/^97[89]\d{10}$/.test(raw)) return {reason: 'not an ISBN-13 (978 or 979 and ten more digits) or an ISBN-10'}
  if (checkDigit(raw.slice(0, 12)) !== raw[12]) return {reason: `check digit ${raw[12]}, expected ${checkDigit(raw.slice(0, 12))}`}
  return {digits: raw}
}

function checkDigit(twelve: string): string {
  let sum = 0
  for (let i = 0; i < 12; i++) sum += Number(twelve[i]) * (i % 2 ? 3 : 1)
  return String((10 - (sum % 10)) % 10)
}

/** Currencies of the EAN-5 price add-on’s first digit (Bookland convention). */
const currencies: Record<string, string> = {GBP: '0', AUD: '3', NZD: '4', USD: '5', CAD: '6'}

/** The EAN-5 add-on for a price such as `USD 18.00` (`51800`), or a reason it cannot be coded. */
export function priceAddOn(price: string): {digits: string} | {reason: string} {
  const match = /^([A-Z]{3})\s*(\d{1,3})(?:\.(\d{2}))?$/.exec(price.trim())
  if (!match) return {reason: 'not a price such as `USD 18.00`'}
  const currency = currencies[match[1]]
  if (!currency) return {reason: `no add-on digit for ${match[1]} (${Object.keys(currencies).join(', ')})`}
  const cents = Number(match[2]) * 100 + Number(match[3] ?? '0')
  if (cents > 99_99) return {reason: 'a price of 100 or more has no add-on code'}
  return {digits: currency + String(cents).padStart(4, '0')}
}

/** The bar code as SVG: EAN-13 with its human-readable digits, and the add-on if any. */
export function barcodeSvg(digits: string, addOn?: string): string {
  const bwip = require('bwip-js') as {toSVG(options: Record<string, unknown>): string}
  return bwip.toSVG({bcid: 'ean13', text: addOn ? `${digits} ${addOn}` : digits, includetext: true, textxalign: 'center', height: 22, guardwhitespace: true})
}

let patched = false

/**
 * @zxing/library 0.23’s EAN-5 add-on reader cannot read an add-on: it looks its digit patterns up
 * on the wrong class (`AbstractUPCEANReader.L_AND_G_PATTERNS`, undefined: the EAN-13 reader builds
 * them on `UPCEANReader`), and collects the digits in a string parameter (Java’s StringBuilder in
 * the original), so they never reach its result; and the price it would add as metadata would
 * replace the add-on’s digits (Result.putAllMetadata replaces the map). Its decodeRow again with
 * all three fixed; the rest of the library unchanged (tests/cover reads a price add-on back).
 */
function patchExtension5(): void {
  if (patched) return
  patched = true
  const lib = (file: string) => require(`@zxing/library/cjs/core/${file}.js`).default
  const Extension5 = lib('oned/UPCEANExtension5Support')
  const UPCEANReader = lib('oned/UPCEANReader')
  const Result = lib('Result')
  const ResultPoint = lib('ResultPoint')
  const BarcodeFormat = lib('BarcodeFormat')
  const NotFound = lib('NotFoundException')
  type Row = {getSize(): number; getNextSet(i: number): number; getNextUnset(i: number): number}
  Extension5.prototype.decodeRow = function (this: {decodeMiddleCounters: Int32Array; determineCheckDigit(p: number): number}, rowNumber: number, row: Row, startRange: Int32Array) {
    const counters = this.decodeMiddleCounters
    counters.fill(0)
    const end = row.getSize()
    let offset = startRange[1]
    let lg = 0
    let digits = ''
    for (let x = 0; x < 5 && offset < end; x++) {
      const best = UPCEANReader.decodeDigit(row, counters, offset, UPCEANReader.L_AND_G_PATTERNS) as number
      digits += String(best % 10)
      for (const counter of counters) offset += counter
      if (best >= 10) lg |= 1 << (4 - x)
      if (x !== 4) offset = row.getNextUnset(row.getNextSet(offset))
    }
    if (digits.length !== 5 || Extension5.extensionChecksum(digits) !== this.determineCheckDigit(lg)) throw new NotFound()
    const points = [new ResultPoint((startRange[0] + startRange[1]) / 2, rowNumber), new ResultPoint(offset, rowNumber)]
    // No metadata of its own: the EAN-13 reader’s putAllMetadata replaces (not merges) the map it
    // has just put the add-on’s digits in.
    return new Result(digits, null, 0, points, BarcodeFormat.UPC_EAN_EXTENSION, Date.now())
  }
}

/** Read an EAN-13 (and add-on) from a grey image, one byte a pixel; undefined if none is found. */
export function decodeBarcode(luminance: Uint8ClampedArray, width: number, height: number): {text: string; addOn?: string} | undefined {
  const zxing = require('@zxing/library') as typeof import('@zxing/library')
  patchExtension5()
  const hints = new Map()
  hints.set(zxing.DecodeHintType.POSSIBLE_FORMATS, [zxing.BarcodeFormat.EAN_13])
  hints.set(zxing.DecodeHintType.TRY_HARDER, true)
  // (Not ALLOWED_EAN_EXTENSIONS: @zxing/library 0.23 compares the extension’s length with the
  // hint’s array indexes, so with it only a code without add-on reads. The add-on is read anyway.)
  const reader = new zxing.MultiFormatReader()
  reader.setHints(hints)
  try {
    const source = new zxing.RGBLuminanceSource(luminance, width, height)
    const result = reader.decode(new zxing.BinaryBitmap(new zxing.HybridBinarizer(source)))
    const extension = result.getResultMetadata()?.get(zxing.ResultMetadataType.UPC_EAN_EXTENSION)
    return {text: result.getText(), addOn: extension ? String(extension) : undefined}
  } catch {
    return undefined
  }
}

/** A binary PGM (P5, from `pdftoppm -gray`) as its pixels. */
export function readPgm(bytes: Buffer): {pixels: Uint8ClampedArray; width: number; height: number} {
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(bytes.subarray(0, 64).toString('latin1'))
  if (!header) throw new Error('Not a binary PGM')
  const width = Number(header[1])
  const height = Number(header[2])
  const start = header[0].length
  return {pixels: new Uint8ClampedArray(bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + start + width * height)), width, height}
}
