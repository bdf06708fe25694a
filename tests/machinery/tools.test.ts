/**
 * A missing system tool is reported before any work starts: no manuscript checked, no PDF made,
 * the previous outputs untouched.
 */
import {cpSync, existsSync, mkdtempSync, readdirSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {root, runReader} from '../helpers.ts'

describe('missing system tools', () => {
  let dir: string | undefined
  afterEach(() => {
    if (dir) rmSync(dir, {recursive: true, force: true})
  })

  function mini(): string {
    dir = mkdtempSync(path.join(tmpdir(), 'reader-tools-'))
    cpSync(path.join(root, 'tests/fixtures/mini'), path.join(dir, 'manuscript'), {recursive: true})
    return dir
  }

  it('EPUBCheck missing: the build stops before the manuscript is checked and the PDF made', () => {
    const cwd = mini()
    const result = runReader(['build', '--timings'], cwd, {EPUBCHECK_JAR: path.join(cwd, 'no-epubcheck.jar')})
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/No EPUBCheck jar at .*no-epubcheck\.jar .*\[epubcheck-missing\]/)
    expect(result.stderr).not.toMatch(/parse and check|pdf\s+\d/)
    expect(existsSync(path.join(cwd, 'build')) ? readdirSync(path.join(cwd, 'build')) : []).toEqual([])
  })

  it('Poppler missing: the same, before any work', () => {
    const cwd = mini()
    // A PATH with node and a browser but no Poppler.
    const bin = mkdtempSync(path.join(cwd, 'bin-'))
    const result = runReader(['build', '--no-epub'], cwd, {PATH: bin, PUPPETEER_EXECUTABLE_PATH: process.execPath})
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/pdffonts not found: install Poppler .*\[tool-missing\]/)
    expect(existsSync(path.join(cwd, 'build')) ? readdirSync(path.join(cwd, 'build')) : []).toEqual([])
  })
})
