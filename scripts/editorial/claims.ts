/**
 * `editorial-claims`: what the editorial matter says about the edition stays true, where a machine
 * can tell.
 *
 * - An example of a Textual Notes entry in the editorial matter (inline code such as
 *   `23.8 books] Business Relationships copy-text`) is keyed as the Textual Notes are built — page and
 *   line, or page and note for a reading in a footnote — and is a reading some text records.
 * - Every work the bibliography lists (the title an entry opens with) is in `works.yaml`.
 * - Every `see` and `see also` of the index points at an entry, and a `see also` at one that shares a
 *   text with it (each text starts on a new page, so entries that share a page share a text).
 *
 * Runs at the end of `processManuscript`, once the index is placed in the texts (`placeIndex`), so
 * `reader check` does not assemble the book. Messages go on the file that makes the claim; their
 * severity is the registry’s (scripts/rules.ts) and book.yaml’s `rules:`.
 */
import type {Nodes, ListItem, PhrasingContent, FootnoteDefinition} from 'mdast'
import {visit, SKIP} from 'unist-util-visit'
import {toString} from 'mdast-util-to-string'
import type {VFile} from 'vfile'
import type {ProcessedManuscript, ProcessedPart} from '../pipeline.ts'
import type {EditorialMeta} from '../manuscript/schema.ts'
import type {TextualRecord} from '../critical/critical.ts'
import type {IndexData} from '../html/index-of-names.ts'
import {loadWorks} from '../cross-text/works.ts'
import {Registry} from '../cross-text/registry.ts'
import {labelsOf, type Labels} from '../labels.ts'
import {severityOf} from '../checks/control.ts'

export const editorialClaims = {id: 'editorial-claims'} as const

type Place = {line: number; column: number} | {start: {line: number; column: number}; end: {line: number; column: number}}

/** Check the editorial matter’s statements against the processed manuscript and its placed index. */
export function checkEditorialClaims(processed: ProcessedManuscript, index?: IndexData, indexFile?: VFile): void {
  const book = processed.manuscript.book
  if (!book) return
  if (severityOf(editorialClaims.id, book) === 'off') return
  const say = (file: VFile, reason: string, place: Place | undefined) => {
    file.message(reason, {place, ruleId: editorialClaims.id, source: 'reader'})
  }
  const labels = labelsOf(book)
  const texts = processed.parts.filter((part) => part.loaded.matter === 'text')
  const editorial = processed.parts.filter((part) => part.loaded.matter !== 'text')

  for (const part of editorial) checkTextualExamples(part, texts, labels, say)

  const bibliographies = editorial.filter((part) => (part.meta as EditorialMeta | undefined)?.kind === 'bibliography')
  if (bibliographies.length > 0) {
    const works = loadWorks(processed.manuscript.dir)
    if (works.file) {
      const registry = new Registry(works.works)
      for (const part of bibliographies) checkBibliography(part, registry, say)
    }
  }

  if (index && indexFile) checkCrossReferences(index, indexFile, say)
}

type Say = (file: VFile, reason: string, place: Place | undefined) => void

// --- The Textual Notes’ key, as the editorial matter shows it ---

/**
 * A textual-note entry as printed: key and lemma, `] `, the copy-text’s side ending in one of the
 * apparatus’s labels (`copy-text`, `not in copy-text`, …), and perhaps the reason in brackets.
 */
function exampleShape(labels: Labels): RegExp {
  const endings = [labels.copy_text, labels.not_in_copy_text, labels.supplied, labels.sic_kept]
    .sort((a, b) => b.length - a.length)
    .map(escape)
    .join('|')
  return new RegExp(`^(.*?)\\]\\s+(.*?)\\s*(${endings})(?:\\s+\\(.*\\))?$`, 'u')
}

