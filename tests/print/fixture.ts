/**
 * A small reader HTML that follows docs/reader-html.md: front matter, two texts with footnotes
 * (one of about 300 words), an editor’s note, critical markup, a French phrase, the Cyrillic name,
 * textual notes and an index. `data-b` is added by the print step when absent.
 */
import type {Book} from '../../scripts/manuscript/schema.ts'
import {bookSchema} from '../../scripts/manuscript/schema.ts'

const sentences = [
  'The revolutionary generation that came of age before the war believed that history could be hurried, and Serge never entirely abandoned that conviction.',
  'His novels record the texture of defeat with an exactness that few of his contemporaries could match, and they do so without consolation.',
  'In Petrograd the winter of nineteen nineteen was remembered afterwards as a season of hunger, typhus and improvised heroism.',
  'What distinguishes the memoirs is not their politics, which were often contradictory, but their extraordinary attentiveness to individual lives.',
  'The manuscripts travelled by circuitous routes, entrusted to friends, confiscated at borders, and occasionally reconstructed from memory.',
  'Critics have sometimes described his prose as journalistic, yet the characteristic rhythm of the sentences is unmistakably literary.',
  'Exile in Mexico brought neither security nor silence; it brought instead a narrowing circle of correspondents and a widening body of work.',
  'The archive preserves letters, notebooks and drafts whose corrections reveal a writer continually revising his understanding of events.'
]

function paragraph(seed: number, words = 6): string {
  const out: string[] = []
  for (let i = 0; i < words; i++) out.push(sentences[(seed + i) % sentences.length])
  return out.join(' ')
}

export const longNote =
  'This note is deliberately long, as some notes in the reader are. ' +
  Array.from({length: 12}, (_, i) => sentences[i % sentences.length]).join(' ') +
  ' The final words of the long note are these: preserved entire across the page.'

export const cyrillic = 'Виктор Львович Кибальчич'

/**
 * A reader HTML of one text by A. Writer (`id`, titled `title`): its body, then its notes (each an
 * `<li>` of the notes list), as docs/reader-html.md sets them.
 */
export function oneTextHtml(text: {id: string; title: string; pageTitle: string; body: string; notes: string[]}): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${text.pageTitle}</title></head>
<body>
<section class="part text" id="${text.id}" data-part="chapter" role="doc-chapter" data-author="A. Writer" data-title="${text.title}" lang="en">
<header class="text-head"><h1 class="text-title">${text.title}</h1><p class="text-author">A. Writer</p></header>
${text.body}
<section class="notes" role="doc-endnotes" aria-label="Notes"><h2 class="notes-title">Notes</h2><ol>
${text.notes.join('\n')}
</ol></section>
</section>
</body></html>`
}

export function fixtureHtml(options: {extraBody?: string; paragraphs?: number; longNoteAt?: number} = {}): string {
  const n = options.paragraphs ?? 12
  const longAt = options.longNoteAt ?? 3
  const t1: string[] = []
  for (let i = 0; i < n; i++) {
    let body = paragraph(i)
    if (i === 0) body = `<span class="lead-in">Victor Serge had</span> ${body} He was born <span class="ix" id="ix-serge-1" data-ix="serge">${cyrillic}</span> in Brussels.`
    if (i === 1) body += ` The phrase <i lang="fr">une littérature de témoignage</i> recurs in the French criticism.<a class="noteref" href="#t-one-fn-1" id="t-one-fnref-1" role="doc-noteref">1</a>`
    if (i === 2) body += ` He met <span class="ix" id="ix-trotsky-1" data-ix="trotsky">Trotsky</span> in Moscow.<a class="noteref ednote-ref" href="#t-one-ed-1" id="t-one-edref-1" role="doc-noteref">*</a>`
    if (i === longAt) body += ` On the question of method, see the appendix.<a class="noteref" href="#t-one-fn-2" id="t-one-fnref-2" role="doc-noteref">2</a>`
    if (i === 3) body += ` The <span class="corr" id="tn-1" data-was="Business Relationships">books</span> were <span class="supplied" id="tn-2">[the]</span> lost, and he was <span class="sic" id="tn-3">critizising</span> <span class="sic-mark">[<i>sic</i>]</span> them.`
    if (i === 5) body += ` <span class="ix" id="ix-trotsky-2" data-ix="trotsky">Trotsky</span> appears again.`
    if (i === 6) body += ` <span class="ix" id="ix-trotsky-3" data-ix="trotsky">Trotsky</span> once more.`
    if (i === 8) body += ` See https://www.marxists.org/archive/serge/index.htm for the texts.`
    t1.push(`<p>${body}</p>`)
    if (i === 4) t1.push(`<h2 id="t-one-s-1">Petrograd</h2>`)
    if (i === 7) t1.push(`<blockquote><p>${sentences[3]}</p></blockquote>`)
  }
  t1.push(`<p>This is the last paragraph of the first text, and it ends here.</p>`)
  const t2: string[] = []
  for (let i = 0; i < 5; i++) t2.push(`<p>${paragraph(i + 3, 5)}${i === 1 ? '<a class="noteref" href="#t-two-fn-1" id="t-two-fnref-1" role="doc-noteref">1</a>' : ''}${i === 2 ? ' <span class="ix" id="ix-trotsky-4" data-ix="trotsky">Trotsky</span> in Coyoacán.' : ''}</p>`)
  t2.push('<p>The second text closes with this sentence about the archive.</p>')

  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Victor Serge: A Critical Reader</title>
