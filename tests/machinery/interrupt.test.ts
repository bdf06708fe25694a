/**
 * Ctrl-C during a build: the build stops, the browser and EPUBCheck’s JVM are ended, the staging
 * folder is removed, the previous outputs are as they were, and the exit code is 130 (128 + SIGINT),
 * as a shell reports it.
 */
import {rmSync} from 'node:fs'
import {afterAll, describe, expect, it} from 'vitest'
import {liveBrowsers, liveEpubchecks, noBrowsersLeft, noStack, previousIntact, startReader, until, workspace} from './helpers.ts'

describe('Ctrl-C during a build', () => {
  const w = workspace('real')
  afterAll(() => rmSync(w.dir, {recursive: true, force: true}))

  it('stops cleanly once pagination has started', async () => {
    const run = startReader(w, ['build'])
    await until(() => run.stderr().includes('reader: pdf…') && liveBrowsers(w.tmp).length > 0, 120_000, 'pagination to start', run)
    await until(() => liveEpubchecks(w.tmp).length > 0, 120_000, 'EPUBCheck to start', run)
    await new Promise((r) => setTimeout(r, 300))
    run.child.kill('SIGINT')
    const code = await run.done
    const stderr = run.stderr()
    expect(code, stderr).toBe(130)
    expect(stderr).toContain('reader: interrupted: stopped and cleaned up; earlier outputs are as they were [interrupted]')
    expect(stderr).not.toMatch(noStack)
    expect(stderr).not.toContain('reader: wrote')
    expect(previousIntact(w)).toEqual({intact: true, staging: []})
    expect(await noBrowsersLeft(w.tmp)).toEqual([])
    expect(liveEpubchecks(w.tmp)).toEqual([])
  }, 180_000)
})
