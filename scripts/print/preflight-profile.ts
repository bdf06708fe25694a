/**
 * Preflight against a printer profile (profiles.ts): the numbers the printer asks for, measured in
 * the PDF and printed as a table, each row failing the build when missed.
 *
 * - trim: every page’s TrimBox is the book’s trim;
 * - bleed: every page’s BleedBox extends beyond the trim by the printer’s bleed on each edge (none
 *   at the spine where the printer wants none), the media box holds it, and the room for marks;
 * - marks: crop marks (ink outside the bleed) on every page where the printer wants them, none where not;
 * - margins: the least distance from the trim to any word, by edge (inside by the page count);
 * - colour: no RGB colour in any content stream or image, and Ghostscript’s ink coverage 0 % C, M
 *   and Y on every page;
 * - fonts: every font embedded, each face once;
 * - type: the smallest type size set;
 * - PDF/X: where the printer asks for it, what pdfx.ts checks (declaration, output intent and
 *   profile, file id, boxes, no annotation, transparency or colour space PDF/X-1a excludes).
 */
import {execFile} from 'node:child_process'
import {promisify} from 'node:util'
import {PDFArray, PDFDict, PDFName, PDFNumber, PDFRawStream, PDFStream, decodePDFRawStream, type PDFDocument} from 'pdf-lib'
import {requiredInside, type PrinterProfile} from './profiles.ts'
import {pdfxProblems} from './pdfx.ts'

const run = promisify(execFile)

export interface ProfileRow {
  check: string
  required: string
  measured: string
  ok: boolean
  /** Rule id suffix for a miss (`preflight-<rule>`). */
  rule: string
}

export interface ProfileInput {
  pdfPath: string
  doc: PDFDocument
  profile: PrinterProfile
  trim: {width: number; height: number}
  /** `pdftotext -bbox` output. */
  bbox: string | null
  /** `pdffonts` output. */
  fonts: string | null
}

const inch = (pt: number) => `${(Math.round((pt / 72) * 1000) / 1000).toFixed(3)} in`

