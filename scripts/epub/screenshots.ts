/**
 * Read the EPUB in a real reading system and follow its links as a reader does: epub.js (0.3.93,
 * whose links work) in Chromium, offline — the page, epub.js, JSZip and the book are answered from
 * memory by request interception on an origin that does not exist, and nothing else is fetched.
 *
 * The walk: the first text’s first note reference is shown and clicked, the note must then be on
 * the page shown; its backlink is clicked, and the reference must be on the page again; an index
 * locator is clicked, and the place it names must be shown. Each step is a screenshot in `buildDir`.
 * A link that leads nowhere (epub.js: “No Section Found”), or to a page without its target, is an
 * error that names the step.
 */
import {mkdir, readFile} from 'node:fs/promises'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import JSZip from 'jszip'
import type {Frame, Page} from 'puppeteer-core'
import {launchBrowser, offlineArgs} from '../browser.ts'
import {ReaderError} from '../errors.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const origin = 'http://epub-review.invalid'

const viewer = {width: 760, height: 1000}

const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>EPUB preview</title>
<style>html,body{margin:0;background:#fff}#viewer{width:${viewer.width}px;height:${viewer.height}px;margin:20px auto;box-shadow:0 0 0 1px #ccc}</style>
<script src="/jszip.min.js"></script><script src="/epub.min.js"></script></head>
<body><div id="viewer"></div>
<script>
  window.book = ePub('/book.epub');
  window.rendition = book.renderTo('viewer', {width: ${viewer.width}, height: ${viewer.height}, flow: 'paginated', spread: 'none'});
  window.relocations = 0;
  window.errors = [];
  rendition.on('relocated', (location) => { window.relocations++; window.location_ = location; });
  window.addEventListener('error', (e) => window.errors.push(String(e.message)));
  window.addEventListener('unhandledrejection', (e) => window.errors.push(String(e.reason && e.reason.message || e.reason)));
  window.ready = book.ready.then(() => true);
</script></body></html>`

export interface ReadingStep {
  /** What was done: `note reference`, `note`, `back to the reference`, `index locator`. */
  step: string
  /** The document and id that must be on the page shown. */
  href: string
  png: string
}

/** Where the walk goes: the first note reference of the body matter and its note, an index locator and its place. */
async function targets(epub: Buffer): Promise<{noteref: {doc: string; id: string}; index?: {doc: string; id: string}}> {
  const zip = await JSZip.loadAsync(epub)
  const opf = (await zip.file('OEBPS/content.opf')?.async('string')) ?? ''
  const hrefs = new Map([...opf.matchAll(/<item id="([^"]+)" href="([^"]+)"/g)].map((m) => [m[1], m[2]]))
  const spine = [...opf.matchAll(/<itemref idref="([^"]+)"/g)].map((m) => hrefs.get(m[1])!).filter(Boolean)
  const nav = (await zip.file('OEBPS/toc.xhtml')?.async('string')) ?? ''
  const body = nav.match(/epub:type="bodymatter"\s+href="([^"#]+)/)?.[1]
  const index = nav.match(/epub:type="index"\s+href="([^"#]+)/)?.[1]
  let noteref: {doc: string; id: string} | undefined
  for (const name of spine.slice(Math.max(0, body ? spine.indexOf(body) : 0))) {
    const doc = (await zip.file('OEBPS/' + name)?.async('string')) ?? ''
    const tag = doc.match(/<a\b[^>]*epub:type="noteref"[^>]*>/)?.[0]
    const id = tag?.match(/\bid="([^"]+)"/)?.[1]
    if (id) {
      noteref = {doc: name, id}
      break
    }
  }
  if (!noteref) throw new ReaderError('The EPUB has no note reference to follow', {ruleId: 'epub-reading'})
  return {noteref, index: index ? {doc: index, id: ''} : undefined}
}

/** Whether the element `id` of the document shown is on the page shown (inside the viewer’s box). */
async function shown(tab: Page, id: string): Promise<boolean> {
  return (await tab.evaluate(`(() => {
    const v = document.getElementById('viewer').getBoundingClientRect();
    for (const f of document.querySelectorAll('#viewer iframe')) {
      const el = f.contentDocument && f.contentDocument.getElementById(${JSON.stringify(id)});
      if (!el) continue;
      const r = el.getBoundingClientRect(), fr = f.getBoundingClientRect();
      const x = fr.left + r.left + Math.min(r.width, 4) / 2, y = fr.top + r.top + Math.min(r.height, 4) / 2;
      if (x >= v.left && x < v.right && y >= v.top && y < v.bottom) return true;
    }
    return false;
  })()`)) as boolean
}

/** The frame of epub.js that shows the document `doc` (each view’s element carries its section’s spine index as `ref`). */
async function frameOf(tab: Page, doc: string): Promise<Frame | undefined> {
  const index = (await tab.evaluate(`(book.spine.get(${JSON.stringify(doc)}) || {index: -1}).index`)) as number
  for (const frame of tab.frames()) {
    if (frame === tab.mainFrame()) continue
    const element = await frame.frameElement()
    const ref = element ? await element.evaluate((f) => f.closest('.epub-view')?.getAttribute('ref') ?? '') : ''
    if (ref !== '' && Number(ref) === index) return frame
  }
  return undefined
}

async function settle(tab: Page): Promise<void> {
  await tab.evaluate(`new Promise((r) => setTimeout(r, 400))`)
  await tab.evaluate(
    `Promise.all([...document.querySelectorAll('iframe')].map((f) => f.contentDocument && f.contentDocument.fonts ? f.contentDocument.fonts.ready : null)).then(() => true)`
  )
}

/**
 * Click the link `selector` in the document `doc` (a real mouse click where it is), wait for
 * epub.js to move, and check that `expectId` of `expectDoc` is then on the page shown.
 */
async function follow(tab: Page, doc: string, selector: string, step: string): Promise<{doc: string; id: string}> {
  const frame = await frameOf(tab, doc)
  const link = frame ? await frame.$(selector) : null
  if (!frame || !link) throw new ReaderError(`Missing link \`${selector}\` in ${doc} for the step “${step}”`, {ruleId: 'epub-reading'})
  const href = (await link.evaluate((a) => a.getAttribute('href'))) ?? ''
  const [file, id] = href.split('#')
  const target = {doc: file || doc, id}
  const before = (await tab.evaluate('window.relocations')) as number
  await link.click()
  await tab.waitForFunction(`window.relocations > ${before} || window.errors.length > 0`, {timeout: 15_000}).catch(() => {})
  const errors = (await tab.evaluate('window.errors')) as string[]
  if (errors.length > 0) throw new ReaderError(`The link of the step “${step}” (${href}) failed in epub.js: ${errors.join('; ')}`, {ruleId: 'epub-reading'})
  await settle(tab)
  if (!(await frameOf(tab, target.doc)) || !(await shown(tab, target.id))) {
    throw new ReaderError(`The link of the step “${step}” (${href}) did not lead to its target: ${target.doc}#${target.id} is not on the page shown`, {ruleId: 'epub-reading'})
  }
  return target
}

