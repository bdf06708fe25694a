/**
 * The one place that finds and launches a browser. The PDF, the EPUB cover, accessibility checks and
 * the live preview all go through here, so every launch gets the same flags, the same time limit and
 * the same clean-up.
 */
import {existsSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {execFileSync, spawn, type ChildProcess} from 'node:child_process'
import {createRequire} from 'node:module'
import type {Browser, ConnectionTransport} from 'puppeteer-core'
import {ReaderError} from './errors.ts'
import {killChild, killedOnExit} from './child-processes.ts'
import {removeScratch, scratchDir} from './scratch.ts'

const require = createRequire(import.meta.url)

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
  /** Chromium's main process. */
  process: ChildProcess
  /** Close the browser, kill it if it does not close, and remove its profile. Safe to call twice. */
  close(): Promise<void>
}

/**
 * Launch the browser with the house flags and a fresh profile. Chromium is started first, over a
 * pipe, and puppeteer is loaded (a tenth of a second) and connected while it starts, so a caller
 * that goes on with other work meanwhile (the PDF step transforms its HTML) waits for neither.
 */
export async function launchBrowser(options: {executablePath?: string; extraArgs?: string[]; env?: NodeJS.ProcessEnv} = {}): Promise<LaunchedBrowser> {
  const executablePath = options.executablePath || findBrowser()
  const userDataDir = scratchDir('chrome')
  const temp = browserTemp()
  const removeFolders = () => {
    removeProfile(userDataDir)
    if (temp) removeProfile(temp)
  }
  const env = options.env ?? process.env
  const started = startBrowser(executablePath, launchArgs(userDataDir, options.extraArgs), temp ? {...env, TMPDIR: temp} : options.env)
  const child = started.child
  const failed = (reason: string) => {
    started.kill()
    removeFolders()
    return new ReaderError(`Could not start the browser at ${executablePath}: ${reason} (is it a working Chromium or Chrome? Debian: \`apt-get install chromium\`, or set PUPPETEER_EXECUTABLE_PATH to one)`, {
      ruleId: 'browser-launch'
    })
  }
  let browser: Browser
  try {
    // (CommonJS: loaded through the ESM loader the checkout runs under, puppeteer takes twice as long.)
    const puppeteer = require('puppeteer-core') as typeof import('puppeteer-core')
    const {PipeTransport} = require('puppeteer-core/internal/node/PipeTransport.js') as {PipeTransport: new (write: unknown, read: unknown) => ConnectionTransport}
    const transport = new PipeTransport(child.stdio[3], child.stdio[4])
    const waited = answerTimeout(launchTimeoutMs)
    try {
      browser = await Promise.race([puppeteer.default.connect({transport}), started.exited.then((reason) => Promise.reject(new Error(reason))), waited.promise])
    } finally {
      waited.clear()
    }
  } catch (error) {
    // Killed from outside while it started: not a browser that cannot start. (Its pipe may close
    // before its exit is known.)
    await Promise.race([started.exited, timeout(1000)]).catch(() => {})
    if (child.signalCode) {
      removeFolders()
      throw new ReaderError(`The browser quit while starting (${child.signalCode})`, {ruleId: 'render-crash'})
    }
    throw failed((error as Error).message.split('\n')[0])
  }
  let closed = false
  return {
    browser,
    process: child,
    async close() {
      if (closed) return
      closed = true
      try {
        await Promise.race([browser.close(), timeout(5000)])
        await Promise.race([started.exited, timeout(5000)])
      } catch {}
      if (child.exitCode === null && child.signalCode === null) {
        started.kill()
        await Promise.race([started.exited, timeout(1000)]).catch(() => {})
      }
      removeFolders()
    }
  }
}

/**
 * Chromium’s own temporary folder. What it puts in TMPDIR — the folder of its single-instance
 * socket (`org.chromium.Chromium.XXXXXX/SingletonSocket`) and its shared-memory files — stays there
 * when it is killed, so it gets a folder of ours, removed with its profile (and by the next build
 * when this process is killed too: scratch.ts). Unless the socket’s path would then be too long for
 * a Unix socket (107 bytes): Chromium stops at once on that (“Socket path too long”, SIGABRT), so
 * with a long TMPDIR it keeps the system’s, and the socket’s folder is found from the link to it in
 * the profile (`removeScratch`).
 */
function browserTemp(): string | undefined {
  const socket = path.join(tmpdir(), `reader-chrometmp-${process.pid}-XXXXXX`, 'org.chromium.Chromium.XXXXXX', 'SingletonSocket')
  return Buffer.byteLength(socket) <= 107 ? scratchDir('chrometmp') : undefined
}

/**
 * Remove a browser’s profile folder (with its socket’s folder). Chromium’s last processes may still
 * be writing into it when the browser was killed (ENOTEMPTY): try again a few times, and never let
 * the clean-up replace the error being reported (a folder left behind is removed by the next build).
 */
