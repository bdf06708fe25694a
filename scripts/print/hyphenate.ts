/**
 * Soft hyphens (U+00AD) in running text, by the language of each text node: the nearest `lang`
 * attribute, else the document’s. Headings, titles, the contents, the index, URLs, e-mail
 * addresses, code, and what is set in small capitals (abbreviations, lead-ins, attributions:
 * Chromium draws a soft hyphen in synthesised small capitals) are never hyphenated. Languages without patterns are left alone.
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
}

export default function rehypeHyphenate(options: Readonly<Options>) {
  return function (tree: Root): undefined {
    // Per language, its hyphenator, looked up at its first long word (so that patterns load only
    // if they are needed), and the words done: a book repeats its words.
    const languages = new Map<string, {hyphenate?: Hyphenator | null; words: Map<string, string>}>()
    const hyphenateText = (node: Text, lang: string) => {
      let language = languages.get(lang)
      if (!language) languages.set(lang, (language = {words: new Map()}))
      const {words} = language
      // The words that can take a hyphen: six characters or more between spaces, no URLs.
      node.value = node.value.replace(/\S{6,}/g, (token) => {
        let done = words.get(token)
        if (done === undefined) {
          if (urlish.test(token)) done = token
          else {
            language.hyphenate ??= hyphenatorFor(lang)
            done = language.hyphenate ? language.hyphenate(token, {minWordLength: 6}) : token
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

function never(element: Element): boolean {
  if (neverTags.has(element.tagName)) return true
  const names = classes(element)
  if (neverClasses.some((c) => names.includes(c))) return true
  const href = element.properties.href
  return element.tagName === 'a' && urlish.test(String(href || '')) && !String(href).startsWith('#')
}
