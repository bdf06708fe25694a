/**
 * `note-ibid`: every `Ibid.` and `op. cit.` stands for one work. An `Ibid.` as a text’s first note, or
 * after a note citing no work or several, and an `op. cit.` with no earlier full citation of that
 * author are reported.
 */
import {visit} from 'unist-util-visit'
import {toString} from 'mdast-util-to-string'
import type {FootnoteDefinition, Nodes} from 'mdast'
import type {Rule} from './rule.ts'

interface NoteCitation {
  /** The title of the work the note cites, as the note (or the note it points back to) writes it. */
  title: string
  /** How it was found: a citation in the note itself, `Ibid.`, or `op. cit.`. */
  via: 'citation' | 'ibid' | 'op-cit'
  /** The copy-text label of the note that cites the work in full, for `Ibid.` and `op. cit.`. */
  from?: string
}

const ibid = /^\s*ibid\b\.?/i
const opCit = /\b(\p{Lu}[\p{L}’'-]+),?\s+op\.?\s*cit\b/iu

/** The titles a note cites: its italic titles (a quoted article title before one belongs to it). */
function citedTitles(note: FootnoteDefinition): string[] {
  const titles: string[] = []
  const walk = (node: Nodes) => {
    if (node.type === 'emphasis') {
      const title = toString(node).trim()
      if (title.length > 1) titles.push(title)
      return
    }
    if (node.type === 'textDirective' && node.name === 'ednote') return
    if ('children' in node) for (const child of node.children as Nodes[]) walk(child)
  }
  walk(note)
  return titles
}

const rule: Rule = {
  id: 'note-ibid',
  check(tree, file) {
    const notes: FootnoteDefinition[] = []
    visit(tree, 'footnoteDefinition', (node) => {
      notes.push(node)
    })
    const resolved: Record<string, NoteCitation> = {}
    notes.forEach((note, index) => {
      const label = note.label ?? note.identifier
      const text = toString(note)
      const titles = citedTitles(note)
      const place = note.children[0]?.position?.start ?? note.position?.start
      if (ibid.test(text)) {
        const previous = notes[index - 1]
        if (!previous) {
          file.message('Unexpected `Ibid.` in the first note of the text, expected a full citation', {place, ruleId: rule.id}).actual = 'Ibid.'
          return
        }
        const previousLabel = previous.label ?? previous.identifier
        const before = resolved[previousLabel]
        const count = ibid.test(toString(previous)) ? (before ? 1 : 0) : citedTitles(previous).length
        if (count !== 1 || !before) {
          const message = file.message(
            `Unexpected \`Ibid.\` after a note citing ${count === 0 ? 'no work' : `${count} works`}, expected the previous note to cite one work`,
            {place, ruleId: rule.id}
          )
          message.actual = 'Ibid.'
          if (previous.position) message.cause = `previous note at ${previous.position.start.line}:${previous.position.start.column}`
          return
        }
        resolved[label] = {title: before.title, via: 'ibid', from: before.from ?? previousLabel}
        return
      }
      const cit = opCit.exec(text)
      if (cit) {
        const author = cit[1]
        for (let j = index - 1; j >= 0; j--) {
          const earlier = notes[j]
          const earlierTitles = citedTitles(earlier)
          if (earlierTitles.length > 0 && toString(earlier).includes(author)) {
            resolved[label] = {title: earlierTitles[0], via: 'op-cit', from: earlier.label ?? earlier.identifier}
            return
          }
        }
        const message = file.message(`Unexpected \`op. cit.\` with no earlier full citation of \`${author}\`, expected a full citation in an earlier note`, {
          place,
          ruleId: rule.id
        })
        message.actual = cit[0]
        return
      }
      if (titles.length === 1) resolved[label] = {title: titles[0], via: 'citation'}
    })
  }
}

export default rule
