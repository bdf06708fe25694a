/**
 * A printer’s preflight of the PDF: fonts (embedded, subset, only the book’s), page size, page
 * count, text that must be there, page numbers in the contents and index, and text outside the
 * safe area. Problems are vfile messages (`preflight-<what>`), never thrown.
 */
import {bookFace, faces} from '../fonts.ts'
import {execFile} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {promisify} from 'node:util'
import {PDFDocument} from 'pdf-lib'
import {VFile} from 'vfile'
import type {Book} from '../manuscript/schema.ts'
import type {Pagination, ReaderHtml} from '../model.ts'
import {toPoints} from './layout.ts'
import {bookProfile} from './profiles.ts'
import {checkProfile, formatTable} from './preflight-profile.ts'
import type {Element, Root} from 'hast'
import {readReaderHtml} from '../html/reader-parts.ts'
import {hasClass, textContent} from './hast.ts'
import {selectAll, select} from 'hast-util-select'
import {pageRanges} from './page-refs.ts'
import {compareText, pageTexts, wordsOf, type Difference} from './text-compare.ts'
import {labelsOf} from '../labels.ts'
import {templatesDir} from '../templates.ts'
import path from 'node:path'

const run = promisify(execFile)

export interface PreflightExpect {
  book: Book
  pagination?: Pagination
  /** Passages that must be in the PDF’s text (last paragraphs, note openings, index terms). */
  mustContain?: string[]
  /** The reader document (its tree is only read): every word is compared, the contents and index checked entry by entry. */
  document?: ReaderHtml
  /** The reader HTML, when there is no document at hand (`reader preflight` on a build folder; read by html/reader-parts.ts). */
  html?: string
}

/** The family every font in the PDF must belong to. */

