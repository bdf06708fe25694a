/**
 * remark plugin: collation against the copy-text — no silent emendation.
 *
 * The Markdown, with its recorded corrections undone, is compared word by word with the copy-text,
 * with its recorded removals taken out. What differs beyond typographic normalisation is reported
 * at the Markdown’s line and column.
 */
import {diffArrays} from 'diff'
import type {Root, Nodes, Parents} from 'mdast'
import type {VFile} from 'vfile'
import {NOTE, EM, tokenize, isMarkerPart, type Token} from './tokens.ts'
import {append, detectFormat, normaliseLineEndings, readCopyTextTokens, type CopyTextFormat} from './copy-text.ts'
import {pointAt} from '../manuscript/read.ts'
import type {TextMeta} from '../manuscript/schema.ts'

interface Placed extends Token {
  line: number
  column: number
  /** A title’s words: the edition may change their case (house style), so they compare case-folded. */
  fold?: boolean
}

export interface CollationData {
  copyText?: string
  meta?: TextMeta
  /** Line of the front matter’s `title:` and of each `removed` entry, for messages. */
  metaPlaces?: {title?: {line: number; column: number}; removed?: Array<{line: number; column: number}>}
}

const ruleId = 'collation'
const source = 'reader'

export default function remarkCollation() {
  return function (tree: Root, file: VFile): undefined {
    const data = file.data as CollationData
    if (data.copyText === undefined || !data.meta) return
    const copyText = withinLines(normaliseLineEndings(data.copyText), data.meta.copytext_lines)
    const format = data.meta.copytext_format ?? detectFormat(data.meta.copytext, copyText)
    const copy = copyTextTokens(copyText, format, data.meta, file, data.metaPlaces)
    const edition = editionTokens(tree, data.meta, copyText, data.metaPlaces)
    checkCorrections(tree, copy, file)
    checkTitleSource(copyText, format, data.meta, file, data.metaPlaces)
    compare(copy, edition, copyText, file)
  }
}

/** How far into the copy-text a title is looked for (a chapter number, a running head may come first). */
const titleReach = 24

/**
 * `title_source: editor` says the copy-text has no title, and the headnote prints so. A title the
 * copy-text opens with, in another case only, is the copy-text's title: a case change is house style.
 */
function checkTitleSource(text: string, format: CopyTextFormat, meta: TextMeta, file: VFile, places: CollationData['metaPlaces']): void {
  if (meta.title_source !== 'editor') return
  const fold = (tokens: Token[]) => tokens.filter((token) => token.norm !== NOTE).map((token) => token.norm.toLowerCase())
  const title = fold(tokenize(meta.title))
  if (title.length === 0) return
  const opening = fold(readCopyTextTokens(text, format, []).slice(0, titleReach + title.length))
  for (let at = 0; at + title.length <= opening.length && at <= titleReach; at++) {
    if (title.every((word, index) => opening[at + index] === word)) {
      const message = file.message(
        'Unexpected `title_source: editor` for a title the copy-text has in another case, expected `title_source: copy-text` (a case change is house style; the headnote would say the copy-text has no title)',
        {place: places?.title, ruleId: 'collation-title-source', source}
      )
      message.actual = 'editor'
      message.expected = ['copy-text']
      return
    }
  }
}

/** The copy-text less its recorded removals, read in its format, as tokens (offsets into the copy-text). */
function copyTextTokens(
  text: string,
  format: CopyTextFormat,
  meta: TextMeta,
  file: VFile,
  places: CollationData['metaPlaces']
): Token[] {
  const cut: Array<[number, number]> = []
  meta.removed.forEach((removal, index) => {
    const needle = normaliseLineEndings(removal.text)
    let from = 0
    let found = false
    for (;;) {
      const at = findFree(text, needle, from, cut)
      if (at === -1) break
      cut.push([at, at + needle.length])
      found = true
      from = at + needle.length
      if (!removal.all) break
    }
    if (!found) {
      file.message(`Unexpected removal: ‘${shorten(needle)}’ does not occur in the copy-text, expected its exact characters`, {
        place: places?.removed?.[index],
        ruleId: 'collation-removal',
        source
      })
    }
  })
  cut.sort((a, b) => a[0] - b[0])
  return readCopyTextTokens(text, format, cut)
}

