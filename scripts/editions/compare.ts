/**
 * Compare two editions (two build folders read by `loadEdition`): every textual change word by word
 * with its place in both, notes added, removed or renumbered, index entries whose pages moved, and
 * for each printed page whether it changed and whether its page breaks held — what a printer needs
 * for a reprint with corrections, and the errata list.
 */
import {isProfileId, paperOf, profiles, spineWidth} from '../print/profiles.ts'
import {diffArrays} from 'diff'
import type {Edition, Segment, Token} from './edition.ts'

export interface Place {
  /** The part’s id in the reader HTML (`t-penick-at-liberations-heart`). */
  part: string
  title: string
  /** 1-based paragraph of the part; 0 for a heading or list item. */
  paragraph: number
  /** `data-b` of the block. */
  block: number | null
  /** The note’s mark when the change is in a footnote. */
  note?: string
  page: string
  /** 1-based line on the page (the running head not counted), when found in the PDF’s text. */
  line?: number
}

export interface TextChange {
  /** `text`: in what the editor wrote (texts, editorial matter); `apparatus`: in what the pipeline generates from it (textual notes, contents, index). */
  kind: 'text' | 'apparatus'
  was: string
  now: string
  old: Place
  new: Place
  /** A few words either side, from the new edition. */
  before: string
  after: string
}

export interface NoteChange {
  change: 'added' | 'removed' | 'renumbered' | 'revised'
  part: string
  title: string
  oldMark?: string
  newMark?: string
  oldPage?: string
  newPage?: string
  text: string
}

export interface IndexChange {
  entry: string
  term: string
  old: string[]
  new: string[]
}

export type PageStatus = 'unchanged' | 'corrected' | 'reflowed' | 'added' | 'removed'

export interface PageChange {
  label: string
  status: PageStatus
  /** The part the page belongs to (in the new edition when it has the page). */
  title: string
}

export interface ErrataEntry {
  page: string
  line?: number
  note?: string
  was: string
  now: string
}

export interface EditionDiff {
  old: {dir: string; edition: Edition['edition']; pages: number}
  new: {dir: string; edition: Edition['edition']; pages: number}
  changes: TextChange[]
  notes: NoteChange[]
  index: IndexChange[]
  pages: PageChange[]
  /** Instructions for the printer, one sentence each. */
  printer: string[]
  /** Corrections by page and line of the old edition. */
  errata: ErrataEntry[]
}

export function compareEditions(older: Edition, newer: Edition): EditionDiff {
  const changes: TextChange[] = []
  const oldToNew = new Int32Array(older.tokens.length).fill(-1)
  const parts = diffArrays(
    older.tokens.map((t) => t.text),
    newer.tokens.map((t) => t.text)
  )
  let oi = 0
  let ni = 0
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]
    if (!part.added && !part.removed) {
      for (let k = 0; k < part.count!; k++) oldToNew[oi + k] = ni + k
      oi += part.count!
      ni += part.count!
      continue
    }
    let removed = 0
    let added = 0
    while (i < parts.length && (parts[i].added || parts[i].removed)) {
      if (parts[i].removed) removed += parts[i].count!
      else added += parts[i].count!
      i++
    }
    i--
    changes.push(...hunk(older, newer, oi, removed, ni, added))
    oi += removed
    ni += added
  }

  const pages = comparePages(older, newer, oldToNew)
  return {
    old: {dir: older.dir, edition: older.edition, pages: older.pagination.pages},
    new: {dir: newer.dir, edition: newer.edition, pages: newer.pagination.pages},
    changes,
    notes: compareNotes(older, newer),
    index: compareIndex(older, newer),
    pages,
    printer: printerInstructions(pages, older, newer),
    errata: changes
      .filter((c) => c.kind === 'text')
      .map((c) => ({page: c.old.page, line: c.old.line, ...(c.old.note ? {note: c.old.note} : {}), was: c.was, now: c.now}))
  }
}

// ---------------------------------------------------------------------------------------------
// Words

/** One run of removed and added tokens, split where it crosses segments of different parts. */
function hunk(older: Edition, newer: Edition, oi: number, removed: number, ni: number, added: number): TextChange[] {
  const oldTokens = older.tokens.slice(oi, oi + removed)
  const newTokens = newer.tokens.slice(ni, ni + added)
  // Where an insertion or deletion sits on the other side: the token before it (or after, at the start).
  const oldAnchor = removed ? oi : Math.max(0, oi - 1)
  const newAnchor = added ? ni : Math.max(0, ni - 1)
  const oldSegment = older.segments[older.tokens[oldAnchor]?.segment ?? 0]
  const newSegment = newer.segments[newer.tokens[newAnchor]?.segment ?? 0]
  const kind: TextChange['kind'] = (newTokens.length ? newSegment : oldSegment).generated ? 'apparatus' : 'text'
  const before = newer.tokens.slice(Math.max(0, ni - 6), ni)
  const after = newer.tokens.slice(ni + added, ni + added + 6)
  return [
    {
      kind,
      was: spell(older, oldTokens),
      now: spell(newer, newTokens),
      old: place(older, oldAnchor),
      new: place(newer, newAnchor),
      before: spell(newer, before.filter((t) => t.segment === (newTokens[0]?.segment ?? newer.tokens[newAnchor]?.segment))),
      after: spell(newer, after.filter((t) => t.segment === (newTokens.at(-1)?.segment ?? newer.tokens[newAnchor]?.segment)))
    }
  ]
}

