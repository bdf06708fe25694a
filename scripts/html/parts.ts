/**
 * The generated parts of the book: half-title, title page, copyright page, contents, text openings
 * (title, author, headnote), sources and contributors lists, textual notes.
 */
import {h} from 'hastscript'
import {toString} from 'hast-util-to-string'
import type {Element, ElementContent, Root} from 'hast'
import type {Book, TextMeta, suppliedFields} from '../manuscript/schema.ts'
import type {TextualRecord} from '../critical/critical.ts'
import type {ProcessedPart} from '../pipeline.ts'
import {inlineMarkdown} from './inline.ts'
import {englishOrdinal, formatDate, isEnglish, labelsOf, say, sayWith, type Labels} from '../labels.ts'

type SuppliedField = (typeof suppliedFields)[number]

export function halfTitle(book: Book): Element {
  return h('section.part.front.half-title#half-title', {dataPart: 'halftitlepage'}, [h('h1.half-title-title', book.title)])
}

export function titlePage(book: Book): Element {
  return h('section.part.front.title-page#title-page', {dataPart: 'titlepage'}, [
    h('h1.book-title', book.title),
    book.subtitle ? h('p.book-subtitle', book.subtitle) : null,
    book.editor ? h('p.book-editor', say(labelsOf(book).edited_by, {editor: book.editor})) : null,
    book.publisher.imprint ? h('p.book-imprint', [book.publisher.imprint, book.publisher.place ? ` · ${book.publisher.place}` : '']) : null
  ])
}

/** `First edition` (the `edition` label), for the edition `number`. */
function editionName(book: Book, number: number): string {
  return say(labelsOf(book).edition, {ordinal: isEnglish(book.language) ? englishOrdinal(number) : String(number), number})
}

/** `First edition, 15 January 2026; printing 2`. */
export function editionStatement(book: Book): string {
  const {number, date, printing} = book.edition
  const labels = labelsOf(book)
  return `${editionName(book, number)}, ${formatDate(date, book.language)}${printing > 1 ? `; ${say(labels.printing, {printing})}` : ''}`
}

/** An earlier printing: `First edition, printing 1, 15 January 2026: note`. */
export function printingEntry(book: Book, entry: Book['edition']['history'][number]): string {
  const printing = say(labelsOf(book).printing, {printing: entry.printing})
  return `${editionName(book, entry.edition)}, ${printing}, ${formatDate(entry.date, book.language)}${entry.note ? `: ${entry.note}` : ''}`
}

/** A title in quotation marks, as the house style opens them. */
export function quoted(book: Book, title: string): string {
  return book.style.quotes === 'single-first' ? `‘${title}’` : `“${title}”`
}

export function copyrightPage(book: Book, texts: ProcessedPart[]): Element {
  const labels = labelsOf(book)
  const licensed = texts.filter((part) => (part.meta as TextMeta).licence_url)
  const history = book.edition.history
  return h('section.part.front.copyright#copyright', {dataPart: 'copyright-page'}, [
    h('h1.visually-hidden', labels.copyright),
    // The book’s title as it is cited: title and subtitle in italics.
    h('p.copyright-title', [h('i', book.subtitle ? `${book.title}: ${book.subtitle}` : book.title)]),
    h('p.edition-statement', editionStatement(book)),
    history.length > 0
      ? h('div.printing-history', [
          h('p', labels.printing_history),
          h(
            'ul',
            history.map((entry) => h('li', printingEntry(book, entry)))
          )
        ])
      : null,
    book.rights ? h('p.rights', book.rights) : null,
    ...licensed.map((part) => {
      const meta = part.meta as TextMeta
      return h('p.licence', [
        `${quoted(book, meta.title)}${meta.author ? ` ${say(labels.by, {author: meta.author})}` : ''}: ${meta.rights || labels.licensed} `,
        h('a', {href: meta.licence_url}, meta.licence_url)
      ])
    }),
    book.identifiers.isbn_print ? h('p.isbn', say(labels.isbn_print, {isbn: book.identifiers.isbn_print})) : null,
    book.identifiers.isbn_epub ? h('p.isbn', say(labels.isbn_epub, {isbn: book.identifiers.isbn_epub})) : null,
    book.publisher.imprint ? h('p.imprint', [book.publisher.imprint, book.publisher.place ? `, ${book.publisher.place}` : '']) : null
  ])
}

