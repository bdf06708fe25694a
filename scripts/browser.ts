/**
 * The one place that finds and launches a browser. The PDF, the EPUB cover, accessibility checks and
 * the live preview all go through here, so every launch gets the same flags, the same time limit and
 * the same clean-up.
 */
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {execFileSync} from 'node:child_process'
import type {Browser, LaunchOptions} from 'puppeteer-core'
import {ReaderError} from './errors.ts'

const candidates = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium'
]

/** The browser to use: `PUPPETEER_EXECUTABLE_PATH` or `READER_CHROME`, else a system Chromium or Chrome. */
export function findBrowser(env: NodeJS.ProcessEnv = process.env): string {
  const given = env.PUPPETEER_EXECUTABLE_PATH || env.READER_CHROME
  if (given) {
    if (!existsSync(given)) {
      throw new ReaderError(
        `No browser at ${given} (from ${env.PUPPETEER_EXECUTABLE_PATH ? 'PUPPETEER_EXECUTABLE_PATH' : 'READER_CHROME'}): set it to a Chromium or Chrome executable, or unset it to use the system one (Debian: \`apt-get install chromium\`)`,
        {ruleId: 'browser-missing'}
      )
    }
    return given
  }
  for (const file of candidates) if (existsSync(file)) return file
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      const found = execFileSync('which', [name], {encoding: 'utf8'}).trim()
      if (found) return found
    } catch {}
  }
  throw new ReaderError(
    'No Chromium or Chrome found: install one (Debian: `apt-get install chromium`) or set PUPPETEER_EXECUTABLE_PATH to its path',
    {ruleId: 'browser-missing'}
  )
}

/** Flags for a closed network and a throw-away profile. */
export function browserArgs(userDataDir: string): string[] {
  return [
    '--headless=new',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-default-apps',
    '--disable-extensions',
    '--disable-sync',
    '--disable-quic',
    '--no-first-run',
    '--no-default-browser-check',
    '--mute-audio',
    '--font-render-hinting=none',
    // Chromium 151 and later preload the address bar's popup, a page of its own in a renderer of its
    // own, headless too: about 0.4 s of CPU at each start (taken from the pages being laid out on a
    // two-core machine) and some 70 MB kept until the browser closes.
    '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup',
    `--user-data-dir=${userDataDir}`
  ]
}

/**
 * Flags for a browser that must reach nothing at all (the paginator, the cover): every connection
 * goes to a proxy that does not exist, loopback included, and no name resolves. Request
 * interception alone does not see WebSockets or `<link rel=preconnect>`; these do.
 */
export const offlineArgs = ['--proxy-server=http://127.0.0.1:1', '--proxy-bypass-list=<-loopback>', '--host-resolver-rules=MAP * ~NOTFOUND', '--dns-prefetch-disable']

export interface LaunchedBrowser {
  browser: Browser
  /** Close the browser, kill it if it does not close, and remove its profile. Safe to call twice. */
  close(): Promise<void>
}

/** Launch the browser with the house flags and a fresh profile. */
export async function launchBrowser(options: {executablePath?: string; extraArgs?: string[]} = {}): Promise<LaunchedBrowser> {
  const puppeteer = (await import('puppeteer-core')).default
  const executablePath = options.executablePath || findBrowser()
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'reader-chrome-'))
  const launch: LaunchOptions = {
    executablePath,
    headless: true,
    args: [...browserArgs(userDataDir), ...(options.extraArgs || [])],
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false
  }
  let browser: Browser
  try {
    browser = await puppeteer.launch(launch)
  } catch (error) {
    rmSync(userDataDir, {recursive: true, force: true})
    throw new ReaderError(`Could not start the browser at ${executablePath}: ${(error as Error).message.split('\n')[0]} (is it a working Chromium or Chrome? Debian: \`apt-get install chromium\`, or set PUPPETEER_EXECUTABLE_PATH to one)`, {
      ruleId: 'browser-launch'
    })
  }
  let closed = false
  openBrowsers.add(browser)
  return {
    browser,
    async close() {
      if (closed) return
      closed = true
      openBrowsers.delete(browser)
      const proc = browser.process()
      try {
        await Promise.race([browser.close(), new Promise((resolve) => setTimeout(resolve, 5000).unref())])
      } catch {}
      if (proc && proc.exitCode === null) {
        try {
          proc.kill('SIGKILL')
        } catch {}
      }
      rmSync(userDataDir, {recursive: true, force: true})
    }
  }
}

const openBrowsers = new Set<Browser>()

/** Kill every browser still open (used on Ctrl-C and fatal errors). */
export function killAllBrowsers(): void {
  for (const browser of openBrowsers) {
    try {
      browser.process()?.kill('SIGKILL')
    } catch {}
  }
  openBrowsers.clear()
}
