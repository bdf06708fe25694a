/**
 * The unified pipeline for one manuscript file: parse → front matter → collation → critical markup →
 * notes → HTML (hast). `processManuscript` runs it over every file book.yaml lists.
 */
import path from 'node:path'
import {unified} from 'unified'
import remarkParse from 'remark-parse'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkDirective from 'remark-directive'
import remarkRehype from 'remark-rehype'
import type {Root as MdastRoot} from 'mdast'
import type {Root as HastRoot} from 'hast'
import type {VFile} from 'vfile'
import remarkFrontMatterMeta from './manuscript/front-matter.ts'
import {textSchema, editorialSchema, type TextMeta, type EditorialMeta, type Book} from './manuscript/schema.ts'
import {loadManuscript, readCopyText, type LoadedFile, type LoadedManuscript} from './manuscript/load.ts'
import {withinLimits} from './manuscript/guard.ts'
import remarkCollation from './collation/collation.ts'
import remarkCritical from './critical/critical.ts'
import remarkRenumberNotes, {sourceMark} from './notes/renumber.ts'
import rehypeNoteRoles from './html/notes.ts'
import rehypeSectionIds from './html/section-ids.ts'
import {checkPreset} from './checks/index.ts'
import {normalisePreset} from './normalise/index.ts'
import {checkCitations, loadWorks} from './citations/index.ts'
import {controlMessages, hasErrors} from './checks/control.ts'
import {checkEditorialClaims} from './editorial/claims.ts'
import {loadIndex, placeIndex, type IndexData} from './html/index-of-names.ts'
import {checkTitleLanguages, workTitleLanguages} from './html/title-languages.ts'
import type {BookModel, TextPart, EditorialPart} from './model.ts'
import {partCache} from './cache.ts'
import {labelsOf, say} from './labels.ts'

export interface ProcessedPart {
  loaded: LoadedFile
  id: string
  mdast: MdastRoot
  hast?: HastRoot
  meta?: TextMeta | EditorialMeta
}

export interface ProcessedManuscript {
  manuscript: LoadedManuscript
  /** Every file with messages, book.yaml first (then works.yaml, the parts, index.yaml). */
  files: VFile[]
  parts: ProcessedPart[]
  model?: BookModel
  /** The index of names (`index.yaml`), when the manuscript has one that validates. */
  index?: IndexData
}

const parser = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm).use(remarkDirective)

/** The id of a part’s section: `t-<name>` for texts, `<name>` for editorial matter. */
export function partId(rel: string, matter: LoadedFile['matter']): string {
  const name = path.basename(rel, path.extname(rel)).toLowerCase().replace(/[^a-z0-9]+/g, '-')
  return matter === 'text' ? `t-${name}` : name
}

/** Load, check and convert a whole manuscript. Never throws on bad content. */
export async function processManuscript(dir: string): Promise<ProcessedManuscript> {
  const manuscript = loadManuscript(dir)
  const parts: ProcessedPart[] = []
  const cached = partCache(manuscript) // scripts/cache.ts: skips unchanged files
  for (const loaded of manuscript.files) parts.push(await cached(loaded, () => processPart(loaded, manuscript)))

  const files = [manuscript.bookFile, ...parts.map((part) => part.loaded.file)]
  // --- cross-text checks (scripts/citations): citations against works.yaml, quotations across texts ---
  const works = loadWorks(manuscript.dir)
  if (works.file) files.splice(1, 0, works.file)
  manuscript.bookFile.data.crossCounts = checkCitations(parts, works.works, manuscript.book)
  // --- end of cross-text checks ---
  let model: BookModel | undefined
  if (manuscript.book && parts.every((part) => part.meta)) {
    model = {
      book: manuscript.book,
      manuscriptDir: manuscript.dir,
      texts: parts
        .filter((part) => part.loaded.matter === 'text')
        .map((part): TextPart => ({id: part.id, file: part.loaded.rel, meta: part.meta as TextMeta})),
      editorial: parts
        .filter((part) => part.loaded.matter !== 'text')
        .map(
          (part): EditorialPart => ({
            id: part.id,
            file: part.loaded.rel,
            meta: part.meta as EditorialMeta,
            matter: part.loaded.matter as 'front' | 'back'
          })
        )
    }
  }
  // The index of names, placed in the texts once the book lists them all; then what the editorial
  // matter claims about the edition (scripts/editorial/claims.ts).
  const index = loadIndex(manuscript.dir)
  if (index.file) files.push(index.file)
  const texts = parts.filter((part) => part.loaded.matter === 'text')
  const complete = model !== undefined && !hasErrors(manuscript.bookFile, manuscript.book) && texts.every((part) => part.hast)
  if (index.data && index.file && complete) placeIndex(index.data, texts.map((part) => ({id: part.id, tree: part.hast!})), index.file)
  if (complete) checkEditorialClaims({manuscript, files, parts, model}, index.data, index.file)
  // Titles in other languages in the editorial matter and the index (scripts/html/title-languages.ts).
  if (complete) {
    checkTitleLanguages({
      parts: parts.filter((part) => part.loaded.matter !== 'text' && part.hast).map((part) => ({tree: part.hast!, file: part.loaded.file})),
      titles: workTitleLanguages(works.works),
      index: index.data && index.file ? {entries: index.data.entries, file: index.file} : undefined,
      language: manuscript.book?.language ?? 'en'
    })
  }
  // Severities, `rules:` and accept comments, once every check has run (scripts/checks/control.ts).
  for (const file of files) controlMessages(file, manuscript.book)
  return {manuscript, files, parts, model, index: index.data}
}

