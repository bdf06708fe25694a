/**
 * The output folder of a build, written all at once or not at all.
 *
 * - One build at a time: `<out>/.reader-lock` holds the pid of the build writing there; a second
 *   build stops with a message (a lock whose process is gone is taken over).
 * - Every output (the reader HTML, the PDF, its pages and `print/` folder, the EPUB and its cover)
 *   is written into `<out>/.staging-<pid>/` and renamed into place only when the build succeeds;
 *   staging folders left by a build that was killed are removed by the next one.
 * - `<slug>.build.json`, renamed last, names the build (its id) and the hash of every file it
 *   wrote, so `reader diff` can refuse a folder whose files do not all come from one build.
 * - What the previous manifest listed and this build did not make (an earlier `--review` build’s
 *   files, the PDF before a `--no-pdf` build) is removed at commit; nothing it did not list is.
 * - The id is written inside the outputs too: `build` in `<slug>.pages.json`, `<meta
 *   name="reader-build">` in `print/index.html`, `/ReaderBuild` in the Info of the PDF and of the
 *   cover PDF, and `<meta name="reader:build">` in the EPUB’s package document. Each output in the
 *   folder must carry the manifest’s id, so a PDF or EPUB left by an earlier build beside a later
 *   one is refused as well.
 */
import {createHash} from 'node:crypto'
import {execFileSync} from 'node:child_process'
import {accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import JSZip from 'jszip'
import {ReaderError} from './errors.ts'
import {isRunning, removedOnExit} from './scratch.ts'

export interface OutputFolder {
  dir: string
  /** Where this build writes; renamed into `dir` by `commit`. */
  staging: string
  /** Release the lock and remove what is left of the staging folder (safe to call twice). */
  close(): void
}

export interface BuildManifest {
  build: string
  files: Record<string, string>
}

const lockName = '.reader-lock'

/** The folder as messages name it. */
const shown = (dir: string) => `\`${path.relative(process.cwd(), dir) || '.'}\``

/** Create `out` if need be and make sure it can be written, before any work is done. */
export function writableFolder(out: string): string {
  const dir = path.resolve(out)
  try {
    mkdirSync(dir, {recursive: true})
    accessSync(dir, constants.W_OK)
  } catch (error) {
    throw unwritable(dir, whyNotMade(dir, error))
  }
  return dir
}

/**
 * Node’s recursive mkdir answers ENOENT for a folder it cannot make on a read-only file system:
 * the nearest folder that exists, asked whether it can be written, says why (EROFS, EACCES).
 */
function whyNotMade(dir: string, error: unknown): unknown {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return error
  let existing = path.dirname(dir)
  while (!existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing)
  try {
    accessSync(existing, constants.W_OK)
  } catch (cause) {
    return cause
  }
  return error
}

/** Create (if need be) and lock `out`, remove stale staging folders, and make this build’s. */
export function openOutput(out: string): OutputFolder {
  const dir = writableFolder(out)
  const lock = path.join(dir, lockName)
  takeLock(dir, lock)
  const forgetLock = removedOnExit(lock)
  for (const name of readdirSync(dir)) {
    // Ours to remove: only a build holding the lock writes these.
    if (/^\.(staging|replaced)-\d+/.test(name)) rmSync(path.join(dir, name), {recursive: true, force: true})
  }
  const staging = path.join(dir, `.staging-${process.pid}`)
  try {
    mkdirSync(staging)
  } catch (error) {
    rmSync(lock, {force: true})
    throw unwritable(dir, error)
  }
  const forgetStaging = removedOnExit(staging)
  let open = true
  return {
    dir,
    staging,
    close() {
      if (!open) return
      open = false
      rmSync(staging, {recursive: true, force: true})
      forgetStaging()
      rmSync(lock, {force: true})
      forgetLock()
    }
  }
}

function takeLock(dir: string, lock: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, JSON.stringify({pid: process.pid, started: new Date().toISOString()}) + '\n', {flag: 'wx'})
      return
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw unwritable(dir, error)
    }
    let pid = 0
    try {
      pid = Number((JSON.parse(readFileSync(lock, 'utf8')) as {pid?: number}).pid)
    } catch {}
    if (isRunning(pid)) {
      throw new ReaderError(
        `Another build (process ${pid}) is writing to ${shown(dir)}: wait for it to end, or build into another folder with --out`,
        {ruleId: 'build-locked'}
      )
    }
    // Its build was killed: the lock is stale.
    rmSync(lock, {force: true})
  }
  throw new ReaderError(`Could not lock ${shown(dir)}: another build keeps taking it`, {ruleId: 'build-locked'})
}

