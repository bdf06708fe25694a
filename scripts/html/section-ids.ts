/**
 * rehype plugin: stable ids on a part’s section headings (`<part id>-s-<n>`), for the contents,
 * the EPUB navigation and the PDF outline.
 */
import type {Root} from 'hast'
import type {VFile} from 'vfile'
import {visit} from 'unist-util-visit'

export default function rehypeSectionIds() {
  return function (tree: Root, file: VFile): undefined {
    const prefix = file.data.partId ?? ''
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
