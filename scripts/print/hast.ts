/**
 * What the print step does with hast trees besides its plugins: serialise them (whole, or around a
 * part already serialised), read their text, walk their elements, read class lists. (Reading HTML
 * is hast-util-from-html’s, where a stage starts from a file; the build hands the tree itself on.)
 */
import {randomUUID} from 'node:crypto'
import {toHtml} from 'hast-util-to-html'
import type {Element, Root, RootContent} from 'hast'

/** Serialise a hast root as HTML. */
export function toHtmlString(tree: Root): string {
  return toHtml(tree, {allowDangerousHtml: false})
}

/**
 * `toHtmlString(tree)` when the HTML of `element`’s children is at hand already: the rest of the
 * tree is serialised around a marker in their place. `inner` is their HTML as `toHtmlString` gives
 * it for them at a root, which is how they serialise inside any element but a script or a style.
 */
export function toHtmlStringAround(tree: Root, element: Element, inner: string): string {
  // A fresh marker: no document holds it already.
  const marker = `<!--${randomUUID()}-->`
  const children = element.children
  element.children = [{type: 'comment', value: marker.slice(4, -3)}]
  let pieces: string[]
  try {
    pieces = toHtmlString(tree).split(marker)
  } finally {
    element.children = children
  }
  // Not found: `element` is not in the tree.
  return pieces.length === 2 ? pieces[0] + inner + pieces[1] : toHtmlString(tree)
}

/** The text of a node as the browser’s `textContent` gives it. */
export function textContent(node: Root | RootContent): string {
  if (node.type === 'text') return node.value
  if (node.type === 'element' || node.type === 'root') return node.children.map(textContent).join('')
  return ''
}

/** The length of `textContent(node)`, without building the string. */
export function textLength(node: Root | RootContent): number {
  if (node.type === 'text') return node.value.length
  if (node.type !== 'element' && node.type !== 'root') return 0
  let length = 0
  for (const child of node.children) length += textLength(child)
  return length
}

/**
 * Call `enter` for each element below `tree`, in document order, with its parent. A plain walk:
 * the print step makes several passes over a whole book, and unist-util-visit’s generality
 * (tests, ancestor lists) costs more than the work each pass does. `enter` may read but not
 * restructure the tree.
 */
export function eachElement(tree: Root | Element, enter: (node: Element, parent: Root | Element) => void): void {
  for (const child of tree.children) {
    if (child.type !== 'element') continue
    enter(child, tree)
    eachElement(child, enter)
  }
}

/** A class list as an array of strings. */
export function classes(node: Element): string[] {
  const value: unknown = node.properties.className
  return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(/\s+/) : []
}

export function hasClass(node: Element, name: string): boolean {
  return classes(node).includes(name)
}
