import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import JSZip from 'jszip'
import * as fontkit from 'fontkit'
import {select, selectAll} from 'hast-util-select'
import type {Element, Root} from 'hast'
import {VFile} from 'vfile'
import {makeEpub} from '../../scripts/epub/epub.ts'
import {ace, epubcheck, type EpubcheckReport} from '../../scripts/epub/validate.ts'
import {epubReading} from '../../scripts/epub/screenshots.ts'
import {textOf} from '../../scripts/epub/tree.ts'
import {bookIdentifier, people, uuidV5} from '../../scripts/epub/metadata.ts'
import {fixtureHtml, fixtureModel, fixturePagination, parseHtml} from './fixture.ts'

let dir: string
let epubPath: string
let zip: JSZip
let file: VFile
const read = (name: string) => zip.file('OEBPS/' + name)!.async('string')
const doc = async (name: string): Promise<Root> => parseHtml(await read(name))

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'reader-epub-test-'))
  epubPath = path.join(dir, 'book.epub')
  file = new VFile()
  await makeEpub({html: fixtureHtml, model: fixtureModel(), buildDir: dir, outPath: epubPath, pagination: fixturePagination, file})
  zip = await JSZip.loadAsync(readFileSync(epubPath))
})

afterAll(() => {
  rmSync(dir, {recursive: true, force: true})
})

describe('validation', () => {
  it('passes EPUBCheck with no errors and no warnings', async () => {
    const result = await epubcheck(epubPath)
    const report = result.data.epubcheck as EpubcheckReport
    // Errors and warnings are messages with `fatal` true or false; notes (fatal undefined) are info.
    expect(result.messages.filter((m) => m.fatal !== undefined).map(String)).toEqual([])
    // EPUBCheck before 5.1 does not know the (incubating) pageBreakSource property: an info note only.
    const notes = result.messages.filter((m) => m.fatal === undefined)
    expect(notes.every((m) => m.ruleId === 'OPF-027' && /pageBreakSource/.test(m.reason))).toBe(true)
    expect(report.messages.filter((m) => m.ID !== 'OPF-027').length).toBe(0)
  })

  it('passes DAISY Ace with no violations', async () => {
    const result = await ace(epubPath, path.join(dir, 'ace'))
    expect(result.messages.map(String)).toEqual([])
  })
})

