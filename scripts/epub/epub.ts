/**
 * The EPUB step: the reader HTML in, an EPUB 3 out.
 *
 * One XHTML document per top-level part of the reader HTML, finished here in our own EJS template
 * (templates/epub/chapter.xhtml.ejs) and written by epub-gen-memory with the package document, the
 * navigation document and the NCX it makes from our templates. epub-gen-memory is given the documents
 * finished (in a template variable, not as `content`), so its sanitiser never runs: it would drop `start`,
 * `value` and every `data-*`, and download every `<img src>`. Images are resolved here (only the
 * book’s own files), the book face comes from templates/fonts.yaml (as WOFF2 and TrueType), the
 * cover is drawn by scripts/epub/cover.ts. epub-gen-memory renders the files and hands them over
 * through its public API (`render()`, then `generateAsync()` as a stored zip); they are zipped again
 * with yazl in a fixed order with fixed dates, so two builds of the same book are byte-identical.
 *
 * The reader document comes from the build (`document`: its tree is copied, its parts give each
 * document’s matter), or is read from `html` by html/reader-parts.ts. A rebuild after a correction redoes little: the build cache (scripts/cache.ts) keeps each content
 * document by the hash of its finished tree and its template (and `codeVersion()`, so a change to
 * the code is a miss), and the cover by its inputs.
 */
import {createHash} from 'node:crypto'
import {existsSync, realpathSync} from 'node:fs'
import {mkdir, readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {bookFace, faces, fontFaceCss, missingCharacters, withFamilies, type BookFace} from '../fonts.ts'
import rehypeBookFaceGlyphs from '../print/glyphs.ts'
import {pageRanges} from '../print/page-refs.ts'
import {unmarkedTitles} from '../html/title-languages.ts'
import {templatesDir as designDir} from '../templates.ts'
import ejs from 'ejs'
import {EPub} from 'epub-gen-memory'
import type {Chapter} from 'epub-gen-memory'
import JSZip from 'jszip'
import yazl from 'yazl'
import type {Element, ElementContent, Root} from 'hast'
import {VFile} from 'vfile'
import type {BookModel, Pagination, ReaderDocument, ReaderPart} from '../model.ts'
import {ReaderError} from '../errors.ts'
import {codeVersion, openCache, sha256, type Cache} from '../cache.ts'
import {classes, findAll, findFirst, hasClass, isElement, text, textOf, toXhtml, withoutPositions} from './tree.ts'
import {readReaderHtml} from '../html/reader-parts.ts'
import {coverSize, coverText, renderCover} from './cover.ts'
import {insertPageMarkers, isPageMarker} from './page-markers.ts'
import {packageMetadata, type PackageMetadata} from './metadata.ts'
import {labelsOf, type Labels} from '../labels.ts'

const templatesDir = path.join(designDir(), 'epub')

export interface MakeEpubOptions {
  /** The reader document (html/document.ts): the EPUB step changes a copy of its tree, and takes its model. */
  document?: ReaderDocument
  /** The reader HTML (build/<slug>.html) as a string, when there is no document at hand (read by html/reader-parts.ts). */
  html?: string
  /** The book model, when `html` is given instead of a document. */
  model?: BookModel
  /** Where the cover PNG is kept (and reused while its input does not change). */
  buildDir: string
  /** The EPUB is written to exactly this path. */
  outPath: string
  /** The PDF’s pagination: page markers and the page list follow it. */
  pagination?: Pagination
  /** Problems that do not stop the build (refused images, dangling links) are reported here. */
  file?: VFile
  /** Where finished documents are kept between builds (default `openCache()`; `false`: nowhere). */
  cache?: Cache | false
  /** The build’s id (scripts/output.ts), written in the package document as `<meta name="reader:build">`. */
  build?: string
}

/** What a build made and what it took from the cache. */
export interface EpubStats {
  /** Content documents (the cover page and one per part), serialised now or taken from the cache. */
  documents: {made: number; reused: number}
}

/** `epub:type` values (EPUB 3 Structural Semantics) that a `data-part` may carry over as is. */
const structuralTypes = new Set([
  'abstract', 'acknowledgments', 'afterword', 'appendix', 'bibliography', 'chapter', 'colophon', 'conclusion',
  'contributors', 'copyright-page', 'dedication', 'division', 'endnotes', 'epigraph', 'epilogue', 'errata',
  'foreword', 'glossary', 'halftitlepage', 'imprimatur', 'imprint', 'index', 'introduction', 'notice',
  'other-credits', 'part', 'preamble', 'preface', 'prologue', 'qna', 'seriespage', 'titlepage', 'toc', 'volume'
])

/** The DPUB-ARIA role for an epub:type of a part. */
const roles: Record<string, string> = {
  abstract: 'doc-abstract', acknowledgments: 'doc-acknowledgments', afterword: 'doc-afterword', appendix: 'doc-appendix',
  bibliography: 'doc-bibliography', chapter: 'doc-chapter', colophon: 'doc-colophon', conclusion: 'doc-conclusion',
  dedication: 'doc-dedication', epilogue: 'doc-epilogue', errata: 'doc-errata', foreword: 'doc-foreword',
  glossary: 'doc-glossary', index: 'doc-index', introduction: 'doc-introduction', part: 'doc-part',
  preface: 'doc-preface', prologue: 'doc-prologue', toc: 'doc-toc'
}

/** What may not appear in a content document (the contract says none will; we make sure). */
const forbidden = new Set(['script', 'style', 'iframe', 'object', 'embed', 'link', 'meta', 'base', 'template', 'form', 'input', 'button', 'select', 'textarea', 'noscript', 'frame', 'frameset'])

const imageTypes: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml'
}

