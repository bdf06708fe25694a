/**
 * The reader HTML as a hast tree, and back out as XHTML.
 *
 * No hast parser is installed (hast-util-from-html / rehype-parse), so the string is parsed with
 * htmlparser2 (already here through epub-gen-memory) and turned into hast with hastscript, which maps
 * attribute names to hast properties exactly as rehype would. From then on the EPUB step only uses
 * hast utilities.
 */
import {toString} from 'hast-util-to-string'
import {parseDocument} from 'htmlparser2'
import type {Node as DomNode, Element as DomElement} from 'domhandler'
import {h} from 'hastscript'
import {toHtml} from 'hast-util-to-html'
import type {Element, ElementContent, Root, RootContent, Text} from 'hast'

/** Parse an HTML document into a hast root (comments, doctype and processing instructions dropped). */
export function parseHtml(html: string): Root {
  const dom = parseDocument(html, {decodeEntities: true, lowerCaseAttributeNames: true, lowerCaseTags: true})
  return {type: 'root', children: convertAll(dom.children) as RootContent[]}
}

function convertAll(nodes: readonly DomNode[]): ElementContent[] {
  const out: ElementContent[] = []
  for (const node of nodes) {
    const result = convert(node)
    if (result) out.push(result)
  }
  return out
}

function convert(node: DomNode): ElementContent | undefined {
  if (node.type === 'text') return {type: 'text', value: (node as unknown as {data: string}).data}
  if (node.type === 'tag' || node.type === 'script' || node.type === 'style') {
    const element = node as DomElement
    return h(element.name, {...element.attribs}, convertAll(element.children)) as Element
  }
  return undefined
}

/**
 * Serialise hast as XHTML: every element closed, every attribute quoted, nothing that an XML parser
 * would refuse. Boolean attributes have no XML form here, so callers remove them first.
 */
export function toXhtml(node: Root | Element | ElementContent[]): string {
  const tree: Root = Array.isArray(node) ? {type: 'root', children: node} : node.type === 'root' ? node : {type: 'root', children: [node]}
  return toHtml(tree, {
    space: 'html',
    closeSelfClosing: true,
    closeEmptyElements: true,
    collapseEmptyAttributes: false,
    omitOptionalTags: false,
    preferUnquoted: false,
    allowParseErrors: false,
    allowDangerousCharacters: false,
    characterReferences: {useNamedReferences: false}
  })
}

/** The concatenated text of a node, as `textContent` would give it. */
export function textOf(node: Root | ElementContent | RootContent): string {
  return node.type === 'comment' || node.type === 'doctype' ? '' : toString(node)
}

export function isElement(node: unknown, tagName?: string): node is Element {
  return (
    typeof node === 'object' &&
    node !== null &&
    (node as Element).type === 'element' &&
    (tagName === undefined || (node as Element).tagName === tagName)
  )
}

export function classes(node: Element): string[] {
  const value: unknown = node.properties.className
  return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(/\s+/) : []
}

export function hasClass(node: Element, name: string): boolean {
  return classes(node).includes(name)
}

export function text(value: string): Text {
  return {type: 'text', value}
}