describe('structure', () => {
  it('writes mimetype first and stored, and one document per part', async () => {
    const bytes = readFileSync(epubPath)
    expect(bytes.subarray(30, 38).toString()).toBe('mimetype')
    expect(bytes.readUInt16LE(8)).toBe(0) // stored
    const names = Object.keys(zip.files)
    expect(names[0]).toBe('mimetype')
    for (const part of ['cover', 'title-page', 'copyright', 'toc', 'editorial-note', 't-lena', 't-encyclopedia', 'textual-notes', 'index']) {
      expect(names).toContain(`OEBPS/${part}.xhtml`)
    }
    expect(names).not.toContain('OEBPS/half-title.xhtml')
  })

  it('keeps one heading per document, lang on spans, data-* and list values', async () => {
    const lena = await read('t-lena.xhtml')
    expect(lena.match(/<h1/g)).toHaveLength(1)
    expect(lena).toContain('<span lang="ru" xml:lang="ru">Россия</span>')
    expect(lena).toContain('data-was="Business Relationships"')
    expect(lena).toContain('<span class="note-number">1.</span>') // the note's value, as in print
    expect(lena).toContain('epub:type="chapter"')
    expect(lena).toContain('<blockquote class="epigraph" role="doc-epigraph" epub:type="epigraph">')
  })

  it('marks notes and links them both ways across documents', async () => {
    const lena = await doc('t-lena.xhtml')
    const refs = selectAll('a.noteref', lena)
    expect(refs.length).toBe(2)
    for (const ref of refs) {
      expect(ref.properties['epub:type']).toBe('noteref')
      expect(ref.properties.role).toBe('doc-noteref')
      const id = String(ref.properties.href).replace(/^#/, '')
      // A footnote (pop-ups in Apple Books, Kobo, Google Play Books), with its number as in print.
      const note = select(`aside#${id}`, lena)!
      expect(note.properties['epub:type']).toBe('footnote')
      expect(note.properties.role).toBe('doc-footnote')
      if (!id.includes('-ed-')) expect(textOf(note).trimStart()).toMatch(new RegExp(`^${textOf(ref).trim()}\\. `))
      const back = select('a.backlink', note)!
      expect(back.properties.role).toBe('doc-backlink')
      expect(back.properties.href).toBe('#' + ref.properties.id)
    }
    // The editor's note keeps its mark, visibly.
    expect(selectAll('li.note', lena)).toEqual([])
    const ednote = select('aside.ednote', lena)!
    expect(ednote.properties.dataMark).toBe('*')
    expect(textOf(ednote).trim().startsWith('*')).toBe(true)
    // Textual notes and index point into the texts' documents.
    const tn = await doc('textual-notes.xhtml')
    expect(selectAll('a.tn-ref', tn).map((a) => a.properties.href)).toEqual(['t-lena.xhtml#tn-1', 't-lena.xhtml#tn-2'])
    const editorial = await read('editorial-note.xhtml')
    expect(editorial).toContain('href="textual-notes.xhtml"')
  })

  it('gives index locators the print pages and ranges as link text (short titles without a PDF)', async () => {
    const index = await doc('index.xhtml')
    const refs = selectAll('a.ix-ref', index).map((a) => [a.properties.href, textOf(a)])
    // Print pages 2, 3 and 5: a range and a page, as print gives them, each linking to its first place.
    expect(refs).toEqual([
      ['t-lena.xhtml#ix-trotsky-1', '2–3'],
      ['t-encyclopedia.xhtml#ix-trotsky-3', '5']
    ])
    expect(textOf(select('li.ix-entry', index)!)).toBe('Trotsky, Leon 2–3, 5')
    const plain = path.join(dir, 'plain.epub')
    await makeEpub({html: fixtureHtml, model: fixtureModel(), buildDir: dir, outPath: plain})
    const plainZip = await JSZip.loadAsync(readFileSync(plain))
    const plainIndex = parseHtml(await plainZip.file('OEBPS/index.xhtml')!.async('string'))
    expect(selectAll('a.ix-ref', plainIndex).map((a) => textOf(a))).toEqual(['Remembering Serge 1', 'Remembering Serge 2', 'Encyclopedia'])
  })

  it('keeps out images that are not the book’s own', async () => {
    expect(file.messages.filter((m) => m.ruleId === 'epub-image-refused')).toHaveLength(2)
    let hostname = ''
    try {
      hostname = readFileSync('/etc/hostname', 'utf8').trim()
    } catch {}
    for (const [name, entry] of Object.entries(zip.files)) {
      if (entry.dir || !/\.(xhtml|opf|ncx|css)$/.test(name)) continue
      const content = await entry.async('string')
      expect(content).not.toContain('/etc/hostname')
      expect(content).not.toContain('example.com')
    }
    expect(Object.keys(zip.files).filter((n) => n.startsWith('OEBPS/images/'))).toEqual([])
    if (hostname.length > 6) {
      for (const entry of Object.values(zip.files)) {
        if (!entry.dir) expect((await entry.async('string')).includes(hostname + '\n')).toBe(false)
      }
    }
  })
})

describe('fonts', () => {
  it('embeds the face as WOFF2 and TrueType, asks Apple Books to use it, and has a glyph for every character', async () => {
    const opf = await read('content.opf')
    const fonts = [...opf.matchAll(/href="(fonts\/[^"]+)" media-type="(font\/[^"]+)"/g)].map((m) => [m[1], m[2]])
    expect(fonts.filter(([, type]) => type === 'font/woff2')).toHaveLength(4)
    expect(fonts.filter(([, type]) => type === 'font/ttf')).toHaveLength(4)
    const css = await read('style.css')
    for (const [href, type] of fonts) expect(css).toContain(`url(${href}) format('${type === 'font/ttf' ? 'truetype' : 'woff2'}')`)
    expect(await zip.file('META-INF/com.apple.ibooks.display-options.xml')!.async('string')).toContain('<option name="specified-fonts">true</option>')
    // Every character of every document’s text and of the style’s generated content, against each embedded font’s cmap.
    const chars = new Set<string>()
    for (const name of Object.keys(zip.files).filter((n) => n.endsWith('.xhtml'))) {
      const body = select('body', parseHtml(await zip.file(name)!.async('string')))!
      for (const c of textOf(body)) chars.add(c)
    }
    for (const m of css.matchAll(/content:\s*"((?:[^"\\]|\\.)*)"/g)) for (const c of m[1].replace(/\\([0-9a-f]{1,6})\s?/gi, (_, hex) => String.fromCodePoint(parseInt(hex, 16)))) chars.add(c)
    expect(chars.size).toBeGreaterThan(60)
    for (const [href] of fonts) {
      const font = fontkit.create(Buffer.from(await zip.file('OEBPS/' + href)!.async('uint8array')))
      const missing = [...chars].filter((c) => !/[\s\p{Cf}\p{Cc}]/u.test(c) && !font.hasGlyphForCodePoint(c.codePointAt(0)!))
      expect(missing, href).toEqual([])
    }
    expect(file.messages.filter((m) => m.ruleId === 'epub-glyph-missing')).toEqual([])
  })

  it('reports a character the face lacks, and writes ‖ as the print does', async () => {
    const planted = new VFile()
    const out = path.join(dir, 'glyph.epub')
    await makeEpub({html: fixtureHtml.replace('grew up among exiles', 'grew up among ⁂ ‖ exiles'), model: fixtureModel(), buildDir: dir, outPath: out, file: planted})
    expect(planted.messages.filter((m) => m.ruleId === 'epub-glyph-missing').map((m) => m.reason)).toEqual([
      expect.stringMatching(/^Unexpected `⁂` \(U\+2042\) in the EPUB, expected characters the book face Source Serif 4 has/)
    ])
    const lena = await (await JSZip.loadAsync(readFileSync(out))).file('OEBPS/t-lena.xhtml')!.async('string')
    // ‖ as the face's two bars, set close as one mark (epub.css `.glyph-sub`).
    expect(lena).toContain('grew up among ⁂ <span class="glyph-sub" data-for="‖">||</span> exiles')
  })
})

