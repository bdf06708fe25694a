/**
 * A reader HTML whose page breaks fall inside hyphenated words: every word is long, so nearly
 * every line of the justified text ends in a hyphen, in the body, in a footnote long enough to
 * run over a page, and in the items of a long list. Each of the three has its own words, so a
 * difference in the PDF tells which one it is in. (Where the pages break depends on the measure
 * and the hyphenation rules: the note call's paragraph and the note's word order are chosen so
 * that, as they are, stock Paged.js breaks inside a word in all three.)
 */
import {oneTextHtml} from './fixture.ts'
export const bodyWords = ['administration', 'understanding', 'representative', 'constitutional', 'extraordinary', 'responsibilities', 'international', 'communication', 'interpretation', 'establishment']
export const noteWords = ['photographically', 'bibliographical', 'historiographical', 'correspondingly', 'transcontinental', 'philosophically', 'unquestionably', 'characteristically']
export const listWords = ['electromagnetic', 'thermodynamical', 'crystallographic', 'spectroscopically', 'meteorological', 'oceanographic', 'paleontological', 'geomorphological']

/** `count` words of `words`, in an order that does not repeat soon (so the lines differ). */
function run(words: string[], count: number, seed: number): string {
  const out: string[] = []
  for (let i = 0; i < count; i++) out.push(words[(seed * 7 + i * 3 + Math.floor(i / words.length)) % words.length])
  return out.join(' ')
}

export function hyphenBreaksHtml(): string {
  const paragraphs = Array.from({length: 14}, (_, i) => `<p>${run(bodyWords, 55 + (i % 4) * 9, i)}${i === 4 ? '<a class="noteref" href="#t-h-fn-1" id="t-h-fnref-1" role="doc-noteref">1</a>' : ''}.</p>`)
  const items = Array.from({length: 12}, (_, i) => `<li>${run(listWords, 24 + (i % 3) * 7, i)}.</li>`)
  return oneTextHtml({
    id: 't-h',
    title: 'Hyphens',
    pageTitle: 'Hyphens at page breaks',
    body: [...paragraphs.slice(0, 9), `<ul>${items.join('\n')}</ul>`, ...paragraphs.slice(9)].join('\n'),
    notes: [`<li id="t-h-fn-1" class="note" role="doc-endnote" value="1"><p>${run(noteWords, 330, 2)}. <a href="#t-h-fnref-1" class="backlink" role="doc-backlink">↩</a></p></li>`]
  })
}
