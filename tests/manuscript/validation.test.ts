import {describe, it, expect} from 'vitest'
import {readFileSync, writeFileSync, rmSync, appendFileSync} from 'node:fs'
import path from 'node:path'
import {checkManuscript} from '../../scripts/check.ts'
import {copyManuscript, plant, locate, runReader} from '../helpers.ts'

async function messagesOf(dir: string, ruleId: string) {
  const result = await checkManuscript(dir)
  return result.files.flatMap((file) => file.messages.filter((m) => m.ruleId === ruleId).map((m) => `${path.basename(file.path)}:${m.line}:${m.column}: ${m.reason}`))
}

describe('book.yaml validation', () => {
  it('names a key of the wrong type, at its line', async () => {
    const dir = copyManuscript()
    plant(dir, 'book.yaml', '  number: 1', '  number: first')
    const at = locate(dir, 'book.yaml', 'number: first')
    expect(await messagesOf(dir, 'book-schema')).toEqual([
      `book.yaml:${at.line}:11: Unexpected value for \`edition.number\`: Invalid input: expected number, received string in book.yaml`
    ])
  })

  it('names a missing key', async () => {
    const dir = copyManuscript()
    plant(dir, 'book.yaml', 'language: en\n', '')
    const messages = await messagesOf(dir, 'book-schema')
    expect(messages).toHaveLength(1)
    expect(messages[0]).toMatch(/^book\.yaml:\d+:\d+: Missing key `language`/)
  })

  it('refuses an unknown key', async () => {
    const dir = copyManuscript()
    appendFileSync(path.join(dir, 'book.yaml'), 'colour: red\n')
    expect((await messagesOf(dir, 'book-schema'))[0]).toMatch(/Unexpected key `colour`/)
  })

  it('reports a listed text that does not exist and a text that is not listed', async () => {
    const dir = copyManuscript()
    rmSync(path.join(dir, 'texts/lena-remembering-victor-serge.md'))
    writeFileSync(path.join(dir, 'texts/stray.md'), '---\ntitle: Stray\nkind: essay\ncopytext: x.txt\n---\n\nText.\n')
    const messages = await messagesOf(dir, 'book-parts')
    const at = locate(dir, 'book.yaml', 'texts/lena-remembering-victor-serge.md')
    expect(messages).toEqual([
      `book.yaml:${at.line}:${at.column}: Missing file \`texts/lena-remembering-victor-serge.md\` listed under \`texts\``,
      expect.stringMatching(/^book\.yaml:\d+:1: Unexpected text `texts\/stray\.md` not listed under `texts` in book\.yaml$/)
    ])
  })

  it('warns about values the book needs but does not have (no invented people)', async () => {
    const warnings = await messagesOf(copyManuscript(), 'book-incomplete')
    expect(warnings.some((w) => w.includes('`editor`'))).toBe(true)
    expect(warnings.some((w) => w.includes('`description`'))).toBe(false)
    const dir = copyManuscript()
    const yaml = path.join(dir, 'book.yaml')
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace(/^description: >-\n(?: {2}.*\n)+/m, "description: ''\n"))
    expect((await messagesOf(dir, 'book-incomplete')).some((w) => /^book\.yaml:\d+:1: Missing value for `description`/.test(w))).toBe(true)
  })
})

describe('front matter validation', () => {
  const lena = 'texts/lena-remembering-victor-serge.md'

  it('names a wrong type in a text’s front matter', async () => {
    const dir = copyManuscript()
    plant(dir, lena, 'kind: article', 'kind: [article]')
    const messages = await messagesOf(dir, 'front-matter-schema')
    expect(messages).toHaveLength(1)
    expect(messages[0]).toMatch(/^lena-remembering-victor-serge\.md:\d+:7: Unexpected value for `kind`/)
  })

  it('reports front matter that is never closed', async () => {
    const dir = copyManuscript()
    writeFileSync(path.join(dir, lena), '---\ntitle: Remembering\nkind: article\n\nText without a closing line.\n')
    expect(await messagesOf(dir, 'front-matter')).toEqual([
      'lena-remembering-victor-serge.md:1:1: Unclosed front matter: expected a line `---` after the YAML that opens the file'
    ])
  })

  it('reports a missing copy-text', async () => {
    const dir = copyManuscript()
    rmSync(path.join(dir, 'sources/lena-remembering-victor-serge.txt'))
    const messages = await messagesOf(dir, 'copytext-missing')
    expect(messages[0]).toMatch(/^lena-remembering-victor-serge\.md:\d+:1: Missing copy-text `sources\/lena-remembering-victor-serge\.txt`/)
  })

  it('exits 1 from the CLI with the message, and 2 on a usage error', () => {
    const dir = copyManuscript()
    plant(dir, lena, 'kind: article', 'kind: [article]')
    const bad = runReader(['check', '--manuscript', dir, '--format', 'compact', '--out', path.join(dir, '..', 'build')])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/lena-remembering-victor-serge\.md:\d+:7: Unexpected value for `kind`.*\[front-matter-schema\]/)
    expect(runReader(['check', '--no-such-option']).code).toBe(2)
    expect(runReader(['frobnicate']).code).toBe(2)
    const missing = runReader(['check', '--manuscript', path.join(dir, 'nope')])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/Not a manuscript folder: .*nope does not exist \[manuscript-missing\]/)
    expect(missing.stderr).not.toMatch(/at .*\.ts:\d+/)
  })
})