function unwritable(dir: string, error: unknown): ReaderError {
  const code = (error as NodeJS.ErrnoException).code ?? 'error'
  const why = code === 'EROFS' ? 'it is on a read-only file system' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOTDIR' ? 'a file stands where a folder is needed' : code
  return new ReaderError(`Cannot write to the output folder ${shown(dir)} (${why}): choose another with --out`, {ruleId: 'output-unwritable'})
}

/**
 * Move everything staged into place: each file by one rename (replacing the old one whole), each
 * folder (print/) by two, and the manifest last. Returns the paths of the top-level outputs.
 */
export function commit(folder: OutputFolder, slug: string, build: string): string[] {
  const {dir, staging} = folder
  const previous = listedFiles(path.join(dir, `${slug}.build.json`))
  const manifestName = writeManifest(folder, slug, build)
  const made = new Set(Object.keys(hashes(staging)))
  const names = readdirSync(staging).filter((name) => name !== manifestName).sort()
  const outputs: string[] = []
  for (const name of [...names, manifestName]) {
    const from = path.join(staging, name)
    const to = path.join(dir, name)
    if (statSync(from).isDirectory()) {
      const replaced = path.join(dir, `.replaced-${process.pid}-${name}`)
      rmSync(replaced, {recursive: true, force: true})
      let had = true
      try {
        renameSync(to, replaced)
      } catch {
        had = false
      }
      renameSync(from, to)
      if (had) rmSync(replaced, {recursive: true, force: true})
    } else {
      renameSync(from, to)
    }
    outputs.push(path.join(path.relative(process.cwd(), dir) || '.', name))
  }
  // What the previous build made and this one did not (the review files of an earlier `--review`
  // build, a PDF before an EPUB-only build) goes, so the folder holds one build; nothing else does.
  for (const name of previous) {
    if (made.has(name)) continue
    try {
      rmSync(path.join(dir, name), {force: true})
    } catch {
      continue // (no longer a file: left as it is)
    }
    for (let parent = path.dirname(name); parent !== '.'; parent = path.dirname(parent)) {
      try {
        rmdirSync(path.join(dir, parent))
      } catch {
        break
      }
    }
  }
  return outputs
}

/** The files a build folder’s manifest lists (none when it has no readable one), only those inside the folder. */
function listedFiles(manifestPath: string): string[] {
  let files: unknown
  try {
    files = (JSON.parse(readFileSync(manifestPath, 'utf8')) as Partial<BuildManifest>).files
  } catch {
    return []
  }
  if (!files || typeof files !== 'object') return []
  return Object.keys(files).filter((name) => {
    const normal = path.posix.normalize(name)
    return normal === name && !path.posix.isAbsolute(name) && !name.startsWith('../') && name !== '..' && !name.startsWith('.staging-')
  })
}

/** Write the manifest of what is staged (the build id, each file’s hash) into the staging folder; returns its name. */
export function writeManifest(folder: OutputFolder, slug: string, build: string): string {
  const manifestName = `${slug}.build.json`
  const manifestPath = path.join(folder.staging, manifestName)
  rmSync(manifestPath, {force: true})
  const manifest: BuildManifest = {build, files: hashes(folder.staging)}
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 1) + '\n')
  return manifestName
}

/** The sha-256 of every file under `dir`, by its path relative to `dir` (with `/`). */
function hashes(dir: string, prefix = ''): Record<string, string> {
  const found: Record<string, string> = {}
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name)
    if (statSync(full).isDirectory()) Object.assign(found, hashes(full, `${prefix}${name}/`))
    else found[prefix + name] = createHash('sha256').update(readFileSync(full)).digest('hex')
  }
  return found
}

