/**
 * A reader HTML whose page breaks fall inside code blocks (`pre`, its line feeds and indents kept):
 * thirty listings of ten lines — indented lines, a blank line, a nested block — each after a
 * paragraph of another length (and some after a heading or with a footnote on the page), so that
 * the breaks fall on every kind of line. Each listing's lines carry its number, so a line missing
 * from the PDF is named.
 */
import {oneTextHtml} from './fixture.ts'
const sentences = [
  'The compiler may assume that two pointers derived from different allocations never alias, even when their addresses happen to compare equal.',
  'Provenance is the part of a pointer that records where it came from, and it is not visible in the address alone.',
  'An optimisation is sound only if every program the language allows behaves the same before and after it.',
  'Integer casts complicate the picture, since an integer carries no provenance of its own.',
  'The listing below is small, but it shows the whole difficulty in a few lines.'
]

/** The lines of listing `i` (a blank one among them; indents of four and eight spaces). */
export function listing(i: number): string[] {
  return [
    `fn unit${i}() {`,
    `    alpha${i} = start(${i});`,
    `    use_m${i}(self, part${i});`,
    '',
    `    beta${i} = step(alpha${i}, 1);`,
    `    check${i}(beta${i}).then(|| {`,
    `        mark${i}(beta${i}); // note ${i}`,
    `    }); // then${i}`,
    `    done${i}(alpha${i}, beta${i})`,
    `} // unit${i}`
  ]
}

export const listings = 30

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

export function codeBreaksHtml(): string {
  const units: string[] = []
  const notes: string[] = []
  for (let i = 0; i < listings; i++) {
    const count = 1 + ((i * 5) % 7)
    const text = Array.from({length: count}, (_, k) => sentences[(i + k) % sentences.length]).join(' ')
    const call = i % 5 === 2 ? `<a class="noteref" href="#t-c-fn-${i}" id="t-c-fnref-${i}" role="doc-noteref">${notes.length + 1}</a>` : ''
    if (call) notes.push(`<li id="t-c-fn-${i}" class="note" role="doc-endnote" value="${notes.length + 1}"><p>${sentences[i % sentences.length]} ${sentences[(i + 2) % sentences.length]} <a href="#t-c-fnref-${i}" class="backlink" role="doc-backlink">↩</a></p></li>`)
    if (i % 3 === 1) units.push(`<h3 id="t-c-s-${i}">Listing ${i}</h3>`)
    units.push(`<p>${text}${call}</p>`)
    units.push(`<pre><code class="language-rust">${escape(listing(i).join('\n'))}\n</code></pre>`)
  }
  return oneTextHtml({id: 't-c', title: 'Code', pageTitle: 'Code at page breaks', body: units.join('\n'), notes})
}
