import {describe, it, expect} from 'vitest'
import {VFile} from 'vfile'
import {importCopyText} from '../../scripts/import/import.ts'

function run(value: string, path = 'in.txt') {
  const file = new VFile({path, value})
  const result = importCopyText(file)
  const messages = file.messages.map((message) => `${message.line}: ${message.reason} [${message.ruleId}]`)
  return {...result, messages, file}
}

describe('import: note conventions', () => {
  it('[n] markers with a [n] list under “Notes”, numbered from 20, zero-padded', () => {
    const {markdown, notes, messages} = run('A claim.[20] Another [21] and more.[022]\n\nNOTES\n\n[20] First.\n[21] Ibid., No. 4.\n[22] Third.\n')
    expect(markdown).toBe('A claim.[^20] Another[^21] and more.[^22]\n\n[^20]: First.\n\n[^21]: Ibid., No. 4.\n\n[^22]: Third.\n')
    expect(notes).toEqual({found: 3, matched: 3})
    expect(messages).toContain('5: Guessed a note list of 3 entries (lines 5–7), 3 with a marker in the text [import-note-list]')
  })

  it('(n), n., <sup>, Unicode superscripts and digits glued to a word', () => {
    expect(run('One (1) two<sup>2</sup> three³ four4.\n\n1) a\n2) b\n3) c\n4) d\n').markdown).toBe(
      'One[^1] two[^2] three[^3] four[^4].\n\n[^1]: a\n\n[^2]: b\n\n[^3]: c\n\n[^4]: d\n'
    )
    expect(run('Text¹ more.²\n\n¹ First.\n² Second.\n').markdown).toBe('Text[^1] more.[^2]\n\n[^1]: First.\n\n[^2]: Second.\n')
  })

  it('a symbol note', () => {
    const {markdown, notes} = run('He said so.* And left.\n\n* The only note.\n')
    expect(markdown).toBe('He said so.[^*] And left.\n\n[^*]: The only note.\n')
    expect(notes).toEqual({found: 1, matched: 1})
  })

  it('numbering that restarts in each section gets prefixed labels', () => {
    const source = 'One.1 Two.2\n\n1. a\n2. b\n\nCHAPTER II\n\nThree.1 Four.2\n\n1. c\n2. d\n'
    const {markdown, notes} = run(source)
    expect(markdown).toBe(
      'One.[^1] Two.[^2]\n\n[^1]: a\n\n[^2]: b\n\n## CHAPTER II\n\nThree.[^s2-1] Four.[^s2-2]\n\n[^s2-1]: c\n\n[^s2-2]: d\n'
    )
    expect(notes).toEqual({found: 4, matched: 4})
  })

  it('reports every marker and note it cannot pair, with its line', () => {
    const {messages} = run('A.[1] B.[3]\n\nNotes\n\n[1] a\n[2] b\n')
    expect(messages).toContain('1: Unexpected note marker `3` with no note 3 in the note list, expected a number from 1 to 2; left as text [import-marker-no-note]')
    expect(messages).toContain('6: Unexpected note 2 with no marker in the text, expected a marker such as `.2` or `(2)`; left as a list item [import-note-no-marker]')
  })

  it('keeps a Markdown copy-text as it is', () => {
    const source = '# Title\n\nText with _italics_ and a note.[^1]\n\n> A quote.\n\n---\n\n[^1]: The note.\n'
    const {markdown, notes, messages} = run(source, 'essay.md')
    expect(markdown).toBe(source)
    expect(notes).toEqual({found: 1, matched: 1})
    expect(messages).toEqual([
      '1: Kept the Markdown copy-text as it is (its notes, emphasis and quotations are already Markdown) [import-markdown]'
    ])
    expect(run(source, 'essay.txt').markdown).toBe(source)
  })
})

describe('import: structure', () => {
  it('headings from Chapter, Part, Roman numerals and all-caps lines, glued or not; datelines stay text', () => {
    const source =
      'Intro text.\n\n* Part 2\n\nChapter I\nIt began here.\n\nII. THE RETURN\n\nMore text.\n\nTHE LAST WORD\n\nParis, June 3, 1921.\n\nEnd.\n'
    const {markdown, messages} = run(source)
    expect(markdown).toBe(
      'Intro text.\n\n## Part 2\n\n### Chapter I\n\nIt began here.\n\n### II. THE RETURN\n\nMore text.\n\n## THE LAST WORD\n\nParis, June 3, 1921.\n\nEnd.\n'
    )
    expect(messages.filter((m) => m.includes('import-heading')).map((m) => m.split(':')[0])).toEqual(['3', '5', '8', '12'])
  })

  it('block quotations, verse and preformatted text from indentation', () => {
    const prose = 'This is a long line of ordinary prose that runs on to the width of the page here.\n'
    const source =
      prose + prose + '\n' +
      '    An indented extract that is long enough to be prose, wrapped over two lines\n    of the page, as quoted by the author in the essay.\n\n' +
      '    The sea is calm tonight,\n    The tide is full.\n\n' +
      '    +------+------+\n    | a    | b    |\n    +------+------+\n\n' + prose
    const {markdown} = run(source)
    expect(markdown).toContain(
      '> An indented extract that is long enough to be prose, wrapped over two lines\n> of the page, as quoted by the author in the essay.'
    )
    expect(markdown).toContain('> The sea is calm tonight,\\\n> The tide is full.')
    expect(markdown).toContain('```text\n+------+------+\n| a    | b    |\n+------+------+\n```')
  })

  it('joins line-end hyphens the dictionary knows, keeps compounds, and joins after --', () => {
    const {markdown, joins, messages} = run('The Ger-\nman text, a well-\nknown well-known fact--\nand more.\n4. (MANUSCRIPT) stays text.\n')
    expect(markdown).toBe('The German text, a well-known well-known fact--and more.\n4\\. (MANUSCRIPT) stays text.\n')
    expect(joins).toEqual([{line: 1, word: 'German'}])
    expect(messages).toContain('1: Joined `Ger-` and `man` as `German` (a line-end hyphen; the word is in the dictionary) [import-hyphen]')
  })

  it('several works in one file, #title and #author lines to the front matter', () => {
    const source = '#title First Essay\n#author A. Writer\n\nText one.1\n\n1. Note one.\n\n#title Second Essay\n#author B. Writer\n\nText two.1\n\n1. Note two.\n'
    const file = new VFile({path: 'two.txt', value: source})
    const {works} = importCopyText(file, {frontMatter: true})
    expect(works.map((work) => [work.title, work.author, work.lines, work.notes.matched])).toEqual([
      ['First Essay', 'A. Writer', [1, 7], 1],
      ['Second Essay', 'B. Writer', [8, 14], 1]
    ])
    expect(works[1].markdown).toContain('copytext_lines: 8-14\nremoved:\n  - text: "#title Second Essay"')
    expect(works[1].markdown).toMatch(/---\n\nText two\.\[\^1\]\n\n\[\^1\]: Note two\.\n$/)
  })
})