/**
 * Refuse a build folder whose files do not all come from one build: no manifest (an unfinished
 * build, or one written before manifests), a file the manifest names changed or missing, or an
 * output in the folder whose build id is not the manifest’s.
 */
export async function checkBuildFolder(dir: string, slug: string): Promise<BuildManifest> {
  const file = path.join(dir, `${slug}.build.json`)
  let manifest: BuildManifest
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as BuildManifest
  } catch {
    throw new ReaderError(`Not a finished build: ${shown(dir)} has no ${slug}.build.json (run \`reader build --out ${path.relative(process.cwd(), dir) || '.'}\` again)`, {
      ruleId: 'build-mixed',
      exitCode: 2
    })
  }
  for (const [name, hash] of Object.entries(manifest.files ?? {})) {
    let actual: string | undefined
    try {
      actual = createHash('sha256').update(readFileSync(path.join(dir, name))).digest('hex')
    } catch {}
    if (actual !== hash) {
      throw new ReaderError(
        `Unexpected \`${name}\` in ${shown(dir)}: it does not come from build ${manifest.build} like the other files (${actual ? 'changed' : 'missing'} since: an interrupted or concurrent build?); build again before comparing`,
        {ruleId: 'build-mixed', exitCode: 2}
      )
    }
  }
  for (const [name, id] of Object.entries(await buildIds(dir, slug))) {
    if (id === manifest.build) continue
    throw new ReaderError(
      `Unexpected \`${name}\` in ${shown(dir)}: ${id ? `it comes from build ${id}` : 'it carries no build id'}, the folder’s last build is ${manifest.build} (a build of other outputs, or an earlier reader?); build again before comparing`,
      {ruleId: 'build-mixed', exitCode: 2}
    )
  }
  return manifest
}

/** The build id inside each output of `slug` in `dir` (the outputs there), by the file’s name in the folder. */
export async function buildIds(dir: string, slug: string): Promise<Record<string, string | undefined>> {
  const ids: Record<string, string | undefined> = {}
  const read = (name: string) => {
    try {
      return readFileSync(path.join(dir, name))
    } catch {
      return undefined
    }
  }
  const pages = read(`${slug}.pages.json`)
  if (pages) {
    let build: unknown
    try {
      build = (JSON.parse(pages.toString('utf8')) as {build?: unknown}).build
    } catch {}
    ids[`${slug}.pages.json`] = typeof build === 'string' ? build : undefined
  }
  const printHtml = read('print/index.html')
  if (printHtml) ids['print/index.html'] = /<meta name="reader-build" content="([0-9a-f]+)">/.exec(printHtml.toString('utf8'))?.[1]
  for (const name of [`${slug}.pdf`, `${slug}-cover.pdf`]) if (existsSync(path.join(dir, name))) ids[name] = pdfBuildId(path.join(dir, name))
  const epub = read(`${slug}.epub`)
  if (epub) ids[`${slug}.epub`] = await epubBuildId(epub)
  return ids
}

/** `/ReaderBuild` in a PDF’s Info, read by Poppler’s pdfinfo (which `reader diff` needs anyway). */
function pdfBuildId(file: string): string | undefined {
  try {
    const info = execFileSync('pdfinfo', ['-custom', file], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']})
    return /^ReaderBuild:\s*(\S+)$/m.exec(info)?.[1]
  } catch {
    return undefined
  }
}

/** `<meta name="reader:build">` in an EPUB’s package document. */
async function epubBuildId(bytes: Buffer): Promise<string | undefined> {
  try {
    const zip = await JSZip.loadAsync(bytes)
    const container = await zip.file('META-INF/container.xml')?.async('string')
    const opf = /full-path="([^"]+)"/.exec(container ?? '')?.[1]
    const text = opf ? await zip.file(opf)?.async('string') : undefined
    return /<meta name="reader:build" content="([0-9a-f]+)"\s*\/>/.exec(text ?? '')?.[1]
  } catch {
    return undefined
  }
}
