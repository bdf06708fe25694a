/**
 * Other projects' typography test suites, read from their own files in tests/fixtures/peers/ (kept as
 * published: origin, commit and licence in tests/fixtures/peers/README.md), as cases: an input, the
 * output the peer expects, and what the peer's case is about. Each suite has its own reader, because
 * each project writes its tests its own way (fixture text, JavaScript, Python, XHTML).
 */
import {readFileSync} from 'node:fs'
import path from 'node:path'

export const peersDir = path.resolve(import.meta.dirname, '../fixtures/peers')

export interface PeerCase {
  /** Unique within the suite: the peer's own test title and the input. */
  key: string
  input: string
  /** The peer's expected output, as text (tags dropped, entities decoded). */
  expected: string
}

export interface Suite {
  name: string
  cases: PeerCase[]
}

const read = (file: string) => readFileSync(path.join(peersDir, file), 'utf8')

const entities: Record<string, string> = {quot: '"', amp: '&', lt: '<', gt: '>', apos: "'", nbsp: '\u00A0', ldquo: '“', rdquo: '”', lsquo: '‘', rsquo: '’', ndash: '–', mdash: '—', hellip: '…'}

/** HTML as the text a reader sees: tags dropped, entities decoded, paragraphs one per line. */
export function htmlText(html: string): string {
  return html
    .replace(/<\/p>\s*<p>/g, '\n')
    .replace(/<br\s*\/?>/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, name: string) =>
      name[0] === '#' ? String.fromCodePoint(name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1))) : (entities[name] ?? all)
    )
    .trim()
}

/** markdown-it's fixture format: a title, then `.`-separated Markdown input and expected HTML. */
function markdownIt(file: string): PeerCase[] {
  const lines = read(file).split('\n')
  const cases: PeerCase[] = []
  let title = ''
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '.') {
      if (lines[i].trim()) title = lines[i].trim()
      continue
    }
    const input: string[] = []
    for (i++; lines[i] !== '.'; i++) input.push(lines[i])
    const output: string[] = []
    for (i++; lines[i] !== '.'; i++) output.push(lines[i])
    cases.push({key: `${title} | ${input.join('\n')}`, input: input.join('\n'), expected: htmlText(output.join('\n'))})
  }
  return cases
}

const jsLiteral = String.raw`'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|` + '`(?:[^`\\\\]|\\\\.)*`'

/** A JavaScript or Python string literal's value (`${NAME}` from `constants` in template literals). */
export function unquote(literal: string, constants: Record<string, string> = {}): string {
  const body = literal.slice(1, -1)
  const template = literal[0] === '`' ? body.replace(/\$\{(\w+)\}/g, (_, name: string) => constants[name] ?? '') : body
  return template.replace(/\\(u\{[0-9a-f]+\}|u[0-9a-f]{4}|x[0-9a-f]{2}|.)/giu, (_, esc: string) => {
    if (esc[0] === 'u' && esc.length > 1) return String.fromCodePoint(parseInt(esc.replace(/[u{}]/g, ''), 16))
    if (esc[0] === 'x' && esc.length === 3) return String.fromCodePoint(parseInt(esc.slice(1), 16))
    return ({n: '\n', t: '\t'} as Record<string, string>)[esc] ?? esc
  })
}

/** retext-smartypants' test.js: `processSync(input).toString(), expected` under `test(…)`/`t.test(…)` titles. */
function retextSmartypants(): PeerCase[] {
  const source = read('retext-smartypants/test.js')
  const pattern = new RegExp(String.raw`(?:^test\((${jsLiteral})|t\.test\(\s*(${jsLiteral}(?:\s*\+\s*${jsLiteral})*)|processSync\(\s*(${jsLiteral})\s*\)\s*\.toString\(\),\s*(${jsLiteral}))`, 'gm')
  const cases: PeerCase[] = []
  let section = ''
  let title = ''
  for (const m of source.matchAll(pattern)) {
    if (m[1]) section = unquote(m[1])
    else if (m[2]) title = [...m[2].matchAll(new RegExp(jsLiteral, 'g'))].map((l) => unquote(l[0])).join('')
    else cases.push({key: `${section} > ${title} | ${unquote(m[3])}`, input: unquote(m[3]), expected: unquote(m[4])})
  }
  return cases
}

