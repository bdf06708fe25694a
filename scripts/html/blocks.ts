/**
 * Number every block of text in document order (`data-b`), so the print pagination can say where
 * each page begins and the EPUB can put its page-break markers at the same place.
 */
import type {Element} from 'hast'
import {visit} from 'unist-util-visit'

const blocks = new Set(['p', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'dt', 'dd', 'td', 'th', 'figcaption', 'pre'])

export function numberBlocks(body: Element): void {
  let n = 0
  visit(body, 'element', function (node) {
    if (blocks.has(node.tagName) && !containsBlock(node)) node.properties.dataB = ++n
  })
}

/** A list item holding paragraphs is not itself a block of text: its paragraphs are. */
function containsBlock(node: Element): boolean {
  return node.children.some((child) => child.type === 'element' && (blocks.has(child.tagName) || containsBlock(child)))
}
