/**
 * The build’s checks cost little when little changed: EPUBCheck runs in a JVM started with the build
 * (and gone with it), and an unchanged PDF or EPUB reuses the stored preflight or EPUBCheck messages,
 * the same ones. Without `javac` the build checks with the one-shot EPUBCheck, with the same report.
 */
import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {VFile} from 'vfile'
import {build, type BuildResult} from '../../scripts/build.ts'
import {root} from '../helpers.ts'
import {pathWithout, runReader, workspace} from './helpers.ts'

const mini = path.join(root, 'tests/fixtures/mini')
let work: string
const saved = {cache: process.env.READER_CACHE, epoch: process.env.SOURCE_DATE_EPOCH}

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'reader-reuse-'))
  process.env.READER_CACHE = path.join(work, 'cache')
})

afterAll(() => {
  for (const [name, value] of [['READER_CACHE', saved.cache], ['SOURCE_DATE_EPOCH', saved.epoch]] as const) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
  rmSync(work, {recursive: true, force: true})
})

/** Live (not zombie) java processes below this test process. */
function javaProcesses(): number[] {
  const found: number[] = []
  const parent = new Map<number, number>()
  const named = new Map<number, string>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const close = stat.lastIndexOf(')')
      const [state, ppid] = stat.slice(close + 2).split(' ')
      parent.set(Number(entry), Number(ppid))
      if (state !== 'Z') named.set(Number(entry), stat.slice(stat.indexOf('(') + 1, close))
    } catch {}
  }
  for (const [pid, name] of named) {
    if (name !== 'java') continue
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) {
      if (p === process.pid) {
        found.push(pid)
        break
      }
    }
  }
  return found
}

/** Build the mini book into `out`, keeping each stage’s note: `unchanged`, `warm`, `one-shot` or none. */
async function buildMini(out: string, onEpubcheck?: () => void): Promise<{result: BuildResult; notes: Record<string, string>}> {
  const notes: Record<string, string> = {}
  const result = await build({
    manuscript: mini,
    out,
    onStage(stage, state, detail) {
      if (state === 'start' && stage === 'epubcheck') onEpubcheck?.()
      if (state === 'end') notes[stage] = /\((.+)\)$/.exec(detail ?? '')?.[1] ?? ''
    }
  })
  expect(result.ok, result.files.flatMap((file) => file.messages.map(String)).join('\n')).toBe(true)
  return {result, notes}
}

/** The messages of the check of the output ending in `ext` (preflight, EPUBCheck), as they are printed and placed. */
function reportOn(result: BuildResult, ext: string) {
  const file = result.files.find((f: VFile) => f.path.endsWith(ext) && (ext === '.pdf' || f.data.epubcheck))!
  return file.messages.map((m) => ({text: String(m), file: m.file, line: m.line, column: m.column, ruleId: m.ruleId, source: m.source, fatal: m.fatal}))
}

describe('checks in a build', () => {
  const out = () => path.join(work, 'build')
  let first: BuildResult

  it('checks with a warm EPUBCheck whose JVM ends with the build', async () => {
    let during: number[] = []
    const {result, notes} = await buildMini(out(), () => (during = javaProcesses()))
    first = result
    expect(notes.epubcheck).toBe('warm')
    expect(notes.preflight).toBe('')
    expect(during.length).toBe(1)
    expect(javaProcesses().filter((pid) => during.includes(pid))).toEqual([])
  }, 300_000)

  it('reuses the preflight and EPUBCheck messages when nothing changed, the same ones', async () => {
    const {result, notes} = await buildMini(out())
    expect(notes).toMatchObject({pdf: 'unchanged', preflight: 'unchanged', epub: 'unchanged', epubcheck: 'unchanged'})
    expect(reportOn(result, '.pdf')).toEqual(reportOn(first, '.pdf'))
    expect(reportOn(result, '.epub')).toEqual(reportOn(first, '.epub'))
    expect(reportOn(result, '.epub').map((m) => m.ruleId)).toEqual(['OPF-027'])
    expect(javaProcesses()).toEqual([])
  }, 300_000)

  it('checks a changed EPUB again', async () => {
    // Another modification date: another EPUB, the same PDF.
    process.env.SOURCE_DATE_EPOCH = '1700000000'
    const {result, notes} = await buildMini(out())
    expect(notes).toMatchObject({pdf: 'unchanged', preflight: 'unchanged', epubcheck: 'warm'})
    expect(notes.epub).toBe('')
    expect(reportOn(result, '.epub')).toEqual(reportOn(first, '.epub'))
  }, 300_000)
})

describe('without javac', () => {
  it('checks with the one-shot EPUBCheck, and reports the same', async () => {
    const w = workspace()
    try {
      const args = ['build', '--timings', '--format', 'json']
      const warm = await runReader(w, args, {READER_CACHE: path.join(w.dir, 'cache-warm')})
      const cold = await runReader(w, args, {READER_CACHE: path.join(w.dir, 'cache-cold'), PATH: pathWithout(w.dir, 'javac')})
      expect(warm.code, warm.stderr).toBe(0)
      expect(cold.code, cold.stderr).toBe(0)
      expect(warm.stderr).toMatch(/reader: epubcheck done in [\d.]+ s \(warm\)/)
      expect(cold.stderr).toMatch(/reader: epubcheck done in [\d.]+ s \(one-shot\)/)
      expect(JSON.parse(cold.stdout)).toEqual(JSON.parse(warm.stdout))
      expect(JSON.parse(cold.stdout).map((m: {ruleId: string}) => m.ruleId)).toContain('OPF-027')
    } finally {
      rmSync(w.dir, {recursive: true, force: true})
    }
  }, 300_000)
})