export async function checkProfile(input: ProfileInput): Promise<ProfileRow[]> {
  const {doc, profile, trim} = input
  const pages = doc.getPages()
  const rows: ProfileRow[] = []
  const ink = inkCoverage(input.pdfPath)

  // Trim.
  const wrongTrim = pages.findIndex((p) => {
    const t = p.getTrimBox()
    return Math.abs(t.width - trim.width) > 0.5 || Math.abs(t.height - trim.height) > 0.5
  })
  rows.push({
    check: 'trim',
    required: `${inch(trim.width)} × ${inch(trim.height)}`,
    measured: wrongTrim < 0 ? 'every page' : `page ${wrongTrim + 1}: ${inch(pages[wrongTrim].getTrimBox().width)} × ${inch(pages[wrongTrim].getTrimBox().height)}`,
    ok: wrongTrim < 0,
    rule: 'trim-size'
  })

  // Bleed and marks’ room, page by page (recto: the inside is the left edge).
  const want = (recto: boolean) => ({
    top: profile.bleed.top * 72,
    bottom: profile.bleed.bottom * 72,
    left: (recto ? profile.bleed.inside : profile.bleed.outside) * 72,
    right: (recto ? profile.bleed.outside : profile.bleed.inside) * 72
  })
  let bleedMiss = ''
  let slugMiss = ''
  pages.forEach((page, index) => {
    const t = page.getTrimBox()
    const b = page.getBleedBox()
    const m = page.getMediaBox()
    const w = want(index % 2 === 0)
    const got = {left: t.x - b.x, right: b.x + b.width - (t.x + t.width), bottom: t.y - b.y, top: b.y + b.height - (t.y + t.height)}
    for (const edge of ['top', 'bottom', 'left', 'right'] as const) {
      if (!bleedMiss && Math.abs(got[edge] - w[edge]) > 0.5) bleedMiss = `page ${index + 1}: ${edge} ${inch(got[edge])}, expected ${inch(w[edge])}`
    }
    const room = Math.min(b.x - m.x, b.y - m.y, m.x + m.width - (b.x + b.width), m.y + m.height - (b.y + b.height))
    if (!slugMiss && room < profile.slug * 72 - 0.5) slugMiss = `page ${index + 1}: ${inch(room)} outside the bleed`
  })
  const bleedText = (['top', 'bottom', 'outside', 'inside'] as const).map((edge) => `${edge} ${profile.bleed[edge]}`).join(', ')
  rows.push({check: 'bleed', required: `${bleedText} in`, measured: bleedMiss || 'every page', ok: !bleedMiss, rule: 'bleed'})

  // Crop marks: ink outside the bleed box on every page, or on none. Without room outside the bleed
  // (media box = bleed box, checked above) there can be none, and Ghostscript is not asked.
  const roomless = profile.slug === 0 && !slugMiss && pages.every((p) => sameBox(p.getMediaBox(), p.getBleedBox()))
  const marks = roomless ? pages.map(() => false) : await outsideInk(input.pdfPath, pages.map((p) => p.getBleedBox()), pages.map((p) => p.getMediaBox()))
  if (marks) {
    const withMarks = marks.filter(Boolean).length
    const ok = profile.cropMarks ? withMarks === pages.length : withMarks === 0
    rows.push({
      check: 'crop marks',
      required: profile.cropMarks ? `on every page (${pages.length}), ${profile.slug} in outside the bleed` : 'none',
      measured: (profile.cropMarks ? `on ${withMarks} of ${pages.length} pages` : withMarks ? `ink outside the bleed on ${withMarks} pages` : 'none') + (slugMiss ? `; ${slugMiss}` : ''),
      ok: ok && !slugMiss,
      rule: 'crop-marks'
    })
  } else rows.push({check: 'crop marks', required: profile.cropMarks ? 'on every page' : 'none', measured: 'cannot run gs (install ghostscript)', ok: false, rule: 'tool-missing'})

  // Margins to ink (words), by edge.
  const least = {top: Infinity, bottom: Infinity, inside: Infinity, outside: Infinity}
  const where = {top: '', bottom: '', inside: '', outside: ''}
  if (input.bbox !== null) {
    let index = -1
    for (const match of input.bbox.matchAll(/<page width="[\d.]+" height="[\d.]+">|<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</g)) {
      if (!match[1]) {
        index++
        continue
      }
      const page = pages[index]
      if (!page) continue
      const crop = page.getCropBox()
      const t = page.getTrimBox()
      const [x0, y0, x1, y1] = [1, 2, 3, 4].map((i) => Number(match[i]))
      const left = x0 + crop.x - t.x
      const right = t.x + t.width - (x1 + crop.x)
      // Poppler measures from the crop box’s top left corner.
      const trimTop = crop.y + crop.height - (t.y + t.height)
      const top = y0 - trimTop
      const bottom = t.height - (y1 - trimTop)
      const recto = index % 2 === 0
      const distances = {top, bottom, inside: recto ? left : right, outside: recto ? right : left}
      for (const edge of ['top', 'bottom', 'inside', 'outside'] as const) {
        if (distances[edge] < least[edge]) {
          least[edge] = distances[edge]
          where[edge] = `p. ${index + 1} “${match[5]}”`
        }
      }
    }
  }
  const inside = requiredInside(profile, pages.length) * 72
  const required = {top: profile.margins.top * 72, bottom: profile.margins.bottom * 72, outside: profile.margins.outside * 72, inside}
  for (const edge of ['top', 'bottom', 'outside', 'inside'] as const) {
    const ok = least[edge] >= required[edge] - 0.5
    rows.push({
      check: `margin ${edge}`,
      required: `≥ ${inch(required[edge])}${edge === 'inside' ? ` (${pages.length} pages)` : ''}`,
      measured: least[edge] === Infinity ? 'no text' : `${inch(least[edge])} (${where[edge]})`,
      ok: least[edge] === Infinity || ok,
      rule: 'margin'
    })
  }

  // Colour: the content itself, then the inks.
  const scan = scanContent(doc)
  rows.push({
    check: 'colour',
    required: 'DeviceGray only (text and rules 100 % K)',
    measured: scan.rgb.length ? `RGB on ${scan.rgb.length} page${scan.rgb.length > 1 ? 's' : ''} (first: ${scan.rgb[0]})` : 'no RGB',
    ok: scan.rgb.length === 0,
    rule: 'colour'
  })
  const coverage = await ink
  if (coverage) {
    const coloured = coverage.map((c, i) => ({c, page: i + 1})).filter(({c}) => c[0] > 0 || c[1] > 0 || c[2] > 0)
    const k = coverage.map((c) => c[3])
    rows.push({
      check: 'ink',
      required: '0 % C, M, Y on every page',
      measured: coloured.length
        ? `colour ink on ${coloured.length} pages (first: p. ${coloured[0].page} C ${pct(coloured[0].c[0])} M ${pct(coloured[0].c[1])} Y ${pct(coloured[0].c[2])})`
        : `C, M, Y 0 % on ${coverage.length} pages; K up to ${pct(Math.max(...k))}`,
      ok: coloured.length === 0 && coverage.length === pages.length,
      rule: 'ink'
    })
  } else rows.push({check: 'ink', required: '0 % C, M, Y on every page', measured: 'cannot run gs (install ghostscript)', ok: false, rule: 'tool-missing'})

  // Fonts: embedded, each face once.
  const faces = new Map<string, number>()
  let notEmbedded = ''
  for (const line of (input.fonts ?? '').split('\n').slice(2)) {
    const columns = line.trim().split(/\s+/)
    if (columns.length < 7) continue
    const base = columns[0].replace(/^[A-Z]{6}\+/, '')
    faces.set(base, (faces.get(base) ?? 0) + 1)
    if (columns.slice(-5, -4)[0] !== 'yes') notEmbedded ||= base
  }
  const repeated = [...faces].filter(([, n]) => n > 1)
  rows.push({
    check: 'fonts',
    required: 'all embedded, each face once',
    measured: notEmbedded ? `${notEmbedded} not embedded` : repeated.length ? `${repeated.map(([f, n]) => `${f} ×${n}`).join(', ')}` : `${faces.size} faces, each once`,
    ok: input.fonts !== null && !notEmbedded && repeated.length === 0,
    rule: 'fonts'
  })

  // Type size.
  rows.push({
    check: 'type size',
    required: `≥ ${profile.minTypePt} pt`,
    measured: scan.smallest === Infinity ? 'no text' : `${round(scan.smallest)} pt (p. ${scan.smallestPage})`,
    ok: scan.smallest >= profile.minTypePt - 0.05,
    rule: 'type-size'
  })

  // PDF/X.
  // PDF/X: the declaration, the output intent and what the standard leaves out (pdfx.ts, the one check).
  if (profile.pdfx) {
    const problems = pdfxProblems(doc)
    const info = doc.context.lookupMaybe(doc.context.trailerInfo.Info, PDFDict)
    const conformance = info?.get(PDFName.of('GTS_PDFXConformance')) ?? info?.get(PDFName.of('GTS_PDFXVersion'))
    const intent = doc.catalog.lookupMaybe(PDFName.of('OutputIntents'), PDFArray)?.lookupMaybe(0, PDFDict)?.get(PDFName.of('OutputConditionIdentifier'))
    rows.push({
      check: 'PDF/X',
      required: `${profile.pdfx}, output intent`,
      measured: problems.length ? problems.slice(0, 3).join('; ') + (problems.length > 3 ? ` …(${problems.length})` : '') : `${conformance ? decodeString(conformance) : 'none'}, output intent ${intent ? decodeString(intent) : 'none'}`,
      ok: problems.length === 0,
      rule: 'pdfx'
    })
  }
  return rows
}

