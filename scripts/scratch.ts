/**
 * Temporary folders (a browser’s profile, EPUBCheck’s work): named `reader-<kind>-<pid>-…` in the
 * system’s temporary folder, removed when this process exits however it ends short of SIGKILL, and
 * those of a process that no longer runs (killed with SIGKILL, a crash) removed by the next build.
 */
import {mkdtempSync, readdirSync, readlinkSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

const made = new Set<string>()
let hooked = false

/** A new temporary folder, removed at exit if it is still there. */
export function scratchDir(kind: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `reader-${kind}-${process.pid}-`))
  removedOnExit(dir)
  return dir
}

/** Remove `dir` when the process exits (a build’s staging folder, its lock) unless `forget` is called first. */
export function removedOnExit(dir: string): () => void {
  made.add(dir)
  if (!hooked) {
    hooked = true
    process.on('exit', () => {
      for (const left of made) {
        try {
          removeScratch(left)
        } catch {}
      }
    })
  }
  return () => made.delete(dir)
}

/** Whether process `pid` is running (on this machine). */
export function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Remove the temporary folders of reader processes that are no longer running; returns how many. */
export function removeStaleScratch(dir = tmpdir()): number {
  let removed = 0
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return 0
  }
  for (const name of names) {
    const match = /^reader-[a-z]+-(\d+)-/.exec(name)
    if (!match || Number(match[1]) === process.pid || isRunning(Number(match[1]))) continue
    try {
      removeScratch(path.join(dir, name))
      removed++
    } catch {}
  }
  return removed
}

/**
 * Remove a temporary folder; for a browser’s profile, also the folder of its single-instance
 * socket that its `SingletonSocket` link leads to (Chromium makes it in TMPDIR and leaves it there
 * when it is killed). Only a folder named as Chromium or Chrome names it is followed.
 */
export function removeScratch(dir: string, retries: {maxRetries?: number; retryDelay?: number} = {}): void {
  let socket: string | undefined
  try {
    socket = path.dirname(path.resolve(dir, readlinkSync(path.join(dir, 'SingletonSocket'))))
  } catch {}
  if (socket && /^(org\.chromium\.Chromium|com\.google\.Chrome)\.[A-Za-z0-9]{6}$/.test(path.basename(socket))) {
    rmSync(socket, {recursive: true, force: true})
  }
  rmSync(dir, {recursive: true, force: true, ...retries})
}
