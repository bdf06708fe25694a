/**
 * The checkers are part of the build: when EPUBCheck or Java is missing, the build says so and what
 * to install, writes nothing, and exits 1. `--skip-validation` builds without them, and is never the
 * default.
 */
import {rmSync} from 'node:fs'
import {afterEach, describe, expect, it} from 'vitest'
import {failure, noBrowsersLeft, noStack, pathWithout, previousIntact, runReader, workspace, type Workspace} from './helpers.ts'

const made: Workspace[] = []
const ws = () => {
  const w = workspace()
  made.push(w)
  return w
}
afterEach(() => {
  for (const w of made.splice(0)) rmSync(w.dir, {recursive: true, force: true})
})


describe('a checker is missing', () => {
  it('EPUBCHECK_JAR points nowhere: says what to install, writes nothing', async () => {
    const w = ws()
    const result = await runReader(w, ['build'], {EPUBCHECK_JAR: '/nonexistent/epubcheck.jar'})
    expect(failure(result.stderr)).toBe(
      'No EPUBCheck jar at /nonexistent/epubcheck.jar (from EPUBCHECK_JAR): set it to an epubcheck.jar, or unset it to use the system one (Debian: `apt-get install epubcheck`) [epubcheck-missing]'
    )
    expect(result.stderr).not.toMatch(noStack)
    expect(result.code).toBe(1)
    expect(previousIntact(w)).toEqual({intact: true, staging: []})
    expect(await noBrowsersLeft(w.tmp)).toEqual([])
  }, 90_000)

  it('Java is not on the PATH: says what to install, writes nothing', async () => {
    const w = ws()
    const result = await runReader(w, ['build'], {PATH: pathWithout(w.dir, 'java')})
    expect(failure(result.stderr)).toBe('Java not found: install a JRE and EPUBCheck (Debian: `apt-get install epubcheck`) or set EPUBCHECK_JAR [epubcheck-missing]')
    expect(result.code).toBe(1)
    expect(previousIntact(w)).toEqual({intact: true, staging: []})
  }, 90_000)

  it('--skip-validation builds without them, and says it is never the default', async () => {
    const w = ws()
    const help = await runReader(w, ['build', '--help'])
    expect(help.stdout).toMatch(/--skip-validation\s+skip preflight and EPUBCheck \(never the default\)/)
    const result = await runReader(w, ['build', '--skip-validation'], {EPUBCHECK_JAR: '/nonexistent/epubcheck.jar'})
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).not.toContain('epubcheck')
    expect(previousIntact(w).intact).toBe(false)
  }, 90_000)
})
