/**
 * The size limits are charged before any text is parsed: a copy-text that takes the book over
 * READER_MAX_BOOK_MB is refused while the book is loaded, and the texts listed before it are not
 * processed first (a 40 MB book made that way spent many seconds on them before the refusal).
 */
import {cpSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {expect, it} from 'vitest'
import {processManuscript} from '../../scripts/pipeline.ts'
import {root, scratch} from '../helpers.ts'

const dir = scratch('reader-limits-early-', ['READER_CACHE', 'READER_MAX_BOOK_MB'])

it('refuses a copy-text over the book limit before the texts before it are parsed', async () => {
  const manuscript = path.join(dir, 'manuscript')
  cpSync(path.join(root, 'tests/fixtures/mini'), manuscript, {recursive: true})
  // A second text after the essay, whose copy-text alone is over the limit.
  const essay = readFileSync(path.join(manuscript, 'texts/essay.md'), 'utf8')
  writeFileSync(path.join(manuscript, 'texts/long.md'), essay.replace('copytext: essay.txt', 'copytext: long.txt'))
  writeFileSync(path.join(manuscript, 'sources/long.txt'), ('words of a long text, '.repeat(100) + '\n').repeat(100))
  const bookYaml = path.join(manuscript, 'book.yaml')
  writeFileSync(bookYaml, readFileSync(bookYaml, 'utf8').replace('  - texts/essay.md\n', '  - texts/essay.md\n  - texts/long.md\n'))
  process.env.READER_CACHE = 'off'
  process.env.READER_MAX_BOOK_MB = '0.1'

  const result = await processManuscript(manuscript)
  const messages = result.files.flatMap((file) => file.messages.filter((m) => m.ruleId !== 'book-incomplete').map(String))
  expect(messages).toEqual([
    `${path.relative(process.cwd(), path.join(manuscript, 'texts/long.md'))}:2:1: Unexpected size of the book at \`long.txt\` named by \`copytext\`: its files come to more than 0.1 MB (set READER_MAX_BOOK_MB to raise the limit)`
  ])
  // Nothing was parsed: not the essay before it, not the editorial note.
  expect(result.parts.map((part) => [part.loaded.rel, part.mdast.children.length, part.meta])).toEqual([
    ['editorial/note.md', 0, undefined],
    ['texts/essay.md', 0, undefined],
    ['texts/long.md', 0, undefined]
  ])

  // Under the limit the same book is processed as usual.
  delete process.env.READER_MAX_BOOK_MB
  const within = await processManuscript(manuscript)
  expect(within.parts.every((part) => part.mdast.children.length > 0 && part.meta)).toBe(true)
})
