import {describe, it, expect} from 'vitest'
import {VFile} from 'vfile'
import {unified} from 'unified'
import remarkParse from 'remark-parse'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkDirective from 'remark-directive'
import remarkCollation from '../../scripts/collation/collation.ts'
import {textSchema} from '../../scripts/manuscript/schema.ts'
import {checkManuscript} from '../../scripts/check.ts'
import {copyManuscript, plant, locate, manuscriptDir, runReader} from '../helpers.ts'

const penick = 'texts/penick-at-liberations-heart.md'

/** Collate a small Markdown body against a copy-text. */
async function collate(markdown: string, copyText: string, meta: Record<string, unknown> = {}) {
  const file = new VFile({path: 'text.md', value: markdown})
  file.data.copyText = copyText
  file.data.meta = textSchema.parse({title: 'T', kind: 'essay', copytext: 'c.txt', ...meta})
  const processor = unified().use(remarkParse).use(remarkFrontmatter).use(remarkGfm).use(remarkDirective)
  await unified().use(remarkCollation).run(processor.parse(file), file)
  return file.messages.map(String)
}

describe('collation against the copy-text', () => {
  it('passes the shipped manuscript with no collation message', async () => {
    const result = await checkManuscript(manuscriptDir)
    const collation = result.files.flatMap((file) => file.messages.filter((m) => m.ruleId?.startsWith('collation')).map(String))
    expect(collation).toEqual([])
  })

  it('catches a planted silent change at the Markdown line and column', async () => {
    const dir = copyManuscript()
    plant(dir, penick, ':corr[books]{was="Business Relationships" reason="scraper substitution"}', 'books')
    const at = locate(dir, penick, 'books. I own nothing')
    const result = await checkManuscript(dir)
    const messages = result.files.flatMap((file) => file.messages.filter((m) => m.ruleId === 'collation'))
    expect(messages).toHaveLength(1)
    expect(messages[0].line).toBe(at.line)
    expect(messages[0].column).toBe(at.column)
    expect(messages[0].reason).toMatch(/^Silent change: ‘books’ where the copy-text reads ‘Business Relationships’/)
  })

  it('allows typographic normalisation: quotes, dashes, ellipses, spaces, note markers', async () => {
    const copy = 'Title\n\nHe said "yes" -- then... 1890-1941.  It was (1) the end.\n\n  1. A note.\n'
    const md = 'He said “yes” — then… 1890–1941. It was[^1] the end.\n\n[^1]: A note.\n'
    expect(await collate(md, copy, {title: 'Title'})).toEqual([])
  })

  it('reports an omission and an addition where they are', async () => {
    const copy = 'T\n\nOne two three four five six.\n'
    expect(await collate('One two four five six seven.\n', copy)).toEqual([
      'text.md:1:9: Silent omission: ‘three’ of the copy-text is missing (copy-text 3:9); record it with :del[…] or in `removed`',
      'text.md:1:23: Silent addition: ‘seven’ is not in the copy-text; record it with :supplied[…] or :corr[…]{was=""}'
    ])
  })

  it('accepts recorded corrections, deletions, supplied words and sic', async () => {
    const copy = 'T\n\nHe wrote twenty Business Relationships in in Paris, critizising all.\n'
    const md = 'He wrote :supplied[some] twenty :corr[books]{was="Business Relationships"} in :del[in] Paris, :sic[critizising] all.\n'
    expect(await collate(md, copy)).toEqual([])
  })

  it('puts recorded removals back and refuses one the copy-text does not have', async () => {
    const copy = 'T\n\nSkip to content\n\nThe text.\n'
    expect(await collate('The text.\n', copy, {removed: [{text: 'Skip to content', why: 'navigation'}]})).toEqual([])
    const messages = await collate('The text.\n', copy, {removed: [{text: 'Skip to contents', why: 'navigation'}]})
    expect(messages[0]).toMatch(/Unexpected removal: ‘Skip to contents’ does not occur in the copy-text/)
  })

  it('makes `reader check` exit 1 with a located message for an unrecorded correction', () => {
    const dir = copyManuscript()
    plant(dir, penick, ':corr[books]{was="Business Relationships" reason="scraper substitution"}', 'books')
    const at = locate(dir, penick, 'books. I own nothing')
    const {code, stderr} = runReader(['check', '--manuscript', dir, '--format', 'compact', '--out', dir + '/../build'])
    expect(code).toBe(1)
    expect(stderr).toContain(`${penick}:${at.line}:${at.column}: Silent change: ‘books’ where the copy-text reads ‘Business Relationships’`)
    expect(stderr).toContain('[collation]')
  })
})
