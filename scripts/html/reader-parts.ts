/**
 * The one reading of the reader HTML’s contract (docs/reader-html.md) for its parts: which
 * top-level sections are front matter, texts and back matter, what each is called and which are
 * the pipeline’s own. The build reads its document once (html/document.ts); a stage given HTML
 * text instead, and `reader diff` reading a build folder, read it here too, on hast-util-from-html.
 */
import type {Element, Root} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import {select} from 'hast-util-select'
import {toString} from 'hast-util-to-string'
import type {ReaderHtml, ReaderPart} from '../model.ts'

/** Parts the pipeline writes itself: their changes follow from the texts’ changes. */
const generated = ['half-title', 'title-page', 'copyright', 'toc', 'textual-notes', 'index']

/** The parts of a reader HTML tree (`body > section.part, body > nav.part`), in order. */
export function readerParts(tree: Root): ReaderPart[] {
  const body = select('body', tree)
  const parts: ReaderPart[] = []
  for (const node of body?.children ?? []) {
    if (node.type !== 'element' || (node.tagName !== 'section' && node.tagName !== 'nav')) continue
    const classes = classNames(node)
    if (!classes.includes('part')) continue
    const matter = classes.includes('text') ? 'text' : classes.includes('back') ? 'back' : 'front'
    const h1 = select('h1', node)
    const heading = h1 ? clean(toString(h1)) : ''
    parts.push({
      id: String(node.properties.id || ''),
      matter,
      classes: classes.filter((name) => name !== 'part' && name !== matter),
      generated: classes.some((name) => generated.includes(name)),
      heading,
      author: String(node.properties.dataAuthor || ''),
      shortTitle: String(node.properties.dataTitle || (h1 ? toString(h1).trim() : '')),
      sections: matter === 'text' ? sections(node) : []
    })
  }
  return parts
}

/** Reader HTML text (a file on disk, a fixture) as a tree with its parts. */
export function readReaderHtml(html: string): ReaderHtml {
  const tree = fromHtml(html)
  return {tree, html, parts: readerParts(tree)}
}

function sections(part: Element): ReaderPart['sections'] {
  const found: ReaderPart['sections'] = []
  const walk = (node: Element) => {
    for (const child of node.children) {
      if (child.type !== 'element') continue
      if (child.tagName === 'h2' && child.properties.id !== undefined && child.properties.id !== null && !classNames(child).includes('notes-title')) {
        found.push({id: String(child.properties.id), title: clean(toString(child))})
      }
      walk(child)
    }
  }
  walk(part)
  return found
}

function classNames(node: Element): string[] {
  const value: unknown = node.properties.className
  return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(/\s+/) : []
}

function clean(text: string): string {
  return text.trim().replace(/\s+/g, ' ')
}
