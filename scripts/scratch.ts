/**
 * Temporary folders (a browser’s profile, EPUBCheck’s work): named `reader-<kind>-<pid>-…` in the
 * system’s temporary folder, removed when this process exits however it ends short of SIGKILL, and
 * those of a process that no longer runs (killed with SIGKILL, a crash) removed by the next build.
 */
import {mkdtempSync, readdirSync, rmSync} from 'node:fs'
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
      for (const left of made) rmSync(left, {recursive: true, force: true})
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
      rmSync(path.join(dir, name), {recursive: true, force: true})
      removed++
    } catch {}
  }
  return removed
}
