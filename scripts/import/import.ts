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
 * - bracketed digits `[3]` (zero-padded `[05]` too), `<sup>3</sup>`, Unicode superscripts `³`, digits
 *   glued to a lower-case word (`word3`) and symbols `*`, `†`, `‡` after a word or punctuation;
 * and note lists as `1. …`, `[1] …`, `(1) …`, `1) …`, `¹ …` or `* …`, numbered from any number, under a
 * heading “Notes”, “Endnotes”, “Footnotes” or “References” or after the section they belong to; a list
 * is taken only when its entries pair with markers (or it is under such a heading). Numbers that
 * restart (a list per section, 1, 2, … each) get labels `s2-1`, `s2-2`, … from the second list on.
 * Only numbers that name a note in a list become references; without a note list nothing is a marker.
 *
 * Structure: wiki headings, “Chapter”/“Part” lines, Roman numerals and short all-caps or title-case
 * lines (also glued to the paragraph after them) become headings; indented blocks become block
 * quotations, verse (keeping its lines) or preformatted text; hard-wrapped lines are joined, a
 * line-end hyphen removed when the word is in the dictionary (each such join reported); `#title` and
 * `#author` lines go to the front matter; a Markdown copy-text is kept as it is; an HTML one is read
 * by `./html.ts`.
 */
import path from 'node:path'
import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import type {VFile} from 'vfile'
import {detectFormat} from '../collation/copy-text.ts'
import {importHtml} from './html.ts'

export interface ImportResult {
  markdown: string
  notes: {found: number; matched: number}
  /** The works the file holds, each as its own draft (one for most files). */
  works: ImportedWork[]
  /** Hyphens removed when joining hard-wrapped lines: `Ger-` + `man` → `German`. */
  joins: Array<{line: number; word: string}>
}

export interface ImportedWork {
  title: string
  author: string
  /** Lines of the copy-text this work occupies (1-based, inclusive). */
  lines: [number, number]
  markdown: string
  notes: {found: number; matched: number}
}

