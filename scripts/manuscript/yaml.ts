/**
 * YAML with positions: parse a document, validate it with a zod schema, and report every problem
 * as a vfile message at the line and column of the offending key.
 */
import {LineCounter, parseDocument, isMap, isSeq, isScalar, visit, type Node as YamlNode} from 'yaml'
import type {VFile} from 'vfile'
import type {z} from 'zod'
import {describeIssues} from './schema.ts'

export interface Point {
  line: number
  column: number
}

/** How many values aliases may expand to in one document (yaml’s own guard against alias bombs). */
const maxAliases = 100

/**
 * Parse `source` (which starts at `origin` in `file`) and validate it. Returns the value, or
 * undefined after reporting the problems on `file` (their severity comes from the registry, scripts/rules.ts).
 */
export function parseYaml<T extends z.ZodType>(
  file: VFile,
  source: string,
  schema: T,
  options: {origin?: Point; ruleId: string; what: string}
): z.infer<T> | undefined {
  const origin = options.origin || {line: 1, column: 1}
  const lineCounter = new LineCounter()
  const doc = parseDocument(source, {lineCounter, prettyErrors: false, uniqueKeys: true})

  const place = (offset: number): Point => {
    const at = lineCounter.linePos(offset)
    return {line: origin.line + at.line - 1, column: at.line === 1 ? origin.column + at.col - 1 : at.col}
  }

  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      file.message(`Invalid YAML in ${options.what}: ${error.message.split('\n')[0]}`, {
        place: place(error.pos[0]),
        ruleId: 'yaml-syntax',
        source: 'reader'
      })
    }
    return undefined
  }

  // Aliases are expanded only so far: a few `*x` that each repeat a list of `*y` would fill memory.
  let data: unknown
  try {
    data = doc.toJS({maxAliasCount: maxAliases}) ?? {}
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error
    let first: YamlNode | undefined
    visit(doc, {
      Alias(_, node) {
        first = node
        return visit.BREAK
      }
    })
    file.message(`Unexpected YAML aliases in ${options.what} that repeat more than ${maxAliases} values, expected plain values (an alias bomb?)`, {
      place: place(first?.range?.[0] ?? 0),
      ruleId: 'yaml-aliases',
      source: 'reader'
    })
    return undefined
  }
  const result = schema.safeParse(data)
  if (result.success) return result.data

  for (const {path, message, atKey} of describeIssues(result.error)) {
    const node = nodeAt(doc.contents as YamlNode | null, path, atKey)
    const offset = node?.range?.[0] ?? 0
    file.message(`${message} in ${options.what}`, {place: place(offset), ruleId: options.ruleId, source: 'reader'})
  }
  return undefined
}

/** The deepest YAML node on `path` (its key when the value is missing). */
function nodeAt(node: YamlNode | null, path: Array<string | number>, atKey = false): YamlNode | null {
  let current: YamlNode | null = node
  for (const [index, key] of path.entries()) {
    if (current && isMap(current)) {
      const pair = current.items.find((item) => isScalar(item.key) && item.key.value === key)
      if (!pair) return current
      if (atKey && index === path.length - 1) return pair.key as YamlNode
      current = (pair.value as YamlNode | null) ?? (pair.key as YamlNode)
    } else if (current && isSeq(current) && typeof key === 'number') {
      current = (current.items[key] as YamlNode | null) ?? current
    } else {
      return current
    }
  }
  return current
}

/** The position of a string item in a top-level sequence (`texts:`), for messages about a listed file. */
export function sequenceItemPlace(source: string, key: string, index: number): Point | undefined {
  const lineCounter = new LineCounter()
  const doc = parseDocument(source, {lineCounter})
  const seq = doc.get(key, true)
  if (!seq || !isSeq(seq)) return undefined
  const item = seq.items[index] as YamlNode | undefined
  if (!item?.range) return undefined
  const at = lineCounter.linePos(item.range[0])
  return {line: at.line, column: at.col}
}
