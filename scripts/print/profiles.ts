/**
 * Printer profiles: what each print-on-demand printer asks of an interior and a cover file, as its
 * own guides publish it. `book.yaml` `print.profile` (or `reader build --print-shop <profile>`)
 * chooses one; the PDF step lays the book out to it (bleed, margins), the press step converts the
 * PDF to it (boxes, marks, grey, PDF/X: press.ts), preflight checks the result against it, and the
 * cover is drawn to it (spine from the page count and the paper).
 *
 * All lengths are in inches. Sources (as published in 2025–2026):
 * - kdp: KDP “Paperback manuscript formatting” (bleed, margins by page count), “Cover calculator and
 *   templates” (paper per page: white 0.002252, cream 0.0025; spine text from 80 pages; barcode
 *   area 2 × 1.2 in on the back, 0.25 in from the trim and the spine).
 * - ingramspark: IngramSpark “File Creation Guide” and “File Requirements for Print Books”
 *   (interior margins at least 0.5 in on every side, bleed on top, bottom and the outside edge, no
 *   printer’s marks; PDF/X-1a:2001 or PDF/X-3:2002 preferred; cover: safe 0.25 in from the trim,
 *   0.0625 in from the spine folds). Its spine comes from its cover template generator, which
 *   uses pages per inch by paper: white 50 lb and creme 50 lb, taken here as KDP’s (the same
 *   Lightning Source stocks).
 * - lulu: Lulu “Book Creation Guide” (bleed 0.125 in on every edge, 0.5 in safety margin, gutter
 *   added by page count, no crop marks; paperback spine = pages / 444 + 0.06 in; no spine text
 *   under 80 pages).
 * - generic: an offset or digital printer that asks for bleed on every edge and crop marks
 *   outside it (the common trade default).
 */
import {pdfxVersion} from './pdfx.ts'

export type ProfileId = 'kdp' | 'ingramspark' | 'lulu' | 'generic'

export const profileIds: ProfileId[] = ['kdp', 'ingramspark', 'lulu', 'generic']

export interface Paper {
  /** What the printer calls it. */
  label: string
  /** Thickness of one page (leaf side), in inches: spine = pages × caliper + plus. */
  caliper: number
  /** Added to the spine (Lulu’s perfect binding adds 0.06 in). */
  plus?: number
}

export interface PrinterProfile {
  id: ProfileId
  name: string
  /** Interior bleed beyond the trim, per edge (inside = the spine edge). */
  bleed: {top: number; bottom: number; outside: number; inside: number}
  /** Crop marks (and then on every page, blanks included). */
  cropMarks: boolean
  /** Room outside the bleed for the marks (0 without marks). */
  slug: number
  /** The PDF/X flavour the printer asks for the interior, if any (pdfx.ts writes it; the colour cover is PDF/X-3:2002). */
  pdfx?: typeof pdfxVersion
  /** The least distance from the trim to any ink on a page, by edge; `inside` grows with the page count. */
  margins: {top: number; bottom: number; outside: number; inside: Array<{maxPages: number; inches: number}>}
  /** Page count the printer binds. */
  pages: {min: number; max: number}
  /** Smallest type size the printer guarantees to print legibly (pt). */
  minTypePt: number
  papers: Record<string, Paper>
  defaultPaper: string
  cover: CoverRules
}

export interface CoverRules {
  /** Bleed around the whole wrap. */
  bleed: number
  /** Nothing but background within this distance of a trim edge. */
  safe: number
  /** Nothing but background within this distance of a spine fold. */
  spineSafe: number
  /** Spine text only from this many pages. */
  spineTextMinPages: number
  /** The barcode box on the back cover: size and its distance from the trim (bottom) and the spine fold. */
  barcode: {width: number; height: number; fromBottom: number; fromSpine: number}
  /** Crop marks on the cover. */
  cropMarks: boolean
}

const kdpPapers: Record<string, Paper> = {
  white: {label: 'black & white on white paper', caliper: 0.002252},
  cream: {label: 'black & white on cream paper', caliper: 0.0025}
}

