/**
 * Reading a copy-text in its own format before collation, so that its markup is not taken for words:
 *
 * - `text`: plain text; wiki headings (`= Title =`), list bullets and `>` quotation marks at the
 *   start of a line are structure;
 * - `markdown`: read with remark (GFM): emphasis, headings, block quotes, code fences, escapes and
 *   entities are markup; `[^n]` references and definitions are note markers;
 * - `html`: read with hast-util-from-html: tags are markup, entities are characters, `<head>`,
 *   `<script>` and `<style>` are not text.
 *
 * Every token keeps its offset in the copy-text (line endings normalised to LF), for messages.
 */
import path from 'node:path'
import {unified} from 'unified'
import remarkParse from 'remark-parse'
import remarkGfm from 'remark-gfm'
import remarkFrontmatter from 'remark-frontmatter'
import type {Nodes as MdastNodes} from 'mdast'
import {fromHtml} from 'hast-util-from-html'
import type {Nodes as HastNodes} from 'hast'
import {NOTE, tokenize, type Token} from './tokens.ts'

export const copyTextFormats = ['text', 'markdown', 'html'] as const
export type CopyTextFormat = (typeof copyTextFormats)[number]

/** Line endings as LF: a CRLF or CR copy-text compares as its LF form. */
export function normaliseLineEndings(text: string): string {
  return text.replace(/\r\n?/g, '\n')
}

/**
 * The format of a copy-text when its text does not say: from the file name's extension, else from
 * its content (an HTML document, or Markdown footnotes `[^n]: …`), else plain text.
 */
export function detectFormat(name: string, text: string): CopyTextFormat {
  const extension = path.extname(name).toLowerCase()
  if (['.md', '.markdown', '.mdown', '.mkd'].includes(extension)) return 'markdown'
  if (['.html', '.htm', '.xhtml'].includes(extension)) return 'html'
  if (/^\uFEFF?\s*<(?:!doctype\s+html|html[\s>]|\?xml)/i.test(text)) return 'html'
  // Markdown footnotes: a definition `[^n]: …` whose label is referenced elsewhere.
  for (const match of text.matchAll(/^\[\^([^\]\s]+)\]:[ \t]/gm)) {
    if (text.includes(`[^${match[1]}]`, match.index! + match[0].length) || text.slice(0, match.index).includes(`[^${match[1]}]`)) {
      return 'markdown'
    }
  }
  return 'text'
}

/** The copy-text's words and marks, read in `format`, less the ranges `cut` (removals). */
export function readCopyTextTokens(text: string, format: CopyTextFormat, cut: Array<[number, number]>): Token[] {
  if (format === 'text') return plainTokens(text, cut)
  const tokens = format === 'markdown' ? markdownTokens(text) : htmlTokens(text)
  return tokens.filter((token) => !cut.some(([from, to]) => token.offset >= from && token.offset < to))
}

/**
 * Project Gutenberg's `[Footnote 1: …]`: the bracket, the word and the colon are markup around the
 * note marker `1` (blanked, offsets kept).
 */
function blankFootnoteBlocks(text: string): string {
  return text.replace(/^(\[Footnote )([0-9]{1,3}|[A-Z])(:)([\s\S]*?)(\])(?=[ \t]*(?:\n|$))/gm, (_all, open, key, colon, body, close) =>
    ' '.repeat(open.length) + key + ' '.repeat(colon.length) + body + ' '.repeat(close.length)
  )
}

/**
 * Whether a `* ` at the start of a line is a note's mark rather than a list bullet: the text has a
 * reference `*` (glued after a word or punctuation, the only asterisk of its line) for it.
 */
function hasStarNotes(text: string): boolean {
  return text.split('\n').some((line) => /^[^*]*[\p{L}\p{N}.,;:!?”’"')\]]\*(?=\s|$)[^*]*$/u.test(line))
}

/**
 * `target.push(...items)` for any number of items: spread arguments go on the stack, and a long
 * copy-text’s tokens (a few hundred thousand) overflow it.
 */
export function append<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item)
}

function plainTokens(original: string, cut: Array<[number, number]>): Token[] {
  const text = blankFootnoteBlocks(original)
  const stars = hasStarNotes(text)
  const tokens: Token[] = []
  let start = 0
  for (const [from, to] of [...cut, [text.length, text.length] as [number, number]]) {
    append(tokens, structuralTokens(text.slice(start, from), start, stars))
    start = Math.max(start, to)
  }
  return tokens
}

/**
 * Tokens of a stretch of plain copy-text, less its structural markup (wiki headings, bullets, `>`,
 * `<sup>`); a `* ` that starts a note (`stars`) is the note's marker, kept.
 */
