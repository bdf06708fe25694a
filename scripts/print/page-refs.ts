/**
 * Placeholders for the page numbers print adds: after each contents entry, before each textual
 * note’s lemma, and in place of each index entry’s run of references. They are set at a
 * width no real folio exceeds, and filled after pagination from where the targets landed
 * (Paged.js’s `target-counter()` is not used: under pagedjs-cli it gives 0 for forward targets).
 */
import type {Root, Element} from 'hast'
import {select} from 'hast-util-select'
import {hasClass, textContent} from './hast.ts'
import {englishLabels} from '../labels.ts'

/** Width reserved for one folio while paginating. */
export const placeholder = '000'

export interface Options {
  /** Between a page and a note’s mark in the textual notes’ keys (`24 n. 2`): `labels.note_abbreviation`. */
  note?: string
}

export default function rehypePageRefs(options: Readonly<Options> = {}) {
  const {note: noteWord = englishLabels.note_abbreviation} = options
  return function (tree: Root): undefined {
    // One walk finds the contents links (`nav.toc a[href^="#"]`), the textual notes’ lemma links
    // (`#textual-notes a.tn-ref[href^="#"]`) and the index entries (`li.ix-entry`), each link with
    // its parent: searching the tree for each link’s parent is quadratic in a long book.
    const contents: Array<{a: Element; parent: Element}> = []
    const lemmas: Array<{a: Element; parent: Element}> = []
    const entries: Element[] = []
    /** The mark of the footnote each id inside one sits in (a line is not counted there). */
    const noteOf = new Map<string, string>()
    const walk = (node: Root | Element, inContents: boolean, inTextualNotes: boolean, note: string | undefined) => {
      for (const child of node.children) {
        if (child.type !== 'element') continue
        if (child.tagName === 'a' && node.type === 'element' && String(child.properties.href ?? '').startsWith('#')) {
          if (inContents) contents.push({a: child, parent: node})
          if (inTextualNotes && hasClass(child, 'tn-ref')) lemmas.push({a: child, parent: node})
        }
        if (child.tagName === 'li' && hasClass(child, 'ix-entry')) entries.push(child)
        // (A footnote prints its mark in `span.fn-mark`: notes.ts.)
        const mark = child.tagName === 'span' && hasClass(child, 'footnote') ? select('.fn-mark', child) : undefined
        const inNote = mark ? textContent(mark) : note
        if (inNote !== undefined && typeof child.properties.id === 'string') noteOf.set(child.properties.id, inNote)
        walk(child, inContents || (child.tagName === 'nav' && hasClass(child, 'toc')), inTextualNotes || child.properties.id === 'textual-notes', inNote)
      }
    }
    walk(tree, false, false, undefined)

    // Only spans are added below, so the parents found stay true.
    for (const {a, parent} of contents) {
      const id = String(a.properties.href).slice(1)
      parent.children.splice(parent.children.indexOf(a) + 1, 0, pageNumber(id, 'toc-pn'))
    }
    for (const {a, parent} of lemmas) {
      const id = String(a.properties.href).slice(1)
      parent.children.splice(parent.children.indexOf(a), 0, pageNumber(id, 'tn-pn', true, noteOf.get(id), noteWord), {type: 'text', value: ' '})
    }
    for (const li of entries) {
      // The refs may sit in the entry or in a wrapper (`span.ix-refs`); sub-entries are their own li.
      // The first ref is looked for now, not during the walk: an entry may contain sub-entries
      // whose refs an earlier entry has already replaced.
      const holder = firstRefParent(li)
      if (!holder) continue
      const refs = holder.children.filter((c): c is Element => c.type === 'element' && hasClass(c, 'ix-ref'))
      if (refs.length === 0) continue
      const first = holder.children.indexOf(refs[0])
      const last = holder.children.indexOf(refs[refs.length - 1])
      const ids = refs.map((r) => String(r.properties.href || '').replace(/^#/, ''))
      const span: Element = {
        type: 'element',
        tagName: 'span',
        properties: {className: ['ix-pages'], dataIxRefs: ids.join(' '), dataPrintAdded: ''},
        children: [{type: 'text', value: ids.map(() => placeholder).join(', ')}]
      }
      holder.children.splice(first, last - first + 1, span)
    }
  }
}

/** The parent of the first `a.ix-ref` inside `node`, in document order. */
function firstRefParent(node: Element): Element | undefined {
  for (const child of node.children) {
    if (child.type !== 'element') continue
    if (child.tagName === 'a' && hasClass(child, 'ix-ref')) return node
    const found = firstRefParent(child)
    if (found) return found
  }
  return undefined
}

/**
 * A placeholder for the page of `id`, or (`line`) its page and line, `23.14`, or, in a footnote
 * (`note`, its mark), its page and note, `24 n. 2`.
 */
function pageNumber(id: string, className: string, line = false, note?: string, noteWord = englishLabels.note_abbreviation): Element {
  return {
    type: 'element',
    tagName: 'span',
    properties: {
      className: note === undefined ? [className] : [className, `${className}-note`],
      dataPnFor: id,
      ...(line ? {dataPnLine: ''} : {}),
      ...(line && note !== undefined ? {dataPnNote: note} : {}),
      dataPrintAdded: ''
    },
    children: [{type: 'text', value: !line ? placeholder : note === undefined ? `${placeholder}.00` : `${placeholder} ${noteWord} ${note.replace(/./g, '0')}`}]
  }
}

/** Merge a list of page labels for an index entry: drop repeats, join runs (23, 24, 25 → 23–25). */
export function pageRanges(labels: string[], style: 'full' | 'elided' = 'full'): Array<{first: string; last?: string; index: number}> {
  const seen = new Set<string>()
  const unique: Array<{label: string; index: number}> = []
  labels.forEach((label, index) => {
    if (label && !seen.has(label)) {
      seen.add(label)
      unique.push({label, index})
    }
  })
  const arabic = unique.filter((u) => /^\d+$/.test(u.label)).sort((a, b) => Number(a.label) - Number(b.label))
  const roman = unique.filter((u) => !/^\d+$/.test(u.label))
  const out: Array<{first: string; last?: string; index: number}> = roman.map((u) => ({first: u.label, index: u.index}))
  for (let i = 0; i < arabic.length; i++) {
    let j = i
    while (j + 1 < arabic.length && Number(arabic[j + 1].label) === Number(arabic[j].label) + 1) j++
    if (j > i) out.push({first: arabic[i].label, last: elide(arabic[i].label, arabic[j].label, style), index: arabic[i].index})
    else out.push({first: arabic[i].label, index: arabic[i].index})
    i = j
  }
  return out
}

function elide(first: string, last: string, style: 'full' | 'elided'): string {
  if (style === 'full' || first.length !== last.length) return last
  let common = 0
  while (common < first.length - 1 && first[common] === last[common]) common++
  let rest = last.slice(common)
  // Keep the teens whole: 10–19, 113–19.
  if (rest.length === 1 && last.length >= 2 && last[last.length - 2] === '1') rest = last.slice(-2)
  return rest
}
