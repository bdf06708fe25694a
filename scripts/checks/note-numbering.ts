/**
 * `note-numbering`: the copy-text’s note numbers (the labels `[^n]` as transcribed) run on without a
 * skip or a repeat. A skip or a repeat is evidence of a lost note.
 *
 * - A sequence may start at any number: an excerpt keeps its source’s numbers (`[^20]`, `[^21]`, …).
 * - Zero-padded labels count as their number (`[^05]` is 5).
 * - A label `prefix-n` (`[^ii-1]`, `[^ii-2]`) belongs to the sequence `prefix`: a text whose notes
 *   restart in each section gives each section its prefix, and each sequence is checked on its own.
 * - Labels that are not numbers (`[^*]`, `[^21bis]`) are outside every sequence and do not stop the
 *   check of the numbered ones.
 */
import {visit} from 'unist-util-visit'
import type {FootnoteDefinition} from 'mdast'
import type {Rule} from './rule.ts'

const numbered = /^(?:(.*\S)-)?0*(\d+)$/

const rule: Rule = {
  id: 'note-numbering',
  check(tree, file) {
    const sequences = new Map<string, {previous: number; node: FootnoteDefinition; label: string}>()
    visit(tree, 'footnoteDefinition', (note) => {
      const label = note.label ?? note.identifier
      const match = numbered.exec(label)
      if (!match) return
      const key = match[1] ?? ''
      const n = Number(match[2])
      const show = (k: number) => `\`[^${key ? key + '-' : ''}${k}]\``
      const last = sequences.get(key)
      sequences.set(key, {previous: last ? Math.max(last.previous, n) : n, node: note, label})
      if (!last) return
      const expected = last.previous + 1
      if (n === expected) return
      const reason =
        n === last.previous
          ? `Unexpected repeated note number \`[^${label}]\`, expected ${show(expected)}: a note may be lost or doubled`
          : n > expected
            ? `Unexpected note number \`[^${label}]\` after \`[^${last.label}]\`, expected ${show(expected)}: a note may be lost`
            : `Unexpected note number \`[^${label}]\` after \`[^${last.label}]\`, expected ${show(expected)}`
      const message = file.message(reason, {place: note.position?.start, ruleId: rule.id})
      message.actual = String(n)
      message.expected = [String(expected)]
      const at = last.node.position?.start
      if (at) message.cause = `previous note at ${at.line}:${at.column}`
    })
  }
}

export default rule