/** Follow a note, its backlink and an index locator in epub.js; a screenshot of each step into `buildDir`. */
export async function epubReading(epubPath: string, buildDir: string, slug: string): Promise<ReadingStep[]> {
  const epub = await readFile(epubPath)
  const files: Record<string, {type: string; body: Buffer | string}> = {
    '/': {type: 'text/html; charset=utf-8', body: page},
    '/epub.min.js': {type: 'text/javascript', body: await readFile(path.join(root, 'node_modules', 'epubjs', 'dist', 'epub.min.js'))},
    '/jszip.min.js': {type: 'text/javascript', body: await readFile(path.join(root, 'node_modules', 'jszip', 'dist', 'jszip.min.js'))},
    '/book.epub': {type: 'application/epub+zip', body: epub}
  }
  const {noteref, index} = await targets(epub)
  await mkdir(buildDir, {recursive: true})
  const launched = await launchBrowser({extraArgs: offlineArgs})
  try {
    const tab = await launched.browser.newPage()
    await tab.setViewport({width: viewer.width + 40, height: viewer.height + 40, deviceScaleFactor: 1})
    await tab.setRequestInterception(true)
    tab.on('request', (request) => {
      const url = new URL(request.url())
      const file = url.origin === origin ? files[url.pathname] : undefined
      if (file) void request.respond({status: 200, contentType: file.type, body: file.body})
      else if (url.protocol === 'blob:' || url.protocol === 'data:') void request.continue()
      else void request.abort()
    })
    if (process.env.READER_DEBUG) tab.on('console', (m) => console.error('[epub.js]', m.text()))
    await tab.goto(`${origin}/`, {waitUntil: 'load', timeout: 60_000})
    await tab.evaluate('window.ready')

    const steps: ReadingStep[] = []
    const shot = async (step: string, target: {doc: string; id: string}) => {
      const png = path.join(buildDir, `${slug}-epub-${steps.length + 1}-${step.replace(/\W+/g, '-')}.png`)
      await tab.screenshot({path: png as `${string}.png`, type: 'png'})
      steps.push({step, href: `${target.doc}#${target.id}`, png})
    }

    await tab.evaluate(`rendition.display(${JSON.stringify(`${noteref.doc}#${noteref.id}`)}).then(() => true)`)
    await settle(tab)
    if (!(await shown(tab, noteref.id))) throw new ReaderError(`epub.js did not show ${noteref.doc}#${noteref.id}`, {ruleId: 'epub-reading'})
    await shot('note reference', noteref)
    const note = await follow(tab, noteref.doc, `a[id="${noteref.id}"]`, 'note')
    await shot('note', note)
    const back = await follow(tab, note.doc, `[id="${note.id}"] a[role="doc-backlink"]`, 'back to the reference')
    if (back.id !== noteref.id) throw new ReaderError(`The backlink of ${note.doc}#${note.id} leads to #${back.id}, expected #${noteref.id}`, {ruleId: 'epub-reading'})
    await shot('back to the reference', back)
    if (index) {
      await tab.evaluate(`rendition.display(${JSON.stringify(index.doc)}).then(() => true)`)
      await settle(tab)
      const place = await follow(tab, index.doc, 'a.ix-ref', 'index locator')
      await shot('index locator', place)
    }
    return steps
  } finally {
    await launched.close()
  }
}
