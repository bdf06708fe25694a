/**
 * A second book from the corpus, made as the README’s “Adding a text” says: `reader import` of two
 * copy-texts the pipeline was not written for — a Markdown proposal with notes and code blocks, and a
 * Standard Ebooks XHTML poem — one hand edit (a title the proposal does not have), no accept comment;
 * `reader check` passes and `reader build` makes the EPUB (EPUBCheck passes) and the PDF (preflight
 * passes), the code set in the code face in both.
 */
import {boxWords} from '../../scripts/print/text-compare.ts'
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {execFileSync} from 'node:child_process'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, it, expect} from 'vitest'
import JSZip from 'jszip'
import {root, runReader} from '../helpers.ts'

const corpus = path.join(root, 'tests/fixtures/corpus')

describe('a second book made from the corpus', () => {
  it('imports, checks with no error and no accept comment, and builds to PDF and EPUB', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'reader-second-'))
    const manuscript = path.join(dir, 'manuscript')
    mkdirSync(path.join(manuscript, 'sources'), {recursive: true})
    mkdirSync(path.join(manuscript, 'texts'))
    const texts = [
      ['whitman-prayer-of-columbus.xhtml', 'columbus.md'],
      ['rfc-3559-provenance.md', 'provenance.md']
    ]
    for (const [source, draft] of texts) {
      copyFileSync(path.join(corpus, source), path.join(manuscript, 'sources', source))
      const imported = runReader(['import', path.join(manuscript, 'sources', source), '--out', path.join(manuscript, 'texts', draft)])
      expect(imported.code).toBe(0)
    }
    // The one hand edit: the proposal has no title line of its own.
    const proposal = path.join(manuscript, 'texts/provenance.md')
    const draft = readFileSync(proposal, 'utf8')
    expect(draft).toMatch(/^title: ""$/m)
    writeFileSync(proposal, draft.replace(/^title: ""$/m, 'title: "Rust Has Provenance"\ntitle_source: editor'))
    expect(readFileSync(path.join(manuscript, 'texts/columbus.md'), 'utf8')).toMatch(/^title: "Prayer of Columbus"\n[^]*^copytext_format: html$/m)

    writeFileSync(
      path.join(manuscript, 'book.yaml'),
      [
        'slug: second-reader',
        'title: A Second Reader',
        'language: en',
        'editor: A. Editor',
        'description: A poem and a technical proposal, made into a reader to try the pipeline on texts it was not written for.',
        'edition:',
        '  number: 1',
        '  date: 2026-12-06',
        'texts:',
        ...texts.map(([, name]) => `  - texts/${name}`),
        ''
      ].join('\n')
    )
    for (const [, name] of texts) expect(readFileSync(path.join(manuscript, 'texts', name), 'utf8')).not.toContain('reader-accept')

    const check = runReader(['check', '--manuscript', manuscript, '--format', 'compact', '--out', path.join(dir, 'build')], dir)
    expect(check.stderr).toMatch(/2 texts, 5 notes, .*; 0 errors/)
    expect(check.code).toBe(0)

    const out = path.join(dir, 'build')
    const build = runReader(['build', '--manuscript', manuscript, '--out', out, '--format', 'compact'], dir)
    expect(build.stderr).not.toMatch(/: error|\[epubcheck/i)
    expect(build.code).toBe(0)
    const pdf = path.join(out, 'second-reader.pdf')
    const epub = path.join(out, 'second-reader.epub')
    expect(existsSync(pdf) && existsSync(epub)).toBe(true)

    // The code in the code face: embedded in the PDF (a subset), carried by the EPUB with its style.
    const fonts = execFileSync('pdffonts', [pdf], {encoding: 'utf8'})
    expect(fonts).toMatch(/\+SourceCodePro-Regular\s+CID TrueType\s+Identity-H\s+yes\s+yes/)
    const zip = await JSZip.loadAsync(readFileSync(epub))
    expect(Object.keys(zip.files)).toContain('OEBPS/fonts/SourceCodePro-Regular.ttf.woff2')
    const css = await zip.file('OEBPS/style.css')!.async('string')
    expect(css).toMatch(/@font-face \{ font-family: 'Source Code Pro'; font-style: normal; font-weight: 400;/)
    expect(css).toMatch(/pre \{ font-family: 'Source Code Pro', monospace;/)

    // Verse: a line too long for the measure turns over flush left, its word spaces as set, not
    // stretched to the measure. Neither text opens with prose (a poem; a proposal opening with its
    // list of particulars), so neither has a small-caps lead-in on a paragraph further on.
    const words = boxWords(execFileSync('pdftotext', ['-bbox', pdf, '-'], {encoding: 'utf8'}))
    const line = words.filter((word, i) => word.text === 'ratified' || (words[i - 1]?.text === 'ratified' && word.text === 'all'))
    const row = words.filter((word) => word.page === line[0].page && Math.abs(word.yMin - line[0].yMin) < 1).sort((a, b) => a.xMin - b.xMin)
    expect(row.map((word) => word.text).join(' ')).toMatch(/^Thou knowest I have in age ratified all those vows and strictly/)
    const gaps = row.slice(1).map((word, i) => word.xMin - row[i].xMax)
    expect(Math.max(...gaps), 'word spaces of a verse line that turns over').toBeLessThan(3.2)
    const html = readFileSync(path.join(out, 'second-reader.html'), 'utf8')
    expect(html).toMatch(/<li[^>]*>Feature Name: rust_has_provenance<\/li>/)
    expect(html).not.toMatch(/class="lead-in"/)
    rmSync(dir, {recursive: true, force: true})
  }, 600_000)
})
