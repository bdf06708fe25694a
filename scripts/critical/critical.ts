/**
 * remark plugin: the edition’s critical markup.
 *
 * Validates every directive, gives each its HTML shape, and records every editorial intervention
 * (correction, deletion, supplied reading, sic) in `file.data.textual` for the textual notes.
 * Editor’s notes are gathered into their own note list, marked with a symbol series.
 */
import type {Root, Nodes, PhrasingContent, Paragraph, ListItem, List, Parents, FootnoteDefinition} from 'mdast'
import type {ContainerDirective, LeafDirective, TextDirective} from 'mdast-util-directive'
import {visit, SKIP} from 'unist-util-visit'
import {toString} from 'mdast-util-to-string'
import type {VFile} from 'vfile'
import {isLanguageCode} from './languages.ts'
import {englishLabels, say, type Labels} from '../labels.ts'

export interface TextualRecord {
  id: string
  kind: 'corr' | 'del' | 'supplied' | 'sic'
  /** The edition’s reading (empty for a deletion). */
  reading: string
  /** The copy-text’s reading (empty where the copy-text has nothing). */
  was: string
  reason: string
  /** Where the editor’s knowledge comes from, when it is not the texts (`source="…"`). */
  source: string
  line: number
  column: number
}

/** Every id this plugin makes begins with the part’s id (`file.data.partId`, e.g. `t-lena-remembering-victor-serge`). */
export interface Options {
  /** The generated words (`labelsOf(book)`); English when not given. */
  labels?: Labels
}

const marks = ['*', '†', '‡', '§', '‖', '¶']
const source = 'reader'

/** The n-th mark of the symbol series: *, †, ‡, §, ‖, ¶, **, ††, … */
function symbolMark(n: number): string {
  const mark = marks[(n - 1) % marks.length]
  return mark.repeat(Math.floor((n - 1) / marks.length) + 1)
}

type Directive = ContainerDirective | LeafDirective | TextDirective

/** Whether a container directive ends on its closing fence (at least as many colons as it opened with). */
function closed(directive: ContainerDirective, file: VFile): boolean {
  const {start, end} = directive.position ?? {}
  if (!start || !end || end.line === start.line) return false
  const lines = String(file.value).split('\n', end.line)
  const opening = /^[\s>]*(:{3,})/.exec(lines[start.line - 1] ?? '')?.[1].length ?? 3
  const last = (lines[end.line - 1] ?? '').slice(0, end.column - 1)
  const fence = /^[\s>]*(:{3,})\s*$/.exec(last)
  return Boolean(fence && fence[1].length >= opening)
}