<meta name="author" content="Theodor Lena, Susan Weissman"><meta name="description" content="A critical reader on Victor Serge"></head>
<body>
<section class="part front half-title" id="half-title" data-part="half-title"><h1>Victor Serge</h1></section>
<section class="part front title-page" id="title-page" data-part="titlepage"><h1>Victor Serge</h1><p class="subtitle">A Critical Reader</p></section>
<section class="part front copyright" id="copyright" data-part="copyright-page"><p>First edition 2026.</p><p>Editorial matter and this arrangement © the editor, 2026.</p></section>
<nav class="part front toc" id="contents" role="doc-toc" data-part="toc"><h1>Contents</h1>
<ol><li><a href="#editorial-note">Editorial Note</a></li>
<li><a href="#t-one">Remembering Victor Serge</a> <span class="toc-author">Theodor Lena</span><ol><li><a href="#t-one-s-1">Petrograd</a></li></ol></li>
<li><a href="#t-two">Serge’s Legacy</a> <span class="toc-author">Susan Weissman</span></li>
<li><a href="#textual-notes">Textual Notes</a></li>
<li><a href="#index">Index</a></li></ol></nav>
<section class="part front editorial" id="editorial-note" data-part="preface" role="doc-preface"><h1>Editorial Note</h1>
<p>${paragraph(1, 4)}</p><p>${paragraph(5, 3)}</p></section>
<section class="part text" id="t-one" data-part="chapter" role="doc-chapter" data-author="Theodor Lena" data-title="Remembering Victor Serge" lang="en">
<header class="text-head"><h1 class="text-title">Remembering Victor Serge</h1><p class="text-author">Theodor Lena</p>
<div class="headnote"><p>First published in <cite>Survey</cite>, 1964. Two paragraphs on the author’s own travels are omitted.</p></div></header>
<blockquote class="epigraph" role="doc-epigraph"><p>Everything is always beginning again.</p><p class="attribution">— Victor Serge</p></blockquote>
${t1.join('\n')}
<section class="notes" role="doc-endnotes" aria-label="Notes"><h2 class="notes-title">Notes</h2><ol>
<li id="t-one-fn-1" class="note" role="doc-endnote" value="1"><p>Short note opening words about the French criticism. <a href="#t-one-fnref-1" class="backlink" role="doc-backlink">↩</a></p></li>
<li id="t-one-fn-2" class="note" role="doc-endnote" value="2"><p>${longNote} <a href="#t-one-fnref-2" class="backlink" role="doc-backlink">↩</a></p></li>
</ol></section>
<section class="ednotes" aria-label="Editor’s notes"><ol><li id="t-one-ed-1" class="note ednote" role="doc-endnote" data-mark="*"><p>Editor’s note on the Moscow meeting. — Ed. <a href="#t-one-edref-1" class="backlink" role="doc-backlink">↩</a></p></li></ol></section>
</section>
<section class="part text" id="t-two" data-part="chapter" role="doc-chapter" data-author="Susan Weissman" data-title="Serge’s Legacy" lang="en">
<header class="text-head"><h1 class="text-title">Serge’s Legacy</h1><p class="text-author">Susan Weissman</p><div class="headnote"><p>First published 2001.</p></div></header>
${t2.join('\n')}
<section class="notes" role="doc-endnotes" aria-label="Notes"><h2 class="notes-title">Notes</h2><ol>
<li id="t-two-fn-1" class="note" role="doc-endnote" value="1"><p>A note in the <span class="corr" id="tn-4" data-was="secnod">second</span> text. <a href="#t-two-fnref-1" class="backlink" role="doc-backlink">↩</a></p></li></ol></section>
</section>
<section class="part back textual-notes" id="textual-notes" data-part="appendix"><h1>Textual Notes</h1>
<section><h2>Remembering Victor Serge</h2><ol>
<li><a class="tn-ref" href="#tn-1">books</a>] Business Relationships <i>copy-text</i></li>
<li><a class="tn-ref" href="#tn-2">[the]</a> supplied</li>
<li><a class="tn-ref" href="#tn-3">critizising</a> <i>sic</i></li></ol></section>
<section><h2>Serge’s Legacy</h2><ol>
<li><a class="tn-ref" href="#tn-4">second</a>] secnod <i>copy-text</i></li></ol></section></section>
<section class="part back index" id="index" data-part="index" role="doc-index"><h1>Index</h1>
<ul><li class="ix-entry"><span class="ix-term">Serge, Victor (${cyrillic})</span> <a class="ix-ref" href="#ix-serge-1"></a></li>
<li class="ix-entry"><span class="ix-term">Trotsky, Leon</span> <a class="ix-ref" href="#ix-trotsky-1"></a>, <a class="ix-ref" href="#ix-trotsky-2"></a>, <a class="ix-ref" href="#ix-trotsky-3"></a>, <a class="ix-ref" href="#ix-trotsky-4"></a></li></ul></section>
${options.extraBody ?? ''}
</body></html>`
}

export function fixtureBook(overrides: Record<string, unknown> = {}): Book {
  return bookSchema.parse({
    slug: 'fixture',
    title: 'Victor Serge',
    subtitle: 'A Critical Reader',
    language: 'en',
    edition: {number: 1, date: '2026-11-23'},
    texts: ['texts/one.md', 'texts/two.md'],
    ...overrides
  })
}
