/**
 * `reader build`: check the manuscript, then write build/<slug>.html, .pdf and .epub — all or none.
 */
import type {IO} from '../cli.ts'
import {parseOptions, parseFormat} from './options.ts'
import {build} from '../build.ts'
import {report, countMessages} from '../report.ts'

const usage = `Usage: reader build [--manuscript <dir>] [--out <dir>] [options]

Checks the manuscript and writes <out>/<slug>.html, <out>/<slug>.pdf and <out>/<slug>.epub.
Nothing is written while the manuscript has errors; a failed build leaves earlier outputs as they were.

Options:
  -m, --manuscript <dir>  the manuscript folder (default: manuscript)
  --out <dir>             the output folder (default: build)
  --html-only             write only the reader HTML
  --no-pdf                skip the PDF
  --no-epub               skip the EPUB
  --print-shop            the PDF with bleed and crop marks, for a printer
  --skip-validation       skip preflight and EPUBCheck (never the default)
  --review                also write DAISY Ace's report (build/ace/), EPUB screenshots and a
                          contact sheet of the first 12 PDF pages
  --timings               print the time of each stage
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
      'print-shop': {type: 'boolean', default: false},
      'skip-validation': {type: 'boolean', default: false},
      timings: {type: 'boolean', default: false},
      review: {type: 'boolean', default: false},
      format: {type: 'string', default: 'pretty'}
    },
    usage
  )
  if (values.help) {
    io.stdout(usage)
    return 0
  }
  const format = parseFormat(values.format)

  const htmlOnly = values['html-only'] as boolean
  const result = await build({
    manuscript: values.manuscript as string,
    out: values.out as string,
    pdf: !htmlOnly && !values['no-pdf'],
    epub: !htmlOnly && !values['no-epub'],
    printShop: values['print-shop'] as boolean,
    skipValidation: values['skip-validation'] as boolean,
    review: values.review as boolean,
    signal,
    onStage: (stage, state, detail) => {
      if (state === 'start') io.stderr(`reader: ${stage}…`)
      else if (values.timings) io.stderr(`reader: ${stage} done in ${detail}`)
    }
  })

  const printed = report(result.files, format)
  if (printed) (format === 'json' ? io.stdout : io.stderr)(printed)
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
