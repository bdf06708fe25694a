/**
 * Mutation test: the real manuscript, copied to a temporary folder, with one defect of each kind
 * planted; each must be reported by the right rule at the right file:line:col.
 */
import {describe, it, expect, beforeAll, afterAll} from 'vitest'
import {cpSync, mkdtempSync, readFileSync, writeFileSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {processManuscript} from '../../scripts/pipeline.ts'

const root = path.resolve(import.meta.dirname, '../../manuscript')
let dir: string
let messages: Array<{file: string; line?: number; column?: number; ruleId?: string; text: string}>
const expected: Array<{rule: string; file: string; line: number; column: number}> = []

/** Change `text/<name>` once: replace `before` by `after`, and note where `mark` (in `after`) lands. */
function plant(name: string, before: string, after: string, rule: string, mark?: {in: 'after'; find: string} | {at: 'definition'; label: string}): void {
  const file = path.join(dir, 'texts', name)
  const source = readFileSync(file, 'utf8')
  const at = source.indexOf(before)
  if (at === -1 || source.indexOf(before, at + 1) !== -1) throw new Error(`\`${before}\` does not occur once in ${name}`)
  const changed = source.slice(0, at) + after + source.slice(at + before.length)
  writeFileSync(file, changed)
  let offset: number
  if (mark && 'find' in mark) offset = at + after.indexOf(mark.find)
  else if (mark && 'label' in mark) offset = changed.indexOf(`\n[^${mark.label}]:`) + 1
  else offset = at
  const lines = changed.slice(0, offset).split('\n')
  expected.push({rule, file: `texts/${name}`, line: lines.length, column: lines.at(-1)!.length + 1})
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'reader-mutation-'))
  cpSync(root, dir, {recursive: true})
  // 1. Delete a note definition: the reference is left with no note.
  plant('penick-at-liberations-heart.md', '\n[^14]: *Memoirs*, p. 378\n', '\n', 'note-numbering', {at: 'definition', label: '15'})
  {
    const source = readFileSync(path.join(dir, 'texts/penick-at-liberations-heart.md'), 'utf8')
    const offset = source.indexOf('[^14]')
    const lines = source.slice(0, offset).split('\n')
    expected.push({rule: 'note-reference-defined', file: 'texts/penick-at-liberations-heart.md', line: lines.length, column: lines.at(-1)!.length + 1})
  }
  // 2. Orphan a reference: the note is never referenced.
  plant('weissman-serge-legacy.md', 'is needed.[^8]', 'is needed.', 'note-definition-used', {at: 'definition', label: '8'})
  // 3. Break a quotation: a closing mark lost.
  plant('lena-remembering-victor-serge.md', '“indispensable to anyone who does not wish to die an idiot.”', '“indispensable to anyone who does not wish to die an idiot.', 'no-unbalanced-quotes', {in: 'after', find: '“'})
  // 4. Alter a word in a passage quoted from another text.
  plant('encyclopedia-victor-serge.md', 'enhances human dignity and improves', 'enhances human worth and improves', 'quotation-variant', {in: 'after', find: 'worth'})
  // 6. Define a note twice (the text's last note, so no planted place below it moves): only the first would print.
  {
    const file = path.join(dir, 'texts/weissman-serge-legacy.md')
    const source = readFileSync(file, 'utf8')
    writeFileSync(file, `${source.trimEnd()}\n\n[^13]: A second text for the same note.\n`)
    const line = source.trimEnd().split('\n').length + 2
    for (const rule of ['note-definition-unique', 'note-numbering']) expected.push({rule, file: 'texts/weissman-serge-legacy.md', line, column: 1})
  }
  // 5. Misspell a translator.
  plant('penick-at-liberations-heart.md', '*Unforgiving Years*. Translated by Richard Greeman.', '*Unforgiving Years*. Translated by Richard Greenman.', 'citation-registry', {in: 'after', find: 'Richard'})

  const processed = await processManuscript(dir)
  messages = processed.files.flatMap((file) =>
    file.messages.map((m) => ({file: path.relative(dir, path.resolve(file.cwd, file.path)), line: m.line, column: m.column, ruleId: m.ruleId, text: String(m)}))
  )
})

afterAll(() => {
  if (dir) rmSync(dir, {recursive: true, force: true})
})

describe('mutation test on the real manuscript', () => {
  const kinds = ['note-numbering', 'note-reference-defined', 'note-definition-used', 'note-definition-unique', 'no-unbalanced-quotes', 'quotation-variant', 'citation-registry']
  for (const kind of kinds) {
    it(`reports the planted defect: ${kind}`, () => {
      const found = messages.filter((m) => m.ruleId === kind).map((m) => `${m.file}:${m.line}:${m.column}`)
      for (const want of expected.filter((e) => e.rule === kind)) expect(found).toContain(`${want.file}:${want.line}:${want.column}`)
    })
  }
  it('reports nothing else of those kinds', () => {
    const found = messages.filter((m) => kinds.includes(m.ruleId ?? '')).map((m) => `${m.file}:${m.line}:${m.column} ${m.ruleId}`)
    expect(found.sort()).toEqual(expected.map((e) => `${e.file}:${e.line}:${e.column} ${e.rule}`).sort())
  })
})
