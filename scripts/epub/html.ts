/**
 * The reader HTML as a hast tree, and back out as XHTML.
 *
 * No hast parser is installed (hast-util-from-html / rehype-parse), so the string is parsed with
 * htmlparser2 (already here through epub-gen-memory) and turned into hast with hastscript, which maps
 * attribute names to hast properties exactly as rehype would. From then on the EPUB step only uses
 * hast utilities.
 *
 * A rebuild parses only what changed: `parseReaderHtml` parses each top-level element of `<body>` (a
 * part of the book) on its own and keeps its tree in the build cache by its source text.
 */
import {toString} from 'hast-util-to-string'
import {parseDocument} from 'htmlparser2'
import type {Node as DomNode, Element as DomElement} from 'domhandler'
import {h} from 'hastscript'
import {toHtml} from 'hast-util-to-html'
import type {Element, ElementContent, Root, RootContent, Text} from 'hast'
import {codeVersion, sha256, type Cache} from '../cache.ts'

/** Parse an HTML document into a hast root (comments, doctype and processing instructions dropped). */
export function parseHtml(html: string): Root {
  const dom = parseDocument(html, {decodeEntities: true, lowerCaseAttributeNames: true, lowerCaseTags: true})
  return {type: 'root', children: convertAll(dom.children) as RootContent[]}
}

/**
 * `parseHtml(html)`, each top-level element of `<body>` parsed on its own and kept in `cache` by its
 * source text, so that an unchanged part is not parsed again. An element parsed on its own gives the
 * tree it has in the whole document when it opens and closes within its own text, and `<body>` is a
 * child of `<html>` (or of the document) with nothing but such elements and white space in it: this
 * is checked, and any document where it does not hold is parsed whole.
 */
export function parseReaderHtml(html: string, cache: Cache | undefined, count: {parsed: number; reused: number}): Root {
  const split = cache?.dir ? splitBody(html) : undefined
  if (!cache || !split) return parseHtml(html)
  const tree = parseHtml(split.outside)
  const top: Root | Element = tree.children.find((n): n is Element => isElement(n, 'html')) ?? tree
  const body = (top.children as Array<RootContent | ElementContent>).find((n): n is Element => isElement(n, 'body'))
  if (!body || body.children.length > 0) return parseHtml(html)
  let parsed = 0
  let reused = 0
  for (const source of split.parts) {
    if (!source.startsWith('<')) {
      body.children.push(text(source))
      continue
    }
    const key = sha256(codeVersion(), 'parse', source)
    const kept = cache.get<ElementContent>(parseStage, key)
    if (kept && kept.type === 'element') {
      body.children.push(kept)
      reused++
      continue
    }
    const node = parseAlone(source)
    if (!node) return parseHtml(html)
    if (jsonSafe(node)) cache.put(parseStage, key, node)
    body.children.push(node)
    parsed++
  }
  count.parsed += parsed
  count.reused += reused
  return tree
}

const parseStage = 'epub-parse'

/** Marks the end of an element parsed on its own: if it is a sibling of the element, the element was closed within its text. */
const sentinel = '<x-reader-end></x-reader-end>'

/** The one element that `source` is, closed within it; else nothing. */
function parseAlone(source: string): Element | undefined {
  const [node, end, ...rest] = parseHtml(source + sentinel).children
  const closed = isElement(end, 'x-reader-end') && end.children.length === 0 && rest.length === 0
  return closed && isElement(node) ? node : undefined
}

/** Whether `node` comes back the same from JSON (numbers such as `Infinity` and `-0` do not). */
function jsonSafe(node: Element): boolean {
  const safe = (value: unknown) => typeof value !== 'number' || (Number.isFinite(value) && !Object.is(value, -0))
  for (const value of Object.values(node.properties)) {
    if (!(Array.isArray(value) ? value.every(safe) : safe(value))) return false
  }
  return node.children.every((child) => child.type !== 'element' || jsonSafe(child))
}