export interface ContentsEntry {
  id: string
  title: string
  author?: string
  sections?: Array<{id: string; title: string}>
}

/** A contents entry is a text’s (with its author) or an editorial part’s; the first of each run is marked `toc-group-start`. */
const kindOf = (entry: ContentsEntry) => (entry.author !== undefined ? ['toc-text'] : ['toc-part'])

export function contents(entries: ContentsEntry[], labels: Labels): Element {
  return h('nav.part.front.toc#contents', {role: 'doc-toc', dataPart: 'toc', ariaLabelledBy: 'contents-title'}, [
    h('h1#contents-title', labels.contents),
    h(
      'ol.toc-list',
      entries.map((entry, i) =>
        h('li', {className: [...kindOf(entry), ...(i > 0 && kindOf(entries[i - 1])[0] !== kindOf(entry)[0] ? ['toc-group-start'] : [])]}, [
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

/**
 * A value of the front matter as printed: in square brackets when the editor supplied it (`supplied:`),
 * the bibliographer’s mark for what the item itself does not state.
 */
function given(meta: TextMeta, field: SuppliedField, value: ElementContent | string): Array<ElementContent | string> {
  return meta.supplied?.fields.includes(field) ? ['[', value, ']'] : [value]
}

/** The editor’s account of what is in square brackets, or nothing. */
function suppliedNote(meta: TextMeta, labels: Labels): string {
  return meta.supplied ? say(labels.supplied_by_editor, {source: meta.supplied.source.replace(/\.?$/, '.')}) : ''
}

/** The opening of a text: title, subtitle, author and a headnote (source, date, what was omitted). */
export function textHead(meta: TextMeta, book: Book): Element {
  const labels = labelsOf(book)
  const source: ElementContent[] = []
  const published = meta.first_published
  const date = published.date ? formatDate(published.date, book.language) : ''
  if (published.in) source.push(...words(sayWith(labels.first_published_in, {in: bracketed(given(meta, 'first_published.in', h('i', published.in)))})))
  if (published.date) {
    const dated = given(meta, 'first_published.date', date).join('')
    source.push({type: 'text', value: published.in ? `, ${dated}` : say(labels.first_published_on, {date: dated})})
  }
  if (source.length > 0) source.push({type: 'text', value: '. '})
  if (published.note) source.push({type: 'text', value: `${published.note.replace(/\.?$/, '.')} `})
  if (meta.title_source === 'editor') source.push({type: 'text', value: `${labels.untitled} `})
  const omitted = [...new Set(meta.removed.filter((removal) => removal.headnote).map((removal) => removal.why.split(/\s*[(;]/)[0].replace(/,.*$/, '')))]
  if (omitted.length > 0) source.push({type: 'text', value: say(labels.omitted, {what: omitted.join('; ')})})
  if (meta.rights) source.push(...words([' ', ...given(meta, 'rights', meta.rights.replace(/\.?$/, '.'))]))
  if (meta.supplied) source.push(h('span.supplied-note', ` ${suppliedNote(meta, labels)}`))

  return h('header.text-head', [
    h('h1.text-title', meta.title),
    meta.subtitle ? h('p.text-subtitle', meta.subtitle) : null,
    h('p.text-author', meta.author ? words(given(meta, 'author', meta.author)) : labels.anonymous),
    source.length > 0 ? h('div.headnote', [h('p', source)]) : null
  ])
}

/** Mixed pieces as one element (a placeholder takes one value): a span when brackets surround it. */
function bracketed(pieces: Array<ElementContent | string>): ElementContent {
  return pieces.length === 1 && typeof pieces[0] !== 'string' ? pieces[0] : h('span', words(pieces))
}

/** The sources and permissions list, from each text’s front matter. */
export function sourcesList(texts: ProcessedPart[], book: Book): Element {
  const labels = labelsOf(book)
  return h(
    'ol.sources-list',
    texts.map((part) => {
      const meta = part.meta as TextMeta
      const published = meta.first_published
      // The text cited as a bibliography cites it: its full title, subtitle included, in quotation marks.
      return h('li', [
        h('a', {href: `#${part.id}`}, quoted(book, meta.subtitle ? `${meta.title}: ${meta.subtitle}` : meta.title)),
        meta.author ? [', ', ...words(sayWith(labels.by, {author: bracketed(given(meta, 'author', meta.author))}))] : '',
        '. ',
        published.in ? given(meta, 'first_published.in', h('i', published.in)) : labels.place_not_stated,
        published.date ? [', ', ...given(meta, 'first_published.date', formatDate(published.date, book.language))] : '',
        published.url ? [`, `, ...given(meta, 'first_published.url', h('a', {href: published.url}, published.url))] : '',
        '. ',
        meta.rights ? [...given(meta, 'rights', meta.rights.replace(/\.?$/, '.')), ' '] : `${labels.rights_not_stated} `,
        meta.licence_url ? [...given(meta, 'licence_url', h('a', {href: meta.licence_url}, meta.licence_url)), meta.supplied ? ' ' : ''] : '',
        meta.supplied ? h('span.supplied-note', suppliedNote(meta, labels)) : ''
      ])
    })
  )
}

/**
 * The contributors list, from each text’s `contributor_note`: each person’s name set as the entry’s
 * heading on a line of its own (a note usually opens with the name again: “Douglas Penick has…”),
 * the note below it.
 */
export function contributorsList(texts: ProcessedPart[]): Element {
  const seen = new Set<string>()
  const items: Element[] = []
  for (const part of texts) {
    const meta = part.meta as TextMeta
    if (!meta.author || !meta.contributor_note || seen.has(meta.author)) continue
    seen.add(meta.author)
    items.push(h('li.contributor', [h('p.contributor-name', meta.author), h('p.contributor-note', inlineMarkdown(meta.contributor_note))]))
  }
  return h('ul.contributors-list', items)
}

/** A text’s title as listed with the others: with its subtitle where another text has the same title. */
export function listedTitle(meta: TextMeta, all: TextMeta[]): string {
  const twins = all.filter((other) => other.title === meta.title).length > 1
  return twins && meta.subtitle ? `${meta.title}: ${meta.subtitle}` : meta.title
}

/** The textual notes: every correction, deletion, supplied reading and sic, text by text. */
export function textualNotes(texts: ProcessedPart[], labels: Labels): Element {
  const groups = texts
    .map((part) => ({part, records: (part.loaded.file.data.textual || []) as TextualRecord[]}))
    .filter((group) => group.records.length > 0)
  return h('section.part.back.textual-notes#textual-notes', {dataPart: 'appendix'}, [
    h('h1', labels.textual_notes),
    h('p.textual-notes-intro', `${labels.textual_notes_intro} `),
    ...groups.map(({part, records}) =>
      h('section.tn-text', [
        h('h2', listedTitle(part.meta as TextMeta, texts.map((text) => text.meta as TextMeta))),
        h(
          'ol.tn-list',
          records.map((record) =>
            h('li.tn', {id: `${record.id}-note`}, [
              h('a.tn-ref', {href: `#${record.id}`}, record.kind === 'del' ? [h('i', labels.omission)] : lemma(record)),
              '] ',
              reading(record, labels),
              record.reason || record.source ? h('span.tn-reason', ` (${why(record, labels)})`) : null
            ])
          )
        )
      ])
    )
  ])
}

/** The reason for a reading, and where the editor’s knowledge comes from: `reason. Source: …`. */
function why(record: TextualRecord, labels: Labels): string {
  const source = record.source ? say(labels.source, {source: record.source}) : ''
  return [record.reason, source]
    .filter(Boolean)
    .map((sentence) => sentence.replace(/\.$/, ''))
    .join('. ')
}

function lemma(record: TextualRecord): string {
  if (record.kind === 'supplied') return `[${record.reading}]`
  return record.reading || '〈nothing〉'
}

function reading(record: TextualRecord, labels: Labels): ElementContent[] {
  switch (record.kind) {
    case 'corr':
      return record.was ? [{type: 'text', value: `${record.was} `}, h('i', labels.copy_text)] : [h('i', labels.not_in_copy_text)]
    case 'del':
      return [{type: 'text', value: `${record.was} `}, h('i', labels.copy_text)]
    case 'supplied':
      return [h('i', labels.supplied)]
    case 'sic':
      return [h('i', 'sic'), {type: 'text', value: ` ${labels.sic_kept}`}]
  }
}

/** Mixed content from `sayWith`: its strings as text nodes. */
function words(pieces: Array<ElementContent | string>): ElementContent[] {
  return pieces.map((piece) => (typeof piece === 'string' ? {type: 'text', value: piece} : piece))
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