describe('navigation', () => {
  it('nests the TOC (texts → sections) and has the landmarks', async () => {
    const nav = await doc('toc.xhtml')
    const toc = select('nav[epub\\:type="toc"]', nav) ?? selectAll('nav', nav).find((n) => n.properties['epub:type'] === 'toc')!
    const top = selectAll('nav > ol > li', {type: 'root', children: [toc]})
    expect(top.map((li) => textOf(select('a', li)!).trim())).toEqual([
      'Editorial Note',
      'Remembering Victor Serge — Theodor Lena',
      // As the book’s contents list it (there, with what tells it from another text of that title).
      'Victor Serge (encyclopedia)',
      'Textual Notes',
      'Index'
    ])
    const lena = top[1]
    expect(selectAll('ol > li > a', lena).map((a) => a.properties.href)).toEqual(['t-lena.xhtml#t-lena-s-1'])
    const landmarks = selectAll('nav', nav).find((n) => n.properties['epub:type'] === 'landmarks')!
    expect(selectAll('a', landmarks).map((a) => [a.properties['epub:type'], a.properties.href])).toEqual([
      ['cover', 'cover.xhtml'],
      ['titlepage', 'title-page.xhtml'],
      ['toc', 'toc.xhtml#toc'],
      ['bodymatter', 't-lena.xhtml'],
      ['index', 'index.xhtml']
    ])
  })

  it('puts each page marker where the PDF page begins', async () => {
    const source = parseHtml(fixtureHtml)
    const nav = await doc('toc.xhtml')
    const pageList = selectAll('nav', nav).find((n) => n.properties['epub:type'] === 'page-list')!
    const links = selectAll('a', pageList).map((a) => [textOf(a), String(a.properties.href)])
    expect(links.map((l) => l[0])).toEqual(['iii', 'iv', 'v', '1', '2', '3', '4', '5'])
    for (const start of fixturePagination.starts) {
      if (!start.label || start.block === null) continue
      const block = select(`[data-b="${start.block}"]`, source)!
      const expected = textOf(block).replace(/\u00AD/g, '').slice(start.offset).replace(/\s+/g, ' ').trimStart().slice(0, 15)
      const [, href] = links.find((l) => l[0] === start.label)!
      const [name, id] = href.split('#')
      const after = textAfter(await doc(name), id)
      expect(after.replace(/\u00AD/g, '').replace(/\s+/g, ' ').trimStart().startsWith(expected), `page ${start.label}: “${after.slice(0, 30)}” should begin “${expected}”`).toBe(true)
      const marker = select(`#${id}`, await doc(name))!
      expect(marker.properties).toMatchObject({'epub:type': 'pagebreak', role: 'doc-pagebreak', ariaLabel: start.label})
    }
    // A blank page (no block) is marked where the next page with text begins.
    const enc = await read('t-encyclopedia.xhtml')
    expect(enc.indexOf('id="page-4"')).toBeLessThan(enc.indexOf('id="page-5"'))
    expect(enc.indexOf('id="page-4"')).toBeGreaterThan(-1)
  })
})