// Tags as htmlparser2 reads them (outside foreign content and raw text, which make `splitBody` give up).
const openTag = /<([a-zA-Z][^\t\n\f\r />]*)(?:[^>"']|"[^"]*"|'[^']*')*>/y
const closeTag = /<\/([a-zA-Z][^\t\n\f\r />]*)[^>]*>/y
const voidElements = new Set(['area', 'base', 'basefont', 'br', 'col', 'command', 'embed', 'frame', 'hr', 'img', 'input', 'isindex', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr'])
const opaque = new Set(['script', 'style', 'title', 'textarea', 'xmp', 'plaintext', 'noembed', 'noframes', 'iframe', 'noscript', 'svg', 'math'])

/**
 * The document without the content of `<body>` (`outside`), and that content as the source of each
 * top-level element and each run of white space between them; nothing if it is not only those.
 */
function splitBody(html: string): {outside: string; parts: string[]} | undefined {
  const found = /<body[\t\n\f\r />]/i.exec(html)
  if (!found) return undefined
  openTag.lastIndex = found.index
  if (!openTag.exec(html)) return undefined
  const start = openTag.lastIndex
  const parts: string[] = []
  let at = start
  for (;;) {
    const lt = html.indexOf('<', at)
    if (lt === -1) return undefined
    if (lt > at) {
      const space = html.slice(at, lt)
      if (!/^[\t\n\f\r ]+$/.test(space)) return undefined
      parts.push(space)
    }
    if (/^<\/body[\t\n\f\r />]/i.test(html.slice(lt, lt + 7))) return {outside: html.slice(0, start) + html.slice(lt), parts}
    const end = elementEnd(html, lt)
    if (end === undefined) return undefined
    parts.push(html.slice(lt, end))
    at = end
  }
}

/** Where the element whose start tag is at `start` ends, counting its tags; nothing where that is not plain. */
function elementEnd(html: string, start: number): number | undefined {
  const open: string[] = []
  let at = start
  do {
    const lt = html.indexOf('<', at)
    if (lt === -1) return undefined
    const next = html.charCodeAt(lt + 1)
    const letter = (next >= 65 && next <= 90) || (next >= 97 && next <= 122)
    if (letter) {
      openTag.lastIndex = lt
      const match = openTag.exec(html)
      if (!match) return undefined
      const name = match[1].toLowerCase()
      if (opaque.has(name)) return undefined
      if (!voidElements.has(name)) open.push(name)
      at = openTag.lastIndex
    } else if (next === 47) {
      closeTag.lastIndex = lt
      const match = closeTag.exec(html)
      if (!match) return undefined
      const name = match[1].toLowerCase()
      if (name === 'body' || name === 'html') return undefined
      const index = open.lastIndexOf(name)
      if (index !== -1) open.length = index
      at = closeTag.lastIndex
    } else if (next === 33 || next === 63) {
      return undefined
    } else {
      if (at === start) return undefined
      at = lt + 1
    }
  } while (open.length > 0)
  return at
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
  // XML refuses a raw `<` in an attribute value (HTML allows it, so hast-util-to-html leaves it):
  // mark it while serialising, then write it as a character reference.
  const restore = markLessThanInAttributes(tree)
  try {
    const html = serialiseXhtml(tree)
    return restore.length > 0 ? html.replaceAll(lessThanMark, '&#x3C;') : html
  } finally {
    for (const undo of restore) undo()
  }
}

const lessThanMark = '\uE000'

function markLessThanInAttributes(node: Root | ElementContent): Array<() => void> {
  const undo: Array<() => void> = []
  if (node.type === 'element') {
    const properties = node.properties
    for (const [key, value] of Object.entries(properties)) {
      if (typeof value === 'string' && value.includes('<')) {
        properties[key] = value.replaceAll('<', lessThanMark)
        undo.push(() => (properties[key] = value))
      }
    }
  }
  if ('children' in node) for (const child of node.children) undo.push(...markLessThanInAttributes(child as ElementContent))
  return undo
}

function serialiseXhtml(tree: Root): string {
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

/**
 * The elements of `tree` (itself included) that pass `test`, in document order: what hast-util-select
 * gives for a selector that looks at one element only (`h2[id]`), without compiling and matching a selector.
 */
export function findAll(tree: Root | Element, test: (element: Element) => boolean): Element[] {
  const found: Element[] = []
  const walk = (node: Root | Element) => {
    if (node.type === 'element' && test(node)) found.push(node)
    for (const child of node.children) if (child.type === 'element') walk(child)
  }
  walk(tree)
  return found
}

/** The first element of `tree` (itself included) that passes `test`, in document order. */
export function findFirst(tree: Root | Element, test: (element: Element) => boolean): Element | undefined {
  if (tree.type === 'element' && test(tree)) return tree
  for (const child of tree.children) {
    if (child.type !== 'element') continue
    const found = findFirst(child, test)
    if (found) return found
  }
  return undefined
}

export function text(value: string): Text {
  return {type: 'text', value}
}
