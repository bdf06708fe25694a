/**
 * `reader typeset-report [pdf]`: the typesetting figures of a built PDF (hyphenation, page
 * make-up, loose lines, the measure) against their limits. Default: build/<slug>.pdf from
 * manuscript/book.yaml. Exit 0 with the report (1 with `--strict` when a figure misses its limit),
 * 1 when the PDF or its pagination cannot be read, 2 on usage.
 */
import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import YAML from 'yaml'
import {formatReport, typesetReportOf, verdicts} from '../print/typeset-report.ts'
import {readInside} from '../manuscript/read.ts'
import type {IO} from './io.ts'
import {parseOptions} from './options.ts'

const usage = `Usage: reader typeset-report [pdf] [--manuscript <dir>] [--json] [--strict]

Prints the typesetting figures of a PDF the build made, from where its words lie (pdftotext -bbox)
and the pagination written beside it (<slug>.pages.json): hyphenated lines, the longest run of them,
capitalised and short words hyphenated, hyphens on a page's last line, facing-page baseline
differences, short pages, the largest empty space at a page foot, two-column pages whose columns
end apart, lines and list items alone over a page (or text under its foot), loose lines, and the
measure.

Options:
  --json                  the figures as JSON
  --strict                exit 1 when a figure misses its limit
  -m, --manuscript <dir>  the manuscript folder with book.yaml, for the default PDF (default: manuscript)
  -h, --help              this help`

export async function runTypesetReport(argv: string[], io: IO): Promise<number> {
  const {values, positionals: positional} = parseOptions(argv, {json: {type: 'boolean', default: false}, strict: {type: 'boolean', default: false}}, usage, true)
  if (values.help) {
    io.stdout(usage)
    return 0
  }
  const {json, strict} = values
  const manuscript = values.manuscript as string
  if (positional.length > 1) return usageError(io, 'Expected at most one PDF')

  let pdf = positional[0]
  if (!pdf) {
    const bookPath = path.join(manuscript, 'book.yaml')
    // Read as the build reads it: inside the manuscript, a regular file (a FIFO would wait for ever).
    const read = readInside(manuscript, 'book.yaml', 'as the book’s description')
    let slug: unknown
    try {
      if ('file' in read) slug = YAML.parse(String(read.file.value))?.slug
    } catch {}
    if (typeof slug !== 'string' || !slug) {
      io.stderr(`${bookPath}:1:1: Cannot read the book’s slug: name a PDF, or run \`reader check\` [preflight-book]`)
      return 1
    }
    pdf = path.join('build', `${slug}.pdf`)
  }
  if (!existsSync(pdf)) {
    io.stderr(`${pdf}:1:1: No such PDF: run \`reader build\` first or name one [preflight-unreadable]`)
    return 1
  }
  const pagesPath = pdf.replace(/\.pdf$/i, '') + '.pages.json'
  let starts
  try {
    starts = JSON.parse(readFileSync(pagesPath, 'utf8')).starts
    if (!Array.isArray(starts)) throw new Error('no pages')
  } catch {
    io.stderr(`${pagesPath}:1:1: Unexpected PDF without its pagination, expected ${path.basename(pagesPath)} beside it as \`reader build\` writes it [typeset-report-input]`)
    return 1
  }
  let report
  try {
    report = await typesetReportOf(pdf, starts)
  } catch (error) {
    io.stderr(`${pdf}:1:1: Cannot read the PDF’s words: ${String((error as Error).message).split('\n')[0]} [preflight-unreadable]`)
    return 1
  }
  io.stdout(json ? JSON.stringify(report, null, 1) : formatReport(report))
  return strict && verdicts(report).some((v) => !v.ok) ? 1 : 0
}

function usageError(io: IO, message: string): number {
  io.stderr(`${message}\n\n${usage}`)
  return 2
}