function structuralTokens(text: string, base: number, stars: boolean): Token[] {
  const tokens: Token[] = []
  let offset = 0
  for (const line of text.split('\n')) {
    let body = line
    let shift = 0
    const heading = /^(\s*=+\s*)(.*?)\s*=+\s*$/.exec(line)
    const bullet = /^(\s*(?:[-*•]|>(?:[ \t]*>)*)[ \t]+)/.exec(line)
    if (heading) {
      shift = heading[1].length
      body = heading[2]
    } else if (bullet && !(stars && /^\s*\*[ \t]/.test(line))) {
      shift = bullet[1].length
      body = line.slice(shift)
    }
    // `<sup>3</sup>` and `<a …>` around a note marker in a plain copy-text are markup (blanked, offsets kept).
    body = body.replace(/<\/?(?:sup|a)\b[^>]*>/gi, (tag) => ' '.repeat(tag.length))
    // `_italics_`: the underscores are a plain copy-text's markup for italics, never words.
    body = body.replace(/_/g, ' ')
    append(tokens, tokenize(body, base + offset + shift))
    offset += line.length + 1
  }
  return tokens
}

/** No remark-directive here: a copy-text’s `:word` is text, not a directive. */
const markdownParser = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm)

function markdownTokens(text: string): Token[] {
  const tree = markdownParser.parse(text)
  const tokens: Token[] = []
  const emit = (value: string, node: MdastNodes) => {
    append(tokens, tokenize(value, node.position?.start.offset ?? 0))
  }
  const walk = (node: MdastNodes) => {
    switch (node.type) {
      case 'yaml': {
        // A Markdown copy-text’s own front matter: only its title and subtitle are text.
        const base = node.position?.start.offset ?? 0
        const head = text.slice(base).indexOf(node.value)
        for (const match of node.value.matchAll(/^(?:title|subtitle)[ \t]*:[ \t]*["']?(.*?)["']?[ \t]*$/gm)) {
          append(tokens, tokenize(match[1], base + Math.max(head, 0) + match.index! + match[0].indexOf(match[1])))
        }
        return
      }
      case 'text':
      case 'inlineCode':
      case 'code':
        emit(node.value, node)
        return
      case 'html':
        if (!/^\s*<!--/.test(node.value)) emit(node.value.replace(/<[^>]*>/g, ' '), node)
        return
      case 'image':
      case 'imageReference':
      case 'definition':
        return
      case 'footnoteReference':
        tokens.push({norm: NOTE, raw: `[^${node.label}]`, offset: node.position?.start.offset ?? 0})
        return
      case 'footnoteDefinition':
        tokens.push({norm: NOTE, raw: `[^${node.label}]:`, offset: node.position?.start.offset ?? 0})
        break
    }
    if ('children' in node) for (const child of node.children) walk(child as MdastNodes)
  }
  walk(tree)
  return tokens
}

const notText = new Set(['head', 'script', 'style', 'template', 'noscript'])

/** Elements that are inline: their text runs on into the words around them (`12<sup>th</sup>`). */
const inline = new Set([
  'a', 'abbr', 'b', 'bdi', 'bdo', 'cite', 'code', 'data', 'del', 'dfn', 'em', 'font', 'i', 'ins', 'kbd',
  'mark', 'q', 'ruby', 'rt', 's', 'samp', 'small', 'span', 'strong', 'sub', 'sup', 'time', 'tt', 'u', 'var'
])

/** Text that is a note marker (`1`, `[2]`, `*`): kept apart from the word it is attached to. */
const markerText = /^\s*[[(]?\s*(?:\d{1,3}|[*†‡§¶]+)\s*[\])]?\s*$/u

/**
 * The document's text, inline elements run together and blocks apart, tokenized as one string so
 * that a word split by a tag is one word; each character keeps its offset in the copy-text.
 */
function htmlTokens(text: string): Token[] {
  const tree = fromHtml(text)
  let flat = ''
  const offsets: number[] = []
  const push = (value: string, at: number | undefined) => {
    for (let i = 0; i < value.length; i++) offsets.push(at === undefined ? (offsets.at(-1) ?? 0) : at + i)
    flat += value
  }
  const walk = (node: HastNodes) => {
    if (node.type === 'text') {
      push(node.value, node.position?.start.offset)
      return
    }
    if (node.type === 'element') {
      if (notText.has(node.tagName)) return
      const apart = !inline.has(node.tagName) || markerText.test(toText(node))
      if (apart) push(' ', node.position?.start.offset)
      for (const child of node.children) walk(child as HastNodes)
      if (apart) push(' ', node.position?.end.offset)
      return
    }
    if ('children' in node) for (const child of node.children) walk(child as HastNodes)
  }
  walk(tree)
  return tokenize(flat).map((token) => ({...token, offset: offsets[token.offset] ?? 0}))
}

function toText(node: HastNodes): string {
  if (node.type === 'text') return node.value
  if ('children' in node) return node.children.map((child) => toText(child as HastNodes)).join('')
  return ''
}