/** The table, aligned, with a mark for each row. */
export function formatTable(profile: PrinterProfile, rows: ProfileRow[]): string {
  const widths = [Math.max(...rows.map((r) => r.check.length)), Math.max(...rows.map((r) => r.required.length))]
  return [
    `Printer profile ${profile.id} (${profile.name})`,
    ...rows.map((r) => `  ${r.ok ? '✓' : '✗'} ${r.check.padEnd(widths[0])}  ${r.required.padEnd(widths[1])}  ${r.measured}`)
  ].join('\n')
}

function sameBox(a: {x: number; y: number; width: number; height: number}, b: {x: number; y: number; width: number; height: number}): boolean {
  return Math.abs(a.x - b.x) < 0.5 && Math.abs(a.y - b.y) < 0.5 && Math.abs(a.width - b.width) < 0.5 && Math.abs(a.height - b.height) < 0.5
}

function pct(fraction: number): string {
  return `${Math.round(fraction * 10000) / 100} %`
}

function round(n: number): number {
  return Math.round(n * 100) / 100
}

function decodeString(value: unknown): string {
  const v = value as {decodeText?: () => string; asString?: () => string}
  return v.decodeText ? v.decodeText() : String(value)
}

/** Ghostscript’s ink coverage per page: [C, M, Y, K] as fractions of the page; null if gs cannot run. */
export async function inkCoverage(pdfPath: string): Promise<Array<[number, number, number, number]> | null> {
  try {
    const {stdout} = await run('gs', ['-q', '-dNOPAUSE', '-dBATCH', '-dSAFER', '-o', '-', '-sDEVICE=inkcov', pdfPath], {maxBuffer: 64 * 1024 * 1024})
    return [...stdout.matchAll(/^\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+CMYK/gm)].map((m) => [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])])
  } catch {
    return null
  }
}

