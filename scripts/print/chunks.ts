/**
 * Split the print document into chunks Paged.js can paginate on their own: the front matter, each
 * text (or a few, in a long book), and the back matter. Every chunk begins with a part that starts on
 * a recto (`.part { break-before: right }`), so pagination of one chunk never depends on another:
 * the assembled book pads a chunk that ends on a recto with a blank verso, as a single pass would.
 * Each chunk is a whole HTML document with the same <head> and <html> attributes as the book.
 */
import {createHash} from 'node:crypto'
import type {Element, Root, RootContent, ElementContent} from 'hast'
import {select} from 'hast-util-select'
import {textLength, toHtmlString, toHtmlStringAround} from './hast.ts'
import {readerParts} from '../html/reader-parts.ts'
import type {ReaderPart} from '../model.ts'

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

/**
 * How many consecutive texts share a chunk: one each in a book of up to 24 texts (a correction
 * then lays out only its own text again); in a longer book, enough to keep about sixteen text
 * chunks. Each chunk costs a fixed set-up (a Paged.js pass, a print, a PDF to merge: about a
 * tenth of a second), and a chunk of a few dozen pages lays out and prints a third faster per
 * page than one of ten. Counted in texts, not pages, so that a correction never moves a boundary.
 */
function textsPerChunk(texts: number): number {
  return texts <= 24 ? 1 : Math.round(texts / 16)
}

export interface SplitOptions {
  /** The document’s parts (ReaderHtml.parts): which are front matter, texts and back matter. Read from `tree` when not given. */
  parts?: ReaderPart[]
  /** Texts per chunk (default: textsPerChunk). */
  textsPerChunk?: number
  /** Elements to add at the end of every chunk’s <head> (the scripts that load Paged.js). */
  head?: Element[]
}

export function splitChunks(tree: Root, options: SplitOptions = {}): Chunk[] {
  const html = select('html', tree)
  const body = select('body', tree)
  if (!html || !body) throw new Error('No <html> or <body> element')
  const head = select('head', tree)
  const parts = new Map((options.parts ?? readerParts(tree)).filter((part) => part.id).map((part) => [part.id, part]))
  const partOf = (node: Element) => parts.get(String(node.properties.id || ''))
  const partKind = (node: Element) => partOf(node)?.matter
  const isIndex = (node: Element) => partOf(node)?.classes.includes('index') ?? false
  const texts = body.children.filter((node) => node.type === 'element' && partKind(node) === 'text').length
  const perChunk = Math.max(1, options.textsPerChunk ?? textsPerChunk(texts))
  let inLast = 0

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
    // cost more in set-up than it saves); each text is its own, or shares one (textsPerChunk). In
    // a long book the index is a chunk of its own: with a link for each reference it is the
    // slowest to print, and it prints last, beside the rest of the back matter.
    const alone = perChunk > 1 && part === 'back' && (isIndex(node as Element) || (last?.nodes.some((n) => n.type === 'element' && isIndex(n)) ?? false))
    if (last && last.kind === part && !alone && (part !== 'text' || inLast < perChunk)) {
      last.nodes.push(node)
      if (part === 'text') inLast++
    } else {
      inLast = 1
      const name = part === 'text' || alone ? String((node as Element).properties.id || `chunk-${groups.length}`) : part
      groups.push({kind: part, name, nodes: [...pending, node]})
      pending = []
    }
  }
  if (pending.length) {
    if (groups.length) groups[groups.length - 1].nodes.push(...pending)
    else groups.push({kind: 'front', name: 'front', nodes: pending})
  }

  // Every chunk is the same shell (<html>, the <head>, an empty <body>) around its own nodes. The
  // shell is serialised and searched once, each chunk’s nodes once: `html` is built from the shell’s
  // two halves and `bodyHtml`, and what the chunk holds is the shell’s plus what its nodes hold (in
  // document order, the body’s children come last).
  const close = '</body></html>'
  const chunkHead = options.head?.length ? {...(head ?? {type: 'element' as const, tagName: 'head', properties: {}, children: []}), children: [...(head?.children ?? []), ...options.head]} : head
  const shell: Root = {type: 'root', children: [{...html, children: [...(chunkHead ? [chunkHead] : []), {...body, children: []}]}]}
  const open = '<!doctype html>\n' + toHtmlString(shell).slice(0, -close.length)
  const inShell = contents(shell.children)

  const owner = new Map<string, number>()
  const chunks = groups.map((group, index): Chunk => {
    const own = contents(group.nodes)
    const ids = [...inShell.ids, ...own.ids]
    for (const id of ids) if (!owner.has(id)) owner.set(id, index)
    const bodyHtml = toHtmlString({type: 'root', children: group.nodes as RootContent[]})
    const text = open + bodyHtml + close
    return {
      index,
      name: group.name,
      kind: group.kind,
      html: text,
      hash: createHash('sha256').update(text).digest('hex'),
      bodyHtml,
      textLength: group.nodes.reduce((sum, node) => sum + textLength(node), 0),
      ids,
      pageNumberFor: [...inShell.pageNumberFor, ...own.pageNumberFor],
      indexRuns: [...inShell.indexRuns, ...own.indexRuns],
      outsideLinks: [...new Set([...inShell.links, ...own.links])],
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

/**
 * The whole print document (`tree` without its doctype) from its chunks’ HTML, so that no node is
 * serialised twice: the chunks hold the body’s children, in order.
 */
export function joinChunks(tree: Root, chunks: Chunk[]): string {
  const body = select('body', tree)
  if (!body) throw new Error('No <body> element')
  return toHtmlStringAround(tree, body, chunks.map((chunk) => chunk.bodyHtml).join(''))
}

/** Ids whose pages a chunk’s placeholders print. */
export function placeholderTargets(chunk: Chunk): string[] {
  return [...chunk.pageNumberFor, ...chunk.indexRuns.flatMap((run) => run.split(' '))]
}

interface Contents {
  /** Ids (`[id]`, not empty). */
  ids: string[]
  /** `[data-pn-for]` values. */
  pageNumberFor: string[]
  /** `[data-ix-refs]` values. */
  indexRuns: string[]
  /** Targets of `a[href^="#"]`, decoded, and of the index runs’ links to come. */
  links: string[]
}

/** What the elements among `nodes` and below them hold, in document order (one walk). */
function contents(nodes: Array<RootContent | ElementContent>): Contents {
  const found: Contents = {ids: [], pageNumberFor: [], indexRuns: [], links: []}
  const walk = (nodes: Array<RootContent | ElementContent>) => {
    for (const node of nodes) {
      if (node.type !== 'element') continue
      const {id, dataPnFor, dataIxRefs, href} = node.properties
      if (typeof id === 'string' && id) found.ids.push(id)
      if (dataPnFor !== undefined && dataPnFor !== null) found.pageNumberFor.push(String(dataPnFor))
      if (dataIxRefs !== undefined && dataIxRefs !== null) {
        found.indexRuns.push(String(dataIxRefs))
        // Filled with links to these ids after pagination (paginate.ts `apply`).
        found.links.push(...String(dataIxRefs).split(' ').filter(Boolean))
      }
      if (node.tagName === 'a' && String(href ?? '').startsWith('#')) found.links.push(decodeURIComponent(String(href).slice(1)))
      walk(node.children)
    }
  }
  walk(nodes)
  return found
}
