/**
 * Load a manuscript folder: book.yaml (validated), every text and editorial file it lists, and each
 * text’s copy-text. Nothing here throws on bad content: problems become messages on the files.
 */
import {existsSync, lstatSync, readdirSync, statSync} from 'node:fs'
import path from 'node:path'
import {VFile} from 'vfile'
import {resolveInside} from './paths.ts'
import {bookSchema, type Book} from './schema.ts'
import {englishLeft} from '../labels.ts'
import {parseYaml, sequenceItemPlace} from './yaml.ts'
import {pointAt, readInside, newBudget, type Budget} from './read.ts'
import {ReaderError} from '../errors.ts'
import {parseDocument} from 'yaml'
import {metaPlaces} from './front-matter.ts'

export interface LoadedFile {
  /** Path relative to the manuscript folder, as listed in book.yaml. */
  rel: string
  matter: 'front' | 'text' | 'back'
  file: VFile
  /** A text’s copy-text, read with the book (the name its front matter gives, and what reading it gave). */
  copyText?: {name: string; read: ReturnType<typeof readInside>}
}

export interface LoadedManuscript {
  dir: string
  book?: Book
  bookFile: VFile
  files: LoadedFile[]
  /** What the files read add up to, against the size limits (texts, editorial files, copy-texts). */
  budget: Budget
  /** Whether a file was refused as over a size limit: then no part is parsed (the refusal is the answer). */
  overLimit?: boolean
}

/** Read and validate a manuscript folder. Throws only when `dir` is not a manuscript folder at all. */
export function loadManuscript(dir: string): LoadedManuscript {
  const absolute = path.resolve(dir)
  const cwd = process.cwd()
  const bookPath = path.join(absolute, 'book.yaml')
  if (!existsSync(absolute) || !statSync(absolute).isDirectory()) {
    throw new ReaderError(`Not a manuscript folder: ${dir} does not exist`, {ruleId: 'manuscript-missing', exitCode: 1})
  }
  const budget = newBudget()
  const bookRead = readInside(absolute, 'book.yaml', 'as the book’s description', budget)
  if ('refusal' in bookRead) {
    if (bookRead.refusal.ruleId === 'book-parts') {
      throw new ReaderError(`Not a manuscript folder: ${dir} has no book.yaml`, {ruleId: 'manuscript-missing', file: path.relative(cwd, bookPath) || bookPath})
    }
    throw new ReaderError(bookRead.refusal.reason, {ruleId: bookRead.refusal.ruleId, file: path.relative(cwd, bookPath) || bookPath})
  }
  const bookFile = bookRead.file
  const book = parseYaml(bookFile, String(bookFile.value), bookSchema, {ruleId: 'book-schema', what: 'book.yaml'})
  const loaded: LoadedManuscript = {dir: absolute, book, bookFile, files: [], budget}
  if (!book) return loaded

  const source = String(bookFile.value)
  if (!book.editor) {
    bookFile.message('Missing value for `editor`: the title page and metadata will name no editor', {
      place: keyPlace(source, 'editor'),
      ruleId: 'book-incomplete',
      source: 'reader'
    })
  }
  const english = englishLeft(book)
  if (english.length > 0) {
    const shown = english.slice(0, 4).map((key) => `\`${key}\``).join(', ')
    bookFile.message(
      `Unexpected English words in a book in \`${book.language}\`: ${english.length} generated label${english.length > 1 ? 's' : ''} (${shown}${english.length > 4 ? '…' : ''}) not given under \`labels\`, expected the book’s own words there`,
      {place: keyPlace(source, 'language'), ruleId: 'labels-language', source: 'reader'}
    )
  }
  for (const [key, value] of [
    ['description', book.description.trim()],
    ['publisher.imprint', book.publisher.imprint],
    ['identifiers.isbn_print', book.identifiers.isbn_print],
    ['identifiers.isbn_epub', book.identifiers.isbn_epub]
  ] as const) {
    if (!value) {
      bookFile.message(`Missing value for \`${key}\`: left empty in this edition`, {
        place: keyPlace(source, key.split('.').at(-1)!),
        ruleId: 'book-incomplete',
        source: 'reader'
      })
    }
  }

  const seen = new Set<string>()
  for (const matter of ['front', 'texts', 'back'] as const) {
    book[matter].forEach((rel, index) => {
      if (seen.has(rel)) {
        bookFile.message(`Unexpected second listing of \`${rel}\``, {
          place: sequenceItemPlace(source, matter, index),
          ruleId: 'book-parts',
          source: 'reader'
        })
        return
      }
      seen.add(rel)
      const read = readInside(absolute, rel, `listed under \`${matter}\``, budget)
      if ('refusal' in read) {
        bookFile.message(read.refusal.reason, {place: sequenceItemPlace(source, matter, index), ruleId: read.refusal.ruleId, source: 'reader'})
        return
      }
      loaded.files.push({rel, matter: matter === 'texts' ? 'text' : matter, file: read.file})
    })
  }
  // Each text’s copy-text is read now, before any text is parsed, so that a book over its size
  // limit is refused at once rather than after the texts before the one that crosses it.
  for (const part of loaded.files) {
    if (part.matter !== 'text') continue
    const named = copyTextNamed(String(part.file.value))
    if (!named) continue
    const read = readInside(path.join(absolute, 'sources'), named.name, 'named by `copytext`', budget, 'the `sources/` folder')
    part.copyText = {name: named.name, read}
    if ('refusal' in read && sizeRules.has(read.refusal.ruleId)) {
      part.file.message(read.refusal.reason, {place: named.place, ruleId: read.refusal.ruleId, source: 'reader'})
    }
  }
  loaded.overLimit = [bookFile, ...loaded.files.map((part) => part.file)].some((file) =>
    file.messages.some((message) => sizeRules.has(message.ruleId ?? ''))
  )

  // (Listed only when the folder is the manuscript’s own, not a link out of it.)
  const textsDir = resolveInside(absolute, 'texts')
  if (textsDir.ok && statSync(textsDir.path).isDirectory()) {
    for (const name of readdirSync(textsDir.path).sort()) {
      if (!name.endsWith('.md') || lstatSync(path.join(textsDir.path, name)).isDirectory()) continue
      const rel = `texts/${name}`
      if (!seen.has(rel)) {
        bookFile.message(`Unexpected text \`${rel}\` not listed under \`texts\` in book.yaml`, {
          place: keyPlace(source, 'texts'),
          ruleId: 'book-parts',
          source: 'reader'
        })
      }
    }
  }
  return loaded
}

