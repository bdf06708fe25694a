/**
 * The frame every check shares: a rule id, a default severity that book.yaml’s `rules:` can change
 * (error, warning, off), and accept comments in the Markdown that keep one occurrence deliberate:
 *
 *     <!-- reader-accept no-repeated-words: the author repeats it for emphasis -->
 *
 * accepts one of the rule’s messages inside the next block (several comments for several). An accept
 * comment that accepts nothing is itself reported, so a stale one does not linger.
 */
import type {Root, Nodes, Parents} from 'mdast'
import type {VFile} from 'vfile'
import type {Book} from '../manuscript/schema.ts'

export type Severity = 'error' | 'warning' | 'off'

export interface RuleContext {
  book?: Book
  isText: boolean
}

export interface Rule {
  id: string
  severity: Exclude<Severity, 'off'>
  /** One line for the README’s rules table. */
  description: string
  /** Whether the rule applies to editorial matter as well as texts. */
  editorial?: boolean
  check(tree: Root, file: VFile, context: RuleContext): void
}

/** An accept comment and the lines of the block it accepts. */
export interface Accept {
  rule: string
  from: number
  to: number
  line: number
  column: number
  used: boolean
}

/** Messages a rule reports as a warning whatever its severity (a likely but uncertain problem). */
const warningsOnly = new WeakSet<object>()

/** Report `message` as a warning at most, even from a rule set to `error`. */
export function asWarning<T extends object>(message: T): T {
  warningsOnly.add(message)
  return message
}

const acceptPattern = /^<!--\s*reader-accept\s+([a-z0-9-]+)\s*(?::\s*([\s\S]*?))?\s*-->$/

/** Run `rules` over a tree with book.yaml’s severities and the file’s accept comments. */
export function runRules(rules: Rule[], tree: Root, file: VFile, context: RuleContext): void {
  const accepts = collectAccepts(tree, file)
  for (const rule of rules) {
    if (!context.isText && !rule.editorial) continue
    const setting = (context.book?.rules?.[rule.id] as Severity | undefined) ?? rule.severity
    if (setting === 'off') continue
    const before = file.messages.length
    rule.check(tree, file, context)
    const added = file.messages.splice(before)
    for (const message of added) {
      message.ruleId = rule.id
      message.source = 'reader'
      message.fatal = setting === 'error' && !warningsOnly.has(message)
      const line = message.line ?? 0
      // One comment accepts one occurrence: a second message in the block needs a second comment.
      const accept = accepts.find((a) => a.rule === rule.id && !a.used && line >= a.from && line <= a.to)
      if (accept) {
        accept.used = true
        continue
      }
      file.messages.push(message)
    }
  }
  for (const accept of accepts) {
    if (!accept.used && rules.some((rule) => rule.id === accept.rule)) {
      file.message(`Unexpected accept comment for \`${accept.rule}\` that accepts nothing here, expected it to be removed`, {
        place: {line: accept.line, column: accept.column},
        ruleId: 'unused-accept',
        source: 'reader'
      })
    }
  }
}

/** The accept comments of a tree; `report` says a comment's missing reason (once per file). */
export function collectAccepts(tree: Root, file: VFile, report = true): Accept[] {
  const accepts: Accept[] = []
  const walk = (parent: Parents) => {
    parent.children.forEach((child: Nodes, index: number) => {
      if (child.type === 'html') {
        const match = acceptPattern.exec(child.value.trim())
        if (match) {
          // Several comments in a row all accept in the block after the last of them.
          let after = index + 1
          while (after < parent.children.length) {
            const sibling = parent.children[after] as Nodes
            if (sibling.type !== 'html' || !acceptPattern.test(sibling.value.trim())) break
            after++
          }
          const next = parent.children[after] as Nodes | undefined
          const start = child.position?.start
          if (!match[2] && report) {
            file.message('Missing reason in accept comment, expected `<!-- reader-accept rule-id: why -->`', {
              place: child.position,
              ruleId: 'unused-accept',
              source: 'reader'
            })
          }
          accepts.push({
            rule: match[1],
            from: next?.position?.start.line ?? start?.line ?? 0,
            to: next?.position?.end.line ?? start?.line ?? 0,
            line: start?.line ?? 1,
            column: start?.column ?? 1,
            used: false
          })
        }
      }
      if ('children' in child) walk(child as Parents)
    })
  }
  walk(tree)
  return accepts
}
