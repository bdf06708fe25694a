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

/** `dcterms:modified`: SOURCE_DATE_EPOCH when set (reproducible builds), else the edition date at midnight UTC. */
export function modifiedDate(model: BookModel, env: NodeJS.ProcessEnv = process.env): string {
  const epoch = env.SOURCE_DATE_EPOCH
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
  return `${model.book.edition.date}T00:00:00Z`
}

/** The book’s rights statement, then one line per text that states its own rights. */
export function rightsLines(model: BookModel): string[] {
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

export function people(model: BookModel): Person[] {
  const result: Person[] = []
  const editor = model.book.editor.trim()
  if (editor) result.push({element: 'creator', name: editor, role: 'edt'})
  const seen = new Set<string>()
  for (const text of model.texts) {
    const author = text.meta.author.trim()
    if (!author || seen.has(author)) continue
    seen.add(author)
    result.push({element: 'contributor', name: author, role: 'aut'})
  }
  return result
}

export function packageMetadata(
  model: BookModel,
  options: {description: string; hasPageList: boolean; images: number; imagesWithAlt: number; env?: NodeJS.ProcessEnv}
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
    {property: 'schema:accessibilitySummary', value: accessibilitySummary(options.hasPageList, options.images > 0), ...(isEnglish(book.language) ? {} : {lang: 'en'})},
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
    description: options.description,
    date: book.edition.date,
    modified: modifiedDate(model, options.env),
    edition: [editionStatement(book), ...book.edition.history.map((entry) => printingEntry(book, entry))].join('; '),
    rights: rightsLines(model),
    source,
    pageBreakSource: options.hasPageList,
    accessibility
  }
}

function accessibilitySummary(pages: boolean, images: boolean): string {
  return [
    'A reflowable text edition with a structured table of contents, headings for every text and section,',
    'a logical reading order, and linked notes that lead back to their references.',
    pages ? 'Page markers and a page list follow the printed edition named as the source.' : '',
    images ? 'The cover image has a text alternative.' : '',
    'Languages are marked on every passage not in the book’s language.'
  ]
    .filter(Boolean)
    .join(' ')
}
