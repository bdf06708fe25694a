/**
 * Message control: the one place where a message’s severity is decided. Every diagnostic of the
 * manuscript — collation, critical markup, book.yaml, the per-text and cross-text checks, the index —
 * is raised with its rule id only; once every check has run, `controlMessages` gives each message its
 * severity from the registry (scripts/rules.ts) and book.yaml’s `rules:`, drops those set to `off`,
 * and drops those an accept comment accepts (the model is unified-message-control’s `ignore`):
 *
 *     <!-- reader-accept no-repeated-words: the author repeats it for emphasis -->
 *
 * accepts one of that rule’s messages inside the next block (several comments in a row, one each, for
 * several: they all cover the block after the last of them). An accept comment that accepts nothing, gives no
 * reason, or names a rule that is unknown or cannot be relaxed is itself reported (`unused-accept`),
 * so a stale one does not linger. Rules the registry marks `fixed` keep their severity.
 */
import type {Root, Nodes, Parents} from 'mdast'
import type {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import type {Book} from '../manuscript/schema.ts'
import {ruleInfo, type Severity} from '../rules.ts'

/** An accept comment and the lines of the block it accepts. */
export interface Accept {
  rule: string
  from: number
  to: number
  line: number
  column: number
  used: boolean
}

const acceptPattern = /^<!--\s*reader-accept\s+([a-z0-9-]+)\s*(?::\s*([\s\S]*?))?\s*-->$/

/** The severity of `ruleId` in this book: book.yaml’s `rules:` unless the rule is fixed, else the registry’s. */
export function severityOf(ruleId: string, book?: Pick<Book, 'rules'>): Severity | 'off' | undefined {
  const info = ruleInfo(ruleId)
  if (!info) return undefined
  if (info.fixed) return info.severity
  return (book?.rules?.[ruleId] as Severity | 'off' | undefined) ?? info.severity
}

/** Whether `file` has a message that will be an error (before the control pass has run, too). */
export function hasErrors(file: VFile, book?: Pick<Book, 'rules'>): boolean {
  return file.messages.some((message) => {
    const severity = message.ruleId ? severityOf(message.ruleId, book) : undefined
    return severity === undefined ? Boolean(message.fatal) : severity === 'error'
  })
}

/** Keep the accept comments of a tree (the manuscript as written) in `file.data.accepts`. */
export function collectAccepts(tree: Root, file: VFile): void {
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
          if (!match[2]) {
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
  file.data.accepts = accepts
}

/**
 * Give every registered message on `file` its severity, drop what is off or accepted, and report
 * accept comments that accepted nothing. Run once per file, after all its checks. Messages of other
 * tools (EPUBCheck, Ace: not in the registry) are left as their tool set them.
 */
export function controlMessages(file: VFile, book?: Pick<Book, 'rules'>): void {
  const accepts = file.data.accepts ?? []
  const kept: VFileMessage[] = []
  for (const message of file.messages) {
    const severity = message.ruleId ? severityOf(message.ruleId, book) : undefined
    if (severity === undefined) {
      kept.push(message)
      continue
    }
    if (severity === 'off') continue
    if (!ruleInfo(message.ruleId)!.fixed) {
      const line = message.line ?? 0
      // One comment accepts one occurrence: a second message in the block needs a second comment.
      const accept = accepts.find((a) => a.rule === message.ruleId && !a.used && line >= a.from && line <= a.to)
      if (accept) {
        accept.used = true
        continue
      }
    }
    setSeverity(message, severity === 'error' && message.atMost === 'warning' ? 'warning' : severity)
    kept.push(message)
  }
  file.messages = kept

  for (const accept of accepts) {
    if (accept.used) continue
    const info = ruleInfo(accept.rule)
    let reason: string
    if (!info) reason = `Unexpected accept comment for unknown rule \`${accept.rule}\`, expected a rule id of the README’s rules tables`
    else if (info.fixed) reason = `Unexpected accept comment for \`${accept.rule}\`, which cannot be accepted: expected the problem to be fixed`
    else if (severityOf(accept.rule, book) === 'off') continue
    else reason = `Unexpected accept comment for \`${accept.rule}\` that accepts nothing here, expected it to be removed`
    const severity = severityOf('unused-accept', book)
    if (severity === 'off') continue
    const message = file.message(reason, {place: {line: accept.line, column: accept.column}, ruleId: 'unused-accept', source: 'reader'})
    setSeverity(message, severity!)
  }
}

function setSeverity(message: VFileMessage, severity: Severity): void {
  message.fatal = severity === 'error' ? true : severity === 'warning' ? false : undefined
}

declare module 'vfile-message' {
  interface VFileMessage {
    /** The most this message can be, whatever its rule’s severity (`asWarning` in scripts/checks/rule.ts). */
    atMost?: 'warning'
  }
}

declare module 'vfile' {
  interface DataMap {
    /** The accept comments of a Markdown file (scripts/checks/control.ts). */
    accepts: Accept[]
  }
}
