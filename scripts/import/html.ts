/**
 * Import of an HTML copy-text (a web page, a Project Gutenberg HTML book, a Standard Ebooks chapter):
 * read with hast-util-from-html, its notes found and paired, turned into mdast with
 * hast-util-to-mdast and written out with remark-stringify, so headings, paragraphs, quotations,
 * verse lines (`<br>`), lists, tables and preformatted text come across as the HTML has them.
 *
 * A note reference is a link to a place in the same document whose text is a marker — `1`, `[1]`,
 * `(1)`, ` 11 ` (no-break spaces), `*`, `†` — on its own or in a `<sup>`, or any link marked as one
 * (`epub:type="noteref"`, `role="doc-noteref"`). The note is the block that holds the link's target
 * (`<p class="fn"><a name="fn11">`, `<li id="note-1">`, `<aside id>`), less its own mark and its link
 * back. A reference whose note is in another file, or not found, is reported and left as it is.
 */
import {fromHtml} from 'hast-util-from-html'
import {toMdast, defaultHandlers, type Handle, type State} from 'hast-util-to-mdast'
import {toString} from 'hast-util-to-string'
import type {Element, ElementContent, Nodes as HastNodes, Parents as HastParents, Root as HastRoot} from 'hast'
import type {Nodes as MdastNodes, PhrasingContent, Root as MdastRoot, RootContent} from 'mdast'
import {unified} from 'unified'
import remarkGfm from 'remark-gfm'
import remarkStringify from 'remark-stringify'
import type {VFile} from 'vfile'
import type {ImportOptions, ImportResult, ImportedWork} from './import.ts'
import {frontMatter} from './import.ts'

const source = 'reader'

/** The text of a note reference: a number, a symbol, in brackets or not, spaces around. */
const markerText = /^[\s\u00A0]*[[(]?[\s\u00A0]*(\d{1,3}|[*†‡§¶]{1,3})[\s\u00A0]*[\])]?[\s\u00A0]*$/u

/** Stands for a note reference in the text until the mdast is made (a private-use character pair). */
const open = '\uE000'
const close = '\uE001'

const blockTags = new Set(['p', 'li', 'aside', 'div', 'section', 'dd', 'blockquote', 'td', 'footer'])

interface Reference {
  link: Element
  /** The element replaced by the reference: the link, or a `<sup>` holding only it. */
  outer: Element
  parent: HastParents
  target: string
  key: string
}

