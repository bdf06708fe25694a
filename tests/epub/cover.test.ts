/**
 * The e-book cover is drawn with the book face alone, the same on any machine: Chromium gets no
 * system font, every face must load, every glyph must come from the face.
 */
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {coverPage, drawCover, renderCover} from '../../scripts/epub/cover.ts'
import {bookFace} from '../../scripts/fonts.ts'
import {fixtureModel} from './fixture.ts'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'reader-cover-test-'))
})
afterAll(() => rmSync(dir, {recursive: true, force: true}))

describe('the e-book cover', () => {
  it('is drawn in the book face only, byte-identical from one drawing to the next', async () => {
    const model = fixtureModel()
    const png = await renderCover(model, path.join(dir, 'a'))
    const again = path.join(dir, 'again.png')
    await drawCover(await coverPage(model), again)
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG')
    expect(readFileSync(again).equals(readFileSync(png))).toBe(true)
    // The page asks for the face by name (the template’s `var(--book-face)` written out), nothing else.
    const html = await coverPage(model)
    expect(html).not.toContain('var(--book-face)')
    expect(html).toContain(`font-family: '${bookFace().family}';`)
  }, 60_000)

  it('stops on a family that is not the book face (a system font)', async () => {
    const html = (await coverPage(fixtureModel())).replace('<h1>', '<h1 style="font-family: serif">')
    await expect(drawCover(html, path.join(dir, 'serif.png'))).rejects.toThrow(/Unexpected font on the cover: .*\(a system font\)/)
  }, 60_000)

  it('stops on a character the face lacks', async () => {
    const html = await coverPage(fixtureModel({title: 'Serge ‖ Trotsky'}))
    await expect(drawCover(html, path.join(dir, 'glyph.png'))).rejects.toThrow(/`‖` \(U\+2016\) on the cover/)
  }, 60_000)

  it('stops on a face that does not load', async () => {
    const html = (await coverPage(fixtureModel())).replace(/url\(data:font\/woff2;base64,[^)]*\)/, 'url(data:font/woff2;base64,AAAA)')
    await expect(drawCover(html, path.join(dir, 'broken.png'))).rejects.toThrow(/cover font that failed to load: Source Serif 4/)
  }, 60_000)
})
