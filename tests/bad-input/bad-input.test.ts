import {describe, it, expect} from 'vitest'
import {cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {canary, cases} from '../fixtures/bad/cases.ts'
import {root, runReader} from '../helpers.ts'

const mini = path.join(root, 'tests/fixtures/mini')
const good = '<!doctype html><p>the last good build</p>\n'

describe('bad input: a located message, exit 1, nothing touched', () => {
  it('has a corpus of at least 30 broken manuscripts', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30)
  })

  for (const bad of cases) {
    it(bad.name, () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'reader-bad-'))
      cpSync(mini, path.join(dir, 'manuscript'), {recursive: true})
      mkdirSync(path.join(dir, 'build'))
      writeFileSync(path.join(dir, 'build/mini-reader.html'), good)
      bad.breakIt(path.join(dir, 'manuscript'))
      const env: Record<string, string> = {}
      if (bad.breakDesign) {
        cpSync(path.join(root, 'templates'), path.join(dir, 'templates'), {recursive: true})
        bad.breakDesign(path.join(dir, 'templates'))
        env.READER_TEMPLATES = path.join(dir, 'templates')
      }

      const mode = bad.full ? [] : ['--html-only']
      const {code, stderr} = runReader(['build', ...mode, '--format', 'compact', ...(bad.args || [])], dir, env)
      const errors = stderr.split('\n').filter((line) => /^\S+:\d+:\d+(-\d+:\d+)?: (?!warning:|info:)/.test(line))
      expect(errors).toEqual(bad.errors)
      expect(code).toBe(bad.exitCode ?? 1)
      expect(stderr).not.toMatch(/^\s+at .*:\d+:\d+\)?$/m)
      // Nothing of a file outside the manuscript is quoted.
      expect(stderr).not.toContain(canary)
      expect(readFileSync(path.join(dir, 'build/mini-reader.html'), 'utf8')).toBe(good)
    })
  }
})
