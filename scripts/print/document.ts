/**
 * The print document: the stylesheets linked in the head, the screen’s scripts and inline styles
 * and stylesheet links removed (Paged.js would fail on a sheet it cannot fetch). Anything else that
 * points outside the build (images, other links) stays, and the request filter refuses it.
 */
import type {Root, Element} from 'hast'
import {select} from 'hast-util-select'

export interface Options {
  /** Stylesheet file names, relative to the print HTML. */
  stylesheets: string[]
  /** Class names for `<html>` (e.g. `print-shop`, `notes-footnotes`). */
  classNames: string[]
  /** Ids of the parts that begin on the next page, not the next recto (`run-on`): the back matter after its first part, when book.yaml says so. */
  runOn?: string[]
}

export default function rehypePrintDocument(options: Readonly<Options>) {
  return function (tree: Root): undefined {
    removeScreenOnly(tree)
    const html = select('html', tree)
    if (!html) throw new Error('No <html> element')
    html.properties.className = [...(Array.isArray(html.properties.className) ? html.properties.className.map(String) : []), ...options.classNames]
    // (A class on the part itself: Paged.js matches its break rules inside <body> only.)
    const runOn = new Set(options.runOn)
    const body = select('body', tree)
    for (const part of body?.children ?? []) {
      if (part.type === 'element' && runOn.has(String(part.properties.id))) part.properties.className = [...[part.properties.className ?? []].flat().map(String), 'run-on']
    }
    let head = select('head', tree)
    if (!head) {
      head = {type: 'element', tagName: 'head', properties: {}, children: []}
      html.children.unshift(head)
    }
    for (const href of options.stylesheets) {
      head.children.push({type: 'element', tagName: 'link', properties: {rel: ['stylesheet'], href}, children: []})
    }
  }
}

/** Remove scripts, inline styles and stylesheet links, at any depth. */
function removeScreenOnly(parent: Root | Element): void {
  for (let i = 0; i < parent.children.length; i++) {
    const node = parent.children[i]
    if (node.type !== 'element') continue
    const stylesheet = node.tagName === 'link' && /(^|\s)stylesheet(\s|$)/i.test([node.properties.rel].flat().join(' '))
    if (node.tagName === 'script' || node.tagName === 'style' || stylesheet) parent.children.splice(i--, 1)
    else removeScreenOnly(node)
  }
}