export function importHtml(file: VFile, text: string, options: ImportOptions): ImportResult {
  const tree = fromHtml(text)
  const parents = new Map<HastNodes, HastParents>()
  const byId = new Map<string, Element>()
  const walk = (node: HastParents) => {
    for (const child of node.children) {
      parents.set(child, node)
      if (child.type !== 'element') continue
      for (const id of [child.properties.id, child.tagName === 'a' ? child.properties.name : undefined]) {
        if (typeof id === 'string' && !byId.has(id)) byId.set(id, child)
      }
      walk(child)
    }
  }
  walk(tree)
  dropNotText(tree)

  const candidates = findReferences(tree, parents).map((reference) => {
    const hash = reference.target.indexOf('#')
    const target = hash > 0 ? undefined : byId.get(reference.target.slice(1))
    return {...reference, elsewhere: hash > 0, block: target ? noteBlock(target, parents) : undefined}
  })
  // A link that opens a block another link leads to is that note's own mark, linking back
  // (Project Gutenberg's `<p class="fn"><a href="#ft11"> 11 </a>…`): not a reference.
  const targeted = new Map<Element, Element[]>()
  for (const candidate of candidates) {
    if (candidate.block) targeted.set(candidate.block, [...(targeted.get(candidate.block) ?? []), candidate.link])
  }
  const marks = new Set(
    candidates
      .filter(({link}) => [...targeted].some(([block, links]) => links.some((other) => other !== link) && contains(block, link) && opens(block, link)))
      .map(({link}) => link)
  )
  const notes = new Map<Element, string>()
  const labels = new Map<string, number>()
  let paired = 0
  for (const reference of candidates) {
    if (marks.has(reference.link)) continue
    const place = reference.link.position ? {start: reference.link.position.start, end: reference.link.position.end} : undefined
    const note = reference.block
    if (!note || contains(note, reference.link)) {
      file.message(
        reference.elsewhere
          ? `Unexpected note marker \`${reference.key}\` whose note is in another file (\`${reference.target}\`), expected the note in this copy-text: the marker is left as text`
          : `Unexpected note marker \`${reference.key}\` with no note at \`${reference.target}\`, expected an element with that id: the marker is left as text`,
        {place, ruleId: 'import-marker-no-note', source}
      )
      replace(reference.parent, reference.outer, {type: 'text', value: toString(reference.outer)})
      continue
    }
    let label = notes.get(note)
    if (!label) {
      // A number met again (notes that restart in each section) gets the section's prefix: `s2-1`.
      const seen = (labels.get(reference.key) ?? 0) + 1
      labels.set(reference.key, seen)
      label = seen === 1 ? reference.key : `s${seen}-${reference.key}`
      notes.set(note, label)
      paired++
      stripMark(note)
    }
    replace(reference.parent, reference.outer, {type: 'text', value: `${open}${label}${close}`})
  }
  for (const [note, label] of notes) {
    note.properties.dataReaderNote = label
    if (note.tagName !== 'div') note.tagName = 'div'
  }
  unwrapNoteLists(tree)
  dropRulesBeforeNotes(tree)
  quoteVerse(tree, file)

  // The title: a heading that opens the document (before any paragraph) goes to the front matter.
  let title = ''
  let subtitle = ''
  const first = firstBlock(tree)
  if (first && /^h[1-6]$/.test(first.tagName)) {
    ;[title, subtitle = ''] = headingLines(first)
    if (options.frontMatter) replace(parents.get(first)!, first, {type: 'text', value: ''})
  }
  if (!title) {
    const head = findElement(tree, (element) => element.tagName === 'title')
    if (head) title = toString(head).trim()
  }

  const mdast = toMdast(tree, {handlers: {div: noteDefinition, section: noteDefinition, aside: noteDefinition}}) as MdastRoot
  splitReferences(mdast)
  const body = unified()
    .use(remarkGfm)
    .use(remarkStringify, {bullet: '-', emphasis: '*', strong: '*', rule: '-', fences: true, resourceLink: true})
    .stringify(mdast)

  file.info(
    `Read the HTML copy-text: ${paired} note${paired === 1 ? '' : 's'} paired with ${paired === 1 ? 'its reference' : 'their references'}; headings, paragraphs, quotations, verse lines and lists as the HTML marks them`,
    {place: {line: 1, column: 1}, ruleId: 'import-html', source}
  )
  const lineCount = text.split(/\r\n|\r|\n/).length
  const work: ImportedWork = {
    title,
    author: '',
    lines: [1, lineCount],
    notes: {found: paired, matched: paired},
    markdown: options.frontMatter ? frontMatter(file, {title, subtitle, author: '', format: 'html', lines: undefined, removed: []}) + body : body
  }
  return {markdown: work.markdown, notes: work.notes, works: [work], joins: []}
}

/**
 * `<head>`, scripts and styles are not text; neither is an HTML comment, nor an anchor with no text
 * (`<a name="page56" title="56"></a>`, a page number of the print the HTML was made from).
 */
function dropNotText(node: HastParents): void {
  node.children = node.children.filter(
    (child) =>
      child.type !== 'comment' &&
      !(child.type === 'element' && ['head', 'script', 'style', 'template', 'noscript'].includes(child.tagName)) &&
      !(child.type === 'element' && child.tagName === 'a' && !toString(child).trim())
  ) as typeof node.children
  for (const child of node.children) if ('children' in child) dropNotText(child)
}

