/**
 * Checking a manuscript as a library call: the files with their messages, the counts, and the
 * report that `reader check` writes.
 */
import type {VFile} from 'vfile'
import {processManuscript, type ProcessedManuscript} from './pipeline.ts'
import {countMessages} from './report.ts'
import {rules} from './checks/index.ts'
import {crossRules} from './cross-text/index.ts'
import {severityOf} from './checks/control.ts'
import {editorialClaims} from './editorial/claims.ts'

export interface CheckResult {
  processed: ProcessedManuscript
  files: VFile[]
  counts: {errors: number; warnings: number; infos: number}
  summaryLine: string
  report: unknown
}

export async function checkManuscript(dir: string): Promise<CheckResult> {
  return summarise(await processManuscript(dir))
}

function summarise(processed: ProcessedManuscript): CheckResult {
  const files = processed.files
  const counts = countMessages(files)
  const notes = processed.parts.reduce((sum, part) => sum + (part.loaded.file.data.noteLabels?.length ?? 0), 0)
  const texts = processed.parts.filter((part) => part.loaded.matter === 'text').length
  const book = processed.manuscript.book
  const ruleIds = (['collation', ...rules.map((rule) => rule.id), ...crossRules.map((rule) => rule.id), editorialClaims.id] as const).filter((id) => severityOf(id, book) !== 'off')
  const cross = processed.manuscript.bookFile.data.crossCounts ?? {citations: 0, quotations: 0}
  const summaryLine =
    `${plural(texts, 'text')}, ${plural(notes, 'note')}, ${plural(cross.quotations, 'quotation')}, ${plural(cross.citations, 'citation')} checked; ${plural(ruleIds.length, 'rule')} run; ` +
    `${plural(counts.errors, 'error')}, ${plural(counts.warnings, 'warning')}`
  const report = {
    texts,
    notes,
    quotations: cross.quotations,
    citations: cross.citations,
    rules: ruleIds,
    errors: counts.errors,
    warnings: counts.warnings,
    messages: files.flatMap((file) =>
      file.messages.map((m) => ({
        file: file.path,
        line: m.line ?? null,
        column: m.column ?? null,
        severity: m.fatal ? 'error' : m.fatal === false ? 'warning' : 'info',
        ruleId: m.ruleId ?? null,
        message: m.reason
      }))
    )
  }
  return {processed, files, counts, summaryLine, report}
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}
