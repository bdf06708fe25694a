/**
 * Markdown → reader HTML keeps every word: paragraphs generated from words are written into a copy
 * of tests/fixtures/mini (the same words into its copy-text, so collation agrees), the pipeline
 * runs, and every word of the input appears in the reader HTML’s text.
 */
import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import fc from 'fast-check'
import {fromHtml} from 'hast-util-from-html'
import {toString} from 'hast-util-to-string'
import {processManuscript} from '../../scripts/pipeline.ts'
import {assembleDocument} from '../../scripts/html/document.ts'
import {countMessages} from '../../scripts/report.ts'
import {root} from '../helpers.ts'

const letters = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéèàçöüßœæñøåÉÀŒЩщжЖюяабвгдеёλμπΩ']
const word = fc.array(fc.constantFrom(...letters), {minLength: 1, maxLength: 12}).map((l) => l.join(''))
const sentence = fc.tuple(fc.array(word, {minLength: 1, maxLength: 14}), fc.constantFrom('.', '!', '?', ';', ',', '')).map(([w, end]) => w.join(' ') + end)
const paragraph = fc.array(sentence, {minLength: 1, maxLength: 4}).map((s) => s.join(' '))
const body = fc.array(paragraph, {minLength: 1, maxLength: 6})

const dirs: string[] = []
afterAll(() => dirs.forEach((d) => rmSync(d, {recursive: true, force: true})))

const essay = readFileSync(path.join(root, 'tests/fixtures/mini/texts/essay.md'), 'utf8')
const frontMatter = essay.slice(0, essay.indexOf('\n---\n') + 5)

describe('Markdown → reader HTML (property)', () => {
  it('keeps every word of the text', async () => {
    await fc.assert(
      fc.asyncProperty(body, async (paragraphs) => {
        const dir = mkdtempSync(path.join(tmpdir(), 'reader-words-'))
        dirs.push(dir)
        cpSync(path.join(root, 'tests/fixtures/mini'), dir, {recursive: true})
        writeFileSync(path.join(dir, 'texts/essay.md'), frontMatter.replace('  - text: Skip to content\n    why: site navigation\n', '').replace('removed:\n', '') + '\n' + paragraphs.join('\n\n') + '\n')
        writeFileSync(path.join(dir, 'sources/essay.txt'), 'An Essay\n\n' + paragraphs.join('\n\n') + '\n')
        writeFileSync(path.join(dir, 'index.yaml'), 'entries: []\n')
        // Random words repeat and pile up punctuation: the prose rules would rightly refuse the build.
        const prose = ['no-repeated-words', 'no-doubled-punctuation', 'no-space-before-punctuation']
        writeFileSync(path.join(dir, 'book.yaml'), readFileSync(path.join(dir, 'book.yaml'), 'utf8') + `rules:\n${prose.map((rule) => `  ${rule}: off\n`).join('')}`)
        const processed = await processManuscript(dir)
        const files = processed.files
        const errors = files.flatMap((f) => f.messages.filter((m) => m.fatal).map(String))
        expect(errors).toEqual([])
        expect(countMessages(files).errors).toBe(0)
        const doc = assembleDocument(processed)
        // A space at every tag, so that blocks do not run together (the generated words carry no markup).
        const text = ' ' + toString(fromHtml(doc.html.replace(/</g, " <"))).replace(/[\u00AD\u200B]/g, '').replace(/\s+/g, ' ') + ' '
        for (const w of paragraphs.join(' ').split(/[\s.!?;,]+/).filter(Boolean)) {
          expect(text, w).toMatch(new RegExp(`[\\s\\p{P}]${w}[\\s\\p{P}]`, 'u'))
        }
        rmSync(dir, {recursive: true, force: true})
      }),
      {numRuns: 40}
    )
  }, 120_000)
})
