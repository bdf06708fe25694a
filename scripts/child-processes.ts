/**
 * The child processes that outlive the call that started them (Chromium, EPUBCheck’s JVM): each is
 * kept here until it exits, and all are killed at once on Ctrl-C, a fatal error or exit. One
 * started in a process group of its own (`detached`) is killed with its whole group, so a wrapper
 * script’s children go with it.
 */
import type {ChildProcess} from 'node:child_process'

const running = new Set<ChildProcess>()
const groups = new WeakSet<ChildProcess>()
let hooked = false

/** Kill `child` (and its group, with `group`) with the others on Ctrl-C or a fatal error, until it exits. */
export function killedOnExit(child: ChildProcess, options: {group?: boolean} = {}): ChildProcess {
  running.add(child)
  if (options.group) groups.add(child)
  const forget = () => running.delete(child)
  child.once('exit', forget)
  child.once('error', forget)
  if (!hooked) {
    hooked = true
    process.on('exit', killAllChildren)
  }
  return child
}

/** SIGKILL to `child`, and to its process group when it leads one: a wrapper’s children too. */
export function killChild(child: ChildProcess): void {
  if (groups.has(child) && child.pid) {
    try {
      process.kill(-child.pid, 'SIGKILL')
    } catch {}
  }
  try {
    child.kill('SIGKILL')
  } catch {}
}

/** Kill every child process still running (used on Ctrl-C and fatal errors). */
export function killAllChildren(): void {
  for (const child of running) killChild(child)
  running.clear()
}
