/**
 * Placeholders for the page numbers print adds: after each contents entry, before each textual
 * note’s lemma, and in place of each index entry’s run of references. They are set at a
 * width no real folio exceeds, and filled after pagination from where the targets landed
 * (Paged.js’s `target-counter()` is not used: under pagedjs-cli it gives 0 for forward targets).
 */
import type {Root, Element, ElementContent} from 'hast'
import {selectAll} from 'hast-util-select'
import {hasClass} from './hast.ts'

/** Width reserved for one folio while paginating. */
export const placeholder = '000'

export default function rehypePageRefs() {
  return function (tree: Root): undefined {
    for (const a of selectAll('nav.toc a[href^="#"]', tree)) {
      const id = String(a.properties.href).slice(1)
      const li = parentOf(tree, a)
      if (!li) continue
      const pn = pageNumber(id, 'toc-pn')
      li.children.splice(li.children.indexOf(a) + 1, 0, pn)
    }
    for (const a of selectAll('#textual-notes a.tn-ref[href^="#"]', tree)) {
      const id = String(a.properties.href).slice(1)
      const li = parentOf(tree, a)
      if (!li) continue
      li.children.splice(li.children.indexOf(a), 0, pageNumber(id, 'tn-pn'), {type: 'text', value: ' '})
    }
    for (const li of selectAll('li.ix-entry', tree)) {
      // The refs may sit in the entry or in a wrapper (`span.ix-refs`); sub-entries are their own li.
      const anyRef = selectAll('a.ix-ref', li).find((a) => parentOf(li, a))
      const holder = anyRef ? parentOf(li, anyRef) ?? li : undefined
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

function pageNumber(id: string, className: string): Element {
  return {
    type: 'element',
    tagName: 'span',
    properties: {className: [className], dataPnFor: id, dataPrintAdded: ''},
    children: [{type: 'text', value: placeholder}]
  }
}

function parentOf(tree: Root | Element, target: Element): Element | undefined {
  for (const child of tree.children as ElementContent[]) {
    if (child === target) return tree.type === 'element' ? tree : undefined
    if (child.type === 'element') {
      const found = parentOf(child, target)
      if (found) return found
    }
  }
  return undefined
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