export async function preflight(pdfPath: string, expect: PreflightExpect): Promise<VFile> {
  const file = new VFile({path: pdfPath})
  const fail = (reason: string, ruleId: string, fatal = true) => {
    const message = file.message(reason, {ruleId: `preflight-${ruleId}`, source: 'reader'})
    message.fatal = fatal
    return message
  }

  let bytes: Buffer
  try {
    bytes = readFileSync(pdfPath)
  } catch {
    fail(`Cannot read ${pdfPath}`, 'unreadable')
    return file
  }

  // The three tools run together; their results are read in the order below.
  const [fonts, raw, bbox] = await Promise.all([tool('pdffonts', [pdfPath]), tool('pdftotext', ['-layout', pdfPath, '-']), tool('pdftotext', ['-bbox', pdfPath, '-'])])

  // Fonts.
  const face = bookFace()
  if (fonts === null) fail('Cannot run pdffonts (install poppler-utils)', 'tool-missing')
  else {
    for (const line of fonts.split('\n').slice(2)) {
      const columns = line.trim().split(/\s+/)
      if (columns.length < 7) continue
      const name = columns[0]
      const [emb, sub] = columns.slice(-5, -3)
      const base = name.replace(/^[A-Z]{6}\+/, '')
      if (!faces(face).some((f) => base.startsWith(f.pdfName))) fail(`Unexpected font \`${base}\`, expected only ${faces(face).map((f) => f.family).join(' and ')}`, 'foreign-font')
      if (emb !== 'yes') fail(`Font \`${base}\` is not embedded`, 'font-not-embedded')
      else if (sub !== 'yes') fail(`Font \`${base}\` is embedded whole, expected a subset`, 'font-not-subset', false)
    }
  }

  // Page size and count.
  let pageCount = 0
  /** Per page: how far below the top of the box Poppler reads the laid-out (bleed) page begins. */
  let shifts: number[] = []
  try {
    const doc = await PDFDocument.load(bytes, {updateMetadata: false})
    pageCount = doc.getPageCount()
    shifts = doc.getPages().map((page) => {
      const crop = page.getCropBox()
      const bleed = page.getBleedBox()
      return Math.max(0, crop.y + crop.height - (bleed.y + bleed.height))
    })
    const width = toPoints(expect.book.print.trim.width)
    const height = toPoints(expect.book.print.trim.height)
    const wrong: number[] = []
    doc.getPages().forEach((page, index) => {
      const trim = page.getTrimBox()
      if (Math.abs(trim.width - width) > 0.5 || Math.abs(trim.height - height) > 0.5) wrong.push(index + 1)
    })
    if (wrong.length) {
      const first = doc.getPage(wrong[0] - 1).getTrimBox()
      const message = fail(
        `Unexpected page size ${round(first.width)}×${round(first.height)}pt on ${wrong.length} page${wrong.length > 1 ? 's' : ''} (first: ${wrong[0]}), expected the trim ${round(width)}×${round(height)}pt`,
        'trim-size'
      )
      message.actual = `${round(first.width)}×${round(first.height)}`
      message.expected = [`${round(width)}×${round(height)}`]
    }
    if (pageCount % 2 === 1) fail(`Unexpected odd page count ${pageCount}, expected an even count`, 'odd-pages')
    if (expect.pagination && expect.pagination.pages !== pageCount) {
      fail(`Unexpected page count ${pageCount}, expected ${expect.pagination.pages} from the pagination`, 'page-count')
    }
    // The printer profile’s numbers, as a table (preflight-profile.ts); each miss is an error.
    const profile = bookProfile(expect.book.print)
    if (profile) {
      const rows = await checkProfile({pdfPath, doc, profile, trim: {width, height}, bbox, fonts})
      file.data.profileTable = formatTable(profile, rows)
      for (const row of rows.filter((r) => !r.ok)) {
        const message = fail(`Unexpected ${row.check} for ${profile.id}: ${row.measured}, expected ${row.required}`, `profile-${row.rule}`)
        message.actual = row.measured
        message.expected = [row.required]
      }
    }
  } catch (error) {
    fail(`Cannot read the PDF: ${String((error as Error).message).split('\n')[0]}`, 'unreadable')
    return file
  }

  // Text.
  if (raw === null) {
    fail('Cannot run pdftotext (install poppler-utils)', 'tool-missing')
    return file
  }
  const pages = raw.split('\f')
  const all = normalise(raw)
  // The reader HTML, parsed once for the notes, the contents and the index.
  const reader = expect.document ?? (expect.html ? readReaderHtml(expect.html) : undefined)
  const tree = reader?.tree
  for (const passage of expect.mustContain || []) {
    const wanted = normalise(passage)
    if (wanted && !all.includes(wanted)) fail(`Missing text \`${clip(passage)}\` in the PDF`, 'missing-text')
  }

  // Notes: every note of the reader HTML printed, its opening and its close (a note that runs on to
  // the next page has the page’s furniture in between), compared without spaces or case.
  if (tree) {
    // (Hyphens left out on both sides: a compound’s own hyphen at a line end, `fifty-` / `six`, reads
    // as a broken word in the PDF’s text.)
    const squeezed = all.replace(/[\s\u2010\u2011-]/g, '').toLowerCase()
    for (const note of selectAll('li.note', tree)) {
      const [opening, close] = noteEnds(note)
      if (!squeezed.includes(opening) || !squeezed.includes(close)) {
        fail(`Missing note \`${clip(noteText(note))}\` (${String(note.properties.id || '')}) in the PDF`, 'missing-note')
      }
    }
  }

  // Every word of the reader HTML in the PDF, in order (text-compare.ts).
  if (raw.includes('\u00AD')) {
    const count = raw.split('\u00AD').length - 1
    fail(`Unexpected ${count} soft hyphen${count > 1 ? 's' : ''} (U+00AD) in the PDF’s text layer, expected none: search and copy would not find the words`, 'soft-hyphen')
  }
  if (tree && bbox !== null && expect.pagination?.starts.some((start) => start.area)) {
    const result = compareWithReader(tree, bbox, expect.pagination, expect.book, shifts)
    file.data.wordsCompared = result.words
    file.data.textDifferences = result.differences.length
    if (result.unmatched) fail('Unexpected text in the PDF: it differs from the reader HTML too much to compare word by word', 'text')
    const shown = result.differences.slice(0, 20)
    for (const difference of shown) fail(describe(difference), 'text')
    if (result.differences.length > shown.length) fail(`… and ${result.differences.length - shown.length} more differences between the PDF’s text and the reader HTML`, 'text')
  }

  const labels = expect.pagination?.starts.map((s) => s.label) ?? []
  const pageOf = (label: string | undefined) => (label === undefined ? -1 : labels.indexOf(label))
  const idPages = expect.pagination?.idPages ?? {}

  // Contents.
  const contentsPage = pageOf(idPages['contents'])
  if (contentsPage >= 0) {
    // The contents run to the next part (a long one over several pages).
    const parts = reader ? reader.parts.map((part) => part.id) : Object.keys(idPages)
    const end = nextPartPage(contentsPage, Object.fromEntries(parts.filter((id) => idPages[id]).map((id) => [id, idPages[id]])), labels)
    const text = pages.slice(contentsPage, end).join('\n')
    for (const line of text.split('\n')) {
      if (/\S\s{2,}0\s*$/.test(line)) fail(`Unexpected page number 0 in the contents: \`${line.trim()}\``, 'page-number')
    }
    if (tree) {
      // By words, in order: an entry’s title (over as many lines as it takes), then its page number
      // before the next entry’s title. Punctuation, markup and line breaks do not count.
      const printed = words(text)
      const entries = selectAll('nav.toc a[href^="#"]', tree)
        .map((a) => ({a, id: String(a.properties.href).slice(1)}))
        .filter(({id}) => !select('nav.toc ol ol a[href="#' + id + '"]', tree))
      let from = 0
      const places = entries.map(({a}) => {
        const at = indexOfWords(printed, words(textContent(a)), from)
        if (at >= 0) from = at + 1
        return at
      })
      entries.forEach(({a, id}, i) => {
        const label = idPages[id]
        if (!label) return
        const at = places[i]
        const end = places.slice(i + 1).find((p) => p > at) ?? printed.length
        const found = at >= 0 && printed.slice(at + words(textContent(a)).length, end).includes(label.toLowerCase())
        if (!found) fail(`Contents entry \`${clip(textContent(a))}\` does not show page ${label}`, 'page-number')
      })
    }
  }

  // Index.
  const indexPage = pageOf(idPages['index'])
  if (indexPage >= 0 && tree) {
    // Read in column order: the index is set in two columns, which `-layout` prints side by side;
    // running heads and folios left out (an entry may go on over a page).
    const text = normalise(pageTexts(bbox ?? '', expect.pagination?.starts, shifts).slice(indexPage).join(' ')).replace(/\s/g, '')
    for (const li of selectAll('li.ix-entry', tree)) {
      const refs = selectAll('a.ix-ref', li).map((a) => idPages[String(a.properties.href).slice(1)] ?? '')
      const term = select('.ix-term', li)
      const expected = pageRanges(refs, expect.book.style.page_ranges)
        .map((r) => r.first + (r.last ? '–' + r.last : ''))
        .join(', ')
      if (!expected) continue
      if (!text.includes(normalise(expected).replace(/\s/g, ''))) {
        fail(`Index entry \`${clip(term ? textContent(term) : '')}\` does not show ${expected}`, 'page-number')
      }
    }
  } else if (indexPage >= 0) {
    for (const line of pages.slice(indexPage).join('\n').split('\n')) {
      if (/(,|\s)0(,|\s*$)/.test(line)) fail(`Unexpected page number 0 in the index: \`${line.trim()}\``, 'page-number')
    }
  }

  // Text outside the safe area: within 0.2in of the trim edge, or beyond it.
  if (bbox !== null) {
    const bleed = bookProfile(expect.book.print) ? toPoints(expect.book.print.bleed) : 0
    const safe = 0.2 * 72
    let pageIndex = -1
    let width = 0
    let height = 0
    const outside: string[] = []
    for (const match of bbox.matchAll(/<page width="([\d.]+)" height="([\d.]+)">|<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</g)) {
      if (match[1]) {
        pageIndex++
        width = Number(match[1])
        height = Number(match[2])
        continue
      }
      const [x0, y0, x1, y1] = [3, 4, 5, 6].map((i) => Number(match[i]))
      const b = width > toPoints(expect.book.print.trim.width) + 1 ? bleed : 0
      if (x0 < b + safe || y0 < b + safe || x1 > width - b - safe || y1 > height - b - safe) {
        outside.push(`${labels[pageIndex] ?? pageIndex + 1}: ${match[7]}`)
      }
    }
    if (outside.length) {
      fail(`Unexpected text outside the safe area on ${outside.length} word${outside.length > 1 ? 's' : ''} (first: page ${outside[0]})`, 'outside-safe-area', false)
    }
  }
  return file
}

