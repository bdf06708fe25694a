/**
 * remark plugin: number each text’s notes 1…n in reading order, whatever the copy-text’s labels.
 * The copy-text labels are kept in `file.data.noteLabels` (new number → old label) for the checks.
 */
import type {Root, FootnoteReference, FootnoteDefinition} from 'mdast'
import {visit} from 'unist-util-visit'
import type {VFile} from 'vfile'

export default function remarkRenumberNotes() {
  return function (tree: Root, file: VFile): undefined {
    const numbers = new Map<string, number>()
    const labels: string[] = []
    visit(tree, 'footnoteReference', function (node: FootnoteReference) {
      if (!numbers.has(node.identifier)) {
        numbers.set(node.identifier, numbers.size + 1)
        labels.push(node.label || node.identifier)
      }
    })
    const rename = (node: FootnoteReference | FootnoteDefinition) => {
      const n = numbers.get(node.identifier)
      if (n === undefined) return
      node.identifier = String(n)
      node.label = String(n)
    }
    visit(tree, 'footnoteReference', rename)
    visit(tree, 'footnoteDefinition', rename)
    file.data.noteLabels = labels
  }
}

/**
 * The mark the copy-text prints for a note, from the label it was transcribed with: `[^20]` → `20`,
 * `[^05]` → `5`, a restarted sequence's `[^s2-1]` → `1`, `[^*]` → `*`, `[^21bis]` → `21bis`.
 */
export function sourceMark(label: string): string {
  const numbered = /^(?:.*\S-)?0*(\d+)$/.exec(label)
  return numbered ? numbered[1] : label
}

declare module 'vfile' {
  interface DataMap {
    noteLabels: string[]
  }
}