interface Doc {
  /** Id of the part in the reader HTML. */
  id: string
  file: string
  title: string
  /** For index links: the text’s short title, or the part’s title. */
  shortTitle: string
  kind: 'cover' | 'nav' | 'part'
  matter: 'front' | 'body' | 'back'
  node: Element
  epubType?: string
  author?: string
  /** The cover page’s XHTML (a part’s is made from `node`). */
  xhtml?: string
}

interface BookImage {
  href: string
  mediaType: string
  data: Buffer
}

/** Write the EPUB for `model` from its reader HTML to `outPath`; say what was made and what reused. */
export async function makeEpub(options: MakeEpubOptions): Promise<EpubStats> {
  const {buildDir, outPath, pagination} = options
  const model = options.document?.model ?? options.model
  if (!model) throw new Error('makeEpub: no book model (give a reader document, or `html` with its `model`)')
  const file = options.file ?? new VFile({path: `build/${model.book.slug}.html`})
  const lang = model.book.language
  const labels = labelsOf(model.book)
  const opened = options.cache === false ? undefined : (options.cache ?? openCache())
  const cache = opened?.dir ? opened : undefined
  const stats: EpubStats = {documents: {made: 0, reused: 0}}

  const source = options.document ?? readReaderHtml(options.html ?? '')
  const tree = withoutPositions(structuredClone(source.tree))
  const body = findFirst(tree, (el) => el.tagName === 'body')
  if (!body) throw new ReaderError('The reader HTML has no <body>', {ruleId: 'epub-no-body'})
  cleanTree(body, file)
  const face = bookFace()
  // What the face lacks, as the print writes it (fonts.yaml), and the backlinks’ ↩ as an arrow it has.
  const glyphs: Record<string, string> = {'\u21A9': '\u2191', ...face.substitutes}
  rehypeBookFaceGlyphs({substitutes: glyphs})({type: 'root', children: [body]})
  // (A note’s mark is written out from data-mark where the text lacks it: the same characters.)
  for (const el of findAll(body, (el) => typeof el.properties.dataMark === 'string')) {
    el.properties.dataMark = [...String(el.properties.dataMark)].map((c) => glyphs[c] ?? c).join('')
  }

  const markers = pagination ? insertPageMarkers({type: 'root', children: [body]}, pagination, file) : []

  const docs = splitParts(body, source.parts, model, file)
  const images = await resolveImages(docs, model, buildDir, file)
  const targets = collectTargets(docs, file)
  for (const doc of docs) transformDoc(doc, docs, targets, pagination, file, labels, model.book.style.page_ranges)
  reportMissingGlyphs(docs, face, file)

  const navDoc = docs.find((d) => d.kind === 'nav')!
  const tocTitle = navDoc.title
  const entries = tocEntries(docs)
  const pages = markers.map((m) => ({label: m.label, href: targets.get(m.id)!.href, type: /^\d+$/.test(m.label) ? 'normal' : /^[ivxlcdm]+$/i.test(m.label) ? 'front' : 'special'}))
  const coverPath = await renderCover(model, buildDir, {cache, face})
  const coverAlt = coverText(model)
  const metadata = packageMetadata(model, {
    content: source.html,
    languagesMarked: /^en\b/i.test(model.book.language) && unmarkedTitles(body, model.book.language).length === 0,
    hasPageList: pages.length > 0,
    images: images.length + 1,
    imagesWithAlt: images.filter((i) => i.hasAlt).length + 1
  })

  // The cover page.
  const cover = docs.find((d) => d.kind === 'cover')!
  cover.xhtml =
    `<section epub:type="cover" class="cover-page">` +
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" width="100%" height="100%" viewBox="0 0 ${coverSize.width} ${coverSize.height}" preserveAspectRatio="xMidYMid meet" role="img" aria-label="${escapeXml(coverAlt)}">` +
    `<title>${escapeXml(coverAlt)}</title>` +
    `<image width="${coverSize.width}" height="${coverSize.height}" xlink:href="cover.png"/></svg></section>`

  const navMarkers = findAll(navDoc.node, isPageMarker)
  const landmarks = landmarkList(docs, tocTitle)
  // The code face goes in only when the book has code to set in it.
  const hasCode = docs.some((doc) => !doc.xhtml && findAll(doc.node, (el) => codeTags.has(el.tagName)).length > 0)
  const used: BookFace = hasCode ? face : {...face, code: undefined}
  const fonts = faces(used).flatMap((f) => f.files).flatMap((file) => [
    {filename: file.name, path: file.path, mediaType: 'font/woff2'},
    ...(file.truetype ? [{filename: file.truetype.name, path: file.truetype.path, mediaType: /\.otf$/i.test(file.truetype.name) ? 'font/otf' : 'font/ttf'}] : [])
  ])
  const css = withFace(await readFile(path.join(templatesDir, 'epub.css'), 'utf8'), used)
  const order = playOrder(docs, targets, entries, pages)

  const manifest: Array<{id: string; href: string; mediaType: string; properties?: string}> = [
    {id: 'nav', href: 'toc.xhtml', mediaType: 'application/xhtml+xml', properties: 'nav'},
    {id: 'ncx', href: 'toc.ncx', mediaType: 'application/x-dtbncx+xml'},
    {id: 'css', href: 'style.css', mediaType: 'text/css'},
    {id: 'cover-image', href: 'cover.png', mediaType: 'image/png', properties: 'cover-image'},
    ...docs.filter((d) => d.kind !== 'nav').map((d) => ({id: itemId(d), href: d.file, mediaType: 'application/xhtml+xml', ...(d.kind === 'cover' ? {properties: 'svg'} : {})})),
    ...fonts.map((f, i) => ({id: `font-${i + 1}`, href: `fonts/${f.filename}`, mediaType: f.mediaType})),
    ...images.map((img, i) => ({id: `image-${i + 1}`, href: img.href, mediaType: img.mediaType}))
  ]
  const spine = docs.map((d) => ({id: d.kind === 'nav' ? 'nav' : itemId(d)}))

  const book = {
    ...metadata,
    build: options.build ?? '',
    manifest,
    spine,
    nav: {
      toc: toXhtml(tocList(entries)),
      pageMarkers: navMarkers.length ? toXhtml(navMarkers) : '',
      landmarks,
      landmarksLabel: labels.landmarks,
      pages,
      pageListLabel: labels.pages
    },
    ncx: {
      depth: entries.some((e) => e.children.length) ? 2 : 1,
      navMap: ncxNavMap(entries, order),
      maxPageNumber: Math.max(0, ...pages.filter((p) => p.type === 'normal').map((p) => Number(p.label))),
      pagePlayOrder: pages.map((p) => order.get(p.href))
    }
  } satisfies Record<string, unknown> & PackageMetadata

  const template = (name: string) => readFile(path.join(templatesDir, name), 'utf8')
  const chapterTemplate = await template('chapter.xhtml.ejs')
  const chapters = docs
    .filter((d) => d.kind !== 'nav')
    .map((d) => ({
      title: d.title,
      content: '',
      filename: d.file,
      excludeFromToc: true,
      // Our own template variable (epub-gen-memory passes unknown chapter fields through): the finished document.
      document: finishDocument(d, lang, chapterTemplate, cache, stats.documents)
    })) as unknown as Chapter[]

  const generator = new EPub(
    {
      title: model.book.title,
      lang,
      tocTitle,
      css,
      cover: pathToFileURL(coverPath).href,
      fonts: fonts.map((f) => ({filename: f.filename, url: pathToFileURL(f.path).href})),
      date: `${model.book.edition.date}T00:00:00Z`,
      prependChapterTitles: false,
      contentOPF: await template('content.opf.ejs'),
      tocXHTML: await template('toc.xhtml.ejs'),
      tocNCX: await template('toc.ncx.ejs'),
      // The documents come finished (from finishDocument): epub-gen-memory writes them as they are.
      chapterXHTML: '<%- document %>',
      version: 3,
      verbose: false,
      // Our own template variable:
      book
    } as ConstructorParameters<typeof EPub>[0],
    chapters
  )
  let files: Map<string, Uint8Array>
  try {
    // Its files, through its public API: rendered, then zipped without compression (they are zipped once, below).
    await generator.render()
    files = await unzip(await generator.generateAsync({type: 'uint8array', compression: 'STORE'}))
  } catch (error) {
    throw new ReaderError(`Could not assemble the EPUB: ${(error as Error).message}`, {ruleId: 'epub-assemble'})
  }
  for (const image of images) files.set('OEBPS/' + image.href, image.data)
  // Apple Books uses the embedded face only when the book asks for it.
  files.set('META-INF/com.apple.ibooks.display-options.xml', Buffer.from(appleDisplayOptions))
  const epub = await pack(files, manifest.map((m) => 'OEBPS/' + m.href), zipDate(metadata.modified))
  await mkdir(path.dirname(outPath), {recursive: true})
  await writeFile(outPath, epub)
  return stats
}