/** Tokens as they are written (with their spacing), paragraphs joined with ` ¶ `. */
function spell(edition: Edition, tokens: Token[]): string {
  if (!tokens.length) return ''
  const pieces: string[] = []
  let i = 0
  while (i < tokens.length) {
    let j = i
    while (j + 1 < tokens.length && tokens[j + 1].segment === tokens[i].segment) j++
    pieces.push(edition.segments[tokens[i].segment].text.slice(tokens[i].start, tokens[j].end).replace(/\s+/g, ' '))
    i = j + 1
  }
  return pieces.join(' ¶ ')
}

function place(edition: Edition, tokenIndex: number): Place {
  const token = edition.tokens[tokenIndex]
  if (!token) return {part: '', title: '', paragraph: 0, block: null, page: ''}
  const segment = edition.segments[token.segment]
  const page = segment.note ? edition.pagination.idPages[segment.note] || '' : pageOf(edition, segment.block!, token.start)
  const result: Place = {part: segment.part, title: segment.partTitle, paragraph: segment.paragraph, block: segment.block, page}
  if (segment.note) result.note = segment.noteMark
  const line = lineOf(edition, page, tokenIndex)
  if (line !== undefined) result.line = line
  return result
}

/** The label of the page on which character `offset` of block `block` is printed. */
function pageOf(edition: Edition, block: number, offset: number): string {
  let label = ''
  for (const start of edition.pagination.starts) {
    if (start.block === null) continue
    if (start.block < block || (start.block === block && start.offset <= offset)) label = start.label
    else break
  }
  return label
}

const squash = (text: string) => text.normalize('NFKC').replace(/[\s\u00AD\-‐‑]/g, '')

/** Find a token on its page in the PDF’s text: the line it is on, counted from the top of the text block. */
function lineOf(edition: Edition, label: string, tokenIndex: number): number | undefined {
  const index = edition.pageIndex.get(label)
  if (index === undefined || !edition.pageText[index]) return undefined
  const lines = edition.pageText[index].split('\n').filter((line) => line.trim() !== '')
  // The running head line (head and folio) is not counted.
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const head = new RegExp(`^\\s*${escaped}\\s{2,}\\S|\\S\\s{2,}${escaped}\\s*$`)
  const first = lines.length > 1 && head.test(lines[0]) ? 1 : 0
  let flat = ''
  const lineAt: number[] = []
  for (let n = first; n < lines.length; n++) {
    const squashed = squash(lines[n])
    flat += squashed
    for (let k = 0; k < squashed.length; k++) lineAt.push(n - first + 1)
  }
  const token = edition.tokens[tokenIndex]
  for (const [beforeCount, afterCount] of [[5, 2], [3, 1], [2, 0], [0, 1], [0, 0]]) {
    const from = Math.max(0, tokenIndex - beforeCount)
    const to = Math.min(edition.tokens.length - 1, tokenIndex + afterCount)
    const window = edition.tokens.slice(from, to + 1).filter((t) => t.segment === token.segment)
    const lead = squash(window.filter((t) => edition.tokens.indexOf(t, from) < tokenIndex).map((t) => t.text).join(''))
    const needle = squash(window.map((t) => t.text).join(''))
    if (!needle) continue
    const at = flat.indexOf(needle)
    if (at === -1) continue
    if (beforeCount + afterCount > 0 && flat.indexOf(needle, at + 1) !== -1) continue
    return lineAt[Math.min(lineAt.length - 1, at + lead.length)]
  }
  return undefined
}

// ---------------------------------------------------------------------------------------------
// Pages

interface TokenPosition {
  token: number
  delta: number
}

function startPosition(edition: Edition, block: number | null, offset: number): TokenPosition | null {
  if (block === null) return null
  const segment = edition.blockSegment.get(block)
  if (segment === undefined) return null
  let k = firstToken(edition, segment)
  while (k < edition.tokens.length && edition.tokens[k].segment === segment && edition.tokens[k].end <= offset) k++
  if (k >= edition.tokens.length) return {token: k, delta: 0}
  return {token: k, delta: edition.tokens[k].segment === segment ? Math.max(0, offset - edition.tokens[k].start) : 0}
}

