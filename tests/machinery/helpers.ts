/**
 * Running `reader build` as a user does, with its own temporary folder so that the browsers it
 * starts can be told apart from anyone else’s (their profile is `<TMPDIR>/reader-chrome-…`), and a
 * build folder holding a previous build to check it is left alone.
 */
import {spawn, type ChildProcess} from 'node:child_process'
import {cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import {constants, tmpdir} from 'node:os'
import path from 'node:path'
import {root, copyManuscript} from '../helpers.ts'

export interface Workspace {
  /** The folder the CLI runs in: manuscript/ and build/ are inside. */
  dir: string
  /** TMPDIR of the CLI (and so of its browsers). */
  tmp: string
  slug: string
}

export const previous = {
  html: '<!doctype html><p>the previous build</p>\n',
  pdf: '%PDF-1.7 the previous build\n',
  epub: 'PK the previous build\n'
}

/** A workspace with the mini manuscript (or the real one) and a previous build in build/. */
export function workspace(which: 'mini' | 'real' = 'mini'): Workspace {
  let dir: string
  if (which === 'mini') {
    dir = mkdtempSync(path.join(tmpdir(), 'reader-machinery-'))
    cpSync(path.join(root, 'tests/fixtures/mini'), path.join(dir, 'manuscript'), {recursive: true})
  } else {
    dir = path.dirname(copyManuscript())
  }
  const slug = /^slug:\s*(\S+)/m.exec(readFileSync(path.join(dir, 'manuscript/book.yaml'), 'utf8'))![1]
  mkdirSync(path.join(dir, 'build'))
  for (const [ext, content] of Object.entries(previous)) writeFileSync(path.join(dir, 'build', `${slug}.${ext}`), content)
  const tmp = path.join(dir, 'tmp')
  mkdirSync(tmp)
  return {dir, tmp, slug}
}

/** The previous build is still there, byte for byte, and no staging folder is left. */
export function previousIntact(ws: Workspace): {intact: boolean; staging: string[]} {
  const intact = Object.entries(previous).every(([ext, content]) => readFileSync(path.join(ws.dir, 'build', `${ws.slug}.${ext}`), 'utf8') === content)
  const staging = readdirSync(path.join(ws.dir, 'build')).filter((name) => name.startsWith('.staging-'))
  return {intact, staging}
}

export interface Run {
  child: ChildProcess
  stdout: () => string
  stderr: () => string
  /** Resolves with the exit code (or 128 + signal number when killed by one). */
  done: Promise<number>
}

export function startReader(ws: Workspace, args: string[], env: Record<string, string | undefined> = {}): Run {
  const child = spawn(process.execPath, [path.join(root, 'bin/reader.mjs'), ...args], {
    cwd: ws.dir,
    // A cache of the workspace’s own: what another test built (layouts, chunk PDFs) is not reused,
    // so a render that must fail or be stopped really runs.
    env: {...process.env, FORCE_COLOR: '0', TMPDIR: ws.tmp, READER_CACHE: path.join(ws.dir, 'cache'), ...env},
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  let err = ''
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (err += d))
  const done = new Promise<number>((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : -1))))
  return {child, stdout: () => out, stderr: () => err, done}
}

export async function runReader(ws: Workspace, args: string[], env: Record<string, string | undefined> = {}) {
  const run = startReader(ws, args, env)
  const code = await run.done
  return {code, stdout: run.stdout(), stderr: run.stderr()}
}

export interface BrowserProcess {
  pid: number
  type: string
  /** A renderer of Chromium’s own interface, started with the browser, not by a page. */
  ui: boolean
}

/** Live (not zombie) browser processes whose profile is under `tmp`. */
export function liveBrowsers(tmp: string): BrowserProcess[] {
  const found: BrowserProcess[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      // Chromium rewrites its children's titles: arguments may be separated by spaces, not NULs.
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ')
      if (!cmdline.includes(`--user-data-dir=${tmp}`)) continue
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)
      if (state === 'Z') continue
      const type = /--type=(\S+)/.exec(cmdline)?.[1] ?? 'browser'
      // The renderer Chromium starts for its own interface (before any page) is not a page’s.
      found.push({pid: Number(name), type, ui: cmdline.includes('--top-chrome-webui')})
    } catch {}
  }
  return found
}

/** Wait until `test` holds (polling); fail after `ms`, or as soon as `run` has ended. */
export async function until(test: () => boolean, ms: number, what: string, run?: Run): Promise<void> {
  const end = Date.now() + ms
  while (!test()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}\n${run?.stderr() ?? ''}`)
    if (run && run.child.exitCode !== null) throw new Error(`The build ended (${run.child.exitCode}) before ${what}:\n${run.stderr()}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** Processes may take a moment to go after their parent: poll for none. */
export async function noBrowsersLeft(tmp: string, ms = 5000): Promise<BrowserProcess[]> {
  const end = Date.now() + ms
  let left = liveBrowsers(tmp)
  while (left.length && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 100))
    left = liveBrowsers(tmp)
  }
  return left
}

/** Live (not zombie) EPUBCheck JVMs of a build whose TMPDIR is `tmp` (their warm-up EPUB is in it). */
export function liveEpubchecks(tmp: string): number[] {
  const found: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0')
      if (!cmdline.includes('EpubcheckServer') || !cmdline.some((arg) => arg.startsWith(tmp + '/'))) continue
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z') found.push(Number(name))
    } catch {}
  }
  return found
}

/** A PATH (a folder of links in `dir`) with every program of the system's PATH but `program`. */
export function pathWithout(dir: string, program: string): string {
  const bin = path.join(dir, 'bin-without-' + program)
  mkdirSync(bin)
  for (const folder of (process.env.PATH || '').split(':')) {
    if (!folder || !existsSync(folder)) continue
    for (const name of readdirSync(folder)) {
      if (name === program || existsSync(path.join(bin, name))) continue
      try {
        symlinkSync(path.join(folder, name), path.join(bin, name))
      } catch {}
    }
  }
  return bin
}

export const noStack = /^\s+at .*:\d+:\d+\)?$/m

/** The last located message on stderr (a line ending in its rule id). */
export const failure = (stderr: string) => stderr.split('\n').filter((line) => /\[[a-z-]+\]$/.test(line)).at(-1)

export {existsSync}
