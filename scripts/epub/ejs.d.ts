/** The part of ejs (a dependency of epub-gen-memory) that renders the cover template. */
declare module 'ejs' {
  export function render(template: string, data?: Record<string, unknown>): string
  const ejs: {render: typeof render}
  export default ejs
}
