/**
 * Look at the EPUB in a real reading system: epub.js in Chromium, served from a loopback-only server
 * that lives for the duration of the call. Saves `<slug>-epub-opening.png` (the first text’s opening)
 * and `<slug>-epub-note.png` (the first note of that text) into buildDir.
 */
import {createServer, type Server} from 'node:http'
import {readFile, mkdir} from 'node:fs/promises'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import JSZip from 'jszip'
import {launchBrowser} from '../browser.ts'
import {ReaderError} from '../errors.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>EPUB preview</title>
<style>html,body{margin:0;background:#fff}#viewer{width:760px;height:1000px;margin:20px auto;box-shadow:0 0 0 1px #ccc}</style>
<script src="/jszip.min.js"></script><script src="/epub.min.js"></script></head>
<body><div id="viewer"></div>
<script>
  // epub.js 0.4 resolves ePub() to the book (0.3 returned it at once): accept both.
  window.ready = Promise.resolve(ePub('/book.epub')).then((book) => {
    window.epub = book;
    window.rendition = book.renderTo('viewer', {width: 760, height: 1000, flow: 'paginated', spread: 'none'});
    return true;
  });
</script></body></html>`

export interface EpubScreenshots {
  opening: string
  note: string
  /** The hrefs shown. */
  openingHref: string
  noteHref: string
}

/** Where the first text begins (the bodymatter landmark) and its first note reference’s target. */
async function targets(epub: Buffer): Promise<{opening: string; note: string}> {
  const zip = await JSZip.loadAsync(epub)
  const nav = await zip.file('OEBPS/toc.xhtml')?.async('string')
  const opening = nav?.match(/epub:type="bodymatter"\s+href="([^"]+)"/)?.[1]
  if (!opening) throw new ReaderError('The EPUB has no bodymatter landmark', {ruleId: 'epub-screenshot'})
  // The first note reference from the opening on, in spine order.
  const opf = (await zip.file('OEBPS/content.opf')?.async('string')) ?? ''
  const hrefs = new Map([...opf.matchAll(/<item id="([^"]+)" href="([^"]+)"/g)].map((m) => [m[1], m[2]]))
  const spine = [...opf.matchAll(/<itemref idref="([^"]+)"/g)].map((m) => hrefs.get(m[1])!).filter(Boolean)
  let note = opening
  for (const name of spine.slice(Math.max(0, spine.indexOf(opening.split('#')[0])))) {
    const doc = (await zip.file('OEBPS/' + name)?.async('string')) ?? ''
    const href = doc.match(/<a\b[^>]*epub:type="noteref"[^>]*>/)?.[0].match(/href="([^"]+)"/)?.[1]
    if (href) {
      note = href.startsWith('#') ? name + href : href
      break
    }
  }
  return {opening, note}
}

export async function epubScreenshots(epubPath: string, buildDir: string, slug: string): Promise<EpubScreenshots> {
  const epub = await readFile(epubPath)
  const files: Record<string, {type: string; body: Buffer | string}> = {
    '/': {type: 'text/html; charset=utf-8', body: page},
    '/epub.min.js': {type: 'text/javascript', body: await readFile(path.join(root, 'node_modules', 'epubjs', 'dist', 'epub.min.js'))},
    '/jszip.min.js': {type: 'text/javascript', body: await readFile(path.join(root, 'node_modules', 'jszip', 'dist', 'jszip.min.js'))},
    '/book.epub': {type: 'application/epub+zip', body: epub}
  }
  const server: Server = createServer((request, response) => {
    const file = files[(request.url ?? '/').split('?')[0]]
    if (!file) {
      response.writeHead(404).end()
      return
    }
    response.writeHead(200, {'content-type': file.type}).end(file.body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as {port: number}).port
  const launched = await launchBrowser()
  try {
    const {opening, note} = await targets(epub)
    await mkdir(buildDir, {recursive: true})
    const tab = await launched.browser.newPage()
    await tab.setViewport({width: 800, height: 1040, deviceScaleFactor: 1})
    tab.on('console', (m) => process.env.READER_DEBUG && console.error('[epub.js]', m.text()))
    tab.on('pageerror', (e) => process.env.READER_DEBUG && console.error('[epub.js]', String(e)))
    await tab.goto(`http://127.0.0.1:${port}/`, {waitUntil: 'load', timeout: 60_000})
    await tab.evaluate('window.ready')
    const show = async (href: string, out: string) => {
      // Strings, not functions: tsx would wrap a function with helpers the page does not have.
      await tab.evaluate(`window.rendition.display(${JSON.stringify(href)}).then(() => true)`)
      await tab.evaluate(`new Promise((r) => setTimeout(r, 800))`)
      await tab.evaluate(`Promise.all([...document.querySelectorAll('iframe')].map((f) => f.contentDocument && f.contentDocument.fonts ? f.contentDocument.fonts.ready : null)).then(() => true)`)
      await tab.screenshot({path: out as `${string}.png`, type: 'png'})
    }
    const result = {
      opening: path.join(buildDir, `${slug}-epub-opening.png`),
      note: path.join(buildDir, `${slug}-epub-note.png`),
      openingHref: opening,
      noteHref: note
    }
    await show(opening, result.opening)
    await show(note, result.note)
    return result
  } finally {
    await launched.close()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
}
