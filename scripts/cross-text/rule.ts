/** The frame of a cross-text rule: like scripts/checks/rule.ts (a registered id), but run over every text at once. */
import type {VFile} from 'vfile'
import type {Registry} from './registry.ts'
import type {CrossText} from './collect.ts'
import type {RuleId} from '../rules.ts'

export interface CrossPart {
  /** Path relative to the manuscript folder, e.g. texts/penick-at-liberations-heart.md. */
  rel: string
  file: VFile
  data: CrossText
}

export interface CrossRule {
  id: RuleId
  check(parts: CrossPart[], registry: Registry, counts: CrossCounts): void
}

export interface CrossCounts {
  citations: number
  quotations: number
}
