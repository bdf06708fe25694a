/**
 * `note-reference-defined`: a note reference `[^n]` with no note. GFM leaves such a reference as
 * plain text, so it is found in the text itself.
 */
import {visit} from 'unist-util-visit'
import type {Rule} from './rule.ts'

const rule: Rule = {
  id: 'note-reference-defined',
  check(tree, file) {
    visit(tree, 'text', function (node) {
      const start = node.position?.start
      if (!start) return
      for (const match of node.value.matchAll(/\[\^([^\]\s]+)\]/g)) {
        const before = node.value.slice(0, match.index)
        const lines = before.split('\n')
        const line = start.line + lines.length - 1
        const column = lines.length === 1 ? start.column + before.length : lines.at(-1)!.length + 1
        const message = file.message(`Unexpected note reference \`[^${match[1]}]\` with no note, expected a definition \`[^${match[1]}]: …\``, {
          place: {line, column},
          ruleId: rule.id
        })
        message.actual = match[0]
      }
    })
  }
}

export default rule
