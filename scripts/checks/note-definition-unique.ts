/**
 * `note-definition-unique`: a note defined twice (`[^x]:` twice). Only the first definition would be
 * printed, so the second one’s text would be lost without a word.
 */
import {visit} from 'unist-util-visit'
import type {FootnoteDefinition} from 'mdast'
import type {Rule} from './rule.ts'

const rule: Rule = {
  id: 'note-definition-unique',
  check(tree, file) {
    const seen = new Map<string, FootnoteDefinition>()
    visit(tree, 'footnoteDefinition', function (node) {
      const first = seen.get(node.identifier)
      if (!first) {
        seen.set(node.identifier, node)
        return
      }
      const message = file.message(`Unexpected second definition of note \`[^${node.label}]\`, expected each note defined once (only the first would print)`, {
        place: node.position,
        ruleId: rule.id
      })
      message.actual = `[^${node.label}]:`
      const at = first.position?.start
      if (at) message.cause = `first defined at ${at.line}:${at.column}`
    })
  }
}

export default rule
