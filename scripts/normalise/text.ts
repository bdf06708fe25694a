/**
 * The text of a block (paragraph, heading, table cell) as one string, so that a normaliser or a check
 * sees the characters either side of an inline boundary (`“*Memoirs*”`, `word[^1].`). Content that
 * must not be touched — inline code, raw HTML, autolinks, note references, editor’s note marks — is
 * one placeholder character, so edits never reach into it. Edits are applied back node by node; an
 * edit that spans two text nodes is dropped rather than guessed.
 */
import type {Nodes, Parents, Root, Text} from 'mdast'

/** A note reference (author’s or editor’s) in a block’s string. */
export const NOTE_MARK = '\uE000'
/** Any other inline content the normalisers must not touch (code, HTML, URLs, images). */
const OBJECT_MARK = '\uFFFC'

export interface Segment {
  node: Text
  /** Offsets of the node’s value in the block string. */
  start: number
  end: number
}

export interface Block {
  node: Parents
  value: string
  segments: Segment[]
}

export interface Edit {
  start: number
  end: number
  value: string
}

const blockTypes = new Set(['paragraph', 'heading', 'tableCell', 'leafDirective'])

/** Every block of the tree with phrasing content, in document order. */
export function collectBlocks(tree: Root | Parents): Block[] {
  const blocks: Block[] = []
  const walk = (node: Nodes) => {
    if (blockTypes.has(node.type)) {
      blocks.push(blockOf(node as Parents))
      return
    }
    if (isSkippedContainer(node)) return
    if ('children' in node) for (const child of node.children as Nodes[]) walk(child)
  }
  walk(tree as Nodes)
  return blocks
}

function isSkippedContainer(node: Nodes): boolean {
  return node.type === 'code' || node.type === 'html' || node.type === 'yaml'
}

/** One block’s string and the text nodes it is made of. */
export function blockOf(block: Parents): Block {
  const segments: Segment[] = []
  let value = ''
  const walk = (node: Nodes) => {
    switch (node.type) {
      case 'text':
        segments.push({node, start: value.length, end: value.length + node.value.length})
        value += node.value
        return
      case 'break':
        value += '\n'
        return
      case 'footnoteReference':
        value += NOTE_MARK
        return
      case 'inlineCode':
      case 'html':
      case 'image':
      case 'imageReference':
        value += OBJECT_MARK
        return
      case 'link':
        if (isAutolink(node)) {
          value += OBJECT_MARK
          return
        }
        break
      case 'textDirective': {
        const name = node.name
        if (name === 'ednote') {
          value += NOTE_MARK
          return
        }
        if (name === 'sic-mark' || name === 'del') {
          value += OBJECT_MARK
          return
        }
        break
      }
    }
    if ('children' in node) for (const child of node.children as Nodes[]) walk(child)
  }
  for (const child of block.children as Nodes[]) walk(child)
  return {node: block, value, segments}
}

function isAutolink(node: Nodes & {type: 'link'}): boolean {
  const text = node.children.map((c) => ('value' in c ? c.value : '')).join('')
  return text === node.url || `mailto:${text}` === node.url || /^(https?:|www\.)/i.test(text)
}

/** Apply edits to a block’s text nodes. Overlapping edits and edits across nodes are dropped. */
export function applyEdits(block: Block, edits: Edit[]): void {
  if (edits.length === 0) return
  const sorted = [...edits].sort((a, b) => a.start - b.start)
  const kept: Edit[] = []
  let last = -1
  for (const edit of sorted) {
    if (edit.start < last) continue
    kept.push(edit)
    last = edit.end
  }
  const bySegment = new Map<Segment, Edit[]>()
  for (const edit of kept) {
    const segment = block.segments.find((s) => edit.start >= s.start && edit.end <= s.end)
    if (!segment) continue
    const list = bySegment.get(segment) || []
    list.push(edit)
    bySegment.set(segment, list)
  }
  for (const [segment, mine] of bySegment) {
    let out = ''
    let at = segment.start
    const original = segment.node.value
    for (const edit of mine) {
      out += original.slice(at - segment.start, edit.start - segment.start) + edit.value
      at = edit.end
    }
    out += original.slice(at - segment.start)
    segment.node.value = out
  }
}

/** Run `fn` over every block of the tree and apply its edits. */
export function editBlocks(tree: Root, fn: (value: string) => Edit[]): void {
  for (const block of collectBlocks(tree)) {
    if (block.segments.length === 0) continue
    let edits: Edit[]
    try {
      edits = fn(block.value)
    } catch {
      continue
    }
    applyEdits(block, edits)
  }
}

/** Edits for every match of a global regular expression, from a replacer. */
export function regexEdits(value: string, pattern: RegExp, replace: (match: RegExpExecArray) => string | undefined): Edit[] {
  const edits: Edit[] = []
  pattern.lastIndex = 0
  for (let match = pattern.exec(value); match; match = pattern.exec(value)) {
    if (match[0].length === 0) {
      pattern.lastIndex++
      continue
    }
    const replacement = replace(match)
    if (replacement !== undefined && replacement !== match[0]) {
      edits.push({start: match.index, end: match.index + match[0].length, value: replacement})
    }
  }
  return edits
}

/** The segment containing an offset of the block string (the first, at a boundary). */
function segmentAt(block: Block, offset: number): Segment | undefined {
  return block.segments.find((s) => offset >= s.start && offset < s.end) || block.segments.find((s) => offset === s.end)
}

/** The manuscript line and column of an offset of a block’s string, when its text node has a position. */
export function pointAtOffset(block: Block, offset: number): {line: number; column: number} | undefined {
  const segment = segmentAt(block, offset)
  const start = segment?.node.position?.start
  if (!segment || !start) return undefined
  const before = segment.node.value.slice(0, offset - segment.start)
  const lines = before.split('\n')
  if (lines.length === 1) return {line: start.line, column: start.column + before.length}
  return {line: start.line + lines.length - 1, column: lines.at(-1)!.length + 1}
}
