/**
 * Characters the book face lacks, replaced by their nearest EB Garamond equivalent so no fallback
 * font creeps into the PDF (preflight rejects any font but the book’s). The CJK angle brackets of
 * the textual notes’ 〈deleted〉 become single guillemets, which read the same at text size.
 * Stress accents (combining U+0301) after Cyrillic letters are dropped, as Russian print does:
 * the @fontsource Cyrillic subset cannot shape them, and Chromium would fall back to DejaVu.
 */
import type {Root, Text} from 'hast'
import {visit} from 'unist-util-visit'

export const substitutes: Record<string, string> = {
  '\u3008': '\u2039', // 〈 → ‹
  '\u3009': '\u203A', // 〉 → ›
  '\u27E8': '\u2039', // ⟨ → ‹
  '\u27E9': '\u203A', // ⟩ → ›
  '\u2021': '\u2020\u2020', // ‡ (the @fontsource files have no double dagger): ††
  '\u2016': '||', // ‖ (fifth note mark in the * † ‡ § ‖ series)
  '\u21A9': '' // ↩ (back-links, hidden in print anyway)
}

const pattern = new RegExp(`[${Object.keys(substitutes).join('')}]`, 'g')

export default function rehypeBookFaceGlyphs() {
  return function (tree: Root): undefined {
    visit(tree, 'text', (node: Text) => {
      if (pattern.test(node.value)) node.value = node.value.replace(pattern, (c) => substitutes[c])
      if (node.value.includes('\u0301')) node.value = node.value.replace(/([\u0400-\u04FF]\u00AD?)\u0301/g, '$1')
    })
  }
}