describe('metadata', () => {
  it('declares identifier, dates, people, rights, source and accessibility', async () => {
    const opf = await zip.file('OEBPS/content.opf')!.async('string')
    const model = fixtureModel()
    expect(opf).toContain(`<dc:identifier id="pub-id">${bookIdentifier(model).identifier}</dc:identifier>`)
    expect(bookIdentifier(model).identifier).toBe(bookIdentifier(fixtureModel()).identifier)
    expect(bookIdentifier(model).identifier).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(bookIdentifier(fixtureModel({identifiers: {isbn_epub: '978-0-00-000000-2', isbn_print: ''}})).identifier).toBe('urn:isbn:9780000000002')
    expect(bookIdentifier(fixtureModel({edition: {number: 2, date: '2027-01-01'}})).identifier).not.toBe(bookIdentifier(model).identifier)
    expect(opf).toContain('xml:lang="en"')
    expect(opf).toContain('<dc:language>en</dc:language>')
    expect(opf).toMatch(/<meta property="dcterms:modified">2026-11-23T\d\d:\d\d:\d\dZ<\/meta>/)
    expect(opf).not.toMatch(/All rights reserved/i)
    // A collection with no editor given: its authors are its creators (no one is invented).
    expect(opf).toContain('<dc:creator id="creator-1">Theodor Lena</dc:creator>')
    expect(opf).toContain('<meta refines="#creator-1" property="role" scheme="marc:relators">aut</meta>')
    expect(opf).toContain('<meta refines="#creator-1" property="file-as">Lena, Theodor</meta>')
    expect(opf).not.toContain('<dc:contributor')
    expect(opf).not.toContain('<dc:publisher')
    expect(opf).not.toContain('<dc:description') // none in book.yaml: none here (not the title again)
    expect(opf).toContain('CC BY-SA 4.0')
    expect(opf).toMatch(/<dc:source id="print-source">[^<]+<\/dc:source>/)
    expect(opf).toContain('<meta property="pageBreakSource">')
    for (const value of ['structuralNavigation', 'tableOfContents', 'readingOrder', 'printPageNumbers', 'pageNavigation', 'alternativeText']) {
      expect(opf).toContain(`<meta property="schema:accessibilityFeature">${value}</meta>`)
    }
    expect(opf).toContain('<meta property="schema:accessMode">textual</meta>')
    expect(opf).toContain('<meta property="schema:accessModeSufficient">textual</meta>')
    expect(opf).toContain('<meta property="schema:accessibilityHazard">none</meta>')
    expect(opf).toContain('<meta property="schema:accessibilitySummary">')
    expect(opf).toContain('<meta property="dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.1 Level AA</meta>')
    expect(opf).not.toContain('<guide>')
    for (const name of Object.keys(zip.files).filter((n) => n.endsWith('.xhtml'))) {
      expect(await zip.file(name)!.async('string')).toContain('<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="en" lang="en">')
    }
  })

  it('names the author of a single-author book, the editor of a collection, each with file-as', () => {
    const names = (model: ReturnType<typeof fixtureModel>) => people(model).map((p) => `${p.element} ${p.role} ${p.name} (${p.fileAs})`)
    const collection = fixtureModel({editor: 'Anne-Marie de la Tour', file_as: {'Anne-Marie de la Tour': 'La Tour, Anne-Marie de'}})
    collection.texts[1].meta.author = 'Wikipedia contributors'
    expect(names(collection)).toEqual([
      'creator edt Anne-Marie de la Tour (La Tour, Anne-Marie de)',
      'contributor aut Theodor Lena (Lena, Theodor)',
      'contributor aut Wikipedia contributors (Wikipedia contributors)'
    ])
    const single = fixtureModel({editor: 'Richard Greeman'})
    single.texts[1].meta.author = 'Theodor Lena'
    expect(names(single)).toEqual(['creator aut Theodor Lena (Lena, Theodor)', 'contributor edt Richard Greeman (Greeman, Richard)'])
  })

  it('changes dcterms:modified with the content and the printing, the same for the same book', async () => {
    const {modifiedDate} = await import('../../scripts/epub/metadata.ts')
    const model = fixtureModel()
    const first = modifiedDate(model, {}, fixtureHtml)
    expect(modifiedDate(fixtureModel(), {}, fixtureHtml)).toBe(first)
    expect(modifiedDate(model, {}, fixtureHtml.replace('exiles', 'émigrés'))).not.toBe(first)
    expect(modifiedDate(fixtureModel({edition: {number: 1, date: '2026-11-23', printing: 2}}), {}, fixtureHtml)).not.toBe(first)
    expect(first.startsWith('2026-11-23T')).toBe(true)
  })

  it('computes RFC 4122 version 5 UUIDs', () => {
    // The example from RFC 4122 errata / Python’s uuid.uuid5(NAMESPACE_DNS, 'python.org').
    expect(uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d')
  })

  it('uses SOURCE_DATE_EPOCH when set', async () => {
    const {modifiedDate} = await import('../../scripts/epub/metadata.ts')
    expect(modifiedDate(fixtureModel(), {SOURCE_DATE_EPOCH: '1700000000'})).toBe('2023-11-14T22:13:20Z')
  })
})

describe('reproducibility', () => {
  it('builds byte-identical EPUBs', async () => {
    const second = path.join(dir, 'second.epub')
    await makeEpub({html: fixtureHtml, model: fixtureModel(), buildDir: dir, outPath: second, pagination: fixturePagination})
    expect(readFileSync(second).equals(readFileSync(epubPath))).toBe(true)
  })
})

describe('in a reading system', () => {
  it('follows a note reference to its note, the backlink back, and an index locator to its place, in epub.js', async () => {
    const steps = await epubReading(epubPath, dir, 'epub-fixture')
    expect(steps.map((s) => [s.step, s.href])).toEqual([
      ['note reference', 't-lena.xhtml#t-lena-fnref-1'],
      ['note', 't-lena.xhtml#t-lena-fn-1'],
      ['back to the reference', 't-lena.xhtml#t-lena-fnref-1'],
      ['index locator', 't-lena.xhtml#ix-trotsky-1']
    ])
    for (const step of steps) expect(readFileSync(step.png).subarray(1, 4).toString()).toBe('PNG')
  }, 120_000)

  it('fails a step whose link leads nowhere', async () => {
    // The note's id changed, its reference not: epub.js cannot land on the note.
    const broken = path.join(dir, 'broken.epub')
    const z = await JSZip.loadAsync(readFileSync(epubPath))
    z.file('OEBPS/t-lena.xhtml', (await z.file('OEBPS/t-lena.xhtml')!.async('string')).replace('<aside id="t-lena-fn-1"', '<aside id="t-lena-fn-one"'))
    writeFileSync(broken, await z.generateAsync({type: 'nodebuffer', mimeType: 'application/epub+zip'}))
    await expect(epubReading(broken, path.join(dir, 'broken'), 'broken')).rejects.toThrow(/step “note”.*is not on the page shown/)
  }, 120_000)
})

/** The text that follows the element with `id`, in document order, within its document. */
function textAfter(tree: Root, id: string): string {
  let found = false
  let out = ''
  const walk = (node: Root | Element) => {
    for (const child of node.children) {
      if (out.length > 200) return
      if (child.type === 'element') {
        if (child.properties.id === id) found = true
        else walk(child)
      } else if (child.type === 'text' && found) out += child.value
    }
  }
  walk(tree)
  return out
}