export default function remarkCritical(options: Readonly<Options> = {}) {
  const labels = options.labels ?? englishLabels
  return function (tree: Root, file: VFile): undefined {
    const prefix = file.data.partId ?? ''
    const textual: TextualRecord[] = []
    const ednotes: Array<{mark: string; children: PhrasingContent[]; source: string}> = []

    visit(tree, function (node, index, parent) {
      if (node.type !== 'textDirective' && node.type !== 'leafDirective' && node.type !== 'containerDirective') return
      const directive = node as Directive
      const start = directive.position?.start || {line: 1, column: 1}
      const attributes = directive.attributes || {}
      for (const [key, value] of Object.entries(attributes)) {
        // XML (the EPUB’s XHTML) has no form for these characters, not even as references.
        const bad = value ? /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/u.exec(value) : null
        if (bad) {
          const code = 'U+' + bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')
          file.message(`Unexpected control character ${code} in \`${key}\` on \`:${directive.name}\`, expected text an EPUB can hold`, {
            place: directive.position,
            ruleId: 'critical-markup',
            source
          })
        }
      }
      const record = (kind: TextualRecord['kind'], reading: string, was: string) => {
        const id = `tn-${prefix.replace(/^t-/, '')}-${textual.length + 1}`
        textual.push({id, kind, reading, was, reason: attributes.reason || '', source: attributes.source || '', line: start.line, column: start.column})
        return id
      }
      if (directive.type === 'containerDirective' && !closed(directive, file)) {
        // Unclosed, it would run to the end of the text (a whole text printed as an epigraph).
        file.message(`Unclosed container directive \`:::${directive.name}\`, expected a line \`:::\` where it ends`, {
          place: start,
          ruleId: 'critical-markup',
          source
        })
      }
      const inline = directive.type === 'textDirective'
      if (attributes.source !== undefined && attributes.source !== null && !attributes.source.trim()) {
        file.message('Unexpected empty `source`, expected where the editor’s knowledge comes from: `source="…"`', {
          place: directive.position,
          ruleId: 'critical-markup',
          source
        })
      }
      const expectInline = (name: string) => {
        if (!inline) {
          file.message(`Unexpected block directive \`:::${name}\`, expected the inline form \`:${name}[…]\``, {
            place: directive.position,
            ruleId: 'critical-markup',
            source
          })
        }
      }

      switch (directive.name) {
        case 'corr': {
          expectInline('corr')
          if (attributes.was === undefined || attributes.was === null) {
            file.message('Missing `was` on `:corr`, expected the copy-text’s reading: `:corr[new]{was="old"}`', {
              place: directive.position,
              ruleId: 'critical-markup',
              source
            })
          }
          const id = record('corr', toString(directive), attributes.was ?? '')
          setData(directive, 'span', {id, className: ['corr'], dataWas: attributes.was ?? ''})
          return
        }
        case 'del': {
          expectInline('del')
          const id = record('del', '', toString(directive))
          directive.children = []
          setData(directive, 'span', {id, className: ['del']})
          return SKIP
        }
        case 'supplied': {
          expectInline('supplied')
          const id = record('supplied', toString(directive), '')
          directive.children = [{type: 'text', value: '['}, ...(directive.children as PhrasingContent[]), {type: 'text', value: ']'}]
          setData(directive, 'span', {id, className: ['supplied']})
          return
        }
        case 'sic': {
          expectInline('sic')
          const id = record('sic', toString(directive), toString(directive))
          setData(directive, 'span', {id, className: ['sic']})
          if (parent && typeof index === 'number') {
            const mark = {
              type: 'textDirective',
              name: 'sic-mark',
              attributes: {},
              children: [{type: 'text', value: ' ['}, {type: 'emphasis', children: [{type: 'text', value: 'sic'}]}, {type: 'text', value: ']'}],
              data: {hName: 'span', hProperties: {className: ['sic-mark']}}
            } as unknown as TextDirective
            ;(parent as Parents).children.splice(index + 1, 0, mark as never)
            return index + 2
          }
          return
        }
        case 'sic-mark':
          return SKIP
        case 'ednote':
          // Handled below, once its own contents (a language span, say) have their shape.
          expectInline('ednote')
          return
        case 'sc':
          expectInline('sc')
          setData(directive, 'span', {className: ['lead-in']})
          return
        case 'epigraph': {
          const last = directive.children.at(-1)
          if (last && last.type === 'paragraph' && /^\s*[—–-]/.test(toString(last))) {
            last.data = {...last.data, hProperties: {className: ['attribution']}}
          }
          setData(directive, 'blockquote', {className: ['epigraph'], role: 'doc-epigraph'})
          return
        }
        case 'standfirst':
          setData(directive, 'div', {className: ['standfirst']})
          return
        default:
          if (isLanguageCode(directive.name)) {
            setData(directive, inline ? 'span' : 'div', {lang: directive.name})
            return
          }
          file.message(
            `Unexpected directive \`${inline ? ':' : ':::'}${directive.name}\`, expected one of corr, del, supplied, sic, ednote, sc, epigraph, standfirst or a language code`,
            {place: directive.position, ruleId: 'critical-markup', source}
          )
          setData(directive, inline ? 'span' : 'div', {})
      }
    })

    // Editor’s notes are marked, and the textual records listed, in reading order: what is inside an
    // author’s note is read where that note is called (the foot of the page in print), not where
    // its definition sits (at the end).
    const definitions = new Map<string, FootnoteDefinition>()
    visit(tree, 'footnoteDefinition', (node) => {
      if (!definitions.has(node.identifier)) definitions.set(node.identifier, node)
    })
    const read = new Set<FootnoteDefinition>()
    /** Where each id given above (a textual record’s among them) is read. */
    const readAt = new Map<string, number>()
    const ranked = (node: Nodes) => {
      const id = node.type === 'textDirective' ? (node.data?.hProperties as {id?: unknown} | undefined)?.id : undefined
      if (typeof id === 'string' && !readAt.has(id)) readAt.set(id, readAt.size)
    }
    const mark = (node: Nodes): void => {
      if (node.type === 'footnoteDefinition' && !read.has(node)) return
      if (node.type === 'footnoteReference') {
        const definition = definitions.get(node.identifier)
        if (definition && !read.has(definition)) {
          read.add(definition)
          mark(definition)
        }
        return
      }
      ranked(node)
      if (node.type === 'textDirective' && node.name === 'ednote') {
        if (node.data?.hName === 'a') return
        // Readings recorded inside it are read here.
        for (const child of node.children) visit(child, ranked)
        const n = ednotes.length + 1
        const symbol = symbolMark(n)
        ednotes.push({mark: symbol, children: node.children as PhrasingContent[], source: node.attributes?.source || ''})
        node.children = [{type: 'text', value: symbol}]
        setData(node, 'a', {
          href: `#${prefix}-ed-${n}`,
          id: `${prefix}-edref-${n}`,
          className: ['noteref', 'ednote-ref'],
          role: 'doc-noteref'
        })
        return
      }
      if ('children' in node) for (const child of node.children) mark(child)
    }
    mark(tree)
    // Notes never called, where they stand.
    for (const definition of definitions.values()) {
      if (read.has(definition)) continue
      read.add(definition)
      mark(definition)
    }

    const at = (record: TextualRecord) => readAt.get(record.id) ?? Number.MAX_SAFE_INTEGER
    file.data.textual = textual.sort((a, b) => at(a) - at(b))
    if (ednotes.length > 0) tree.children.push(ednoteList(prefix, ednotes, labels))
  }
}

