/**
 * Every printed character in the book face: a mark the face lacks is drawn from its own glyphs as
 * templates/fonts.yaml says (‖ as two bars set close), and one with no substitute stops the print
 * (`glyph-missing`) instead of falling back to another font; so does a letter set in small capitals
 * that the face has no small capital for (Chromium would draw shrunken capitals of its own).
 */
import {describe, expect, it} from 'vitest'
import {fromHtml} from 'hast-util-from-html'
import {toHtml} from 'hast-util-to-html'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import rehypeBookFaceGlyphs, {smallCapsSelectors} from '../../scripts/print/glyphs.ts'
import {bookFace, missingCharacters, missingSmallCaps} from '../../scripts/fonts.ts'
import {ReaderError} from '../../scripts/errors.ts'

const face = bookFace()
const run = (html: string) => {
  const tree = fromHtml(html)
  rehypeBookFaceGlyphs({substitutes: face.substitutes, face})(tree)
  return toHtml(tree)
}

describe('the book face’s glyphs', () => {
  it('has every editorial mark of the series but ‖, which it draws from its own bar', () => {
    expect(missingCharacters('*†‡§¶', face)).toEqual([])
    expect(missingCharacters('‖', face)).toEqual(['‖'])
    expect(missingCharacters(face.substitutes['‖'], face)).toEqual([])
    const html = run('<section class="part" id="t"><p>A note<a class="noteref">‖</a> here.</p></section>')
    expect(html).toContain('<a class="noteref"><span class="glyph-sub" data-for="‖">||</span></a>')
  })

  it('stops at a character the face lacks, naming it and where it is', () => {
    const call = () => run('<section class="part" id="chronology"><p>The asterism ⁂ between sections.</p></section>')
    expect(call).toThrow(ReaderError)
    expect(call).toThrow(/`⁂` \(U\+2042\) in #chronology \(“The asterism ⁂ between sections\.”\): the book face Source Serif 4 has no glyph/)
    try {
      call()
    } catch (error) {
      expect((error as ReaderError).ruleId).toBe('glyph-missing')
    }
  })

  it('checks code against the code face, where the manifest names one', () => {
    expect(face.code, 'templates/fonts.yaml names a code face').toBeDefined()
    const [lacking] = missingCharacters('→⁂▶', face.code!)
    expect(lacking, 'a character the code face lacks').toBeDefined()
    expect(() => run(`<section class="part" id="t"><pre><code>a ${lacking} b</code></pre></section>`)).toThrow(new RegExp(`set in ${face.code!.family}`))
  })

  it('lets what print does not show pass (a deletion, a hidden heading)', () => {
    expect(() => run('<p>Kept <span class="del">⁂</span><span class="visually-hidden">⁂</span> text.</p>')).not.toThrow()
  })
})

describe('the book face’s small capitals', () => {
  it('has a small capital for every letter of Latin, Greek and Cyrillic, capital or not, in its upright fonts', () => {
    expect(missingSmallCaps('Victor Serge VICTOR SERGE Ви́ктор Льво́вич Киба́льчич Ωω Précigné ŁĘ ß', face)).toEqual([])
    // Letters the face has but not as small capitals: the Latin alpha, a ligature. A modifier letter
    // (ʿ, ʰ) has no case: it is set as it is, in small capitals or not.
    expect(missingSmallCaps('aɑbﬀ ʿAli ʰ', face)).toEqual(['ɑ', 'ﬀ'])
  })

  it('stops at a letter set in small capitals that the face has no small capital for; the same letter elsewhere, or in italics inside, passes', () => {
    const call = () => run('<section class="part text" id="t"><p><span class="lead-in">Theɑ first</span> words.</p></section>')
    expect(call).toThrow(/`ɑ` \(U\+0251\) in small capitals in #t \(“Theɑ first”\): the book face Source Serif 4 has no small capital for it/)
    try {
      call()
    } catch (error) {
      expect((error as ReaderError).ruleId).toBe('glyph-missing')
    }
    expect(() => run('<section class="part text" id="t"><p>Theɑ first words.</p></section>')).not.toThrow()
    expect(() => run('<section class="part text" id="t"><p><span class="lead-in">His <i>Theɑ</i></span> words.</p></section>')).not.toThrow()
    expect(() => run('<section class="part text" id="t"><p><span class="lead-in">ʿAli ibn</span> words.</p></section>')).not.toThrow()
    expect(() => run('<section class="part text" id="t" data-author="Aɑ"><p>Words.</p></section>')).toThrow(/in small capitals in #t/)
  })

  it('checks what print.css sets in small capitals, and only that', () => {
    const css = readFileSync(path.join('templates', 'print', 'print.css'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '')
    const body = css.replace(/@page[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}/g, '')
    const selectors = [...body.matchAll(/([^{}]+)\{([^{}]*)\}/g)]
      .filter(([, , declarations]) => /font-variant-caps:\s*all-small-caps/.test(declarations))
      .flatMap(([, selector]) => selector.split(',').map((one) => one.trim()))
    expect(selectors.length).toBeGreaterThan(5)
    expect(new Set(selectors)).toEqual(new Set(smallCapsSelectors))
  })
})
