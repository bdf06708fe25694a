/**
 * The frame of a check on one file: a registered rule id (scripts/rules.ts, with its default
 * severity) and a function that reports on the tree. `runRules` runs the rules the book has not set
 * to `off` and stamps their messages with the rule id; severities and accept comments are applied
 * afterwards, with every other message of the file, by scripts/checks/control.ts.
 */
import type {Root} from 'mdast'
import type {VFile} from 'vfile'
import type {Book} from '../manuscript/schema.ts'
import type {RuleId} from '../rules.ts'
import {severityOf} from './control.ts'

export interface RuleContext {
  book?: Book
  isText: boolean
}

export interface Rule {
  id: RuleId
  /** Whether the rule applies to editorial matter as well as texts. */
  editorial?: boolean
  check(tree: Root, file: VFile, context: RuleContext): void
}

/** Run `rules` over a tree; each message they add gets the rule’s id. */
export function runRules(rules: Rule[], tree: Root, file: VFile, context: RuleContext): void {
  for (const rule of rules) {
    if (!context.isText && !rule.editorial) continue
    if (severityOf(rule.id, context.book) === 'off') continue
    const before = file.messages.length
    rule.check(tree, file, context)
    for (const message of file.messages.slice(before)) stamp(message, rule.id)
  }
}

/**
 * Report `message` as a warning at most, even from a rule set to `error` (a likely but uncertain
 * problem, such as a grammatical double word). Kept on the message, so it survives the cache.
 */
export function asWarning<T extends {atMost?: 'warning'}>(message: T): T {
  message.atMost = 'warning'
  return message
}

/** Mark a message as the rule’s (what a rule’s own `file.message` calls may leave out). */
export function stamp(message: {ruleId?: string; source?: string}, ruleId: RuleId): void {
  message.ruleId = ruleId
  message.source = 'reader'
}
