/**
 * A rebuild after a correction: what the cache gives back is what a cold build makes, and only
 * what the correction touched is made again.
 */
import {mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import JSZip from 'jszip'
import {openCache} from '../../scripts/cache.ts'
import {makeEpub, type EpubStats} from '../../scripts/epub/epub.ts'
import type {Pagination} from '../../scripts/model.ts'
import {fixtureHtml, fixtureModel, fixturePagination} from './fixture.ts'

/** The one-word correction: in t-lena, after the page that begins in that block (nothing moves). */
const corrected = fixtureHtml.replace('grew up among exiles', 'grew up among émigrés')

let dir: string
let count = 0

/** Build into a new file of `dir` (the cover PNG is made once there and reused); the bytes and the counts. */
async function build(html: string, options: {cache: string | false; pagination?: Pagination}): Promise<{bytes: Buffer; stats: EpubStats}> {
  const outPath = path.join(dir, `book-${++count}.epub`)
  const stats = await makeEpub({
    html,
    model: fixtureModel(),
    buildDir: dir,
    outPath,
    pagination: options.pagination ?? fixturePagination,
    cache: options.cache === false ? false : openCache(options.cache)
  })
  return {bytes: readFileSync(outPath), stats}
}

const xhtml = async (bytes: Buffer, name: string) => (await JSZip.loadAsync(bytes)).file('OEBPS/' + name)!.async('string')

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'reader-epub-rebuild-'))
  expect(corrected).not.toBe(fixtureHtml)
  await build(fixtureHtml, {cache: false})
})

afterAll(() => {
  rmSync(dir, {recursive: true, force: true})
})

describe('rebuild after a one-word correction', () => {
  let cacheDir: string
  let cold: Awaited<ReturnType<typeof build>>
  let rebuilt: Awaited<ReturnType<typeof build>>

  beforeAll(async () => {
    cacheDir = path.join(dir, 'cache')
    cold = await build(fixtureHtml, {cache: cacheDir})
    rebuilt = await build(corrected, {cache: cacheDir})
  })

  it('makes everything on a cold build', () => {
    expect(cold.stats.documents.reused).toBe(0)
    expect(cold.stats.documents.made).toBe(8)
  })

  it('gives the bytes of a cold build of the corrected book', async () => {
    const coldCorrected = await build(corrected, {cache: path.join(dir, 'cache-cold')})
    const uncached = await build(corrected, {cache: false})
    expect(rebuilt.bytes.equals(coldCorrected.bytes)).toBe(true)
    expect(rebuilt.bytes.equals(uncached.bytes)).toBe(true)
    expect(rebuilt.bytes.equals(cold.bytes)).toBe(false)
  })

  it('makes again only the corrected document and takes the rest from the cache', () => {
    expect(rebuilt.stats).toEqual({documents: {made: 1, reused: cold.stats.documents.made - 1}})
  })

  it('has the corrected word in the rebuilt document', async () => {
    const lena = await xhtml(rebuilt.bytes, 't-lena.xhtml')
    expect(lena).toContain('grew up among émigrés')
    expect(lena).not.toContain('grew up among exiles')
  })

  it('reuses everything when nothing changed, with the same bytes', async () => {
    const again = await build(fixtureHtml, {cache: cacheDir})
    expect(again.bytes.equals(cold.bytes)).toBe(true)
    expect(again.stats.documents.made).toBe(0)
  })
})

describe('what the cache must not serve stale', () => {
  it('makes again the document whose page markers moved', async () => {
    const cacheDir = path.join(dir, 'cache-pages')
    await build(fixtureHtml, {cache: cacheDir})
    // Page 3 begins 3 characters later in block 16 (t-lena); nothing else changes.
    const moved: Pagination = {...fixturePagination, starts: fixturePagination.starts.map((s) => (s.block === 16 ? {...s, offset: s.offset + 3} : s))}
    const rebuilt = await build(fixtureHtml, {cache: cacheDir, pagination: moved})
    expect(rebuilt.stats.documents.made).toBe(1)
    expect(rebuilt.bytes.equals((await build(fixtureHtml, {cache: false, pagination: moved})).bytes)).toBe(true)
    expect(await xhtml(rebuilt.bytes, 't-lena.xhtml')).toMatch(/Born in Brussels in <span[^>]*id="page-3"/)
  })

  it('treats a damaged cache entry as missing', async () => {
    const cacheDir = path.join(dir, 'cache-damaged')
    const first = await build(fixtureHtml, {cache: cacheDir})
    const damage = (folder: string, content: string) => {
      for (const name of readdirSync(folder)) {
        const full = path.join(folder, name)
        if (statSync(full).isDirectory()) damage(full, content)
        else writeFileSync(full, content)
      }
    }
    for (const content of ['{}', '{"type":"element"', '7']) {
      damage(cacheDir, content)
      const again = await build(fixtureHtml, {cache: cacheDir})
      expect(again.bytes.equals(first.bytes)).toBe(true)
      expect(again.stats.documents.reused).toBe(0)
    }
  })
})