export interface ImportOptions {
  /** Start each draft with front matter (title, author, copytext, removed …) to complete. */
  frontMatter?: boolean
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

type Style = 'dot' | 'bracket' | 'paren' | 'close' | 'superscript' | 'symbol' | 'footnote'

/** One entry of a note list. */
interface Note {
  /** The source's number or symbol, as compared with markers: `5` for `[05]`, `*`. */
  key: string
  /** The footnote label in the draft (the key, prefixed when the numbering restarts). */
  label: string
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
  style: Style
  /** Indices of the first and last line of the list (inclusive). */
  first: number
  last: number
  /** Index of a “Notes” heading line just before the list, if any. */
  heading?: number
}

/** A possible note marker found in the text. */
interface Candidate {
  key: string
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

/** What a work's import records for its front matter and report. */
interface Work {
  first: number
  last: number
  title: string
  author: string
  /** Indices of lines taken out of the body (`#title`, a note list's heading), with the reason. */
  dropped: Map<number, string>
  /** The line the title was taken from, when it is the work's first line (it moves to the front matter). */
  titleLine?: number
}

interface Context {
  file: VFile
  lines: RawLine[]
  /** Lower-case words of the text and of the dictionary. */
  known: (word: string) => boolean
  /** Words written with a hyphen inside a line somewhere in the text (`well-known`). */
  hyphenated: Set<string>
  baseIndent: number
  wrapWidth: number
  joins: Array<{line: number; word: string}>
}

const source = 'reader'

/** Lowercase words a title-case line may contain. */
const minorWords = new Set([
  'a', 'an', 'and', 'as', 'at', 'but', 'by', 'de', 'del', 'der', 'des', 'du', 'et', 'for', 'from',
  'in', 'into', 'la', 'le', 'les', 'nor', 'of', 'on', 'or', 'the', 'to', 'van', 'via', 'von', 'vs',
  'with', 'y'
])

const superscripts = '⁰¹²³⁴⁵⁶⁷⁸⁹'
const symbolKey = '\\*{1,3}|†{1,2}|‡{1,2}|§'

const itemPatterns: Array<[Style, RegExp]> = [
  // Project Gutenberg's `[Footnote 1: …]`, closed by `]` at the end of its last line.
  ['footnote', /^([ \t]*)\[Footnote ([0-9]{1,3}|[A-Z]):[ \t]*(.*)$/],
  ['dot', /^([ \t]*)(\d{1,3})\.[ \t]+(\S.*)$/],
  ['bracket', /^([ \t]*)\[(\d{1,3})\][ \t]*(\S.*)$/],
  ['paren', /^([ \t]*)\((\d{1,3})\)[ \t]*(\S.*)$/],
  ['close', /^([ \t]*)(\d{1,3})\)[ \t]+(\S.*)$/],
  ['superscript', new RegExp(`^([ \\t]*)([${superscripts}]+)[ \\t]*(\\S.*)$`, 'u')],
  ['symbol', new RegExp(`^([ \\t]*)(${symbolKey})[ \\t]+(\\S.*)$`, 'u')]
]
const notesHeadingPattern =
  /^[ \t]*(?:#+[ \t]*)?(?:notes?|end[ -]?notes|foot[ -]?notes|references|notes and references)[ \t]*[:.]?[ \t]*$/i
const listLinePattern = /^[ \t]*-[ \t]+\S/
const wikiHeadingPattern = /^[ \t]*(={1,6})[ \t]*([^=\s](?:.*?\S)?)[ \t]*\1[ \t]*$/
const metaLinePattern = /^#(title|author|subtitle|date|source)\b[ \t]*:?[ \t]*(.*)$/i
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
/** Bracketed digits glued or spaced: `word[3]`, `said. [05]`. */
const bracketMarkerPattern = /(?<=[\p{L}\p{N}.,;:!?…”’"')\]_])( ?)\[0*([1-9]\d{0,2}|[A-Z])\](?!:)/gu
/** HTML superscripts: `<sup>3</sup>`, `<sup><a href="#n3">[3]</a></sup>`, `<sup>*</sup>`. */
const supMarkerPattern = /<sup>\s*(?:<a\b[^>]*>)?\s*\[?(\d{1,3}|[*†‡])\]?\s*(?:<\/a>)?\s*<\/sup>/giu
const unicodeMarkerPattern = new RegExp(`(?<=\\S)([${superscripts}]+)`, 'gu')
/** Digits glued to a lower-case word: `revolution3` (not `A4`, `COVID19`). */
const letterMarkerPattern = /(?<=\p{Ll}{2})([1-9]\d{0,2})(?=[\s.,;:!?)”’"]|$)/gu
const symbolMarkerPattern = new RegExp(`(?<=[\\p{L}\\p{N}.,;:!?…”’"')\\]])(${symbolKey})(?=[\\s.,;:!?”’"')]|$)`, 'gu')

let dictionary: Set<string> | undefined

/** The English word list (lower case), read once. */
function englishWords(): Set<string> {
  if (!dictionary) {
    try {
      // The word-list package's words.txt, found at run time: a checkout without it joins by the text's own words.
      const words = path.join(path.dirname(createRequire(import.meta.url).resolve('word-list')), 'words.txt')
      dictionary = new Set(readFileSync(words, 'utf8').split('\n'))
    } catch {
      dictionary = new Set()
    }
  }
  return dictionary
}

/**
 * Turn a raw copy-text into draft Markdown, reporting guesses and doubts on `file`.
 * Never throws on content.
 */
export function importCopyText(file: VFile, options: ImportOptions = {}): ImportResult {
  const text = file.toString()
  const format = text.trim() === '' ? 'text' : detectFormat(file.path || 'copy.txt', text)
  if (format === 'markdown') return keepMarkdown(file, text, options)
  if (format === 'html') return importHtml(file, text, options)
  const lines = splitLines(text)
  const context = makeContext(file, lines)
  const works = findWorks(context).map((work) => importWork(context, work, options))
  const markdown = works.map((work) => work.markdown).filter(Boolean).join('\n')
  const found = works.reduce((sum, work) => sum + work.notes.found, 0)
  const matched = works.reduce((sum, work) => sum + work.notes.matched, 0)
  return {markdown, notes: {found, matched}, works, joins: context.joins}
}

/** A copy-text already in Markdown is its own draft: only the front matter is added. */
function keepMarkdown(file: VFile, text: string, options: ImportOptions): ImportResult {
  const definitions = [...text.matchAll(/^\[\^([^\]\s]+)\]:/gm)].map((match) => match[1])
  const referenced = new Set([...text.matchAll(/\[\^([^\]\s]+)\](?!:)/g)].map((match) => match[1]))
  const matched = definitions.filter((label) => referenced.has(label)).length
  const title = /^#[ \t]+(.+)$/m.exec(text)?.[1].trim() ?? ''
  file.info('Kept the Markdown copy-text as it is (its notes, emphasis and quotations are already Markdown)', {
    place: {line: 1, column: 1},
    ruleId: 'import-markdown',
    source
  })
  const body = text.replace(/\r\n?/g, '\n').replace(/\n*$/, '\n')
  const lineCount = body.split('\n').length - 1
  const work: ImportedWork = {
    title,
    author: '',
    lines: [1, lineCount],
    notes: {found: definitions.length, matched},
    markdown: options.frontMatter ? frontMatter(file, {title, author: '', format: 'markdown', lines: undefined, removed: []}) + body : body
  }
  return {markdown: work.markdown, notes: work.notes, works: [work], joins: []}
}

function splitLines(text: string): RawLine[] {
  return text.split(/\r\n|\r|\n/).map((value, index) => ({text: value, line: index + 1}))
}

function isBlank(text: string): boolean {
  return text.trim() === ''
}

function indentOf(text: string): number {
  return /^[ \t]*/.exec(text)![0].replace(/\t/g, '    ').length
}

function lineRange(line: RawLine, from: number, to: number): Place {
  return {start: {line: line.line, column: from + 1}, end: {line: line.line, column: to + 1}}
}

function contentRange(line: RawLine): Place {
  const start = /^[ \t]*/.exec(line.text)![0].length
  return lineRange(line, start, line.text.trimEnd().length)
}

function makeContext(file: VFile, lines: RawLine[]): Context {
  const words = new Set<string>()
  const hyphenated = new Set<string>()
  const indents = new Map<number, number>()
  const lengths: number[] = []
  for (const line of lines) {
    for (const [word] of line.text.matchAll(/\p{L}+(?:-\p{L}+)*/gu)) {
      if (word.includes('-')) hyphenated.add(word.toLowerCase())
      for (const part of word.split('-')) words.add(part.toLowerCase())
    }
    if (!isBlank(line.text)) {
      indents.set(indentOf(line.text), (indents.get(indentOf(line.text)) ?? 0) + 1)
      lengths.push(line.text.trimEnd().length)
    }
  }
  lengths.sort((a, b) => a - b)
  // The body's margin: the smallest indentation a fair share of the lines have (quotations are fewer).
  const total = lengths.length
  const baseIndent = [...indents.entries()].sort((a, b) => a[0] - b[0]).find(([, count]) => count >= total * 0.2)?.[0] ?? 0
  const wrapWidth = lengths[Math.floor(lengths.length * 0.9)] ?? 80
  const english = englishWords()
  return {
    file,
    lines,
    known: (word) => words.has(word.toLowerCase()) || english.has(word.toLowerCase()),
    hyphenated,
    baseIndent,
    wrapWidth,
    joins: []
  }
}

// ---------------------------------------------------------------------------------------------
// Works

/**
 * The works of a file: one, unless `#title` lines, or title lines followed by a `by …` line, mark the
 * start of several. Each work's `#title`/`#author` lines are taken into its front matter.
 */
function findWorks(context: Context): Work[] {
  const {lines, file} = context
  const starts: number[] = []
  lines.forEach((line, index) => {
    if (/^#title\b/i.test(line.text)) starts.push(index)
  })
  if (starts.length < 2) {
    const bylines: number[] = []
    lines.forEach((line, index) => {
      if (!/^[ \t]*by[ \t]+\p{Lu}[\p{L}.' -]+$/iu.test(line.text)) return
      let title = index - 1
      while (title >= 0 && isBlank(lines[title].text)) title--
      if (title >= 0 && title >= index - 2 && looksLikeTitle(lines[title].text)) bylines.push(title)
    })
    if (bylines.length >= 2) {
      starts.length = 0
      starts.push(...bylines)
    }
  }
  if (starts.length < 2) starts.splice(0, starts.length, 0)
  else if (starts[0] !== 0 && lines.slice(0, starts[0]).some((line) => !isBlank(line.text))) starts.unshift(0)

  const works = starts.map((first, position): Work => {
    const last = (starts[position + 1] ?? lines.length) - 1
    const work: Work = {first, last, title: '', author: '', dropped: new Map()}
    for (let index = first; index <= last; index++) {
      const meta = metaLinePattern.exec(lines[index].text)
      if (!meta) continue
      const key = meta[1].toLowerCase()
      if (key === 'title' && !work.title) work.title = meta[2].trim()
      if (key === 'author' && !work.author) work.author = meta[2].trim()
      work.dropped.set(index, `the copy-text’s \`#${key}\` line (in the front matter)`)
    }
    if (!work.title) {
      for (let index = first; index <= last; index++) {
        if (isBlank(lines[index].text) || work.dropped.has(index)) continue
        // Not a line carrying a note marker: the marker must stay in the body with its note.
        const marked = /\[[0-9A-Z]{1,3}\]|\(\d{1,3}\)|<sup>|\d$/.test(lines[index].text.trim())
        if (!marked && /^[ \t]*\p{L}/u.test(lines[index].text) && looksLikeTitle(lines[index].text)) {
          work.title = lines[index].text.trim()
          work.titleLine = index
        }
        break
      }
    }
    if (!work.author) {
      for (let index = first; index <= Math.min(last, first + 6); index++) {
        const by = /^[ \t]*by[ \t]+(\p{Lu}[\p{L}.' -]+)$/iu.exec(lines[index].text)
        if (by) {
          work.author = by[1].trim()
          break
        }
      }
    }
    return work
  })
  if (works.length > 1) {
    file.info(
      `Guessed ${works.length} works in one file (starting at lines ${works.map((work) => lines[work.first].line).join(', ')}), each a draft of its own`,
      {place: {line: lines[works[1].first].line, column: 1}, ruleId: 'import-works', source}
    )
  }
  return works
}

function importWork(context: Context, work: Work, options: ImportOptions): ImportedWork {
  const {file} = context
  // The work's lines; the rest of the file, and the lines taken out, read as blank.
  // The title line goes to the front matter's `title` (collation reads it there), when there is one.
  const titleLine = options.frontMatter ? work.titleLine : undefined
  const lines = context.lines.map((line, index) =>
    index < work.first || index > work.last || work.dropped.has(index) || index === titleLine ? {text: '', line: line.line} : line
  )
  const lists = findNoteLists(lines)
  const accepted: NoteList[] = []
  const markers: Marker[] = []
  let scopeStart = work.first
  const matched = new Set<Note>()
  for (const list of lists) {
    const scope = new Set<number>()
    for (let index = scopeStart; index < list.first; index++) scope.add(index)
    const quiet = new VFileProbe()
    const found = resolveMarkers(quiet, findCandidates(lines, scope, list), list)
    const pairs = new Set(found.map((marker) => marker.note)).size
    const headed = list.heading !== undefined
    if (!(headed || pairs >= Math.max(1, Math.ceil(list.notes.length / 2)))) continue
    quiet.replay(file)
    accepted.push(list)
    markers.push(...found)
    for (const marker of found) matched.add(marker.note)
    scopeStart = list.last + 1
    if (headed) work.dropped.set(list.heading!, 'the heading of the note list (the notes print under the book’s own)')
  }
  labelNotes(accepted)
  const inList = new Set<number>()
  for (const list of accepted) for (let i = list.first; i <= list.last; i++) inList.add(i)
  for (const list of accepted) reportNoteList(file, list, matched)
  for (const index of work.dropped.keys()) lines[index] = {text: '', line: lines[index].line}

  const converted = convertLines(lines, markers)
  const blocks = renderBody(context, lines, converted, inList, accepted, matched)
  const all = blocks
  const body = all.length > 0 ? all.join('\n\n') + '\n' : ''
  const found = accepted.reduce((sum, list) => sum + list.notes.length, 0)
  const removed = [...work.dropped.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([index, why]) => ({text: context.lines[index].text, why}))
  const whole = work.first === 0 && work.last === context.lines.length - 1
  const range: [number, number] = [context.lines[work.first].line, context.lines[work.last]?.line ?? context.lines.length]
  return {
    title: work.title,
    author: work.author,
    lines: range,
    notes: {found, matched: matched.size},
    markdown:
      options.frontMatter && body
        ? frontMatter(file, {title: work.title, author: work.author, format: 'text', lines: whole ? undefined : range, removed}) + body
        : body
  }
}

interface ProbeOptions {
  place: Place
  ruleId: string
  source: string
}

/** Messages held back until a note list is accepted (a list that pairs with nothing says nothing). */
class VFileProbe {
  private calls: Array<(file: VFile) => void> = []
  message(reason: string, options: ProbeOptions, extra?: (message: ReturnType<VFile['message']>) => void) {
    this.calls.push((file) => {
      const message = file.message(reason, options)
      extra?.(message)
    })
  }
  info(reason: string, options: ProbeOptions, extra?: (message: ReturnType<VFile['info']>) => void) {
    this.calls.push((file) => {
      const message = file.info(reason, options)
      extra?.(message)
    })
  }
  replay(file: VFile) {
    for (const call of this.calls) call(file)
  }
}

function yamlString(value: string): string {
  return JSON.stringify(value)
}

/** The front matter a draft starts with, for the editor to complete. */
export function frontMatter(
  file: VFile,
  work: {title: string; subtitle?: string; author: string; format: string; lines: [number, number] | undefined; removed: Array<{text: string; why: string}>}
): string {
  const out = [
    '---',
    `title: ${yamlString(work.title)}`,
    ...(work.subtitle ? [`subtitle: ${yamlString(work.subtitle)}`] : []),
    `author: ${yamlString(work.author)}`,
    'kind: essay',
    `copytext: ${yamlString(path.basename(file.path || 'copy.txt'))}`,
    `copytext_format: ${work.format}`
  ]
  if (work.lines) out.push(`copytext_lines: ${work.lines[0]}-${work.lines[1]}`)
  if (work.removed.length > 0) {
    out.push('removed:')
    for (const removal of work.removed) out.push(`  - text: ${yamlString(removal.text)}`, `    why: ${yamlString(removal.why)}`)
  }
  out.push('---', '')
  return out.join('\n') + '\n'
}

// ---------------------------------------------------------------------------------------------
// Note lists

function parseItem(text: string): {style: Style; indent: number; key: string; body: string; width: number} | undefined {
  for (const [style, pattern] of itemPatterns) {
    const match = pattern.exec(text)
    if (!match) continue
    const raw = match[2]
    const key =
      style === 'superscript'
        ? String(Number([...raw].map((char) => superscripts.indexOf(char)).join('')))
        : style === 'symbol' || /^[A-Z]$/.test(raw)
          ? raw
          : String(Number(raw))
    const mark = text.slice(match[1].length, text.length - match[3].length).trimEnd()
    return {style, indent: match[1].length, key, body: match[3].trim(), width: mark.length}
  }
  return undefined
}

/** The key expected after `key` in a list of `style`. */
function nextKey(style: Style, key: string): string[] {
  if (/^[A-Z]$/.test(key)) return [String.fromCharCode(key.charCodeAt(0) + 1)]
  if (style !== 'symbol') return [String(Number(key) + 1)]
  const order = ['*', '†', '‡', '§']
  const position = order.indexOf(key)
  return [key + key[0], ...(position >= 0 && position < order.length - 1 ? [order[position + 1]] : [])]
}

/** Every run of note-like entries with consecutive numbers (any start), in text order. */
function findNoteLists(lines: RawLine[]): NoteList[] {
  const lists: NoteList[] = []
  let index = 0
  while (index < lines.length) {
    const item = parseItem(lines[index].text)
    if (!item) {
      index++
      continue
    }
    const list = readNoteList(lines, index, item.style)
    let before = index - 1
    while (before >= 0 && isBlank(lines[before].text)) before--
    if (before >= 0 && notesHeadingPattern.test(lines[before].text)) list.heading = before
    lists.push(list)
    index = list.last + 1
  }
  return lists
}

function readNoteList(lines: RawLine[], first: number, style: Style): NoteList {
  const notes: Note[] = []
  let index = first
  let expected: string[] | undefined
  while (true) {
    const note = readNote(lines, index, style, expected)
    if (!note) break
    notes.push(note)
    expected = nextKey(style, note.key)
    index = note.lines[note.lines.length - 1] + 1
    while (index < lines.length && isBlank(lines[index].text)) index++
  }
  const lastNote = notes[notes.length - 1]
  return {notes, style, first, last: lastNote.lines[lastNote.lines.length - 1]}
}

/** The entry at `index` (of `style`, with one of the `expected` keys), with its continuation lines. */
function readNote(lines: RawLine[], index: number, style: Style, expected: string[] | undefined): Note | undefined {
  if (index >= lines.length) return undefined
  const line = lines[index]
  const item = parseItem(line.text)
  if (!item || item.style !== style || (expected && !expected.includes(item.key))) return undefined
  const parts = [item.body]
  const indices = [index]
  let next = index + 1
  if (style === 'footnote') {
    // Up to the line ending with the closing bracket (blank lines inside a long note included).
    let end = index
    while (!/\][ \t]*$/.test(lines[end].text) && end + 1 < lines.length && end - index < 200) end++
    for (let i = index + 1; i <= end; i++) {
      if (!isBlank(lines[i].text)) parts.push(lines[i].text.trim())
      indices.push(i)
    }
    parts[parts.length - 1] = parts[parts.length - 1].replace(/\][ \t]*$/, '')
    next = end + 1
  }
  while (style !== 'footnote' && next < lines.length && isContinuation(lines[next].text, item.indent)) {
    parts.push(lines[next].text.trim())
    indices.push(next)
    next++
  }
  const start = /^[ \t]*/.exec(line.text)![0].length
  return {
    key: item.key,
    label: item.key,
    text: parts.join(' '),
    index,
    lines: indices,
    place: lineRange(line, start, start + item.width)
  }
}

function isContinuation(text: string, indent: number): boolean {
  if (isBlank(text) || parseItem(text)) return false
  const own = indentOf(text)
  return own > indent || (indent === 0 && own === 0)
}

/**
 * Labels: the source's keys. Numbering that restarts (a key seen again) starts a new sequence, whose
 * labels are prefixed `s2-`, `s3-`, …; the first sequence keeps the bare keys.
 */
function labelNotes(lists: NoteList[]): void {
  let sequence = 1
  let seen = new Set<string>()
  for (const list of lists) {
    if (list.notes.some((note) => seen.has(note.key))) {
      sequence++
      seen = new Set()
    }
    for (const note of list.notes) {
      note.label = sequence > 1 ? `s${sequence}-${note.key}` : note.key
      seen.add(note.key)
    }
  }
}

function reportNoteList(file: VFile, list: NoteList, matched: Set<Note>): void {
  const first = list.notes[0]
  const last = list.notes[list.notes.length - 1]
  const count = list.notes.filter((note) => matched.has(note)).length
  const message = file.info(
    `Guessed a note list of ${list.notes.length} ${list.notes.length === 1 ? 'entry' : 'entries'} ` +
      `(lines ${first.place.start.line}–${last.place.start.line}), ${count} with a marker in the text`,
    {place: {start: first.place.start, end: last.place.end}, ruleId: 'import-note-list', source}
  )
  message.actual = String(list.notes.length)
  for (const note of list.notes) {
    if (matched.has(note)) continue
    const example = /^\d+$/.test(note.key) ? `\`.${note.key}\` or \`(${note.key})\`` : `\`${note.key}\``
    const warning = file.message(
      `Unexpected note ${note.key} with no marker in the text, expected a marker such as ${example}; left as a list item`,
      {place: note.place, ruleId: 'import-note-no-marker', source}
    )
    warning.expected = [`[^${note.label}]`]
  }
}

// ---------------------------------------------------------------------------------------------
// Markers

function findCandidates(lines: RawLine[], scope: Set<number>, list: NoteList): Candidate[] {
  const candidates: Candidate[] = []
  const symbols = list.style === 'symbol'
  for (const index of [...scope].sort((a, b) => a - b)) {
    candidates.push(...candidatesInLine(lines[index], index, symbols))
  }
  return candidates
}

function candidatesInLine(line: RawLine, index: number, symbols: boolean): Candidate[] {
  const found: Candidate[] = []
  const add = (pattern: RegExp, group: number, spacedGroup?: number, toKey = (raw: string) => String(Number(raw))) => {
    for (const match of line.text.matchAll(pattern)) {
      const from = match.index!
      const spaced = spacedGroup === undefined ? false : match[spacedGroup] !== ''
      found.push(candidate(line, index, toKey(match[group]), from, from + match[0].length, spaced))
    }
  }
  add(gluedMarkerPattern, 1)
  for (const match of line.text.matchAll(spacedMarkerPattern)) {
    const from = match.index!
    found.push(candidate(line, index, match[1], from, from + match[0].length, true))
  }
  add(parenMarkerPattern, 2, 1)
  add(bracketMarkerPattern, 2, 1, (raw) => (/^\d+$/.test(raw) ? String(Number(raw)) : raw))
  add(supMarkerPattern, 1, undefined, (raw) => (/^\d+$/.test(raw) ? String(Number(raw)) : raw))
  add(unicodeMarkerPattern, 1, undefined, (raw) => String(Number([...raw].map((char) => superscripts.indexOf(char)).join(''))))
  add(letterMarkerPattern, 1)
  if (symbols) add(symbolMarkerPattern, 1, undefined, (raw) => raw)
  return found
    .sort((a, b) => a.from - b.from || b.to - a.to)
    .filter((item, position, all) => position === 0 || all[position - 1].to <= item.from)
}

function candidate(line: RawLine, index: number, key: string, from: number, to: number, spaced: boolean): Candidate {
  const start = spaced ? from + 1 : from
  return {key, index, from, to, spaced, place: lineRange(line, start, to)}
}

type Reporter = Pick<VFileProbe, 'message' | 'info'>

/** In text order: the first candidate naming a note becomes its marker; the rest are reported. */
function resolveMarkers(file: Reporter, candidates: Candidate[], list: NoteList): Marker[] {
  const byKey = new Map(list.notes.map((note) => [note.key, note]))
  const markers: Marker[] = []
  const taken = new Map<string, Marker>()
  for (const item of candidates) {
    const note = byKey.get(item.key)
    const earlier = taken.get(item.key)
    if (!note) {
      reportMarkerNoNote(file, item, list)
    } else if (earlier) {
      const {line, column} = earlier.place.start
      file.info(
        `Unexpected second marker \`${item.key}\`, note ${item.key} is already referenced; left as text`,
        {place: item.place, ruleId: 'import-marker-duplicate', source},
        (message) => (message.cause = new Error(`first referenced at ${line}:${column}`))
      )
    } else {
      const marker = {...item, note}
      taken.set(item.key, marker)
      markers.push(marker)
      if (item.spaced) {
        file.info(`Guessed that \`${item.key}\` after a space is the marker of note ${item.key}`, {
          place: marker.place,
          ruleId: 'import-marker-spaced',
          source
        })
      }
    }
  }
  return markers
}

function reportMarkerNoNote(file: Reporter, item: Candidate, list: NoteList): void {
  const keys = list.notes.map((note) => note.key)
  file.message(
    `Unexpected note marker \`${item.key}\` with no note ${item.key} in the note list, ` +
      `expected ${list.style === 'symbol' ? keys.map((key) => `\`${key}\``).join(' or ') : `a number from ${keys[0]} to ${keys[keys.length - 1]}`}; left as text`,
    {place: item.place, ruleId: 'import-marker-no-note', source},
    (message) => (message.actual = item.key)
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
    result += escapeInline(text.slice(position, marker.from)) + `[^${marker.note.label}]`
    position = marker.to
  }
  return result + escapeInline(text.slice(position))
}

function escapeInline(text: string): string {
  return text.replace(/\[\^/g, '\\[^')
}

/** Escape what would start a construct the raw text did not mean (ATX heading, quote, code, list, …). */
function escapeLineStart(text: string): string {
  if (
    /^#{1,6}(?:[ \t]|$)/.test(text) ||
    /^>/.test(text) ||
    /^(?:`{3}|~{3})/.test(text) ||
    /^<[A-Za-z/!?]/.test(text) ||
    /^\[[^\]]*\]:/.test(text) ||
    /^(?:=+|-+)[ \t]*$/.test(text) ||
    /^([-*_])(?:[ \t]*\1){2,}[ \t]*$/.test(text) ||
    /^[*+][ \t]/.test(text)
  ) {
    return '\\' + text
  }
  // `4. (MANUSCRIPT)` is not an ordered list.
  const ordered = /^(\d{1,9})([.)])(?=[ \t]|$)/.exec(text)
  if (ordered) return ordered[1] + '\\' + text.slice(ordered[1].length)
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
  context: Context,
  lines: RawLine[],
  converted: string[],
  inList: Set<number>,
  lists: NoteList[],
  matched: Set<Note>
): string[] {
  const {file} = context
  const blocks = rawBlocks(lines)
  const output: string[] = []
  const listsDone = new Set<NoteList>()
  const hasParts = lines.some((line) => /^[ \t]*(?:\*[ \t]+)?part[ \t]+([ivxlc]+|\d+|[a-z]+)\b/i.test(line.text))
  blocks.forEach((block, position) => {
    const between = position > 0 && position < blocks.length - 1
    let rest = block
    if (!inList.has(block[0]) && kindOf(lines[block[0]].text) === 'text') {
      // A heading standing alone, or glued to the paragraph after it.
      const guessed = guessHeading(file, lines[block[0]], converted[block[0]], {
        alone: block.length === 1,
        between: between || block.length > 1,
        first: position === 0 && blocks.length > 1,
        hasParts
      })
      if (guessed) {
        output.push(guessed)
        rest = block.slice(1)
        if (rest.length === 0) return
      }
    }
    for (const segment of splitAtList(rest, inList)) {
      if (!inList.has(segment[0])) {
        output.push(...renderBlock(context, segment, lines, converted))
        continue
      }
      const list = lists.find((candidate) => segment[0] >= candidate.first && segment[0] <= candidate.last)
      if (list && !listsDone.has(list)) {
        output.push(...renderNotesInPlace(list, matched, converted))
        listsDone.add(list)
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

/**
 * A note list where it was, in the copy-text's order (so that collation reads the two in the same
 * order): each note with a marker as a footnote definition, one without as the lines it was.
 */
function renderNotesInPlace(list: NoteList, matched: Set<Note>, converted: string[]): string[] {
  return list.notes.map((note) =>
    matched.has(note) ? renderDefinition(note) : note.lines.map((index) => converted[index].trim()).filter(Boolean).join('\n')
  )
}

/** A block's lines grouped by kind; an indented block is a quotation, verse or preformatted text. */
function renderBlock(context: Context, block: number[], lines: RawLine[], converted: string[]): string[] {
  const indented = block.every((index) => indentOf(lines[index].text) >= context.baseIndent + 2)
  const kinds = block.map((index) => kindOf(converted[index]))
  if (indented && kinds.every((kind) => kind === 'text')) return [renderIndented(context, block, lines, converted)]
  if (!indented && block.length > 1 && kinds.every((kind) => kind === 'text') && looksPreformatted(block.map((i) => lines[i].text))) {
    return [renderIndented(context, block, lines, converted)]
  }
  if (!indented && kinds.every((kind) => kind === 'text') && looksLikeVerse(context, block.map((i) => lines[i].text))) {
    context.file.info(`Guessed verse from short lines that start with capitals, kept line by line`, {
      place: contentRange(lines[block[0]]),
      ruleId: 'import-verse',
      source
    })
    return [block.map((index, position) => escapeLineStart(converted[index].trim()) + (position < block.length - 1 ? '\\' : '')).join('\n')]
  }
  const output: string[] = []
  let run: number[] = []
  let runKind: Kind | undefined
  const flush = () => {
    if (run.length === 0) return
    if (runKind === 'text') output.push(joinWrapped(context, run, converted).map(escapeLineStart).join('\n'))
    else output.push(run.map((index) => renderLine(converted[index], runKind!)).join('\n'))
    run = []
  }
  for (const index of block) {
    const kind = kindOf(converted[index])
    if (kind !== runKind || kind === 'heading') flush()
    runKind = kind
    run.push(index)
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

/** Three lines or more, all well short of the text's line width, most starting with a capital: a stanza. */
function looksLikeVerse(context: Context, texts: string[]): boolean {
  if (texts.length < 3 || context.wrapWidth < 50) return false
  const lengths = texts.map((text) => text.trim().length)
  const capitals = texts.filter((text) => /^[ \t]*["“‘'(]?\p{Lu}/u.test(text)).length
  return Math.max(...lengths) < context.wrapWidth * 0.75 && capitals >= texts.length * 0.75
}

/** Lines with runs of spaces inside them, or drawn with `|`, `+--`, box characters: a table or a diagram. */
function looksPreformatted(texts: string[]): boolean {
  const drawn = texts.filter((text) => /\S {3,}\S|[|+]-{2,}|-{2,}[|+]|[─│┌┐└┘├┤┬┴┼═║]|^[ \t]*\|/u.test(text.trimEnd()))
  return drawn.length >= Math.max(2, Math.ceil(texts.length / 2))
}

/** An indented block: preformatted text, verse (short lines, kept) or a block quotation. */
function renderIndented(context: Context, block: number[], lines: RawLine[], converted: string[]): string {
  const texts = block.map((index) => lines[index].text)
  const first = lines[block[0]]
  if (looksPreformatted(texts)) {
    const strip = Math.min(...texts.map((text) => /^[ \t]*/.exec(text)![0].length))
    context.file.info(`Guessed preformatted text (a table or diagram) from its spacing, kept as it is`, {
      place: contentRange(first),
      ruleId: 'import-preformatted',
      source
    })
    return '```text\n' + texts.map((text) => text.slice(strip).trimEnd()).join('\n') + '\n```'
  }
  const lengths = block.map((index) => lines[index].text.trim().length)
  const verse = block.length >= 2 && Math.max(...lengths) < context.wrapWidth * 0.75 && Math.max(...lengths) < 60
  if (verse) {
    context.file.info(`Guessed verse from short indented lines, kept line by line`, {
      place: contentRange(first),
      ruleId: 'import-verse',
      source
    })
    return block
      .map((index, position) => '> ' + escapeLineStart(converted[index].trim()) + (position < block.length - 1 ? '\\' : ''))
      .join('\n')
  }
  context.file.info(`Guessed a block quotation from the indentation`, {place: contentRange(first), ruleId: 'import-quotation', source})
  return joinWrapped(context, block, converted)
    .map((text) => '> ' + escapeLineStart(text))
    .join('\n')
}

/**
 * The lines of a hard-wrapped paragraph, trimmed, with a line-end hyphen or dash joined to the next
 * line: `Ger-` + `man` is `German` when the dictionary knows the word (the join is reported),
 * `well-` + `known` stays `well-known`; `word--` + `word` is `word--word`.
 */
function joinWrapped(context: Context, run: number[], converted: string[]): string[] {
  const out: string[] = []
  for (const index of run) {
    const text = converted[index].trim()
    const previous = out.length > 0 ? out[out.length - 1] : undefined
    if (previous !== undefined && /(?:--|[—–])$/u.test(previous)) {
      out[out.length - 1] = previous + text
      continue
    }
    const hyphen = previous !== undefined ? /(\p{L}+)-$/u.exec(previous) : null
    const next = /^(\p{Ll}[\p{L}]*)/u.exec(text)
    if (previous !== undefined && hyphen && next && !/--$/.test(previous)) {
      const joined = hyphen[1] + next[1]
      const compound = `${hyphen[1]}-${next[1]}`.toLowerCase()
      if (!context.hyphenated.has(compound) && context.known(joined)) {
        out[out.length - 1] = previous.slice(0, -1) + text
        const line = context.lines[index - 1]?.line ?? context.lines[index].line
        context.joins.push({line, word: joined})
        context.file.info(`Joined \`${hyphen[1]}-\` and \`${next[1]}\` as \`${joined}\` (a line-end hyphen; the word is in the dictionary)`, {
          place: {line, column: previous.length},
          ruleId: 'import-hyphen',
          source
        })
      } else {
        out[out.length - 1] = previous + text
      }
      continue
    }
    out.push(text)
  }
  return out
}

const monthPattern =
  /\b(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\b/
const sectionWordPattern = /^(?:\*[ \t]+)?(chapter|part|book|section|lecture|letter|canto|act|scene)[ \t]+([ivxlcdm]+|\d+|[a-z]+)\b[.:]?/i
const romanPattern = /^([IVXLC]{1,7})\.?(?:[ \t]+(.*))?$/

/**
 * A heading from a line: `Chapter I`, `PART 2`, a Roman numeral, a short all-caps line, or a short
 * title-case line standing alone between blocks. Reported as a guess with its line.
 */
function guessHeading(
  file: VFile,
  line: RawLine,
  text: string,
  where: {alone: boolean; between: boolean; hasParts: boolean; first?: boolean}
): string | undefined {
  const raw = line.text.trim()
  if (raw.length === 0 || raw.length > 80) return undefined
  // A line with a note reference, or two sentences, is no title.
  const sentence = /[.!?]["”’)]?\s+\p{Lu}/u.test(raw)
  const dateline = monthPattern.test(raw) || /,[ \t]*\d{3,4}\.?$/.test(raw) || /^\d{1,2}(?:st|nd|rd|th)?\b/.test(raw)
  let depth = 0
  let why = ''
  const section = sectionWordPattern.exec(raw)
  const roman = romanPattern.exec(raw)
  if (section && (where.alone || raw.length < 60) && !/[,;]$/.test(raw)) {
    depth = /^(?:\*[ \t]+)?(part|book)\b/i.test(raw) || !where.hasParts ? 2 : 3
    why = `a \`${section[1]}\` line`
  } else if (roman && (!roman[2] || isCapsOrTitle(roman[2])) && !/^(?:I|A)$/.test(raw)) {
    depth = where.hasParts ? 3 : 2
    why = 'a Roman numeral'
  } else if (dateline) {
    return undefined
  } else if (/^\d{1,4}\.$/.test(raw) && where.alone && where.between) {
    depth = where.hasParts ? 3 : 2
    why = 'a number standing alone'
  } else if (isAllCaps(raw) && (where.between || where.first) && raw.split(/\s+/).length <= 12 && !/(?:[,;:]|--|[—–])$/.test(raw)) {
    depth = 2
    why = 'a short all-caps line'
  } else if (where.alone && where.between && !sentence && !text.includes('[^') && !/^\[/.test(raw) && looksLikeTitle(line.text)) {
    depth = 2
    why = 'a short title-case line'
  } else {
    return undefined
  }
  const title = text.trim().replace(/^\*[ \t]+/, '')
  const message = file.info(`Guessed a heading from ${why} \`${title}\`${where.alone ? '' : ', glued to the paragraph after it'}`, {
    place: contentRange(line),
    ruleId: 'import-heading',
    source
  })
  const heading = `${'#'.repeat(depth)} ${title}`
  message.expected = [heading]
  return heading
}

/** Upper case but for a few short words (`ORIGIN OF SONG vs. ORIGIN OF MUSIC`). */
function isAllCaps(text: string): boolean {
  const letters = text.replace(/[^\p{L}]/gu, '')
  if (letters.length < 3 || letters === letters.toLowerCase()) return false
  const lower = [...letters].filter((char) => char !== char.toUpperCase()).length
  return lower <= letters.length * 0.1 && text.split(/\s+/).every((word) => word === word.toUpperCase() || word.length <= 4)
}

function isCapsOrTitle(text: string): boolean {
  return isAllCaps(text) || looksLikeTitle(text)
}

function looksLikeTitle(raw: string): boolean {
  const text = raw.trim()
  if (text.length === 0 || text.length > 80) return false
  if (/[.,;:!?…]["”’')\]_*]*$/u.test(text)) return false
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
  return `[^${note.label}]: ${escapeInline(note.text)}`
}