/** Links that are note references, in document order. */
function findReferences(tree: HastRoot, parents: Map<HastNodes, HastParents>): Reference[] {
  const found: Reference[] = []
  const visit = (node: HastParents) => {
    for (const child of node.children) {
      if (child.type !== 'element') continue
      const href = child.properties.href
      if (child.tagName === 'a' && typeof href === 'string' && href.includes('#')) {
        const text = toString(child)
        const marked = /\bnoteref\b/.test(String(child.properties.epubType ?? child.properties['epub:type'] ?? '')) || child.properties.role === 'doc-noteref'
        const marker = markerText.exec(text)
        if (marker || (marked && text.trim())) {
          const parent = parents.get(child)!
          const sup = parent.type === 'element' && parent.tagName === 'sup' && parent.children.filter((c) => !(c.type === 'text' && !c.value.trim())).length === 1 ? parent : undefined
          const key = marker ? marker[1].replace(/^0+(?=\d)/, '') : text.trim()
          found.push({link: child, outer: sup ?? child, parent: sup ? parents.get(sup)! : parent, target: href, key})
          continue
        }
      }
      visit(child)
    }
  }
  visit(tree)
  return found
}

/** The block a note's target is in: the target itself when it is a block, else its nearest block ancestor. */
function noteBlock(target: Element, parents: Map<HastNodes, HastParents>): Element | undefined {
  let node: HastNodes | undefined = target
  while (node && node.type === 'element') {
    if (blockTags.has(node.tagName)) return node
    node = parents.get(node)
  }
  return undefined
}

/** Whether `link` comes first in `block`, with no text before it. */
function opens(block: Element, link: Element): boolean {
  let before = ''
  let found = false
  const walk = (node: ElementContent): void => {
    if (found) return
    if (node === link) {
      found = true
      return
    }
    if (node.type === 'text') before += node.value
    else if (node.type === 'element') node.children.forEach(walk)
  }
  block.children.forEach(walk)
  return found && !before.trim()
}

function contains(outer: Element, inner: Element): boolean {
  if (outer === inner) return true
  return outer.children.some((child) => child.type === 'element' && contains(child, inner))
}

/**
 * A note's own mark and its link back to the reference (`<span><a href="#ft11"> 11 </a></span>`,
 * `<a epub:type="backlink">↩</a>`), and the empty anchor it is the target of, are not its text.
 */
function stripMark(note: Element): void {
  const back = (element: Element) => {
    if (element.tagName !== 'a') return false
    const href = String(element.properties.href ?? '')
    const text = toString(element)
    if (/\bbacklink\b/.test(String(element.properties.epubType ?? '')) || element.properties.role === 'doc-backlink') return true
    if (href.includes('#') && (markerText.test(text) || /^\s*[↩↑^]\s*$/u.test(text))) return true
    return !href && !text.trim() && (element.properties.name !== undefined || element.properties.id !== undefined)
  }
  const prune = (node: Element): boolean => {
    node.children = node.children.filter((child) => !(child.type === 'element' && back(child)))
    for (const child of node.children) if (child.type === 'element') prune(child)
    // A wrapper left empty by the pruning (`<span></span>`) goes too.
    node.children = node.children.filter((child) => !(child.type === 'element' && child.tagName === 'span' && !toString(child).trim()))
    return true
  }
  prune(note)
}

function replace(parent: HastParents, node: HastNodes, by: ElementContent): void {
  const index = parent.children.indexOf(node as never)
  if (index !== -1) parent.children.splice(index, 1, by as never)
}

/** A list whose items are all notes (`<ol class="endnotes">`) is no list: its notes stand on their own. */
function unwrapNoteLists(node: HastParents): void {
  const children: HastNodes[] = []
  for (const child of node.children) {
    if (child.type === 'element') {
      unwrapNoteLists(child)
      const notesOnly = child.children.some(isNote) && child.children.every((c) => isNote(c) || (c.type === 'text' && !c.value.trim()))
      if ((child.tagName === 'ol' || child.tagName === 'ul') && notesOnly) {
        children.push(...child.children.filter(isNote))
        continue
      }
    }
    children.push(child)
  }
  node.children = children as typeof node.children
}

/**
 * A rule (`<hr>`) with nothing but notes after it is the line above a page's or a chapter's notes,
 * not a break in the text: it goes (it has no words, so collation does not miss it).
 */
function dropRulesBeforeNotes(node: HastParents): void {
  const significant = (child: HastNodes) => !(child.type === 'text' && !child.value.trim()) && child.type !== 'comment'
  node.children = node.children.filter((child, index) => {
    if (child.type !== 'element' || child.tagName !== 'hr') return true
    const after = node.children.slice(index + 1).filter(significant)
    return !(after.length > 0 && after.every(isNote))
  }) as typeof node.children
  for (const child of node.children) if (child.type === 'element') dropRulesBeforeNotes(child)
}

