/**
 * remark plugin: a note reference and the punctuation beside it, as book.yaml
 * `style.note_ref_after_punctuation` says: `word[^1].` → `word.[^1]` (true) or `word.[^1]` →
 * `word[^1].` (false). A full stop that ends an abbreviation (`etc.`, `p.`, an initial) stays.
 */
import type {Root} from 'mdast'
import {collectBlocks, applyEdits, NOTE_MARK, type Edit} from './text.ts'

export interface Options {
  afterPunctuation?: boolean
}

const punctuation = '.,;:!?'
const abbreviation = /(?:^|[\s(])(?:\p{Lu}|etc|al|ibid|cf|pp?|vol|no|ed|eds|tr|trans|op\. cit|id)$/iu

function noteReferenceEdits(value: string, afterPunctuation: boolean): Edit[] {
  const edits: Edit[] = []
  for (let i = value.indexOf(NOTE_MARK); i !== -1; i = value.indexOf(NOTE_MARK, i + 1)) {
    // A run of references (`word[^1][^2].`) moves as one: the punctuation goes before the first or after the last.
    let first = i
    while (value[first - 1] === NOTE_MARK) first--
    let last = i
    while (value[last + 1] === NOTE_MARK) last++
    if (afterPunctuation) {
      if (first !== i) continue
      let end = last + 1
      while (end < value.length && punctuation.includes(value[end])) end++
      if (end === last + 1 || end - last - 1 > 1) continue
      if (punctuation.includes(value[i - 1] ?? '') || value[end] === '.' || value[end] === '…') continue
      const mark = value.slice(last + 1, end)
      edits.push({start: i, end: i, value: mark}, {start: last + 1, end, value: ''})
    } else {
      if (last !== i) continue
      let start = first
      while (start > 0 && punctuation.includes(value[start - 1])) start--
      if (start === first || first - start > 1) continue
      if (value[first - 1] === '.' && abbreviation.test(value.slice(0, start))) continue
      // The last point of a spaced ellipsis (`. . .`) is not a full stop to move.
      if (value[first - 1] === '.' && /[.…]\s?$/.test(value.slice(0, start))) continue
      if (punctuation.includes(value[i + 1] ?? '')) continue
      edits.push({start, end: first, value: ''}, {start: i + 1, end: i + 1, value: value.slice(start, first)})
    }
  }
  return edits
}

export default function remarkNormaliseNoteReferences(options?: Readonly<Options> | null) {
  const afterPunctuation = options?.afterPunctuation ?? true
  return function (tree: Root): undefined {
    for (const block of collectBlocks(tree)) {
      const edits = noteReferenceEdits(block.value, afterPunctuation)
      // Move a mark only when both halves of the move land in text: never lose or double one.
      const pairs: Edit[] = []
      for (let k = 0; k < edits.length; k += 2) {
        const [a, b] = [edits[k], edits[k + 1]]
        const fits = (e: Edit) =>
          block.segments.some((s) => e.start >= s.start && e.end <= s.end && (e.start !== e.end || e.start === s.end || e.start === s.start))
        const insertion = a.start === a.end ? a : b
        const inserted = block.segments.some((s) => (afterPunctuation ? s.end === insertion.start : s.start === insertion.start))
        if (fits(a) && fits(b) && inserted) pairs.push(a, b)
      }
      applyEdits(block, pairs)
    }
  }
}
