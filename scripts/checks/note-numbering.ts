/**
 * `note-numbering`: the copy-text’s note numbers (the labels `[^n]` as transcribed) run 1, 2, 3…
 * without a skip or a repeat. A skip or a repeat is evidence of a lost note. Texts whose labels are
 * not all numbers are not checked.
 */
import {visit} from 'unist-util-visit'
import type {FootnoteDefinition} from 'mdast'
import type {Rule} from './rule.ts'

const rule: Rule = {
  id: 'note-numbering',
  check(tree, file) {
    const notes: FootnoteDefinition[] = []
    visit(tree, 'footnoteDefinition', (node) => {
      notes.push(node)
    })
    if (notes.length === 0 || !notes.every((note) => /^\d+$/.test(note.label ?? note.identifier))) return
    let previous = 0
    let previousNode: FootnoteDefinition | undefined
    for (const note of notes) {
      const n = Number(note.label ?? note.identifier)
      const expected = previous + 1
      if (n !== expected) {
        const after = previous === 0 ? 'as the first note' : `after \`[^${previous}]\``
        const reason =
          n === previous
            ? `Unexpected repeated note number \`[^${n}]\`, expected \`[^${expected}]\`: a note may be lost or doubled`
            : n > expected
              ? `Unexpected note number \`[^${n}]\` ${after}, expected \`[^${expected}]\`: a note may be lost`
              : `Unexpected note number \`[^${n}]\` ${after}, expected \`[^${expected}]\``
        const message = file.message(reason, {place: note.position?.start, ruleId: rule.id})
        message.actual = String(n)
        message.expected = [String(expected)]
        if (previousNode?.position) message.cause = `previous note at ${previousNode.position.start.line}:${previousNode.position.start.column}`
      }
      previous = Math.max(previous, n)
      previousNode = note
    }
  }
}

export default rule
