/**
 * A failure the user can act on: printed as `file:line:column: message [rule-id]` with no stack trace.
 * Content problems are vfile messages; ReaderError is for what stops a run (a missing file, a browser
 * that will not start, a render that times out).
 */
export interface ReaderErrorOptions {
  ruleId: string
  file?: string
  line?: number
  column?: number
  /** Exit code: 1 for a failed run, 2 for a usage error. */
  exitCode?: number
}

export class ReaderError extends Error {
  ruleId: string
  file?: string
  line?: number
  column?: number
  exitCode: number

  constructor(message: string, options: ReaderErrorOptions) {
    super(message)
    this.name = 'ReaderError'
    this.ruleId = options.ruleId
    this.file = options.file
    this.line = options.line
    this.column = options.column
    this.exitCode = options.exitCode ?? 1
  }

  /** `file:line:column: message [rule-id]`, the house format. */
  toString(): string {
    const place = this.file ? `${this.file}:${this.line ?? 1}:${this.column ?? 1}: ` : ''
    return `${place}${this.message} [${this.ruleId}]`
  }
}
