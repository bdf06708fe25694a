/**
 * Checking a manuscript as a library call: the files with their messages, the counts, and the
 * report that `reader check` writes.
 */
import type {VFile} from 'vfile'
import {processManuscript, type ProcessedManuscript} from './pipeline.ts'
import {countMessages} from './report.ts'
import {rules} from './checks/index.ts'
import {crossRules} from './citations/index.ts'
import {loadIndex} from './html/index-of-names.ts'
import {assembleDocument} from './html/document.ts'
import {checkEditorialClaims, editorialClaims} from './editorial/claims.ts'

export interface CheckResult {
  processed: ProcessedManuscript
  files: VFile[]
  counts: {errors: number; warnings: number; infos: number}
  summaryLine: string
  report: unknown
}

export async function checkManuscript(dir: string): Promise<CheckResult> {
  const processed = await processManuscript(dir)
  if (processed.model && countMessages(processed.files).errors === 0) {
    // The index is matched against the assembled texts: an entry that finds nothing is a check too.
    const index = loadIndex(processed.manuscript.dir)
    if (index.file) processed.files.push(index.file)
    assembleDocument(processed, {index: index.data, indexFile: index.file})
    checkEditorialClaims(processed, index.data, index.file)
  }
  return summarise(processed)
}

export function summarise(processed: ProcessedManuscript): CheckResult {
  const files = processed.files
  const counts = countMessages(files)
  const notes = processed.parts.reduce((sum, part) => sum + (part.loaded.file.data.noteLabels?.length ?? 0), 0)
  const texts = processed.parts.filter((part) => part.loaded.matter === 'text').length
  const book = processed.manuscript.book
  const ruleIds = ['collation', ...[...rules, ...crossRules, editorialClaims].filter((rule) => book?.rules?.[rule.id] !== 'off').map((rule) => rule.id)]
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
