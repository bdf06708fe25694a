/**
 * The hast utilities of the EPUB step: its copy of the reader document’s tree without positions,
 * parts of it written out as XHTML, elements found and their text read.
 */
import {toString} from 'hast-util-to-string'
import {toHtml} from 'hast-util-to-html'
import {visit} from 'unist-util-visit'
import type {Element, ElementContent, Root, RootContent, Text} from 'hast'

/**
 * `tree` without positions: the trees of parts are compared and hashed by their content (a
 * position would change with every edit before them).
 */
export function withoutPositions(tree: Root): Root {
  visit(tree, (node) => {
    delete node.position
  })
  return tree
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
