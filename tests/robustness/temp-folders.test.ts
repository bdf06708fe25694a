/**
 * Nothing is left in the temporary folder: Chromium’s own (`org.chromium.Chromium.*`, its socket’s
 * folder, and its shared-memory files) go into a folder of ours, removed with its profile when the
 * browser is killed — also with a TMPDIR too long for that (Chromium stops at once when its socket’s
 * path is over 107 bytes), where the socket’s folder is found from the profile’s link to it.
 */
import {mkdirSync, readdirSync, rmSync} from 'node:fs'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {launchBrowser} from '../../scripts/browser.ts'
import {liveBrowsers, noBrowsersLeft, startReader, until, workspace, type Workspace} from '../machinery/helpers.ts'

/** What a browser or a reader process left in `dir` (tsx’s own cache aside). */
const leftIn = (dir: string) => readdirSync(dir).filter((name) => /chromium|chrome|^reader-/i.test(name))

describe('the temporary folder', () => {
  const made: Workspace[] = []
  afterAll(() => {
    for (const w of made) rmSync(w.dir, {recursive: true, force: true})
  })

  it('keeps nothing of a browser stopped mid-render by SIGTERM', async () => {
    const w = workspace('mini')
    made.push(w)
    const run = startReader(w, ['build', '--no-epub'])
    await until(() => run.stderr().includes('reader: pdf…') && liveBrowsers(w.tmp).some((p) => p.type === 'renderer' && !p.ui), 120_000, 'the render to start', run)
    // Chromium has made its socket’s folder by now: in its own temporary folder, not in TMPDIR.
    expect(readdirSync(w.tmp).filter((name) => name.startsWith('org.chromium.'))).toEqual([])
    const own = readdirSync(w.tmp).filter((name) => name.startsWith('reader-chrometmp-'))
    expect(own).toHaveLength(1)
    expect(readdirSync(path.join(w.tmp, own[0])).some((name) => name.startsWith('org.chromium.Chromium.'))).toBe(true)
    run.child.kill('SIGTERM')
    expect(await run.done, run.stderr()).toBe(130)
    expect(await noBrowsersLeft(w.tmp)).toEqual([])
    expect(leftIn(w.tmp)).toEqual([])
  }, 180_000)

  it('keeps nothing of a browser killed with SIGKILL under a TMPDIR too long for it to have its own', async () => {
    const w = workspace('mini')
    made.push(w)
    // 60 bytes: the socket’s path fits in it (106 bytes), not in a folder of ours inside it.
    const long = path.join(w.tmp, 'x'.repeat(59 - w.tmp.length))
    expect(long).toHaveLength(60)
    mkdirSync(long)
    const before = process.env.TMPDIR
    process.env.TMPDIR = long
    try {
      const launched = await launchBrowser()
      expect(launched.process.exitCode).toBeNull()
      expect(readdirSync(long).filter((name) => name.startsWith('org.chromium.Chromium.'))).toHaveLength(1)
      process.kill(-launched.process.pid!, 'SIGKILL')
      await launched.close()
      expect(leftIn(long)).toEqual([])
    } finally {
      process.env.TMPDIR = before
    }
  }, 60_000)
})
