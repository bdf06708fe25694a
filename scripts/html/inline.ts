/**
 * A line of Markdown from front matter (a contributor’s note, say) as inline HTML: emphasis and
 * links work there as in the texts.
 */
import {fromMarkdown} from 'mdast-util-from-markdown'
import {toHast} from 'mdast-util-to-hast'
import type {ElementContent} from 'hast'

export function inlineMarkdown(value: string): ElementContent[] {
  const tree = fromMarkdown(value)
  const first = tree.children[0]
  if (!first || first.type !== 'paragraph') return [{type: 'text', value}]
  const hast = toHast(first)
  return hast && 'children' in hast ? (hast.children as ElementContent[]) : [{type: 'text', value}]
}
