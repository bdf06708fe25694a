/**
 * remark plugin: spaces. No double spaces, no space before a comma, and a non-breaking space where a
 * line must not break: before a note reference, between `p.`/`pp.` and its number, inside initials
 * (`D. J. Cotterill`).
 */
import type {Root} from 'mdast'
import {editBlocks, regexEdits, NOTE_MARK, type Edit} from './text.ts'

function normaliseSpaces(value: string): Edit[] {
  const edits: Edit[] = []
  const add = (list: Edit[]) => {
    for (const edit of list) if (!edits.some((e) => edit.start < e.end && edit.end > e.start)) edits.push(edit)
  }
  add(regexEdits(value, new RegExp(`[ \\u00A0]+(?=${NOTE_MARK})`, 'gu'), () => '\u00A0'))
  add(regexEdits(value, /(?<=\S) +(?=,)/gu, () => ''))
  add(regexEdits(value, /\b(pp?\.)[ \u00A0]*(?=\d)/gu, (m) => `${m[1]}\u00A0`))
  add(regexEdits(value, /(?<=(?:^|[\s(])\p{Lu}\.) +(?=\p{Lu}\.)/gu, () => '\u00A0'))
  add(regexEdits(value, / +(?=\u00A0)|(?<=\u00A0) +/gu, () => ''))
  add(regexEdits(value, /(?<=\S) {2,}/gu, () => ' '))
  return edits
}

export default function remarkNormaliseSpaces() {
  return function (tree: Root): undefined {
    editBlocks(tree, normaliseSpaces)
  }
}