function removeProfile(dir: string): void {
  try {
    removeScratch(dir, {maxRetries: 10, retryDelay: 50})
  } catch {}
}

/** How long a browser may take to start and answer (`READER_LAUNCH_TIMEOUT`, in seconds; default 30). */
const launchTimeoutMs = (Number(process.env.READER_LAUNCH_TIMEOUT) > 0 ? Number(process.env.READER_LAUNCH_TIMEOUT) : 30) * 1000

/**
 * The flags puppeteer.launch() gives Chromium (background tabs not throttled, no first-run UI, no
 * crash reporter…), then ours; Chromium heeds one `--disable-features`, so the lists are merged.
 */
function launchArgs(userDataDir: string, extra: string[] = []): string[] {
  const all = [...puppeteerArgs, ...browserArgs(userDataDir), ...extra]
  const features = all.filter((a) => a.startsWith('--disable-features=')).flatMap((a) => a.slice('--disable-features='.length).split(','))
  const rest = all.filter((a) => !a.startsWith('--disable-features='))
  return [...new Set(rest), `--disable-features=${[...new Set(features)].join(',')}`, '--remote-debugging-pipe', 'about:blank']
}

/** puppeteer 24's default arguments for headless Chromium (ChromeLauncher.defaultArgs). */
const puppeteerArgs = [
  '--allow-pre-commit-input',
  '--disable-background-networking',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--disable-breakpad',
  '--disable-client-side-phishing-detection',
  '--disable-component-extensions-with-background-pages',
  '--disable-crash-reporter',
  '--disable-default-apps',
  '--disable-dev-shm-usage',
  '--disable-hang-monitor',
  '--disable-infobars',
  '--disable-ipc-flooding-protection',
  '--disable-popup-blocking',
  '--disable-prompt-on-repost',
  '--disable-renderer-backgrounding',
  '--disable-search-engine-choice-screen',
  '--disable-sync',
  '--enable-automation',
  '--export-tagged-pdf',
  '--force-color-profile=srgb',
  '--generate-pdf-document-outline',
  '--metrics-recording-only',
  '--no-first-run',
  '--password-store=basic',
  '--use-mock-keychain',
  '--disable-features=Translate,AcceptCHFrame,MediaRouter,OptimizationHints,WebUIReloadButton,ProcessPerSiteUpToMainFrameThreshold,IsolateSandboxedIframes',
  '--enable-features=PdfOopif',
  '--hide-scrollbars',
  '--mute-audio',
  '--disable-extensions'
]

/**
 * Chromium running with its DevTools pipe on fds 3 and 4; `exited` settles with why it stopped.
 * It leads a process group of its own, and `kill` ends the whole group and closes the pipes: a
 * wrapper script that does not `exec` the browser goes with its children, and nothing holds this
 * process open.
 */
function startBrowser(executablePath: string, args: string[], env?: NodeJS.ProcessEnv): {child: ChildProcess; exited: Promise<string>; kill: () => void} {
  const child = killedOnExit(
    spawn(executablePath, args, {stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'], detached: true, ...(env ? {env} : {})}),
    {group: true}
  )
  // A browser killed from outside resets its pipes (ECONNRESET): its end is reported through
  // `exited` and puppeteer’s disconnection, not as an uncaught error of this process.
  for (const stream of child.stdio) stream?.on('error', () => {})
  // Its log is read (a full pipe would stall it) and its end kept for the message if it fails.
  let log = ''
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    log = (log + text).slice(-4000)
  })
  const exited = new Promise<string>((resolve) => {
    child.once('error', (error) => resolve(error.message))
    child.once('exit', (code, signal) => {
      const last = log.split('\n').map((line) => line.trim()).filter(Boolean).pop()
      resolve(`it stopped at once (${signal ?? `exit code ${code}`})${last ? `: ${last}` : ''}`)
    })
  })
  const kill = () => {
    killChild(child)
    for (const stream of child.stdio) stream?.destroy()
  }
  return {child, exited, kill}
}

/**
 * Rejects after `ms` of time this process was free to hear the browser: while the build’s own work
 * holds the event loop (the PDF step transforms a long book’s HTML as the browser starts), the
 * browser’s answer cannot be read, and that time is not counted against it.
 */
function answerTimeout(ms: number): {promise: Promise<never>; clear: () => void} {
  let timer: ReturnType<typeof setInterval> | undefined
  const promise = new Promise<never>((_, reject) => {
    let counted = 0
    let last = performance.now()
    timer = setInterval(() => {
      const now = performance.now()
      counted += Math.min(now - last, 500)
      last = now
      if (counted >= ms) {
        clearInterval(timer)
        reject(new Error(`no answer in ${ms / 1000} s`))
      }
    }, 100)
  })
  return {promise, clear: () => clearInterval(timer)}
}

function timeout(ms: number): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms / 1000} s`)), ms).unref())
}
