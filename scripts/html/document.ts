/**
 * Assemble the reader HTML: generated front matter, the editorial parts and texts in book.yaml’s
 * order, the generated back matter, then the document-wide passes (index anchors, block numbers,
 * sanitising) and serialisation.
 */
import {h} from 'hastscript'
import type {Element, ElementContent, Root} from 'hast'
import {toHtml} from 'hast-util-to-html'
import {sanitize} from 'hast-util-sanitize'
import type {Book, TextMeta, EditorialMeta} from '../manuscript/schema.ts'
import type {ProcessedManuscript, ProcessedPart} from '../pipeline.ts'
import {
  halfTitle,
  titlePage,
  copyrightPage,
  contents,
  textHead,
  sourcesList,
  contributorsList,
  textualNotes,
  sectionsOf,
  listedTitle,
  type ContentsEntry
} from './parts.ts'
import {loadWorks} from '../cross-text/works.ts'
import {markTitleLanguages, workTitleLanguages} from './title-languages.ts'
import {indexAnchors, indexSection, type IndexData} from './index-of-names.ts'
import {numberBlocks} from './blocks.ts'
import {addLeadIn} from './lead-in.ts'
import {readerSchema} from './sanitize-schema.ts'
import {labelsOf} from '../labels.ts'
import {readerParts} from './reader-parts.ts'
import type {BookModel, ReaderDocument} from '../model.ts'

/**
 * The reader document of a processed manuscript (its index of names unless `options.index` gives
 * another): the reader HTML as a tree and as text, its parts, and the book model.
 */
export function assembleDocument(processed: ProcessedManuscript, options: {index?: IndexData} = {}): ReaderDocument {
  const model = processed.model
  if (!model) throw new Error('assembleDocument: the manuscript has no book model (it has errors)')
  const book = model.book
  const labels = labelsOf(book)
  const parts = processed.parts
  const texts = parts.filter((part) => part.loaded.matter === 'text')
  const front = parts.filter((part) => part.loaded.matter === 'front')
  const back = parts.filter((part) => part.loaded.matter === 'back')

  const textSections = texts.map((part) => textSection(part, book))
  const frontSections = front.map((part) => editorialSection(part, 'front', texts, book))
  const backSections = back.map((part) => editorialSection(part, 'back', texts, book))
  const notes = textualNotes(texts, labels)

  const index = options.index ?? processed.index
  if (index) indexAnchors(textSections, index)
  // After the index anchors, so that a lead-in never cuts a name the index points at.
  for (const section of textSections) addLeadIn(section, book.style.lead_in)
  const indexPart = index && index.entries.length > 0 ? indexSection(index, {labels, language: book.language}) : undefined

  const entries: ContentsEntry[] = [
    ...front.map((part) => ({id: part.id, title: (part.meta as EditorialMeta).title})),
    ...texts.map((part) => ({
      id: part.id,
      title: listedTitle(part.meta as TextMeta, texts.map((text) => text.meta as TextMeta)),
      author: (part.meta as TextMeta).author || labels.anonymous,
      sections: part.hast ? sectionsOf(part.hast) : []
    })),
    ...back.map((part) => ({id: part.id, title: (part.meta as EditorialMeta).title})),
    {id: 'textual-notes', title: labels.textual_notes},
    ...(indexPart ? [{id: 'index', title: labels.index}] : [])
  ]

  const body: Element[] = [
    halfTitle(book),
    titlePage(book),
    copyrightPage(book, texts),
    contents(entries, labels),
    ...frontSections,
    ...textSections,
    ...backSections,
    notes,
    ...(indexPart ? [indexPart] : [])
  ]

  titleLanguages(processed, [...frontSections, ...textSections, ...backSections, notes, ...(indexPart ? [indexPart] : [])])

  const cleanBody = sanitize(h('body', body), readerSchema) as unknown as Element
  numberBlocks(cleanBody)

  const tree: Root = {
    type: 'root',
    children: [
      {type: 'doctype'},
      h('html', {lang: book.language}, [
        h('head', [
          h('meta', {charSet: 'utf-8'}),
          h('title', book.subtitle ? `${book.title}: ${book.subtitle}` : book.title),
          h('meta', {name: 'author', content: bookAuthor(model)}),
          h('meta', {name: 'description', content: bookDescription(book)}),
          h('meta', {name: 'generator', content: 'reader'})
        ]),
        cleanBody
      ])
    ]
  }
  return {tree, html: toHtml(tree) + '\n', parts: readerParts(tree), model}
}

/** Who the book is by, in its metadata: its editor, else its texts’ authors. */
export function bookAuthor(model: BookModel): string {
  return model.book.editor || [...new Set(model.texts.map((text) => text.meta.author).filter(Boolean))].join(', ')
}

/** What the book is, in its metadata: book.yaml’s description, else its title. */
export function bookDescription(book: Book): string {
  return book.description.replace(/\s+/g, ' ').trim() || (book.subtitle ? `${book.title}: ${book.subtitle}` : book.title)
}

/** The languages of the titles the book prints in italics, from works.yaml (scripts/html/title-languages.ts; index.yaml’s `lang` is the index’s own). */
function titleLanguages(processed: ProcessedManuscript, parts: Element[]): void {
  const titles = workTitleLanguages(loadWorks(processed.manuscript.dir).works)
  for (const part of parts) markTitleLanguages(part, titles)
}

function textSection(part: ProcessedPart, book: Book): Element {
  const meta = part.meta as TextMeta
  const children = (part.hast?.children || []) as ElementContent[]
  return h(
    'section.part.text',
    {
      id: part.id,
      dataPart: 'chapter',
      role: 'doc-chapter',
      dataAuthor: meta.author || labelsOf(book).anonymous,
      dataTitle: meta.short_title || meta.title,
      lang: meta.language,
      ariaLabelledBy: `${part.id}-title`
    },
    [withTitleId(textHead(meta, book), `${part.id}-title`), ...children]
  )
}

function withTitleId(head: Element, id: string): Element {
  const title = head.children.find((child): child is Element => child.type === 'element' && child.tagName === 'h1')
  if (title) title.properties.id = id
  return head
}

function editorialSection(part: ProcessedPart, matter: 'front' | 'back', texts: ProcessedPart[], book: Book): Element {
  const meta = part.meta as EditorialMeta
  const generated: Element[] = []
  if (meta.kind === 'sources') generated.push(sourcesList(texts, book))
  if (meta.kind === 'contributors') generated.push(contributorsList(texts))
  const roles: Record<string, string> = {preface: 'doc-preface', introduction: 'doc-introduction', bibliography: 'doc-bibliography'}
  const dataPart: Record<string, string> = {
    preface: 'preface',
    introduction: 'introduction',
    bibliography: 'bibliography',
    chronology: 'appendix',
    sources: 'appendix',
    contributors: 'appendix'
  }
  // The part’s kind as a class (`kind-chronology`), for the stylesheets: a chronology’s entries hang.
  const kind = `kind-${meta.kind.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`
  return h(
    `section.part.${matter}.editorial`,
    {id: part.id, className: [kind], dataPart: dataPart[meta.kind] || (matter === 'front' ? 'preface' : 'appendix'), role: roles[meta.kind]},
    [h('h1', meta.title), ...((part.hast?.children || []) as ElementContent[]), ...generated]
  )
}
