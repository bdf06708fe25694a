/**
 * Two builds of the same manuscript are byte-identical: PDF (Paged.js’s random destinations gone,
 * dates from the edition) and EPUB (fixed identifier, dates and zip entries), with the same build id
 * inside each. The cache is off, so both builds do all the work.
 */
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, expect, it} from 'vitest'
import {PDFDocument} from 'pdf-lib'
import {build} from '../../scripts/build.ts'
import {stabilisePdf} from '../../scripts/editions/reproducible.ts'
import {buildIds} from '../../scripts/output.ts'
import {manuscriptDir} from '../helpers.ts'

const work = mkdtempSync(path.join(tmpdir(), 'reader-repro-'))
afterAll(() => rmSync(work, {recursive: true, force: true}))

it('builds byte-identical PDF and EPUB twice', async () => {
  for (const name of ['one', 'two']) {
    const result = await build({manuscript: manuscriptDir, out: path.join(work, name), skipValidation: true, cache: false})
    expect(result.ok).toBe(true)
  }
  for (const ext of ['pdf', 'epub', 'html', 'pages.json', 'build.json']) {
    const a = readFileSync(path.join(work, 'one', `victor-serge-reader.${ext}`))
    const b = readFileSync(path.join(work, 'two', `victor-serge-reader.${ext}`))
    expect(a.equals(b), `${ext} differs`).toBe(true)
  }
  const pdf = readFileSync(path.join(work, 'one', 'victor-serge-reader.pdf'))
  const doc = await PDFDocument.load(pdf, {updateMetadata: false})
  expect(doc.getCreationDate()?.toISOString()).toBe('2026-11-23T00:00:00.000Z')
  // Stable already: a second pass changes nothing.
  expect(await stabilisePdf(pdf)).toBe(pdf)
  // The build id, made from the inputs (so the same in both builds), is inside every output.
  const folder = path.join(work, 'one')
  const {build: id} = JSON.parse(readFileSync(path.join(folder, 'victor-serge-reader.build.json'), 'utf8')) as {build: string}
  expect(await buildIds(folder, 'victor-serge-reader')).toEqual({
    'victor-serge-reader.pages.json': id,
    'print/index.html': id,
    'victor-serge-reader.pdf': id,
    'victor-serge-reader.epub': id
  })
})
