/**
 * Languages of the titles the book writes in italics (`i`, `em`, `cite`): a title that is a work’s
 * original title in `works.yaml` (with `original.language`) or an index entry given a `lang` in
 * `index.yaml` gets that language wherever it stands with none, so reading systems and screen
 * readers say it in its language (WCAG 3.1.2, language of parts).
 *
 * `unmarkedTitles` is the check: an italic run with no language around it, in a part the pipeline
 * or the editor writes (not a text, which is the copy-text’s own), that reads as another language
 * than the book’s (`looksForeign`; in a book in English only) is reported (`language-unmarked`).
 */
import type {Element, ElementContent, Root} from 'hast'
import type {VFile} from 'vfile'
import {toString} from 'hast-util-to-string'

const italics = new Set(['i', 'em', 'cite'])

/** Normalise a title for comparison: curly and straight apostrophes alike, spaces collapsed, case kept. */
export function titleKey(title: string): string {
  return title.replace(/[\u2019']/g, '’').replace(/\s+/g, ' ').trim().toLowerCase()
}

/** Give each italic run whose text is one of `titles` (key → language) that language, where none is set around it. */
export function markTitleLanguages(tree: Root | Element, titles: Map<string, string>): number {
  let marked = 0
  const walk = (node: Root | Element, hasLang: boolean) => {
    for (const child of node.children) {
      if (child.type !== 'element') continue
      const own = typeof child.properties.lang === 'string' && child.properties.lang !== ''
      if (!hasLang && !own && italics.has(child.tagName)) {
        const language = titles.get(titleKey(toString(child)))
        if (language) {
          child.properties.lang = language
          marked++
          continue
        }
      }
      walk(child, hasLang || own)
    }
  }
  walk(tree, false)
  return marked
}

/** Function words of French, Spanish, Italian, German and Portuguese that English titles do not use. */
const functionWords = new Set(
  [
    'le la les du des de et dans une au aux sur pour avec sans est', // fr
    'el los las y del por para una', // es
    'il gli della delle dei nella', // it
    'der das und von zur zum für über eine', // de
    'não dos' // pt
  ].flatMap((list) => list.split(' '))
)

/** Letters English does not use (accents and others), and scripts other than Latin. */
const foreignLetters = /[àâäçéèêëîïôöûùüÿñæœßáíóúãõ]/iu
const otherScript = /[\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u

/**
 * Whether `text` reads as a language other than English: a letter English does not use, another
 * script, a French elision (`L’`, `d’`, `qu’`), or a function word of another language.
 */
export function looksForeign(text: string): boolean {
  const value = titleKey(text)
  if (otherScript.test(value) || foreignLetters.test(value)) return true
  return value
    .toLowerCase()
    .split(/[\s,.;:()!?—–-]+/)
    .some((word) => /^(?:l|d|qu|s|n|j)’(?:\p{L}|$)/u.test(word) || functionWords.has(word))
}

/** The text of `node` outside its descendants that have a language of their own (`*:fr[…]*`). */
function unmarkedText(node: Element): string {
  return node.children
    .map((child) => (child.type === 'text' ? child.value : child.type === 'element' && !(typeof child.properties.lang === 'string' && child.properties.lang) ? unmarkedText(child) : ''))
    .join('')
}

export interface UnmarkedTitle {
  text: string
  node: Element
}

/** Italic runs of `tree` with no language around them that read as another language (see `looksForeign`). */
export function unmarkedTitles(tree: Root | Element, bookLanguage: string): UnmarkedTitle[] {
  if (!/^en\b/i.test(bookLanguage)) return []
  const found: UnmarkedTitle[] = []
  const walk = (node: Root | Element, hasLang: boolean) => {
    for (const child of node.children as ElementContent[]) {
      if (child.type !== 'element') continue
      const lang = typeof child.properties.lang === 'string' ? child.properties.lang : ''
      const marked = hasLang || (lang !== '' && !/^en\b/i.test(lang))
      if (!marked && italics.has(child.tagName)) {
        const text = unmarkedText(child)
        if (looksForeign(text)) {
          found.push({text: text.replace(/\s+/g, ' ').trim(), node: child})
          continue
        }
      }
      walk(child, marked)
    }
  }
  walk(tree, false)
  return found
}

/** The original titles of works.yaml that give their language, by `titleKey`. */
export function workTitleLanguages(works: ReadonlyArray<{original: {title: string; language?: string}}>): Map<string, string> {
  const titles = new Map<string, string>()
  for (const work of works) if (work.original.title && work.original.language) titles.set(titleKey(work.original.title), work.original.language)
  return titles
}

/**
 * The check (`language-unmarked`): in each editorial part (its tree, with the file it came from)
 * and in the index’s work titles, an italic title that reads as another language, is not a known
 * original title (which the HTML step marks), and has no language — at its place in its file.
 */
export function checkTitleLanguages(options: {
  parts: ReadonlyArray<{tree: Root; file: VFile}>
  titles: Map<string, string>
  index?: {entries: ReadonlyArray<{term: string; kind: string; lang?: string}>; file: VFile}
  language: string
}): void {
  const {titles, language} = options
  const report = (file: VFile, text: string, place: Element['position'] | {line: number; column: number} | undefined) =>
    file.message(`Unexpected title \`${text}\` in another language with no language marked, expected it marked (\`:fr[…]\`, \`original.language\` in works.yaml, \`lang\` in index.yaml)`, {
      place,
      ruleId: 'language-unmarked',
      source: 'reader'
    })
  for (const {tree, file} of options.parts) {
    for (const {text, node} of unmarkedTitles(tree, language)) if (!titles.has(titleKey(text))) report(file, text, node.position)
  }
  if (options.index && /^en\b/i.test(language)) {
    const {file} = options.index
    for (const entry of options.index.entries) {
      if (entry.kind !== 'work' || entry.lang || titles.has(titleKey(entry.term)) || !looksForeign(entry.term)) continue
      report(file, entry.term, termPlace(String(file.value ?? ''), entry.term))
    }
  }
}

/** Where index.yaml gives `term: <term>`. */
function termPlace(source: string, term: string): {line: number; column: number} | undefined {
  const at = source.search(new RegExp(`term:\\s*['"]?${term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))
  if (at < 0) return undefined
  const before = source.slice(0, at).split('\n')
  return {line: before.length, column: before.at(-1)!.length + 1}
}
