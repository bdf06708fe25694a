/**
 * The preset: every check the edition runs on a file, in order. One rule per file, file name = rule id
 * (registered, with its severity, in scripts/rules.ts). It keeps the file’s accept comments for the
 * message control that runs once every check is done (scripts/checks/control.ts).
 * It also collects, for each text, what the cross-text checks (scripts/citations) need, while the tree
 * is still the manuscript as written.
 */
import type {Root} from 'mdast'
import type {VFile} from 'vfile'
import type {Book} from '../manuscript/schema.ts'
import {runRules, type Rule} from './rule.ts'
import {collectAccepts} from './control.ts'
import noteReferenceDefined from './note-reference-defined.ts'
import noteDefinitionUsed from './note-definition-used.ts'
import noteDefinitionUnique from './note-definition-unique.ts'
import noteEmpty from './note-empty.ts'
import noteNumbering from './note-numbering.ts'
import noteIbid from './note-ibid.ts'
import pageReferenceFormat from './page-reference-format.ts'
import noUnbalancedQuotes from './no-unbalanced-quotes.ts'
import quoteDirection from './quote-direction.ts'
import noStraightQuotes from './no-straight-quotes.ts'
import noRepeatedWords from './no-repeated-words.ts'
import noDoubledPunctuation from './no-doubled-punctuation.ts'
import noSpaceBeforePunctuation from './no-space-before-punctuation.ts'
import {collectCrossText} from '../cross-text/collect.ts'

export const rules: Rule[] = [
  noteReferenceDefined,
  noteDefinitionUsed,
  noteDefinitionUnique,
  noteEmpty,
  noteNumbering,
  noteIbid,
  pageReferenceFormat,
  noUnbalancedQuotes,
  quoteDirection,
  noStraightQuotes,
  noRepeatedWords,
  noDoubledPunctuation,
  noSpaceBeforePunctuation
]

export interface Options {
  book?: Book
  isText: boolean
}

export function checkPreset(options: Readonly<Options>) {
  return function (tree: Root, file: VFile): undefined {
    collectAccepts(tree, file)
    runRules(rules, tree, file, {book: options.book, isText: options.isText})
    if (options.isText) collectCrossText(tree, file)
  }
}