/**
 * The PDF’s words (`pdftotext -bbox`) against the reader HTML’s, as the book prints them: notes as
 * its notes mode sets them, the print stylesheet’s hidden parts left out, the page references the
 * print writes (folios, the `n.` of `24 n. 2`) allowed. `shifts`: per page, how far below the top of
 * the PDF page the laid-out page begins (room for crop marks).
 */
export function compareWithReader(tree: Root, bbox: string, pagination: Pagination, book: Book, shifts: number[] = []) {
  return compareText(tree, bbox, pagination.starts, {
    footnotes: book.print.notes === 'footnotes',
    generated: new Set([...pagination.starts.flatMap((start) => wordsOf(start.label)), ...wordsOf(labelsOf(book).note_abbreviation)]),
    shifts,
    css: readFileSync(path.join(templatesDir(), 'print', 'print.css'), 'utf8')
  })
}

/** A difference between the PDF’s words and the reader HTML’s, as a reader would look for it. */
function describe(d: Difference): string {
  const words = quote(d.words)
  const where = `${d.stream === 'notes' ? 'in the footnotes ' : ''}on p. ${d.page}`
  const after = d.after.length ? ` (after “${d.after.join(' ')}”)` : ''
  if (d.kind === 'missing') return `Missing ${words} ${where}${after}: the reader HTML has ${d.words.length > 1 ? 'these words' : 'this word'}, the PDF does not`
  if (d.kind === 'added') return `Unexpected ${words} ${where}${after}: the PDF has ${d.words.length > 1 ? 'these words' : 'this word'}, the reader HTML does not`
  if (d.kind === 'changed') return `Unexpected ${quote(d.printed!)} ${where}${after}, expected ${words} as the reader HTML has it`
  return `Out of place: ${words} printed ${where}, expected on p. ${d.expectedPage}${after}`
}

