/**
 * `no-unbalanced-quotes`: a quotation mark that is never closed, a closing mark with no opening one,
 * and quotations that cross (`“a ‘b” c’`). A quotation that runs on into the next paragraph, or the next
 * line of verse, is balanced when that paragraph or line reopens it, by convention: the outermost
 * quotation at least, and any inner one the next paragraph reopens or leaves to run on. The next
 * paragraph is the next one of the same flow: a quotation in the text does not run on into a note's
 * definition that happens to follow it, nor one in a note into the text or another note. Straight quotes
 * are read as the normaliser will turn them; where one of those is at fault, the message says the
 * normaliser could not tell, rather than blaming the text.
 */
import type {Nodes, Parents} from 'mdast'
import type {Rule} from './rule.ts'
import {collectBlocks, pointAtOffset} from '../normalise/text.ts'
import {curlQuotes, parseQuotes, leadingMarks} from '../normalise/quote-marks.ts'

const closing: Record<string, string> = {'“': '”', '‘': '’'}

function guessed(original: string, mark: string): string {
  const kind = original === '"' ? '`“` or `”`' : mark === '‘' ? '`‘`, `’` or an apostrophe `’`' : '`‘` or `’`'
  return `could not tell whether the straight \`${original}\` (read as \`${mark}\`) opens or closes a quotation: type the curly mark, ${kind}`
}

/** The footnote definition each node is inside (absent for the body of the text). */
function flows(tree: Parents): Map<Nodes, Nodes> {
  const flow = new Map<Nodes, Nodes>()
  const walk = (node: Nodes, definition: Nodes | undefined) => {
    const inside = node.type === 'footnoteDefinition' ? node : definition
    if (inside) flow.set(node, inside)
    if ('children' in node) for (const child of node.children as Nodes[]) walk(child, inside)
  }
  walk(tree as Nodes, undefined)
  return flow
}

const rule: Rule = {
  id: 'no-unbalanced-quotes',
  check(tree, file) {
    const blocks = collectBlocks(tree)
    const flow = flows(tree)
    blocks.forEach((block, index) => {
      const value = curlQuotes(block.value)
      const structure = parseQuotes(value)
      const at = (offset: number) => pointAtOffset(block, offset)
      const straight = (offset: number) => block.value[offset] === '"' || block.value[offset] === "'"
      for (const offset of structure.unopened) {
        const reason = straight(offset)
          ? `Unexpected closing mark: ${guessed(block.value[offset], value[offset])}`
          : /\p{N}/u.test(value[offset - 1] ?? '')
            ? 'Unexpected closing `”` with no opening `“` after a number, expected a double prime `″` for inches or seconds (or an opening mark before it)'
            : 'Unexpected closing `”` with no opening `“`, expected an opening mark before it'
        file.message(reason, {place: at(offset), ruleId: rule.id}).actual = '”'
      }
      for (const crossed of structure.crossed) {
        const inner = at(crossed.inner)
        const message = file.message(
          straight(crossed.inner)
            ? `Unexpected crossed quotations: ${guessed(block.value[crossed.inner], crossed.innerMark)}`
            : `Unexpected \`”\` while the quotation opened by \`${crossed.innerMark}\` is still open, expected \`${closing[crossed.innerMark]}\` first`,
          {place: at(crossed.close), ruleId: rule.id}
        )
        message.actual = '”'
        message.expected = [closing[crossed.innerMark]]
        if (inner) message.cause = `opened at ${inner.line}:${inner.column}`
      }
      const following = blocks[index + 1]
      const next = following && flow.get(following.node) === flow.get(block.node) ? following : undefined
      const reopens = next ? leadingMarks(curlQuotes(next.value)) : ''
      for (const open of structure.unclosed) {
        // A quotation may run on into the next paragraph, which reopens the outermost one (and the inner
        // ones, or leaves them running on).
        if (reopens[0] === structure.unclosed[0].mark && (reopens[open.depth] === undefined || reopens[open.depth] === open.mark)) continue
        const message = file.message(
          straight(open.at)
            ? `Unexpected unclosed \`${open.mark}\`: ${guessed(block.value[open.at], open.mark)}`
            : `Unexpected unclosed \`${open.mark}\`, expected a closing \`${closing[open.mark]}\` (or the next paragraph to reopen a quotation that runs on)`,
          {place: at(open.at), ruleId: rule.id}
        )
        message.actual = open.mark
        message.expected = [closing[open.mark]]
      }
    })
  }
}

export default rule
