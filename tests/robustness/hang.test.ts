/**
 * Nothing hangs: a browser that never answers (a wrapper script that starts something without
 * `exec`) is killed with its whole process group and `reader` exits; SIGTERM stops a build at once
 * while the browser starts; a FIFO among the texts is refused at once by `reader check` (the bad-input
 * corpus has it for `build`), and nothing of a file outside the manuscript reaches check-report.json.
 */
import {chmodSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {execFileSync} from 'node:child_process'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {failure, noStack, runReader, startReader, until, workspace, previousIntact, type Workspace} from '../machinery/helpers.ts'

/** Live processes whose command line contains `marker`. */
function running(marker: string): number[] {
  const found: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      if (!readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(marker)) continue
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z') found.push(Number(name))
    } catch {}
  }
  return found
}

async function noneLeft(marker: string, ms = 3000): Promise<number[]> {
  const end = Date.now() + ms
  while (running(marker).length > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 100))
  return running(marker)
}

/** A "browser" that starts a child and waits for it, as a wrapper without `exec` does; `marker` is the child’s number of seconds. */
function hangingWrapper(w: Workspace, marker: string): string {
  const file = path.join(w.dir, 'hanging-browser.sh')
  writeFileSync(file, `#!/bin/sh\nsleep ${marker} &\nwait\n`)
  chmodSync(file, 0o755)
  return file
}

describe('nothing hangs', () => {
  const made: Workspace[] = []
  const ws = () => {
    const w = workspace('mini')
    made.push(w)
    return w
  }
  afterAll(() => {
    for (const w of made) rmSync(w.dir, {recursive: true, force: true})
  })

  it('kills a browser that does not answer with its whole process group, and exits', async () => {
    const w = ws()
    const marker = `3601.${process.pid}`
    const result = await runReader(w, ['build', '--no-epub'], {PUPPETEER_EXECUTABLE_PATH: hangingWrapper(w, marker), READER_LAUNCH_TIMEOUT: '2'})
    expect(result.code, result.stderr).toBe(1)
    expect(failure(result.stderr)).toMatch(/^Could not start the browser at .*hanging-browser\.sh: no answer in 2 s .*\[browser-launch\]$/)
    expect(result.stderr).not.toMatch(noStack)
    expect(await noneLeft(marker)).toEqual([])
    expect(previousIntact(w)).toEqual({intact: true, staging: []})
  }, 120_000)

  it('stops at once on SIGTERM while the browser starts, and leaves nothing running', async () => {
    const w = ws()
    const marker = `3602.${process.pid}`
    const run = startReader(w, ['build', '--no-epub'], {PUPPETEER_EXECUTABLE_PATH: hangingWrapper(w, marker), READER_LAUNCH_TIMEOUT: '600'})
    await until(() => run.stderr().includes('reader: pdf…') && running(marker).length > 0, 60_000, 'the browser to start', run)
    run.child.kill('SIGTERM')
    const code = await run.done
    expect(code, run.stderr()).toBe(130)
    expect(run.stderr()).toContain('[interrupted]')
    expect(await noneLeft(marker)).toEqual([])
    expect(previousIntact(w)).toEqual({intact: true, staging: []})
    expect(readdirSync(path.join(w.dir, 'build'))).not.toContain('.reader-lock')
  }, 120_000)

  it('does not count against the browser the time the build’s own work holds the event loop', async () => {
    // (A book with 100,000 notes kept the loop busy while the browser started: "no answer in 30 s".)
    process.env.READER_LAUNCH_TIMEOUT = '2'
    const {launchBrowser} = await import('../../scripts/browser.ts')
    const launching = launchBrowser()
    const end = Date.now() + 4000
    while (Date.now() < end) {} // 4 s of synchronous work, twice the time limit
    const launched = await launching
    expect(launched.process.exitCode).toBeNull()
    await launched.close()
  }, 60_000)

  it('refuses a FIFO listed as a text at once in reader check', async () => {
    const w = ws()
    const essay = path.join(w.dir, 'manuscript/texts/essay.md')
    rmSync(essay)
    execFileSync('mkfifo', [essay])
    const result = await runReader(w, ['check', '--format', 'compact'])
    expect(result.code).toBe(1)
    expect(failure(result.stderr)).toBe('manuscript/book.yaml:11:5: Unexpected `texts/essay.md` listed under `texts`: it is a named pipe (FIFO), expected a text file [file-kind]')
  }, 60_000)

  it('quotes nothing of a file outside the manuscript in check-report.json', async () => {
    const w = ws()
    const canary = `CANARY-${process.pid}`
    mkdirSync(path.join(w.dir, 'outside'))
    writeFileSync(path.join(w.dir, 'outside/secret.txt'), `${canary} every word of it\n`)
    rmSync(path.join(w.dir, 'manuscript/sources/essay.txt'))
    symlinkSync(path.join(w.dir, 'outside/secret.txt'), path.join(w.dir, 'manuscript/sources/essay.txt'))
    const result = await runReader(w, ['check', '--format', 'compact'])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('[path-outside]')
    expect(result.stderr).not.toContain(canary)
    expect(readFileSync(path.join(w.dir, 'build/check-report.json'), 'utf8')).not.toContain(canary)
  }, 60_000)
})
