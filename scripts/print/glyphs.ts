/**
 * Characters the book face lacks, replaced by what templates/fonts.yaml says prints instead, so no
 * fallback font creeps into the PDF (preflight rejects any font but the book’s).
 */
import type {Root, Element} from 'hast'

export interface Options {
  substitutes: Record<string, string>
}

export default function rehypeBookFaceGlyphs(options: Readonly<Options>) {
  // Back-links (↩) are hidden in print; their arrow is dropped so it cannot ask for another font.
  const substitutes: Record<string, string> = {'\u21A9': '', ...options.substitutes}
  const pattern = new RegExp(`[${Object.keys(substitutes).map((c) => c.replace(/[\]\\^-]/g, '\\$&')).join('')}]`, 'gu')
  const walk = (node: Root | Element) => {
    for (const child of node.children) {
      if (child.type === 'text') child.value = child.value.replace(pattern, (c) => substitutes[c])
      else if (child.type === 'element') walk(child)
    }
  }
  return function (tree: Root): undefined {
    walk(tree)
  }
}
