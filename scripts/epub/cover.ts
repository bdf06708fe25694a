/**
 * The e-book cover: an HTML page drawn by Chromium into a PNG, with the book face alone.
 *
 * The page gets the face as `data:` URLs and Chromium gets no system font at all: it starts with a
 * fontconfig file of its own that lists no font folder and fixes the rendering settings (hinting,
 * anti-aliasing), so the PNG is the same on any machine with the same Chromium. After drawing, every
 * face of the page must have loaded and every text must have been set in the book face (Chromium
 * says which fonts it used for each element); else the build stops (`font-load`), as the print does.
 *
 * `coverPage()` is the front panel of the print cover (templates/cover/cover.html, scripts/cover/);
 * `drawCover()` draws any such page.
 */
import {createHash} from 'node:crypto'
import {copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {mkdir, readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import type {CDPSession} from 'puppeteer-core'
import {launchBrowser, offlineArgs} from '../browser.ts'
import {codeVersion, sha256, type Cache} from '../cache.ts'
import {ReaderError} from '../errors.ts'
import {scratchDir} from '../scratch.ts'
import {bookFace, fontFaceCss, missingCharacters, type BookFace} from '../fonts.ts'
import {labelsOf, say} from '../labels.ts'
import type {BookModel} from '../model.ts'
import {templatesDir as designDir} from '../templates.ts'

/** The cover’s size in CSS pixels (the PNG’s, at one device pixel per CSS pixel). */
export const coverSize = {width: 1600, height: 2400}

const coverStage = 'epub-cover'

/** The texts’ authors, each once, in the order of the book. */
export function authorsOf(model: BookModel): string[] {
  return [...new Set(model.texts.map((t) => t.meta.author.trim()).filter(Boolean))]
}

/** What the cover says, for its text alternative. */
export function coverText(model: BookModel): string {
  const {book} = model
  const labels = labelsOf(book)
  const authors = authorsOf(model)
  return [
    `${labels.cover}: ${book.title}${book.subtitle ? ' — ' + book.subtitle : ''}`,
    book.editor.trim() ? say(labels.edited_by, {editor: book.editor.trim()}) : '',
    authors.length ? say(labels.texts_by, {authors: authors.join(', ')}) : ''
  ]
    .filter(Boolean)
    .join('. ')
}

/**
 * `@font-face` rules for the face with its files inline (`data:` URLs: the cover’s page reads no
 * file), and the CSS with `var(--book-face)` written out as the family name.
 */
export function inlineFace(css: string, face: BookFace): string {
  const embedded = face.files.map((file) => ({...file, name: `data:font/woff2;base64,${readFileSync(file.path).toString('base64')}`}))
  return `${fontFaceCss({...face, files: embedded}, '')}\n${css.replaceAll('var(--book-face)', `'${face.family}'`)}`
}

/**
 * The cover page of `model`: the front panel of the print cover (templates/cover/cover.html, drawn
 * by scripts/cover/cover.ts), so the e-book and the printed book have one cover.
 */
export async function coverPage(model: BookModel, face: BookFace = bookFace()): Promise<string> {
  const {frontPanelPage} = await import('../cover/cover.ts')
  return frontPanelPage(model, face)
}

/**
 * A fontconfig file that gives Chromium no font but the book face’s TrueType files (with none at
 * all it loads no web font either) and fixed rendering settings: what it draws then depends on the
 * page and the face only, not on what the machine has installed or how it is set up.
 */
function faceOnlyFontconfig(dir: string, face: BookFace): string {
  const file = path.join(dir, 'fonts.conf')
  mkdirSync(path.join(dir, 'fonts'))
  for (const font of face.files) if (font.truetype) copyFileSync(font.truetype.path, path.join(dir, 'fonts', font.truetype.name))
  writeFileSync(
    file,
    `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <dir>${path.join(dir, 'fonts')}</dir>
  <cachedir>${path.join(dir, 'cache')}</cachedir>
  <match target="font">
    <edit name="antialias" mode="assign"><bool>true</bool></edit>
    <edit name="hinting" mode="assign"><bool>false</bool></edit>
    <edit name="hintstyle" mode="assign"><const>hintnone</const></edit>
    <edit name="rgba" mode="assign"><const>none</const></edit>
    <edit name="lcdfilter" mode="assign"><const>lcdnone</const></edit>
    <edit name="embeddedbitmap" mode="assign"><bool>false</bool></edit>
  </match>
</fontconfig>
`
  )
  return file
}

/**
 * The fonts Chromium used for the text of the page, by PostScript name (“(a system font)” after
 * one that is not a web font of the page), with the number of glyphs set in each (DevTools’
 * CSS.getPlatformFontsForNode, element by element).
 */
async function fontsUsed(client: CDPSession): Promise<Map<string, number>> {
  await client.send('DOM.enable')
  await client.send('CSS.enable')
  const {root} = await client.send('DOM.getDocument', {depth: -1})
  const used = new Map<string, number>()
  type DomNode = {nodeId: number; nodeType: number; children?: DomNode[]}
  const elements: number[] = []
  const walk = (node: DomNode) => {
    if (node.nodeType === 1 && node.children?.some((c) => c.nodeType === 3)) elements.push(node.nodeId)
    for (const child of node.children ?? []) walk(child)
  }
  walk(root as DomNode)
  for (const nodeId of elements) {
    const {fonts} = await client.send('CSS.getPlatformFontsForNode', {nodeId})
    for (const font of fonts) {
      const name = `${font.postScriptName || font.familyName}${font.isCustomFont ? '' : ' (a system font)'}`
      used.set(name, (used.get(name) ?? 0) + font.glyphCount)
    }
  }
  return used
}

/**
 * Draw `html` into a PNG of `coverSize` at `png`, offline and with no system font. Every `@font-face`
 * must load and every glyph must come from `face`: else a ReaderError (`font-load`) naming what failed.
 */
export async function drawCover(html: string, png: string, face: BookFace = bookFace()): Promise<void> {
  const home = scratchDir('cover')
  const launched = await launchBrowser({
    extraArgs: [...offlineArgs, '--font-render-hinting=none', '--disable-font-subpixel-positioning', '--disable-lcd-text'],
    // (A face with no TrueType files: the machine’s fonts stay, and the check below catches any used.)
    env: face.files.some((file) => file.truetype)
      ? {...process.env, FONTCONFIG_FILE: faceOnlyFontconfig(home, face), FONTCONFIG_PATH: home, XDG_CONFIG_HOME: home, XDG_DATA_HOME: home, XDG_CACHE_HOME: home}
      : undefined
  })
  try {
    const page = await launched.browser.newPage()
    await page.setViewport({...coverSize, deviceScaleFactor: 1})
    await page.setContent(html, {waitUntil: 'load', timeout: 60_000})
    const failed = (await page.evaluate(
      `document.fonts.ready.then(() => [...document.fonts].filter((f) => f.status === 'error').map((f) => f.family + ' ' + f.weight + ' ' + f.style))`
    )) as string[]
    if (failed.length > 0) {
      throw new ReaderError(`Unexpected cover font that failed to load: ${[...new Set(failed)].join(', ')}, expected every @font-face of the cover to load`, {ruleId: 'font-load'})
    }
    const text = (await page.evaluate('document.body.innerText')) as string
    const missing = missingCharacters(text, face)
    if (missing.length > 0) {
      throw new ReaderError(`Unexpected ${missing.map((c) => `\`${c}\` (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`).join(', ')} on the cover, expected characters the book face ${face.family} has`, {ruleId: 'font-load'})
    }
    const used = await fontsUsed(await page.createCDPSession())
    const others = [...used].filter(([name]) => !name.startsWith(face.pdfName) || name.endsWith(' (a system font)'))
    if (others.length > 0) {
      throw new ReaderError(
        `Unexpected font on the cover: ${others.map(([name, glyphs]) => `${name}, ${glyphs} glyphs`).join(', ')}, expected only the book face ${face.family} (a character it lacks, or a family it does not name)`,
        {ruleId: 'font-load'}
      )
    }
    const data = await page.screenshot({type: 'png', clip: {x: 0, y: 0, ...coverSize}})
    await writeFile(png, data)
  } finally {
    await launched.close()
    rmSync(home, {recursive: true, force: true})
  }
}

/**
 * The cover of `model` as `<slug>-epub-cover.png` in `buildDir`, drawn again only when its page
 * changes: the PNG is kept beside the hash of its page, and the cache remembers that hash by the
 * page’s inputs (template, book, font files), so an unchanged cover is found without making the page.
 */
export async function renderCover(model: BookModel, buildDir: string, options: {cache?: Cache; face?: BookFace} = {}): Promise<string> {
  const {book} = model
  const {cache, face = bookFace()} = options
  await mkdir(buildDir, {recursive: true})
  const png = path.join(buildDir, `${book.slug}-epub-cover.png`)
  const keyFile = png.replace(/\.png$/, '.sha256')
  const kept = () => (existsSync(png) && existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : undefined)
  const inputs = cache
    ? sha256(
        codeVersion(),
        await readFile(path.join(designDir(), 'cover', 'cover.html'), 'utf8'),
        JSON.stringify({book, authors: authorsOf(model)}),
        JSON.stringify(face),
        ...face.files.map((file) => readFileSync(file.path))
      )
    : undefined
  const known = cache && inputs ? cache.get<unknown>(coverStage, inputs) : undefined
  if (typeof known === 'string' && kept() === known) return png

  const html = await coverPage(model, face)
  const key = createHash('sha256').update(html).digest('hex')
  if (cache && inputs) cache.put(coverStage, inputs, key)
  if (kept() === key) return png
  await drawCover(html, png, face)
  await writeFile(keyFile, key + '\n')
  return png
}
