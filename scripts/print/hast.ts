/**
 * Parse the reader HTML into a hast tree and back. The reader HTML is produced by
 * hast-util-to-html, so it is well formed; htmlparser2 (already installed) is enough to read it.
 */
import {randomUUID} from 'node:crypto'
import {Parser} from 'htmlparser2'
import {h} from 'hastscript'
import {toHtml} from 'hast-util-to-html'
import type {Element, Root, RootContent} from 'hast'

const voids = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr'])

/** Parse an HTML document (or fragment) into a hast root. */
export function fromHtml(html: string): Root {
  const root: Root = {type: 'root', children: []}
  const stack: Array<Root | Element> = [root]
  const top = () => stack[stack.length - 1]
  const parser = new Parser(
    {
      onprocessinginstruction(name) {
        if (name.toLowerCase() === '!doctype') root.children.push({type: 'doctype'})
      },
      onopentag(name, attribs) {
        const element = h(name, attribs) as Element
        ;(top().children as RootContent[]).push(element)
        if (!voids.has(name)) stack.push(element)
      },
      onclosetag(name) {
        if (voids.has(name)) return
        for (let i = stack.length - 1; i > 0; i--) {
          const node = stack[i] as Element
          if (node.tagName === name) {
            stack.length = i
            return
          }
        }
      },
      ontext(text) {
        const parent = top()
        const last = parent.children[parent.children.length - 1]
        if (last && last.type === 'text') last.value += text
        else (parent.children as RootContent[]).push({type: 'text', value: text})
      },
      oncomment(data) {
        ;(top().children as RootContent[]).push({type: 'comment', value: data})
      }
    },
    {decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: true}
  )
  parser.write(html)
  parser.end()
  return root
}

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
