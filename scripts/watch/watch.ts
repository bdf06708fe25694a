/**
 * `reader watch` as a library call: build once, serve the live preview, then on every save in the
 * manuscript folder re-check and rebuild, with the same checks as `reader build` (cached stages, and
 * a browser and EPUBCheck kept warm, make that cost only what changed), print the check messages
 * when they change, and reload the preview after a good build.
 */
import {existsSync, watch as watchFolder, type FSWatcher} from 'node:fs'
import path from 'node:path'
import {build, type BuildResult} from '../build.ts'
import {BuildSession} from '../session.ts'
import {report} from '../report.ts'
import {startPreview, type Preview} from './preview.ts'

export interface WatchOptions {
  manuscript: string
  out: string
  port?: number
  /** Also write the EPUB on each build (default true). */
  epub?: boolean
  log: (line: string) => void
  onStage?: (stage: string, state: 'start' | 'end', detail?: string) => void
  /** After each build, good or not. */
  onBuild?: (result: BuildResult) => void
}

export interface Watching {
  url: string
  /** The latest build (settles after the build in progress, if any). */
  idle(): Promise<void>
  close(): Promise<void>
}

export async function startWatch(options: WatchOptions): Promise<Watching> {
  let lastReport: string | undefined
  let running: Promise<void> | undefined
  let pending = false
  let preview: Preview | undefined
  const controller = new AbortController()
  // The browser and EPUBCheck stay up between builds: a rebuild pays only for what changed.
  const session = new BuildSession()

  const once = async () => {
    const started = performance.now()
    let result: BuildResult
    try {
      result = await build({manuscript: options.manuscript, out: options.out, epub: options.epub !== false, signal: controller.signal, onStage: options.onStage, session})
    } catch (error) {
      if (controller.signal.aborted) return
      options.log(`reader: build failed: ${(error as Error).message.split('\n')[0]}`)
      return
    }
    const printed = report(result.files, 'compact')
    if (printed !== lastReport) {
      options.log(printed ? printed : 'reader: no problems')
      lastReport = printed
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(2)
    if (result.ok) {
      options.log(`reader: rebuilt in ${seconds} s`)
      preview?.reload()
    } else options.log('reader: not rebuilt: the manuscript has errors (the preview shows the last good build)')
    options.onBuild?.(result)
  }
  const rebuild = (): Promise<void> => {
    if (running) {
      pending = true
      return running
    }
    running = (async () => {
      do {
        pending = false
        await once()
      } while (pending && !controller.signal.aborted)
    })().finally(() => {
      running = undefined
    })
    return running
  }

  await rebuild()
  const printDir = path.resolve(options.out, 'print')
  if (!existsSync(printDir)) options.log('reader: no print HTML yet: the preview will show once the manuscript builds')
  try {
    preview = await startPreview(printDir, options.port ?? 0)
  } catch (error) {
    await session.close()
    throw error
  }

  let timer: NodeJS.Timeout | undefined
  const watcher: FSWatcher = watchFolder(options.manuscript, {recursive: true}, (_event, name) => {
    if (name && /(^|[/\\])\.|~$|\.swp$/.test(String(name))) return
    clearTimeout(timer)
    timer = setTimeout(() => void rebuild(), 150)
  })

  return {
    url: preview.url,
    idle: async () => {
      while (running) await running
    },
    async close() {
      clearTimeout(timer)
      watcher.close()
      controller.abort()
      await running?.catch(() => {})
      await Promise.all([preview?.close(), session.close()])
    }
  }
}
