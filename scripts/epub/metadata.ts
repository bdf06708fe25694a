/**
 * Package metadata: identifier, people, rights, dates, print source and EPUB Accessibility 1.1.
 * Nothing here is invented: a field the book does not give is left out.
 */
import {editionStatement, printingEntry, quoted} from '../html/parts.ts'
import {isEnglish, labelsOf, say} from '../labels.ts'
import {createHash} from 'node:crypto'
import type {BookModel} from '../model.ts'

export interface Person {
  element: 'creator' | 'contributor'
  name: string
  /** The name as it sorts: `Lena, Theodor`. */
  fileAs: string
  /** MARC relator code. */
  role: 'aut' | 'edt'
}

export interface PackageMetadata {
  identifier: string
  isbn: boolean
  title: string
  subtitle: string
  creators: Person[]
  publisher: string
  description: string
  date: string
  /** The edition statement, with the printing history: “First edition, 23 November 2026”. */
  edition: string
  modified: string
  rights: string[]
  source: string
  pageBreakSource: boolean
  accessibility: Array<{property: string; value: string; lang?: string}>
}

/** RFC 4122 name-based UUID (version 5, SHA-1). */
export function uuidV5(name: string, namespace = '6ba7b811-9dad-11d1-80b4-00c04fd430c8'): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex')
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest()
  hash[6] = (hash[6] & 0x0f) | 0x50
  hash[8] = (hash[8] & 0x3f) | 0x80
  const hex = hash.subarray(0, 16).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}

const cleanIsbn = (isbn: string) => isbn.replace(/[^0-9Xx]/g, '').toUpperCase()

/** `urn:isbn:…` from `identifiers.isbn_epub`, else a UUID v5 of slug, title and edition number (stable across builds). */
export function bookIdentifier(model: BookModel): {identifier: string; isbn: boolean} {
  const {book} = model
  if (book.identifiers.isbn_epub.trim()) return {identifier: 'urn:isbn:' + cleanIsbn(book.identifiers.isbn_epub), isbn: true}
  // The URL namespace with a reader: URL keeps the name space ours.
  const name = `reader:${book.slug}/${book.title}/edition-${book.edition.number}`
  return {identifier: 'urn:uuid:' + uuidV5(name), isbn: false}
}

/**
 * `dcterms:modified`, which with the identifier names this release of the book: SOURCE_DATE_EPOCH
 * when set; else the date of the edition’s current printing, at a time of day taken from the hash
 * of the book’s content (`content`: the reader HTML), so that a correction within one printing
 * gives a new release and the same manuscript always the same one.
 */
