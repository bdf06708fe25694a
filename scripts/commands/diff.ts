/**
 * `reader diff <old> [<new>]`: compare two editions — git revisions of the manuscript, manuscript
 * folders or build folders — word by word, note by note, page by page.
 */
import type {IO} from './io.ts'
import {parseOptions} from './options.ts'
import {ReaderError} from '../errors.ts'
import {editionFolder, worktree} from '../editions/revision.ts'
import {loadEdition} from '../editions/edition.ts'
import {compareEditions} from '../editions/compare.ts'
import {formatDiff, formatErrata} from '../editions/format.ts'

const usage = `Usage: reader diff <old> [<new>] [--manuscript <dir>] [--format pretty|json] [--errata]

Compares two editions and reports every textual change word by word with its place in both (text,
paragraph, page and line), notes added, removed or renumbered, index entries whose pages moved, the
printed pages to replace (corrected within the page, or reflowed), and an errata list.

<old> and <new> are each a git revision of the manuscript folder (HEAD~1, a tag, a commit), a
manuscript folder, or a build folder written by \`reader build\`. Without <new>, the working tree.
Revisions and manuscripts are built (HTML and PDF) into the cache first.

Examples:
  reader diff HEAD~1 HEAD
  reader diff v1.0                 # the edition tagged v1.0 against the working tree
  reader diff old-build/ build/

Options:
  -m, --manuscript <dir>  the manuscript folder (default: manuscript)
  --format <name>         pretty (default) or json
  --errata                print only the errata list (page, line, was → now)
  -h, --help              this help`

export async function runDiff(argv: string[], io: IO): Promise<number> {
  const {values, positionals} = parseOptions(
    argv,
    {
      format: {type: 'string', default: 'pretty'},
      errata: {type: 'boolean', default: false}
    },
    usage,
    true
  )
  if (values.help) {
    io.stdout(usage)
    return 0
  }
  const format = values.format as string
  if (format !== 'pretty' && format !== 'json') throw new ReaderError(`Unknown format \`${format}\`, expected pretty or json`, {ruleId: 'usage', exitCode: 2})
  if (positionals.length < 1 || positionals.length > 2) throw new ReaderError(`Expected one or two editions to compare\n\n${usage}`, {ruleId: 'usage', exitCode: 2})

  const options = {manuscript: values.manuscript as string, log: (line: string) => io.stderr(line)}
  const oldDir = await editionFolder(positionals[0], options)
  const newDir = await editionFolder(positionals[1] ?? worktree, options)
  const diff = compareEditions(await loadEdition(oldDir), await loadEdition(newDir))
  if (format === 'json') io.stdout(JSON.stringify(values.errata ? diff.errata : diff, null, 2))
  else io.stdout(values.errata ? formatErrata(diff.errata) : formatDiff(diff))
  return 0
}
