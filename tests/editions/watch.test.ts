/**
 * `reader watch`: the preview shows the paginated book, and a saved change to a text reloads it with
 * the change, at the page the reader was looking at; the rebuild is checked as a build is, by the
 * browser and EPUBCheck the watch keeps.
 */
import {cpSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, expect, it} from 'vitest'
import {launchBrowser, type LaunchedBrowser} from '../../scripts/browser.ts'
import {startWatch, type Watching} from '../../scripts/watch/watch.ts'
import type {RenderReport} from '../../scripts/print/pdf.ts'
import {plant, root} from '../helpers.ts'

const work = mkdtempSync(path.join(tmpdir(), 'reader-watch-'))
let watching: Watching | undefined
let browser: LaunchedBrowser | undefined
afterAll(async () => {
  await browser?.close()
  await watching?.close()
  rmSync(work, {recursive: true, force: true})
})

it('serves a live paginated preview that reloads on save', async () => {
  const manuscript = path.join(work, 'manuscript')
  cpSync(path.join(root, 'tests/fixtures/mini'), manuscript, {recursive: true})
  const log: string[] = []
  watching = await startWatch({manuscript, out: path.join(work, 'build'), epub: false, log: (line) => log.push(line)})
  expect(watching.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)

  browser = await launchBrowser()
  const page = await browser.browser.newPage()
  await page.goto(watching.url)
  await page.waitForSelector('html[data-preview-ready]', {timeout: 60_000})
  const pages = await page.$$eval('.pagedjs_page', (els) => els.length)
  expect(pages).toBeGreaterThan(1)
  expect(await page.$eval('.pagedjs_pages', (el) => el.textContent)).toContain('It is short.')

  // Look at the last page, then save a correction.
  await page.evaluate(() => {
    const all = document.querySelectorAll('.pagedjs_page')
    all[all.length - 1].scrollIntoView()
    window.dispatchEvent(new Event('scroll'))
  })
  await new Promise((resolve) => setTimeout(resolve, 300))
  const reloaded = page.waitForNavigation({timeout: 60_000})
  plant(manuscript, 'texts/essay.md', 'It is short.', 'It is :corr[brief]{was="short"}.')
  await reloaded
  await page.waitForSelector('html[data-preview-ready]', {timeout: 60_000})
  const text = await page.$eval('.pagedjs_pages', (el) => el.textContent)
  expect(text).toContain('It is brief.')
  expect(text).not.toContain('It is short.')
  // Back at the page the reader was on.
  const top = await page.evaluate(() => {
    const all = document.querySelectorAll('.pagedjs_page')
    return all[all.length - 1].getBoundingClientRect().top < window.innerHeight
  })
  expect(top).toBe(true)
  expect(log.some((line) => line.startsWith('reader: rebuilt in'))).toBe(true)
})

it('rebuilds the PDF and the EPUB with the same checks as a build, in the browser and EPUBCheck it keeps', async () => {
  const manuscript = path.join(work, 'manuscript-checked')
  cpSync(path.join(root, 'tests/fixtures/mini'), manuscript, {recursive: true})
  const out = path.join(work, 'build-checked')
  // A cache of its own: the same correction checked in another run would be reused, not checked.
  const savedCache = process.env.READER_CACHE
  process.env.READER_CACHE = path.join(work, 'cache')
  const log: string[] = []
  const stages: string[] = []
  let report: RenderReport | undefined
  const checked = await startWatch({
    manuscript,
    out,
    port: 0,
    log: (line) => log.push(line),
    onStage: (stage, state, detail) => {
      if (state === 'end') stages.push(`${stage} ${detail ?? ''}`)
    },
    onBuild: (result) => (report = result.print)
  })
  try {
    stages.length = 0
    const done = log.length
    plant(manuscript, 'texts/essay.md', 'It is short.', 'It is :corr[brief]{was="short"}.')
    for (let i = 0; i < 600 && !log.slice(done).some((line) => /rebuilt in|not rebuilt/.test(line)); i++) await new Promise((resolve) => setTimeout(resolve, 100))
    await checked.idle()
    expect(log.slice(done).some((line) => line.startsWith('reader: rebuilt in'))).toBe(true)
    // Checked as `reader build` checks: preflight and EPUBCheck ran on the new outputs.
    expect(stages.some((s) => /^preflight \d/.test(s) && !s.includes('unchanged'))).toBe(true)
    expect(stages.some((s) => /^epubcheck \d/.test(s) && !s.includes('unchanged'))).toBe(true)
    // Only the corrected text and the back matter (whose textual notes record the correction) were
    // laid out again, in tabs kept from the first build.
    expect(report?.chunks?.laidOut).toBe(2)
    expect(report?.chunks?.tabsOpened).toBe(0)
    const {default: JSZip} = await import('jszip')
    const epub = await JSZip.loadAsync(readFileSync(path.join(out, 'mini-reader.epub')))
    const texts = await Promise.all(Object.values(epub.files).filter((f) => f.name.endsWith('.xhtml')).map((f) => f.async('string')))
    expect(texts.join('').replace(/<[^>]+>/g, '')).toContain('It is brief.')
  } finally {
    await checked.close()
    if (savedCache === undefined) delete process.env.READER_CACHE
    else process.env.READER_CACHE = savedCache
  }
})
