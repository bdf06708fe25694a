/**
 * `reader watch`: re-check and rebuild on every save, with a live paginated preview on 127.0.0.1.
 */
import type {IO} from './io.ts'
import {parseOptions} from './options.ts'
import {ReaderError} from '../errors.ts'
import {startWatch} from '../watch/watch.ts'
import {createProgress} from '../progress.ts'

const usage = `Usage: reader watch [--manuscript <dir>] [--out <dir>] [--port <n>]

Builds the book, serves a live preview of the paginated print edition (Paged.js, the same HTML,
CSS and fonts as the PDF) on http://127.0.0.1:<port>/, then on every save in the manuscript folder
re-checks and rebuilds the PDF and the EPUB with the same checks as \`reader build\` (preflight,
EPUBCheck), prints the check messages when they change, and reloads the preview at the page you
were reading. The browser and EPUBCheck stay up between builds, so a correction costs only what
it changes. Ctrl-C stops.

Options:
  -m, --manuscript <dir>  the manuscript folder (default: manuscript)
  --out <dir>             the output folder (default: build)
  --port <n>              the preview's port (default: 4173; 0 for any free port)
  --no-epub               do not rebuild the EPUB on each save
  -h, --help              this help`

export async function runWatch(argv: string[], io: IO): Promise<number> {
  const {values} = parseOptions(argv, {out: {type: 'string', default: 'build'}, port: {type: 'string', default: '4173'}, 'no-epub': {type: 'boolean', default: false}}, usage)
  if (values.help) {
    io.stdout(usage)
    return 0
  }
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ReaderError(`Unexpected port \`${values.port}\`, expected a number from 0 to 65535`, {ruleId: 'usage', exitCode: 2})
  const progress = createProgress()
  const watching = await startWatch({
    manuscript: values.manuscript as string,
    out: values.out as string,
    port,
    epub: !values['no-epub'],
    log: (line) => io.stderr(line),
    onStage: progress.onStage
  })
  io.stderr(`reader: preview at ${watching.url} — watching ${values.manuscript} (Ctrl-C to stop)`)
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  progress.stop()
  await watching.close()
  return 0
}
