/**
 * Printing diagnostics: vfile-reporter’s layout for people, one `file:line:column: message [rule-id]`
 * line each for scripts and editors’ tools, JSON for machines.
 */
import {reporter} from 'vfile-reporter'
import type {VFile} from 'vfile'

export type Format = 'pretty' | 'compact' | 'json'

export const formats: Format[] = ['pretty', 'compact', 'json']

export function report(files: VFile[], format: Format, options: {quiet?: boolean} = {}): string {
  const shown = files.filter((file) => file.messages.length > 0)
  if (format === 'json') {
    return JSON.stringify(
      files.flatMap((file) =>
        file.messages.map((m) => ({
          file: file.path,
          line: m.line ?? null,
          column: m.column ?? null,
          endLine: m.place && 'end' in m.place ? m.place.end.line : null,
          endColumn: m.place && 'end' in m.place ? m.place.end.column : null,
          severity: m.fatal ? 'error' : m.fatal === false ? 'warning' : 'info',
          ruleId: m.ruleId ?? null,
          message: m.reason,
          actual: m.actual ?? null,
          expected: m.expected ?? null
        }))
      ),
      null,
      2
    )
  }
  if (format === 'compact') {
    return shown
      .flatMap((file) =>
        [...file.messages]
          .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0))
          .filter((m) => !options.quiet || m.fatal)
          .map((m) => `${file.path}:${m.line ?? 1}:${m.column ?? 1}: ${m.fatal ? '' : m.fatal === false ? 'warning: ' : 'info: '}${m.reason} [${m.ruleId}]`)
      )
      .join('\n')
  }
  if (shown.length === 0) return ''
  return reporter(shown, {quiet: options.quiet})
}

export function countMessages(files: VFile[]): {errors: number; warnings: number; infos: number} {
  let errors = 0
  let warnings = 0
  let infos = 0
  for (const file of files) {
    for (const message of file.messages) {
      if (message.fatal) errors++
      else if (message.fatal === false) warnings++
      else infos++
    }
  }
  return {errors, warnings, infos}
}
