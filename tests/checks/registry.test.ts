/**
 * The rule registry (scripts/rules.ts) against the code and the README: every rule id raised in
 * scripts/ is registered, every registered id is raised somewhere, and the README’s rules tables are
 * the registry’s. `UPDATE=1 npx vitest run tests/checks/registry.test.ts` rewrites the tables.
 */
import {readFileSync, readdirSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {registry, type RuleInfo} from '../../scripts/rules.ts'
import {rules} from '../../scripts/checks/index.ts'
import {crossRules} from '../../scripts/cross-text/index.ts'
import {editorialClaims} from '../../scripts/editorial/claims.ts'
import {root} from '../helpers.ts'

const scriptsDir = path.join(root, 'scripts')

function sources(dir = scriptsDir): Array<{file: string; text: string}> {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    if (statSync(full).isDirectory()) return sources(full)
    return name.endsWith('.ts') ? [{file: path.relative(root, full), text: readFileSync(full, 'utf8')}] : []
  })
}

/** The rule ids the code raises: `ruleId: '…'` or `ruleId = '…'` (vfile messages, ReaderErrors, parseYaml), preflight’s `fail(…, 'id')`, `[id]` printed by a command. */
function raisedIds(files = sources()): Map<string, string> {
  const ids = new Map<string, string>()
  const add = (id: string, file: string) => ids.has(id) || ids.set(id, file)
  for (const {file, text} of files) {
    if (file === path.join('scripts', 'rules.ts')) continue
    for (const match of text.matchAll(/ruleId(?:: | = )[^,}\n]*?'([a-z][a-z0-9-]*)'/g)) add(match[1], file)
    for (const match of text.matchAll(/io\.stderr\([^\n]* \[([a-z][a-z0-9-]*)\]['`]\)/g)) add(match[1], file)
    // A local helper such as `fail(…, 'id')` or `warn(…, 'id')` that reports under a parameter (with a prefix, in preflight).
    for (const helper of text.matchAll(/const (\w+) = \(([^)]*)\)[^\n]*=> \{?[\s\S]{0,160}?ruleId(?:: (\w+)\b|: `([a-z-]+-)\$\{(\w+)\}`|(?=[,}\s]))/g)) {
      const [, name, params, plain, prefix = '', prefixed] = helper
      if (!new RegExp(`\\b${plain ?? prefixed ?? 'ruleId'}: string`).test(params)) continue
      const call = new RegExp(`\\b${name}\\((?:[^()]|\\((?:[^()]|\\([^()]*\\))*\\))*?,\\s*'([a-z][a-z0-9-]*)'(?:,\\s*(?:true|false))?\\s*\\)`, 'g')
      for (const match of text.matchAll(call)) add(prefix + match[1], file)
    }
  }
  return ids
}

describe('the rule registry', () => {
  const raised = raisedIds()
  // The checks’ rule objects (typed by the registry’s ids) raise theirs through `runRules`.
  for (const rule of [...rules, ...crossRules, editorialClaims]) raised.set(rule.id, 'scripts/checks, scripts/citations, scripts/editorial')

  it('has every rule id the code raises', () => {
    const missing = [...raised].filter(([id]) => !(id in registry)).map(([id, file]) => `${id} (${file})`)
    expect(missing, 'add a line for each to scripts/rules.ts').toEqual([])
  })

  it('has no rule the code never raises', () => {
    expect(Object.keys(registry).filter((id) => !raised.has(id))).toEqual([])
  })

  it('finds the ids raised in each form the code uses (the scan can fail)', () => {
    const planted = raisedIds([
      {file: 'scripts/x.ts', text: "file.message('Unexpected', {ruleId: 'planted-one', source: 'reader'})"},
      {file: 'scripts/y.ts', text: "const fail = (r: string, ruleId: string) => file.message(r, {ruleId: `preflight-${ruleId}`})\nfail(`Unexpected ${f(a, b)}`, 'planted-two', false)"},
      {file: 'scripts/z.ts', text: "const fail = (offset: number, reason: string, ruleId: string) => {\n  file.message(reason, {place: at(offset), ruleId, source: 'reader'})\n}\nreturn fail(i, `Unexpected ${x}`, 'planted-three')\nconst r = {ruleId: missing ? 'planted-four' : other}"}
    ])
    expect([...planted.keys()]).toEqual(['planted-one', 'preflight-planted-two', 'planted-four', 'planted-three'])
    expect(raised.has('preflight-outside-safe-area')).toBe(true)
    expect(raised.has('interrupted')).toBe(true)
  })

  it('registers each check of the presets', () => {
    for (const rule of [...rules, ...crossRules]) expect(registry[rule.id].fixed, rule.id).toBeUndefined()
  })

  it('is the README’s rules tables', () => {
    const readmePath = path.join(root, 'README.md')
    const readme = readFileSync(readmePath, 'utf8')
    const start = '<!-- rules:start (generated from scripts/rules.ts) -->\n'
    const end = '<!-- rules:end -->'
    const from = readme.indexOf(start)
    const to = readme.indexOf(end)
    expect(from, 'the README’s rules markers').toBeGreaterThan(-1)
    const expected = rulesTables()
    if (process.env.UPDATE) writeFileSync(readmePath, readme.slice(0, from + start.length) + expected + readme.slice(to))
    else expect(readme.slice(from + start.length, to)).toBe(expected)
  })
})

/** The README’s two tables: the checks `rules:` can set, then what cannot be relaxed. */
function rulesTables(): string {
  const entries = Object.entries(registry) as Array<[string, RuleInfo]>
  const code = (text: string) => (text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``)
  const cell = (text: string) => text.replace(/\|/g, '\\|')
  const relaxable = entries
    .filter(([, info]) => !info.fixed)
    .map(([id, info]) => `| \`${id}\` | ${info.severity} | ${cell(info.what)} | ${info.example ? cell(code(info.example)) : ''} |`)
  const fixed = entries.filter(([, info]) => info.fixed).map(([id, info]) => `| \`${id}\` | ${info.severity} | ${cell(info.what)} |`)
  return [
    '| rule | severity | what it reports | example |',
    '| --- | --- | --- | --- |',
    ...relaxable,
    '',
    'These cannot be relaxed (`rules:` refuses them, an accept comment cannot accept them): the outputs would be wrong, or could not be made.',
    '',
    '| rule | severity | what it reports |',
    '| --- | --- | --- |',
    ...fixed,
    ''
  ].join('\n')
}
