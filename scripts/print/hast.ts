/**
 * Parse the reader HTML into a hast tree and back. The reader HTML is produced by
 * hast-util-to-html, so it is well formed; htmlparser2 (already installed) is enough to read it.
 */
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

/** The text of a node as the browser’s `textContent` gives it. */
export function textContent(node: Root | RootContent): string {
  if (node.type === 'text') return node.value
  if (node.type === 'element' || node.type === 'root') return node.children.map(textContent).join('')
  return ''
}

/** A class list as an array of strings. */
export function classes(node: Element): string[] {
  const value: unknown = node.properties.className
  return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(/\s+/) : []
}

export function hasClass(node: Element, name: string): boolean {
  return classes(node).includes(name)
}
