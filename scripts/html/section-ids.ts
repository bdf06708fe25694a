/**
 * rehype plugin: stable ids on a part’s section headings (`<prefix>-s-<n>`), for the contents,
 * the EPUB navigation and the PDF outline.
 */
import type {Root} from 'hast'
import {visit} from 'unist-util-visit'

export interface Options {
  prefix: string
}

export default function rehypeSectionIds(options: Readonly<Options>) {
  const {prefix} = options
  return function (tree: Root): undefined {
    let n = 0
    visit(tree, 'element', function (node) {
      if (/^h[2-6]$/.test(node.tagName) && !node.properties.id) {
        const classes = node.properties.className
        if (Array.isArray(classes) && classes.includes('notes-title')) return
        node.properties.id = `${prefix}-s-${++n}`
      }
    })
  }
}
