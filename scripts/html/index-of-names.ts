/**
 * The index of names, built from the curated list in `manuscript/index.yaml`: anchors in the texts
 * where each entry’s words occur, and the index itself with links (page numbers in print).
 */
import {z} from 'zod'
import {h} from 'hastscript'
import type {Element, ElementContent, Root, Text} from 'hast'
import type {VFile} from 'vfile'
import {parseYaml} from '../manuscript/yaml.ts'
import {readOptional} from '../manuscript/read.ts'
import {inlineMarkdown} from './inline.ts'
import type {Labels} from '../labels.ts'
import {hasErrors} from '../checks/control.ts'

const entrySchema = z
  .object({
    term: z.string().min(1).describe('as printed: “Trotsky, Leon”'),
    kind: z.enum(['person', 'work', 'place', 'organisation', 'subject']).default('person'),
    match: z.array(z.string().min(1)).default([]).describe('the words that find it in the texts, case-sensitive'),
    see: z.string().optional().describe('a see-reference: this entry has no pages of its own'),
    lang: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]+)*$/, 'a BCP 47 language tag such as fr').optional().describe('the language of the term, when not the book’s'),
    see_also: z.array(z.string()).default([])
  })
  .strict()

const indexSchema = z
  .object({
    intro: z.string().default('').describe('a note printed above the index (what it lists), as inline Markdown'),
    entries: z.array(entrySchema).default([])
  })
  .strict()

export type IndexEntry = z.infer<typeof entrySchema>

export interface IndexData {
  intro?: string
  /** Each entry with its anchors in the texts and the ids of the texts (sections) they are in. */
  entries: Array<IndexEntry & {id: string; line: number; anchors: string[]; texts: string[]}>
}

/** Read `index.yaml` if the manuscript has one. */
export function loadIndex(dir: string): {data?: IndexData; file?: VFile} {
  const file = readOptional(dir, 'index.yaml')
  if (!file) return {}
  if (hasErrors(file)) return {file}
  const parsed = parseYaml(file, String(file.value), indexSchema, {ruleId: 'index-schema', what: 'index.yaml'})
  if (!parsed) return {file}
  const lines = String(file.value).split('\n')
  let cursor = 0
  const entries = parsed.entries.map((entry) => {
    const at = lines.findIndex((line, i) => i >= cursor && /^\s*-\s+term:/.test(line))
    cursor = at + 1
    return {...entry, id: slug(entry.term), line: at + 1, anchors: [] as string[], texts: [] as string[]}
  })
  return {data: {intro: parsed.intro, entries}, file}
}

function slug(term: string): string {
  return term
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
}

/** The pattern that finds every entry’s words, longest first, or undefined when no entry has any. */
function matcherOf(index: IndexData) {
  const matchers = index.entries
    .filter((entry) => entry.match.length > 0)
    .flatMap((entry) => entry.match.map((words) => ({entry, words})))
    .sort((a, b) => b.words.length - a.words.length)
  if (matchers.length === 0) return undefined
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(${matchers.map((m) => escape(m.words)).join('|')})(?![\\p{L}\\p{N}])`, 'gu')
  return {pattern, byWords: new Map(matchers.map((m) => [m.words, m.entry]))}
}

/** Whether an element’s words are left out of the index: links, titles, earlier anchors, deletions, editor’s notes. */
function unindexed(element: Element): boolean {
  const classes = (element.properties.className as string[] | undefined) || []
  return element.tagName === 'a' || element.tagName === 'h1' || ['ix', 'text-head', 'del', 'ednotes'].some((name) => classes.includes(name))
}

/** Wrap each occurrence of an entry’s words in the texts in `span.ix`, and note the anchors (and the texts they are in). */
export function indexAnchors(sections: Element[], index: IndexData): void {
  const matcher = matcherOf(index)
  if (!matcher) return
  let text = ''
  const walk = (node: Element) => {
    const children: ElementContent[] = []
    for (const child of node.children) {
      if (child.type === 'element') {
        if (!unindexed(child)) walk(child)
        children.push(child)
      } else if (child.type === 'text') {
        children.push(...split(child, matcher.pattern, matcher.byWords, text))
      } else children.push(child)
    }
    node.children = children
  }
  for (const section of sections) {
    text = String(section.properties.id ?? '')
    walk(section)
  }
}

/**
 * Which texts each entry’s words occur in (`entry.texts`, as `indexAnchors` will find them), read from
 * the texts’ trees without changing them; `index-entry-unmatched` for an entry found in none,
 * reported at its line of index.yaml.
 */
export function placeIndex(index: IndexData, texts: Array<{id: string; tree: Root | Element}>, file: VFile): void {
  const matcher = matcherOf(index)
  if (!matcher) return
  for (const {id, tree} of texts) {
    const walk = (node: Root | Element) => {
      for (const child of node.children) {
        if (child.type === 'element' && !unindexed(child)) walk(child)
        else if (child.type === 'text') {
          for (const match of child.value.matchAll(matcher.pattern)) {
            const entry = matcher.byWords.get(match[1])!
            if (!entry.texts.includes(id)) entry.texts.push(id)
          }
        }
      }
    }
    walk(tree)
  }
  for (const entry of index.entries) {
    if (!entry.see && entry.match.length > 0 && entry.texts.length === 0) {
      file.message(`Unexpected index entry \`${entry.term}\` that matches nothing in the texts, expected one of its \`match\` words to occur`, {
        place: {line: entry.line, column: 1},
        ruleId: 'index-entry-unmatched',
        source: 'reader'
      })
    }
  }
}

