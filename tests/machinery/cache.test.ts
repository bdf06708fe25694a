/**
 * The build cache stays bounded: past its limit, the entries least recently written or read go
 * first, whole (an edition folder with everything in it), and nothing else in the folder.
 */
import {existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {cacheLimit, openCache, pruneCache} from '../../scripts/cache.ts'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, {recursive: true, force: true})
})

/** A cache folder with entries of `kb` kilobytes, written `minutesAgo` ago. */
function cacheWith(entries: Array<{file: string; kb: number; minutesAgo: number}>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'reader-cache-'))
  dirs.push(dir)
  for (const {file, kb, minutesAgo} of entries) {
    const full = path.join(dir, file)
    mkdirSync(path.dirname(full), {recursive: true})
    // (A JSON string of exactly `kb` kilobytes.)
    writeFileSync(full, JSON.stringify('x'.repeat(kb * 1024 - 2)))
    const when = new Date(Date.now() - minutesAgo * 60_000)
    utimesSync(full, when, when)
    if (path.dirname(file).includes('/')) utimesSync(path.dirname(full), when, when)
  }
  return dir
}

describe('pruneCache', () => {
  it('leaves a cache under its limit alone', () => {
    const dir = cacheWith([
      {file: 'parts/a.json', kb: 10, minutesAgo: 60},
      {file: 'epub/b.json', kb: 10, minutesAgo: 1}
    ])
    expect(pruneCache(dir, 100 * 1024)).toBe(0)
    expect(existsSync(path.join(dir, 'parts/a.json'))).toBe(true)
  })

  it('removes the least recently used entries, down to three quarters of the limit; a read counts as a use', () => {
    const dir = cacheWith([
      {file: 'parts/old.json', kb: 40, minutesAgo: 300},
      {file: 'parts/read-since.json', kb: 40, minutesAgo: 200},
      {file: 'editions/dir-0123/book.pdf', kb: 40, minutesAgo: 100},
      {file: 'epub/recent.json', kb: 40, minutesAgo: 10},
      {file: 'epubcheck-server/0a1b/EpubcheckServer.class', kb: 40, minutesAgo: 5},
      {file: 'epubcheck-server/.unfinished', kb: 40, minutesAgo: 400}
    ])
    // Read just now: it goes after the others.
    expect(openCache(dir).get('parts', 'read-since')).toBeDefined()

    // 200 KB of entries (a file that is neither an entry nor a folder is none) over a 170 KB limit:
    // down to 127.5 KB, the least recently used first.
    const removed = pruneCache(dir, 170 * 1024)
    expect(removed).toBe(80 * 1024)
    expect(existsSync(path.join(dir, 'parts/old.json'))).toBe(false)
    expect(existsSync(path.join(dir, 'editions/dir-0123'))).toBe(false)
    expect(existsSync(path.join(dir, 'parts/read-since.json'))).toBe(true)
    expect(existsSync(path.join(dir, 'epub/recent.json'))).toBe(true)
    expect(existsSync(path.join(dir, 'epubcheck-server/0a1b/EpubcheckServer.class'))).toBe(true)
    expect(existsSync(path.join(dir, 'epubcheck-server/.unfinished'))).toBe(true)
  })

  it('reads its limit from READER_CACHE_LIMIT_MB, 512 MB by default', () => {
    expect(cacheLimit({})).toBe(512 * 2 ** 20)
    expect(cacheLimit({READER_CACHE_LIMIT_MB: '64'})).toBe(64 * 2 ** 20)
    expect(cacheLimit({READER_CACHE_LIMIT_MB: 'lots'})).toBe(512 * 2 ** 20)
  })
})
