/**
 * Number the block elements in document order (`data-b`), as the reader HTML pipeline will.
 * A tree that already carries `data-b` anywhere is left alone.
 */
import type {Root, Element} from 'hast'
import {eachElement} from './hast.ts'

const blocks = new Set(['p', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'dd', 'dt', 'td', 'th'])

export default function rehypeBlockNumbers() {
  return function (tree: Root): undefined {
    // One walk: the blocks are gathered, and numbered only if nothing was numbered already.
    let numbered = false
    const found: Element[] = []
    eachElement(tree, (node) => {
      if (node.properties.dataB !== undefined) numbered = true
      if (blocks.has(node.tagName)) found.push(node)
    })
    if (numbered) return
    let n = 0
    for (const node of found) node.properties.dataB = String(++n)
  }
}
