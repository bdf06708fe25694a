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
  it('opens a quotation right after an opening one (nesting read on the whole quotation)', () => {
    expect(q(`"'Hello,' she said."`)).toBe(`“‘Hello,’ she said.”`)
    expect(q(`"'On Tuesday I left.'"`)).toBe(`“‘On Tuesday I left.’”`)
    expect(q(`'"double in single"'`, 'single-first')).toBe(`‘“double in single”’`)
  })
  it('closes after a dash or an ellipsis', () => {
    expect(q(`"But I--" she began. "I was going to—", he said. "Wait…" she said.`)).toBe(`“But I--” she began. “I was going to—”, he said. “Wait…” she said.`)
    expect(q(`The dog—"'man's' best friend"`)).toBe(`The dog—“‘man’s’ best friend”`)
  })
  it('decides elisions by rule and word list', () => {
    expect(q(`'e said 'e 'ad seen 'im 'neath the tree, 'midst 'gainst 'twixt, 'pon 'round, 'cos 'appen 'tisn't.`)).toBe(
      `’e said ’e ’ad seen ’im ’neath the tree, ’midst ’gainst ’twixt, ’pon ’round, ’cos ’appen ’tisn’t.`
    )
    expect(q(`the '49ers, fish 'n chips, rock 'n' roll, the '30s`)).toBe(`the ’49ers, fish ’n chips, rock ’n’ roll, the ’30s`)
    // A form that is also a word opens when a later mark closes it.
    expect(q(`'Is this yours?' she asked.`)).toBe(`“Is this yours?” she asked.`)
    expect(q(`'20 years,' he said, 'since '98.'`)).toBe(`“20 years,” he said, “since ’98.”`)
    expect(q(`said 'e, ''e's gone.'`)).toBe(`said ’e, “’e’s gone.”`)
  })
  it('sets primes after digits', () => {
    expect(q(`5' 10" and 6'2" tall, "Monitor 21"" and a 12' boat`)).toBe(`5′ 10″ and 6′2″ tall, “Monitor 21″” and a 12′ boat`)
    expect(q(`"born in 1990" and 'in 1990'`)).toBe(`“born in 1990” and “in 1990”`)
  })
  it('restyles single quotations alike, with or without a final s', () => {
    expect(q(`the 'expert' and the 'experts' here`)).toBe(`the “expert” and the “experts” here`)
  })
  it('leaves a stray closing mark straight', () => {
    expect(q(`"Monitor""`)).toBe(`“Monitor”"`)
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
  it('sets `---` as an em dash and leaves longer runs for the check', () => {
    expect(d('markdownit---awesome, 1---2, Mr. ---- came')).toBe('markdownit—awesome, 1—2, Mr. ---- came')
  })
  it('spaces every em dash between words as book.yaml style.em_dash says, one way throughout', () => {
    const styled = (md: string, emDash: 'spaced' | 'closed') => run(md, [remarkNormaliseDashes({emDash})])
    // The Serge reader's four closed dashes among its spaced ones, typed and made from `--`.
    const typed = 'the Cheka—the police, “sense of history”—a participation, a—b, an *aside* — then, once -- more'
    expect(styled(typed, 'spaced')).toBe('the Cheka\u00A0— the police, “sense of history”\u00A0— a participation, a\u00A0— b, an aside\u00A0— then, once\u00A0— more')
    expect(styled(typed, 'closed')).toBe('the Cheka—the police, “sense of history”—a participation, a—b, an aside—then, once—more')
    // A dash that opens, closes or interrupts is not a dash between words.
    const kept = '— Ed. and “I was—” she said, ——, and “—no”'
    expect(styled(kept, 'spaced')).toBe(kept)
    expect(styled(kept, 'closed')).toBe(kept)
    expect(run(typed, [remarkNormaliseDashes({emDash: 'as-typed'})])).toBe(run(typed, [remarkNormaliseDashes()]))
  })
})

describe('remarkNormaliseEllipses', () => {
  const e = (md: string, ellipsis = '…') => run(md, [remarkNormaliseEllipses({ellipsis})])
  it('sets three dots in house style and keeps four distinct', () => {
    expect(e('nothing . . . . Behind ... and prepared. . . and a … b')).toBe('nothing.… Behind … and prepared… and a … b')
    expect(e('a ... b . . . . c', '. . .')).toBe('a . . . b. . . . c')
  })
  it('leaves over-long runs for the check', () => {
    expect(e('test..... and why?.... so')).toBe('test..... and why?.... so')
  })
})

describe('remarkNormaliseSpaces', () => {
  const s = (md: string) => run(md, [remarkNormaliseSpaces()])
  it('collapses, removes and binds spaces', () => {
    expect(s('a  b , c p. 5 pp.255 D. J. Cotterill')).toBe(`a b, c p.${nb}5 pp.${nb}255 D.${nb}J. Cotterill`)
    // Initials with two spaces between them are bound in one pass (the property test found it not idempotent).
    expect(s('D.  J. Cotterill')).toBe(`D.${nb}J. Cotterill`)
  })
})

describe('remarkNormaliseNoteReferences', () => {
  const n = (md: string, afterPunctuation = true) => run(md, [remarkNormaliseNoteReferences({afterPunctuation})])
  it('puts the reference after the punctuation', () => {
    expect(n('word[^1]. More\n\n[^1]: n')).toBe('word.[^1] More\nn')
  })
  it('leaves the full stop of a four-dot ellipsis with its ellipsis', () => {
    expect(n('word[^1].…\n\n[^1]: n')).toBe('word[^1].…\nn')
  })
  it('moves the punctuation past a run of references as one', () => {
    expect(n('a[^1][^2]; b\n\n[^1]: n\n\n[^2]: m')).toBe('a;[^1][^2] b\nn\nm')
    expect(n('a;[^1][^2] b\n\n[^1]: n\n\n[^2]: m', false)).toBe('a[^1][^2]; b\nn\nm')
  })
  it('or before it', () => {
    expect(n('word.[^1] More, etc.[^2]\n\n[^1]: n\n\n[^2]: m', false)).toBe('word[^1]. More, etc.[^2]\nn\nm')
  })
})
