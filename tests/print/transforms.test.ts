/**
 * The print transforms and the split into chunks on the fixture, without a browser: where the
 * page-number placeholders go, how index refs collapse, what each chunk says it holds, and the
 * print document put together from the chunks.
 */
import {createHash} from 'node:crypto'
import {describe, expect, it} from 'vitest'
import type {Element, Root} from 'hast'
import {select, selectAll} from 'hast-util-select'
import {fromHtml} from 'hast-util-from-html'
import {textContent, toHtmlString, toHtmlStringAround} from '../../scripts/print/hast.ts'
import rehypeBlockNumbers from '../../scripts/print/block-numbers.ts'
import rehypePrintNotes from '../../scripts/print/notes.ts'
import rehypeHyphenate, {hyphenatorFor} from '../../scripts/print/hyphenate.ts'
import rehypePageRefs, {placeholder} from '../../scripts/print/page-refs.ts'
import rehypePrintDocument from '../../scripts/print/document.ts'
import {joinChunks, splitChunks} from '../../scripts/print/chunks.ts'
import {fixtureHtml} from './fixture.ts'

/** An index whose refs sit in a wrapper, with a sub-entry of its own. */
const nestedIndex = `<section class="part back" id="places" data-part="index"><h1>Places</h1><ul>
<li class="ix-entry"><span class="ix-term">Moscow</span> <span class="ix-refs"><a class="ix-ref" href="#ix-trotsky-1"></a>, <a class="ix-ref" href="#tn-1"></a></span>
<ul><li class="ix-entry"><span class="ix-term">trials</span> <a class="ix-ref" href="#t-two"></a></li></ul></li>
<li class="ix-entry"><span class="ix-term">Petrograd</span><ul><li class="ix-entry"><span class="ix-term">winter</span> <a class="ix-ref" href="#t-one-s-1"></a></li></ul></li>
</ul></section>`

function printTree(mode: 'footnotes' | 'endnotes' = 'footnotes'): Root {
  const tree = fromHtml(fixtureHtml({extraBody: nestedIndex}))
  rehypeBlockNumbers()(tree)
  rehypePrintNotes({mode})(tree)
  rehypeHyphenate({lang: 'en'})(tree)
  rehypePageRefs()(tree)
  rehypePrintDocument({stylesheets: ['print.css'], classNames: ['print']})(tree)
  return tree
}

const elements = (nodes: Element['children']) => nodes.filter((c): c is Element => c.type === 'element')
const target = (a: Element) => String(a.properties.href).slice(1)
const ids = (node: Root | Element) => selectAll('[id]', node).map((e) => String(e.properties.id)).filter(Boolean)

