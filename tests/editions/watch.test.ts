/**
 * `reader watch`: the preview shows the paginated book, and a saved change to a text reloads it with
 * the change, at the page the reader was looking at.
 */
import {cpSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, expect, it} from 'vitest'
import {launchBrowser, type LaunchedBrowser} from '../../scripts/browser.ts'
import {startWatch, type Watching} from '../../scripts/watch/watch.ts'
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
