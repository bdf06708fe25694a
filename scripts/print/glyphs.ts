/**
 * Characters the book face lacks, replaced by what templates/fonts.yaml says prints instead, so no
 * fallback font creeps into the PDF (preflight rejects any font but the book’s).
 */
import type {Root, Text} from 'hast'
import {visit} from 'unist-util-visit'

export interface Options {
  substitutes: Record<string, string>
}

export default function rehypeBookFaceGlyphs(options: Readonly<Options>) {
  // Back-links (↩) are hidden in print; their arrow is dropped so it cannot ask for another font.
  const substitutes: Record<string, string> = {'\u21A9': '', ...options.substitutes}
  const pattern = new RegExp(`[${Object.keys(substitutes).map((c) => c.replace(/[\]\\^-]/g, '\\$&')).join('')}]`, 'gu')
  return function (tree: Root): undefined {
    visit(tree, 'text', (node: Text) => {
      node.value = node.value.replace(pattern, (c) => substitutes[c])
    })
  }
}