async function processPart(loaded: LoadedFile, manuscript: LoadedManuscript): Promise<ProcessedPart> {
  const {file, matter} = loaded
  const isText = matter === 'text'
  if (!withinLimits(file)) return {loaded, id: partId(loaded.rel, matter), mdast: {type: 'root', children: []}}
  const part: ProcessedPart = {loaded, id: '', mdast: parser.parse(file)}
  const tree = part.mdast

  // Front matter first: everything else needs it.
  await unified()
    .use(remarkFrontMatterMeta, {schema: isText ? textSchema : editorialSchema})
    .run(tree, file)
  part.meta = file.data.meta as TextMeta | EditorialMeta | undefined
  const editorialId = isText ? undefined : (part.meta as EditorialMeta | undefined)?.id
  part.id = editorialId || partId(loaded.rel, matter)
  if (!part.meta) return part

  if (isText && !tree.children.some((node) => node.type !== 'yaml' && node.type !== 'html')) {
    file.message(`Unexpected empty text, expected the transcription of \`sources/${(part.meta as TextMeta).copytext}\``, {
      place: tree.children[0]?.position?.end || {line: 1, column: 1},
      ruleId: 'text-empty',
      source: 'reader'
    })
    return part
  }

  if (isText) {
    const textMeta = part.meta as TextMeta
    const place = file.data.metaPlaces?.title
    const copyText = readCopyText(manuscript.dir, textMeta.copytext, file, place, manuscript.budget)
    if (copyText !== undefined) {
      file.data.copyText = copyText
      await unified().use(remarkCollation).run(tree, file)
    }
  }

  const labels = labelsOf(manuscript.book as Book)
  await unified()
    .use(checkPreset, {book: manuscript.book as Book, isText})
    .use(remarkCritical, {prefix: part.id, labels})
    .use(normalisePreset, {book: manuscript.book as Book})
    .use(remarkRenumberNotes)
    .run(tree, file)

  const toHast = unified()
    .use(remarkRehype, {
      clobberPrefix: `${part.id}-`,
      footnoteLabel: labels.notes,
      footnoteLabelTagName: 'h2',
      footnoteBackContent: '↩',
      footnoteBackLabel: (index: number) => say(labels.back_to_note, {n: index + 1})
    })
    .use(rehypeNoteRoles, {
      prefix: part.id,
      label: labels.notes,
      marks: (manuscript.book as Book).style?.note_numbers === 'source' ? (file.data.noteLabels ?? []).map(sourceMark) : undefined
    })
    .use(rehypeSectionIds, {prefix: part.id})
  part.hast = (await toHast.run(tree as never, file)) as HastRoot
  return part
}

declare module 'vfile' {
  interface DataMap {
    copyText: string
  }
}
