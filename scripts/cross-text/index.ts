/**
 * The cross-text checks: citations against manuscript/works.yaml and quotations against each other,
 * over every text at once. `checkCrossText(parts, works)` runs after every part has been through the
 * pipeline (the check preset collected what they need in `file.data.crossText`). Their messages get
 * severities and meet accept comments with the file’s others (scripts/checks/control.ts).
 */
import type {Book} from '../manuscript/schema.ts'
import type {Work} from './works.ts'
import {Registry} from './registry.ts'
import type {CrossRule, CrossPart, CrossCounts} from './rule.ts'
import type {LoadedFile} from '../manuscript/load.ts'
import {stamp} from '../checks/rule.ts'
import {severityOf} from '../checks/control.ts'
import citationRegistry from './citation-registry.ts'
import citationTitleVariant from './citation-title-variant.ts'
import quotationVariant from './quotation-variant.ts'

export {loadWorks} from './works.ts'
export {collectCrossText} from './collect.ts'

export const crossRules: CrossRule[] = [citationRegistry, citationTitleVariant, quotationVariant]

/** Run the cross-text rules over the texts; messages go on each text’s file. Returns what was checked. */
export function checkCrossText(parts: Array<{loaded: LoadedFile}>, works: Work[], book?: Book): CrossCounts {
  const counts: CrossCounts = {citations: 0, quotations: 0}
  const crossParts: CrossPart[] = parts
    .filter((p) => p.loaded.matter === 'text' && p.loaded.file.data.crossText)
    .map((p) => ({rel: p.loaded.rel, file: p.loaded.file, data: p.loaded.file.data.crossText!}))
  const registry = new Registry(works)
  for (const rule of crossRules) {
    if (severityOf(rule.id, book) === 'off') continue
    const before = new Map(crossParts.map((p) => [p, p.file.messages.length]))
    try {
      rule.check(crossParts, registry, counts)
    } catch (error) {
      crossParts[0]?.file.message(`Unexpected failure in \`${rule.id}\`, expected it to run: ${String(error)}`, {ruleId: rule.id, source: 'reader'})
    }
    for (const part of crossParts) {
      for (const message of part.file.messages.slice(before.get(part)!)) stamp(message, rule.id)
    }
  }
  return counts
}

declare module 'vfile' {
  interface DataMap {
    /** On book.yaml’s file: the citations and quotations the cross-text checks looked at. */
    crossCounts: CrossCounts
  }
}
