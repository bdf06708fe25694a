/**
 * The small-caps lead-in that opens every text: the first words of its first paragraph in
 * `span.lead-in`, set in the book face’s small capitals in print and EPUB. A manuscript may mark its
 * own with `:sc[…]` at the start of that paragraph; otherwise the lead-in is the first
 * `style.lead_in` words (book.yaml, 3 by default, 0 for none), fewer when a phrase ends sooner (at a
 * comma, a stop, a parenthesis, a dash) or when the last would be a lower-case word of one or two
 * letters (“He wrote”, not “He wrote of”). It never cuts an element (an index anchor, a correction,
 * an italic title: the lead-in takes the whole of it, or stops before it when it would be longer than
 * the paragraph’s first sentence) and never takes a note reference.
 */
import type {Element, ElementContent, Text} from 'hast'
import {toString} from 'hast-util-to-string'

const classesOf = (node: Element) => [node.properties.className ?? []].flat().map(String)
const isElement = (node: ElementContent | undefined, tag?: string): node is Element =>
  node?.type === 'element' && (tag === undefined || node.tagName === tag)

/** What stands before a text’s running text (its head, standfirst and epigraph): never its first paragraph. */
const opening = (node: Element) => node.tagName === 'header' || classesOf(node).some((c) => ['standfirst', 'epigraph', 'notes', 'ednotes'].includes(c))

/**
 * The paragraph the text opens with: the first of its running text, after any heading and one
 * opening quotation. A text that opens otherwise (verse set as quotations, a list, a table, code)
 * has none: its first paragraph, further on, is not its opening.
 */
export function firstParagraph(section: Element): Element | undefined {
  let quotations = 0
  for (const child of section.children) {
    if (!isElement(child) || opening(child) || /^h[1-6]$/.test(child.tagName)) continue
    if (child.tagName === 'p') {
      if (toString(child).trim() !== '') return child
      continue
    }
    if (child.tagName !== 'blockquote' || ++quotations > 1) return undefined
  }
  return undefined
}

/** Put the lead-in on a text’s section (`section.part.text`), unless it has one or `words` is 0. */
export function addLeadIn(section: Element, words: number): void {
  const paragraph = firstParagraph(section)
  if (!paragraph || words <= 0) return
  const first = paragraph.children.find((child) => !(child.type === 'text' && child.value.trim() === ''))
  if (isElement(first) && classesOf(first).includes('lead-in')) return
  if (paragraph.children.some((child) => isElement(child) && classesOf(child).includes('lead-in'))) return
  const cut = cutAt(paragraph, words)
  if (cut === 0) return
  paragraph.children = split(paragraph.children, cut)
}

/** Inline pieces of the paragraph’s top level, with where each starts and ends in its text. */
interface Piece {
  node: ElementContent
  start: number
  end: number
}

function piecesOf(paragraph: Element): {pieces: Piece[]; text: string} {
  let text = ''
  const pieces = paragraph.children.map((node) => {
    const start = text.length
    text += node.type === 'text' ? node.value : node.type === 'element' ? toString(node) : ''
    return {node, start, end: text.length}
  })
  return {pieces, text}
}

const noteReference = (node: ElementContent) =>
  isElement(node) && (classesOf(node).includes('noteref') || node.tagName === 'sup' || node.properties.role === 'doc-noteref')

/** Punctuation that ends a phrase, after a word or standing alone. */
const phraseEnd = /[,;:.!?…)\]]/u
const phraseBreak = /^[([—–-]/u

/** The offset in the paragraph’s text where the lead-in ends (0: none). */
function cutAt(paragraph: Element, words: number): number {
  const {pieces, text} = piecesOf(paragraph)
  // A note reference ends the lead-in before it; so does the end of the first sentence.
  const reference = pieces.find((piece) => noteReference(piece.node))
  const limit = reference ? reference.start : text.length
  // Where each word taken ends, and whether it is a short lower-case word (“of”, “the”, “is”).
  const taken: Array<{end: number; short: boolean}> = []
  for (const match of text.slice(0, limit).matchAll(/\S+/gu)) {
    const word = match[0]
    if (phraseBreak.test(word)) break
    const bare = word.replace(/[^\p{L}\p{N}’'-]+$/u, '')
    if (bare === '') break
    const letters = bare.replace(/[^\p{L}\p{N}]/gu, '')
    taken.push({end: match.index + bare.length, short: letters.length <= 2 && /^\p{Ll}/u.test(letters)})
    if (phraseEnd.test(word.slice(bare.length)) || taken.length >= words) break
  }
  // A lead-in does not end on a short word: “From the beginning”, “He wrote” (not “He wrote of the”).
  while (taken.length > 1 && taken.at(-1)!.short) taken.pop()
  let cut = taken.at(-1)?.end ?? 0
  // Never inside an element: to its end when it starts in the lead-in, before it when that would run on.
  for (const piece of pieces) {
    if (piece.node.type !== 'element' || !(piece.start < cut && cut < piece.end)) continue
    const through = text.slice(0, piece.end)
    cut = through.split(/\s+/u).length <= words + 3 && !/[.!?]\s/u.test(through) ? piece.end : piece.start
  }
  return text.slice(0, cut).trimEnd().length
}

/** The paragraph’s children with those before `cut` in a `span.lead-in` (only top-level text is split). */
function split(children: ElementContent[], cut: number): ElementContent[] {
  const inside: ElementContent[] = []
  const after: ElementContent[] = []
  let at = 0
  for (const node of children) {
    const length = node.type === 'text' ? node.value.length : node.type === 'element' ? toString(node).length : 0
    if (at + length <= cut) inside.push(node)
    else if (at >= cut) after.push(node)
    else if (node.type === 'text') {
      inside.push({type: 'text', value: node.value.slice(0, cut - at)} satisfies Text)
      after.push({type: 'text', value: node.value.slice(cut - at)} satisfies Text)
    } else after.push(node)
    at += length
  }
  // Space before the first word stays outside.
  const lead: ElementContent[] = []
  while (inside[0]?.type === 'text' && inside[0].value.trim() === '') lead.push(inside.shift()!)
  if (inside[0]?.type === 'text') {
    const value = (inside[0] as Text).value
    const trimmed = value.trimStart()
    if (trimmed !== value) lead.push({type: 'text', value: value.slice(0, value.length - trimmed.length)})
    inside[0] = {type: 'text', value: trimmed}
  }
  return [...lead, {type: 'element', tagName: 'span', properties: {className: ['lead-in']}, children: inside}, ...after]
}
