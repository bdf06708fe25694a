import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {describe, it, expect} from 'vitest'
import {VFile} from 'vfile'
import {unified} from 'unified'
import remarkParse from 'remark-parse'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkDirective from 'remark-directive'
import remarkCollation from '../../scripts/collation/collation.ts'
import {textSchema} from '../../scripts/manuscript/schema.ts'
import {measure} from '../fixtures/corpus/measure.ts'
import {detectFormat} from '../../scripts/collation/copy-text.ts'

interface Entry {
  file: string
  hand: {notes: number; headings: number; blocks: number}
  imported?: {notes: number; headings: number; blocks: number}
}

const dir = fileURLToPath(new URL('../fixtures/corpus/', import.meta.url))
const {texts} = JSON.parse(readFileSync(dir + 'corpus.json', 'utf8')) as {texts: Entry[]}

describe('import on the corpus of copy-texts it was not written for', () => {
  it('holds at least twelve texts of different kinds: plain text, Markdown and HTML', () => {
    expect(texts.length).toBeGreaterThanOrEqual(12)
    const formats = new Set(texts.map((entry) => detectFormat(entry.file, readFileSync(dir + entry.file, 'utf8'))))
    expect([...formats].sort()).toEqual(['html', 'markdown', 'text'])
  })

  for (const entry of texts) {
    it(`${entry.file}: the notes, headings and blocks counted by hand${entry.imported ? ' (a known gap recorded)' : ''}`, () => {
      const {notes, headings, blocks, file} = measure(dir + entry.file)
      // Every note there is found and paired, always.
      expect(notes).toBe(entry.hand.notes)
      expect({notes, headings, blocks}).toEqual(entry.imported ?? entry.hand)
      // Nothing the importer could not pair goes unreported.
      const unpaired = file.messages.filter((message) => /^import-(marker-no-note|note-no-marker)$/.test(message.ruleId ?? ''))
      expect(unpaired.map(String)).toEqual([])
    })
  }

  for (const entry of texts) {
    it(`${entry.file}: the draft collates with its copy-text with no message, before any hand edit`, async () => {
      const {markdown} = measure(dir + entry.file)
      const file = new VFile({path: 'draft.md', value: markdown})
      file.data.copyText = readFileSync(dir + entry.file, 'utf8')
      file.data.meta = textSchema.parse({title: 'T', title_source: 'editor', kind: 'essay', copytext: entry.file})
      const parser = unified().use(remarkParse).use(remarkFrontmatter).use(remarkGfm).use(remarkDirective)
      await unified().use(remarkCollation).run(parser.parse(file), file)
      expect(file.messages.map(String)).toEqual([])
    })
  }
})
