/**
 * `parseReaderHtml` parses the parts of `<body>` one by one and keeps them in the cache: the tree must
 * be the one `parseHtml` gives for the whole document, on the first parse and from the cache.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import fc from 'fast-check'
import {openCache} from '../../scripts/cache.ts'
import {parseHtml, parseReaderHtml} from '../../scripts/epub/html.ts'
import {fixtureHtml} from './fixture.ts'

const dir = mkdtempSync(path.join(tmpdir(), 'reader-parse-'))
const cache = openCache(dir)

afterAll(() => {
  rmSync(dir, {recursive: true, force: true})
})

/** Parse twice (the second time from the cache where it can be): both trees and the counts. */
function parseBoth(html: string) {
  const first = {parsed: 0, reused: 0}
  const second = {parsed: 0, reused: 0}
  return {trees: [parseReaderHtml(html, cache, first), parseReaderHtml(html, cache, second)], first, second}
}

describe('parseReaderHtml', () => {
  it('gives the tree of the whole document for the fixture, parsed once', () => {
    const {trees, first, second} = parseBoth(fixtureHtml)
    for (const tree of trees) expect(tree).toEqual(parseHtml(fixtureHtml))
    // Nine parts: half-title, title page, copyright, editorial note, two texts, textual notes, index, contents.
    expect(first).toEqual({parsed: 9, reused: 0})
    expect(second).toEqual({parsed: 0, reused: 9})
  })

  it('parses only the part that changed', () => {
    const changed = fixtureHtml.replace('grew up among exiles', 'grew up among émigrés')
    const count = {parsed: 0, reused: 0}
    parseReaderHtml(fixtureHtml, cache, {parsed: 0, reused: 0})
    expect(parseReaderHtml(changed, cache, count)).toEqual(parseHtml(changed))
    expect(count).toEqual({parsed: 1, reused: 8})
  })

  it('parses whole what cannot be split into parts', () => {
    const cases = [
      // A part closed by a tag that also closes <body> in the whole document.
      '<html><body><section><p>a</body></section><section>b</section></html>',
      // <body> inside another element: a stray end tag would close more there than alone.
      '<div><body><section><p>a</div></section><section>b</section></body>',
      // A part left open, and a paragraph closed by the <section> that follows it.
      '<html><body><section><p>a<section>b</section></body></html>',
      '<html><body><p>a<section>b</section></body></html>',
      // Text, comments, raw text and foreign content at the top of <body>.
      '<html><body> a <section>b</section></body></html>',
      '<html><body><!-- a --><section>b</section></body></html>',
      '<html><body><section><script>x = "</section>"</script></section></body></html>',
      '<html><body><section><svg><rect/></svg></section><p>c</p></body></html>',
      // A number JSON cannot keep.
      '<html><body><ol start="Infinity"><li>a</li></ol></body></html>'
    ]
    for (const html of cases) {
      const {trees, first, second} = parseBoth(html)
      for (const tree of trees) expect(tree).toEqual(parseHtml(html))
      if (html.includes('Infinity')) expect([first, second]).toEqual([{parsed: 1, reused: 0}, {parsed: 1, reused: 0}])
      else expect([first, second]).toEqual([{parsed: 0, reused: 0}, {parsed: 0, reused: 0}])
    }
  })

  it('gives the tree of the whole document for any markup (fuzzed)', () => {
    // Inside a part: mostly what the reader HTML has, some of what it never has.
    const inner = [
      '<p>', '</p>', '<p data-b="3">', '<div>', '</div>', '<ul>', '<li>', '</li>', '</ul>', '<ol start="2">', '</ol>',
      '<table>', '<td>', '</table>', '<span/>', '<span lang="fr">', '</span>', '<br>', '<br/>', '</br>', '<hr>',
      '<img src="x.png" alt="a>b">', "<a title='x\"y' href=\"#a\">", '</a>', '<x y=">">', '</x>', '<SPAN ID="B">', '</Span>',
      'text', ' ', '\n', '&amp;', '&amp', '&#x3C;', '<', '>', '"', "'", '<section>', '</section>', '<h1>', '</h1>'
    ]
    const rare = ['<b', '</', '<!-- c -->', '</body>', '</html>', '<body>', '<head>', '<svg><rect/></svg>', '<script>a</script>', '<title>t</title>', '<ol start="Infinity">', '<ol start="-0">']
    const content = fc.array(fc.oneof({weight: 30, arbitrary: fc.constantFrom(...inner)}, {weight: 1, arbitrary: fc.constantFrom(...rare)}), {maxLength: 12})
    const part = fc.tuple(fc.constantFrom('section', 'nav', 'div', 'p'), content).map(([name, list]) => `<${name} class="part">${list.join('')}</${name}>`)
    const body = fc.array(fc.tuple(part, fc.constantFrom('', '', '\n', ' ')), {maxLength: 6}).map((list) => list.map(([a, b]) => a + b).join(''))
    const document = fc.tuple(fc.nat(3), body).map(([shape, b]) =>
      [
        `<!doctype html><html><head><title>t</title></head><body>${b}</body></html>`,
        `<html><body class="x">\n${b}</body></html>\n`,
        `<body>${b}`,
        b
      ][shape]
    )
    let split = 0
    fc.assert(
      fc.property(document, (html) => {
        const whole = parseHtml(html)
        const {trees, second} = parseBoth(html)
        for (const tree of trees) expect(tree).toEqual(whole)
        if (second.reused > 0) split++
      }),
      {numRuns: 1000}
    )
    // Enough of them were split and taken from the cache for this to say something.
    expect(split).toBeGreaterThan(100)
  })
})
