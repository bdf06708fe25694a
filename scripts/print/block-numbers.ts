/**
 * Number the block elements in document order (`data-b`), as the reader HTML pipeline will.
 * A tree that already carries `data-b` anywhere is left alone.
 */
import type {Root, Element} from 'hast'
import {visit} from 'unist-util-visit'

const blocks = new Set(['p', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'dd', 'dt', 'td', 'th'])

export default function rehypeBlockNumbers() {
  return function (tree: Root): undefined {
    let numbered = false
    visit(tree, 'element', (node: Element) => {
      if (node.properties.dataB !== undefined) numbered = true
    })
    if (numbered) return
    let n = 0
    visit(tree, 'element', (node: Element) => {
      if (blocks.has(node.tagName)) node.properties.dataB = String(++n)
    })
  }
}
