/**
 * What the cross-text checks need from one text, taken while the tree is still the manuscript (in the
 * check preset, before critical markup and normalisation change it): its words with their places,
 * its quotations, and its citation segments (notes, list items, paragraphs) with their italic titles.
 * Kept in `file.data.crossText`; `checkCrossText` reads it for every text at once.
 */
import type {Root, Nodes, Parents} from 'mdast'
import {toString} from 'mdast-util-to-string'
import type {VFile} from 'vfile'
import {blockOf, type Block} from '../normalise/text.ts'
import {curlQuotes, parseQuotes} from '../normalise/quote-marks.ts'

export interface Point {
  line: number
  column: number
}

export interface Word {
  /** Lower case, apostrophes unified: what the comparison uses. */
  norm: string
  raw: string
  line: number
  column: number
}

export interface Quotation {
  /** Word indices [start, end) in `words`. */
  start: number
  end: number
  kind: 'inline' | 'block'
}

export interface Title {
  title: string
  /** Offsets in the segment’s value. */
  start: number
  end: number
}

export interface Segment {
  kind: 'note' | 'item' | 'body'
  value: string
  titles: Title[]
  /** Text nodes of the segment: offsets in `value` and their places, to locate any offset. */
  spans: Array<{start: number; end: number; line: number; column: number; text: string}>
  /** Whether an editor’s note sits in this segment (a variant may be explained there). */
  ednote: boolean
}

export interface CrossText {
  words: Word[]
  quotations: Quotation[]
  segments: Segment[]
}

const wordPattern = /[\p{L}\p{N}]+(?:[’'][\p{L}]+)*/gu

export function collectCrossText(tree: Root, file: VFile): void {
  const data: CrossText = {words: [], quotations: [], segments: []}
  const walk = (node: Nodes, context: {kind: Segment['kind']; inQuote: boolean}) => {
    switch (node.type) {
      case 'footnoteDefinition':
        for (const child of node.children) walk(child as Nodes, {...context, kind: 'note'})
        return
      case 'listItem':
        for (const child of node.children) walk(child as Nodes, {...context, kind: 'item'})
        return
      case 'blockquote':
        for (const child of node.children) walk(child as Nodes, {...context, inQuote: true})
        return
      case 'paragraph':
      case 'heading':
      case 'tableCell':
        addBlock(data, blockOf(node as Parents), context)
        return
      case 'code':
      case 'html':
      case 'yaml':
        return
    }
    if ('children' in node) for (const child of (node as Parents).children) walk(child as Nodes, context)
  }
  walk(tree, {kind: 'body', inQuote: false})
  file.data.crossText = data
}

function addBlock(data: CrossText, block: Block, context: {kind: Segment['kind']; inQuote: boolean}): void {
  const spans = block.segments
    .filter((s) => s.node.position)
    .map((s) => ({start: s.start, end: s.end, line: s.node.position!.start.line, column: s.node.position!.start.column, text: s.node.value}))
  const titles: Title[] = []
  let ednote = false
  const offsets = new Map<unknown, number>()
  for (const s of block.segments) offsets.set(s.node, s.start)
  const findTitles = (node: Nodes) => {
    if (node.type === 'emphasis') {
      const texts: number[] = []
      const visitText = (n: Nodes) => {
        if (n.type === 'text' && offsets.has(n)) texts.push(offsets.get(n)!, offsets.get(n)! + n.value.length)
        if ('children' in n) for (const c of (n as Parents).children) visitText(c as Nodes)
      }
      visitText(node)
      const title = toString(node).trim()
      if (texts.length > 0 && title.length > 1) titles.push({title, start: Math.min(...texts), end: Math.max(...texts)})
      return
    }
    if (node.type === 'textDirective' && node.name === 'ednote') {
      ednote = true
      return
    }
    if ('children' in node) for (const child of (node as Parents).children) findTitles(child as Nodes)
  }
  findTitles(block.node as Nodes)
  const segment: Segment = {kind: context.kind, value: block.value, titles, spans, ednote}
  data.segments.push(segment)

  // Words, and which of them are quoted.
  const quoted: Array<[number, number]> = []
  if (context.inQuote) quoted.push([0, block.value.length])
  else {
    const structure = parseQuotes(curlQuotes(block.value))
    for (const pair of structure.pairs) if (pair.depth === 0) quoted.push([pair.open, pair.close])
    for (const open of structure.unclosed) if (open.depth === 0) quoted.push([open.at, block.value.length])
  }
  const first = data.words.length
  const starts: number[] = []
  for (const m of block.value.matchAll(wordPattern)) {
    const place = pointIn(segment, m.index)
    if (!place) continue
    starts.push(m.index)
    data.words.push({norm: m[0].toLowerCase().replace(/’/g, "'").normalize('NFKC'), raw: m[0], ...place})
  }
  for (const [from, to] of quoted) {
    let start = -1
    let end = -1
    starts.forEach((offset, i) => {
      if (offset > from && offset < to) {
        if (start === -1) start = first + i
        end = first + i + 1
      }
    })
    if (start !== -1) data.quotations.push({start, end, kind: context.inQuote ? 'block' : 'inline'})
  }
}

/** The manuscript place of an offset in a segment’s value. */
export function pointIn(segment: Segment, offset: number): Point | undefined {
  const span = segment.spans.find((s) => offset >= s.start && offset < s.end) || segment.spans.find((s) => offset === s.end)
  if (!span) return undefined
  const before = span.text.slice(0, offset - span.start)
  const lines = before.split('\n')
  if (lines.length === 1) return {line: span.line, column: span.column + before.length}
  return {line: span.line + lines.length - 1, column: lines.at(-1)!.length + 1}
}

declare module 'vfile' {
  interface DataMap {
    crossText: CrossText
  }
}
