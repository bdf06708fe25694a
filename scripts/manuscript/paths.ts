/**
 * Paths a manuscript names (texts, front and back matter, copy-texts, the index, the works
 * registry…), resolved inside one folder. Each step of the path is followed here, link by link, and
 * the walk stops at the first step that leaves the folder: nothing outside it is opened, listed or
 * even looked up, so a refusal says nothing about what lies outside (not whether it exists).
 */
import {closeSync, fstatSync, lstatSync, openSync, readlinkSync, readSync, realpathSync, constants, type Stats} from 'node:fs'
import path from 'node:path'

export type Resolved =
  | {ok: true; path: string}
  /** `outside`: leaves the folder (`..`, an absolute path, a link); `missing`: no such file inside it; `loop`: links that go round. */
  | {ok: false; problem: 'outside' | 'missing' | 'loop'}

/** Follow `rel` from `root`, step by step, never leaving `root`. */
export function resolveInside(root: string, rel: string): Resolved {
  let realRoot: string
  try {
    realRoot = realpathSync(root)
  } catch {
    return {ok: false, problem: 'missing'}
  }
  if (rel === '' || rel.includes('\0') || path.isAbsolute(rel) || /^[A-Za-z]:|^\\/.test(rel)) return {ok: false, problem: 'outside'}
  const pending = rel.split(/[\\/]+/).filter(Boolean)
  let current = realRoot
  let links = 0
  while (pending.length > 0) {
    const step = pending.shift()!
    if (step === '.') continue
    if (step === '..') {
      if (current === realRoot) return {ok: false, problem: 'outside'}
      current = path.dirname(current)
      continue
    }
    const next = path.join(current, step)
    let stat: Stats
    try {
      stat = lstatSync(next)
    } catch {
      return {ok: false, problem: 'missing'}
    }
    if (!stat.isSymbolicLink()) {
      current = next
      continue
    }
    if (++links > 40) return {ok: false, problem: 'loop'}
    const target = readlinkSync(next)
    if (path.isAbsolute(target)) {
      // Followed only as far as it stays under the folder (its real path or the path it was given by).
      const base = [realRoot, path.resolve(root)].find((dir) => isInside(dir, path.resolve(target)))
      if (!base) return {ok: false, problem: 'outside'}
      current = realRoot
      pending.unshift(...path.relative(base, path.resolve(target)).split(path.sep).filter(Boolean))
    } else {
      pending.unshift(...target.split(/[\\/]+/).filter(Boolean))
    }
  }
  return {ok: true, path: current}
}

function isInside(dir: string, candidate: string): boolean {
  const rel = path.relative(dir, candidate)
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))
}

/** What a path is, in words, when it is not a regular file. */
function kindOf(stat: Stats): string | undefined {
  if (stat.isFile()) return undefined
  if (stat.isDirectory()) return 'a folder'
  if (stat.isFIFO()) return 'a named pipe (FIFO)'
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device'
  if (stat.isSocket()) return 'a socket'
  return 'not a regular file'
}

export type Read = {ok: true; bytes: Buffer} | {ok: false; problem: 'kind'; kind: string} | {ok: false; problem: 'size'; size: number} | {ok: false; problem: 'unreadable'; code: string}

/**
 * Read a regular file of at most `maxBytes`. It is opened without blocking (a FIFO would wait for a
 * writer for ever) and checked on the open descriptor, so what is read is what was checked.
 */
export function readRegular(absolute: string, maxBytes = Infinity): Read {
  let fd: number
  try {
    fd = openSync(absolute, constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOCTTY ?? 0))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO'
    if (code === 'EISDIR') return {ok: false, problem: 'kind', kind: 'a folder'}
    return {ok: false, problem: 'unreadable', code}
  }
  try {
    const stat = fstatSync(fd)
    const kind = kindOf(stat)
    if (kind) return {ok: false, problem: 'kind', kind}
    if (stat.size > maxBytes) return {ok: false, problem: 'size', size: stat.size}
    const bytes = Buffer.allocUnsafe(stat.size)
    let read = 0
    while (read < stat.size) {
      const n = readSync(fd, bytes, read, stat.size - read, null)
      if (n === 0) break
      read += n
    }
    return {ok: true, bytes: bytes.subarray(0, read)}
  } catch (error) {
    return {ok: false, problem: 'unreadable', code: (error as NodeJS.ErrnoException).code ?? 'EIO'}
  } finally {
    closeSync(fd)
  }
}

/** Size limits, in megabytes: each file the manuscript names, and all of them together. */
export function sizeLimits(env: NodeJS.ProcessEnv = process.env): {fileBytes: number; bookBytes: number} {
  const mb = (name: string, fallback: number) => {
    const value = Number(env[name])
    return (Number.isFinite(value) && value > 0 ? value : fallback) * 1024 * 1024
  }
  return {fileBytes: mb('READER_MAX_FILE_MB', 5), bookBytes: mb('READER_MAX_BOOK_MB', 40)}
}

/** `12.3 MB` */
export function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