describe('the print transforms', () => {
  const tree = printTree()

  it('puts a page-number placeholder right after each contents link', () => {
    const nav = select('nav.toc', tree)!
    const links = selectAll('a[href^="#"]', nav)
    expect(links.length).toBe(6)
    for (const a of links) {
      // Each contents link’s parent holds it, then its placeholder.
      const li = selectAll('li', nav).find((li) => li.children.includes(a))!
      const next = li.children[li.children.indexOf(a) + 1] as Element
      expect(next.properties).toMatchObject({className: ['toc-pn'], dataPnFor: target(a)})
      expect(textContent(next)).toBe(placeholder)
    }
    expect(selectAll('.toc-pn', tree).length).toBe(links.length)
  })

  it('puts one before each textual note’s lemma', () => {
    for (const li of selectAll('#textual-notes li', tree)) {
      const [pn, lemma] = elements(li.children)
      // A reading in a footnote is keyed by its note, the others by their line.
      const inNote = target(lemma) === 'tn-4'
      expect(pn.properties).toMatchObject({className: inNote ? ['tn-pn', 'tn-pn-note'] : ['tn-pn'], dataPnFor: target(lemma), dataPnLine: ''})
      expect(pn.properties.dataPnNote).toBe(inNote ? '1' : undefined)
      expect(textContent(pn)).toBe(inNote ? `${placeholder} n. 0` : `${placeholder}.00`)
      expect(li.children[li.children.indexOf(pn) + 1]).toEqual({type: 'text', value: ' '})
    }
  })

  it('collapses each index entry’s refs into one span, in a wrapper too, sub-entries apart', () => {
    expect(selectAll('a.ix-ref', tree)).toEqual([])
    const runs = selectAll('.ix-pages', tree).map((span) => [span.properties.dataIxRefs, textContent(span)])
    expect(runs).toEqual([
      ['ix-serge-1', placeholder],
      ['ix-trotsky-1 ix-trotsky-2 ix-trotsky-3 ix-trotsky-4', [placeholder, placeholder, placeholder, placeholder].join(', ')],
      ['ix-trotsky-1 tn-1', `${placeholder}, ${placeholder}`],
      ['t-two', placeholder],
      ['t-one-s-1', placeholder]
    ])
    // The run replaces the refs where they were: in the wrapper, with the commas between them.
    const wrapper = select('.ix-refs', tree)!
    expect(elements(wrapper.children).map((e) => e.properties.className)).toEqual([['ix-pages']])
    expect(wrapper.children.length).toBe(1)
  })

  it('moves each footnote after its reference and drops the emptied notes', () => {
    for (const ref of selectAll('a.noteref', tree)) {
      const parent = selectAll('*', tree).find((e) => e.children.includes(ref))!
      const footnote = parent.children[parent.children.indexOf(ref) + 1] as Element
      expect(footnote.properties.dataNoteId).toBe(target(ref))
    }
    expect(selectAll('section.notes, section.ednotes, li.note', tree)).toEqual([])
    // Endnotes stay where they are; only their back-links are hidden.
    const endnotes = printTree('endnotes')
    expect(selectAll('section.notes', endnotes).length).toBe(2)
    expect(selectAll('a.backlink', endnotes).every((a) => a.properties.dataPrintHidden === '')).toBe(true)
  })

  it('puts a note referenced from inside another note after that note’s footnote, none lost', () => {
    const tree = fromHtml(`<!doctype html><html><body><section class="part text" id="t">
<p>Text.<a class="noteref" href="#n1" id="r1">1</a> More text.<a class="noteref" href="#n3" id="r3">3</a></p>
<section class="notes"><ol>
<li id="n1" class="note" value="1"><p>One, remarked on.<a class="noteref ednote-ref" href="#e1" id="re1">*</a> See also.<a class="noteref" href="#n2" id="r2">2</a> <a class="backlink" href="#r1">↩</a></p></li>
<li id="n2" class="note" value="2"><p>Two, called from one only, calling four.<a class="noteref" href="#n4" id="r4">4</a> <a class="backlink" href="#r2">↩</a></p></li>
<li id="n3" class="note" value="3"><p>Three. <a class="backlink" href="#r3">↩</a></p></li>
<li id="n4" class="note" value="4"><p>Four, called from two only. <a class="backlink" href="#r4">↩</a></p></li>
</ol></section>
<section class="ednotes"><ol><li id="e1" class="note ednote" data-mark="*"><p>The editor on one. <a class="backlink" href="#re1">↩</a></p></li></ol></section>
</section></body></html>`)
    rehypePrintNotes({mode: 'footnotes'})(tree)
    const footnotes = selectAll('span.footnote', tree)
    // In the paragraph: one’s footnote, the notes on it (and the note on those), then three’s.
    expect(footnotes.map((f) => f.properties.dataNoteId)).toEqual(['n1', 'e1', 'n2', 'n4', 'n3'])
    const paragraph = select('p', tree)!
    expect(elements(paragraph.children).map((e) => e.properties.dataNoteId ?? e.properties.href)).toEqual(['#n1', 'n1', 'e1', 'n2', 'n4', '#n3', 'n3'])
    // Every note’s words once, none nested in another footnote, and the calls kept in the notes.
    for (const words of ['One, remarked on.', 'The editor on one.', 'Two, called from one only', 'Three.', 'Four, called from two only.']) {
      expect(footnotes.filter((f) => textContent(f).includes(words)).length, words).toBe(1)
    }
    expect(selectAll('span.footnote span.footnote', tree)).toEqual([])
    expect(selectAll('span.footnote[data-note-id="n1"] a.noteref', tree).map((a) => a.properties.href)).toEqual(['#e1', '#n2'])
    expect(selectAll('li.note, section.notes, section.ednotes', tree)).toEqual([])
  })

  it('writes an editor’s note’s mark before its words, not before a span of its own (a language, a source)', () => {
    const tree = fromHtml(`<!doctype html><html><body><section class="part back" id="b">
<ul><li>A work.<a class="noteref ednote-ref" href="#e1" id="re1">*</a></li></ul>
<section class="ednotes"><ul><li id="e1" class="note ednote ednote-sourced" data-mark="*"><span class="ednote-mark">* </span><i>Title</i> is <span lang="fr">Titre</span>. <span class="ednote-source">Source: a catalogue.</span> — Ed. <a class="backlink" href="#re1">↩</a></li></ul></section>
</section></body></html>`)
    rehypePrintNotes({mode: 'footnotes'})(tree)
    const footnote = select('span.footnote', tree)!
    // (No space after the mark: it hangs in a box of its own, print.css.)
    expect(textContent(footnote).trimEnd()).toBe('*Title is Titre. Source: a catalogue. — Ed.')
    expect(elements(footnote.children)[0].properties.className).toEqual(['fn-mark'])
  })

  it('hyphenates running text by its language, not headings, URLs or the contents', () => {
    const french = select('i[lang="fr"]', tree)!
    // The French patterns’ breaks, less those that would leave under four letters (té-moignage, lit-térature).
    expect(hyphenatorFor('fr')!('une littérature de témoignage', {minWordLength: 6})).toContain('té\u00ADmoi')
    expect(textContent(french)).toBe('une litté\u00ADra\u00ADture de témoi\u00ADgnage')
    expect(textContent(select('#t-one > p', tree)!)).toContain('\u00AD')
    for (const selector of ['h1', 'h2', 'nav.toc', '.lead-in', 'title']) {
      for (const node of selectAll(selector, tree)) expect(textContent(node)).not.toContain('\u00AD')
    }
    const url = selectAll('p', tree).find((p) => textContent(p).includes('marxists'))!
    expect(textContent(url)).toContain('https://www.marxists.org/archive/serge/index.htm')
  })

  it('hyphenates no name, no word in another script, and leaves four letters on each side', () => {
    const hyphenated = (text: string, lang: string) => {
      const root: Root = {type: 'root', children: [{type: 'element', tagName: 'p', properties: {}, children: [{type: 'text', value: text}]}]}
      rehypeHyphenate({lang})(root)
      return textContent(root).replace(/\u00AD/g, '-')
    }
    expect(hyphenated('Trotsky Stalin Kronstadt Attribution-ShareAlike revolutionary', 'en')).toBe('Trotsky Stalin Kronstadt Attribution-ShareAlike revo-lu-tionary')
    expect(hyphenated('Виктор Львович Кибальчич extraordinary', 'en')).toBe('Виктор Львович Кибальчич extra-or-di-nary')
    expect(hyphenated('révolutionnaire déportation', 'fr')).toBe('révo-lu-tion-naire dépor-ta-tion')
  })

  it('offers breaks at three letters a side too when the fitting pass follows (least: 3)', () => {
    const root: Root = {type: 'root', children: [{type: 'element', tagName: 'p', properties: {}, children: [{type: 'text', value: 'murderers revolutionary Trotsky'}]}]}
    rehypeHyphenate({lang: 'en', least: 3})(root)
    // (Four a side, the default, offers no break in “murderers” at all.)
    expect(textContent(root)).toContain('mur\u00ADder\u00ADers')
    expect(textContent(root)).toContain(' Trotsky')
  })
})

