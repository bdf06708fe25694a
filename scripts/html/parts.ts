/**
 * The generated parts of the book: half-title, title page, copyright page, contents, text openings
 * (title, author, headnote), sources and contributors lists, textual notes.
 */
import {h} from 'hastscript'
import {toString} from 'hast-util-to-string'
import type {Element, ElementContent, Root} from 'hast'
import type {Book, TextMeta} from '../manuscript/schema.ts'
import type {TextualRecord} from '../critical/critical.ts'
import type {ProcessedPart} from '../pipeline.ts'
import {inlineMarkdown} from './inline.ts'

export function halfTitle(book: Book): Element {
  return h('section.part.front.half-title#half-title', {dataPart: 'halftitlepage'}, [h('h1.half-title-title', book.title)])
}

export function titlePage(book: Book): Element {
  return h('section.part.front.title-page#title-page', {dataPart: 'titlepage'}, [
    h('h1.book-title', book.title),
    book.subtitle ? h('p.book-subtitle', book.subtitle) : null,
    book.editor ? h('p.book-editor', `Edited by ${book.editor}`) : null,
    book.publisher.imprint ? h('p.book-imprint', [book.publisher.imprint, book.publisher.place ? ` · ${book.publisher.place}` : '']) : null
  ])
}

const ordinals = ['First', 'Second', 'Third', 'Fourth', 'Fifth', 'Sixth', 'Seventh', 'Eighth', 'Ninth', 'Tenth']

export function editionStatement(book: Book): string {
  const {number, date, printing} = book.edition
  const edition = `${ordinals[number - 1] || `Edition ${number},`}${number <= ordinals.length ? ' edition' : ''}`
  return `${edition}, ${formatDate(date)}${printing > 1 ? `; printing ${printing}` : ''}`
}

export function formatDate(iso: string): string {
  const match = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(iso)
  if (!match) return iso
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
  const [, year, month, day] = match
  if (!month) return year
  return `${day ? `${Number(day)} ` : ''}${months[Number(month) - 1]} ${year}`
}

export function copyrightPage(book: Book, texts: ProcessedPart[]): Element {
  const licensed = texts.filter((part) => (part.meta as TextMeta).licence_url)
  const history = book.edition.history
  return h('section.part.front.copyright#copyright', {dataPart: 'copyright-page'}, [
    h('h1.visually-hidden', 'Copyright'),
    h('p.copyright-title', [h('i', book.title), book.subtitle ? `: ${book.subtitle}` : '']),
    h('p.edition-statement', editionStatement(book)),
    history.length > 0
      ? h('div.printing-history', [
          h('p', 'Printing history:'),
          h(
            'ul',
            history.map((entry) =>
              h('li', `${ordinals[entry.edition - 1] || entry.edition} edition, printing ${entry.printing}, ${formatDate(entry.date)}${entry.note ? `: ${entry.note}` : ''}`)
            )
          )
        ])
      : null,
    book.rights ? h('p.rights', book.rights) : null,
    ...licensed.map((part) => {
      const meta = part.meta as TextMeta
      return h('p.licence', [
        `“${meta.title}”${meta.author ? ` by ${meta.author}` : ''}: ${meta.rights || 'licensed'} `,
        h('a', {href: meta.licence_url}, meta.licence_url)
      ])
    }),
    book.identifiers.isbn_print ? h('p.isbn', `ISBN ${book.identifiers.isbn_print} (print)`) : null,
    book.identifiers.isbn_epub ? h('p.isbn', `ISBN ${book.identifiers.isbn_epub} (EPUB)`) : null,
    book.publisher.imprint ? h('p.imprint', [book.publisher.imprint, book.publisher.place ? `, ${book.publisher.place}` : '']) : null
  ])
}

export interface ContentsEntry {
  id: string
  title: string
  author?: string
  sections?: Array<{id: string; title: string}>
}

export function contents(entries: ContentsEntry[]): Element {
  return h('nav.part.front.toc#contents', {role: 'doc-toc', dataPart: 'toc', ariaLabelledBy: 'contents-title'}, [
    h('h1#contents-title', 'Contents'),
    h(
      'ol.toc-list',
      entries.map((entry) =>
        h('li', {className: entry.author !== undefined ? ['toc-text'] : ['toc-part']}, [
          h('a', {href: `#${entry.id}`}, entry.title),
          entry.author ? h('span.toc-author', entry.author) : null,
          entry.sections && entry.sections.length > 0
            ? h(
                'ol.toc-sections',
                entry.sections.map((section) => h('li', [h('a', {href: `#${section.id}`}, section.title)]))
              )
            : null
        ])
      )
    )
  ])
}

