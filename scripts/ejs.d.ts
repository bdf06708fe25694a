/** The part of ejs (the template engine epub-gen-memory uses) this project calls. */
declare module 'ejs' {
  export function render(template: string, data?: Record<string, unknown>): string
  /** A template, compiled in steps: `generateSource()` fills `source` without running it. */
  export class Template {
    constructor(text: string, options?: {compileDebug?: boolean})
    generateSource(): void
    source: string
  }
  const ejs: {render: typeof render; Template: typeof Template}
  export default ejs
}