/** Whether each page has ink outside its bleed box (Ghostscript’s bbox device); null if gs cannot run. */
async function outsideInk(pdfPath: string, bleeds: Array<{x: number; y: number; width: number; height: number}>, media: Array<{x: number; y: number}>): Promise<boolean[] | null> {
  let stderr: string
  try {
    const result = await run('gs', ['-q', '-dNOPAUSE', '-dBATCH', '-dSAFER', '-sDEVICE=bbox', pdfPath], {maxBuffer: 64 * 1024 * 1024})
    stderr = result.stderr
  } catch {
    return null
  }
  const boxes = [...stderr.matchAll(/%%HiResBoundingBox: ([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+)/g)].map((m) => [1, 2, 3, 4].map((i) => Number(m[i])))
  // The bbox device measures from the media box’s corner.
  return bleeds.map((b, i) => {
    const box = boxes[i]
    if (!box) return false
    const [x0, y0, x1, y1] = [box[0] + media[i].x, box[1] + media[i].y, box[2] + media[i].x, box[3] + media[i].y]
    if (x1 <= x0 || y1 <= y0) return false
    return x0 < b.x - 0.5 || y0 < b.y - 0.5 || x1 > b.x + b.width + 0.5 || y1 > b.y + b.height + 0.5
  })
}

/**
 * The content streams read as a printer’s preflight does: colour operators and spaces (any RGB),
 * and each text’s size on the page (Tf size × text and current matrices).
 */
export function scanContent(doc: PDFDocument): {rgb: string[]; smallest: number; smallestPage: number} {
  const rgb: string[] = []
  let smallest = Infinity
  let smallestPage = 0
  doc.getPages().forEach((page, index) => {
    const contents = page.node.get(PDFName.of('Contents'))
    if (!contents) return
    const resolved = doc.context.lookup(contents)
    const streams = resolved instanceof PDFArray ? resolved.asArray().map((r) => doc.context.lookup(r)) : [resolved]
    const text = streams
      .filter((s): s is PDFRawStream => s instanceof PDFRawStream)
      .map((s) => Buffer.from(decodePDFRawStream(s).decode()).toString('latin1'))
      .join('\n')
    const why: string[] = []
    if (/(^|[\s\]])-?[\d.]+\s+-?[\d.]+\s+-?[\d.]+\s+(rg|RG)(?=[\s/[<(]|$)/.test(text)) why.push('rg/RG colour')
    if (/\/DeviceRGB\s+(cs|CS)\b/.test(text)) why.push('DeviceRGB colour space')
    const resources = page.node.Resources()
    if (resources && rgbResources(doc, resources)) why.push('RGB image or colour space')
    const group = page.node.lookupMaybe(PDFName.of('Group'), PDFDict)
    if (group?.get(PDFName.of('CS')) === PDFName.of('DeviceRGB')) why.push('RGB blending space')
    if (why.length) rgb.push(`p. ${index + 1}: ${why.join(', ')}`)
    const size = smallestText(text)
    if (size < smallest) (smallest = size), (smallestPage = index + 1)
  })
  return {rgb, smallest, smallestPage}
}

function rgbResources(doc: PDFDocument, resources: PDFDict): boolean {
  const isRgb = (space: unknown): boolean => {
    const value = space && typeof space === 'object' && 'tag' in (space as object) ? doc.context.lookup(space as never) : space
    if (value === PDFName.of('DeviceRGB') || value === PDFName.of('CalRGB')) return true
    if (value instanceof PDFArray) {
      const kind = value.get(0)
      if (kind === PDFName.of('CalRGB')) return true
      if (kind === PDFName.of('ICCBased')) {
        const stream = value.lookup(1)
        return stream instanceof PDFStream && stream.dict.lookupMaybe(PDFName.of('N'), PDFNumber)?.asNumber() === 3
      }
      if (kind === PDFName.of('Indexed')) return isRgb(value.get(1))
    }
    return false
  }
  const spaces = resources.lookupMaybe(PDFName.of('ColorSpace'), PDFDict)
  for (const [, space] of spaces?.entries() ?? []) if (isRgb(space)) return true
  const xobjects = resources.lookupMaybe(PDFName.of('XObject'), PDFDict)
  for (const [, ref] of xobjects?.entries() ?? []) {
    const object = doc.context.lookup(ref)
    if (object instanceof PDFStream && object.dict.get(PDFName.of('Subtype')) === PDFName.of('Image') && isRgb(object.dict.get(PDFName.of('ColorSpace')))) return true
  }
  return false
}

/** The smallest text size a content stream shows, in points on the page. */
function smallestText(content: string): number {
  type M = [number, number, number, number, number, number]
  const multiply = (a: M, b: M): M => [
    a[0] * b[0] + a[1] * b[2],
    a[0] * b[1] + a[1] * b[3],
    a[2] * b[0] + a[3] * b[2],
    a[2] * b[1] + a[3] * b[3],
    a[4] * b[0] + a[5] * b[2] + b[4],
    a[4] * b[1] + a[5] * b[3] + b[5]
  ]
  const scale = (m: M) => Math.sqrt(Math.abs(m[0] * m[3] - m[1] * m[2]))
  let ctm: M = [1, 0, 0, 1, 0, 0]
  const stack: M[] = []
  let tm: M = [1, 0, 0, 1, 0, 0]
  let size = 0
  let smallest = Infinity
  const operands: number[] = []
  for (const token of content.matchAll(/<[0-9A-Fa-f\s]*>|\((?:\\.|[^\\)])*\)|\[|\]|\/[^\s/[\]<>()]+|-?\d*\.?\d+|[A-Za-z'"*]+/g)) {
    const t = token[0]
    if (/^-?\d*\.?\d+$/.test(t)) {
      operands.push(Number(t))
      continue
    }
    if (t === 'q') stack.push(ctm)
    else if (t === 'Q') ctm = stack.pop() ?? ctm
    else if (t === 'cm' && operands.length >= 6) ctm = multiply(operands.slice(-6) as M, ctm)
    else if (t === 'Tm' && operands.length >= 6) tm = operands.slice(-6) as M
    else if (t === 'BT') tm = [1, 0, 0, 1, 0, 0]
    else if (t === 'Tf' && operands.length >= 1) size = operands[operands.length - 1]
    else if ((t === 'Tj' || t === 'TJ' || t === "'" || t === '"') && size > 0) {
      const effective = size * scale(multiply(tm, ctm))
      if (effective > 0.01 && effective < smallest) smallest = effective
    }
    if (!t.startsWith('<') && !t.startsWith('(') && !t.startsWith('/') && t !== '[' && t !== ']') operands.length = 0
  }
  return smallest
}