/** Words for a message: all of a short run, the first and last few of a long one. */
function quote(words: string[]): string {
  const shown = words.length > 12 ? [...words.slice(0, 5), '…', ...words.slice(-5)] : words
  return `“${shown.join(' ')}” (${words.length} word${words.length > 1 ? 's' : ''})`
}

/** A note’s words as printed: without its list mark, its back-link or the calls of notes in it. */
function noteText(note: Element): string {
  return noteParts(note).join(' ')
}

/** The words of a note between the calls of notes in it. */
function noteParts(note: Element): string[] {
  const parts = ['']
  const walk = (node: Element) => {
    for (const child of node.children) {
      if (child.type === 'text') parts[parts.length - 1] += child.value
      else if (child.type !== 'element') continue
      else if (child.tagName === 'a' && hasClass(child, 'noteref')) parts.push('')
      else if (!hasClass(child, 'backlink') && !hasClass(child, 'ednote-mark')) walk(child)
    }
  }
  walk(note)
  return parts
}

/** Up to 40 characters from the start of a note and from its end, squeezed (no spaces, lower case). */
function noteEnds(note: Element): [string, string] {
  const parts = noteParts(note)
    .map((p) => normalise(p).replace(/[\s\u2010\u2011-]/g, '').toLowerCase())
    .filter(Boolean)
  return parts.length ? [parts[0].slice(0, 40), parts[parts.length - 1].slice(-40)] : ['', '']
}

async function tool(name: string, args: string[]): Promise<string | null> {
  try {
    const {stdout} = await run(name, args, {maxBuffer: 256 * 1024 * 1024, encoding: 'utf8'})
    return stdout
  } catch {
    return null
  }
}

/** Compare text as printed: no soft hyphens, words joined across line-end hyphens, spaces folded. */
export function normalise(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\u00AD/g, '')
    .replace(/[\u2010\u2011-]\s*\n\s*/g, '')
    .replace(/\s+/g, ' ')
    .trim()
}

/** The words of a text as printed, lower-cased: letters and digits only. */
function words(text: string): string[] {
  return normalise(text).toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean)
}

/** Where `wanted` first occurs as consecutive words in `all`, from `from` on; -1 when it does not. */
function indexOfWords(all: string[], wanted: string[], from: number): number {
  if (wanted.length === 0) return -1
  for (let i = from; i + wanted.length <= all.length; i++) {
    if (wanted.every((word, j) => all[i + j] === word)) return i
  }
  return -1
}

function nextPartPage(from: number, idPages: Record<string, string>, labels: string[]): number {
  const starts = Object.values(idPages).map((l) => labels.indexOf(l)).filter((i) => i > from)
  return starts.length ? Math.min(...starts) : from + 1
}

function clip(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim()
  return t.length > 60 ? t.slice(0, 57) + '…' : t
}

function round(n: number): number {
  return Math.round(n * 10) / 10
}
