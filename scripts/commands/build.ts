/**
 * `reader build`: check the manuscript, then write build/<slug>.html, .pdf and .epub — all or none.
 */
import {processIO, type IO} from './io.ts'
import {createProgress} from '../progress.ts'
import {parseOptions, parseFormat} from './options.ts'
import {build} from '../build.ts'
import {report, countMessages} from '../report.ts'
import {ReaderError} from '../errors.ts'
import {isProfileId, profileIds} from '../print/profiles.ts'

const usage = `Usage: reader build [--manuscript <dir>] [--out <dir>] [options]

Checks the manuscript and writes <out>/<slug>.html, <out>/<slug>.pdf and <out>/<slug>.epub.
Nothing is written while the manuscript has errors; a failed build leaves earlier outputs as they were.

Options:
  -m, --manuscript <dir>  the manuscript folder (default: manuscript)
  --out <dir>             the output folder (default: build)
  --html-only             write only the reader HTML
  --no-pdf                skip the PDF
  --no-epub               skip the EPUB
  --print-shop <profile>  the PDF (and the cover) for a printer: kdp, ingramspark, lulu or generic
                          (default: book.yaml print.profile); see the README's Printing section
  --skip-validation       skip preflight and EPUBCheck (never the default)
  --review                also write DAISY Ace's report (build/ace/), EPUB screenshots and a
                          contact sheet of the first 12 PDF pages
  --timings               print the time of each stage
  --errata <rev>          also write <out>/<slug>-errata.txt: the corrections of this edition since
                          <rev> (a git revision, manuscript or build folder), by page and line
  --format <name>         how to print messages: pretty (default), compact or json
  -h, --help              this help`

export async function runBuild(argv: string[], io: IO, signal?: AbortSignal): Promise<number> {
  const {values} = parseOptions(
    argv,
    {
      out: {type: 'string', default: 'build'},
      'html-only': {type: 'boolean', default: false},
      'no-pdf': {type: 'boolean', default: false},
      'no-epub': {type: 'boolean', default: false},
      'print-shop': {type: 'string'},
      'skip-validation': {type: 'boolean', default: false},
      timings: {type: 'boolean', default: false},
      review: {type: 'boolean', default: false},
      format: {type: 'string', default: 'pretty'},
      errata: {type: 'string'}
    },
    usage
  )
  if (values.help) {
    io.stdout(usage)
    return 0
  }
  const format = parseFormat(values.format)
  const printShop = values['print-shop']
  if (printShop !== undefined && !isProfileId(printShop)) {
    throw new ReaderError(`Unknown printer profile \`${printShop}\`, expected ${profileIds.join(', ')}`, {ruleId: 'usage', exitCode: 2})
  }

  const htmlOnly = values['html-only'] as boolean
  if (values.errata && (htmlOnly || values['no-pdf'])) {
    throw new ReaderError('--errata needs the PDF (its list is by page and line): leave out --no-pdf and --html-only', {ruleId: 'usage', exitCode: 2})
  }
  // A live display on a terminal, plain lines through `io` elsewhere (scripts/progress.ts).
  const progress = createProgress({timings: values.timings as boolean, stream: io === processIO ? process.stderr : {write: (text: string) => io.stderr(text.replace(/\n$/, ''))}})
  const result = await build({
    manuscript: values.manuscript as string,
    out: values.out as string,
    pdf: !htmlOnly && !values['no-pdf'],
    epub: !htmlOnly && !values['no-epub'],
    printShop,
    skipValidation: values['skip-validation'] as boolean,
    review: values.review as boolean,
    ...(values.errata ? {errata: {since: values.errata as string, log: (line: string) => io.stderr(line)}} : {}),
    signal,
    onStage: progress.onStage
  }).finally(() => progress.stop())

  const printed = report(result.files, format)
  if (printed) (format === 'json' ? io.stdout : io.stderr)(printed)
  // Preflight’s table of the printer profile’s numbers (scripts/print/preflight-profile.ts).
  for (const file of result.files) if (typeof file.data.profileTable === 'string' && format !== 'json') io.stderr(file.data.profileTable)
  const counts = countMessages(result.files)
  if (!result.ok) {
    io.stderr(`reader: build refused: ${counts.errors} error${counts.errors === 1 ? '' : 's'}; nothing was written`)
    return 1
  }
  if (values.timings) {
    io.stderr(Object.entries(result.timings).map(([stage, seconds]) => `  ${stage.padEnd(16)} ${seconds.toFixed(2)} s`).join('\n'))
  }
  for (const output of result.outputs) io.stderr(`reader: wrote ${output}`)
  return 0
}
