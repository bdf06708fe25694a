/** A small book for the EPUB tests: tests/fixtures/epub/reader.html and the model that goes with it. */
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {fromHtml} from 'hast-util-from-html'
import type {Root} from 'hast'
import {withoutPositions} from '../../scripts/epub/tree.ts'
import {bookSchema, textSchema} from '../../scripts/manuscript/schema.ts'
import type {BookModel, Pagination} from '../../scripts/model.ts'

export const fixtureDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'epub')
export const fixtureHtml = readFileSync(path.join(fixtureDir, 'reader.html'), 'utf8')

export function fixtureModel(overrides: Record<string, unknown> = {}): BookModel {
  const book = bookSchema.parse({
    slug: 'epub-fixture',
    title: 'Victor Serge',
    subtitle: 'A Critical Reader',
    language: 'en',
    editor: '',
    edition: {number: 1, date: '2026-11-23'},
    rights: 'Editorial matter and this arrangement © the editor, 2026.',
    texts: ['texts/lena.md', 'texts/encyclopedia.md'],
    ...overrides
  })
  const text = (file: string, meta: Record<string, unknown>) => ({
    id: 't-' + path.basename(file, '.md'),
    file,
    meta: textSchema.parse({kind: 'article', copytext: path.basename(file, '.md') + '.txt', ...meta})
  })
  return {
    book,
    manuscriptDir: fixtureDir,
    texts: [
      text('texts/lena.md', {title: 'Remembering Victor Serge', short_title: 'Remembering Serge', author: 'Theodor Lena'}),
      text('texts/encyclopedia.md', {
        title: 'Victor Serge',
        short_title: 'Encyclopedia',
        rights: 'Text from a wiki encyclopedia, licensed under CC BY-SA 4.0',
        licence_url: 'https://creativecommons.org/licenses/by-sa/4.0/'
      })
    ],
    editorial: []
  }
}

/** A made-up pagination of the fixture: each page begins in a block at a character offset. */
export const fixturePagination: Pagination = {
  pages: 9,
  starts: [
    {index: 0, label: '', block: 1, offset: 0},
    {index: 1, label: 'iii', block: 2, offset: 0},
    {index: 2, label: 'iv', block: 4, offset: 0},
    {index: 3, label: 'v', block: 5, offset: 0},
    {index: 4, label: '1', block: 8, offset: 0},
    // In the middle of block 14, after the soft hyphen in “revo­lutionary” (not counted).
    {index: 5, label: '2', block: 14, offset: 60},
    {index: 6, label: '3', block: 16, offset: 17},
    {index: 7, label: '4', block: null, offset: 0},
    {index: 8, label: '5', block: 21, offset: 10}
  ],
  idPages: {'ix-trotsky-1': '2', 'ix-trotsky-2': '3', 'ix-trotsky-3': '5'}
}

/** An (X)HTML file of the EPUB, or the reader HTML, as hast without positions. */
export function parseHtml(html: string): Root {
  return withoutPositions(fromHtml(html))
}