/** Where `key:` stands in a YAML source (its first occurrence at the start of a line). */
function keyPlace(source: string, key: string): {line: number; column: number} {
  const match = new RegExp(`^[ \\t]*(${key}):`, 'm').exec(source)
  return match ? pointAt(source, match.index + match[0].indexOf(key)) : {line: 1, column: 1}
}

const sizeRules = new Set(['file-too-large', 'book-too-large'])

/**
 * The copy-text a text’s front matter names, and where its `title:` stands (where copy-text
 * problems are reported), from the YAML block alone; undefined when there is none to find.
 */
function copyTextNamed(source: string): {name: string; place?: {line: number; column: number}} | undefined {
  const block = /^---[ \t]*\n([\s\S]*?)\n---[ \t]*(?:\n|$)/.exec(source)
  if (!block) return undefined
  const name = parseDocument(block[1], {prettyErrors: false}).get('copytext')
  return typeof name === 'string' && name ? {name, place: metaPlaces(block[1], 2).title} : undefined
}

/**
 * A copy-text named in a text’s front matter (read with the book when it named the same one), or
 * undefined (reported, unless a size limit was already reported at loading) when it cannot be read.
 */
export function readCopyText(
  dir: string,
  name: string,
  file: VFile,
  place?: {line: number; column: number},
  budget?: Budget,
  early?: LoadedFile['copyText']
): string | undefined {
  const read =
    early?.name === name ? early.read : readInside(path.join(dir, 'sources'), name, 'named by `copytext`', budget, 'the `sources/` folder')
  if ('refusal' in read) {
    if (early?.name === name && sizeRules.has(read.refusal.ruleId)) return undefined
    const missing = read.refusal.ruleId === 'book-parts'
    file.message(missing ? `Missing copy-text \`sources/${name}\` named by \`copytext\`` : read.refusal.reason, {
      place,
      ruleId: missing ? 'copytext-missing' : read.refusal.ruleId,
      source: 'reader'
    })
    return undefined
  }
  return String(read.file.value)
}
