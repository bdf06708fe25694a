/**
 * The two sides of `reader diff`: a build folder (has `<slug>.pages.json`), a manuscript folder
 * (has book.yaml), or a git revision of the manuscript folder (`HEAD~1`, a tag, a commit). Manuscripts
 * and revisions are built — checked, HTML and PDF, no EPUB, no validation — into the cache folder, so
 * a revision already built with the same code is not built again (the build’s own PDF cache sees to it).
 */
import {execFileSync} from 'node:child_process'
import {existsSync, mkdirSync, readdirSync, realpathSync, rmSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {ReaderError} from '../errors.ts'
import {sha256} from '../cache.ts'
import {countMessages, report} from '../report.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

export interface SideOptions {
  /** The manuscript folder of the working tree (`--manuscript`). */
  manuscript: string
  /** Where editions are built (default: READER_CACHE or node_modules/.cache/reader, under `editions/`). */
  workDir?: string
  signal?: AbortSignal
  onStage?: (stage: string, state: 'start' | 'end', detail?: string) => void
  log?: (line: string) => void
}

export const worktree = 'WORKTREE'

function workRoot(options: SideOptions): string {
  const base = options.workDir || (process.env.READER_CACHE && process.env.READER_CACHE !== 'off' ? process.env.READER_CACHE : path.join(root, 'node_modules', '.cache', 'reader'))
  return path.resolve(base, 'editions')
}

/** A build folder for `spec`, building it first when it is a manuscript or a revision. */
export async function editionFolder(spec: string, options: SideOptions): Promise<string> {
  if (spec !== worktree && existsSync(spec)) {
    if (readdirSync(spec).some((name) => name.endsWith('.pages.json'))) return spec
    if (existsSync(path.join(spec, 'book.yaml'))) return buildInto(spec, path.join(workRoot(options), 'dir-' + sha256(path.resolve(spec)).slice(0, 16)), spec, options)
    throw new ReaderError(`Not a build folder or a manuscript folder: ${spec}`, {ruleId: 'diff-input', exitCode: 2})
  }
  if (spec === worktree) {
    return buildInto(options.manuscript, path.join(workRoot(options), 'dir-' + sha256(path.resolve(options.manuscript)).slice(0, 16)), 'the working tree', options)
  }
  const manuscript = realpathSync(path.resolve(options.manuscript))
  let top: string
  try {
    top = execFileSync('git', ['-C', manuscript, 'rev-parse', '--show-toplevel'], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']}).trim()
  } catch {
    throw new ReaderError(`Not a folder, and ${options.manuscript} is not in a git repository: cannot read revision \`${spec}\``, {ruleId: 'diff-input', exitCode: 2})
  }
  let commit: string
  try {
    commit = execFileSync('git', ['-C', top, 'rev-parse', '--verify', '--quiet', `${spec}^{commit}`], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']}).trim()
  } catch {
    throw new ReaderError(`Unknown revision or folder \`${spec}\``, {ruleId: 'diff-input', exitCode: 2})
  }
  const rel = path.relative(realpathSync(top), manuscript)
  const base = path.join(workRoot(options), 'rev-' + commit)
  const source = path.join(base, 'source')
  rmSync(source, {recursive: true, force: true})
  mkdirSync(source, {recursive: true})
  let tar: Buffer
  try {
    tar = execFileSync('git', ['-C', top, 'archive', '--format=tar', commit, rel || '.'], {maxBuffer: 512 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe']})
  } catch (error) {
    throw new ReaderError(`Could not read ${rel || 'the repository'} at \`${spec}\`: ${(error as Error).message.split('\n')[0]}`, {ruleId: 'diff-input', exitCode: 2})
  }
  execFileSync('tar', ['-x', '-C', source], {input: tar})
  const dir = path.join(source, rel)
  if (!existsSync(path.join(dir, 'book.yaml'))) throw new ReaderError(`No manuscript at \`${spec}\`: ${rel}/book.yaml is not in that revision`, {ruleId: 'diff-input', exitCode: 2})
  return buildInto(dir, path.join(base, 'build'), `${spec} (${commit.slice(0, 7)})`, options)
}

async function buildInto(manuscript: string, out: string, what: string, options: SideOptions): Promise<string> {
  const {build} = await import('../build.ts')
  options.log?.(`reader: building ${what}…`)
  const result = await build({manuscript, out, epub: false, skipValidation: true, signal: options.signal, onStage: options.onStage})
  if (!result.ok) {
    const counts = countMessages(result.files)
    throw new ReaderError(`${what} does not build (${counts.errors} error${counts.errors === 1 ? '' : 's'}):\n${report(result.files, 'compact', {quiet: true})}`, {
      ruleId: 'diff-build'
    })
  }
  return out
}
