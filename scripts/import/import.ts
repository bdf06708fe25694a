/**
 * The importer: a raw copy-text (plain text as found on the web or in a scan) in, a draft Markdown
 * file out. It converts only what it can recognise — wiki and title-like headings, `- ` lists, and
 * numbered notes with their markers (to GFM footnotes) — and reports every guess and every doubt as
 * a vfile message placed in the raw text. Everything else is kept as it was: removing web debris is
 * the editor's job, with a record.
 *
 * Note conventions recognised (the note list is the last run of lines `1. …`, `2. …`, … numbered from
 * one, optionally indented, optionally separated by blank lines):
 * - digits glued after punctuation or a closing quote (`work.2`, `said,”3`), or after sentence-final
 *   punctuation and one space when followed by the end of the line, a dash or a capital
 *   (`dizziness..” 1 – Victor Serge`);
 * - parenthesised digits glued or spaced after a word or punctuation (`Opposition.(1)`, `creator)”(11)`).
 * Only numbers that name a note in the list become references; without a note list nothing is a marker.
 */
import type {VFile} from 'vfile'

export interface ImportResult {
  markdown: string
  notes: {found: number; matched: number}
}

interface Point {
  line: number
  column: number
}

interface Place {
  start: Point
  end: Point
}

/** One line of the raw text; `line` is 1-based. */
interface RawLine {
  text: string
  line: number
}

/** One entry of the note list. */
interface Note {
  number: number
  /** Text of the note, continuation lines joined with a space. */
  text: string
  /** Index in the line array of the entry's first line. */
  index: number
  /** Indices of all its lines (entry and continuation lines). */
  lines: number[]
  place: Place
}

interface NoteList {
  notes: Note[]
  /** Indices of the first and last line of the list (inclusive). */
  first: number
  last: number
}

/** A possible note marker found in the text. */
interface Candidate {
  number: number
  /** Line index and the range in that line's text that the reference replaces. */
  index: number
  from: number
  to: number
  /** Whether a space separates the marker from the word before it. */
  spaced: boolean
  place: Place
}

interface Marker extends Candidate {
  note: Note
}

const source = 'reader'

/** Lowercase words a title-case line may contain. */
const minorWords = new Set([
  'a', 'an', 'and', 'as', 'at', 'but', 'by', 'de', 'del', 'der', 'des', 'du', 'et', 'for', 'from',
  'in', 'into', 'la', 'le', 'les', 'nor', 'of', 'on', 'or', 'the', 'to', 'van', 'via', 'von', 'vs',
  'with', 'y'
])

