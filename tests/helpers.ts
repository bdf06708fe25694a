/**
 * Test helpers: a throw-away copy of the real manuscript to plant defects in, and the CLI run as a
 * user runs it.
 */
import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync, readdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {spawnSync} from 'node:child_process'
import {fileURLToPath} from 'node:url'
import {afterAll} from 'vitest'

export const root = fileURLToPath(new URL('..', import.meta.url))
export const manuscriptDir = path.join(root, 'manuscript')

/** A temporary folder removed after the test file, and the environment variables `env` put back then as they were. */
export function scratch(prefix: string, env: string[] = []): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix))
  const saved = env.map((name) => [name, process.env[name]] as const)
  afterAll(() => {
    rmSync(dir, {recursive: true, force: true})
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  })
  return dir
}

/** Copy the shipped manuscript into a temporary folder (writable copy-texts included). */
export function copyManuscript(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'reader-test-'))
  const target = path.join(dir, 'manuscript')
  cpSync(manuscriptDir, target, {recursive: true})
  for (const name of readdirSync(path.join(target, 'sources'))) chmodSync(path.join(target, 'sources', name), 0o644)
  return target
}

/** Replace the first occurrence of `from` in a manuscript file; fails loudly if it is not there. */
export function plant(dir: string, file: string, from: string, to: string): void {
  const full = path.join(dir, file)
  const text = readFileSync(full, 'utf8')
  if (!text.includes(from)) throw new Error(`plant: ${JSON.stringify(from)} not in ${file}`)
  writeFileSync(full, text.replace(from, to))
}

/** 1-based line and column of the first occurrence of `needle` in a manuscript file. */
export function locate(dir: string, file: string, needle: string): {line: number; column: number} {
  const text = readFileSync(path.join(dir, file), 'utf8')
  const index = text.indexOf(needle)
  if (index === -1) throw new Error(`locate: ${JSON.stringify(needle)} not in ${file}`)
  const before = text.slice(0, index).split('\n')
  return {line: before.length, column: before.at(-1)!.length + 1}
}

/** Run `reader …` as a user would, from `cwd`. */
export function runReader(args: string[], cwd = root, env: Record<string, string> = {}): {code: number; stdout: string; stderr: string} {
  const result = spawnSync(process.execPath, [path.join(root, 'bin/reader.mjs'), ...args], {
    cwd,
    encoding: 'utf8',
    env: {...process.env, FORCE_COLOR: '0', ...env}
  })
  return {code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr}
}

/**
 * Live (not zombie) Chromium processes started by this test process, at any depth. Browsers other
 * programs run on the machine are not counted, so the count is exact whatever else is running.
 */
export function liveBrowsers(ancestor = process.pid): number {
  const parent = new Map<number, number>()
  const info = new Map<number, {state: string; name: string}>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const close = stat.lastIndexOf(')')
      const name = stat.slice(stat.indexOf('(') + 1, close)
      const [state, ppid] = stat.slice(close + 2).split(' ')
      parent.set(Number(entry), Number(ppid))
      info.set(Number(entry), {state, name})
    } catch {}
  }
  let count = 0
  for (const [pid, {state, name}] of info) {
    if (!/chrom/i.test(name) || state === 'Z') continue
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) {
      if (p === ancestor) {
        count++
        break
      }
    }
  }
  return count
}
