import {unified} from 'unified'
import remarkParse from 'remark-parse'
import remarkGfm from 'remark-gfm'
import remarkDirective from 'remark-directive'
import type {Root} from 'mdast'
import {toString} from 'mdast-util-to-string'

const parser = unified().use(remarkParse).use(remarkGfm).use(remarkDirective)

export function parse(markdown: string): Root {
  return parser.parse(markdown)
}

/** The text of every paragraph (and heading), one per line, after running transformers. */
export function run(markdown: string, steps: Array<(tree: Root) => undefined>): string {
  const tree = parse(markdown)
  for (const step of steps) step(tree)
  return textOf(tree)
}

export function textOf(tree: Root): string {
  const out: string[] = []
  const walk = (node: any) => {
    if (node.type === 'paragraph' || node.type === 'heading') {
      out.push(flat(node))
      return
    }
    if (node.children) for (const child of node.children) walk(child)
  }
  walk(tree)
  return out.join('\n')
}

function flat(node: any): string {
  if (node.type === 'footnoteReference') return `[^${node.label}]`
  if (node.type === 'inlineCode') return '`' + node.value + '`'
  if ('value' in node) return node.value
  return (node.children || []).map(flat).join('')
}

export {toString}
