/**
 * Print page markers: put `<span epub:type="pagebreak" role="doc-pagebreak" id="page-N" aria-label="N"/>`
 * at the exact place in the text where each PDF page begins.
 *
 * A `PageStart` names the block (`data-b`) and how many characters of the block’s text content come
 * before the page’s first character, soft hyphens (U+00AD) not counted. The text node that holds that
 * character is split there.
 */
import type {Element, ElementContent, Root} from 'hast'
import type {VFile} from 'vfile'
import type {Pagination} from '../model.ts'
import {isElement} from './tree.ts'

const softHyphen = '\u00AD'

/** Elements in which a `span` may not stand (it would not be valid XHTML there). */
const noPhrasing = new Set(['ol', 'ul', 'dl', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'colgroup', 'select', 'head', 'html', 'menu'])

export interface PageMarker {
  id: string
  label: string
  /** 0-based physical page index in the PDF. */
  index: number
}

/** The marker element. */
function pageMarker(marker: PageMarker): Element {
  return {
    type: 'element',
    tagName: 'span',
    properties: {'epub:type': 'pagebreak', role: 'doc-pagebreak', id: marker.id, ariaLabel: marker.label},
    children: []
  }
}

export function isPageMarker(node: unknown): boolean {
  return isElement(node, 'span') && node.properties['epub:type'] === 'pagebreak'
}

/** An id for each printed folio: `page-47`, `page-iii`; a repeated folio gets the page index too. */
function markerIds(pagination: Pagination): Map<number, PageMarker> {
  const seen = new Set<string>()
  const result = new Map<number, PageMarker>()
  for (const start of pagination.starts) {
    if (!start.label) continue
    let id = 'page-' + start.label.replace(/[^\p{L}\p{N}_.-]+/gu, '-')
    if (seen.has(id)) id += '-' + (start.index + 1)
    seen.add(id)
    result.set(start.index, {id, label: start.label, index: start.index})
  }
  return result
}

/**
 * Insert the markers into `tree` (the whole reader HTML, before it is split into documents) and
 * return them in page order. Pages without a folio get no marker; a folio’d page without text (a
 * blank verso, a plate) is marked where the next page with text begins.
 */
export function insertPageMarkers(tree: Root, pagination: Pagination, file?: VFile): PageMarker[] {
  const blocks = new Map<number, Element>()
  const parents = new Map<Element, Element>()
  const walk = (node: Root | Element) => {
    for (const child of node.children) {
      if (child.type !== 'element') continue
      const b = child.properties.dataB
      if (b !== undefined && b !== null && b !== '') {
        blocks.set(Number(b), child)
        if (node.type === 'element') parents.set(child, node)
      }
      walk(child)
    }
  }
  walk(tree)
  const ids = markerIds(pagination)
  const placed: PageMarker[] = []
  let waiting: PageMarker[] = []
  const starts = [...pagination.starts].sort((a, b) => a.index - b.index)
  for (const start of starts) {
    const marker = ids.get(start.index)
    if (start.block === null) {
      if (marker) waiting.push(marker)
      continue
    }
    const block = blocks.get(start.block)
    if (!block) {
      file?.message(`Unexpected page start in block ${start.block}, expected a \`data-b\` block of that number in the reader HTML`, {
        ruleId: 'epub-page-block-missing',
        source: 'reader'
      })
      if (marker) waiting.push(marker)
      continue
    }
    const markers = [...waiting, ...(marker ? [marker] : [])]
    waiting = []
    if (markers.length === 0) continue
    const parent = parents.get(block)
    if (start.offset === 0 && parent && !noPhrasing.has(parent.tagName) && !noPhrasing.has(block.tagName)) {
      // A page that begins with a block: the marker goes just before it, not into a heading’s name.
      parent.children.splice(parent.children.indexOf(block), 0, ...markers.map(pageMarker))
    } else {
      insertAt(block, start.offset, markers.map(pageMarker))
    }
    placed.push(...markers)
  }
  if (waiting.length > 0) {
    // Blank pages at the very end: after the last block.
    const last = [...blocks.values()].at(-1)
    if (last) {
      last.children.push(...waiting.map(pageMarker))
      placed.push(...waiting)
    }
  }
  return placed.sort((a, b) => a.index - b.index)
}

interface TextSpot {
  parent: Element
  index: number
  value: string
}

/** The text nodes of `block` in document order, with their parents. */
function textNodes(block: Element): TextSpot[] {
  const spots: TextSpot[] = []
  const walk = (node: Element) => {
    node.children.forEach((child, index) => {
      if (child.type === 'text') spots.push({parent: node, index, value: child.value})
      else if (child.type === 'element') walk(child)
    })
  }
  walk(block)
  return spots
}

const counted = (value: string) => value.split(softHyphen).join('').length

/** Split `block`’s text `offset` counted characters in and put `nodes` there. */
function insertAt(block: Element, offset: number, nodes: Element[]): void {
  const spots = textNodes(block)
  let before = 0
  for (const spot of spots) {
    const length = counted(spot.value)
    if (before + length > offset && !noPhrasing.has(spot.parent.tagName)) {
      const raw = rawIndex(spot.value, Math.max(0, offset - before))
      const children = spot.parent.children as ElementContent[]
      const node = children[spot.index]
      if (node.type !== 'text') break
      if (raw === 0) {
        children.splice(spot.index, 0, ...nodes)
      } else {
        const tail = node.value.slice(raw)
        node.value = node.value.slice(0, raw)
        children.splice(spot.index + 1, 0, ...nodes, {type: 'text', value: tail})
      }
      return
    }
    before += length
  }
  // At (or past) the end of the block’s text.
  if (!noPhrasing.has(block.tagName)) block.children.push(...nodes)
  else block.children.unshift(...nodes)
}

/** The index in `value` of the `count`-th character, soft hyphens skipped. */
function rawIndex(value: string, count: number): number {
  let seen = 0
  for (let i = 0; i < value.length; i++) {
    if (value[i] === softHyphen) continue
    if (seen === count) return i
    seen++
  }
  return value.length
}
