import {describe, it, expect} from 'vitest'
import {cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {canary, cases, type BadCase} from '../fixtures/bad/cases.ts'
import {root, runReader} from '../helpers.ts'
import {main} from '../../scripts/cli.ts'

const mini = path.join(root, 'tests/fixtures/mini')
const good = '<!doctype html><p>the last good build</p>\n'

/** A broken copy of the mini manuscript in a folder of its own, with a last good build beside it. */
function prepare(bad: BadCase): {dir: string; env: Record<string, string>; argv: string[]} {
  const dir = mkdtempSync(path.join(tmpdir(), 'reader-bad-'))
  cpSync(mini, path.join(dir, 'manuscript'), {recursive: true})
  mkdirSync(path.join(dir, 'build'))
  writeFileSync(path.join(dir, 'build/mini-reader.html'), good)
  bad.breakIt(path.join(dir, 'manuscript'))
  const env: Record<string, string> = {...bad.env}
  if (bad.breakDesign) {
    cpSync(path.join(root, 'templates'), path.join(dir, 'templates'), {recursive: true})
    bad.breakDesign(path.join(dir, 'templates'))
    env.READER_TEMPLATES = path.join(dir, 'templates')
  }
  const mode = bad.full ? [] : ['--html-only']
  return {dir, env, argv: ['build', ...mode, '--format', 'compact', ...(bad.args || [])]}
}

/** `reader …` in this process, through the CLI’s own entry point, from `cwd` with `env` added. */
async function runInProcess(argv: string[], cwd: string, env: Record<string, string>): Promise<{code: number; stderr: string}> {
  const saved = {cwd: process.cwd(), env: Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]))}
  let stderr = ''
  process.chdir(cwd)
  Object.assign(process.env, env)
  try {
    const code = await main(argv, {stdout: () => {}, stderr: (text) => void (stderr += text.endsWith('\n') ? text : text + '\n')})
    return {code, stderr}
  } finally {
    process.chdir(saved.cwd)
    for (const [key, value] of Object.entries(saved.env)) {
      if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
  }
}

function expectRefused(bad: BadCase, dir: string, result: {code: number; stderr: string}): void {
  const errors = result.stderr.split('\n').filter((line) => /^\S+:\d+:\d+(-\d+:\d+)?: (?!warning:|info:)/.test(line))
  expect(errors).toEqual(bad.errors)
  expect(result.code).toBe(bad.exitCode ?? 1)
  expect(result.stderr).not.toMatch(/^\s+at .*:\d+:\d+\)?$/m)
  // Nothing of a file outside the manuscript is quoted.
  expect(result.stderr).not.toContain(canary)
  expect(readFileSync(path.join(dir, 'build/mini-reader.html'), 'utf8')).toBe(good)
}

describe('bad input: a located message, exit 1, nothing touched', () => {
  it('has a corpus of at least 30 broken manuscripts', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30)
  })

  for (const bad of cases) {
    it(bad.name, async () => {
      const {dir, env, argv} = prepare(bad)
      expectRefused(bad, dir, await runInProcess(argv, dir, env))
    })
  }
})

describe('bad input as a user runs it: `reader` in its own process, its exit code', () => {
  for (const bad of cases.filter((c) => ['a silent change', 'a usage error', 'a template with a syntax error'].includes(c.name))) {
    it(bad.name, () => {
      const {dir, env, argv} = prepare(bad)
      const {code, stderr} = runReader(argv, dir, env)
      expectRefused(bad, dir, {code, stderr})
    })
  }
})
