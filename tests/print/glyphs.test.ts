/**
 * Every printed character in the book face: a mark the face lacks is drawn from its own glyphs as
 * templates/fonts.yaml says (‖ as two bars set close), and one with no substitute stops the print
 * (`glyph-missing`) instead of falling back to another font.
 */
import {describe, expect, it} from 'vitest'
import {fromHtml} from 'hast-util-from-html'
import {toHtml} from 'hast-util-to-html'
import rehypeBookFaceGlyphs from '../../scripts/print/glyphs.ts'
import {bookFace, missingCharacters} from '../../scripts/fonts.ts'
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
