/** Run the check preset (and optionally the cross-text checks) on Markdown fixtures. */
import {unified} from 'unified'
import remarkParse from 'remark-parse'
import remarkGfm from 'remark-gfm'
import remarkDirective from 'remark-directive'
import {VFile} from 'vfile'
import {checkPreset} from '../../scripts/checks/index.ts'
import {runRules, type Rule} from '../../scripts/checks/rule.ts'
import {collectAccepts, controlMessages} from '../../scripts/checks/control.ts'
import type {Book} from '../../scripts/manuscript/schema.ts'
import {checkCrossText} from '../../scripts/cross-text/index.ts'
import {collectCrossText} from '../../scripts/cross-text/collect.ts'
import type {Work} from '../../scripts/cross-text/works.ts'

const parser = unified().use(remarkParse).use(remarkGfm).use(remarkDirective)

/** The messages one rule gives on a fixture, as `file:line:col…: reason` strings (accept comments and `rules` applied). */
export function lint(rule: Rule, markdown: string, path = 'ch1.md', rules: Book['rules'] = {}): string[] {
  const file = new VFile({path, value: markdown})
  const tree = parser.parse(file)
  collectAccepts(tree, file)
  runRules([rule], tree, file, {isText: true, book: {rules} as Book})
  controlMessages(file, {rules})
  return file.messages.map(String)
}

/** The messages the cross-text checks give on several texts. */
export function lintTexts(texts: Record<string, string>, works: Work[] = []): string[] {
  const parts = Object.entries(texts).map(([rel, markdown]) => {
    const file = new VFile({path: rel, value: markdown})
    const tree = parser.parse(file)
    unified().use(checkPreset, {isText: true}).runSync(tree, file)
    file.messages.length = 0
    collectCrossText(tree, file)
    return {loaded: {rel, matter: 'text' as const, file}}
  })
  checkCrossText(parts, works)
  for (const part of parts) controlMessages(part.loaded.file)
  return parts.flatMap((p) => p.loaded.file.messages.map(String))
}