/**
 * A content document as it goes into the EPUB: the part’s tree as XHTML in templates/epub/chapter.xhtml.ejs.
 * Kept in the cache by the hash of all that makes it: the tree, finished (page markers, links, images
 * resolved), the template’s text and variables, and the code.
 */
function finishDocument(doc: Doc, lang: string, template: string, cache: Cache | undefined, count: EpubStats['documents']): string {
  const variables = {
    lang,
    title: doc.title,
    bodyType: doc.kind === 'cover' ? 'cover' : doc.matter === 'body' ? 'bodymatter' : doc.matter === 'front' ? 'frontmatter' : 'backmatter',
    bodyClass: doc.kind === 'cover' ? 'cover' : ''
  }
  const key = cache ? sha256(codeVersion(), template, JSON.stringify(variables), doc.xhtml ?? JSON.stringify(doc.node)) : undefined
  const kept = cache && key ? cache.get<unknown>(documentStage, key) : undefined
  if (typeof kept === 'string') {
    count.reused++
    return kept
  }
  const document = ejs.render(template, {...variables, xhtml: doc.xhtml ?? toXhtml(doc.node)})
  count.made++
  if (cache && key) cache.put(documentStage, key, document)
  return document
}

const documentStage = 'epub-documents'

// ---------------------------------------------------------------------------------------------
// Cleaning and splitting

