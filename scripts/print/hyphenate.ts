/**
 * Soft hyphens (U+00AD) in running text, by the language of each text node: the nearest `lang`
 * attribute, else the document’s. Headings, titles, the contents, the index, URLs, e-mail
 * addresses and code are never hyphenated. Languages without patterns are left alone.
 */
import {createRequire} from 'node:module'
import type {Root, Element, Text} from 'hast'
import {visitParents} from 'unist-util-visit-parents'
import {hasClass} from './hast.ts'

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

const neverTags = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'code', 'pre', 'kbd', 'samp', 'script', 'style', 'title', 'nav', 'head'])
const neverClasses = ['lead-in', 'text-title', 'text-subtitle', 'text-author', 'half-title', 'title-page', 'toc', 'index', 'url', 'copyright']
const urlish = /(:\/\/|^www\.|@|\/)/

export interface Options {
  /** Language of text without a `lang` attribute (the book’s). */
  lang: string
}

export default function rehypeHyphenate(options: Readonly<Options>) {
  return function (tree: Root): undefined {
    const seen = new Map<string, Map<string, string>>()
    visitParents(tree, 'text', (node: Text, ancestors) => {
      let lang = options.lang
      for (let i = ancestors.length - 1; i >= 0; i--) {
        const parent = ancestors[i]
        if (parent.type !== 'element') continue
        const element = parent as Element
        if (neverTags.has(element.tagName)) return
        if (neverClasses.some((c) => hasClass(element, c))) return
        if (element.tagName === 'a' && urlish.test(String(element.properties.href || '')) && !String(element.properties.href).startsWith('#')) return
      }
      for (let i = ancestors.length - 1; i >= 0; i--) {
        const element = ancestors[i] as Element
        if (element.type === 'element' && typeof element.properties.lang === 'string' && element.properties.lang) {
          lang = element.properties.lang
          break
        }
      }
      const hyphenate = hyphenatorFor(lang)
      if (!hyphenate) return
      // A book repeats its words: each is hyphenated once per language.
      let words = seen.get(lang)
      if (!words) seen.set(lang, (words = new Map()))
      const known = words
      node.value = node.value
        .split(/(\s+)/)
        .map((token) => {
          if (/\s/.test(token) || token.length < 6 || urlish.test(token)) return token
          let done = known.get(token)
          if (done === undefined) known.set(token, (done = hyphenate(token, {minWordLength: 6})))
          return done
        })
        .join('')
    })
  }
}