export function modifiedDate(model: BookModel, env: NodeJS.ProcessEnv = process.env, content = ''): string {
  const epoch = env.SOURCE_DATE_EPOCH
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
  const {book} = model
  const seconds = createHash('sha256').update(JSON.stringify([book.edition, content])).digest().readUInt32BE(0) % 86_400
  return new Date(Date.parse(`${book.edition.date}T00:00:00Z`) + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** The book’s rights statement, then one line per text that states its own rights. */
function rightsLines(model: BookModel): string[] {
  const lines: string[] = []
  const labels = labelsOf(model.book)
  const book = model.book.rights.replace(/\s+/g, ' ').trim()
  if (book) lines.push(book)
  for (const text of model.texts) {
    const rights = text.meta.rights.replace(/\s+/g, ' ').trim()
    if (!rights) continue
    const who = text.meta.author ? ` ${say(labels.by, {author: text.meta.author})}` : ''
    const licence = text.meta.licence_url && !rights.includes(text.meta.licence_url) ? ` (${text.meta.licence_url})` : ''
    lines.push(`${quoted(model.book, text.meta.title)}${who}: ${rights}${licence}`)
  }
  return lines
}

/**
 * How a name sorts: book.yaml’s `file_as` when it gives the name, else “Last, First” for a name
 * of capitalised words (`Lena, Theodor`), else the name as written (`Wikipedia contributors`).
 */
function fileAs(model: BookModel, name: string): string {
  const given = model.book.file_as[name]
  if (given?.trim()) return given.trim()
  const words = name.trim().split(/\s+/)
  if (words.length < 2 || !words.every((w) => /^\p{Lu}/u.test(w))) return name.trim()
  return `${words.at(-1)}, ${words.slice(0, -1).join(' ')}`
}

/**
 * The book’s people, for `dc:creator` and `dc:contributor`. A book whose texts are all by one author
 * is that author’s (creator, aut; an editor is a contributor); a collection is its editor’s (creator,
 * edt), the texts’ authors contributors — or, when the book names no editor, the authors are its
 * creators, so that reading systems and retailers show who wrote it rather than “Unknown”.
 */
export function people(model: BookModel): Person[] {
  const editor = model.book.editor.trim()
  const authors = [...new Set(model.texts.map((text) => text.meta.author.trim()).filter(Boolean))]
  const single = authors.length === 1 && model.texts.every((text) => text.meta.author.trim() === authors[0])
  const person = (element: Person['element'], name: string, role: Person['role']): Person => ({element, name, fileAs: fileAs(model, name), role})
  if (single) return [person('creator', authors[0], 'aut'), ...(editor ? [person('contributor', editor, 'edt')] : [])]
  if (editor) return [person('creator', editor, 'edt'), ...authors.map((name) => person('contributor', name, 'aut'))]
  return authors.map((name) => person('creator', name, 'aut'))
}

export function packageMetadata(
  model: BookModel,
  options: {hasPageList: boolean; images: number; imagesWithAlt: number; env?: NodeJS.ProcessEnv; content?: string; languagesMarked?: boolean}
): PackageMetadata {
  const {book} = model
  const id = bookIdentifier(model)
  const fullTitle = book.subtitle ? `${book.title}: ${book.subtitle}` : book.title
  const source = book.identifiers.isbn_print.trim()
    ? 'urn:isbn:' + cleanIsbn(book.identifiers.isbn_print)
    : `${fullTitle}, print edition ${book.edition.number} (${book.edition.date.slice(0, 4)})`
  const features = ['structuralNavigation', 'tableOfContents', 'readingOrder']
  if (options.hasPageList) features.push('printPageNumbers', 'pageNavigation')
  if (options.images > 0 && options.imagesWithAlt === options.images) features.push('alternativeText')
  const accessibility: Array<{property: string; value: string; lang?: string}> = [
    {property: 'schema:accessMode', value: 'textual'},
    ...(options.images > 0 ? [{property: 'schema:accessMode', value: 'visual'}] : []),
    {property: 'schema:accessModeSufficient', value: 'textual'},
    ...features.map((value) => ({property: 'schema:accessibilityFeature', value})),
    {property: 'schema:accessibilityHazard', value: 'none'},
    // (Written in English: marked so in a book in another language.)
    {property: 'schema:accessibilitySummary', value: accessibilitySummary(options.hasPageList, options.images > 0, options.languagesMarked ?? false), ...(isEnglish(book.language) ? {} : {lang: 'en'})},
    {property: 'dcterms:conformsTo', value: 'EPUB Accessibility 1.1 - WCAG 2.1 Level AA'}
  ]
  // No a11y:certifiedBy: that names the party that evaluated the book, and no one has.
  return {
    identifier: id.identifier,
    isbn: id.isbn,
    title: book.title,
    subtitle: book.subtitle,
    creators: people(model),
    publisher: book.publisher.imprint.trim(),
    description: book.description.replace(/\s+/g, ' ').trim(),
    date: book.edition.date,
    modified: modifiedDate(model, options.env, options.content),
    edition: [editionStatement(book), ...book.edition.history.map((entry) => printingEntry(book, entry))].join('; '),
    rights: rightsLines(model),
    source,
    pageBreakSource: options.hasPageList,
    accessibility
  }
}

/** What the build verified, and only that. */
function accessibilitySummary(pages: boolean, images: boolean, languages: boolean): string {
  return [
    'A reflowable text edition with a structured table of contents, headings for every text and section,',
    'a logical reading order, and linked notes that lead back to their references.',
    pages ? 'Page markers and a page list follow the printed edition named as the source.' : '',
    images ? 'The cover image has a text alternative.' : '',
    languages ? 'Passages the editor marked and titles in other languages are marked with their language; the build found no italic title in another language left unmarked.' : ''
  ]
    .filter(Boolean)
    .join(' ')
}
