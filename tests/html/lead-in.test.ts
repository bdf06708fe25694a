/**
 * The small-caps lead-in that opens every text (scripts/html/lead-in.ts): the first words of the
 * first paragraph of running text, the manuscript’s own `:sc[…]` kept, never cutting an element or
 * taking a note reference.
 */
import {describe, expect, it} from 'vitest'
import {fromHtml} from 'hast-util-from-html'
import {select, selectAll} from 'hast-util-select'
import {toHtml} from 'hast-util-to-html'
import {toString} from 'hast-util-to-string'
import type {Element} from 'hast'
import {addLeadIn} from '../../scripts/html/lead-in.ts'

const text = (body: string, words = 3) => {
  const section = select('section', fromHtml(`<section class="part text" id="t"><header class="text-head"><h1>Title</h1><p class="text-author">A. Author</p></header>${body}</section>`, {fragment: true})) as Element
  addLeadIn(section, words)
  return section
}
const leadIn = (body: string, words = 3) => {
  const found = selectAll('.lead-in', text(body, words))
  expect(found.length).toBeLessThanOrEqual(1)
  return found[0] ? toString(found[0]) : undefined
}

describe('the lead-in', () => {
  it('sets the first three words of the first paragraph, not the head, standfirst or epigraph', () => {
    const section = text('<div class="standfirst"><p>A standfirst here.</p></div><blockquote class="epigraph"><p>Words of another.</p></blockquote><p>From the beginning of recorded time, there was none.</p><p>Second paragraph.</p>')
    expect(selectAll('.lead-in', section).map((node) => toString(node))).toEqual(['From the beginning'])
    expect(toHtml(select('section > p', section)!)).toBe('<p><span class="lead-in">From the beginning</span> of recorded time, there was none.</p>')
  })

  it('stops where a phrase ends sooner, and never ends on a lower-case word of one or two letters', () => {
    expect(leadIn('<p>On December 30, we mark the birthday.</p>')).toBe('On December 30')
    expect(leadIn('<p>Victor Serge (born Kibalchich) was.</p>')).toBe('Victor Serge')
    expect(leadIn('<p>Serge — the novelist — wrote.</p>')).toBe('Serge')
    expect(leadIn('<p>He wrote of the revolution.</p>')).toBe('He wrote')
    expect(leadIn('<p>He wrote of the revolution.</p>', 5)).toBe('He wrote of the revolution')
    expect(leadIn('<p>Victor Serge is my favourite.</p>')).toBe('Victor Serge')
    expect(leadIn('<p>Victor Serge is my favourite.</p>', 5)).toBe('Victor Serge is my favourite')
    expect(leadIn('<p>Yes. It was.</p>')).toBe('Yes')
    expect(leadIn('<p>“Victor Serge” was a name.</p>')).toBe('“Victor Serge” was')
  })

  it('goes on the first paragraph after a heading or a quotation the text opens with', () => {
    expect(toString(select('h2 + p .lead-in', text('<h2 id="s">I</h2><p>The first words here.</p>'))!)).toBe('The first words')
    expect(toString(select('blockquote + p .lead-in', text('<blockquote><p>Quoted words first.</p></blockquote><p>The first words here.</p>'))!)).toBe('The first words')
  })

  it('never cuts an element: an index anchor or an italic title is taken whole, a long one left out', () => {
    expect(toHtml(select('section > p', text('<p>The young <span class="ix" id="ix-1">Victor Serge</span> wrote novels.</p>'))!)).toBe('<p><span class="lead-in">The young <span class="ix" id="ix-1">Victor Serge</span></span> wrote novels.</p>')
    expect(leadIn('<p>His <i>Memoirs of a Revolutionary</i> appeared.</p>')).toBe('His Memoirs of a Revolutionary')
    expect(leadIn('<p>His <i>Memoirs of a Revolutionary, 1901–1941, as he wrote them in exile</i> appeared.</p>')).toBe('His')
  })

  it('never takes a note reference, and stops before it', () => {
    const section = text('<p>Serge<a class="noteref" href="#n1" role="doc-noteref">1</a> was born in Brussels.</p>')
    expect(toHtml(select('section > p', section)!)).toBe('<p><span class="lead-in">Serge</span><a class="noteref" href="#n1" role="doc-noteref">1</a> was born in Brussels.</p>')
    expect(leadIn('<p><a class="noteref" href="#n1" role="doc-noteref">1</a> Serge was born.</p>')).toBeUndefined()
  })

  it('keeps the manuscript’s own (`:sc[…]`), adds none when `style.lead_in` is 0 or there is no paragraph', () => {
    expect(leadIn('<p><span class="lead-in">VICTOR SERGE HAD</span> an enormous impact.</p>')).toBe('VICTOR SERGE HAD')
    expect(leadIn('<p>Victor Serge had an impact.</p>', 0)).toBeUndefined()
    expect(leadIn('<p>Victor Serge had an impact.</p>', 5)).toBe('Victor Serge had an impact')
    expect(leadIn('<ul><li>Only a list.</li></ul>')).toBeUndefined()
    // Verse set as quotations (as `reader import` sets stanzas), a prose note at its end: no opening paragraph.
    expect(leadIn('<blockquote><p>A batter’d, wreck’d old man,<br>Thrown on this savage shore,</p></blockquote><blockquote><p>I am too full of woe!</p></blockquote><p>A note on the poem.</p>')).toBeUndefined()
    expect(leadIn('<ul><li>A list first.</li></ul><p>Then the words here.</p>')).toBeUndefined()
  })
})