function setData(node: Directive, hName: string, hProperties: Record<string, unknown>): void {
  node.data = {...node.data, hName, hProperties: hProperties as never}
}

/** The editor’s notes of a text, as a list that remark-rehype turns into `section.ednotes`. */
function ednoteList(prefix: string, ednotes: Array<{mark: string; children: PhrasingContent[]; source: string}>, labels: Labels): ContainerDirective {
  const items: ListItem[] = ednotes.map(({mark, children, source}, i) => {
    // Knowledge from outside the texts names where it comes from, set apart: `Source: …`.
    const sourced: PhrasingContent[] = source
      ? [
          {type: 'text', value: ' '},
          {
            type: 'emphasis',
            children: [{type: 'text', value: say(labels.source, {source})}],
            data: {hName: 'span', hProperties: {className: ['ednote-source']}}
          }
        ]
      : []
    const paragraph: Paragraph = {
      type: 'paragraph',
      children: [
        {
          type: 'emphasis',
          children: [{type: 'text', value: `${mark} `}],
          data: {hName: 'span', hProperties: {className: ['ednote-mark']}}
        },
        ...children,
        ...sourced,
        {type: 'text', value: ` — ${labels.editor_abbreviation} `},
        {
          type: 'link',
          url: `#${prefix}-edref-${i + 1}`,
          children: [{type: 'text', value: '↩'}],
          data: {hProperties: {className: ['backlink'], role: 'doc-backlink', ariaLabel: say(labels.back_to_editors_note, {mark})}}
        }
      ]
    }
    return {
      type: 'listItem',
      spread: false,
      children: [paragraph],
      data: {hProperties: {id: `${prefix}-ed-${i + 1}`, className: source ? ['note', 'ednote', 'ednote-sourced'] : ['note', 'ednote'], role: 'doc-endnote', dataMark: mark}}
    }
  })
  const list: List = {type: 'list', ordered: false, spread: false, children: items}
  return {
    type: 'containerDirective',
    name: 'ednotes',
    attributes: {},
    children: [list],
    data: {hName: 'section', hProperties: {className: ['ednotes'], ariaLabel: labels.editors_notes}}
  }
}

declare module 'vfile' {
  interface DataMap {
    textual: TextualRecord[]
  }
}