/**
 * Only the lines `copytext_lines` names (`12-340`: a copy-text holding several works): the others read
 * as empty lines, so that lines and columns in messages stay the copy-text's own.
 */
function withinLines(text: string, range: string | undefined): string {
  const match = range ? /^(\d+)-(\d+)$/.exec(range) : null
  if (!match) return text
  const [first, last] = [Number(match[1]), Number(match[2])]
  return text
    .split('\n')
    .map((line, index) => (index + 1 >= first && index + 1 <= last ? line : ''))
    .join('\n')
}

/** Find `needle` at or after `from` outside the ranges already cut. */
function findFree(text: string, needle: string, from: number, cut: Array<[number, number]>): number {
  for (let at = text.indexOf(needle, from); at !== -1; at = text.indexOf(needle, at + 1)) {
    if (!cut.some(([a, b]) => at < b && at + needle.length > a)) return at
  }
  return -1
}

/** Tokens of the edition as the copy-text would read it: corrections undone, editorial additions left out. */
function editionTokens(tree: Root, meta: TextMeta, copyText: string, places: CollationData['metaPlaces']): Placed[] {
  const tokens: Placed[] = []
  const titlePlace = places?.title || {line: 1, column: 1}

  if (meta.title_source === 'copy-text') {
    for (const token of tokenize(meta.title)) tokens.push({...token, ...titlePlace, fold: true})
    if (meta.subtitle) {
      // A title and subtitle run together in the copy-text (“Title: Subtitle”) keep their colon.
      if (new RegExp(`${escape(meta.title)}\\s*:`).test(copyText)) tokens.push({norm: ':', raw: ':', offset: 0, ...titlePlace})
      for (const token of tokenize(meta.subtitle)) tokens.push({...token, ...titlePlace, fold: true})
    }
  }

  const emit = (value: string, node: Nodes) => {
    const start = node.position?.start
    if (!start) return
    for (const token of tokenize(value)) {
      const within = pointAt(value, token.offset)
      tokens.push({
        ...token,
        line: start.line + within.line - 1,
        column: within.line === 1 ? start.column + within.column - 1 : within.column
      })
    }
  }

  const walk = (node: Nodes) => {
    switch (node.type) {
      case 'yaml':
      case 'image':
      case 'imageReference':
      case 'definition':
        return
      case 'text':
        // A note reference with no note stays literal text in GFM: the notes check reports it.
        emit(node.value.replace(/\[\^[^\]\s]+\]/g, (ref) => ' '.repeat(ref.length)), node)
        return
      case 'inlineCode':
      case 'code':
        emit(node.value, node)
        return
      case 'html':
        if (!/^\s*<!--/.test(node.value)) emit(node.value.replace(/<[^>]*>/g, ' '), node)
        return
      case 'footnoteReference':
        tokens.push({norm: NOTE, raw: `[^${node.label}]`, offset: 0, ...(node.position?.start || titlePlace)})
        return
      case 'emphasis':
        // Titles set in italics where the copy-text put them in quotation marks: a house-style change.
        tokens.push({norm: EM, raw: '*', offset: 0, ...(node.position?.start || titlePlace)})
        for (const child of node.children) walk(child as Nodes)
        tokens.push({norm: EM, raw: '*', offset: 0, ...(node.position?.end || titlePlace)})
        return
      case 'footnoteDefinition':
        tokens.push({norm: NOTE, raw: `[^${node.label}]:`, offset: 0, ...(node.position?.start || titlePlace)})
        break
      case 'textDirective':
      case 'leafDirective':
      case 'containerDirective':
        if (node.name === 'supplied' || node.name === 'ednote' || node.name === 'sic-mark') return
        if (node.name === 'corr') {
          emit(node.attributes?.was ?? '', node)
          return
        }
        break
    }
    if ('children' in node) for (const child of (node as Parents).children) walk(child as Nodes)
  }
  walk(tree)
  return tokens
}

