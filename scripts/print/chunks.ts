/**
 * Split the print document into chunks Paged.js can paginate on their own: the front matter, each
 * text, and the back matter. Every chunk begins with a part that starts on
 * a recto (`.part { break-before: right }`), so pagination of one chunk never depends on another:
 * the assembled book pads a chunk that ends on a recto with a blank verso, as a single pass would.
 * Each chunk is a whole HTML document with the same <head> and <html> attributes as the book.
 */
import {createHash} from 'node:crypto'
import type {Element, Root, RootContent, ElementContent} from 'hast'
import {select, selectAll} from 'hast-util-select'
import {visit} from 'unist-util-visit'
import {toHtmlString} from './hast.ts'

export interface Chunk {
  index: number
  /** The id of its first part (`front`, `t-lena-remembering-victor-serge`, `index`). */
  name: string
  kind: 'front' | 'text' | 'back'
  /** The chunk as a print HTML document. */
  html: string
  /** sha256 of `html`. */
  hash: string
  /** What its <body> holds (the rest of `html` is the same in every chunk). */
  bodyHtml: string
  /** Characters of text in it, to foresee its page count. */
  textLength: number
  /** Every id inside the chunk. */
  ids: string[]
  /** Targets of the page-number placeholders in the chunk (`[data-pn-for]`). */
  pageNumberFor: string[]
  /** The index runs in the chunk (`[data-ix-refs]` values). */
  indexRuns: string[]
  /** Ids outside the chunk that its links point to (given stand-in targets so the links survive). */
  outsideLinks: string[]
  /** Ids inside the chunk that other chunks link to (given a hidden link so Chromium names them). */
  linkedFromOutside: string[]
}

export function splitChunks(tree: Root): Chunk[] {
  const html = select('html', tree)
  const body = select('body', tree)
  if (!html || !body) throw new Error('No <html> or <body> element')
  const head = select('head', tree)

  const groups: Array<{kind: Chunk['kind']; name: string; nodes: ElementContent[]}> = []
  let pending: ElementContent[] = []
  for (const node of body.children) {
    const part = node.type === 'element' && partKind(node)
    if (!part) {
      // Whitespace, comments, stray blocks: with the chunk in progress (or the next one).
      if (groups.length) groups[groups.length - 1].nodes.push(node)
      else pending.push(node)
      continue
    }
    const last = groups[groups.length - 1]
    // The front matter is one chunk, and so is the back matter (short parts: a chunk each would
    // cost more in set-up than it saves); each text is its own.
    if (part !== 'text' && last && last.kind === part) last.nodes.push(node)
    else {
      const name = part === 'text' ? String((node as Element).properties.id || `chunk-${groups.length}`) : part
      groups.push({kind: part, name, nodes: [...pending, node]})
      pending = []
    }
  }
  if (pending.length) {
    if (groups.length) groups[groups.length - 1].nodes.push(...pending)
    else groups.push({kind: 'front', name: 'front', nodes: pending})
  }

  const owner = new Map<string, number>()
  const chunks = groups.map((group, index): Chunk => {
    const doc: Root = {
      type: 'root',
      children: [
        {
          ...html,
          children: [...(head ? [head] : []), {...body, children: group.nodes}] as ElementContent[]
        } as RootContent
      ]
    }
    const ids: string[] = []
    visit(doc, 'element', (node: Element) => {
      if (typeof node.properties.id === 'string' && node.properties.id) ids.push(node.properties.id)
    })
    for (const id of ids) if (!owner.has(id)) owner.set(id, index)
    const text = '<!doctype html>\n' + toHtmlString(doc)
    return {
      index,
      name: group.name,
      kind: group.kind,
      html: text,
      hash: createHash('sha256').update(text).digest('hex'),
      bodyHtml: toHtmlString({type: 'root', children: group.nodes as RootContent[]}),
      textLength: group.nodes.reduce((sum, node) => sum + textLength(node), 0),
      ids,
      pageNumberFor: selectAll('[data-pn-for]', doc).map((e) => String(e.properties.dataPnFor)),
      indexRuns: selectAll('[data-ix-refs]', doc).map((e) => String(e.properties.dataIxRefs)),
      outsideLinks: [...new Set(selectAll('a[href^="#"]', doc).map((a) => decodeURIComponent(String(a.properties.href).slice(1))))],
      linkedFromOutside: []
    }
  })
  for (const chunk of chunks) {
    chunk.outsideLinks = chunk.outsideLinks.filter((id) => owner.has(id) && owner.get(id) !== chunk.index)
    for (const id of chunk.outsideLinks) chunks[owner.get(id)!].linkedFromOutside.push(id)
  }
  for (const chunk of chunks) chunk.linkedFromOutside = [...new Set(chunk.linkedFromOutside)].sort()
  return chunks
}

/** Ids whose pages a chunk’s placeholders print. */
export function placeholderTargets(chunk: Chunk): string[] {
  return [...chunk.pageNumberFor, ...chunk.indexRuns.flatMap((run) => run.split(' '))]
}

function textLength(node: ElementContent): number {
  if (node.type === 'text') return node.value.length
  if (node.type === 'element') return node.children.reduce((sum, child) => sum + textLength(child), 0)
  return 0
}

function partKind(node: Element): Chunk['kind'] | undefined {
  const classes = Array.isArray(node.properties.className) ? node.properties.className.map(String) : []
  if (!classes.includes('part')) return undefined
  return classes.includes('text') ? 'text' : classes.includes('back') ? 'back' : 'front'
}