/**
 * Verse: a paragraph of short lines broken with `<br>` (a stanza) is set as the plain-text import
 * sets it, a block quotation keeping its lines, so stanzas stand apart. Not inside a quotation already.
 */
function quoteVerse(node: HastParents, file: VFile): void {
  node.children = node.children.map((child) => {
    if (child.type !== 'element' || child.tagName === 'blockquote' || isNote(child)) return child
    if (child.tagName !== 'p') {
      quoteVerse(child, file)
      return child
    }
    const lines: string[] = ['']
    for (const part of child.children) {
      if (part.type === 'element' && part.tagName === 'br') lines.push('')
      else lines[lines.length - 1] += toString(part)
    }
    const texts = lines.map((line) => line.trim()).filter(Boolean)
    if (texts.length < 3 || lines.length < 3 || Math.max(...texts.map((line) => line.length)) > 90) return child
    file.info('Guessed verse from a paragraph of short lines broken with `<br>`, kept line by line as a quotation', {
      place: child.position,
      ruleId: 'import-verse',
      source
    })
    return {type: 'element', tagName: 'blockquote', properties: {}, children: [child], position: child.position}
  }) as typeof node.children
}

function isNote(node: HastNodes): boolean {
  return node.type === 'element' && node.properties.dataReaderNote !== undefined
}

function findElement(node: HastParents, test: (element: Element) => boolean): Element | undefined {
  for (const child of node.children) {
    if (child.type !== 'element') continue
    if (test(child)) return child
    const found = findElement(child, test)
    if (found) return found
  }
  return undefined
}

/** The first element of the body that holds text of its own: a heading or a paragraph. */
function firstBlock(tree: HastRoot): Element | undefined {
  return findElement(tree, (element) => /^(h[1-6]|p|blockquote|pre|ul|ol|table)$/.test(element.tagName) && toString(element).trim() !== '')
}

/** A heading's title and subtitle, at its first line break: `CHAPTER IV<br>VARIOUS INSTRUMENTS`. */
function headingLines(heading: Element): [string, string] {
  const lines: string[] = ['']
  const walk = (node: ElementContent) => {
    if (node.type === 'text') lines[lines.length - 1] += node.value
    else if (node.type === 'element') {
      if (node.tagName === 'br') lines.push('')
      else node.children.forEach(walk)
    }
  }
  heading.children.forEach(walk)
  const [title = '', ...rest] = lines.map((line) => line.replace(/\s+/g, ' ').trim()).filter(Boolean)
  return [title, rest.join(' ')]
}

/** A note's block becomes a footnote definition; any other `div`, `section` or `aside` is what it always is. */
const noteDefinition: Handle = (state: State, element: Element, parent) => {
  const label = element.properties.dataReaderNote
  if (typeof label !== 'string') return (defaultHandlers[element.tagName as 'div'] as Handle)(state, element, parent)
  const children = state.toFlow(state.all(element)) as RootContent[]
  const definition = {type: 'footnoteDefinition', identifier: label, label, children} as MdastNodes
  state.patch(element, definition)
  return definition
}

/** The references written into the text as `open label close` become footnote references. */
function splitReferences(node: MdastNodes): void {
  if (!('children' in node)) return
  const children: MdastNodes[] = []
  for (const child of node.children as MdastNodes[]) {
    if (child.type === 'text' && child.value.includes(open)) {
      const pattern = new RegExp(`${open}([^${close}]*)${close}`, 'g')
      let last = 0
      for (const match of child.value.matchAll(pattern)) {
        if (match.index! > last) children.push({type: 'text', value: child.value.slice(last, match.index)})
        children.push({type: 'footnoteReference', identifier: match[1], label: match[1]} as PhrasingContent)
        last = match.index! + match[0].length
      }
      if (last < child.value.length) children.push({type: 'text', value: child.value.slice(last)})
      continue
    }
    splitReferences(child)
    children.push(child)
  }
  ;(node as {children: MdastNodes[]}).children = children
}
