/** `note-empty`: a note with no text. */
import {visit} from 'unist-util-visit'
import {toString} from 'mdast-util-to-string'
import type {Rule} from './rule.ts'

const rule: Rule = {
  id: 'note-empty',
  check(tree, file) {
    visit(tree, 'footnoteDefinition', function (node) {
      if (toString(node).trim() === '') {
        file.message(`Unexpected empty note \`[^${node.label}]\`, expected its text`, {place: node.position, ruleId: rule.id})
      }
    })
  }
}

export default rule
