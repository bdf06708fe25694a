/**
 * A contact sheet: the first pages of a PDF, small, on one PNG, to see a book at a glance.
 * pdftoppm renders the pages; Chromium lays them out in a grid and takes the screenshot.
 */
import {execFile} from 'node:child_process'
import {readdirSync, readFileSync, rmSync} from 'node:fs'
import path from 'node:path'
import {promisify} from 'node:util'
import {launchBrowser} from '../browser.ts'
import {ReaderError} from '../errors.ts'
import {scratchDir} from '../scratch.ts'

const run = promisify(execFile)

export async function contactSheet(pdfPath: string, outPng: string, pages = 12): Promise<void> {
  const dir = scratchDir('sheet')
  try {
    try {
      await run('pdftoppm', ['-r', '40', '-png', '-f', '1', '-l', String(pages), pdfPath, path.join(dir, 'p')])
    } catch (error) {
      throw new ReaderError(`Could not render ${pdfPath} with pdftoppm: ${String((error as Error).message).split('\n')[0]}`, {
        ruleId: 'contact-sheet'
      })
    }
    const images = readdirSync(dir)
      .filter((f) => f.endsWith('.png'))
      .sort()
      .map((f) => `data:image/png;base64,${readFileSync(path.join(dir, f)).toString('base64')}`)
    // Page 1 is a recto: leave the first cell empty so spreads sit side by side.
    const cells = ['<div class="cell"></div>', ...images.map((src, i) => `<div class="cell"><img src="${src}"><span>${i + 1}</span></div>`)]
    const html = `<!doctype html><html><head><style>
      body { margin: 0; padding: 16px; background: #888; font: 11px sans-serif; }
      .grid { display: grid; grid-template-columns: repeat(6, auto); gap: 12px 0; justify-content: start; }
      .cell { position: relative; padding-right: 2px; } .cell:nth-child(2n+1) { margin-right: 14px; }
      img { display: block; background: #fff; box-shadow: 0 1px 3px rgba(0,0,0,.5); }
      span { position: absolute; bottom: -13px; left: 0; color: #fff; }
    </style></head><body><div class="grid">${cells.join('')}</div></body></html>`
    const launched = await launchBrowser()
    try {
      const page = await launched.browser.newPage()
      await page.setViewport({width: 1400, height: 800})
      await page.setContent(html, {waitUntil: 'load'})
      await page.screenshot({path: outPng as `${string}.png`, fullPage: true})
    } finally {
      await launched.close()
    }
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}
