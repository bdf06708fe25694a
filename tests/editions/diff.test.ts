/**
 * A one-word correction, end to end: build an edition, correct one word (through the critical
 * markup, so the collation check holds), build again, and `reader diff` reports exactly that word,
 * its old and new page and line, and that no later page reflowed.
 */
import {execFileSync} from 'node:child_process'
import {cpSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {build} from '../../scripts/build.ts'
import {loadEdition} from '../../scripts/editions/edition.ts'
import {compareEditions, type EditionDiff} from '../../scripts/editions/compare.ts'
import {countMessages} from '../../scripts/report.ts'
import {copyManuscript, plant, root, runReader} from '../helpers.ts'

const text = 'texts/lena-remembering-victor-serge.md'
const before = 'this choice is decidedly divergent from the norm'
const after = 'this choice is decidedly :corr[different]{was="divergent" reason="a better word"} from the norm'

describe('reader diff: a one-word correction', () => {
  let manuscript: string
  let work: string
  let diff: EditionDiff

  beforeAll(async () => {
    manuscript = copyManuscript()
    work = mkdtempSync(path.join(tmpdir(), 'reader-diff-'))
    const first = await build({manuscript, out: path.join(work, 'first'), epub: false, skipValidation: true})
    expect(first.ok).toBe(true)
    plant(manuscript, text, before, after)
    const second = await build({manuscript, out: path.join(work, 'second'), epub: false, skipValidation: true})
    // The correction goes through the critical markup: the collation check still passes.
    expect(countMessages(second.files).errors).toBe(0)
    expect(second.ok).toBe(true)
    diff = compareEditions(await loadEdition(path.join(work, 'first')), await loadEdition(path.join(work, 'second')))
  })

  afterAll(() => {
    rmSync(path.dirname(manuscript), {recursive: true, force: true})
    rmSync(work, {recursive: true, force: true})
  })

  it('reports exactly the corrected word, with its place in both editions', () => {
    const texts = diff.changes.filter((c) => c.kind === 'text')
    expect(texts).toHaveLength(1)
    const [change] = texts
    expect(change).toMatchObject({was: 'divergent', now: 'different'})
    expect(change.old).toMatchObject({part: 't-lena-remembering-victor-serge', title: 'Remembering Victor Serge', paragraph: 1, page: '1', line: 14})
    expect(change.new).toMatchObject({part: 't-lena-remembering-victor-serge', paragraph: 1, page: '1', line: 14})
    // The textual notes gain the correction’s entry: the critical record is kept.
    const apparatus = diff.changes.filter((c) => c.kind === 'apparatus')
    expect(apparatus.map((c) => c.now)).toEqual(['different] divergent copy-text (a better word)'])
  })

  it('says which pages changed and that the text stays within the page', () => {
    const changed = diff.pages.filter((p) => p.status !== 'unchanged')
    // The text’s own page is corrected in place; the only other pages touched are the apparatus,
    // where the new textual-notes entry may push later entries on (the printer is told either way).
    expect(changed[0]).toMatchObject({label: '1', status: 'corrected'})
    expect(changed.slice(1).length).toBeGreaterThan(0)
    for (const page of changed.slice(1)) expect(['Textual Notes', 'Index']).toContain(page.title)
    expect(diff.pages.filter((p) => p.status === 'reflowed').every((p) => p.title !== 'Remembering Victor Serge')).toBe(true)
    expect(diff.printer[0]).toBe('Replace p. 1: corrected within the page (page breaks as before).')
    expect(diff.notes).toEqual([])
    expect(diff.index).toEqual([])
    expect(diff.errata).toEqual([{page: '1', line: 14, was: 'divergent', now: 'different'}])
  })

  it('prints the same for a person and as JSON from the command line', () => {
    const pretty = runReader(['diff', path.join(work, 'first'), path.join(work, 'second')])
    expect(pretty.code).toBe(0)
    expect(pretty.stdout).toContain('…admit that this choice is decidedly [-divergent-]{+different+} from the norm.…')
    expect(pretty.stdout).toContain('Remembering Victor Serge, ¶ 1: old p. 1, l. 14 → new p. 1, l. 14')
    expect(pretty.stdout).toContain('  p. 1, l. 14  divergent → different')
    const json = runReader(['diff', path.join(work, 'first'), path.join(work, 'second'), '--format', 'json'])
    expect(JSON.parse(json.stdout).changes[0]).toMatchObject({kind: 'text', was: 'divergent', now: 'different'})
  })

  it('refuses what is neither a revision nor a folder (exit 2)', () => {
    const result = runReader(['diff', 'no-such-revision-xyz', '--manuscript', manuscript])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('[diff-input]')
  })
})

describe('reader diff: git revisions', () => {
  it('builds a revision from git and compares it with the working tree', () => {
    const repo = mkdtempSync(path.join(tmpdir(), 'reader-git-'))
    const manuscript = path.join(repo, 'manuscript')
    cpSync(path.join(root, 'tests/fixtures/mini'), manuscript, {recursive: true})
    const git = (...args: string[]) => execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], {stdio: 'ignore'})
    git('init', '-q')
    git('add', '.')
    git('commit', '-q', '-m', 'first edition')
    plant(manuscript, 'texts/essay.md', 'It is short.', 'It is :corr[brief]{was="short"}.')
    const result = runReader(['diff', 'HEAD', '--manuscript', manuscript, '--format', 'json'], repo)
    rmSync(repo, {recursive: true, force: true})
    expect(result.code, result.stderr).toBe(0)
    const diff = JSON.parse(result.stdout) as EditionDiff
    expect(diff.changes.filter((c) => c.kind === 'text').map((c) => [c.was, c.now])).toEqual([['short', 'brief']])
  })
})