const firstTokenCache = new WeakMap<Edition, Int32Array>()

function firstToken(edition: Edition, segment: number): number {
  let table = firstTokenCache.get(edition)
  if (!table) {
    table = new Int32Array(edition.segments.length + 1).fill(-1)
    for (let k = edition.tokens.length - 1; k >= 0; k--) table[edition.tokens[k].segment] = k
    let next = edition.tokens.length
    for (let s = edition.segments.length; s >= 0; s--) {
      if (table[s] === -1) table[s] = next
      else next = table[s]
    }
    firstTokenCache.set(edition, table)
  }
  return table[segment]
}

function comparePages(older: Edition, newer: Edition, oldToNew: Int32Array): PageChange[] {
  const text = (edition: Edition, label: string) => {
    const index = edition.pageIndex.get(label)
    return index === undefined ? undefined : (edition.pageText[index] ?? '').replace(/\s+/g, ' ').trim()
  }
  /** Whether the page labelled `label` begins at the same place of the text in both editions. */
  const sameBreak = (label: string | undefined): boolean => {
    if (label === undefined) return true
    const a = older.pagination.starts.find((s) => s.label === label)
    const b = newer.pagination.starts.find((s) => s.label === label)
    if (!a || !b) return !a && !b
    const pa = startPosition(older, a.block, a.offset)
    const pb = startPosition(newer, b.block, b.offset)
    if (!pa || !pb) return !pa && !pb
    const mapped = pa.token < oldToNew.length ? oldToNew[pa.token] : newer.tokens.length
    return mapped === pb.token && pa.delta === pb.delta
  }
  const labels = newer.pagination.starts.map((s) => s.label)
  for (const s of older.pagination.starts) if (!labels.includes(s.label)) labels.push(s.label)
  const titleOf = (edition: Edition, label: string) => {
    const start = edition.pagination.starts.find((s) => s.label === label)
    let block = start?.block ?? null
    if (block === null) {
      const before = edition.pagination.starts.filter((s) => s.index < (start?.index ?? 0) && s.block !== null).at(-1)
      block = before?.block ?? null
    }
    const segment = block === null ? undefined : edition.segments[edition.blockSegment.get(block) ?? -1]
    return segment ? segment.partTitle || segment.part : ''
  }
  return labels.map((label): PageChange => {
    const a = text(older, label)
    const b = text(newer, label)
    if (a === undefined) return {label, status: 'added', title: titleOf(newer, label)}
    if (b === undefined) return {label, status: 'removed', title: titleOf(older, label)}
    const title = titleOf(newer, label)
    if (a === b) return {label, status: 'unchanged', title}
    const next = newer.pagination.starts[(newer.pageIndex.get(label) ?? 0) + 1]?.label
    const held = sameBreak(label) && sameBreak(next)
    return {label, status: held ? 'corrected' : 'reflowed', title}
  })
}

const pp = (first: string, last: string) => (first === last ? `p. ${first}` : `pp. ${first}–${last}`)

function printerInstructions(pages: PageChange[], older: Edition, newer: Edition): string[] {
  const lines: string[] = []
  let i = 0
  while (i < pages.length) {
    const status = pages[i].status
    let j = i
    while (j + 1 < pages.length && pages[j + 1].status === status) j++
    const first = pages[i].label
    const last = pages[j].label
    if (status === 'corrected') lines.push(`Replace ${pp(first, last)}: corrected within the page (page breaks as before).`)
    else if (status === 'reflowed') {
      const nextPage = pages[j + 1]
      if (!nextPage || nextPage.status === 'added' || nextPage.status === 'removed') {
        lines.push(`From p. ${first} on, the text reflows to the end of the book: replace every page from p. ${first}.`)
      } else {
        const end = pages[j].title !== nextPage.title && pages[j].title ? ` to the end of ‘${pages[j].title}’` : ''
        lines.push(`From p. ${first}, the text reflows${end}: replace ${pp(first, last)}; page breaks are as before from p. ${nextPage.label}.`)
      }
    } else if (status === 'added') lines.push(`New ${pp(first, last)} (the book grows from ${older.pagination.pages} to ${newer.pagination.pages} pages).`)
    else if (status === 'removed') lines.push(`Drop ${pp(first, last)} (the book shrinks from ${older.pagination.pages} to ${newer.pagination.pages} pages).`)
    i = j + 1
  }
  if (!lines.length) lines.push('No printed page changed.')
  const spine = spineChange(older, newer)
  if (spine) lines.push(spine)
  return lines
}

/**
 * The cover’s spine, when the page count changes it: measured for the printer and paper of the
 * newer build (or the older one’s), from each edition’s page count (profiles.ts).
 */
