/**
 * `note-definition-used`: a note that no reference points to (it would vanish from the book), and a
 * note referenced more than once.
 */
import {visit} from 'unist-util-visit'
import type {FootnoteReference} from 'mdast'
import type {Rule} from './rule.ts'

const rule: Rule = {
  id: 'note-definition-used',
  check(tree, file) {
    const references = new Map<string, FootnoteReference[]>()
    visit(tree, 'footnoteReference', function (node) {
      const list = references.get(node.identifier) || []
      list.push(node)
      references.set(node.identifier, list)
    })
    visit(tree, 'footnoteDefinition', function (node) {
      const refs = references.get(node.identifier)
      if (!refs) {
        file.message(`Unexpected note \`[^${node.label}]\` that is never referenced, expected a reference \`[^${node.label}]\` in the text`, {
          place: node.position,
          ruleId: rule.id
        })
      } else if (refs.length > 1) {
        const message = file.message(`Unexpected second reference to note \`[^${node.label}]\`, expected each note referenced once`, {
          place: refs[1].position,
          ruleId: rule.id
        })
        message.cause = `first referenced at ${refs[0].position?.start.line}:${refs[0].position?.start.column}`
      }
    })
  }
}

export default rule