function cleanTree(body: Element, file: VFile): void {
  const unwanted = (child: ElementContent) => child.type === 'comment' || (child.type === 'element' && forbidden.has(child.tagName))
  const walk = (node: Element) => {
    if (node.children.some(unwanted)) {
      node.children = node.children.filter((child) => {
        if (child.type === 'element' && forbidden.has(child.tagName)) {
          file.message(`Unexpected \`<${child.tagName}>\` in the reader HTML, expected none: left out of the EPUB`, {
            ruleId: 'epub-element-removed',
            source: 'reader'
          })
        }
        return !unwanted(child)
      })
    }
    for (const key in node.properties) {
      const value = node.properties[key]
      if (/^on[a-z]/i.test(key)) delete node.properties[key]
      else if (value === true || value === false) {
        // XHTML has no bare attributes and the contract uses none.
        if (key !== 'hidden') delete node.properties[key]
      } else if (typeof value === 'number' && !Number.isFinite(value)) {
        // Written the same as a string, and so kept through JSON (the documents’ cache keys).
        node.properties[key] = String(value)
      } else if (Array.isArray(value) && value.some((v) => typeof v === 'number' && !Number.isFinite(v))) {
        node.properties[key] = value.map(String)
      }
    }
    for (const child of node.children) if (child.type === 'element') walk(child)
  }
  walk(body)
}

function splitParts(body: Element, readerParts: ReaderPart[], model: BookModel, file: VFile): Doc[] {
  // The document’s parts, found by id among the children of this copy of its body.
  const elements = new Map<string, Element>()
  for (const node of body.children) if (isElement(node) && node.properties.id) elements.set(String(node.properties.id), node)
  const docs: Doc[] = []
  const labels = labelsOf(model.book)
  const cover: Doc = {
    id: 'cover',
    file: 'cover.xhtml',
    title: labels.cover,
    shortTitle: labels.cover,
    kind: 'cover',
    matter: 'front',
    node: {type: 'element', tagName: 'section', properties: {id: 'cover'}, children: []}
  }
  docs.push(cover)
  let halfTitle: Element | undefined
  let sawNav = false
  for (const readerPart of readerParts) {
    const {id, classes: cls} = readerPart
    const part = id ? elements.get(id) : undefined
    if (!part) {
      file.message('Unexpected part without an `id` in the reader HTML, expected one: left out of the EPUB', {ruleId: 'epub-part-id', source: 'reader'})
      continue
    }
    const dataPart = String(part.properties.dataPart ?? '')
    if (cls.includes('half-title') || dataPart === 'half-title' || dataPart === 'halftitlepage') {
      halfTitle = part
      continue
    }
    const matter = bodyMatter[readerPart.matter]
    if (part.tagName === 'nav' && (cls.includes('toc') || dataPart === 'toc')) {
      sawNav = true
      const heading = findFirst(part, (el) => el.tagName === 'h1' || el.tagName === 'h2')
      docs.push({id, file: 'toc.xhtml', title: heading ? cleanText(heading) : labels.contents, shortTitle: labels.contents, kind: 'nav', matter: 'front', node: part})
      continue
    }
    const heading = findFirst(part, (el) => el.tagName === 'h1')
    const textPart = model.texts.find((t) => t.id === id)
    const title = heading ? cleanText(heading) : String(part.properties.ariaLabel ?? part.properties.dataTitle ?? id)
    const shortTitle = textPart?.meta.short_title || String(part.properties.dataTitle ?? '') || title
    const type = structuralTypes.has(dataPart) ? dataPart : dataPart === 'copyright' ? 'copyright-page' : undefined
    docs.push({
      id,
      file: fileName(id),
      title,
      shortTitle,
      kind: 'part',
      matter,
      node: part,
      epubType: type,
      author: textPart?.meta.author || String(part.properties.dataAuthor ?? '') || undefined
    })
  }
  if (halfTitle) {
    // The half-title merges into the title page: its id and its page markers go there.
    const titlePage = docs.find((d) => d.epubType === 'titlepage') ?? docs.find((d) => d.kind === 'part')
    if (titlePage) {
      const markers = findAll(halfTitle, isPageMarker)
      titlePage.node.children.unshift(...markers)
      const alias = String(halfTitle.properties.id ?? '')
      if (alias) titlePage.node.properties.dataAliases = alias
    }
  }
  if (!sawNav) {
    const nav: Doc = {
      id: 'contents',
      file: 'toc.xhtml',
      title: labels.contents,
      shortTitle: labels.contents,
      kind: 'nav',
      matter: 'front',
      node: {type: 'element', tagName: 'nav', properties: {id: 'contents'}, children: []}
    }
    const firstBody = docs.findIndex((d) => d.matter !== 'front' || (d.kind === 'part' && d.epubType !== 'titlepage' && d.epubType !== 'copyright-page'))
    docs.splice(firstBody === -1 ? docs.length : firstBody, 0, nav)
  }
  return docs
}

/** The EPUB’s name for a part’s matter (its `<body epub:type>`). */
const bodyMatter: Record<ReaderPart['matter'], Doc['matter']> = {front: 'front', text: 'body', back: 'back'}

const fileName = (id: string) => {
  const base = id.replace(/[^-._A-Za-z0-9]/g, '-') || 'part'
  return (base === 'toc' || base === 'cover' ? base + '-part' : base) + '.xhtml'
}
const itemId = (doc: Doc) => 'x-' + doc.file.replace(/\.xhtml$/, '').replace(/[^-_A-Za-z0-9]/g, '-')

