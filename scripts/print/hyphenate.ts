/**
 * Soft hyphens (U+00AD) in running text, by the language of each text node: the nearest `lang`
 * attribute, else the document’s. Headings, titles, the contents, the index, URLs, e-mail
 * addresses, code, and what is set in small capitals (abbreviations, lead-ins, attributions:
 * Chromium draws a soft hyphen in synthesised small capitals) are never hyphenated; nor is a
 * capitalised word (a name), a word in a script the language’s patterns do not know (a Russian
 * name in an English text), or a break that leaves fewer than four letters on a side (`revo-lution`,
 * not `rev-olution` or `revolution-ary`: three a side hyphenated a tenth of the Serge reader’s lines,
 * four a side 6 %, with the fitting pass in fit.ts keeping lines from running loose). With the
 * fitting pass (`least: 3`), breaks at three letters a side are offered too: its line breaker may
 * end a line at one where nothing else keeps the line from running loose, and takes out the rest.
 * Languages without patterns are left alone.
 */
import {createRequire} from 'node:module'
import type {Root, Element, Text} from 'hast'
import {classes} from './hast.ts'

type Hyphenator = (text: string, options?: {minWordLength?: number}) => string

const require = createRequire(import.meta.url)
const cache = new Map<string, Hyphenator | null>()

/** The hyphenator for a BCP 47 tag, or null when the `hyphen` package has no patterns for it. */
export function hyphenatorFor(tag: string): Hyphenator | null {
  const lower = tag.toLowerCase()
  if (cache.has(lower)) return cache.get(lower)!
  const [base] = lower.split('-')
  const names = lower === base ? (base === 'en' ? ['en-us'] : [base]) : [lower, base === 'en' ? 'en-us' : base]
  let found: Hyphenator | null = null
  for (const name of names) {
    if (!/^[a-z0-9-]+$/.test(name)) continue
    try {
      found = require(`hyphen/${name}`).hyphenateSync as Hyphenator
      break
    } catch {}
  }
  cache.set(lower, found)
  return found
}

const neverTags = new Set(['abbr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'code', 'pre', 'kbd', 'samp', 'script', 'style', 'title', 'nav', 'head'])
const neverClasses = ['lead-in', 'attribution', 'text-title', 'text-subtitle', 'text-author', 'half-title', 'title-page', 'toc', 'index', 'url', 'copyright']
const urlish = /(:\/\/|^www\.|@|\/)/

export interface Options {
  /** Language of text without a `lang` attribute (the book’s). */
  lang: string
  /**
   * The fewest letters a break leaves on a side: 4 (the default), or 3 when the fitting pass
   * (fit.ts) follows, which offers the breaks at three to its line breaker only and takes out
   * those it does not choose.
   */
  least?: 3 | 4
}

export default function rehypeHyphenate(options: Readonly<Options>) {
  return function (tree: Root): undefined {
    // Per language, its hyphenator, looked up at its first long word (so that patterns load only
    // if they are needed), and the words done: a book repeats its words.
    const languages = new Map<string, {hyphenate?: Hyphenator | null; words: Map<string, string>; script: RegExp | null}>()
    const hyphenateText = (node: Text, lang: string) => {
      let language = languages.get(lang)
      if (!language) languages.set(lang, (language = {words: new Map(), script: scriptOf(lang)}))
      const {words, script} = language
      // The words that can take a hyphen: six characters or more between spaces, no URLs, no
      // capitalised word (a name), none in another script than the language’s patterns know.
      node.value = node.value.replace(/\S{6,}/g, (token) => {
        let done = words.get(token)
        if (done === undefined) {
          if (urlish.test(token) || /\p{Lu}/u.test(token) || (script && !script.test(token))) done = token
          else {
            language.hyphenate ??= hyphenatorFor(lang)
            done = language.hyphenate ? lettersEachSide(language.hyphenate(token, {minWordLength: 6}), options.least ?? leastLetters) : token
          }
          words.set(token, done)
        }
        return done
      })
    }
    // Down the tree with the language in force; what is never hyphenated is not entered.
    const walk = (node: Root | Element, lang: string) => {
      for (const child of node.children) {
        if (child.type === 'text') {
          if (child.value.length >= 6) hyphenateText(child, lang)
        } else if (child.type === 'element' && !never(child)) {
          walk(child, typeof child.properties.lang === 'string' && child.properties.lang ? child.properties.lang : lang)
        }
      }
    }
    walk(tree, options.lang)
  }
}

/**
 * Letters only of the script a language is written in (`en` → Latin, `ru` → Cyrillic), from the
 * tag’s likely script; null when it cannot be told (then nothing is held back).
 */
function scriptOf(lang: string): RegExp | null {
  try {
    const script = new Intl.Locale(lang).maximize().script
    const names: Record<string, string> = {Latn: 'Latin', Cyrl: 'Cyrillic', Grek: 'Greek', Armn: 'Armenian', Geor: 'Georgian'}
    return script && names[script] ? new RegExp(`^[^\\p{L}]*(?:[\\p{Script=${names[script]}}\\p{M}\\u00AD][^\\p{L}]*)*$`, 'u') : null
  } catch {
    return null
  }
}

/** The fewest letters a break leaves on either side. */
const leastLetters = 4

/** Soft hyphens that leave `least` letters or more on each side (`ex-tra` and `read-y` are not breaks to offer). */
function lettersEachSide(word: string, least: number): string {
  const letter = /[\p{L}\p{M}]/u
  let out = ''
  for (let i = 0; i < word.length; i++) {
    if (word[i] !== '\u00AD') {
      out += word[i]
      continue
    }
    let before = 0
    for (let j = i - 1; j >= 0 && (letter.test(word[j]) || word[j] === '\u00AD'); j--) if (word[j] !== '\u00AD') before++
    let after = 0
    for (let j = i + 1; j < word.length && (letter.test(word[j]) || word[j] === '\u00AD'); j++) if (word[j] !== '\u00AD') after++
    if (before >= least && after >= least) out += word[i]
  }
  return out
}

function never(element: Element): boolean {
  if (neverTags.has(element.tagName)) return true
  const names = classes(element)
  if (neverClasses.some((c) => names.includes(c))) return true
  const href = element.properties.href
  return element.tagName === 'a' && urlish.test(String(href || '')) && !String(href).startsWith('#')
}
