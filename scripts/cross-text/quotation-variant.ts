/**
 * `quotation-variant`: a text quotes a passage that also occurs in another text, and the wording
 * differs. The two readings are shown as a word diff, `[-old-]{+new+}`, reported at the first
 * differing word of the quoting text; the other reading’s place is the message’s cause.
 */
import {diffArrays} from 'diff'
import type {CrossRule, CrossPart} from './rule.ts'
import type {Word} from './collect.ts'

/** Words in a row that two passages must share to count as the same passage. */
const SHINGLE = 5

function key(words: Word[], at: number): string {
  return words
    .slice(at, at + SHINGLE)
    .map((w) => w.norm)
    .join(' ')
}

function index(words: Word[]): Map<string, number[]> {
  const map = new Map<string, number[]>()
  for (let i = 0; i + SHINGLE <= words.length; i++) {
    const k = key(words, i)
    const list = map.get(k)
    if (list) list.push(i)
    else map.set(k, [i])
  }
  return map
}

/** `a b [-c-]{+d+} e`, with two words of context either side of each change. */
function wordDiff(a: string[], b: string[]): string {
  const changes = diffArrays(a, b)
  const out: string[] = []
  changes.forEach((change, i) => {
    if (change.added) out.push(`{+${change.value.join(' ')}+}`)
    else if (change.removed) out.push(`[-${change.value.join(' ')}-]`)
    else {
      const v = change.value
      const head = i === 0 ? [] : v.slice(0, 2)
      const tail = i === changes.length - 1 ? [] : v.slice(-2)
      if (v.length > 4 || i === 0 || i === changes.length - 1) out.push([...head, head.length || tail.length ? '…' : '', ...tail].filter(Boolean).join(' '))
      else out.push(v.join(' '))
    }
  })
  return out.join(' ').replace(/^… |\s…$/g, '').trim()
}

const rule: CrossRule = {
  id: 'quotation-variant',
  check(parts, _registry, counts) {
    const indexes = new Map<CrossPart, Map<string, number[]>>(parts.map((p) => [p, index(p.data.words)]))
    for (const part of parts) {
      const words = part.data.words
      for (const quotation of part.data.quotations) {
        if (quotation.end - quotation.start < SHINGLE) continue
        counts.quotations++
        for (const other of parts) {
          if (other === part) continue
          const otherIndex = indexes.get(other)!
          // Shared runs of SHINGLE words, in order in both texts and close together in the other.
          const hits: Array<[number, number]> = []
          for (let i = quotation.start; i + SHINGLE <= quotation.end; i++) {
            const at = otherIndex.get(key(words, i))
            if (!at) continue
            const last = hits.at(-1)
            const j = last ? at.find((p) => p > last[1] && p - last[1] <= i - last[0] + 12) : at[0]
            if (j !== undefined) hits.push([i, j])
          }
          if (hits.length < 2) continue
          const [qs, os] = hits[0]
          const [qe, oe] = hits.at(-1)!
          const mine = words.slice(qs, qe + SHINGLE)
          const theirs = other.data.words.slice(os, oe + SHINGLE)
          const changes = diffArrays(
            theirs.map((w) => w.norm),
            mine.map((w) => w.norm)
          )
          if (changes.every((c) => !c.added && !c.removed)) continue
          // The first differing word of this text.
          let at = 0
          for (const change of changes) {
            if (change.added) break
            if (change.removed) break
            at += change.count ?? change.value.length
          }
          const place = mine[Math.min(at, mine.length - 1)]
          const otherPlace = theirs[0]
          const diff = wordDiff(
            theirs.map((w) => w.raw),
            mine.map((w) => w.raw)
          )
          const message = part.file.message(
            `Unexpected variant of a passage also in ${other.rel}:${otherPlace.line}:${otherPlace.column}: ${diff}, expected the same wording`,
            {place: {line: place.line, column: place.column}, ruleId: rule.id}
          )
          message.actual = mine.map((w) => w.raw).join(' ')
          message.expected = [theirs.map((w) => w.raw).join(' ')]
          message.cause = `${other.rel}:${otherPlace.line}:${otherPlace.column}`
        }
      }
    }
  }
}

export default rule
