/**
 * Notes for print. With `footnotes`, each note moves to the place of its reference as a
 * `span.footnote` (Paged.js `float: footnote`), its mark written out so the printed numbers and
 * symbols are the reader HTML’s own; the emptied notes sections go. With `endnotes`, the notes stay
 * where the reader HTML puts them (at the end of each text). Back-links go in both cases.
 */
import type {Root, Element, ElementContent} from 'hast'
import {classes, eachElement, hasClass} from './hast.ts'

export interface Options {
  mode: 'footnotes' | 'endnotes'
}

const blockTags = new Set(['p', 'div', 'blockquote', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'pre', 'table', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6'])

export default function rehypePrintNotes(options: Readonly<Options>) {
  return function (tree: Root): undefined {
    // One walk finds the back-links, the notes and the references, with the parents of the last two
    // (a search from the root for each note is quadratic).
    const backlinks: Element[] = []
    const notes = new Map<string, Element>()
    const refs: Element[] = []
    /** The parents of references and notes (and, below, of the footnotes made). */
    const parents = new Map<Element, Root | Element>()
    eachElement(tree, (node, parent) => {
      if (node.tagName === 'a' && hasClass(node, 'backlink')) backlinks.push(node)
      if (node.tagName === 'a' && hasClass(node, 'noteref')) {
        refs.push(node)
        parents.set(node, parent)
      }
      if (node.tagName === 'li' && hasClass(node, 'note')) {
        if (typeof node.properties.id === 'string') notes.set(node.properties.id, node)
        parents.set(node, parent)
      }
    })
    for (const backlink of backlinks) backlink.properties.dataPrintHidden = ''
    if (options.mode !== 'footnotes') return

    // A reference inside a note (a note on a note) is met in that note’s copy, in its footnote: its
    // own footnote follows that one (a footnote cannot float from inside another). The references
    // in the running text go first, then those in notes already moved, until none is left.
    const refSet = new Set(refs)
    const host = new Map<Element, Element>()
    for (const note of notes.values()) {
      eachElement(note, (node) => {
        if (refSet.has(node)) host.set(node, note)
      })
    }
    const moved = new Map<Element, Element>()
    /** The last footnote placed after each footnote (its own, then its notes’ notes). */
    const lastAfter = new Map<Element, Element>()
    const outerOf = new Map<Element, Element>()
    const place = (ref: Element) => {
      const href = String(ref.properties.href || '')
      const note = notes.get(href.slice(1))
      if (!note || moved.has(note)) return
      const mark = String(note.properties.dataMark ?? note.properties.value ?? ref.children.map((c) => (c.type === 'text' ? c.value : '')).join(''))
      const ednote = hasClass(note, 'ednote')
      // The print writes its own mark before the note: the list’s mark (`span.ednote-mark`) would double it.
      const content = note.children.filter((c) => !(c.type === 'element' && hasClass(c, 'backlink'))).map(inline)
      removeClass(content, 'ednote-mark')
      // A block made inline (`span.fn-p`), not a span of the note’s own text (a language, a source).
      const firstBlock = content.find((c): c is Element => c.type === 'element' && c.tagName === 'span' && classes(c).some((name) => name.startsWith('fn-')))
      const markSpan: Element = {
        type: 'element',
        tagName: 'span',
        properties: {className: ['fn-mark'], id: note.properties.id, dataPrintAdded: ''},
        children: [{type: 'text', value: mark}]
      }
      // The mark hangs in the indent in a box of its own (print.css), so no space follows it: a space
      // would stretch with the justified line.
      if (firstBlock) firstBlock.children.unshift(markSpan)
      else content.unshift(markSpan)
      const footnote: Element = {
        type: 'element',
        tagName: 'span',
        properties: {className: ['footnote', ednote ? 'fn-ed' : 'fn-author'], dataNoteId: note.properties.id},
        children: content
      }
      const outer = host.get(ref)
      const outerFootnote = outer && moved.get(outer)
      if (outerFootnote) {
        // After the outer footnote and the notes on it placed so far: each such group stays together.
        const after = lastAfter.get(outerFootnote) ?? outerFootnote
        const parent = parents.get(outerFootnote)!
        insertAfter(parent, after, footnote)
        parents.set(footnote, parent)
        outerOf.set(footnote, outerFootnote)
        for (let group: Element | undefined = outerFootnote; group && (lastAfter.get(group) ?? group) === after; group = outerOf.get(group)) lastAfter.set(group, footnote)
      } else {
        const parent = parents.get(ref)!
        insertAfter(parent, ref, footnote)
        parents.set(footnote, parent)
      }
      moved.set(note, footnote)
    }
    let waiting = refs.filter((ref) => {
      if (host.has(ref)) return true
      place(ref)
      return false
    })
    for (let before = -1; waiting.length && waiting.length !== before; ) {
      before = waiting.length
      waiting = waiting.filter((ref) => {
        if (!moved.has(host.get(ref)!)) return true
        place(ref)
        return false
      })
    }
    // In notes that stay where they are (referenced from nowhere): after the reference, in the note.
    for (const ref of waiting) place(ref)
    // Drop what has been emptied: the notes lists, then their sections.
    for (const li of moved.keys()) remove(parents.get(li)!, li)
    removeEmptySections(tree)
  }
}

/** Remove each `section.notes` and `section.ednotes` left without a `li.note`. */
function removeEmptySections(parent: Root | Element): void {
  for (let i = 0; i < parent.children.length; i++) {
    const child = parent.children[i]
    if (child.type !== 'element') continue
    if (child.tagName === 'section' && (hasClass(child, 'notes') || hasClass(child, 'ednotes')) && !hasNote(child)) parent.children.splice(i--, 1)
    else removeEmptySections(child)
  }
}

function hasNote(node: Element): boolean {
  return node.children.some((c) => c.type === 'element' && ((c.tagName === 'li' && hasClass(c, 'note')) || hasNote(c)))
}

/** Blocks cannot sit inside a paragraph: turn them into spans shown as blocks. */
function inline(node: ElementContent): ElementContent {
  if (node.type !== 'element') return node
  const children = node.children.filter((c) => !(c.type === 'element' && hasClass(c, 'backlink'))).map(inline)
  // Trailing space left where the back-link was.
  const last = children[children.length - 1]
  if (last && last.type === 'text') last.value = last.value.replace(/\s+$/, '')
  if (!blockTags.has(node.tagName)) return {...node, children}
  const className = ['fn-' + node.tagName, ...(Array.isArray(node.properties.className) ? node.properties.className.map(String) : [])]
  return {type: 'element', tagName: 'span', properties: {...node.properties, className}, children}
}

function insertAfter(tree: Root | Element, target: Element, node: Element): boolean {
  const index = tree.children.indexOf(target as never)
  if (index >= 0) {
    ;(tree.children as ElementContent[]).splice(index + 1, 0, node)
    return true
  }
  for (const child of tree.children) if (child.type === 'element' && insertAfter(child, target, node)) return true
  return false
}

function remove(tree: Root | Element, target: Element): boolean {
  const index = tree.children.indexOf(target as never)
  if (index >= 0) {
    tree.children.splice(index, 1)
    return true
  }
  for (const child of tree.children) if (child.type === 'element' && remove(child, target)) return true
  return false
}

/** Remove every element with `name` among its classes, at any depth. */
function removeClass(nodes: ElementContent[], name: string): void {
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i]
    if (node.type !== 'element') continue
    if (hasClass(node, name)) nodes.splice(i, 1)
    else removeClass(node.children, name)
  }
}
