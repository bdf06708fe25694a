/**
 * Limits checked on the raw text before parsing: a paragraph too long to be prose (pasted data),
 * block containers (quotations, lists) nested deeper than any book needs, and brackets (links,
 * directives) nested the same. Each would make the parser or a later stage slow or overflow its
 * stack; caught here, in one linear pass, they are a located message instead.
 */
import type {VFile} from 'vfile'

const limits = {paragraphChars: 200_000, quoteDepth: 16, blockDepth: 32, bracketDepth: 32}

/** Report what exceeds the limits; returns false when the file must not be parsed. */
export function withinLimits(file: VFile): boolean {
  const text = String(file.value)
  const fail = (offset: number, reason: string, ruleId: string) => {
    file.message(reason, {place: pointOf(text, offset), ruleId, source: 'reader'})
    return false
  }

  const paragraph = /[^\n](?:[^\n]|\n(?![ \t]*\n))*/g
  for (const match of text.matchAll(paragraph)) {
    if (match[0].length > limits.paragraphChars) {
      return fail(
        match.index,
        `Unexpected paragraph of ${match[0].length.toLocaleString('en')} characters, expected at most ${limits.paragraphChars.toLocaleString('en')}: is this pasted data?`,
        'paragraph-too-long'
      )
    }
  }

  // Block containers: the quotation marks and list markers that open a line, and its indentation
  // (two columns a level, as a list nested by indentation needs at least that).
  let offset = 0
  for (const line of text.split('\n')) {
    const prefix = /^(?:[ \t]*(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)))*/.exec(line)![0]
    const quotes = prefix.split('>').length - 1
    if (quotes > limits.quoteDepth) {
      return fail(offset, `Unexpected block quotations nested ${quotes} deep, expected at most ${limits.quoteDepth}`, 'nesting-too-deep')
    }
    const markers = prefix.replace(/[ \t]+/g, ' ').split(' ').filter(Boolean).length
    const indent = /^[ \t]*/.exec(line)![0].replace(/\t/g, '    ').length
    const depth = markers + Math.floor(indent / 2)
    if (depth > limits.blockDepth) {
      return fail(offset, `Unexpected quotations and lists nested about ${depth} deep, expected at most ${limits.blockDepth}`, 'nesting-too-deep')
    }
    offset += line.length + 1
  }

  // Brackets (links, images, directives’ content) within one paragraph.
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code === 92 /* \ */) i++
    else if (code === 91 /* [ */) {
      if (++depth > limits.bracketDepth) {
        return fail(i, `Unexpected brackets nested more than ${limits.bracketDepth} deep (links, notes or directives inside one another), expected at most ${limits.bracketDepth}`, 'nesting-too-deep')
      }
    } else if (code === 93 /* ] */) depth = Math.max(0, depth - 1)
    else if (code === 10 && /^[ \t]*(\n|$)/.test(text.slice(i + 1, i + 82))) depth = 0
  }
  return true
}

/** 1-based line and column of an offset. */
function pointOf(text: string, offset: number): {line: number; column: number} {
  const before = text.slice(0, offset)
  const line = before.split('\n').length
  return {line, column: offset - before.lastIndexOf('\n')}
}
