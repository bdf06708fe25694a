/**
 * A hostile manuscript: raw HTML, CSS and Markdown in a text (and its copy-text, so collation lets it
 * through) that reach for a listener on 127.0.0.1, the cloud metadata address, system files and a
 * marker file outside the project. The build succeeds; the reader HTML keeps only the design’s
 * elements and attributes; the listener sees nothing; neither the PDF nor the EPUB holds anything
 * from outside.
 */
import {execFileSync} from 'node:child_process'
import {cpSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import JSZip from 'jszip'
import {fromHtml} from 'hast-util-from-html'
import type {Element, Nodes} from 'hast'
import {build, type BuildResult} from '../../scripts/build.ts'
import {root} from '../helpers.ts'
import {listen, type Listener} from './listener.ts'
import {addHostile, makeMarker} from '../fixtures/hostile/hostile.ts'

/** Elements the reader HTML may contain (docs/reader-html.md); everything else must be gone. */
const allowedElements = new Set([
  'html', 'head', 'meta', 'title', 'body', 'section', 'nav', 'header', 'div', 'p', 'span', 'a', 'i', 'em', 'b', 'strong',
  'cite', 'sup', 'sub', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ol', 'ul', 'li', 'dl', 'dt', 'dd', 'blockquote', 'q',
  'abbr', 'small', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'code', 'pre', 'del', 'ins', 'figure', 'figcaption'
])
/** Attributes that would fetch or run something. */
const fetching = ['src', 'srcSet', 'data', 'action', 'formAction', 'poster', 'background', 'style', 'xLinkHref', 'ping', 'codeBase', 'manifest']

describe('a hostile manuscript', () => {
  let listener: Listener
  let dir: string
  let result: BuildResult
  const {markerFile, marker} = makeMarker()
  const hostname = readFileSync('/etc/hostname', 'utf8').trim()
  let html: string
  let pdfText: string
  let epub: Map<string, Buffer>

  beforeAll(async () => {
    listener = await listen()
    dir = mkdtempSync(path.join(tmpdir(), 'reader-hostile-'))
    const manuscript = path.join(dir, 'manuscript')
    cpSync(path.join(root, 'tests/fixtures/mini'), manuscript, {recursive: true})
    addHostile(manuscript, {listener: listener.url, markerFile, marker})
    result = await build({manuscript, out: path.join(dir, 'build')})
    html = readFileSync(path.join(dir, 'build/mini-reader.html'), 'utf8')
    pdfText = execFileSync('pdftotext', [path.join(dir, 'build/mini-reader.pdf'), '-'], {encoding: 'utf8'})
    const zip = await JSZip.loadAsync(readFileSync(path.join(dir, 'build/mini-reader.epub')))
    epub = new Map()
    for (const [name, entry] of Object.entries(zip.files)) if (!entry.dir) epub.set(name, await entry.async('nodebuffer'))
  }, 240_000)

  afterAll(async () => {
    await listener?.close()
    if (dir) rmSync(dir, {recursive: true, force: true})
    rmSync(path.dirname(markerFile), {recursive: true, force: true})
  })

  it('builds (the hostile text collates with its copy-text)', () => {
    const errors = result.files.flatMap((f) => f.messages.filter((m) => m.fatal).map(String))
    expect(errors).toEqual([])
    expect(result.ok).toBe(true)
  })

  it('sanitises the reader HTML: only the design’s elements, nothing that fetches or runs', () => {
    const tree = fromHtml(html)
    const found: string[] = []
    const walk = (node: Nodes) => {
      if (node.type === 'element') {
        const el = node as Element
        if (!allowedElements.has(el.tagName)) found.push(`<${el.tagName}>`)
        for (const [key, value] of Object.entries(el.properties)) {
          if (/^on/i.test(key)) found.push(`${el.tagName}[${key}]`)
          if (fetching.includes(key)) found.push(`${el.tagName}[${key}]`)
          if (key === 'href' && /^\s*(javascript|file|data|vbscript):/i.test(String(value))) found.push(`${el.tagName}[href=${value}]`)
        }
      }
      if ('children' in node) for (const child of node.children) walk(child as Nodes)
    }
    walk(tree)
    expect(found).toEqual([])
    expect(html).not.toContain(marker)
    expect(html).not.toMatch(/javascript:/i)
    // The words of the hostile paragraphs survive; the markup does not.
    expect(html).toContain('link to listener')
    expect(html).toContain('script link listener')
  })

  it('makes no connection to the listener', () => {
    expect(listener.requests).toEqual([])
    expect(listener.connections()).toBe(0)
  })

  it('gives the renderer nothing to refuse: the sanitiser already removed it', () => {
    // (A PDF made in this build: its render reports what it refused.)
    expect(result.print).toBeDefined()
    expect(result.print!.blocked).toEqual([])
  })

  it('puts nothing from outside into the PDF', () => {
    expect(pdfText).toContain('link to listener')
    expect(pdfText).not.toContain(marker)
    expect(pdfText).not.toContain('LISTENER-WAS-REACHED')
    expect(pdfText).not.toMatch(/root:.:0:0/)
    if (hostname.length >= 6) expect(pdfText).not.toContain(hostname)
  })

  it('puts nothing from outside into the EPUB', () => {
    for (const [name, data] of epub) {
      const text = data.toString('latin1')
      expect(text, name).not.toContain(marker)
      expect(text, name).not.toContain('LISTENER-WAS-REACHED')
      expect(text, name).not.toMatch(/root:.:0:0/)
      if (hostname.length >= 6 && !/\.(png|woff2)$/.test(name)) expect(text, name).not.toContain(hostname)
    }
  })

  it('packs no image but the cover, and no image source pointing outside', () => {
    const images = [...epub.keys()].filter((name) => /\.(png|jpe?g|gif|webp|svg)$/i.test(name))
    expect(images).toEqual(['OEBPS/cover.png'])
    for (const [name, data] of epub) {
      if (!name.endsWith('.xhtml')) continue
      const text = data.toString('utf8')
      const sources = [...text.matchAll(/\s(?:src|href|data|poster|srcset)="([^"]*)"/g)].map((m) => m[1])
      for (const source of sources) {
        expect(source, name).not.toMatch(/^(file:|\/|javascript:|data:)/i)
        expect(source, name).not.toContain('169.254.169.254/latest/meta-data/"')
      }
      const tags = [...text.matchAll(/<(img|image|iframe|object|embed|script|style|link|video|audio|form)\b[^>]*>/g)].map((m) => m[0])
      // The book's own: the cover image (drawn in an SVG that scales it to the screen) and the stylesheet.
      const own = (tag: string) =>
        /^<img [^>]*src="cover\.png"/.test(tag) || /^<image [^>]*xlink:href="cover\.png"/.test(tag) || /^<link rel="stylesheet" type="text\/css" href="style\.css"\/>$/.test(tag)
      expect(tags.filter((tag) => !own(tag)), name).toEqual([])
    }
  })
})