/** Text of a heading without note references and page markers. */
function cleanText(node: Element): string {
  const strip = (n: ElementContent): string => {
    if (n.type === 'text') return n.value
    if (n.type !== 'element') return ''
    if (hasClass(n, 'noteref') || isPageMarker(n)) return ''
    return n.children.map(strip).join('')
  }
  return node.children.map(strip).join('').replace(/\u00AD/g, '').replace(/\s+/g, ' ').trim()
}

// ---------------------------------------------------------------------------------------------
// Images: only the book’s own files

async function resolveImages(docs: Doc[], model: BookModel, buildDir: string, file: VFile): Promise<Array<BookImage & {hasAlt: boolean}>> {
  const result: Array<BookImage & {hasAlt: boolean}> = []
  const byHref = new Map<string, BookImage>()
  const roots = [model.manuscriptDir, buildDir].filter((d) => existsSync(d)).map((d) => realpathSync(d))
  for (const doc of docs) {
    const remove: Array<{parent: Element; node: Element}> = []
    const walk = (parent: Element) => {
      for (const child of parent.children) {
        if (child.type !== 'element') continue
        if (child.tagName === 'img') remove.push({parent, node: child})
        else walk(child)
      }
    }
    walk(doc.node)
    for (const {parent, node} of remove) {
      const src = String(node.properties.src ?? '')
      const resolved = resolveImagePath(src, roots)
      if (!resolved) {
        file.message(`Unexpected image source \`${src}\`, expected a file of the book (relative to the manuscript or build folder): left out of the EPUB`, {
          ruleId: 'epub-image-refused',
          source: 'reader'
        })
        parent.children.splice(parent.children.indexOf(node), 1)
        continue
      }
      const data = await readFile(resolved)
      const ext = path.extname(resolved).toLowerCase()
      const href = `images/${createHash('sha256').update(data).digest('hex').slice(0, 16)}${ext === '.jpeg' ? '.jpg' : ext}`
      if (!byHref.has(href)) {
        const image = {href, mediaType: imageTypes[ext], data}
        byHref.set(href, image)
        result.push({...image, hasAlt: false})
      }
      node.properties.src = href
      const alt = String(node.properties.alt ?? '')
      node.properties.alt = alt
      const entry = result.find((r) => r.href === href)!
      entry.hasAlt = entry.hasAlt || alt.trim() !== ''
    }
  }
  return result
}