describe('splitChunks', () => {
  const tree = printTree()
  const chunks = splitChunks(tree)

  it('splits the book into the front matter, each text and the back matter', () => {
    expect(chunks.map((c) => [c.kind, c.name])).toEqual([
      ['front', 'front'],
      ['text', 't-one'],
      ['text', 't-two'],
      ['back', 'back']
    ])
  })

  it('says for each chunk exactly what its own document holds', () => {
    for (const chunk of chunks) {
      expect(chunk.hash).toBe(createHash('sha256').update(chunk.html).digest('hex'))
      expect(chunk.html.startsWith('<!doctype html>\n<html')).toBe(true)
      expect(chunk.html.endsWith(chunk.bodyHtml + '</body></html>')).toBe(true)
      const doc = fromHtml(chunk.html)
      expect(toHtmlString({type: 'root', children: select('body', doc)!.children})).toBe(chunk.bodyHtml)
      expect(chunk.ids).toEqual(ids(doc))
      expect(chunk.pageNumberFor).toEqual(selectAll('[data-pn-for]', doc).map((e) => String(e.properties.dataPnFor)))
      expect(chunk.indexRuns).toEqual(selectAll('[data-ix-refs]', doc).map((e) => String(e.properties.dataIxRefs)))
      expect(chunk.textLength).toBe(textContent(select('body', doc)!).length)
    }
    // Every id of the book is in one chunk, and the head is in all of them.
    expect(chunks.flatMap((c) => c.ids)).toEqual(ids(tree))
    expect(new Set(chunks.map((c) => c.html.slice(0, c.html.indexOf('<body'))))).toHaveProperty('size', 1)
  })

  it('pairs the links between chunks both ways', () => {
    const owner = (id: string) => chunks.findIndex((c) => c.ids.includes(id))
    for (const chunk of chunks) {
      // Its links, and the links its index runs become once the pages are known.
      const doc = fromHtml(chunk.html)
      const runs = selectAll('[data-ix-refs]', doc).flatMap((e) => String(e.properties.dataIxRefs).split(' '))
      const links = [...new Set([...selectAll('a[href^="#"]', doc).map(target), ...runs])]
      expect([...chunk.outsideLinks].sort()).toEqual(links.filter((id) => owner(id) >= 0 && owner(id) !== chunk.index).sort())
      for (const id of chunk.outsideLinks) expect(chunks[owner(id)].linkedFromOutside).toContain(id)
    }
    // The contents (front matter) point into every text; the textual notes (back) into the first.
    expect(chunks[1].linkedFromOutside).toEqual(expect.arrayContaining(['t-one', 't-one-s-1', 'tn-1']))
  })

  it('puts the whole print document together from the chunks, as serialising it would', () => {
    const whole: Root = {type: 'root', children: tree.children.filter((c) => c.type !== 'doctype')}
    expect(joinChunks(whole, chunks)).toBe(toHtmlString(whole))
  })
})

describe('toHtmlStringAround', () => {
  it('serialises the tree around the element’s children, or whole when the element is not in it', () => {
    const tree = fromHtml('<html><head></head><body><p>One &amp; <b>two</b></p><!--a comment--></body></html>')
    const body = select('body', tree)!
    const inner = toHtmlString({type: 'root', children: body.children})
    expect(toHtmlStringAround(tree, body, inner)).toBe(toHtmlString(tree))
    expect(toHtmlStringAround(tree, select('b', fromHtml('<b>x</b>'))!, 'ignored')).toBe(toHtmlString(tree))
    // The children are back in place.
    expect(toHtmlString({type: 'root', children: body.children})).toBe(inner)
  })
})
