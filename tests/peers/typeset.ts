/** A peer's input through the edition: parsed as Markdown, checked, and normalised in the house style. */
import {unified} from 'unified'
import remarkParse from 'remark-parse'
import remarkGfm from 'remark-gfm'
import remarkDirective from 'remark-directive'
import type {Nodes} from 'mdast'
import {VFile} from 'vfile'
import {checkPreset} from '../../scripts/checks/index.ts'
import {controlMessages} from '../../scripts/checks/control.ts'
import {normalisePreset} from '../../scripts/normalise/index.ts'
import {htmlText} from './suites.ts'

const parser = unified().use(remarkParse).use(remarkGfm).use(remarkDirective)

export interface Typeset {
  /** The text as the edition prints it, paragraphs one per line. */
  text: string
  /** The rules that stop the build on this input (errors), and those that warn. */
  errors: string[]
  warnings: string[]
}

function flat(node: Nodes): string {
  if (node.type === 'break') return '\n'
  if ('value' in node) return node.value
  if ('children' in node) return (node.children as Nodes[]).map(flat).join('')
  return ''
}

export function typeset(input: string): Typeset {
  const file = new VFile({path: 'case.md', value: input})
  const tree = parser.parse(file)
  unified().use(checkPreset, {isText: true}).use(normalisePreset, {}).runSync(tree, file)
  controlMessages(file)
  const blocks: string[] = []
  const walk = (node: Nodes) => {
    if (node.type === 'paragraph' || node.type === 'heading' || node.type === 'html' || node.type === 'code') blocks.push(flat(node))
    else if ('children' in node) for (const child of node.children as Nodes[]) walk(child)
  }
  walk(tree)
  const rules = (fatal: boolean) => [...new Set(file.messages.filter((m) => Boolean(m.fatal) === fatal).map((m) => m.ruleId ?? ''))].sort()
  return {text: htmlText(blocks.join('\n')), errors: rules(true), warnings: rules(false)}
}
