/**
 * Paged.js as the print uses it, and the print tab’s own script (`pagedjs/reader-page.js`): the
 * package’s polyfill build with the project’s patches applied
 * (`pagedjs/*.patch`, unified diffs against the package’s `dist/paged.polyfill.js`, each saying
 * what it fixes). A patch that no longer applies (a new Paged.js) stops the build with a message
 * naming it, rather than printing with the bug it fixed.
 */
import {readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import type {Element} from 'hast'
import {applyPatch} from 'diff'
import {ReaderError} from '../errors.ts'

const require = createRequire(import.meta.url)
/** The patches, and the tab’s side of the PDF step. */
const patches = path.join(path.dirname(fileURLToPath(import.meta.url)), 'pagedjs')

/** The file name of Paged.js inside the print folder. */
const pagedFile = 'paged.polyfill.js'

/** The settings every Previewer gets: the hyphen drawn where a page breaks inside a word. */
export const pagedSettings = {hyphenGlyph: '-'}

let patched: string | undefined

/** Not among the package’s exports: found beside its CommonJS entry. */
const original = () => path.resolve(path.dirname(require.resolve('pagedjs')), '../dist/paged.polyfill.js')

/**
 * The patched polyfill’s source (patched once per process); `{stock: true}`: as published, to
 * compare with (the tests show what each patch fixes).
 */
export function pagedSource(options: {stock?: boolean} = {}): string {
  if (options.stock) return readFileSync(original(), 'utf8')
  if (patched !== undefined) return patched
  let source = readFileSync(original(), 'utf8')
  for (const name of readdirSync(patches).filter((n) => n.endsWith('.patch')).sort()) {
    const result = applyPatch(source, readFileSync(path.join(patches, name), 'utf8'))
    if (result === false) {
      throw new ReaderError(`Cannot apply scripts/print/pagedjs/${name} to ${original()}: Paged.js has changed, so the patch must be made again`, {
        ruleId: 'render-crash'
      })
    }
    source = result
  }
  return (patched = source)
}

/** The tab’s side of the PDF step (`window.reader`), loaded after Paged.js. */
const pageFile = 'reader-page.js'

/**
 * Paged.js and the tab’s side, as source: for a document given them after it has loaded, and for
 * cache keys. `{stock: true}`: the tab’s side leaves the page make-up to Paged.js too.
 */
export function pageScripts(options: {stock?: boolean} = {}): string[] {
  const page = readFileSync(path.join(patches, pageFile), 'utf8')
  return [pagedSource(options), options.stock ? `window.readerStock = true\n${page}` : page]
}

/** Put Paged.js and the tab’s side into the print folder, for documents that load them (`pagedScripts`). */
export function copyPaged(printDir: string, options: {stock?: boolean} = {}): void {
  const [paged, page] = pageScripts(options)
  writeFileSync(path.join(printDir, pagedFile), paged)
  writeFileSync(path.join(printDir, pageFile), page)
}

/**
 * Script elements that load Paged.js and the tab’s side from the print folder without running it: the tab starts it
 * (runPreview). Loaded with the page, it compiles while the page loads, instead of after.
 */
export function pagedScripts(): Element[] {
  return [
    {type: 'element', tagName: 'script', properties: {}, children: [{type: 'text', value: `window.PagedConfig = {auto: false, settings: ${JSON.stringify(pagedSettings)}}`}]},
    {type: 'element', tagName: 'script', properties: {src: pagedFile}, children: []},
    {type: 'element', tagName: 'script', properties: {src: pageFile}, children: []}
  ]
}
