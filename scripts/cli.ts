/**
 * `reader`: a thin dispatcher. Each command parses its own options and calls the library; every
 * failure comes back as an exit code and a located message, never a stack trace.
 */
import {ReaderError} from './errors.ts'
import {processIO, type IO} from './commands/io.ts'
import {killAllChildren} from './child-processes.ts'

/** A command: its argv, where to print, and the signal Ctrl-C aborts. */
type Runner = (argv: string[], io: IO, signal?: AbortSignal) => Promise<number>

const commands: Record<string, {summary: string; load: () => Promise<Runner>}> = {
  build: {summary: 'check the manuscript and write the HTML, PDF and EPUB to build/', load: async () => (await import('./commands/build.ts')).runBuild},
  check: {summary: 'check the manuscript (collation, notes, quotations, citations)', load: async () => (await import('./commands/check.ts')).runCheck},
  import: {summary: 'turn a raw copy-text into a draft Markdown text', load: async () => (await import('./commands/import.ts')).runImport},
  preflight: {summary: 'check a PDF as a printer’s preflight would', load: async () => (await import('./commands/preflight.ts')).runPreflight},
  'typeset-report': {summary: 'print a PDF’s typesetting figures: hyphenation, page make-up, loose lines, measure', load: async () => (await import('./commands/typeset-report.ts')).runTypesetReport},
  diff: {summary: 'compare two editions: textual changes, pages to replace, errata', load: async () => (await import('./commands/diff.ts')).runDiff},
  watch: {summary: 're-check and rebuild on every save, with a live preview', load: async () => (await import('./commands/watch.ts')).runWatch},
  bench: {summary: 'measure build and pagination speed against references', load: async () => (await import('./commands/bench.ts')).runBench}
}

const usage = `Usage: reader <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, {summary}]) => `  ${name.padEnd(10)} ${summary}`)
  .join('\n')}

Run \`reader <command> --help\` for a command’s options.`

export async function main(argv: string[], io: IO = processIO): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage)
    return name ? 0 : 2
  }
  const command = commands[name]
  if (!command) {
    io.stderr(`reader: unknown command \`${name}\`\n\n${usage}`)
    return 2
  }
  const controller = new AbortController()
  const onSignal = () => {
    controller.abort()
    killAllChildren()
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  const aborted = new Promise<undefined>((resolve) => controller.signal.addEventListener('abort', () => resolve(undefined), {once: true}))
  try {
    const run = await command.load()
    const running = run(rest, io, controller.signal)
    running.catch(() => {})
    const code = await Promise.race([running, aborted])
    if (code !== undefined) return code
    // Ctrl-C: the command has a moment to stop and clean up (a build removes its staging folder), and
    // is left behind if it does not take it (\`bin/reader.mjs\` then exits; what is left is removed at exit).
    // A command that ends normally on Ctrl-C (watch) returns its own code; one that throws was interrupted.
    const settled = await Promise.race([running, new Promise<undefined>((resolve) => setTimeout(resolve, 2000))]).catch(() => undefined)
    return settled ?? interrupted(io)
  } catch (error) {
    return controller.signal.aborted ? interrupted(io) : fail(error, io)
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

/** Ctrl-C (or SIGTERM): browsers and EPUBCheck are killed, the build’s temporary files are gone; 130 as a shell would. */
function interrupted(io: IO): number {
  killAllChildren()
  io.stderr('reader: interrupted: stopped and cleaned up; earlier outputs are as they were [interrupted]')
  return 130
}

/** Print a failure the house way and return its exit code. */
function fail(error: unknown, io: IO): number {
  killAllChildren()
  if (error instanceof ReaderError) {
    io.stderr(String(error))
    return error.exitCode
  }
  const message = error instanceof Error ? error.message : String(error)
  io.stderr(`reader: internal error: ${message.split('\n')[0]} [internal]`)
  if (process.env.READER_DEBUG && error instanceof Error) io.stderr(error.stack || '')
  return 1
}
