/**
 * `reader check`: run every check on the manuscript, print the messages and a summary, write
 * build/check-report.json. Exit 1 when an error remains.
 */
import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import type {IO} from './io.ts'
import {parseOptions, parseFormat} from './options.ts'
import {checkManuscript} from '../check.ts'
import {report} from '../report.ts'
import {writableFolder} from '../output.ts'

const usage = `Usage: reader check [--manuscript <dir>] [--format pretty|compact|json] [--quiet] [--out <dir>]

Checks the manuscript: book.yaml and front matter, collation against the copy-texts,
critical markup, notes, quotations and citations. Writes <out>/check-report.json.

Options:
  -m, --manuscript <dir>  the manuscript folder (default: manuscript)
  --format <name>         pretty (default), compact (file:line:col: message [rule]) or json
  --quiet                 errors only
  --out <dir>             where to write check-report.json (default: build)
  -h, --help              this help`

export async function runCheck(argv: string[], io: IO): Promise<number> {
  const {values} = parseOptions(
    argv,
    {format: {type: 'string', default: 'pretty'}, quiet: {type: 'boolean', default: false}, out: {type: 'string', default: 'build'}},
    usage
  )
  if (values.help) {
    io.stdout(usage)
    return 0
  }
  const format = parseFormat(values.format)

  // A folder the report cannot be written to is said before the work, not after it.
  writableFolder(values.out as string)
  const result = await checkManuscript(values.manuscript as string)
  const out = report(result.files, format, {quiet: values.quiet as boolean})
  if (format === 'json') io.stdout(out)
  else {
    if (out) io.stderr(out)
    io.stderr(result.summaryLine)
  }
  mkdirSync(values.out as string, {recursive: true})
  writeFileSync(path.join(values.out as string, 'check-report.json'), JSON.stringify(result.report, null, 2) + '\n')
  return result.counts.errors > 0 ? 1 : 0
}