function escape(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** A correction must give a reading the copy-text really has. */
function checkCorrections(tree: Root, copy: Token[], file: VFile): void {
  const haystack = ` ${copy.map((t) => t.norm).join(' ')} `
  const walk = (node: Nodes) => {
    if (node.type === 'textDirective' && node.name === 'corr' && node.attributes?.was) {
      const was = node.attributes.was
      const needle = tokenize(was).map((t) => t.norm).join(' ')
      if (needle && !haystack.includes(` ${needle} `)) {
        const message = file.message(
          `Unexpected correction: the copy-text never reads ‘${was}’, expected \`was\` to give the copy-text’s reading`,
          {place: node.position, ruleId: 'collation-correction', source}
        )
        message.actual = was
      }
    }
    if ('children' in node) for (const child of (node as Parents).children) walk(child as Nodes)
  }
  walk(tree)
}

/** Beyond this many differing tokens the texts are not versions of each other: say so instead of diffing on. */
const maxEditLength = 4000

/** Diff the two token streams and report every hunk that is not a normalisation. */
function compare(copy: Token[], edition: Placed[], copyText: string, file: VFile): void {
  const changes = diffArrays<Token>(copy, edition, {
    maxEditLength,
    comparator: (a, b) => a.norm === b.norm || (Boolean((b as Placed).fold) && a.norm.toLowerCase() === b.norm.toLowerCase())
  })
  if (!changes) {
    file.message(
      `Unexpected text: it differs from its copy-text in more than ${maxEditLength} places, expected a transcription of it (is \`copytext\` the right file?)`,
      {place: edition[0] ?? {line: 1, column: 1}, ruleId, source}
    )
    return
  }
  // Hunks of removed (copy-text) and added (edition) tokens, with the equal run that follows each.
  const hunks: Array<{removed: Token[]; added: Placed[]; next: Placed | undefined; gap: Placed[]}> = []
  let ci = 0
  let ei = 0
  let current: {removed: Token[]; added: Placed[]} | undefined
  for (const change of changes) {
    const count = change.count ?? change.value.length
    if (change.removed || change.added) {
      current ||= {removed: [], added: []}
      if (change.removed) append(current.removed, copy.slice(ci, ci + count))
      else append(current.added, edition.slice(ei, ei + count))
      if (change.removed) ci += count
      else ei += count
    } else {
      if (current) hunks.push({...current, next: edition[ei], gap: edition.slice(ei, ei + count)})
      current = undefined
      ci += count
      ei += count
    }
  }
  if (current) hunks.push({...current, next: edition[ei] || edition.at(-1), gap: []})

  for (let i = 0; i < hunks.length; i++) {
    let hunk = hunks[i]
    if (allowed(hunk.removed, hunk.added)) continue
    // A note marker the diff split around a shared digit (`9. 9/11` → `[^9]: 9/11`): join the two hunks.
    const after = hunks[i + 1]
    if (after && hunk.gap.length <= 2 && hunk.gap.every(isMarkerPart)) {
      const removed = [...hunk.removed, ...hunk.gap, ...after.removed]
      const added = [...hunk.added, ...hunk.gap, ...after.added]
      if (allowed(removed, added)) {
        i++
        continue
      }
    }
    report(hunk.removed, hunk.added, hunk.next, copyText, file)
  }
}

/** Whether a hunk is only normalisation: a note marker become a footnote, quotation marks become italics. */
function allowed(removed: Token[], added: Token[]): boolean {
  if (renumberedNote(removed, added)) return false
  if (rejoined(removed, added)) return true
  const rest = withoutItalics(removed, added)
  if (rest.removed.length === 0 && rest.added.length === 0) return true
  const notes = rest.added.filter((t) => t.norm === NOTE)
  const words = rest.added.filter((t) => t.norm !== NOTE)
  return notes.length > 0 && rest.removed.length > 0 && rest.removed.every(isMarkerPart) && words.every(isMarkerPart)
}

/** A word the copy-text breaks at a line end with a hyphen, written whole (`Ger-⏎man` → `German`). */
function rejoined(removed: Token[], added: Token[]): boolean {
  if (!removed.some((token) => token.lineEnd)) return false
  const kept = removed.filter((token) => !token.lineEnd)
  return kept.map((t) => t.norm).join('') === added.filter((t) => t.norm !== EM).map((t) => t.norm).join('')
}

/** Drop italics markers from the edition’s side, and as many quotation marks from the copy-text’s. */
function withoutItalics<R extends Token, A extends Token>(removed: R[], added: A[]): {removed: R[]; added: A[]} {
  const ems = added.filter((t) => t.norm === EM).length
  let quotes = ems
  const keptRemoved = removed.filter((t) => !(quotes > 0 && (t.norm === '"' || t.norm === "'") && quotes--))
  return {removed: keptRemoved, added: added.filter((t) => t.norm !== EM)}
}

function report(allRemoved: Token[], allAdded: Placed[], next: Placed | undefined, copyText: string, file: VFile): void {
  const {removed, added} = withoutItalics(allRemoved, allAdded)
  const words = added.filter((t) => t.norm !== NOTE)
  const at = (added[0] || next) ?? {line: 1, column: 1}
  const copyAt = removed.length > 0 ? pointAt(copyText, removed[0].offset) : undefined
  const was = shorten(
    removed.length > 0 ? copyText.slice(removed[0].offset, removed.at(-1)!.offset + removed.at(-1)!.raw.length) : ''
  )
  const now = shorten(join(words))
  const where = copyAt ? ` (copy-text ${copyAt.line}:${copyAt.column})` : ''

  let reason: string
  const renumbered = renumberedNote(allRemoved, allAdded)
  if (renumbered) {
    reason =
      `Unexpected note label \`[^${renumbered.label}]\` where the copy-text numbers the note ${renumbered.number}${where}, ` +
      `expected \`[^${renumbered.number}]\`: the labels keep the copy-text’s numbers, so that a lost note shows`
  } else if (words.length === 0 && removed.length === 0) {
    reason = 'Unexpected footnote with no note marker in the copy-text, expected a marker at this place'
  } else if (words.length === 0) {
    reason = `Silent omission: ‘${was}’ of the copy-text is missing${where}; record it with :del[…] or in \`removed\``
  } else if (removed.length === 0) {
    reason = `Silent addition: ‘${now}’ is not in the copy-text; record it with :supplied[…] or :corr[…]{was=""}`
  } else {
    reason = `Silent change: ‘${now}’ where the copy-text reads ‘${was}’${where}; record it with :corr[…]{was="…"}`
  }
  const message = file.message(reason, {place: {line: at.line, column: at.column}, ruleId, source})
  message.actual = now
  message.expected = [was]
}

/** A passage longer than this is quoted by its start and end. */
const maxQuoted = 80

/** `text` on one line, shortened to its start and end when long: a message fits on a screen. */
function shorten(text: string, max = maxQuoted): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  if (flat.length <= max) return flat
  const half = Math.floor((max - 3) / 2)
  const head = flat.slice(0, half).replace(/\s+\S*$/, '')
  const tail = flat.slice(flat.length - half).replace(/^\S*\s+/, '')
  return `${head} … ${tail}`
}

