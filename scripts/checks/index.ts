/**
 * The preset: every check the edition runs on a file, in order. One rule per file, file name = rule id.
 */
import type {Root} from 'mdast'
import type {VFile} from 'vfile'
import type {Book} from '../manuscript/schema.ts'
import {runRules, type Rule} from './rule.ts'
import noteReferenceDefined from './note-reference-defined.ts'
import noteDefinitionUsed from './note-definition-used.ts'
import noteEmpty from './note-empty.ts'

export const rules: Rule[] = [noteReferenceDefined, noteDefinitionUsed, noteEmpty]

export interface Options {
  book?: Book
  isText: boolean
}

export function checkPreset(options: Readonly<Options>) {
  return function (tree: Root, file: VFile): undefined {
    runRules(rules, tree, file, {book: options.book, isText: options.isText})
  }
}
