import {mkdtemp, readFile, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import fc from 'fast-check'
import type {Heading, Root} from 'mdast'
import {toString} from 'mdast-util-to-string'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {visit} from 'unist-util-visit'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {runImport} from '../../scripts/commands/import.ts'
import {importCopyText} from '../../scripts/import/import.ts'

function sourcePath(name: string): string {
  return fileURLToPath(new URL(`../../manuscript/sources/${name}`, import.meta.url))
}

async function importSource(name: string) {
  const path = sourcePath(name)
  const file = new VFile({path, value: await readFile(path, 'utf8')})
  const result = importCopyText(file)
  return {file, ...result}
}

function importString(value: string) {
  const file = new VFile({path: 'in.txt', value})
  const result = importCopyText(file)
  return {file, ...result}
}

function parse(markdown: string): Root {
  return unified().use(remarkParse).use(remarkGfm).parse(markdown)
}

function footnotes(tree: Root): {references: string[]; definitions: string[]} {
  const references: string[] = []
  const definitions: string[] = []
  visit(tree, (node) => {
    if (node.type === 'footnoteReference') references.push(node.label ?? node.identifier)
    if (node.type === 'footnoteDefinition') definitions.push(node.label ?? node.identifier)
  })
  return {references, definitions}
}

function headings(tree: Root): Array<[number, string]> {
  const found: Array<[number, string]> = []
  visit(tree, 'heading', (node: Heading) => {
    found.push([node.depth, toString(node)])
  })
  return found
}

function warnings(file: VFile) {
  return file.messages.filter((message) => message.fatal === false)
}

function words(text: string): Map<string, number> {
  const counts = new Map<string, number>()
  // Letters and digits apart: digits glued to a word (`word1`) may be its note marker.
  for (const [word] of text.matchAll(/\p{L}+|\p{N}+/gu)) counts.set(word, (counts.get(word) ?? 0) + 1)
  return counts
}

/** Counted by hand from the copy-texts: Penick lists notes 1–17, Weissman 1–13, the rest none. */
const expectedNotes = [
  ['penick-at-liberations-heart.txt', 17, 17],
  ['weissman-serge-legacy.txt', 13, 13],
  ['encyclopedia-victor-serge.txt', 0, 0],
  ['lena-remembering-victor-serge.txt', 0, 0],
  ['revolutionary-and-chronicler.txt', 0, 0]
] as const

describe('importCopyText on the copy-texts', () => {
  for (const [name, found, matched] of expectedNotes) {
    it(`${name}: finds ${found} notes and matches ${matched}`, async () => {
      const result = await importSource(name)
      expect(result.notes).toEqual({found, matched})
      expect(warnings(result.file).map(String)).toEqual([])
    })

    it(`${name}: footnote references and definitions pair up`, async () => {
      const {markdown} = await importSource(name)
      const {references, definitions} = footnotes(parse(markdown))
      const numbers = Array.from({length: matched}, (_, index) => String(index + 1))
      expect(references).toEqual(numbers)
      expect([...definitions].sort()).toEqual([...numbers].sort())
    })

    it(`${name}: separates paragraphs with blank lines`, async () => {
      const {markdown} = await importSource(name)
      expect(markdown).not.toMatch(/\n{3,}/)
      expect(markdown.endsWith('\n')).toBe(true)
    })
  }

  it('Penick: glued, quoted and spaced markers become references', async () => {
    const {markdown, file} = await importSource('penick-at-liberations-heart.txt')
    expect(markdown).toContain('inspire a certain dizziness..”[^1] – Victor Serge')
    expect(markdown).toContain('a crudely concrete meaning.[^2]\n')
    expect(markdown).toContain('Soviet democracy.”[^8] The growing intensity')
    expect(markdown).toContain('nothing was prepared. . .[^7]\n')
    expect(markdown).toMatch(/^\[\^16\]: Memoirs, p\.306$/m)
    // Years and other numbers in the text stay as they were.
    expect(markdown).toContain('born Victor Kibalchich in Belgium in 1890.')
    expect(markdown).toContain('finally victorious in October, 1919.')
    expect(markdown).toContain('arrested in France, 1912Victor Serge,, 1912From')
    const spaced = file.messages.find((message) => message.ruleId === 'import-marker-spaced')
    expect(String(spaced)).toMatch(/:3:315-3:316: Guessed that `1` after a space is the marker of note 1$/)
  })

  it('Weissman: parenthesised markers become references, other parentheses stay text', async () => {
    const {markdown} = await importSource('weissman-serge-legacy.txt')
    expect(markdown).toContain('the historian of the Left Opposition.[^1] He was also its conscience.')
    expect(markdown).toContain(
      'within bourgeois democracy (of which it was a large extent the creator)”[^11] and cautioned'
    )
    expect(markdown).toContain('Report on an Investigation of the Peasant Movement in Hunan (1927, the best')
    expect(markdown).toContain('which he wrote in one 15-day stretch in 1936.')
    expect(markdown).toMatch(/^\[\^9\]: 9\/11, Hurricane Katrina 2005, sub-prime meltdown 2008\.$/m)
    // The line after the list is not part of note 13.
    expect(markdown).toMatch(/\n\nATC 136, September-October 2008\n\n/)

    const tree = parse(markdown)
    const texts: string[] = []
    visit(tree, 'text', (node) => {
      texts.push(node.value)
    })
    expect(texts.some((text) => text.includes('(of which it was a large extent the creator)'))).toBe(true)
  })

  it('Weissman: guesses headings from short title-case lines, with an info message', async () => {
    const {markdown, file} = await importSource('weissman-serge-legacy.txt')
    expect(headings(parse(markdown))).toEqual([
      [2, 'Defeat, Renewal and Democracy'],
      [2, 'From Serge’s “Present” to Ours'],
      [2, 'The Heart of Socialism']
    ])
    const guesses = file.messages.filter((message) => message.ruleId === 'import-heading')
    expect(guesses.map((message) => [message.line, message.column, message.fatal])).toEqual([
      [31, 1, undefined],
      [49, 1, undefined],
      [81, 1, undefined]
    ])
    expect(guesses[0].source).toBe('reader')
  })

  it('encyclopedia: wiki headings become headings, lists stay lists', async () => {
    const {markdown} = await importSource('encyclopedia-victor-serge.txt')
    const tree = parse(markdown)
    const found = headings(tree)
    expect(found).toHaveLength(25)
    expect(found.slice(0, 4)).toEqual([
      [1, 'Victor Serge'],
      [2, 'Early life and political beginnings'],
      [2, 'Russian Revolution and Comintern'],
      [3, 'Arrival in Russia and joining the Bolsheviks']
    ])
    expect(found).toContainEqual([3, 'Non-fiction: collections of essays and articles'])
    expect(markdown).toMatch(/^## Early life and political beginnings\n\nViktor Lvovich Kibalchich/m)
    expect(markdown).toContain('Infobox\n\n- Born: 1890-12-30\n- Birthplace: Brussels, Belgium\n')
    const lists = tree.children.filter((node) => node.type === 'list')
    expect(lists.length).toBeGreaterThanOrEqual(8)
    // No note list, so nothing is a marker: “Vol.5 No.3.” stays.
    expect(markdown).toContain('Vol.5 No.3.')
  })

  it('web articles: keeps the debris, guesses title lines between paragraphs', async () => {
    const lena = await importSource('lena-remembering-victor-serge.txt')
    expect(lena.markdown.startsWith('Skip to content\n\n## Remembering Victor Serge\n\n')).toBe(true)
    const revolutionary = await importSource('revolutionary-and-chronicler.txt')
    expect(revolutionary.markdown).toMatch(/HIT US UP ON SOCIAL MEDIA\n$/)
    expect(headings(parse(revolutionary.markdown))).toEqual([])
  })
})

describe('importCopyText on small cases', () => {
  it('converts matching markers and notes without warnings', () => {
    const {markdown, notes, file} = importString('A claim.1 Another, said,”2\n\n1. First.\n2. Second.\n')
    expect(markdown).toBe('A claim.[^1] Another, said,”[^2]\n\n[^1]: First.\n\n[^2]: Second.\n')
    expect(notes).toEqual({found: 2, matched: 2})
    expect(warnings(file)).toEqual([])
  })

  it('reports a marker with no note and leaves it as text', () => {
    const {markdown, notes, file} = importString('One claim.1 Another claim.2\n\n1. The only note.\n')
    expect(markdown).toBe('One claim.[^1] Another claim.2\n\n[^1]: The only note.\n')
    expect(notes).toEqual({found: 1, matched: 1})
    expect(warnings(file).map(String)).toEqual([
      'in.txt:1:27-1:28: Unexpected note marker `2` with no note 2 in the note list, expected a number from 1 to 1; left as text'
    ])
    expect(warnings(file)[0].ruleId).toBe('import-marker-no-note')
    expect(warnings(file)[0].source).toBe('reader')
  })

  it('reports a note with no marker and leaves it as a list item', () => {
    const {markdown, notes, file} = importString('One claim.1\n\n1. The first note.\n2. A second note.\n')
    expect(markdown).toBe('One claim.[^1]\n\n[^1]: The first note.\n\n2. A second note.\n')
    expect(notes).toEqual({found: 2, matched: 1})
    expect(warnings(file).map(String)).toEqual([
      'in.txt:4:1-4:3: Unexpected note 2 with no marker in the text, expected a marker such as `.2` or `(2)`; left as a list item'
    ])
    expect(warnings(file)[0].ruleId).toBe('import-note-no-marker')
  })

  it('takes only small numbers naming a note as parenthesised markers', () => {
    const {markdown, notes} = importString(
      'In 1927 (1927) it grew (of which it was the creator) fast (2) and then.(1)\n\n  1. A note.\n'
    )
    expect(markdown).toBe(
      'In 1927 (1927) it grew (of which it was the creator) fast (2) and then.[^1]\n\n[^1]: A note.\n'
    )
    expect(notes).toEqual({found: 1, matched: 1})
  })

  it('turns wiki headings into headings of the same level', () => {
    const {markdown} = importString('= Title =\n\n== Section ==\nText.\n\n===Sub===\n- item\n')
    expect(markdown).toBe('# Title\n\n## Section\n\nText.\n\n### Sub\n\n- item\n')
  })

  it('does not guess a heading outside paragraphs or from a sentence', () => {
    const {markdown, file} = importString('Short Title\n\nA paragraph.\n\nNot a title here\n\nEnd.\n\nLast Line\n')
    expect(markdown).toBe('Short Title\n\nA paragraph.\n\nNot a title here\n\nEnd.\n\nLast Line\n')
    expect(file.messages).toEqual([])
  })

  it('escapes what would otherwise become Markdown the text did not mean', () => {
    const {markdown} = importString('# not a heading\n\n> not a quote\n\n[a]: b\n\nsee [^x] here\n')
    expect(markdown).toBe('\\# not a heading\n\n\\> not a quote\n\n\\[a]: b\n\nsee \\[^x] here\n')
  })

  it('handles the empty string and CRLF line endings', () => {
    expect(importString('').markdown).toBe('')
    const {markdown, file} = importString('Text.1\r\n\r\n1. Note.\r\n')
    expect(markdown).toBe('Text.[^1]\n\n[^1]: Note.\n')
    expect(warnings(file)).toEqual([])
  })
})

describe('importCopyText properties', () => {
  const fragments = fc.constantFrom(
    '1. ', '  2. ', '(1)', '(2)', '(1927)', '.1', '.”3', ' 1 –', 'word', 'Title Case', '= ', '==',
    '- ', '# ', '> ', '[^', ']: ', '\n', '\n\n', '\r\n', ' ', '\t', '.', '”', 'é', '😀', '\u0301',
    'claim.1 ', 'said,”2\n', 'left.(1) ', '\n\n1. A note.\n', '\n2. Another note.\n', '\n  1. Indented.\n'
  )
  const generators = {
    'fc.string': fc.string({maxLength: 200}),
    'full unicode': fc.string({unit: 'binary', maxLength: 200}),
    graphemes: fc.string({unit: 'grapheme', maxLength: 100}),
    'copy-text fragments': fc.array(fragments, {maxLength: 60}).map((parts) => parts.join(''))
  }

  for (const [name, generator] of Object.entries(generators)) {
    it(`never throws and keeps every word (${name})`, () => {
      fc.assert(
        fc.property(generator, (value) => {
          const {markdown, notes} = importString(value)
          expect(notes.matched).toBeLessThanOrEqual(notes.found)
          const output = words(markdown)
          for (const [word, count] of words(value)) {
            expect(output.get(word) ?? 0).toBeGreaterThanOrEqual(count)
          }
        }),
        {numRuns: 200}
      )
    })
  }

  it('pairs every reference with a definition (copy-text fragments)', () => {
    fc.assert(
      fc.property(generators['copy-text fragments'], (value) => {
        const {markdown, notes} = importString(value)
        const {references, definitions} = footnotes(parse(markdown))
        expect(new Set(references).size).toBe(notes.matched)
        expect([...new Set(references)].sort()).toEqual([...definitions].sort())
      }),
      {numRuns: 200}
    )
  })
})

describe('runImport', () => {
  function capture() {
    const out: string[] = []
    const err: string[] = []
    return {out, err, io: {stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s)}}
  }

  it('writes Markdown to stdout and the report to stderr', async () => {
    const {out, err, io} = capture()
    const code = await runImport([sourcePath('penick-at-liberations-heart.txt')], io)
    expect(code).toBe(0)
    expect(out.join('')).toMatch(/^\[\^17\]: Ibid\. p\.341$/m)
    expect(err.join('')).toContain('import-note-list')
  })

  it('writes to --out', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'reader-import-'))
    try {
      const target = join(folder, 'draft.md')
      const {out, io} = capture()
      const code = await runImport([sourcePath('encyclopedia-victor-serge.txt'), '--out', target], io)
      expect(code).toBe(0)
      expect(out).toEqual([])
      expect(await readFile(target, 'utf8')).toMatch(/\n---\n\n# Victor Serge\n/)
    } finally {
      await rm(folder, {recursive: true, force: true})
    }
  })

  it('exits 1 without a stack when the file is missing', async () => {
    const {err, io} = capture()
    expect(await runImport(['no/such/file.txt'], io)).toBe(1)
    expect(err.join('')).toBe('reader import: cannot read no/such/file.txt: no such file\n')
  })

  it('exits 2 with a usage line on a usage error', async () => {
    for (const argv of [[], ['a.txt', 'b.txt'], ['--bogus', 'a.txt']]) {
      const {err, io} = capture()
      expect(await runImport(argv, io)).toBe(2)
      expect(err.join('')).toMatch(/\nusage: reader import <raw\.txt> \[--out FILE\]\n$/)
    }
  })

  it('prints help', async () => {
    const {out, io} = capture()
    expect(await runImport(['--help'], io)).toBe(0)
    expect(out.join('')).toMatch(/^usage: reader import/)
  })
})