/**
 * A note reference whose numeric label is not the copy-text’s number for it (`[^3]` where the
 * copy-text reads `4`): renumbering would hide a note the copy-text skips.
 */
function renumberedNote(removed: Token[], added: Token[]): {label: string; number: string} | undefined {
  if (!removed.every(isMarkerPart) || !added.every((t) => t.norm === NOTE || isMarkerPart(t))) return undefined
  const notes = added.filter((t) => t.norm === NOTE)
  const numbers = removed.filter((t) => /^\d+$/.test(t.norm))
  // Paired in order only when the hunk holds as many copy-text numbers as note markers.
  if (notes.length === 0 || numbers.length !== notes.length) return undefined
  for (const [index, note] of notes.entries()) {
    const label = /^\[\^0*(\d+)\]:?$/.exec(note.raw)?.[1]
    if (label && Number(numbers[index].norm) !== Number(label)) {
      return {label: note.raw.replace(/^\[\^|\]:?$/g, ''), number: String(Number(numbers[index].norm))}
    }
  }
  return undefined
}

/** The tokens as written, in reading order: a space only where the source had one. */
function join(unordered: Placed[]): string {
  const tokens = [...unordered].sort((a, b) => a.line - b.line || a.column - b.column)
  let out = ''
  tokens.forEach((token, i) => {
    const previous = tokens[i - 1]
    const touching = previous && previous.line === token.line && previous.column + previous.raw.length === token.column
    out += (i === 0 || touching ? '' : ' ') + token.raw
  })
  return out
}