function resolveImagePath(src: string, roots: string[]): string | undefined {
  if (!src || /^[a-z][a-z0-9+.-]*:/i.test(src) || src.startsWith('/') || src.startsWith('\\') || src.includes('\0')) return undefined
  let relative: string
  try {
    relative = decodeURIComponent(src.replace(/[?#].*$/, ''))
  } catch {
    return undefined
  }
  if (!imageTypes[path.extname(relative).toLowerCase()]) return undefined
  for (const dir of roots) {
    const candidate = path.resolve(dir, relative)
    if (!existsSync(candidate)) continue
    const real = realpathSync(candidate)
    if (real.startsWith(dir + path.sep)) return real
  }
  return undefined
}

// ---------------------------------------------------------------------------------------------
// Links across documents

interface Target {
  doc: Doc
  href: string
  /** Position in reading order (for the NCX play order). */
  order: number
}

function collectTargets(docs: Doc[], file: VFile): Map<string, Target> {
  const targets = new Map<string, Target>()
  let order = 0
  for (const doc of docs) {
    const docOrder = order++
    targets.set('\u0000' + doc.file, {doc, href: doc.file, order: docOrder})
    if (doc.kind === 'nav') {
      targets.set(doc.id, {doc, href: 'toc.xhtml#toc', order: docOrder})
    }
    const visit = (node: Element) => {
      const id = node.properties.id
      if (typeof id === 'string' && id) {
        if (targets.has(id) && !(doc.kind === 'nav' && id === doc.id)) {
          file.message(`Unexpected duplicate id \`${id}\`, expected each id once`, {ruleId: 'epub-duplicate-id', source: 'reader'})
        } else if (!targets.has(id)) {
          targets.set(id, {doc, href: node === doc.node && doc.kind !== 'nav' ? doc.file : `${doc.file}#${id}`, order: order++})
        }
      }
      const aliases = node.properties.dataAliases
      if (typeof aliases === 'string') for (const alias of aliases.split(/\s+/)) targets.set(alias, {doc, href: doc.file, order: docOrder})
      for (const child of node.children) if (child.type === 'element') visit(child)
    }
    visit(doc.node)
  }
  return targets
}

function transformDoc(doc: Doc, docs: Doc[], targets: Map<string, Target>, pagination: Pagination | undefined, file: VFile, labels: Labels, style: 'full' | 'elided'): void {
  if (doc.kind !== 'part') return
  const node = doc.node
  delete node.properties.dataAliases
  if (doc.epubType) {
    node.properties['epub:type'] = doc.epubType
    // Ace asks for the DPUB-ARIA role that matches each epub:type.
    if (!node.properties.role && roles[doc.epubType]) node.properties.role = roles[doc.epubType]
  }

  const visit = (el: Element) => {
    const p = el.properties
    delete p.dataB
    if (typeof p.lang === 'string' && p.lang) p.xmlLang = p.lang
    const cls = classes(el)
    if (el.tagName === 'a') {
      if (cls.includes('noteref')) {
        p['epub:type'] = 'noteref'
        p.role = 'doc-noteref'
      } else if (cls.includes('backlink')) {
        p['epub:type'] = 'backlink'
        p.role = 'doc-backlink'
      }
      rewriteLink(el, doc, targets, file)
    } else if (el.tagName === 'section' && (cls.includes('notes') || cls.includes('ednotes'))) {
      notesAsFootnotes(el)
      if (cls.includes('ednotes') && !el.children.some((c) => isElement(c) && /^h[1-6]$/.test(c.tagName))) {
        const label = String(p.ariaLabel ?? labels.editors_notes)
        el.children.unshift({type: 'element', tagName: 'h2', properties: {className: ['notes-title']}, children: [text(label)]})
      }
    } else if (el.tagName === 'blockquote' && (cls.includes('epigraph') || p.role === 'doc-epigraph')) {
      p['epub:type'] = 'epigraph'
    }
    for (const child of el.children) if (child.type === 'element') visit(child)
  }
  visit(node)

  if (doc.epubType === 'index') labelIndexLinks(node, docs, targets, pagination, style)
}

/**
 * The notes of a section as footnotes: each list item an `aside` with `epub:type="footnote"` and
 * `role="doc-footnote"` (what Apple Books, Kobo and Google Play Books show as a pop-up from the
 * note reference), its number as in print written before it, its backlink kept. The section stays,
 * with its heading, as the place the notes are read in order where there are no pop-ups.
 */
function notesAsFootnotes(section: Element): void {
  delete section.properties.role
  delete section.properties['epub:type']
  section.children = section.children.flatMap((child) => {
    if (!isElement(child) || (child.tagName !== 'ol' && child.tagName !== 'ul')) return [child]
    const start = Number(child.properties.start ?? 1)
    const items = child.children.filter((c): c is Element => isElement(c, 'li'))
    return items.map((li, i): Element => {
      const p = li.properties
      // A note with a mark of its own (an editor’s note, a copy-text’s `*` printed as the source has it) has no number.
      const number = child.tagName === 'ol' && !hasClass(li, 'ednote') && typeof p.dataMark !== 'string' ? String(p.value ?? start + i) : undefined
      if (number) prependNumber(li, number)
      // The editor's symbol must be in the text, not only in data-mark (the reader HTML may already have it).
      else if (typeof p.dataMark === 'string' && !textOf(li).trimStart().startsWith(p.dataMark)) prependMark(li, p.dataMark)
      const properties: Element['properties'] = {...p, 'epub:type': 'footnote', role: 'doc-footnote'}
      delete properties.value
      return {type: 'element', tagName: 'aside', properties, children: li.children}
    })
  })
}

function prependNumber(li: Element, number: string): void {
  const first = li.children.find((c): c is Element => isElement(c))
  const holder = first && first.tagName === 'p' ? first : li
  holder.children.unshift({type: 'element', tagName: 'span', properties: {className: ['note-number']}, children: [text(number + '.')]}, text(' '))
}

function prependMark(li: Element, mark: string): void {
  const first = li.children.find((c): c is Element => isElement(c))
  const holder = first && first.tagName === 'p' ? first : li
  holder.children.unshift({type: 'element', tagName: 'span', properties: {className: ['note-mark']}, children: [text(mark)]}, text(' '))
}

function rewriteLink(a: Element, doc: Doc, targets: Map<string, Target>, file: VFile): void {
  const href = a.properties.href
  if (typeof href !== 'string') return
  if (href.startsWith('#')) {
    const id = decodeURIComponent(href.slice(1))
    const target = targets.get(id)
    if (!target) {
      file.message(`Unexpected link to \`${href}\`, expected an id in the reader HTML: the link is left as text`, {ruleId: 'epub-link-target', source: 'reader'})
      unlink(a)
      return
    }
    a.properties.href = target.doc === doc && target.href.includes('#') ? '#' + target.href.split('#')[1] : target.href
    return
  }
  if (/^(https?|mailto):/i.test(href)) return
  file.message(`Unexpected link to \`${href}\`, expected a fragment, http(s) or mailto link: the link is left as text`, {ruleId: 'epub-link-scheme', source: 'reader'})
  unlink(a)
}

function unlink(a: Element): void {
  a.tagName = 'span'
  delete a.properties.href
  delete a.properties.role
  delete a.properties['epub:type']
}

/**
 * The index’s locators as print gives them: each run of an entry’s references becomes the print
 * pages of their places, repeats dropped and consecutive pages joined into ranges (`pageRanges`,
 * the print’s own rule and style), each a link to the first place it stands for. Without a
 * pagination (no PDF made), each reference is named by its text’s short title, numbered within
 * that text when there are several.
 */
function labelIndexLinks(index: Element, docs: Doc[], targets: Map<string, Target>, pagination: Pagination | undefined, style: 'full' | 'elided'): void {
  const holders = findAll(index, (el) => el.children.some((c) => isElement(c) && c.tagName === 'a' && hasClass(c, 'ix-ref')))
  for (const holder of holders) {
    const refs = holder.children.filter((c): c is Element => isElement(c) && c.tagName === 'a' && hasClass(c, 'ix-ref'))
    const ids = refs.map((ref) => String(ref.properties.href ?? '').split('#')[1] ?? '')
    const pages = ids.map((id) => pagination?.idPages[id] ?? '')
    const first = holder.children.indexOf(refs[0])
    const last = holder.children.indexOf(refs[refs.length - 1])
    let links: Element[]
    if (pagination && pages.every(Boolean)) {
      links = pageRanges(pages, style).map((range) => ({
        ...refs[range.index],
        properties: {...refs[range.index].properties},
        children: [text(range.last ? `${range.first}\u2013${range.last}` : range.first)]
      }))
    } else {
      const docOf = (ref: Element) => {
        const [file, id] = String(ref.properties.href ?? '').split('#')
        return docs.find((d) => d.file === file) ?? (id ? targets.get(id)?.doc : undefined)
      }
      const seen = new Map<Doc | undefined, number>()
      const total = new Map<Doc | undefined, number>()
      for (const ref of refs) total.set(docOf(ref), (total.get(docOf(ref)) ?? 0) + 1)
      links = refs.map((ref) => {
        const d = docOf(ref)
        const n = (seen.get(d) ?? 0) + 1
        seen.set(d, n)
        const label = d ? (total.get(d)! > 1 ? `${d.shortTitle} ${n}` : d.shortTitle) : String(n)
        return {...ref, children: [text(label)]}
      })
    }
    holder.children.splice(first, last - first + 1, ...links.flatMap((link, i) => (i > 0 ? [text(', '), link] : [link])))
  }
}

// ---------------------------------------------------------------------------------------------
// Navigation

interface TocEntry {
  label: string
  author?: string
  href: string
  children: TocEntry[]
  /** The part's matter (front, body, back): the first entry of each run is set apart, as in print. */
  matter?: string
}

function tocEntries(docs: Doc[]): TocEntry[] {
  const navIndex = docs.findIndex((d) => d.kind === 'nav')
  // Each part as the book’s contents list it: a text sharing its title with another, with its subtitle.
  const listed = new Map<string, string>()
  if (navIndex !== -1) {
    for (const link of findAll(docs[navIndex].node, (el) => el.tagName === 'a' && typeof el.properties.href === 'string')) {
      listed.set(String(link.properties.href).replace(/^#/, ''), cleanText(link))
    }
  }
  const entries: TocEntry[] = []
  docs.forEach((doc, i) => {
    if (doc.kind !== 'part' || i < navIndex) return
    const children: TocEntry[] = []
    if (doc.matter === 'body') {
      for (const h2 of findAll(doc.node, (el) => el.tagName === 'h2' && el.properties.id !== undefined && el.properties.id !== null)) {
        children.push({label: cleanText(h2), href: `${doc.file}#${h2.properties.id}`, children: []})
      }
    }
    entries.push({label: listed.get(doc.id) || doc.title, author: doc.matter === 'body' ? doc.author : undefined, href: doc.file, children, matter: doc.matter})
  })
  return entries
}

function tocList(entries: TocEntry[]): Element {
  return {
    type: 'element',
    tagName: 'ol',
    properties: {},
    children: entries.map((e, i) => ({
      type: 'element',
      tagName: 'li',
      properties: i > 0 && e.matter !== undefined && entries[i - 1].matter !== e.matter ? {className: ['toc-group-start']} : {},
      children: [
        {
          type: 'element',
          tagName: 'a',
          properties: {href: e.href},
          children: [
            text(e.label),
            // The author after a separator that is read, not shown (the author has a line of its own), as in the NCX.
            ...(e.author
              ? [
                  {type: 'element', tagName: 'span', properties: {className: ['toc-sep']}, children: [text(' — ')]} as Element,
                  {type: 'element', tagName: 'span', properties: {className: ['toc-author']}, children: [text(e.author)]} as Element
                ]
              : [])
          ]
        } as Element,
        ...(e.children.length ? [tocList(e.children)] : [])
      ]
    }))
  }
}

function landmarkList(docs: Doc[], tocTitle: string): Array<{type: string; href: string; label: string}> {
  const list: Array<{type: string; href: string; label: string}> = []
  const cover = docs.find((d) => d.kind === 'cover')
  if (cover) list.push({type: 'cover', href: cover.file, label: cover.title})
  const title = docs.find((d) => d.epubType === 'titlepage')
  if (title) list.push({type: 'titlepage', href: title.file, label: title.title})
  list.push({type: 'toc', href: 'toc.xhtml#toc', label: tocTitle})
  const first = docs.find((d) => d.matter === 'body')
  if (first) list.push({type: 'bodymatter', href: first.file, label: first.title})
  const bibliography = docs.find((d) => d.epubType === 'bibliography')
  if (bibliography) list.push({type: 'bibliography', href: bibliography.file, label: bibliography.title})
  const index = docs.find((d) => d.epubType === 'index')
  if (index) list.push({type: 'index', href: index.file, label: index.title})
  return list
}

/** NCX play order: one number per distinct target, in reading order. */
function playOrder(docs: Doc[], targets: Map<string, Target>, entries: TocEntry[], pages: Array<{href: string}>): Map<string, number> {
  const position = (href: string) => {
    const [fileName, id] = href.split('#')
    if (id && targets.has(id) && !(fileName === 'toc.xhtml' && id === 'toc')) return targets.get(id)!.order
    return targets.get('\u0000' + fileName)?.order ?? 0
  }
  const hrefs = new Set<string>()
  const add = (list: TocEntry[]) => list.forEach((e) => (hrefs.add(e.href), add(e.children)))
  add(entries)
  for (const p of pages) hrefs.add(p.href)
  const sorted = [...hrefs].sort((a, b) => position(a) - position(b) || (a < b ? -1 : a > b ? 1 : 0))
  return new Map(sorted.map((href, i) => [href, i + 1]))
}

function ncxNavMap(entries: TocEntry[], order: Map<string, number>, depth = 0): string {
  let counter = 0
  const render = (list: TocEntry[], level: number, prefix: string): string =>
    list
      .map((e) => {
        counter++
        const pad = '    '.repeat(level + 2)
        return (
          `${pad}<navPoint id="np-${prefix}${counter}" playOrder="${order.get(e.href)}">\n` +
          `${pad}  <navLabel><text>${escapeXml(e.label + (e.author ? ' — ' + e.author : ''))}</text></navLabel>\n` +
          `${pad}  <content src="${escapeXml(e.href)}"/>\n` +
          (e.children.length ? render(e.children, level + 1, prefix) + '\n' : '') +
          `${pad}</navPoint>`
        )
      })
      .join('\n')
  return render(entries, depth, '')
}

// ---------------------------------------------------------------------------------------------
// Fonts, cover, zip

/**
 * The EPUB style with the book face: its @font-face rules first (the files go in `fonts/`, whole:
 * the manifest says whether the licence lets us subset them), then `var(--book-face)` written out
 * as the family name, which reading systems without custom properties understand.
 */
function withFace(css: string, face: BookFace, dir = 'fonts'): string {
  return `${faces(face).map((f) => fontFaceCss(f, dir, {truetype: true})).join('\n')}\n${withFamilies(css, face)}`
}

/** Zip entries carry DOS times, which yazl takes from a date’s local fields: the date whose local fields are the UTC ones wanted. */
function zipDate(modified: string): Date {
  const d = new Date(modified)
  return new Date(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds())
}

/** The files of a zip (directories left out), by name. */
async function unzip(data: Uint8Array): Promise<Map<string, Uint8Array>> {
  const zip = await JSZip.loadAsync(data)
  const entries = Object.values(zip.files).filter((entry) => !entry.dir)
  const contents = await Promise.all(entries.map((entry) => entry.async('uint8array')))
  return new Map(entries.map((entry, i) => [entry.name, contents[i]]))
}

/** Already compressed: stored as they are (deflating them again costs time and saves nothing). */
const incompressible = /\.(png|jpe?g|gif|webp|woff2?)$/i

/**
 * Zip the files with yazl: `mimetype` first, stored and with no extra field, then META-INF, the
 * package document and the manifest in order, every entry with the same date (a DOS date: no
 * extended timestamps), no directory entries and no data descriptors. The rest is deflated at
 * level 9 by Node’s zlib, except what is compressed already.
 */
async function pack(files: Map<string, Uint8Array>, manifestOrder: string[], mtime: Date): Promise<Buffer> {
  const first = ['mimetype', 'META-INF/container.xml', 'OEBPS/content.opf']
  const names = [
    ...first.filter((n) => files.has(n)),
    ...manifestOrder.filter((n) => files.has(n) && !first.includes(n)),
    ...[...files.keys()].filter((n) => !first.includes(n) && !manifestOrder.includes(n)).sort()
  ]
  const zip = new yazl.ZipFile()
  const common = {mtime, forceDosTimestamp: true, mode: 0o100644}
  zip.addBuffer(Buffer.from('application/epub+zip'), 'mimetype', {...common, compress: false})
  for (const name of names) {
    if (name === 'mimetype') continue
    const data = files.get(name)!
    zip.addBuffer(Buffer.from(data.buffer, data.byteOffset, data.byteLength), name, {...common, compressionLevel: incompressible.test(name) ? 0 : 9})
  }
  zip.end()
  const chunks: Buffer[] = []
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

const appleDisplayOptions = `<?xml version="1.0" encoding="UTF-8"?>
<display_options>
  <platform name="*">
    <option name="specified-fonts">true</option>
  </platform>
</display_options>
`

/** Elements set in the code face (templates/epub.css). */
const codeTags = new Set(['code', 'kbd', 'samp', 'tt', 'pre'])

/**
 * Characters of the documents’ text that the embedded face they are set in has no glyph for (a
 * reading system would take them from another font): code in the code face, the rest in the book face.
 */
function reportMissingGlyphs(docs: Doc[], face: BookFace, file: VFile): void {
  const text = {book: '', code: ''}
  const walk = (node: ElementContent | Root, inCode: boolean) => {
    if (node.type === 'text') text[inCode ? 'code' : 'book'] += node.value
    else if ('children' in node) for (const child of node.children) walk(child as ElementContent, inCode || (node.type === 'element' && codeTags.has(node.tagName)))
  }
  for (const doc of docs) {
    if (!doc.xhtml) walk(doc.node, false)
    text.book += doc.title + (doc.author ?? '')
  }
  const report = (characters: string, set: BookFace, what: string) => {
    const missing = missingCharacters(characters, set)
    if (missing.length === 0) return
    file.message(
      `Unexpected ${missing.map((c) => `\`${c}\` (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`).join(', ')} in the EPUB${what}, expected characters the ${face.code && set === face.code ? 'code' : 'book'} face ${set.family} has: add a substitute in templates/fonts.yaml`,
      {ruleId: 'epub-glyph-missing', source: 'reader'}
    )
  }
  report(text.book, face, '')
  report(text.code, face.code ?? face, face.code ? '’s code' : '')
}

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

export type {Root}
