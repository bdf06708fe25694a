/**
 * One message control for every diagnostic (scripts/checks/control.ts): severities from the registry
 * and book.yaml’s `rules:`, accept comments the same for a per-text check, a cross-text check and
 * collation, and `rules:` keys checked against the registry at their line and column.
 */
import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {lint, lintTexts} from './helpers.ts'
import rule from '../../scripts/checks/no-repeated-words.ts'
import {processManuscript} from '../../scripts/pipeline.ts'
import {countMessages} from '../../scripts/report.ts'
import {root} from '../helpers.ts'

const accept = (id: string, why = 'the author’s emphasis') => `<!-- reader-accept ${id}${why ? `: ${why}` : ''} -->`

describe('accept comments', () => {
  it('accept the rule’s messages in the next block, and only there', () => {
    expect(lint(rule, `${accept('no-repeated-words')}\nIt was in in the end.\n`)).toEqual([])
    expect(lint(rule, `${accept('no-repeated-words')}\nA clean paragraph.\n\nIt was in in the end.\n`)).toEqual([
      'ch1.md:4:11: Unexpected repeated word `in`, expected `in` once',
      'ch1.md:1:1: Unexpected accept comment for `no-repeated-words` that accepts nothing here, expected it to be removed'
    ])
  })

  it('report a comment with no reason, or for a rule that is unknown or cannot be relaxed', () => {
    expect(lint(rule, `${accept('no-repeated-words', '')}\nIt was in in the end.\n`)).toEqual([
      'ch1.md:1:1-1:41: Missing reason in accept comment, expected `<!-- reader-accept rule-id: why -->`'
    ])
    expect(lint(rule, `${accept('no-repeted-words')}\nIt was in in the end.\n`)).toEqual([
      'ch1.md:2:11: Unexpected repeated word `in`, expected `in` once',
      'ch1.md:1:1: Unexpected accept comment for unknown rule `no-repeted-words`, expected a rule id of the README’s rules tables'
    ])
    expect(lint(rule, `${accept('book-parts')}\nA clean paragraph.\n`)).toEqual([
      'ch1.md:1:1: Unexpected accept comment for `book-parts`, which cannot be accepted: expected the problem to be fixed'
    ])
  })

  it('work the same for a cross-text check', () => {
    const a = 'Serge wanted a society that defends human freedom, enhances human dignity and improves the human condition.'
    const b = 'Serge belongs to a society that “defends human freedom, enhances human worth and improves the human condition”.'
    expect(lintTexts({'texts/a.md': a, 'texts/b.md': b})).toHaveLength(1)
    expect(lintTexts({'texts/a.md': a, 'texts/b.md': `${accept('quotation-variant', 'the translation differs')}\n${b}`})).toEqual([])
  })

  it('a rule set to `off` is not run, and an accept comment for it is not reported', () => {
    expect(lint(rule, `It was in in the end.\n`, 'ch1.md', {'no-repeated-words': 'off'})).toEqual([])
    expect(lint(rule, `${accept('no-repeated-words')}\nA clean paragraph.\n`, 'ch1.md', {'no-repeated-words': 'off'})).toEqual([])
  })
})

describe('book.yaml’s rules on the manuscript checks', () => {
  let dir: string | undefined
  afterEach(() => {
    if (dir) rmSync(dir, {recursive: true, force: true})
  })

  /** The mini manuscript with a silent change in its text, and `extra` appended to book.yaml. */
  function manuscript(extra = '', before = ''): string {
    dir = mkdtempSync(path.join(tmpdir(), 'reader-control-'))
    cpSync(path.join(root, 'tests/fixtures/mini'), dir, {recursive: true})
    const essay = path.join(dir, 'texts/essay.md')
    writeFileSync(essay, readFileSync(essay, 'utf8').replace('The second paragraph quotes', `${before}The second paragraph cites`))
    writeFileSync(path.join(dir, 'book.yaml'), readFileSync(path.join(dir, 'book.yaml'), 'utf8') + extra)
    return dir
  }

  const collation = (files: Array<{messages: Array<{ruleId?: string | null; fatal?: boolean | null}>}>) =>
    files.flatMap((file) => file.messages.filter((m) => m.ruleId === 'collation').map((m) => m.fatal))

  it('collation is an error by default, a warning or nothing when book.yaml says so', async () => {
    expect(collation((await processManuscript(manuscript())).files)).toEqual([true])
    const warned = await processManuscript(manuscript('rules:\n  collation: warning\n'))
    expect(collation(warned.files)).toEqual([false])
    expect(countMessages(warned.files).errors).toBe(0)
    expect(collation((await processManuscript(manuscript('rules:\n  collation: off\n'))).files)).toEqual([])
  })

  it('an accept comment accepts a collation message', async () => {
    const processed = await processManuscript(manuscript('', `${accept('collation', 'the editor’s reading, argued in the introduction')}\n\n`))
    expect(collation(processed.files)).toEqual([])
    expect(countMessages(processed.files).errors).toBe(0)
  })

  it('a key of `rules` that is no rule, or one that cannot be relaxed, is refused at its line and column', async () => {
    const processed = await processManuscript(manuscript('rules:\n  colation: warning\n  book-parts: off\n'))
    const lines = readFileSync(path.join(dir!, 'book.yaml'), 'utf8').split('\n')
    const at = (key: string) => `${lines.findIndex((line) => line.startsWith(`  ${key}:`)) + 1}:3`
    expect(processed.manuscript.bookFile.messages.map((m) => `${m.line}:${m.column}: ${m.reason} [${m.ruleId}] ${m.fatal}`)).toEqual([
      `${at('colation')}: Unexpected rule \`colation\` in \`rules\`, expected \`collation\` or a rule id of the README’s rules tables in book.yaml [book-schema] true`,
      `${at('book-parts')}: Unexpected rule \`book-parts\` in \`rules\`: it cannot be relaxed (see the README’s rules tables) in book.yaml [book-schema] true`
    ])
  })
})
