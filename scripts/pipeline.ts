/**
 * The unified pipeline for one manuscript file, one processor (`partProcessor`): parse → front
 * matter → collation → checks → critical markup → normalisation → notes → HTML (hast).
 * `processManuscript` runs it over every file book.yaml lists, then the checks across files.
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
import remarkRenumberNotes from './notes/renumber.ts'
import rehypeNoteRoles from './html/notes.ts'
import rehypeSectionIds from './html/section-ids.ts'
import {checkPreset} from './checks/index.ts'
import {normalisePreset} from './normalise/index.ts'
import {checkCrossText, loadWorks} from './cross-text/index.ts'
import {controlMessages, hasErrors} from './checks/control.ts'
import {checkEditorialClaims} from './editorial/claims.ts'
import {loadIndex, placeIndex, type IndexData} from './html/index-of-names.ts'
import {checkTitleLanguages, workTitleLanguages} from './html/title-languages.ts'
import type {BookModel, TextPart, EditorialPart} from './model.ts'
import {partCache} from './cache.ts'
import {labelsOf, say, type Labels} from './labels.ts'

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

/** The id of a part’s section: `t-<name>` for texts, `<name>` for editorial matter. */
function partId(rel: string, matter: LoadedFile['matter']): string {
  const name = path.basename(rel, path.extname(rel)).toLowerCase().replace(/[^a-z0-9]+/g, '-')
  return matter === 'text' ? `t-${name}` : name
}

/** Load, check and convert a whole manuscript. Never throws on bad content. */
export async function processManuscript(dir: string): Promise<ProcessedManuscript> {
  const manuscript = loadManuscript(dir)
  const parts: ProcessedPart[] = []
  const cached = partCache(manuscript) // scripts/cache.ts: skips unchanged files
  const processors = new Map<LoadedFile['matter'], PartProcessor>()
  const processorOf = (matter: LoadedFile['matter']) => processors.get(matter) ?? processors.set(matter, partProcessor(manuscript, matter)).get(matter)!
  // Over a size limit (found while loading, copy-texts included), no part is parsed.
  for (const loaded of manuscript.files) {
    parts.push(manuscript.overLimit ? unparsed(loaded) : await cached(loaded, () => processPart(loaded, processorOf(loaded.matter))))
  }

  const files = [manuscript.bookFile, ...parts.map((part) => part.loaded.file)]
  // --- cross-text checks (scripts/citations): citations against works.yaml, quotations across texts ---
  const works = loadWorks(manuscript.dir)
  if (works.file) files.splice(1, 0, works.file)
  manuscript.bookFile.data.crossCounts = checkCrossText(parts, works.works, manuscript.book)
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

async function processPart(loaded: LoadedFile, processor: PartProcessor): Promise<ProcessedPart> {
  const {file} = loaded
  // Over the limits, the file is not parsed at all (scripts/manuscript/guard.ts).
  if (!withinLimits(file)) return unparsed(loaded)
  const mdast = processor.parse(file)
  let hast: HastRoot | undefined
  try {
    hast = (await processor.run(mdast, file)) as HastRoot
  } catch (error) {
    if (!(error instanceof EndOfRun)) throw error
  }
  return {loaded, id: file.data.partId!, mdast, hast, meta: file.data.meta as TextMeta | EditorialMeta | undefined}
}

function unparsed(loaded: LoadedFile): ProcessedPart {
  return {loaded, id: partId(loaded.rel, loaded.matter), mdast: {type: 'root', children: []}}
}

type PartProcessor = ReturnType<typeof partProcessor>

/**
 * The processor of one kind of manuscript file (texts, or editorial matter): Markdown to mdast, its
 * front matter, for a text the collation against its copy-text, the checks, critical markup,
 * normalisation and note numbers, then mdast to hast. One chain: a plugin that finds its file
 * unusable for the rest (no valid front matter, an empty text) reports why and ends the run.
 */
function partProcessor(manuscript: LoadedManuscript, matter: LoadedFile['matter']) {
  const book = manuscript.book as Book
  const isText = matter === 'text'
  const labels = labelsOf(book)
  return unified()
    .use(remarkParse)
    .use(remarkFrontmatter, ['yaml'])
    .use(remarkGfm)
    .use(remarkDirective)
    .use(remarkFrontMatterMeta, {schema: isText ? textSchema : editorialSchema})
    .use(remarkPartId, {matter})
    .use(isText ? [remarkTextNotEmpty, [remarkCopyText, manuscript], remarkCollation] : [])
    .use(checkPreset, {book, isText})
    .use(remarkCritical, {labels})
    .use(normalisePreset, {book})
    .use(remarkRenumberNotes)
    .use(remarkReaderHast, {labels})
    .use(rehypeNoteRoles, {label: labels.notes, numbers: book.style?.note_numbers})
    .use(rehypeSectionIds)
}

/** Thrown by a plugin to end its file’s run, once it has reported why (processPart stops there). */
class EndOfRun extends Error {}

/** The part’s id into `file.data.partId` (every id its plugins make begins with it); no front matter, no run. */
function remarkPartId(options: {matter: LoadedFile['matter']}) {
  return function (_: MdastRoot, file: VFile): undefined {
    const meta = file.data.meta as TextMeta | EditorialMeta | undefined
    const editorialId = options.matter === 'text' ? undefined : (meta as EditorialMeta | undefined)?.id
    file.data.partId = editorialId || partId(file.basename ?? '', options.matter)
    if (!meta) throw new EndOfRun()
  }
}

/** `text-empty`: a text with nothing but its front matter (and comments) ends its run. */
function remarkTextNotEmpty() {
  return function (tree: MdastRoot, file: VFile): undefined {
    if (tree.children.some((node) => node.type !== 'yaml' && node.type !== 'html')) return
    file.message(`Unexpected empty text, expected the transcription of \`sources/${(file.data.meta as TextMeta).copytext}\``, {
      place: tree.children[0]?.position?.end || {line: 1, column: 1},
      ruleId: 'text-empty',
      source: 'reader'
    })
    throw new EndOfRun()
  }
}

/** The text’s copy-text into `file.data.copyText`, for remarkCollation (a missing one is reported, and not collated). */
function remarkCopyText(manuscript: LoadedManuscript) {
  return function (_: MdastRoot, file: VFile): undefined {
    const meta = file.data.meta as TextMeta
    const early = manuscript.files.find((loaded) => loaded.file === file)?.copyText
    const copyText = readCopyText(manuscript.dir, meta.copytext, file, file.data.metaPlaces?.title, manuscript.budget, early)
    if (copyText !== undefined) file.data.copyText = copyText
  }
}

/** remark-rehype with the part’s own prefix on the ids it makes (clobbering), and the book’s words for its notes. */
function remarkReaderHast(options: {labels: Labels}) {
  const {labels} = options
  return function (tree: MdastRoot, file: VFile) {
    const toHast = remarkRehype({
      clobberPrefix: `${file.data.partId}-`,
      footnoteLabel: labels.notes,
      footnoteLabelTagName: 'h2',
      footnoteBackContent: '↩',
      footnoteBackLabel: (index: number) => say(labels.back_to_note, {n: index + 1})
    })
    return toHast(tree, file)
  }
}

declare module 'vfile' {
  interface DataMap {
    copyText: string
    /** The id of the part’s section in the reader HTML, which begins every id made in it. */
    partId: string
  }
}
