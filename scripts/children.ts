/**
 * The child processes that outlive the call that started them (Chromium, EPUBCheck’s JVM): each is
 * kept here until it exits, and all are killed at once on Ctrl-C or a fatal error.
 */
import type {ChildProcess} from 'node:child_process'

const running = new Set<ChildProcess>()

/** Kill `child` with the others on Ctrl-C or a fatal error, until it exits. */
export function killedOnExit(child: ChildProcess): ChildProcess {
  running.add(child)
  const forget = () => running.delete(child)
  child.once('exit', forget)
  child.once('error', forget)
  return child
}

/** Kill every child process still running (used on Ctrl-C and fatal errors). */
export function killAllChildren(): void {
  for (const child of running) {
    try {
      child.kill('SIGKILL')
    } catch {}
  }
  running.clear()
}
