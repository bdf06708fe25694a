/**
 * Tokens for collation: words and single punctuation marks, normalised so that the typographic
 * choices an edition may make freely (quotation marks, TeX's ``…'' included, dashes, ellipses,
 * spaces) compare equal.
 */

export interface Token {
  /** The normalised form compared by the collation. */
  norm: string
  /** The characters as written. */
  raw: string
  /** Offset of `raw` in the string it was read from. */
  offset: number
  /** A hyphen that ends a line (`Ger-` before `man`): the copy-text's line breaking, not its spelling. */
  lineEnd?: boolean
}

/** Note markers on either side compare as this token. */
export const NOTE = '\u27e8note\u27e9'

/** The start or end of italics in the edition (a title the copy-text may have put in quotation marks). */
export const EM = '\u27e8em\u27e9'

/** Letters and digits apart: `word3` is a word and (perhaps) a note marker; `1890s` reads the same on both sides. */
const word = /[\p{L}\p{M}]+|\p{N}+/uy
const dashes = /[-\u2010-\u2015\u2212\u2E3A\u2E3B]+/uy
const space = /[\s\u00A0\u2000-\u200B\u202F\u205F\u3000\u00AD\uFEFF]+/uy

/** Normalise one punctuation mark. */
function normalisePunctuation(mark: string): string {
  if (/^["“”„‟«»〝〞″]$/u.test(mark)) return '"'
  if (/^['‘’‚‛`´′]$/u.test(mark)) return "'"
  return mark
}

/** Split `text` into collation tokens, with offsets into `text`. */
export function tokenize(text: string, base = 0): Token[] {
  const tokens: Token[] = []
  let index = 0
  while (index < text.length) {
    space.lastIndex = index
    if (space.test(text)) {
      index = space.lastIndex
      continue
    }
    word.lastIndex = index
    if (word.test(text)) {
      const raw = text.slice(index, word.lastIndex)
      tokens.push({norm: raw.normalize('NFKC'), raw, offset: base + index})
      index = word.lastIndex
      continue
    }
    dashes.lastIndex = index
    if (dashes.test(text)) {
      const raw = text.slice(index, dashes.lastIndex)
      const lineEnd = raw.length === 1 && /^[ \t]*(?:\n|$)/.test(text.slice(dashes.lastIndex))
      tokens.push({norm: '-', raw, offset: base + index, ...(lineEnd ? {lineEnd} : {})})
      index = dashes.lastIndex
      continue
    }
    // TeX quotation marks (``…'') are one double quotation mark each.
    const pair = text.slice(index, index + 2)
    if (pair === '``' || pair === "''") {
      tokens.push({norm: '"', raw: pair, offset: base + index})
      index += 2
      continue
    }
    const char = String.fromCodePoint(text.codePointAt(index)!)
    // An ellipsis character counts as its three dots, so `…`, `...` and `. . .` compare equal.
    const expanded = char.normalize('NFKC')
    for (const mark of expanded) tokens.push({norm: normalisePunctuation(mark), raw: char, offset: base + index})
    index += char.length
  }
  return tokens
}

/** Marks that may make up a copy-text note marker: `1`, `(1)`, `1.`, `[1]`, `1 –`, `*`, `†`. */
export function isMarkerPart(token: Token): boolean {
  return /^(\d{1,3}|[A-Z]|[().\[\]*†‡§¶-])$/u.test(token.norm)
}
