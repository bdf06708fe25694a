/**
 * The warm EPUBCheck (one JVM started early, checks on request) reports exactly what the one-shot
 * `java -jar epubcheck.jar` run does, falls back to it when it cannot start, and leaves no JVM behind.
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import JSZip from 'jszip'
import type {VFile} from 'vfile'
import {build} from '../../scripts/build.ts'
import {epubcheck, startEpubcheck, writeWarmUpEpub, type EpubcheckReport, type EpubcheckSession} from '../../scripts/epub/validate.ts'
import {ReaderError} from '../../scripts/errors.ts'
import {manuscriptDir} from '../helpers.ts'

let dir: string
let serge: string
let broken: string
const sessions: EpubcheckSession[] = []
const session = (options?: Parameters<typeof startEpubcheck>[0]) => {
  const started = startEpubcheck(options)
  sessions.push(started)
  return started
}

/** Everything a report says, message by message: text, place, rule, severity; and EPUBCheck’s own list. */
const said = (file: VFile) => ({
  messages: file.messages.map((m) => ({text: String(m), file: m.file, line: m.line, column: m.column, ruleId: m.ruleId, source: m.source, fatal: m.fatal})),
  raw: (file.data.epubcheck as EpubcheckReport).messages
})

/** A live (not zombie) process with this id. */
const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return false
  }
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'reader-epubcheck-'))
  const result = await build({manuscript: manuscriptDir, out: dir, skipValidation: true, cache: false})
  expect(result.ok).toBe(true)
  serge = path.join(dir, 'victor-serge-reader.epub')
  // The same book with a paragraph left unclosed and a link to a document that is not there.
  const zip = await JSZip.loadAsync(readFileSync(serge))
  const damage = async (name: string, from: string, to: string) => {
    const text = await zip.file(name)!.async('string')
    expect(text).toContain(from)
    zip.file(name, text.replace(from, to))
  }
  await damage('OEBPS/t-lena-remembering-victor-serge.xhtml', '</p>', '')
  await damage('OEBPS/sources.xhtml', 'href="t-lena-remembering-victor-serge.xhtml"', 'href="nowhere.xhtml"')
  zip.file('mimetype', 'application/epub+zip', {compression: 'STORE'})
  broken = path.join(dir, 'broken.epub')
  writeFileSync(broken, await zip.generateAsync({type: 'nodebuffer', compression: 'DEFLATE'}))
}, 300_000)

afterAll(async () => {
  for (const started of sessions) await started.close()
  rmSync(dir, {recursive: true, force: true})
})

describe('the warm EPUBCheck', () => {
  it('warms up on a valid EPUB 3', async () => {
    const warmUp = path.join(dir, 'warm-up.epub')
    await writeWarmUpEpub(warmUp)
    expect((await epubcheck(warmUp)).messages.map(String)).toEqual([])
  })

  it('reports what the one-shot run reports, on the Serge reader and on a broken EPUB', async () => {
    const warm = session()
    const [oneShotSerge, oneShotBroken] = [await epubcheck(serge), await epubcheck(broken)]
    const warmSerge = await warm.check(serge)
    expect(warm.mode).toBe('warm')
    const warmBroken = await warm.check(broken)
    expect(said(warmSerge)).toEqual(said(oneShotSerge))
    expect(said(warmBroken)).toEqual(said(oneShotBroken))
    // The OPF-027 downgrade applies to both; the broken EPUB has errors at places in the document.
    expect(warmSerge.messages.map((m) => [m.ruleId, m.fatal])).toEqual([['OPF-027', undefined]])
    const errors = warmBroken.messages.filter((m) => m.fatal)
    expect(errors.length).toBeGreaterThan(0)
    expect(errors.every((m) => m.file?.startsWith(path.join(broken, 'OEBPS/')))).toBe(true)
    expect(errors.filter((m) => m.line).length).toBeGreaterThan(0)
    expect(errors.map((m) => m.ruleId)).toEqual(expect.arrayContaining(['RSC-005', 'RSC-007', 'RSC-016']))
  })

  it('ends its JVM on close, and close is safe twice', async () => {
    const warm = session()
    await warm.check(serge)
    const pid = warm.pid!
    expect(alive(pid)).toBe(true)
    await warm.close()
    expect(alive(pid)).toBe(false)
    expect(warm.pid).toBeUndefined()
    await warm.close()
  })

  it('ends a JVM still warming up on close', async () => {
    const warm = session()
    while (warm.pid === undefined) await new Promise((resolve) => setTimeout(resolve, 20))
    const pid = warm.pid
    await warm.close()
    expect(alive(pid)).toBe(false)
  })

  it('falls back to the one-shot run when told to (READER_EPUBCHECK_SERVER=off), with the same report', async () => {
    process.env.READER_EPUBCHECK_SERVER = 'off'
    let cold: EpubcheckSession
    try {
      cold = session()
    } finally {
      delete process.env.READER_EPUBCHECK_SERVER
    }
    const report = await cold.check(broken)
    expect(cold.mode).toBe('one-shot')
    expect(cold.pid).toBeUndefined()
    expect(said(report)).toEqual(said(await epubcheck(broken)))
  })

  it('is an epubcheck-failed error when the JVM dies during a check', async () => {
    const warm = session()
    await warm.check(serge)
    const pid = warm.pid!
    const checking = warm.check(serge)
    // Every pending step (up to writing the request) has run before an immediate callback.
    await new Promise((resolve) => setImmediate(resolve))
    process.kill(pid, 'SIGKILL')
    const error = await checking.then(
      () => undefined,
      (error: unknown) => error
    )
    expect(error).toBeInstanceOf(ReaderError)
    expect((error as ReaderError).ruleId).toBe('epubcheck-failed')
    expect((error as ReaderError).message).toMatch(/^EPUBCheck stopped while checking /)
  })

  it('is an epubcheck-failed error when a check passes its time limit', async () => {
    const warm = session({timeout: 1})
    const error = await warm.check(serge).then(
      () => undefined,
      (error: unknown) => error
    )
    expect(String(error)).toBe(`EPUBCheck did not finish checking ${serge} within 0.001 s [epubcheck-failed]`)
  })
})
