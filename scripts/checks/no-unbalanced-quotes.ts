/**
 * `no-unbalanced-quotes`: a quotation mark that is never closed, a closing mark with no opening one,
 * and quotations that cross (`“a ‘b” c’`). A quotation that runs on into the next paragraph is
 * balanced when that paragraph reopens it with the same mark, by convention. Straight quotes are read
 * as the normaliser will turn them.
 */
import type {Rule} from './rule.ts'
import {collectBlocks, pointAtOffset} from '../normalise/text.ts'
import {curlQuotes, parseQuotes} from '../normalise/quote-marks.ts'

const closing: Record<string, string> = {'“': '”', '‘': '’'}

const rule: Rule = {
  id: 'no-unbalanced-quotes',
  check(tree, file) {
    const blocks = collectBlocks(tree)
    blocks.forEach((block, index) => {
      const value = curlQuotes(block.value)
      const structure = parseQuotes(value)
      const at = (offset: number) => pointAtOffset(block, offset)
      for (const offset of structure.unopened) {
        file.message('Unexpected closing `”` with no opening `“`, expected an opening mark before it', {place: at(offset), ruleId: rule.id}).actual = '”'
      }
      for (const crossed of structure.crossed) {
        const inner = at(crossed.inner)
        const message = file.message(
          `Unexpected \`”\` while the quotation opened by \`${crossed.innerMark}\` is still open, expected \`${closing[crossed.innerMark]}\` first`,
          {place: at(crossed.close), ruleId: rule.id}
        )
        message.actual = '”'
        message.expected = [closing[crossed.innerMark]]
        if (inner) message.cause = `opened at ${inner.line}:${inner.column}`
      }
      const next = blocks[index + 1]
      const reopens = next ? curlQuotes(next.value).trimStart()[0] : undefined
      for (const open of structure.unclosed) {
        // The outermost quotation may run on into the next paragraph, which reopens it.
        if (open.depth === 0 && reopens === open.mark) continue
        const message = file.message(
          `Unexpected unclosed \`${open.mark}\`, expected a closing \`${closing[open.mark]}\` (or the next paragraph to reopen a quotation that runs on)`,
          {place: at(open.at), ruleId: rule.id}
        )
        message.actual = open.mark
        message.expected = [closing[open.mark]]
      }
    })
  }
}

export default rule
