/**
 * remark plugin: read and validate a file’s YAML front matter into `file.data.meta`.
 */
import type {Root} from 'mdast'
import type {VFile} from 'vfile'
import type {z} from 'zod'
import {parseYaml} from './yaml.ts'

export interface Options {
  schema: z.ZodType
  /** Whether the file must have front matter. */
  required?: boolean
}

export default function remarkFrontMatterMeta(options: Readonly<Options>) {
  const {schema, required = true} = options
  return function (tree: Root, file: VFile): undefined {
    const first = tree.children[0]
    const source = String(file.value)
    if (!first || first.type !== 'yaml') {
      if (/^---[ \t]*\n/.test(source)) {
        file.message('Unclosed front matter: expected a line `---` after the YAML that opens the file', {
          place: {line: 1, column: 1},
          ruleId: 'front-matter',
          source: 'reader'
        })
      } else if (required) {
        file.message('Missing front matter: expected YAML between `---` lines at the top of the file', {
          place: {line: 1, column: 1},
          ruleId: 'front-matter',
          source: 'reader'
        })
      }
      return
    }
    const origin = {line: (first.position?.start.line ?? 1) + 1, column: 1}
    const meta = parseYaml(file, first.value, schema, {origin, ruleId: 'front-matter-schema', what: 'the front matter'})
    if (meta === undefined) return
    file.data.meta = meta
    file.data.metaPlaces = metaPlaces(first.value, origin.line)
  }
}

/** Lines of `title:` and of each `removed` entry, for messages that point into the front matter. */
export function metaPlaces(yaml: string, firstLine: number) {
  const lines = yaml.split('\n')
  const title = lines.findIndex((line) => /^title:/.test(line))
  const removedAt = lines.findIndex((line) => /^removed:/.test(line))
  const removed: Array<{line: number; column: number}> = []
  if (removedAt !== -1) {
    for (let i = removedAt + 1; i < lines.length && !/^\S/.test(lines[i]); i++) {
      const match = /^(\s*)-\s/.exec(lines[i])
      if (match) removed.push({line: firstLine + i, column: match[1].length + 1})
    }
  }
  return {title: title === -1 ? undefined : {line: firstLine + title, column: 1}, removed}
}

declare module 'vfile' {
  interface DataMap {
    meta: unknown
    metaPlaces: {title?: {line: number; column: number}; removed?: Array<{line: number; column: number}>}
  }
}
