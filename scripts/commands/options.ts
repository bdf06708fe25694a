/**
 * Shared option parsing: every command takes `--manuscript <dir>` and `--help`; usage errors exit 2.
 */
import {parseArgs, type ParseArgsConfig} from 'node:util'
import {ReaderError} from '../errors.ts'
import {formats, type Format} from '../report.ts'

export type OptionSpec = NonNullable<ParseArgsConfig['options']>

const manuscriptOption: OptionSpec = {
  manuscript: {type: 'string', short: 'm', default: 'manuscript'},
  help: {type: 'boolean', short: 'h', default: false}
}

/** Parse argv or throw a usage error (exit 2) naming the bad option. */
export function parseOptions<T extends OptionSpec>(argv: string[], options: T, usage: string, allowPositionals = false) {
  try {
    return parseArgs({args: argv, options: {...manuscriptOption, ...options}, allowPositionals, strict: true})
  } catch (error) {
    throw new ReaderError(`${(error as Error).message}\n\n${usage}`, {ruleId: 'usage', exitCode: 2})
  }
}

/** The `--format` option, checked: pretty, compact or json. */
export function parseFormat(value: unknown): Format {
  if (!formats.includes(value as Format)) {
    throw new ReaderError(`Unknown format \`${value}\`, expected pretty, compact or json`, {ruleId: 'usage', exitCode: 2})
  }
  return value as Format
}