export const profiles: Record<ProfileId, PrinterProfile> = {
  kdp: {
    id: 'kdp',
    name: 'Amazon KDP paperback',
    bleed: {top: 0.125, bottom: 0.125, outside: 0.125, inside: 0},
    cropMarks: false,
    slug: 0,
    // With bleed, KDP asks 0.375 in outside, top and bottom; the inside by page count.
    margins: {
      top: 0.375,
      bottom: 0.375,
      outside: 0.375,
      inside: [
        {maxPages: 150, inches: 0.375},
        {maxPages: 300, inches: 0.5},
        {maxPages: 500, inches: 0.625},
        {maxPages: 700, inches: 0.75},
        {maxPages: 828, inches: 0.875}
      ]
    },
    pages: {min: 24, max: 828},
    minTypePt: 7,
    papers: kdpPapers,
    defaultPaper: 'white',
    cover: {bleed: 0.125, safe: 0.125, spineSafe: 0.0625, spineTextMinPages: 80, barcode: {width: 2, height: 1.2, fromBottom: 0.25, fromSpine: 0.25}, cropMarks: false}
  },
  ingramspark: {
    id: 'ingramspark',
    name: 'IngramSpark (Lightning Source)',
    bleed: {top: 0.125, bottom: 0.125, outside: 0.125, inside: 0},
    cropMarks: false,
    slug: 0,
    pdfx: pdfxVersion,
    margins: {top: 0.5, bottom: 0.5, outside: 0.5, inside: [{maxPages: 1200, inches: 0.5}]},
    pages: {min: 18, max: 1200},
    minTypePt: 7,
    papers: {
      white: {label: '50 lb white', caliper: 0.002252},
      creme: {label: '50 lb creme', caliper: 0.0025}
    },
    defaultPaper: 'white',
    cover: {bleed: 0.125, safe: 0.25, spineSafe: 0.0625, spineTextMinPages: 48, barcode: {width: 1.75, height: 1, fromBottom: 0.25, fromSpine: 0.25}, cropMarks: false}
  },
  lulu: {
    id: 'lulu',
    name: 'Lulu paperback (perfect bound)',
    bleed: {top: 0.125, bottom: 0.125, outside: 0.125, inside: 0.125},
    cropMarks: false,
    slug: 0,
    // 0.5 in safety margin everywhere; the gutter added inside by page count.
    margins: {
      top: 0.5,
      bottom: 0.5,
      outside: 0.5,
      inside: [
        {maxPages: 60, inches: 0.5},
        {maxPages: 150, inches: 0.625},
        {maxPages: 400, inches: 1},
        {maxPages: 600, inches: 1.125},
        {maxPages: 800, inches: 1.25}
      ]
    },
    pages: {min: 32, max: 800},
    minTypePt: 7,
    papers: {
      'white-60': {label: '60 lb white (standard)', caliper: 1 / 444, plus: 0.06},
      'cream-60': {label: '60 lb cream (standard)', caliper: 1 / 444, plus: 0.06}
    },
    defaultPaper: 'white-60',
    cover: {bleed: 0.125, safe: 0.5, spineSafe: 0.0625, spineTextMinPages: 80, barcode: {width: 1.75, height: 1, fromBottom: 0.5, fromSpine: 0.5}, cropMarks: false}
  },
  generic: {
    id: 'generic',
    name: 'Generic printer (bleed and crop marks)',
    bleed: {top: 0.125, bottom: 0.125, outside: 0.125, inside: 0.125},
    cropMarks: true,
    slug: 0.25,
    margins: {top: 0.25, bottom: 0.25, outside: 0.25, inside: [{maxPages: Infinity, inches: 0.375}]},
    pages: {min: 4, max: 2000},
    minTypePt: 6,
    papers: {
      'uncoated-80gsm': {label: '80 gsm uncoated (about 100 µm)', caliper: 0.0039},
      'book-wove-70gsm': {label: '70 gsm book wove (about 90 µm)', caliper: 0.0035}
    },
    defaultPaper: 'uncoated-80gsm',
    cover: {bleed: 0.125, safe: 0.25, spineSafe: 0.0625, spineTextMinPages: 64, barcode: {width: 1.75, height: 1, fromBottom: 0.375, fromSpine: 0.375}, cropMarks: true}
  }
}

export function isProfileId(value: unknown): value is ProfileId {
  return typeof value === 'string' && (profileIds as string[]).includes(value)
}

export function profileOf(id: ProfileId): PrinterProfile {
  return profiles[id]
}

/** The profile book.yaml’s `print` chooses (`print_shop: true` is `generic`); undefined for the reading PDF. */
export function bookProfile(print: {profile?: ProfileId; print_shop?: boolean}): PrinterProfile | undefined {
  const id = print.profile ?? (print.print_shop ? 'generic' : undefined)
  return id ? profiles[id] : undefined
}

/** The inside margin (to ink) a printer requires for `pages` pages; the last band beyond its maximum. */
export function requiredInside(profile: PrinterProfile, pages: number): number {
  const bands = profile.margins.inside
  return (bands.find((band) => pages <= band.maxPages) ?? bands[bands.length - 1]).inches
}

/** The paper a book names, or the profile’s default; undefined if the printer has no such paper. */
export function paperOf(profile: PrinterProfile, name?: string): Paper | undefined {
  return profile.papers[name || profile.defaultPaper]
}

/** Spine width in inches for `pages` pages on `paper` (the printer’s published caliper), to 1/10,000 in. */
export function spineWidth(profile: PrinterProfile, pages: number, paperName?: string): number {
  const paper = paperOf(profile, paperName)
  if (!paper) throw new Error(`Unexpected paper \`${paperName}\` for ${profile.id}, expected one of ${Object.keys(profile.papers).join(', ')}`)
  return Math.round((pages * paper.caliper + (paper.plus ?? 0)) * 10000) / 10000
}

/** Whether the printer allows text on the spine at this page count. */
export function spineTextAllowed(profile: PrinterProfile, pages: number): boolean {
  return pages >= profile.cover.spineTextMinPages
}

/** The interior page’s media size (trim + bleed on the edges the printer wants + slug for marks), in inches. */
export function interiorSheet(profile: PrinterProfile, trim: {width: number; height: number}): {width: number; height: number} {
  const {bleed, slug} = profile
  return {
    width: trim.width + bleed.inside + bleed.outside + 2 * slug,
    height: trim.height + bleed.top + bleed.bottom + 2 * slug
  }
}

/** The wrap cover’s sheet: back + spine + front with bleed all round (marks’ slug outside it). */
export function coverSheet(profile: PrinterProfile, trim: {width: number; height: number}, pages: number, paperName?: string): {width: number; height: number; spine: number} {
  const spine = spineWidth(profile, pages, paperName)
  const b = profile.cover.bleed
  return {width: 2 * trim.width + spine + 2 * b, height: trim.height + 2 * b, spine}
}
