/**
 * When the browser fails: it is missing, it will not start, the render takes too long, it dies
 * mid-render. Each time: a clear message with a rule id and no stack trace, exit 1, the previous
 * build untouched, no staging folder, and no browser process left running.
 */
import {chmodSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {launchPrintBrowser} from '../../scripts/print/paginate.ts'
import {failure, liveBrowsers, noBrowsersLeft, noStack, previousIntact, runReader, startReader, until, workspace, type Workspace} from './helpers.ts'

const made: Workspace[] = []
const ws = (which?: 'mini' | 'real') => {
  const w = workspace(which)
  made.push(w)
  return w
}
afterEach(() => {
  for (const w of made.splice(0)) rmSync(w.dir, {recursive: true, force: true})
})

/** The last line the CLI printed that carries a rule id. */

async function expectCleanFailure(w: Workspace, result: {code: number; stderr: string}, code = 1) {
  expect(result.stderr).not.toMatch(noStack)
  expect(result.code, result.stderr).toBe(code)
  expect(previousIntact(w)).toEqual({intact: true, staging: []})
  expect(await noBrowsersLeft(w.tmp)).toEqual([])
}

describe('the browser fails', () => {
  it('is missing: says how to install one or set the path', async () => {
    const w = ws()
    const result = await runReader(w, ['build'], {PUPPETEER_EXECUTABLE_PATH: '/nonexistent/chromium'})
    expect(failure(result.stderr)).toBe(
      'No browser at /nonexistent/chromium (from PUPPETEER_EXECUTABLE_PATH): set it to a Chromium or Chrome executable, or unset it to use the system one (Debian: `apt-get install chromium`) [browser-missing]'
    )
    await expectCleanFailure(w, result)
  }, 60_000)

  it('will not start (an executable that dies at once)', async () => {
    const w = ws()
    const fake = path.join(w.dir, 'fake-chromium')
    writeFileSync(fake, '#!/bin/sh\necho "fake browser: cannot open display" >&2\nexit 3\n')
    chmodSync(fake, 0o755)
    const result = await runReader(w, ['build'], {PUPPETEER_EXECUTABLE_PATH: fake})
    expect(failure(result.stderr)).toMatch(
      new RegExp(`^Could not start the browser at ${fake}: .+ \\(is it a working Chromium or Chrome\\? Debian: \`apt-get install chromium\`, or set PUPPETEER_EXECUTABLE_PATH to one\\) \\[browser-launch\\]$`)
    )
    await expectCleanFailure(w, result)
  }, 60_000)

  it('takes longer than READER_RENDER_TIMEOUT: stopped, the previous PDF kept', async () => {
    const w = ws()
    const result = await runReader(w, ['build'], {READER_RENDER_TIMEOUT: '0.5'})
    expect(failure(result.stderr)).toMatch(/^Pagination took longer than 500 ms and was stopped.* \[render-timeout\]$/)
    await expectCleanFailure(w, result)
  }, 60_000)

  it('refuses a READER_RENDER_TIMEOUT that is not a number of seconds (usage error)', async () => {
    const w = ws()
    const result = await runReader(w, ['build'], {READER_RENDER_TIMEOUT: 'soon'})
    expect(failure(result.stderr)).toBe('Unexpected READER_RENDER_TIMEOUT `soon`, expected a number of seconds above 0 [usage]')
    await expectCleanFailure(w, result, 2)
  }, 60_000)

  it('dies mid-render (killed): says so, and leaves nothing running', async () => {
    const w = ws('real')
    const run = startReader(w, ['build'])
    await until(() => run.stderr().includes('reader: pdf…') && liveBrowsers(w.tmp).some((p) => p.type === 'renderer' && !p.ui), 120_000, 'the render to start', run)
    await new Promise((r) => setTimeout(r, 300))
    const main = liveBrowsers(w.tmp).find((p) => p.type === 'browser')
    expect(main).toBeDefined()
    process.kill(main!.pid, 'SIGKILL')
    const code = await run.done
    expect(failure(run.stderr())).toMatch(/^The browser (crashed|failed|closed|quit)[^[]* \[render-crash\]$/)
    await expectCleanFailure(w, {code, stderr: run.stderr()})
  }, 180_000)
})

describe('the browser starts', () => {
  it('opens no page of its own beside ours (Chromium 151 and later preload the address bar’s popup, headless too)', async () => {
    const launched = await launchPrintBrowser()
    try {
      const page = await launched.browser.newPage()
      await page.goto('about:blank')
      const own = await launched.browser.waitForTarget((target) => target.url().startsWith('chrome://'), {timeout: 2000}).then(
        (target) => target.url(),
        () => null
      )
      expect(own).toBeNull()
    } finally {
      await launched.close()
    }
  }, 60_000)
})
