import {describe, it, expect} from 'vitest'
import {run} from './helpers.ts'
import remarkNormaliseQuotes from '../../scripts/normalise/quotes.ts'
import remarkNormaliseDashes from '../../scripts/normalise/dashes.ts'
import remarkNormaliseEllipses from '../../scripts/normalise/ellipses.ts'
import remarkNormaliseSpaces from '../../scripts/normalise/spaces.ts'
import remarkNormaliseNoteReferences from '../../scripts/normalise/note-references.ts'

const nb = '\u00A0'

describe('remarkNormaliseQuotes', () => {
  const q = (md: string, style: 'double-first' | 'single-first' = 'double-first') => run(md, [remarkNormaliseQuotes({style})])
  it('turns straight quotes and keeps apostrophes right', () => {
    expect(q(`He said "it's the '30s, rock 'n' roll" and 'em.`)).toBe(`He said “it’s the ’30s, rock ’n’ roll” and ’em.`)
  })
  it('opens after a dash or a bracket', () => {
    expect(q(`a —"dash" and ("bracket") and ['square']`)).toBe(`a —“dash” and (“bracket”) and [“square”]`)
  })
  it('rights misdirected marks', () => {
    expect(q(`the ‘30s and ”another“ one`)).toBe(`the ’30s and “another” one`)
  })
  it('alternates nested quotations by style', () => {
    expect(q(`“a ‘b’ c” and ‘d “e” f’`)).toBe(`“a ‘b’ c” and “d ‘e’ f”`)
    expect(q(`“a ‘b’ c”`, 'single-first')).toBe(`‘a “b” c’`)
  })
  it('leaves an unbalanced paragraph’s marks as they are', () => {
    expect(q(`‘a “b c`)).toBe(`‘a “b c`)
  })
  it('leaves code and URLs alone', () => {
    expect(q('say `"x"` and <https://e.org/?a="b"> "y"')).toBe('say `"x"` and https://e.org/?a="b" “y”')
  })
})

describe('remarkNormaliseDashes', () => {
  const d = (md: string, pageRanges: 'full' | 'elided' = 'full') => run(md, [remarkNormaliseDashes({pageRanges})])
  it('sets ranges with an en dash and expands page ranges', () => {
    expect(d('pp. 82-3 and pp 203-204, 1919-1921, not 1890-12-30')).toBe('pp. 82–83 and pp 203–204, 1919–1921, not 1890-12-30')
    expect(d('pp. 82–83 and pp. 111–112', 'elided')).toBe('pp. 82–3 and pp. 111–12')
  })
  it('sets breaks with an em dash', () => {
    expect(d('1917 – Barcelona, 1890 – 1947, a - b, a--b')).toBe('1917 — Barcelona, 1890 – 1947, a — b, a—b')
  })
})

describe('remarkNormaliseEllipses', () => {
  const e = (md: string, ellipsis = '…') => run(md, [remarkNormaliseEllipses({ellipsis})])
  it('sets three dots in house style and keeps four distinct', () => {
    expect(e('nothing . . . . Behind ... and prepared. . . and a … b')).toBe('nothing.… Behind … and prepared… and a … b')
    expect(e('a ... b . . . . c', '. . .')).toBe('a . . . b. . . . c')
  })
})

describe('remarkNormaliseSpaces', () => {
  const s = (md: string) => run(md, [remarkNormaliseSpaces()])
  it('collapses, removes and binds spaces', () => {
    expect(s('a  b , c p. 5 pp.255 D. J. Cotterill')).toBe(`a b, c p.${nb}5 pp.${nb}255 D.${nb}J. Cotterill`)
  })
})

describe('remarkNormaliseNoteReferences', () => {
  const n = (md: string, afterPunctuation = true) => run(md, [remarkNormaliseNoteReferences({afterPunctuation})])
  it('puts the reference after the punctuation', () => {
    expect(n('word[^1]. More\n\n[^1]: n')).toBe('word.[^1] More\nn')
  })
  it('or before it', () => {
    expect(n('word.[^1] More, etc.[^2]\n\n[^1]: n\n\n[^2]: m', false)).toBe('word[^1]. More, etc.[^2]\nn\nm')
  })
})