const noteItemPattern = /^([ \t]*)([1-9]\d{0,2})\.[ \t]+(\S.*)$/
const listLinePattern = /^[ \t]*-[ \t]+\S/
const wikiHeadingPattern = /^[ \t]*(={1,6})[ \t]*([^=\s](?:.*?\S)?)[ \t]*\1[ \t]*$/
/** Digits glued after punctuation or a closing quote: `work.2`, `said,”3`, `creator)”4`. */
const gluedMarkerPattern = /(?<=[.,;:!?…”’"')\]])([1-9]\d{0,2})(?=[ \t]|$)/gu
/**
 * Digits after sentence-final punctuation (or a closing quote) and one space, followed by the end of
 * the line, a dash or a capital: `dizziness..” 1 – Victor Serge`.
 */
const spacedMarkerPattern = /(?<=[.!?…”’"')\]]) ([1-9]\d{0,2})(?=[ \t]*$|[ \t]+[–—-]|[ \t]+\p{Lu})/gu
/** Parenthesised digits glued or spaced after a word or punctuation: `Opposition.(1)`, `word (2)`. */
const parenMarkerPattern =
  /(?<=[\p{L}\p{N}.,;:!?…”’"')\]])( ?)\(([1-9]\d{0,2})\)(?=\s|$|[.,;:!?…”’"')\]–—-])/gu

/**
 * Turn a raw copy-text into draft Markdown, reporting guesses and doubts on `file`.
 * Never throws on content.
 */
export function importCopyText(file: VFile): ImportResult {
  const lines = splitLines(file.toString())
  const noteList = findNoteList(lines)
  const inList = new Set<number>()
  if (noteList) for (let i = noteList.first; i <= noteList.last; i++) inList.add(i)

  const markers = noteList ? resolveMarkers(file, findCandidates(lines, inList), noteList) : []
  const matched = new Set(markers.map((marker) => marker.note))
  if (noteList) reportNoteList(file, noteList, matched)

  const converted = convertLines(lines, markers)
  const blocks = renderBody(file, lines, converted, inList, noteList, matched)
  const definitions = noteList
    ? noteList.notes.filter((note) => matched.has(note)).map(renderDefinition)
    : []
  const all = [...blocks, ...definitions]

  return {
    markdown: all.length > 0 ? all.join('\n\n') + '\n' : '',
    notes: {found: noteList ? noteList.notes.length : 0, matched: matched.size}
  }
}

function splitLines(text: string): RawLine[] {
  return text.split(/\r\n|\r|\n/).map((value, index) => ({text: value, line: index + 1}))
}

function isBlank(text: string): boolean {
  return text.trim() === ''
}

function indentOf(text: string): number {
  return /^[ \t]*/.exec(text)![0].length
}

function lineRange(line: RawLine, from: number, to: number): Place {
  return {start: {line: line.line, column: from + 1}, end: {line: line.line, column: to + 1}}
}

function contentRange(line: RawLine): Place {
  const start = indentOf(line.text)
  return lineRange(line, start, line.text.trimEnd().length)
}

// ---------------------------------------------------------------------------------------------
// The note list

/** The last run of numbered entries `1.`, `2.`, … (blank lines allowed between entries). */
function findNoteList(lines: RawLine[]): NoteList | undefined {
  let found: NoteList | undefined
  let index = 0
  while (index < lines.length) {
    const match = noteItemPattern.exec(lines[index].text)
    if (match && Number(match[2]) === 1) {
      const list = readNoteList(lines, index)
      found = list
      index = list.last + 1
    } else {
      index++
    }
  }
  return found
}

function readNoteList(lines: RawLine[], first: number): NoteList {
  const notes: Note[] = []
  let index = first
  while (true) {
    const note = readNote(lines, index, notes.length + 1)
    if (!note) break
    notes.push(note)
    index = note.lines[note.lines.length - 1] + 1
    while (index < lines.length && isBlank(lines[index].text)) index++
  }
  const lastNote = notes[notes.length - 1]
  return {notes, first, last: lastNote.lines[lastNote.lines.length - 1]}
}

/** The entry numbered `number` at `index`, with its continuation lines (indented deeper, no gap). */
function readNote(lines: RawLine[], index: number, number: number): Note | undefined {
  if (index >= lines.length) return undefined
  const line = lines[index]
  const match = noteItemPattern.exec(line.text)
  if (!match || Number(match[2]) !== number) return undefined
  const indent = match[1].length
  const parts = [match[3].trim()]
  const indices = [index]
  let next = index + 1
  while (next < lines.length && isContinuation(lines[next].text, indent)) {
    parts.push(lines[next].text.trim())
    indices.push(next)
    next++
  }
  return {
    number,
    text: parts.join(' '),
    index,
    lines: indices,
    place: lineRange(line, indent, indent + match[2].length + 1)
  }
}

function isContinuation(text: string, indent: number): boolean {
  return !isBlank(text) && !noteItemPattern.test(text) && indentOf(text) > indent
}

function reportNoteList(file: VFile, list: NoteList, matched: Set<Note>): void {
  const first = list.notes[0]
  const last = list.notes[list.notes.length - 1]
  const message = file.info(
    `Guessed a note list of ${list.notes.length} ${list.notes.length === 1 ? 'entry' : 'entries'} ` +
      `(lines ${first.place.start.line}–${last.place.start.line}), ${matched.size} with a marker in the text`,
    {place: {start: first.place.start, end: last.place.end}, ruleId: 'import-note-list', source}
  )
  message.actual = String(list.notes.length)
  for (const note of list.notes) {
    if (matched.has(note)) continue
    const warning = file.message(
      `Unexpected note ${note.number} with no marker in the text, expected a marker such as \`.${note.number}\` ` +
        `or \`(${note.number})\`; left as a list item`,
      {place: note.place, ruleId: 'import-note-no-marker', source}
    )
    warning.expected = [`[^${note.number}]`]
  }
}

// ---------------------------------------------------------------------------------------------
// Markers

function findCandidates(lines: RawLine[], inList: Set<number>): Candidate[] {
  const candidates: Candidate[] = []
  lines.forEach((line, index) => {
    if (inList.has(index)) return
    candidates.push(...candidatesInLine(line, index))
  })
  return candidates
}

function candidatesInLine(line: RawLine, index: number): Candidate[] {
  const found: Candidate[] = []
  for (const match of line.text.matchAll(gluedMarkerPattern)) {
    const from = match.index!
    found.push(candidate(line, index, Number(match[1]), from, from + match[0].length, false))
  }
  for (const match of line.text.matchAll(spacedMarkerPattern)) {
    const from = match.index!
    found.push(candidate(line, index, Number(match[1]), from, from + match[0].length, true))
  }
  for (const match of line.text.matchAll(parenMarkerPattern)) {
    const from = match.index!
    found.push(candidate(line, index, Number(match[2]), from, from + match[0].length, match[1] !== ''))
  }
  return found
    .sort((a, b) => a.from - b.from)
    .filter((item, position, all) => position === 0 || all[position - 1].to <= item.from)
}

function candidate(
  line: RawLine,
  index: number,
  number: number,
  from: number,
  to: number,
  spaced: boolean
): Candidate {
  const start = spaced ? from + 1 : from
  return {number, index, from, to, spaced, place: lineRange(line, start, to)}
}

/** In text order: the first candidate naming a note becomes its marker; the rest are reported. */
function resolveMarkers(file: VFile, candidates: Candidate[], list: NoteList): Marker[] {
  const byNumber = new Map(list.notes.map((note) => [note.number, note]))
  const markers: Marker[] = []
  const taken = new Map<number, Marker>()
  for (const item of candidates) {
    const note = byNumber.get(item.number)
    const earlier = taken.get(item.number)
    if (!note) {
      reportMarkerNoNote(file, item, list)
    } else if (earlier) {
      reportMarkerDuplicate(file, item, earlier)
    } else {
      const marker = {...item, note}
      taken.set(item.number, marker)
      markers.push(marker)
      if (item.spaced) reportSpacedMarker(file, marker)
    }
  }
  return markers
}

function reportMarkerNoNote(file: VFile, item: Candidate, list: NoteList): void {
  const message = file.message(
    `Unexpected note marker \`${item.number}\` with no note ${item.number} in the note list, ` +
      `expected a number from 1 to ${list.notes.length}; left as text`,
    {place: item.place, ruleId: 'import-marker-no-note', source}
  )
  message.actual = String(item.number)
}

function reportMarkerDuplicate(file: VFile, item: Candidate, earlier: Marker): void {
  const message = file.info(
    `Unexpected second marker \`${item.number}\`, note ${item.number} is already referenced; left as text`,
    {place: item.place, ruleId: 'import-marker-duplicate', source}
  )
  message.cause = earlierCause(earlier)
}

function earlierCause(earlier: Marker): Error {
  const {line, column} = earlier.place.start
  return new Error(`first referenced at ${line}:${column}`)
}

function reportSpacedMarker(file: VFile, marker: Marker): void {
  file.info(
    `Guessed that \`${marker.number}\` after a space is the marker of note ${marker.number}`,
    {place: marker.place, ruleId: 'import-marker-spaced', source}
  )
}

// ---------------------------------------------------------------------------------------------
// Lines to Markdown

/** Each line's text with markers replaced by references and stray `[^` escaped. */
function convertLines(lines: RawLine[], markers: Marker[]): string[] {
  const byLine = new Map<number, Marker[]>()
  for (const marker of markers) {
    byLine.set(marker.index, [...(byLine.get(marker.index) ?? []), marker])
  }
  return lines.map((line, index) => convertLine(line.text, byLine.get(index) ?? []))
}

function convertLine(text: string, markers: Marker[]): string {
  let result = ''
  let position = 0
  for (const marker of [...markers].sort((a, b) => a.from - b.from)) {
    result += escapeInline(text.slice(position, marker.from)) + `[^${marker.note.number}]`
    position = marker.to
  }
  return result + escapeInline(text.slice(position))
}

function escapeInline(text: string): string {
  return text.replace(/\[\^/g, '\\[^')
}

/** Escape what would start a construct the raw text did not mean (ATX heading, quote, code, …). */
function escapeLineStart(text: string): string {
  if (
    /^#{1,6}(?:[ \t]|$)/.test(text) ||
    /^>/.test(text) ||
    /^(?:`{3}|~{3})/.test(text) ||
    /^<[A-Za-z/!?]/.test(text) ||
    /^\[[^\]]*\]:/.test(text) ||
    /^(?:=+|-+)[ \t]*$/.test(text) ||
    /^([-*_])(?:[ \t]*\1){2,}[ \t]*$/.test(text)
  ) {
    return '\\' + text
  }
  return text
}

type Kind = 'heading' | 'list' | 'text'

function kindOf(text: string): Kind {
  if (wikiHeadingPattern.test(text)) return 'heading'
  if (listLinePattern.test(text)) return 'list'
  return 'text'
}

/** Raw blocks: runs of non-blank line indices, split at blank lines. */
function rawBlocks(lines: RawLine[]): number[][] {
  const blocks: number[][] = []
  let current: number[] = []
  lines.forEach((line, index) => {
    if (isBlank(line.text)) {
      if (current.length > 0) blocks.push(current)
      current = []
    } else {
      current.push(index)
    }
  })
  if (current.length > 0) blocks.push(current)
  return blocks
}

function renderBody(
  file: VFile,
  lines: RawLine[],
  converted: string[],
  inList: Set<number>,
  list: NoteList | undefined,
  matched: Set<Note>
): string[] {
  const blocks = rawBlocks(lines)
  const output: string[] = []
  let listDone = false
  blocks.forEach((block, position) => {
    const between = position > 0 && position < blocks.length - 1
    if (block.length === 1 && between && !inList.has(block[0]) && kindOf(lines[block[0]].text) === 'text') {
      const guessed = guessHeading(file, lines[block[0]], converted[block[0]])
      if (guessed) {
        output.push(guessed)
        return
      }
    }
    for (const segment of splitAtList(block, inList)) {
      if (!inList.has(segment[0])) {
        output.push(...renderBlock(segment, converted))
      } else if (!listDone && list) {
        output.push(...renderUnmatchedNotes(list, matched, converted))
        listDone = true
      }
    }
  })
  return output
}

/** Split a block into runs that are all inside or all outside the note list. */
function splitAtList(block: number[], inList: Set<number>): number[][] {
  const segments: number[][] = []
  for (const index of block) {
    const last = segments[segments.length - 1]
    if (last && inList.has(last[0]) === inList.has(index)) last.push(index)
    else segments.push([index])
  }
  return segments
}

/** Notes without a marker stay where the list was, as the numbered lines they were. */
function renderUnmatchedNotes(list: NoteList, matched: Set<Note>, converted: string[]): string[] {
  return list.notes
    .filter((note) => !matched.has(note))
    .map((note) => note.lines.map((index) => converted[index].trim()).join('\n'))
}

/** A block's lines grouped by kind: each heading alone, runs of list lines, runs of text lines. */
function renderBlock(block: number[], converted: string[]): string[] {
  const output: string[] = []
  let run: string[] = []
  let runKind: Kind | undefined
  const flush = () => {
    if (run.length > 0) output.push(run.join('\n'))
    run = []
  }
  for (const index of block) {
    const text = converted[index]
    const kind = kindOf(text)
    if (kind !== runKind || kind === 'heading') flush()
    runKind = kind
    run.push(renderLine(text, kind))
  }
  flush()
  return output
}

function renderLine(text: string, kind: Kind): string {
  if (kind === 'heading') {
    const match = wikiHeadingPattern.exec(text)!
    return '#'.repeat(match[1].length) + ' ' + match[2]
  }
  if (kind === 'list') return text.trim()
  return escapeLineStart(text.trim())
}

/** A short title-case line standing alone between blocks becomes `##`, reported as a guess. */
function guessHeading(file: VFile, line: RawLine, text: string): string | undefined {
  if (!looksLikeTitle(line.text)) return undefined
  const title = text.trim()
  const message = file.info(`Guessed a heading from the short title-case line \`${title}\``, {
    place: contentRange(line),
    ruleId: 'import-heading',
    source
  })
  message.expected = [`## ${title}`]
  return `## ${title}`
}

function looksLikeTitle(raw: string): boolean {
  const text = raw.trim()
  if (text.length === 0 || text.length > 80) return false
  if (/[.,;:!?…]["”’')\]]*$/u.test(text)) return false
  const words = text.split(/\s+/)
  if (words.length > 10 || !/\p{L}/u.test(text)) return false
  return words.every((word, position) => titleWord(word, position === 0))
}

function titleWord(word: string, first: boolean): boolean {
  const core = word.replace(/^[^\p{L}\p{N}]+/u, '')
  if (core === '') return true
  if (/^[\p{Lu}\p{Lt}\p{N}]/u.test(core)) return true
  return !first && minorWords.has(core.replace(/[^\p{L}]+$/u, ''))
}

function renderDefinition(note: Note): string {
  return `[^${note.number}]: ${escapeInline(note.text)}`
}
