/**
 * `reader preflight [pdf]`: check a PDF as a printer would (fonts, size, page count, page
 * numbers). Default: build/<slug>.pdf from manuscript/book.yaml. Exit 1 on errors, 2 on usage.
 */
import {existsSync} from 'node:fs'
import path from 'node:path'
import YAML from 'yaml'
import {reporter} from 'vfile-reporter'
import {readInside} from '../manuscript/read.ts'
import {bookSchema} from '../manuscript/schema.ts'
import {preflight} from '../print/preflight.ts'
import {controlMessages} from '../checks/control.ts'
import {isProfileId, profileIds, type ProfileId} from '../print/profiles.ts'
import type {IO} from './io.ts'
import {parseOptions} from './options.ts'

const usage = `Usage: reader preflight [pdf] [--manuscript <dir>]

Checks a PDF as a printer's preflight would: fonts embedded, subset and only the book face (templates/fonts.yaml);
every page the trim size; an even page count; no page number 0 in the contents or index; and, for a
printer profile (book.yaml print.profile), its trim, bleed, marks, margins, colour, fonts, type size and PDF/X, as a table.

Options:
  --print-shop <profile>  check against a printer profile: kdp, ingramspark, lulu or generic
                          (default: book.yaml print.profile)
  -m, --manuscript <dir>  the manuscript folder with book.yaml (default: manuscript)
  -h, --help              this help`

export async function runPreflight(argv: string[], io: IO): Promise<number> {
  const {values, positionals: positional} = parseOptions(argv, {'print-shop': {type: 'string'}}, usage, true)
  if (values.help) {
    io.stdout(usage)
    return 0
  }
  const shop = values['print-shop']
  if (shop !== undefined && !isProfileId(shop)) return usageError(io, `Unknown printer profile \`${shop}\`, expected ${profileIds.join(', ')}`)
  const profile: ProfileId | undefined = shop
  const manuscript = values.manuscript as string
  if (positional.length > 1) return usageError(io, 'Expected at most one PDF')

  const bookPath = path.join(manuscript, 'book.yaml')
  // Read as the build reads it: inside the manuscript, a regular file (a FIFO would wait for ever).
  const read = readInside(manuscript, 'book.yaml', 'as the book’s description')
  if ('refusal' in read) {
    io.stderr(`${bookPath}:1:1: ${read.refusal.reason} [${read.refusal.ruleId}]`)
    return 1
  }
  let parsed
  try {
    parsed = bookSchema.safeParse(YAML.parse(String(read.file.value)))
  } catch (error) {
    io.stderr(`${bookPath}:1:1: Cannot read book.yaml: ${String((error as Error).message).split('\n')[0]} [preflight-book]`)
    return 1
  }
  if (!parsed.success) {
    io.stderr(`${bookPath}:1:1: Invalid book.yaml: run \`reader check\` [preflight-book]`)
    return 1
  }
  const book = profile ? {...parsed.data, print: {...parsed.data.print, profile}} : parsed.data
  const pdf = positional[0] ?? path.join('build', `${book.slug}.pdf`)
  if (!existsSync(pdf)) {
    io.stderr(`${pdf}:1:1: No such PDF: run \`reader build\` first or name one [preflight-unreadable]`)
    return 1
  }
  const file = await preflight(pdf, {book})
  controlMessages(file, book)
  io.stderr(reporter([file]))
  if (typeof file.data.profileTable === 'string') io.stderr(file.data.profileTable)
  return file.messages.some((m) => m.fatal) ? 1 : 0
}

function usageError(io: IO, message: string): number {
  io.stderr(`${message}\n\n${usage}`)
  return 2
}