/** smartypants.py's tests: `assertEqual(sp(input), expected)` with HTML entities in the expected output. */
function smartypantsPy(): PeerCase[] {
  const source = read('smartypants.py/test.py')
  const pattern = new RegExp(String.raw`def (test_\w+)|assertEqual\(\s*sp\(\s*(${jsLiteral})\s*\)\s*,\s*(${jsLiteral}(?:\s*${jsLiteral})*)\s*\)`, 'g')
  const cases: PeerCase[] = []
  let title = ''
  for (const m of source.matchAll(pattern)) {
    if (m[1]) title = m[1]
    else {
      const expected = [...m[3].matchAll(new RegExp(jsLiteral, 'g'))].map((l) => unquote(l[0])).join('')
      cases.push({key: `${title} | ${unquote(m[2])}`, input: unquote(m[2]), expected: htmlText(expected)})
    }
  }
  return cases
}

/** smartypants.js's unicode tests: `smartypantsu(input, "1"), expected` (and `"-1"`, back to straight). */
function smartypantsJs(): PeerCase[] {
  const source = read('smartypants.js/unicode.mjs')
  const constants = Object.fromEntries([...source.matchAll(/const (\w+) = "(\\u[0-9a-f]{4})";/g)].map((m) => [m[1], unquote(`"${m[2]}"`)]))
  const pattern = new RegExp(String.raw`smartypantsu\(\s*(${jsLiteral}),\s*"(-?1)"\),\s*(${jsLiteral})\s*\)`, 'g')
  return [...source.matchAll(pattern)].map((m) => {
    const input = unquote(m[1], constants)
    return {key: `${m[2] === '1' ? 'educate' : 'stupefy'} | ${input}`, input, expected: htmlText(unquote(m[3], constants))}
  })
}

/** Standard Ebooks' typogrify test: the `<p>` and `<li>` of the input and of the golden file, in order. */
function standardEbooks(): PeerCase[] {
  const items = (xhtml: string) => [...xhtml.matchAll(/<(p|li)>([\s\S]*?)<\/\1>/g)].map((m) => m[2])
  const input = items(read('standardebooks/typogrify-in.xhtml'))
  const golden = items(read('standardebooks/typogrify-golden.xhtml'))
  if (input.length !== golden.length) throw new Error('typogrify: input and golden do not pair up')
  return input.map((text, i) => ({key: `typogrify #${i + 1} | ${text}`, input: htmlText(text), expected: htmlText(golden[i])}))
}

/** Cases written as JSON: `{name, input, expected}` (Standard Ebooks' rules, hard cases from prose). */
function jsonCases(file: string): PeerCase[] {
  const cases = JSON.parse(read(file)).cases as Array<{name: string; input: string; expected: string}>
  return cases.map((c) => ({key: `${c.name} | ${c.input}`, input: c.input, expected: c.expected}))
}

/** Keys made unique: a peer may test the same input twice under one title (with other options). */
function numbered(cases: PeerCase[]): PeerCase[] {
  const seen = new Map<string, number>()
  return cases.map((c) => {
    const n = (seen.get(c.key) ?? 0) + 1
    seen.set(c.key, n)
    return n === 1 ? c : {...c, key: `${c.key} (${n})`}
  })
}

export function suites(): Suite[] {
  return [
    {name: 'markdown-it smartquotes', cases: markdownIt('markdown-it/smartquotes.txt')},
    {name: 'markdown-it typographer', cases: markdownIt('markdown-it/typographer.txt')},
    {name: 'retext-smartypants', cases: retextSmartypants()},
    {name: 'smartypants.py', cases: smartypantsPy()},
    {name: 'smartypants.js', cases: smartypantsJs()},
    {name: 'Standard Ebooks typogrify', cases: standardEbooks()},
    {name: 'Standard Ebooks rules', cases: jsonCases('standardebooks/rules.json')},
    {name: 'hard cases from prose', cases: jsonCases('hard-cases.json')}
  ].map((suite) => ({...suite, cases: numbered(suite.cases)}))
}
