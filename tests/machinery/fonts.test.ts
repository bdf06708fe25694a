/**
 * A font that fails to load is an error, not a silent fallback to another face: after Paged.js,
 * every @font-face of the print CSS must have loaded.
 */
import {copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {paginate} from '../../scripts/print/paginate.ts'
import {ReaderError} from '../../scripts/errors.ts'
import {bookFace} from '../../scripts/fonts.ts'

const face = bookFace()
const regular = face.files.find((f) => f.style === 'normal' && f.weight === 400)!
const italic = face.files.find((f) => f.style === 'italic' && f.weight === 400)!
const fontDir = path.dirname(regular.path)
const dirs: string[] = []
afterAll(() => dirs.forEach((d) => rmSync(d, {recursive: true, force: true})))

async function render(fonts: Array<[file: string, style: string]>, copy: string[], garbage: string[] = []) {
  const dir = mkdtempSync(path.join(tmpdir(), 'reader-fonts-'))
  dirs.push(dir)
  mkdirSync(path.join(dir, 'fonts'))
  for (const file of copy) copyFileSync(path.join(fontDir, file), path.join(dir, 'fonts', file))
  for (const file of garbage) writeFileSync(path.join(dir, 'fonts', file), 'not a font at all')
  const faces = fonts.map(([file, style]) => `@font-face { font-family: '${face.family}'; font-style: ${style}; font-weight: 400; src: url(fonts/${file}) format('woff2'); }`)
  writeFileSync(
    path.join(dir, 'index.html'),
    `<!doctype html><html lang="en"><head><style>${faces.join('\n')} @page { size: 6in 9in } body { font-family: '${face.family}', serif }</style></head><body><p>Roman <i>italic</i></p></body></html>`
  )
  return paginate({htmlPath: path.join(dir, 'index.html'), printDir: dir, ids: [], decide: () => ({pages: [], pageNumbers: {}, pageLines: {}, indexRefs: {}}), timeoutMs: 60_000})
}

describe('fonts in the print', () => {
  it('renders when every font loads', async () => {
    const result = await render([[regular.name, 'normal'], [italic.name, 'italic']], [regular.name, italic.name])
    expect(result.pdf.length).toBeGreaterThan(1000)
  }, 60_000)

  it('stops on a font file that is missing, naming the face', async () => {
    const error = await render([[regular.name, 'normal'], [italic.name, 'italic']], [regular.name]).catch((e) => e)
    expect(error).toBeInstanceOf(ReaderError)
    expect(String(error)).toBe(
      `Unexpected font that failed to load: ${face.family} italic 400, expected every @font-face of the print CSS to load from the print folder [font-load]`
    )
  }, 60_000)

  it('stops on a font file that is not a font', async () => {
    const error = await render([['broken.woff2', 'normal']], [], ['broken.woff2']).catch((e) => e)
    expect(String(error)).toMatch(new RegExp(`^Unexpected font that failed to load: ${face.family} normal 400, .* \\[font-load\\]$`))
  }, 60_000)
})
