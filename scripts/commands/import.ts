/**
 * `reader import <raw.txt> [--out FILE]`: turn a raw copy-text into a draft Markdown file.
 * Parses options, calls the importer, prints its messages with vfile-reporter, returns the exit code
 * (0 done, 1 a file could not be read or written, 2 usage error).
 */
import {readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {parseArgs} from 'node:util'
import {VFile} from 'vfile'
import {reporter} from 'vfile-reporter'
import {importCopyText} from '../import/import.ts'

export interface ImportIo {
  stdout: (s: string) => void
  stderr: (s: string) => void
}

interface ImportOptions {
  input: string
  out?: string
}

const usage = 'usage: reader import <raw.txt> [--out FILE]'

const help = `${usage}

Turn a raw copy-text into a draft Markdown text: front matter to complete, paragraphs, headings,
block quotations, verse, preformatted text, and notes as GFM footnotes (a Markdown copy-text is kept
as it is). What it guessed, every marker or note it could not pair, and every hyphen it removed
are reported on stderr with their line.

A file holding several works gives one draft each: FILE-1.md, FILE-2.md, … with --out FILE.md.

Options:
  --out FILE   write the Markdown to FILE (default: stdout)
  -h, --help   show this help
`

/** argv → options, or a usage error message; `'help'` when help was asked for. */
function parseImportArgs(argv: string[]): ImportOptions | 'help' | {error: string} {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      options: {out: {type: 'string'}, help: {type: 'boolean', short: 'h'}},
      allowPositionals: true,
      strict: true
    })
  } catch (error) {
    return {error: error instanceof Error ? error.message : String(error)}
  }
  if (parsed.values.help) return 'help'
  if (parsed.positionals.length === 0) return {error: 'missing the raw copy-text to import'}
  if (parsed.positionals.length > 1) {
    return {error: `expected one raw copy-text, got ${parsed.positionals.length}`}
  }
  return {input: parsed.positionals[0], out: parsed.values.out}
}

export async function runImport(argv: string[], io: ImportIo): Promise<number> {
  const options = parseImportArgs(argv)
  if (options === 'help') {
    io.stdout(help)
    return 0
  }
  if ('error' in options) {
    io.stderr(`reader import: ${options.error}\n${usage}\n`)
    return 2
  }

  let value: string
  try {
    value = await readFile(options.input, 'utf8')
  } catch (error) {
    io.stderr(`reader import: cannot read ${options.input}: ${describe(error)}\n`)
    return 1
  }

  const file = new VFile({path: options.input, value})
  const {markdown, works} = importCopyText(file, {frontMatter: true})

  if (options.out === undefined) {
    io.stdout(markdown)
  } else {
    const out = options.out
    const targets =
      works.length > 1
        ? works.map((work, index) => ({file: out.replace(/(\.[^./]+)?$/, (ext) => `-${index + 1}${ext || '.md'}`), work}))
        : [{file: out, work: undefined}]
    for (const target of targets) {
      try {
        await writeFile(target.file, target.work ? target.work.markdown : markdown)
      } catch (error) {
        io.stderr(`reader import: cannot write ${target.file}: ${describe(error)}\n`)
        return 1
      }
    }
    if (targets.length > 1) {
      io.stderr(targets.map((target) => `${path.basename(target.file)}: ${target.work!.title || '(untitled)'}, lines ${target.work!.lines.join('–')}`).join('\n') + '\n')
    }
  }

  const report = reporter([file])
  if (report) io.stderr(report + '\n')
  return 0
}

/** A file-system error in a few words, without a stack. */
function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (code === 'ENOENT') return 'no such file'
  if (code === 'EISDIR') return 'is a directory'
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied'
  return error instanceof Error ? error.message : String(error)
}
