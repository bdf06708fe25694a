/** `reader import` of an HTML copy-text: its structure as the HTML marks it, its notes paired. */
import {describe, it, expect} from 'vitest'
import {VFile} from 'vfile'
import {importCopyText} from '../../scripts/import/import.ts'

function draft(html: string, frontMatter = false): {markdown: string; messages: string[]} {
  const file = new VFile({path: 'copy.html', value: html})
  const {markdown} = importCopyText(file, {frontMatter})
  return {markdown, messages: file.messages.filter((m) => m.ruleId !== 'import-html').map(String)}
}

describe('import of an HTML copy-text', () => {
  it('pairs Project Gutenberg’s notes (a link to an anchor in the note, the note’s own mark linking back)', () => {
    const html =
      '<p><a name="ft11"></a>He sang.<a class="fn" href="#fn11">&nbsp;11&nbsp;</a> Then <i>more</i>.</p>\n<hr />\n' +
      '<p class="fn"><span><a class="fn" href="#ft11">&nbsp;11&nbsp;</a></span><a name="fn11"></a>\nForster, <i>Life</i>.</p>'
    // The rule above the notes goes with them.
    expect(draft(html)).toEqual({markdown: 'He sang.[^11] Then *more*.\n\n[^11]: Forster, *Life*.\n', messages: []})
  })

  it('pairs endnotes in a list with their back-links (`epub:type`, `<sup>`), and keeps verse lines', () => {
    const html =
      '<section><h2>A Poem</h2><p><span>One line,</span><br/><span>another.</span><sup><a href="#note-1" epub:type="noteref">1</a></sup></p></section>' +
      '<ol><li id="note-1"><p>The note. <a href="#noteref-1" epub:type="backlink">↩</a></p></li></ol>'
    expect(draft(html).markdown).toBe('## A Poem\n\nOne line,\\\nanother.[^1]\n\n[^1]: The note.\n')
    // With front matter, the opening heading is the title.
    expect(draft(html, true).markdown).toMatch(/^---\ntitle: "A Poem"\n[^]*copytext_format: html\n---\n\nOne line,/)
  })

  it('sets stanzas (short lines broken with <br>) apart as the plain-text import sets verse: quoted, line by line', () => {
    const html = '<p><span>One,</span><br/><span>two,</span><br/><span>three.</span></p><p><span>Four,</span><br/><span>five.</span><br/><span>Six.</span></p>'
    expect(draft(html).markdown).toBe('> One,\\\n> two,\\\n> three.\n\n> Four,\\\n> five.\\\n> Six.\n')
  })

  it('reports a marker whose note is in another file or missing, and leaves it as text', () => {
    const html = '<p>Text.<a href="endnotes.xhtml#note-6" epub:type="noteref">6</a> More.<a href="#nowhere">[7]</a></p>'
    const {markdown, messages} = draft(html)
    expect(markdown).toBe('Text.6 More.\\[7]\n')
    expect(messages).toEqual([
      'copy.html:1:9-1:66: Unexpected note marker `6` whose note is in another file (`endnotes.xhtml#note-6`), expected the note in this copy-text: the marker is left as text',
      'copy.html:1:72-1:98: Unexpected note marker `7` with no note at `#nowhere`, expected an element with that id: the marker is left as text'
    ])
  })

  it('labels notes that restart in a second section `s2-n`', () => {
    const html =
      '<p>A.<a href="#a1">1</a></p><p id="a1">First.</p>' + '<p>B.<a href="#b1">1</a></p><p id="b1">Second.</p>'
    expect(draft(html).markdown).toBe('A.[^1]\n\n[^1]: First.\n\nB.[^s2-1]\n\n[^s2-1]: Second.\n')
  })
})
