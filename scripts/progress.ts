/**
 * Progress for long work. On a terminal: one line per stage that ticks its elapsed time while it
 * runs and is replaced by its result (`✓ pdf  3.41 s`). Elsewhere (CI, a pipe): plain lines, one
 * when a stage starts and, with `timings`, one when it ends. Feeds `build`’s `onStage`.
 */
export interface ProgressOptions {
  /** Where to write: a TTY gets the live display. */
  stream?: {write(text: string): unknown; isTTY?: boolean}
  /** Plain mode: also print the time of each stage as it ends. */
  timings?: boolean
  /** Force plain lines even on a terminal. */
  plain?: boolean
}

export interface Progress {
  onStage(stage: string, state: 'start' | 'end', detail?: string): void
  /** Stop ticking (call when the build ends, also on failure). */
  stop(): void
}

const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']

export function createProgress(options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr
  const live = Boolean(stream.isTTY) && !options.plain && !process.env.CI
  let timer: NodeJS.Timeout | undefined
  let current: {stage: string; started: number} | undefined
  let frame = 0
  const draw = () => {
    if (!current) return
    const seconds = ((performance.now() - current.started) / 1000).toFixed(1)
    stream.write(`\r\x1b[2K${frames[frame++ % frames.length]} ${current.stage}  ${seconds} s`)
  }
  const stop = () => {
    if (timer) clearInterval(timer)
    timer = undefined
  }
  return {
    onStage(stage, state, detail) {
      if (!live) {
        if (state === 'start') stream.write(`reader: ${stage}…\n`)
        else if (options.timings) stream.write(`reader: ${stage} done in ${detail}\n`)
        return
      }
      if (state === 'start') {
        current = {stage, started: performance.now()}
        draw()
        stop()
        timer = setInterval(draw, 100)
        timer.unref()
      } else {
        stop()
        current = undefined
        stream.write(`\r\x1b[2K✓ ${stage}  ${detail ?? ''}\n`)
      }
    },
    stop() {
      stop()
      if (live && current) stream.write('\n')
      current = undefined
    }
  }
}
