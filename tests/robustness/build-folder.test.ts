/**
 * The build folder never goes out of step: a build killed with SIGKILL mid-way leaves the last
 * build as it was (and `reader diff` reports nothing it does not have), the next build removes what
 * the killed one left; two builds into one folder do not both write; a folder whose files come
 * from two builds is refused by `reader diff`; an output folder that cannot be written is said at once.
 */
import {chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {createHash} from 'node:crypto'
import {execFileSync, spawnSync} from 'node:child_process'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {findBrowser} from '../../scripts/browser.ts'
import {failure, noBrowsersLeft, noStack, runReader, startReader, until, workspace, type Workspace} from '../machinery/helpers.ts'
import {root} from '../helpers.ts'

const edit = (w: Workspace, from: string, to: string) => {
  const file = path.join(w.dir, 'manuscript/texts/essay.md')
  const text = readFileSync(file, 'utf8')
  if (!text.includes(from)) throw new Error(`${from} not in the essay`)
  writeFileSync(file, text.replace(from, to))
}

describe('the build folder', () => {
  let w: Workspace
  let first: string
  beforeAll(async () => {
    w = workspace('mini')
    rmSync(path.join(w.dir, 'build'), {recursive: true})
    const result = await runReader(w, ['build', '--no-epub'])
    expect(result.code, result.stderr).toBe(0)
    first = path.join(w.dir, 'first-build')
    cpSync(path.join(w.dir, 'build'), first, {recursive: true})
  }, 180_000)
  afterAll(() => rmSync(w.dir, {recursive: true, force: true}))

  it('is left as it was by a build killed with SIGKILL mid-way, and reader diff reports no correction it does not have', async () => {
    // A correction (recorded, so the manuscript checks), then a build killed while it paginates.
    edit(w, 'It is short.', 'It is :corr[brief]{was="short"}.')
    const run = startReader(w, ['build', '--no-epub'])
    await until(() => run.stderr().includes('reader: pdf…'), 120_000, 'the PDF step', run)
    await new Promise((r) => setTimeout(r, 300))
    run.child.kill('SIGKILL')
    await run.done
    const left = readdirSync(path.join(w.dir, 'build'))
    expect(left.filter((name) => name.startsWith('.staging-'))).toHaveLength(1)
    for (const name of ['mini-reader.html', 'mini-reader.pdf', 'mini-reader.pages.json', 'print/index.html', 'mini-reader.build.json']) {
      expect(readFileSync(path.join(w.dir, 'build', name)), name).toEqual(readFileSync(path.join(first, name)))
    }
    const diff = await runReader(w, ['diff', 'first-build', 'build', '--format', 'json'])
    expect(diff.code, diff.stderr).toBe(0)
    expect(diff.stdout).not.toContain('brief')

    // The next build takes over the killed one's lock, removes its staging folder, and writes the correction.
    const next = await runReader(w, ['build', '--no-epub'])
    expect(next.code, next.stderr).toBe(0)
    expect(readdirSync(path.join(w.dir, 'build')).filter((name) => /^\.(staging|replaced)-|^\.reader-lock$/.test(name))).toEqual([])
    // Nor anything of the killed build’s, or its browser’s, in the temporary folder.
    expect(readdirSync(w.tmp).filter((name) => /chromium|chrome|^reader-/i.test(name))).toEqual([])
    const after = await runReader(w, ['diff', 'first-build', 'build', '--format', 'json'])
    expect(after.code, after.stderr).toBe(0)
    expect(after.stdout).toContain('brief')
    expect(await noBrowsersLeft(w.tmp)).toEqual([])
  }, 300_000)

  it('takes one build at a time: a second build into the same folder stops with a message', async () => {
    edit(w, 'ends here', 'ends :corr[there]{was="here"}')
    // The first build's browser takes 10 s to start, so the second comes while it is at work.
    const slow = path.join(w.dir, 'slow-browser.sh')
    writeFileSync(slow, `#!/bin/sh\nsleep 10\nexec ${findBrowser()} "$@"\n`)
    chmodSync(slow, 0o755)
    const a = startReader(w, ['build', '--no-epub'], {PUPPETEER_EXECUTABLE_PATH: slow, READER_LAUNCH_TIMEOUT: '120'})
    await until(() => a.stderr().includes('reader: pdf…'), 120_000, 'the first build to paginate', a)
    const b = await runReader(w, ['build', '--no-epub'])
    expect(b.code).toBe(1)
    expect(failure(b.stderr)).toMatch(/^Another build \(process \d+\) is writing to `build`: wait for it to end, or build into another folder with --out \[build-locked\]$/)
    expect(b.stderr).not.toMatch(noStack)
    expect(await a.done, a.stderr()).toBe(0)
    const diff = await runReader(w, ['diff', 'first-build', 'build', '--format', 'json'])
    expect(diff.code, diff.stderr).toBe(0)
    expect(diff.stdout).toContain('there')
  }, 300_000)

  it('is refused by reader diff when its files come from two builds', async () => {
    const mixed = path.join(w.dir, 'mixed')
    cpSync(path.join(w.dir, 'build'), mixed, {recursive: true})
    cpSync(path.join(first, 'print/index.html'), path.join(mixed, 'print/index.html'))
    const diff = await runReader(w, ['diff', 'first-build', 'mixed'])
    expect(diff.code).toBe(2)
    expect(failure(diff.stderr)).toMatch(
      /^Unexpected `print\/index.html` in `mixed`: it does not come from build [0-9a-f]{16} like the other files \(changed since: an interrupted or concurrent build\?\); build again before comparing \[build-mixed\]$/
    )
    rmSync(path.join(mixed, 'mini-reader.build.json'))
    const none = await runReader(w, ['diff', 'first-build', 'mixed'])
    expect(none.code).toBe(2)
    expect(failure(none.stderr)).toBe('Not a finished build: `mixed` has no mini-reader.build.json (run `reader build --out mixed` again) [build-mixed]')
  }, 120_000)

  it('writes the build id inside the PDF, print/index.html and pages.json, and reader diff refuses outputs of another build beside them', async () => {
    const build = path.join(w.dir, 'build')
    const {build: id} = JSON.parse(readFileSync(path.join(build, 'mini-reader.build.json'), 'utf8')) as {build: string}
    expect(id).toMatch(/^[0-9a-f]{16}$/)
    expect(JSON.parse(readFileSync(path.join(build, 'mini-reader.pages.json'), 'utf8')).build).toBe(id)
    expect(readFileSync(path.join(build, 'print/index.html'), 'utf8')).toContain(`<meta name="reader-build" content="${id}">`)
    expect(execFileSync('pdfinfo', ['-custom', path.join(build, 'mini-reader.pdf')], {encoding: 'utf8'})).toMatch(new RegExp(`^ReaderBuild: +${id}$`, 'm'))
    // The first build (another manuscript) has another id.
    expect(JSON.parse(readFileSync(path.join(first, 'mini-reader.build.json'), 'utf8')).build).not.toBe(id)

    // A correction built without the PDF: the last build’s PDF, pages and print HTML go with it (its
    // manifest listed them); put back beside the new manifest, they are refused for their id.
    const partial = path.join(w.dir, 'partial')
    cpSync(build, partial, {recursive: true})
    const essay = path.join(w.dir, 'manuscript/texts/essay.md')
    const before = readFileSync(essay, 'utf8')
    edit(w, 'It is', 'It :corr[was]{was="is"}')
    try {
      const htmlOnly = await runReader(w, ['build', '--html-only', '--out', 'partial'])
      expect(htmlOnly.code, htmlOnly.stderr).toBe(0)
    } finally {
      writeFileSync(essay, before)
    }
    const {build: later} = JSON.parse(readFileSync(path.join(partial, 'mini-reader.build.json'), 'utf8')) as {build: string}
    expect(later).not.toBe(id)
    for (const name of ['mini-reader.pdf', 'mini-reader.pages.json', 'print']) expect(existsSync(path.join(partial, name)), name).toBe(false)
    for (const name of ['mini-reader.pages.json', 'print']) cpSync(path.join(build, name), path.join(partial, name), {recursive: true})
    const diff = await runReader(w, ['diff', 'first-build', 'partial'])
    expect(diff.code).toBe(2)
    expect(failure(diff.stderr)).toBe(
      `Unexpected \`mini-reader.pages.json\` in \`partial\`: it comes from build ${id}, the folder’s last build is ${later} (a build of other outputs, or an earlier reader?); build again before comparing [build-mixed]`
    )
    // Planted in the PDF alone: a PDF of the first build put back with the manifest’s hash made to match.
    const planted = path.join(w.dir, 'planted')
    cpSync(build, planted, {recursive: true})
    cpSync(path.join(first, 'mini-reader.pdf'), path.join(planted, 'mini-reader.pdf'))
    const manifestFile = path.join(planted, 'mini-reader.build.json')
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as {files: Record<string, string>}
    manifest.files['mini-reader.pdf'] = createHash('sha256').update(readFileSync(path.join(first, 'mini-reader.pdf'))).digest('hex')
    writeFileSync(manifestFile, JSON.stringify(manifest))
    const pdfDiff = await runReader(w, ['diff', 'first-build', 'planted'])
    expect(pdfDiff.code).toBe(2)
    expect(failure(pdfDiff.stderr)).toMatch(/^Unexpected `mini-reader\.pdf` in `planted`: it comes from build [0-9a-f]{16}, the folder’s last build is [0-9a-f]{16} .*\[build-mixed\]$/)
  }, 120_000)

  it('stages the --review outputs and the --errata list with the build: killed while reviewing, the folder is as it was', async () => {
    const build = path.join(w.dir, 'build')
    const files = () => readdirSync(build, {recursive: true, encoding: 'utf8'}).filter((name) => !name.startsWith('.') && statSync(path.join(build, name)).isFile())
    const before = Object.fromEntries(files().map((name) => [name, readFileSync(path.join(build, name))]))
    const args = ['build', '--review', '--errata', 'first-build']
    const killed = startReader(w, args)
    await until(() => killed.stderr().includes('reader: review…'), 180_000, 'the review stage', killed)
    await new Promise((r) => setTimeout(r, 500))
    killed.child.kill('SIGKILL')
    await killed.done
    const left = files()
    expect(left.sort()).toEqual(Object.keys(before).sort())
    for (const name of left) expect(readFileSync(path.join(build, name)), name).toEqual(before[name])

    const done = await runReader(w, args)
    expect(done.code, done.stderr).toBe(0)
    const manifest = JSON.parse(readFileSync(path.join(build, 'mini-reader.build.json'), 'utf8')) as {files: Record<string, string>}
    const made = ['mini-reader-contact-sheet.png', 'ace/report.html', 'mini-reader-errata.txt']
    for (const name of made) expect(Object.keys(manifest.files), name).toContain(name)
    expect(Object.keys(manifest.files).some((name) => /^mini-reader-epub-\d+-.*\.png$/.test(name))).toBe(true)
    for (const name of made) expect(done.stderr).toContain(`reader: wrote ${path.join('build', name)}`)
    // The corrections since the first build, by page and line, as \`reader diff --errata\` prints them.
    const errata = readFileSync(path.join(build, 'mini-reader-errata.txt'), 'utf8')
    expect(errata).toMatch(/^Errata to the edition of /)
    expect(errata).toContain('brief')
    expect(errata).toContain('there')
    const diff = await runReader(w, ['diff', 'first-build', 'build', '--errata'])
    expect(diff.code, diff.stderr).toBe(0)
    expect(errata).toContain(diff.stdout.trim().split('\n').at(-1))
    expect(await noBrowsersLeft(w.tmp)).toEqual([])
  }, 400_000)

  it('removes the temporary folders of reader processes that no longer run', async () => {
    const dead = path.join(w.tmp, 'reader-chrome-999999999-abc')
    const living = path.join(w.tmp, `reader-chrome-${process.pid}-abc`)
    mkdirSync(dead)
    mkdirSync(living)
    // A killed browser’s profile links to its socket’s folder, made in the temporary folder Chromium had.
    const socket = path.join(w.tmp, 'org.chromium.Chromium.AbC123')
    mkdirSync(socket)
    writeFileSync(path.join(socket, 'SingletonSocket'), '')
    symlinkSync(path.join(socket, 'SingletonSocket'), path.join(dead, 'SingletonSocket'))
    const deadTemp = path.join(w.tmp, 'reader-chrometmp-999999999-abc')
    mkdirSync(path.join(deadTemp, 'org.chromium.Chromium.XyZ789'), {recursive: true})
    const result = await runReader(w, ['build', '--html-only'])
    expect(result.code, result.stderr).toBe(0)
    expect(existsSync(dead)).toBe(false)
    expect(existsSync(socket)).toBe(false)
    expect(existsSync(deadTemp)).toBe(false)
    expect(existsSync(living)).toBe(true)
    rmSync(living, {recursive: true})
  }, 120_000)

  it('says an output folder cannot be written before any work', async () => {
    writeFileSync(path.join(w.dir, 'a-file'), '')
    for (const command of ['build', 'check']) {
      const result = await runReader(w, [command, '--out', 'a-file/out'])
      expect(result.code).toBe(1)
      expect(failure(result.stderr)).toBe(
        'Cannot write to the output folder `a-file/out` (a file stands where a folder is needed): choose another with --out [output-unwritable]'
      )
      expect(result.stderr).not.toContain('reader: parse and check')
    }
  }, 120_000)

  // A read-only file system, mounted in a mount namespace of the test's own (unshare, util-linux).
  const namespaces = spawnSync('unshare', ['-rm', 'true']).status === 0
  it.skipIf(!namespaces)('says an output folder on a read-only file system cannot be written, before any work', () => {
    mkdirSync(path.join(w.dir, 'read-only'))
    for (const [command, out] of [['build', 'read-only'], ['build', 'read-only/new/out'], ['check', 'read-only/out']]) {
      const script = 'mount -t tmpfs -o ro tmpfs read-only && exec "$0" "$@"'
      const result = spawnSync('unshare', ['-rm', 'sh', '-c', script, process.execPath, path.join(root, 'bin/reader.mjs'), command, '--out', out], {
        cwd: w.dir,
        encoding: 'utf8',
        env: {...process.env, TMPDIR: w.tmp, READER_CACHE: path.join(w.dir, 'cache')}
      })
      expect(result.status, result.stderr).toBe(1)
      expect(failure(result.stderr)).toBe(`Cannot write to the output folder \`${out}\` (it is on a read-only file system): choose another with --out [output-unwritable]`)
      expect(result.stderr).not.toContain('reader: parse and check')
    }
  }, 120_000)
})
