/**
 * What a long-running process keeps from one build to the next (`reader watch`): the print browser
 * with its warm tabs, and a warm EPUBCheck. A rebuild after a correction then starts neither
 * Chromium nor a JVM. A one-off build starts and ends its own.
 */
import {PrintPool} from './print/chunked.ts'
import type {EpubcheckSession} from './epub/validate.ts'

export class BuildSession {
  readonly print = new PrintPool()
  private checker?: Promise<EpubcheckSession>

  /** The session’s EPUBCheck, started on first use. */
  epubcheck(): Promise<EpubcheckSession> {
    this.checker ??= import('./epub/validate.ts').then((m) => m.startEpubcheck())
    return this.checker
  }

  async close(): Promise<void> {
    const checker = this.checker
    this.checker = undefined
    await Promise.all([this.print.close(), checker?.then((c) => c.close())])
  }
}