function checkTextualExamples(part: ProcessedPart, texts: ProcessedPart[], labels: Labels, say: Say): void {
  const shape = exampleShape(labels)
  const note = escape(labels.note_abbreviation)
  const lineKey = /^(\d+)\.(\d+)\s+(.+)$/u
  const noteKey = new RegExp(`^(\\d+) ${note} (\\d+)\\s+(.+)$`, 'u')
  visit(part.mdast, 'inlineCode', (node) => {
    const example = shape.exec(node.value.trim())
    if (!example) return
    const [, head, was, ending] = example
    const inNote = noteKey.exec(head)
    const inText = lineKey.exec(head)
    const keyed = inNote ?? inText
    if (!keyed) {
      const key = /^\S+/.exec(head)?.[0] ?? head
      say(
        part.loaded.file,
        `Unexpected Textual Notes key \`${key}\` in \`${node.value}\`, expected page and line as they are built (\`23.8\`), or page and note for a reading in a footnote (\`24 ${labels.note_abbreviation} 2\`)`,
        node.position
      )
      return
    }
    const lemma = keyed[3]
    const found = findRecord(texts, lemma, was.trim(), ending, labels)
    if (!found) {
      say(part.loaded.file, `Unexpected Textual Notes example \`${node.value}\` that no text records, expected a reading \`${lemma}\` with the copy-text’s \`${was.trim()}\``, node.position)
      return
    }
    if (Boolean(inNote) !== found.inNote) {
      say(
        part.loaded.file,
        `Unexpected key \`${keyed[0].slice(0, keyed[0].length - lemma.length).trim()}\` for \`${lemma}\`, expected ${found.inNote ? `page and note (\`24 ${labels.note_abbreviation} 2\`): the reading is in a footnote` : 'page and line (`23.8`): the reading is in the text, not in a note'}`,
        node.position
      )
    }
  })
}

/** The text recording `lemma] was`, and the author’s note the reading is in, if it is in one. */
function findRecord(
  texts: ProcessedPart[],
  lemma: string,
  was: string,
  ending: string,
  labels: Labels
): {record: TextualRecord; text: ProcessedPart; inNote: boolean; note?: string} | undefined {
  // What each ending of an entry says of the record: `om.] born in copy-text` is a deletion, `,] not
  // in copy-text` a correction adding what the copy-text lacks, `x] sic copy-text, kept` a sic.
  const fits = (r: TextualRecord) => {
    if (ending === labels.sic_kept) return r.kind === 'sic' && r.reading === lemma
    if (ending === labels.supplied) return r.kind === 'supplied' && `[${r.reading}]` === lemma
    if (ending === labels.not_in_copy_text) return r.kind === 'corr' && r.was === '' && r.reading === lemma
    if (r.kind === 'del') return lemma === labels.omission && r.was === was
    return r.kind === 'corr' && r.reading === lemma && r.was === was
  }
  for (const text of texts) {
    const records = (text.loaded.file.data.textual ?? []) as TextualRecord[]
    const record = records.find(fits)
    if (!record) continue
    const notes: FootnoteDefinition[] = []
    visit(text.mdast, 'footnoteDefinition', (definition) => {
      notes.push(definition)
    })
    const note = notes.find((definition) => {
      const start = definition.position?.start.line ?? 0
      const end = definition.position?.end.line ?? 0
      return record.line >= start && record.line <= end
    })
    return {record, text, inNote: Boolean(note), note: note?.identifier}
  }
  return undefined
}

// --- The bibliography against works.yaml ---

function checkBibliography(part: ProcessedPart, registry: Registry, say: Say): void {
  visit(part.mdast, (node) => {
    // The editor’s notes, gathered at the end, are no entries.
    if (node.type === 'containerDirective' && node.name === 'ednotes') return SKIP
    if (node.type !== 'listItem') return
    const title = workTitle(node)
    if (!title) return
    if (registry.find(title.text)) return
    say(
      part.loaded.file,
      `Unexpected work \`${title.text}\` in the bibliography that \`works.yaml\` does not list, expected an entry with this title (or as its original, other or short title)`,
      title.node.position
    )
  })
}

/** The title a bibliography entry opens with: a title in quotation marks (an article), else the first in italics. */
function workTitle(item: ListItem): {text: string; node: Nodes} | undefined {
  const paragraph = item.children[0]
  if (!paragraph || paragraph.type !== 'paragraph') return undefined
  const children = paragraph.children as PhrasingContent[]
  const first = children[0]
  if (first && first.type === 'text' && /^\s*[“"]/.test(first.value)) {
    const opened = toString({type: 'paragraph', children} as never)
    const quoted = /^\s*[“"]([^”"]+)[”"]/.exec(opened)
    if (quoted) return {text: quoted[1].replace(/[,.]$/, ''), node: first}
  }
  const emphasis = children.find((child) => child.type === 'emphasis')
  return emphasis ? {text: toString(emphasis), node: emphasis} : undefined
}

// --- The index’s cross-references ---

function checkCrossReferences(index: IndexData, file: VFile, say: Say): void {
  const byTerm = new Map(index.entries.map((entry) => [entry.term, entry]))
  /** The entry a reference lands on, following `see` (an entry without pages of its own). */
  const land = (term: string) => {
    let entry = byTerm.get(term)
    const seen = new Set<string>()
    while (entry?.see && !seen.has(entry.term)) {
      seen.add(entry.term)
      entry = byTerm.get(entry.see)
    }
    return entry
  }
  for (const entry of index.entries) {
    const place = {line: entry.line, column: 1}
    if (entry.see && !byTerm.has(entry.see)) {
      say(file, `Unexpected \`see\` from \`${entry.term}\` to \`${entry.see}\`, which is no entry of the index, expected the term of an entry`, place)
    }
    for (const term of entry.see_also) {
      const target = byTerm.get(term)
      if (!target) {
        say(file, `Unexpected \`see also\` from \`${entry.term}\` to \`${term}\`, which is no entry of the index, expected the term of an entry`, place)
        continue
      }
      const from = land(entry.term)
      const to = land(term)
      if (!from || !to || from.texts.length === 0 || to.texts.length === 0) continue
      if (!from.texts.some((text) => to.texts.includes(text))) {
        say(
          file,
          `Unexpected \`see also\` from \`${entry.term}\` to \`${term}\`: no text names both, expected cross-references between entries that share a text or a page`,
          place
        )
      }
    }
  }
}

function escape(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * After the PDF: the page of each Textual Notes example is the page the build printed for that
 * reading (its page in the text, or the page its note is called on). A warning, as the example is
 * the editor’s to update when the book reflows; the line is not compared.
 */
export function checkExamplePages(processed: ProcessedManuscript, idPages: Record<string, string>): void {
  const book = processed.manuscript.book
  if (!book || severityOf(editorialClaims.id, book) === 'off') return
  const labels = labelsOf(book)
  const shape = exampleShape(labels)
  const key = new RegExp(`^(\\d+)(?:\\.\\d+| ${escape(labels.note_abbreviation)} \\d+)\\s+(.+)$`, 'u')
  const texts = processed.parts.filter((part) => part.loaded.matter === 'text')
  for (const part of processed.parts.filter((p) => p.loaded.matter !== 'text')) {
    visit(part.mdast, 'inlineCode', (node) => {
      const example = shape.exec(node.value.trim())
      const keyed = example && key.exec(example[1])
      if (!example || !keyed) return
      const found = findRecord(texts, keyed[2], example[2].trim(), example[3], labels)
      if (!found) return
      const id = found.note ? `${found.text.id}-fnref-${found.note}` : found.record.id
      const printed = idPages[id]
      if (printed && printed !== keyed[1]) {
        part.loaded.file.message(`Unexpected page ${keyed[1]} in the Textual Notes example \`${node.value}\`, expected ${printed}, where this edition prints the reading`, {
          place: node.position,
          ruleId: editorialClaims.id,
          source: 'reader'
        }).fatal = false
      }
    })
  }
}