function split(node: Text, pattern: RegExp, byWords: Map<string, IndexData['entries'][number]>, text: string): ElementContent[] {
  const out: ElementContent[] = []
  let last = 0
  for (const match of node.value.matchAll(pattern)) {
    const entry = byWords.get(match[1])
    if (!entry) continue
    if (match.index > last) out.push({type: 'text', value: node.value.slice(last, match.index)})
    const id = `ix-${entry.id}-${entry.anchors.length + 1}`
    entry.anchors.push(id)
    if (!entry.texts.includes(text)) entry.texts.push(text)
    out.push(h('span.ix', {id, dataIx: entry.id}, match[1]))
    last = match.index + match[1].length
  }
  if (last === 0) return [node]
  if (last < node.value.length) out.push({type: 'text', value: node.value.slice(last)})
  return out
}

function escape(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** The index: entries in alphabetical order with their links and cross-references. */
export function indexSection(index: IndexData, options: {labels: Labels; language: string}): Element {
  const {labels} = options
  const collator = new Intl.Collator(options.language, {sensitivity: 'base'})
  const entries = [...index.entries].sort((a, b) => collator.compare(a.term, b.term))
  // A see or see-also names another entry by its term: a link to that entry (as written when none has that term).
  const crossReference = (term: string): ElementContent => {
    const target = entries.find((other) => collator.compare(other.term, term) === 0 && other.term.length === term.length)
    return target ? h('a.ix-xref', {href: `#index-${target.id}`, ...(target.lang ? {lang: target.lang} : {})}, term) : {type: 'text', value: term}
  }
  const entryItem = (entry: (typeof entries)[number]): Element => {
    const refs: ElementContent[] = []
    entry.anchors.forEach((anchor, i) => {
      if (i > 0) refs.push({type: 'text', value: ', '})
      refs.push(h('a.ix-ref', {href: `#${anchor}`}, String(i + 1)))
    })
    return h('li.ix-entry', {id: `index-${entry.id}`}, [
      h('span.ix-term', entry.lang ? {lang: entry.lang} : {}, entry.kind === 'work' ? [h('i', entry.term)] : entry.term),
      entry.see ? [' ', h('span.ix-see', [h('i', labels.see), ' ', crossReference(entry.see)])] : refs.length > 0 ? [' ', h('span.ix-refs', refs)] : [],
      entry.see_also.length > 0
        ? ['. ', h('span.ix-see', [h('i', labels.see_also), ' ', ...entry.see_also.flatMap((term, i) => [...(i > 0 ? ['; '] : []), crossReference(term)])])]
        : []
    ])
  }
  // Letter groups, each under its letter; the groups run in two columns in print.
  const groups: Array<{letter: string; entries: typeof entries}> = []
  for (const entry of entries) {
    const letter = groupLetter(entry.term, options.language)
    const last = groups[groups.length - 1]
    if (last && collator.compare(last.letter, letter) === 0) last.entries.push(entry)
    else groups.push({letter, entries: [entry]})
  }
  return h('section.part.back.index#index', {dataPart: 'index', role: 'doc-index'}, [
    h('h1', labels.index),
    index.intro ? h('p.index-intro', inlineMarkdown(index.intro)) : null,
    h(
      'div.index-groups',
      groups.map((group, i) => {
        const id = `index-group-${i + 1}`
        // The letter opens the group’s first entry, so a column or page never ends with a letter alone.
        const items = group.entries.map(entryItem)
        items[0].children.unshift(h('h2.index-letter', {id}, group.letter))
        items[0].properties.className = ['ix-entry', 'ix-lettered']
        return h('section.index-group', {ariaLabelledBy: id}, [h('ul.index-list', items)])
      })
    )
  ])
}

/** The letter an entry is filed under: its first letter without accents, capitalised; `0–9` for a figure; else its first character. */
export function groupLetter(term: string, language: string): string {
  const first = [...term.normalize('NFKD').replace(/\p{M}/gu, '').replace(/^[^\p{L}\p{N}]+/u, '')][0] ?? term.slice(0, 1)
  if (/\p{N}/u.test(first)) return '0–9'
  return first.toLocaleUpperCase(language)
}