export function spineChange(older: Edition, newer: Edition): string | undefined {
  const print = newer.print ?? older.print
  if (!print || !isProfileId(print.profile)) return undefined
  const profile = profiles[print.profile]
  if (!paperOf(profile, print.paper)) return undefined
  const before = spineWidth(profile, older.pagination.pages, print.paper)
  const after = spineWidth(profile, newer.pagination.pages, print.paper)
  if (before === after) return undefined
  const inches = (n: number) => `${n.toFixed(3)} in`
  return `Spine ${inches(before)} → ${inches(after)} (${older.pagination.pages} → ${newer.pagination.pages} pages, ${profile.id}): a new cover file is needed.`
}

// ---------------------------------------------------------------------------------------------
// Notes and index

function compareNotes(older: Edition, newer: Edition): NoteChange[] {
  const result: NoteChange[] = []
  const partsInOrder = [...new Set([...older.notes.map((n) => n.part), ...newer.notes.map((n) => n.part)])]
  const titles = new Map<string, string>()
  for (const edition of [older, newer]) for (const s of edition.segments) if (!titles.has(s.part)) titles.set(s.part, s.partTitle || s.part)
  const body = (text: string, mark: string) => (text.startsWith(mark + ' ') ? text.slice(mark.length + 1) : text)
  for (const part of partsInOrder) {
    const a = older.notes.filter((n) => n.part === part)
    const b = newer.notes.filter((n) => n.part === part)
    const diff = diffArrays(
      a.map((n) => body(n.text, n.mark)),
      b.map((n) => body(n.text, n.mark))
    )
    let ai = 0
    let bi = 0
    const title = titles.get(part) || part
    for (let i = 0; i < diff.length; i++) {
      const chunk = diff[i]
      if (!chunk.added && !chunk.removed) {
        for (let k = 0; k < chunk.count!; k++) {
          const x = a[ai + k]
          const y = b[bi + k]
          if (x.mark !== y.mark) {
            result.push({change: 'renumbered', part, title, oldMark: x.mark, newMark: y.mark, oldPage: older.pagination.idPages[x.id], newPage: newer.pagination.idPages[y.id], text: short(body(y.text, y.mark))})
          }
        }
        ai += chunk.count!
        bi += chunk.count!
        continue
      }
      const removed = chunk.removed ? a.slice(ai, ai + chunk.count!) : []
      if (chunk.removed) ai += chunk.count!
      let addedNotes: typeof b = []
      if (chunk.added) {
        addedNotes = b.slice(bi, bi + chunk.count!)
        bi += chunk.count!
      } else if (diff[i + 1]?.added) {
        i++
        addedNotes = b.slice(bi, bi + diff[i].count!)
        bi += diff[i].count!
      }
      const paired = Math.min(removed.length, addedNotes.length)
      for (let k = 0; k < paired; k++) {
        const x = removed[k]
        const y = addedNotes[k]
        result.push({change: x.mark === y.mark ? 'revised' : 'renumbered', part, title, oldMark: x.mark, newMark: y.mark, oldPage: older.pagination.idPages[x.id], newPage: newer.pagination.idPages[y.id], text: short(body(y.text, y.mark))})
      }
      for (const x of removed.slice(paired)) result.push({change: 'removed', part, title, oldMark: x.mark, oldPage: older.pagination.idPages[x.id], text: short(body(x.text, x.mark))})
      for (const y of addedNotes.slice(paired)) result.push({change: 'added', part, title, newMark: y.mark, newPage: newer.pagination.idPages[y.id], text: short(body(y.text, y.mark))})
    }
  }
  return result
}

const short = (text: string) => (text.length > 70 ? text.slice(0, 69).replace(/\s+\S*$/, '') + '…' : text)

function compareIndex(older: Edition, newer: Edition): IndexChange[] {
  const pagesOf = (edition: Edition) => {
    const map = new Map<string, string[]>()
    for (const [id, entry] of edition.indexAnchors) {
      const label = edition.pagination.idPages[id]
      if (label === undefined) continue
      const list = map.get(entry) ?? []
      if (!list.includes(label)) list.push(label)
      map.set(entry, list)
    }
    return map
  }
  const a = pagesOf(older)
  const b = pagesOf(newer)
  const entries = [...new Set([...a.keys(), ...b.keys()])].sort()
  const result: IndexChange[] = []
  for (const entry of entries) {
    const x = a.get(entry) ?? []
    const y = b.get(entry) ?? []
    if (x.join(',') === y.join(',')) continue
    result.push({entry, term: newer.indexTerms.get(entry) ?? older.indexTerms.get(entry) ?? entry, old: x, new: y})
  }
  return result
}

export type {Segment}
