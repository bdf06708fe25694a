/**
 * Every character in the book face. Characters the face lacks are replaced by what
 * templates/fonts.yaml says prints instead, so no fallback font creeps into the PDF: a replacement
 * of more than one character (‖ drawn as the face’s two bars) is set in `span.glyph-sub`, which the
 * stylesheets draw as one mark. Given the face, a character it still lacks stops the print
 * (`glyph-missing`), naming the character and where it is: a mark the face lacks is an error, not a
 * fallback.
 */
import type {Root, Element, ElementContent} from 'hast'
import {ReaderError} from '../errors.ts'
import {selectAll} from 'hast-util-select'
import {missingCharacters, missingSmallCaps, type BookFace} from '../fonts.ts'

export interface Options {
  substitutes: Record<string, string>
  /** The face to check the printed text against (the print passes it; the EPUB reports its own warning). */
  face?: BookFace
}

export default function rehypeBookFaceGlyphs(options: Readonly<Options>) {
  // Back-links (↩) are hidden in print; their arrow is dropped so it cannot ask for another font.
  const substitutes: Record<string, string> = {'\u21A9': '', ...options.substitutes}
  const pattern = new RegExp(`[${Object.keys(substitutes).map((c) => c.replace(/[\]\\^-]/g, '\\$&')).join('')}]`, 'gu')
  const replace = (value: string): ElementContent[] => {
    const out: ElementContent[] = []
    let last = 0
    for (const match of value.matchAll(pattern)) {
      const instead = substitutes[match[0]]
      if ([...instead].length < 2) continue
      if (match.index > last) out.push({type: 'text', value: value.slice(last, match.index)})
      out.push({type: 'element', tagName: 'span', properties: {className: ['glyph-sub'], dataFor: match[0]}, children: [{type: 'text', value: instead}]})
      last = match.index + match[0].length
    }
    if (last < value.length) out.push({type: 'text', value: value.slice(last)})
    return out.map((node) => (node.type === 'text' ? {...node, value: node.value.replace(pattern, (c) => substitutes[c])} : node))
  }
  const walk = (node: Root | Element) => {
    const children: Array<Root['children'][number]> = []
    for (const child of node.children) {
      if (child.type === 'text') children.push(...replace(child.value))
      else {
        if (child.type === 'element') walk(child)
        children.push(child)
      }
    }
    node.children = children as typeof node.children
  }
  return function (tree: Root): undefined {
    walk(tree)
    if (options.face) checkGlyphs(tree, options.face)
  }
}

/**
 * What print.css sets in small capitals (`font-variant-caps: all-small-caps`), besides the running
 * heads: their letters must have small capitals in the face (tests/print/glyphs.test.ts holds this
 * list to the stylesheet). Italics inside them keep their own letters (print.css).
 */
export const smallCapsSelectors = [
  '.lead-in',
  'abbr',
  '.part.half-title h1',
  '.part.half-title p',
  '.title-page .book-editor',
  '.title-page .book-imprint',
  '.editorial h2',
  '.back h2',
  '.text-author',
  '.epigraph .attribution',
  '.text h2',
  '.notes-title',
  '.contributor-name'
]
const italics = new Set(['i', 'em', 'cite'])

/** Stop at the first printed character the face has no glyph (or, in small capitals, no small capital) for, naming it and the words around it. */
function checkGlyphs(tree: Root, face: BookFace): void {
  const missing: Array<{char: string; near: string; part: string; family: string; smallCaps?: boolean}> = []
  const seen = new Set<string>()
  const setInSmallCaps = new Set<Element>(selectAll(smallCapsSelectors.join(', '), tree))
  let part = ''
  // Code and preformatted text are set in the code face (fonts.yaml `code:`) where there is one.
  let inCode = false
  let smallCaps = false
  const note = (value: string, chars: string[], family: string, asSmallCaps?: boolean) => {
    for (const char of chars) {
      if (seen.has(char + family + (asSmallCaps ? 'sc' : ''))) continue
      seen.add(char + family + (asSmallCaps ? 'sc' : ''))
      const at = value.indexOf(char)
      missing.push({char, near: value.slice(Math.max(0, at - 30), at + 30).replace(/\s+/g, ' ').trim(), part, family, smallCaps: asSmallCaps})
    }
  }
  const walk = (node: Root | Element) => {
    for (const child of node.children) {
      if (child.type === 'element') {
        const classes = [child.properties.className ?? []].flat().map(String)
        // What print never shows (print.css: `[data-print-hidden]`, `.del`, `.visually-hidden`; the head).
        if (['head', 'script', 'style'].includes(child.tagName) || child.properties.dataPrintHidden !== undefined || classes.includes('del') || classes.includes('visually-hidden')) continue
        const [outer, outerCode, outerCaps] = [part, inCode, smallCaps]
        if (classes.includes('part') && typeof child.properties.id === 'string') {
          part = child.properties.id
          // The running heads (print.css `@top-center`, in small capitals): the part’s author, short title and heading.
          const heads = [child.properties.dataAuthor, child.properties.dataTitle].filter((value): value is string => typeof value === 'string').join(' ')
          note(heads, missingSmallCaps(heads, face), face.family, true)
        }
        if (['code', 'pre', 'kbd', 'samp', 'tt'].includes(child.tagName)) inCode = true
        if (setInSmallCaps.has(child)) smallCaps = true
        if (italics.has(child.tagName)) smallCaps = false
        walk(child)
        ;[part, inCode, smallCaps] = [outer, outerCode, outerCaps]
      } else if (child.type === 'text') {
        const setIn = inCode && face.code ? face.code : face
        note(child.value, missingCharacters(child.value, setIn), setIn.family)
        if (smallCaps && !inCode) note(child.value, missingSmallCaps(child.value, face), face.family, true)
      }
    }
  }
  walk(tree)
  if (missing.length === 0) return
  const described = missing.map(
    ({char, near, part, family, smallCaps}) =>
      `\`${char}\` (U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})${smallCaps ? ' in small capitals' : ''} in ${part ? `#${part}` : 'the book'} (“${near}”${family === face.family ? '' : `, set in ${family}`})`
  )
  const what = missing.every((m) => m.smallCaps) ? 'no small capital' : missing.some((m) => m.smallCaps) ? 'no glyph (or no small capital)' : 'no glyph'
  throw new ReaderError(
    `Unexpected ${described.join('; ')}: the book face ${face.family} has ${what} for it, expected a character it has${missing.some((m) => m.smallCaps) ? ' (set small capitals only in letters the face has them for)' : ''}, or a substitute in templates/fonts.yaml`,
    {ruleId: 'glyph-missing'}
  )
}