/** The opening of a text: title, subtitle, author and a headnote (source, date, what was omitted). */
export function textHead(meta: TextMeta): Element {
  const source: ElementContent[] = []
  const published = meta.first_published
  if (published.in) source.push({type: 'text', value: 'First published in '}, h('i', published.in))
  if (published.date) source.push({type: 'text', value: `${published.in ? ', ' : 'First published '}${formatDate(published.date)}`})
  if (source.length > 0) source.push({type: 'text', value: '. '})
  if (published.note) source.push({type: 'text', value: `${published.note.replace(/\.?$/, '.')} `})
  if (meta.title_source === 'editor') source.push({type: 'text', value: 'The copy-text has no title; the title is the editor’s. '})
  const omitted = [...new Set(meta.removed.map((removal) => removal.why.split(/\s*[(;]/)[0].replace(/,.*$/, '')))]
  if (omitted.length > 0) source.push({type: 'text', value: `Omitted from the copy-text: ${omitted.join('; ')}.`})
  if (meta.rights) source.push({type: 'text', value: ` ${meta.rights.replace(/\.?$/, '.')}`})

  return h('header.text-head', [
    h('h1.text-title', meta.title),
    meta.subtitle ? h('p.text-subtitle', meta.subtitle) : null,
    h('p.text-author', meta.author || 'Anonymous'),
    source.length > 0 ? h('div.headnote', [h('p', source)]) : null
  ])
}

/** The sources and permissions list, from each text’s front matter. */
export function sourcesList(texts: ProcessedPart[]): Element {
  return h(
    'ol.sources-list',
    texts.map((part) => {
      const meta = part.meta as TextMeta
      const published = meta.first_published
      return h('li', [
        h('a', {href: `#${part.id}`}, meta.title),
        meta.author ? `, by ${meta.author}` : '',
        '. ',
        published.in ? h('i', published.in) : 'Place of first publication not stated in the copy-text',
        published.date ? `, ${formatDate(published.date)}` : '',
        published.url ? [`, `, h('a', {href: published.url}, published.url)] : '',
        '. ',
        meta.rights ? `${meta.rights.replace(/\.?$/, '.')} ` : 'Rights not stated in the copy-text. ',
        meta.licence_url ? h('a', {href: meta.licence_url}, meta.licence_url) : ''
      ])
    })
  )
}

/** The contributors list, from each text’s `contributor_note`. */
export function contributorsList(texts: ProcessedPart[]): Element {
  const seen = new Set<string>()
  const items: Element[] = []
  for (const part of texts) {
    const meta = part.meta as TextMeta
    if (!meta.author || !meta.contributor_note || seen.has(meta.author)) continue
    seen.add(meta.author)
    items.push(h('li', [h('span.contributor-name', meta.author), ' ', ...inlineMarkdown(meta.contributor_note)]))
  }
  return h('ul.contributors-list', items)
}

/** A text’s title as listed with the others: with its subtitle where another text has the same title. */
export function listedTitle(meta: TextMeta, all: TextMeta[]): string {
  const twins = all.filter((other) => other.title === meta.title).length > 1
  return twins && meta.subtitle ? `${meta.title}: ${meta.subtitle}` : meta.title
}

/** The textual notes: every correction, deletion, supplied reading and sic, text by text. */
export function textualNotes(texts: ProcessedPart[]): Element {
  const groups = texts
    .map((part) => ({part, records: (part.loaded.file.data.textual || []) as TextualRecord[]}))
    .filter((group) => group.records.length > 0)
  return h('section.part.back.textual-notes#textual-notes', {dataPart: 'appendix'}, [
    h('h1', 'Textual Notes'),
    h(
      'p.textual-notes-intro',
      'Each entry gives the place in this edition (page and line in print, or page and note for a reading in a footnote; a link in the e-book), the edition’s reading, a closing bracket, and the reading of the copy-text. '
    ),
    ...groups.map(({part, records}) =>
      h('section.tn-text', [
        h('h2', listedTitle(part.meta as TextMeta, texts.map((text) => text.meta as TextMeta))),
        h(
          'ol.tn-list',
          records.map((record) =>
            h('li.tn', {id: `${record.id}-note`}, [
              h('a.tn-ref', {href: `#${record.id}`}, record.kind === 'del' ? [h('i', 'om.')] : lemma(record)),
              '] ',
              reading(record),
              record.reason ? h('span.tn-reason', ` (${record.reason})`) : null
            ])
          )
        )
      ])
    )
  ])
}

function lemma(record: TextualRecord): string {
  if (record.kind === 'supplied') return `[${record.reading}]`
  return record.reading || '〈nothing〉'
}

function reading(record: TextualRecord): ElementContent[] {
  switch (record.kind) {
    case 'corr':
      return record.was ? [{type: 'text', value: `${record.was} `}, h('i', 'copy-text')] : [h('i', 'not in copy-text')]
    case 'del':
      return [{type: 'text', value: `${record.was} `}, h('i', 'copy-text')]
    case 'supplied':
      return [h('i', 'not in copy-text; supplied by the editor')]
    case 'sic':
      return [h('i', 'sic'), {type: 'text', value: ' copy-text, kept'}]
  }
}

/** The sections (h2) of a part, for the contents and the EPUB navigation. */
export function sectionsOf(tree: Root): Array<{id: string; title: string}> {
  const sections: Array<{id: string; title: string}> = []
  for (const node of tree.children) {
    if (node.type === 'element' && node.tagName === 'h2' && typeof node.properties.id === 'string') {
      sections.push({id: node.properties.id, title: textOf(node)})
    }
  }
  return sections
}

/** The text of a node, as the reader sees it. */
export const textOf = toString
