/**
 * rehype plugin: give remark-rehype’s GFM footnotes the shape the reader HTML promises —
 * `a.noteref[role=doc-noteref]`, `section.notes[role=doc-endnotes]`, `li.note[role=doc-endnote]`
 * and `a.backlink[role=doc-backlink]`.
 */
import type {Root, Element} from 'hast'
import type {VFile} from 'vfile'
import {visit} from 'unist-util-visit'
import {englishLabels} from '../labels.ts'
import {sourceMark} from '../notes/renumber.ts'

export interface Options {
  /** The label of a text’s notes (`labels.notes`). */
  label?: string
  /**
   * What the notes print (`style.note_numbers`): their number 1…n as renumbered (default), or the
   * copy-text’s own mark, from the labels it was transcribed with (`file.data.noteLabels`).
   */
  numbers?: 'renumbered' | 'source'
}

export default function rehypeNoteRoles(options: Readonly<Options> = {}) {
  const {label = englishLabels.notes, numbers = 'renumbered'} = options
  return function (tree: Root, file: VFile): undefined {
    const prefix = file.data.partId ?? ''
    const marks = numbers === 'source' ? (file.data.noteLabels ?? []).map(sourceMark) : undefined
    const markOf = (id: string) => (marks ? marks[Number(id) - 1] : undefined)
    visit(tree, 'element', function (node, index, parent) {
      const props = node.properties
      if (node.tagName === 'sup' && parent && typeof index === 'number') {
        const link = node.children.find((child): child is Element => child.type === 'element' && child.tagName === 'a')
        if (link && link.properties.dataFootnoteRef !== undefined) {
          delete link.properties.dataFootnoteRef
          delete link.properties.ariaDescribedBy
          link.properties.className = ['noteref']
          link.properties.role = 'doc-noteref'
          const mark = markOf(String(link.properties.href ?? '').slice(`#${prefix}-fn-`.length))
          if (mark !== undefined) link.children = [{type: 'text', value: mark}]
          parent.children[index] = link
        }
        return
      }
      if (node.tagName === 'section' && props.dataFootnotes !== undefined) {
        delete props.dataFootnotes
        props.className = ['notes']
        props.role = 'doc-endnotes'
        props.ariaLabel = label
        const heading = node.children.find((child): child is Element => child.type === 'element' && /^h\d$/.test(child.tagName))
        if (heading) {
          heading.properties = {className: ['notes-title'], id: `${prefix}-notes`}
        }
        return
      }
      if (node.tagName === 'li' && typeof props.id === 'string' && props.id.startsWith(`${prefix}-fn-`)) {
        props.className = ['note']
        props.role = 'doc-endnote'
        props.value = props.id.slice(`${prefix}-fn-`.length)
        const mark = markOf(props.value)
        if (mark !== undefined) {
          // A number is the list item's value; a symbol or `21bis` is its mark (the print and the e-book write it).
          if (/^\d+$/.test(mark)) props.value = mark
          else {
            delete props.value
            props.dataMark = mark
          }
        }
        return
      }
      if (node.tagName === 'a' && props.dataFootnoteBackref !== undefined) {
        delete props.dataFootnoteBackref
        props.className = ['backlink']
        props.role = 'doc-backlink'
      }
    })
  }
}
