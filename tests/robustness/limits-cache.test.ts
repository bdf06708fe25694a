/**
 * The parts cache is keyed by the size limits too: a copy-text refused as over READER_MAX_BOOK_MB
 * is read once the limit is raised (the refusal was replayed from the cache).
 */
import {appendFileSync, cpSync} from 'node:fs'
import path from 'node:path'
import {expect, it} from 'vitest'
import {checkManuscript} from '../../scripts/check.ts'
import {root, scratch} from '../helpers.ts'

const dir = scratch('reader-limits-cache-', ['READER_CACHE', 'READER_MAX_BOOK_MB'])

it('reads a copy-text again when the limit that refused it is raised', async () => {
  const manuscript = path.join(dir, 'manuscript')
  cpSync(path.join(root, 'tests/fixtures/mini'), manuscript, {recursive: true})
  const more = ('\n' + 'words of a long text, '.repeat(100) + '\n').repeat(40)
  for (const file of ['texts/essay.md', 'sources/essay.txt']) appendFileSync(path.join(manuscript, file), more)
  process.env.READER_CACHE = path.join(dir, 'cache')
  const refused = (result: Awaited<ReturnType<typeof checkManuscript>>) => result.files.flatMap((file) => file.messages.filter((m) => m.ruleId === 'book-too-large'))
  process.env.READER_MAX_BOOK_MB = '0.1'
  expect(refused(await checkManuscript(manuscript))).toHaveLength(1)
  delete process.env.READER_MAX_BOOK_MB
  expect(refused(await checkManuscript(manuscript))).toEqual([])
})
