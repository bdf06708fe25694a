/**
 * `citation-registry`: a citation whose title, translator or date contradicts manuscript/works.yaml —
 * a translator’s name spelled another way (`James Brooks` for `James Brook`), a date no edition of
 * the work has (for the publisher named, when one is), a misspelt title.
 */
import type {CrossRule, CrossPart} from './rule.ts'
import {sameName, distance, type TitleMatch} from './registry.ts'
import {pointIn, type Segment} from './collect.ts'
import type {Work} from './works.ts'
import {curlQuotes, parseQuotes} from '../normalise/quote-marks.ts'

const translatorLead = /\b(?:Translator and editor|Translators?|Translated by|translated by|tr\.)\s*:?\s+/g
const nameToken = /^(?:\p{Lu}\.(?:\s?\p{Lu}\.)*|\p{Lu}[\p{L}’'-]+)/u
const month = /(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|september|october|november|december|juin|junio)\.?\s+$/i

/** The names after `Translator:` / `translated by`, with their offsets. */
function translatorNames(value: string): Array<{name: string; start: number}> {
  const names: Array<{name: string; start: number}> = []
  for (const lead of value.matchAll(translatorLead)) {
    let at = lead.index + lead[0].length
    for (;;) {
      const start = at
      const tokens: string[] = []
      for (;;) {
        const m = nameToken.exec(value.slice(at))
        if (!m) break
        tokens.push(m[0])
        at += m[0].length
        if (!/^\s\S/.test(value.slice(at)) || !/^\s\p{Lu}/u.test(value.slice(at))) break
        at += 1
      }
      if (tokens.length < 2 && !(tokens.length === 1 && tokens[0].includes('.'))) {
        if (tokens.length === 0) break
      }
      if (tokens.length > 0) names.push({name: tokens.join(' '), start})
      const more = /^\s*(?:with|&|and)\s+/.exec(value.slice(at))
      if (!more || tokens.length === 0) break
      at += more[0].length
    }
  }
  return names
}

function publisherKey(publisher: string): string {
  return publisher.toLowerCase().split(/\s+/).slice(0, 3).join(' ')
}

function allEditions(work: Work) {
  return [...work.translations, ...work.editions]
}

const rule: CrossRule = {
  id: 'citation-registry',
  check(parts, registry, counts) {
    for (const part of parts) {
      for (const segment of part.data.segments) {
        const matches: Array<{match: TitleMatch; start: number}> = []
        for (const title of segment.titles) {
          const match = registry.find(title.title)
          if (match) {
            matches.push({match, start: title.start})
            continue
          }
          const near = registry.near(title.title)
          if (near) report(part, segment, title.start, `Unexpected title \`${title.title}\`, expected \`${near.title}\` as manuscript/works.yaml has it`, title.title, near.title)
        }
        if (matches.length === 0) continue
        counts.citations += matches.length
        const works = new Set(matches.map((m) => m.match.work.id))
        if (segment.kind === 'body') {
          checkBodyDates(part, segment, matches)
          continue
        }
        if (works.size !== 1) continue
        const work = matches[0].match.work
        checkTranslators(part, segment, work)
        // A date the editor has annotated in the same note or entry is settled there.
        if (!segment.ednote) checkDates(part, segment, work)
      }
    }
  }
}

function report(part: CrossPart, segment: Segment, offset: number, reason: string, actual: string, expected: string[] | string): void {
  const message = part.file.message(reason, {place: pointIn(segment, offset), ruleId: rule.id})
  message.actual = actual
  message.expected = Array.isArray(expected) ? expected : [expected]
}

function checkTranslators(part: CrossPart, segment: Segment, work: Work): void {
  const known = [...new Set(allEditions(work).flatMap((e) => e.translators))]
  if (known.length === 0) return
  for (const {name, start} of translatorNames(segment.value)) {
    if (known.some((k) => sameName(name, k))) continue
    const closest = [...known].sort((a, b) => distance(a, name) - distance(b, name))[0]
    if (distance(closest.toLowerCase(), name.toLowerCase()) <= 3) {
      report(part, segment, start, `Unexpected translator \`${name}\` of *${work.title}*, expected \`${closest}\` as manuscript/works.yaml spells it`, name, closest)
    } else {
      report(part, segment, start, `Unexpected translator \`${name}\` of *${work.title}*, expected ${known.map((k) => `\`${k}\``).join(' or ')} (manuscript/works.yaml)`, name, known)
    }
  }
}

function yearsOf(work: Work, segment: Segment): {years: Set<number>; publisher?: string} {
  const text = segment.value.toLowerCase()
  const named = allEditions(work).filter((e) => e.publisher && text.includes(publisherKey(e.publisher)))
  const editions = named.length > 0 ? named : allEditions(work)
  const years = new Set<number>()
  if (work.original.date) years.add(work.original.date)
  for (const e of editions) if (e.date) years.add(e.date)
  return {years, publisher: named.length > 0 ? named[0].publisher : undefined}
}

function checkDates(part: CrossPart, segment: Segment, work: Work): void {
  const {years, publisher} = yearsOf(work, segment)
  if (years.size === 0) return
  const skip: Array<[number, number]> = segment.titles.map((t) => [t.start, t.end])
  const structure = parseQuotes(curlQuotes(segment.value))
  for (const pair of structure.pairs) if (pair.depth === 0) skip.push([pair.open, pair.close])
  for (const m of segment.value.matchAll(/(?<![\d\p{L}–-])(1[89]\d\d|20\d\d)(?![\d\p{L}–-])/gu)) {
    if (skip.some(([a, b]) => m.index >= a && m.index < b)) continue
    if (month.test(segment.value.slice(Math.max(0, m.index - 12), m.index))) continue
    const year = Number(m[1])
    if (years.has(year)) continue
    const list = [...years].sort().join(', ')
    report(
      part,
      segment,
      m.index,
      `Unexpected date \`${year}\` for *${work.title}*${publisher ? ` (${publisher})` : ''}, expected ${list} as manuscript/works.yaml has it`,
      m[1],
      [...years].map(String)
    )
  }
}

function checkBodyDates(part: CrossPart, segment: Segment, matches: Array<{match: TitleMatch; start: number}>): void {
  for (const title of segment.titles) {
    const match = matches.find((m) => m.start === title.start)
    if (!match) continue
    const after = /^\s*\((\d{4})\b/.exec(segment.value.slice(title.end))
    if (!after) continue
    const work = match.match.work
    const years = yearsOf(work, {...segment, value: ''}).years
    const year = Number(after[1])
    if (years.size === 0 || years.has(year)) continue
    const offset = title.end + after[0].length - 4
    report(part, segment, offset, `Unexpected date \`${year}\` for *${work.title}*, expected ${[...years].sort().join(', ')} as manuscript/works.yaml has it`, after[1], [...years].map(String))
  }
}

export default rule
