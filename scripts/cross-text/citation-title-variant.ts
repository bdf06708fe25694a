/**
 * `citation-title-variant`: the same work under two English titles in different texts (Weissman’s
 * *What Every Revolutionary Should Know About Repression*, the encyclopedia’s *What Everyone Should
 * Know About State Repression*). Reported at the first use of the other title in each text, so the
 * editor can add a note; a text that uses both titles (explaining one by the other), or an editor’s
 * note in the same paragraph, settles it.
 */
import type {CrossRule} from './rule.ts'
import {normTitle} from './registry.ts'
import {pointIn, type Segment} from './collect.ts'
import type {CrossPart} from './rule.ts'

const rule: CrossRule = {
  id: 'citation-title-variant',
  check(parts, registry) {
    // work id → text → English title classes used, with the first occurrence of each
    const uses = new Map<string, Map<CrossPart, Map<string, {segment: Segment; start: number; title: string}>>>()
    for (const part of parts) {
      for (const segment of part.data.segments) {
        for (const title of segment.titles) {
          const match = registry.find(title.title)
          if (!match || match.kind === 'original') continue
          const cls = match.kind === 'primary' ? 'primary' : normTitle(match.title)
          const byText = uses.get(match.work.id) ?? new Map()
          uses.set(match.work.id, byText)
          const classes = byText.get(part) ?? new Map()
          byText.set(part, classes)
          if (!classes.has(cls)) classes.set(cls, {segment, start: title.start, title: title.title})
        }
      }
    }
    for (const [id, byText] of uses) {
      const work = registry.works.find((w) => w.id === id)!
      for (const [part, classes] of byText) {
        if (classes.has('primary') || classes.size !== 1) continue
        const [cls, first] = [...classes][0]
        const elsewhere = [...byText].find(([other, otherClasses]) => other !== part && [...otherClasses.keys()].some((c) => c !== cls))
        if (!elsewhere || first.segment.ednote) continue
        const [otherPart, otherClasses] = elsewhere
        const otherUse = [...otherClasses.values()][0]
        const message = part.file.message(
          `Unexpected title \`${first.title}\` for the work ${otherPart.rel} calls \`${otherUse.title}\`, expected one title or an editor’s note`,
          {place: pointIn(first.segment, first.start), ruleId: rule.id}
        )
        message.actual = first.title
        message.expected = [work.title]
        const at = pointIn(otherUse.segment, otherUse.start)
        if (at) message.cause = `${otherPart.rel}:${at.line}:${at.column}`
      }
    }
  }
}

export default rule
