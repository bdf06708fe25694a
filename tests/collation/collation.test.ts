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
import {collectAccepts, controlMessages} from '../../scripts/checks/control.ts'

const penick = 'texts/penick-at-liberations-heart.md'

/** Collate a small Markdown body against a copy-text. */
async function collate(markdown: string, copyText: string, meta: Record<string, unknown> = {}) {
  const file = new VFile({path: 'text.md', value: markdown})
  file.data.copyText = copyText
  file.data.meta = textSchema.parse({title: 'T', kind: 'essay', copytext: 'c.txt', ...meta})
  const processor = unified().use(remarkParse).use(remarkFrontmatter).use(remarkGfm).use(remarkDirective)
  const tree = processor.parse(file)
  await unified().use(remarkCollation).run(tree, file)
  // Accept comments and severities, as the pipeline applies them to every message (scripts/checks/control.ts).
  collectAccepts(tree, file)
  controlMessages(file)
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

describe('collation reads the copy-text in its format', () => {
  it('reads a Markdown copy-text: its italics, quotes, escapes and [^n] notes are not differences', async () => {
    const copy = '# T\n\nHe read _Capital_ and **Faust** \\*twice\\*.[^1]\n\n> A quotation &amp; more.\n\n[^1]: A note.\n'
    const md = 'He read *Capital* and Faust \\*twice\\*.[^1]\n\n> A quotation & more.\n\n[^1]: A note.\n'
    expect(await collate(md, copy, {copytext: 'c.md'})).toEqual([])
    // Detected from the content when the name says nothing, and still a real change is reported.
    expect(await collate(md.replace('Faust', 'Fist'), copy, {copytext: 'c.txt'})).toEqual([
      'text.md:1:23: Silent change: ‘Fist’ where the copy-text reads ‘Faust’ (copy-text 3:25); record it with :corr[…]{was="…"}'
    ])
  })

  it('reads an HTML copy-text: tags are markup, entities are characters, <head> is not text', async () => {
    const copy =
      '<!DOCTYPE html><html><head><title>Ignored</title><style>p{}</style></head><body><h1>T</h1>' +
      '<p>It was the 12<sup>th</sup> of <em>May</em> &amp; after<sup><a href="#n1">1</a></sup>.</p>' +
      '<p id="n1">1. A note.</p></body></html>'
    const md = 'It was the 12th of *May* & after[^1].\n\n[^1]: A note.\n'
    expect(await collate(md, copy, {copytext: 'c.html'})).toEqual([])
    expect(await collate(md, copy, {copytext: 'c.txt', copytext_format: 'html'})).toEqual([])
  })

  it('treats TeX quotes and CRLF line endings as normalisation', async () => {
    const copy = 'T\r\n\r\nSkip this\r\nline.\r\n\r\nHe said ``yes\'\' and `no\'.\r\n'
    const md = 'He said “yes” and ‘no’.\n'
    expect(await collate(md, copy, {removed: [{text: 'Skip this\nline.', why: 'debris'}]})).toEqual([])
  })

  it('shortens a long passage to its start and end', async () => {
    const long = Array.from({length: 300}, (_, i) => `word${i}`).join(' ')
    const messages = await collate('Short.\n', `T\n\nShort. ${long}\n`)
    expect(messages).toHaveLength(1)
    expect(messages[0].length).toBeLessThan(200)
    expect(messages[0]).toMatch(/‘word0 word1 .* … .* word298 word299’/)
  })

  it('lets a title change only its case, and quotes added words in reading order', async () => {
    expect(await collate('Body text.\n', 'THE TITLE OF IT\n\nBody text.\n', {title: 'The Title of It'})).toEqual([])
    expect(await collate('Body new text.\n', 'The Title\n\nBody text.\n', {title: 'The Title'})).toEqual([
      'text.md:1:6: Silent addition: ‘new’ is not in the copy-text; record it with :supplied[…] or :corr[…]{was=""}'
    ])
  })

  it('refuses `title_source: editor` for a title the copy-text has in another case (the headnote would say it has none)', async () => {
    const copy = 'THE TITLE OF IT\n\nBody text.\n'
    expect(await collate('Body text.\n', copy, {title: 'The Title of It', title_source: 'editor', removed: [{text: 'THE TITLE OF IT', why: 'title'}]})).toEqual([
      'text.md:1:1: Unexpected `title_source: editor` for a title the copy-text has in another case, expected `title_source: copy-text` (a case change is house style; the headnote would say the copy-text has no title)'
    ])
    // A title of the editor’s own, for a copy-text that has none, passes.
    expect(await collate('Body text.\n', 'Body text.\n', {title: 'A Title', title_source: 'editor'})).toEqual([])
  })

  it('refuses a renumbered note label that would hide a note the copy-text skips', async () => {
    const copy = 'T\n\nOne.1 Two.2 Four.4\n\n1. a\n2. b\n4. d\n'
    expect(await collate('One.[^1] Two.[^2] Four.[^4]\n\n[^1]: a\n[^2]: b\n[^4]: d\n', copy)).toEqual([])
    const messages = await collate('One.[^1] Two.[^2] Four.[^3]\n\n[^1]: a\n[^2]: b\n[^3]: d\n', copy)
    expect(messages).toEqual([
      'text.md:1:24: Unexpected note label `[^3]` where the copy-text numbers the note 4 (copy-text 3:18), expected `[^4]`: the labels keep the copy-text’s numbers, so that a lost note shows',
      'text.md:5:1: Unexpected note label `[^3]` where the copy-text numbers the note 4 (copy-text 7:1), expected `[^4]`: the labels keep the copy-text’s numbers, so that a lost note shows'
    ])
  })

  it('takes a `* ` note among numbered ones as its note’s marker, not a list bullet', async () => {
    const copy = 'T\n\nHe wrote it.1 Then.*\n\n1. One.\n\n* The note.\n'
    expect(await collate('He wrote it.[^1] Then.[^*]\n\n[^1]: One.\n\n[^*]: The note.\n', copy)).toEqual([])
    // A list with `*` bullets, and no `*` reference, keeps them as bullets.
    expect(await collate('A list:\n\n- one\n- two\n', 'T\n\nA list:\n\n* one\n* two\n')).toEqual([])
  })

  it('takes a symbol note as a note marker', async () => {
    expect(await collate('He wrote it.[^*]\n\n[^*]: The note.\n', 'T\n\nHe wrote it.*\n\n* The note.\n')).toEqual([])
  })

  it('accepts one collation message per accept comment, and reports one that accepts nothing', async () => {
    const copy = 'T\n\nOne two three.\n\nFour five.\n'
    const md =
      '<!-- reader-accept collation: the editor’s wording -->\nOne 2 three two.\n\n' +
      '<!-- reader-accept collation: stale -->\nFour five.\n'
    const messages = await collate(md, copy)
    expect(messages).toEqual([
      expect.stringMatching(/^text.md:2:13: Silent addition: ‘two’/),
      'text.md:4:1: Unexpected accept comment for `collation` that accepts nothing here, expected it to be removed'
    ])
  })

  it('takes a line-end hyphen, <sup> and glued markers as the copy-text’s layout, and reads only copytext_lines', async () => {
    const copy = 'T\n\nThe Ger-\nman text<sup>1</sup> and more3.\n\n1. a\n3. c\n\nAnother work.\n'
    const md = 'The German text[^1] and more[^3].\n\n[^1]: a\n[^3]: c\n'
    expect(await collate(md, copy, {copytext_lines: '1-7'})).toEqual([])
    expect(await collate(md, copy)).toEqual([
      'text.md:4:7: Silent omission: ‘Another work.’ of the copy-text is missing (copy-text 9:1); record it with :del[…] or in `removed`'
    ])
    expect(await collate(md.replace('German', 'Germans'), copy, {copytext_lines: '1-7'})).toHaveLength(1)
  })
})
