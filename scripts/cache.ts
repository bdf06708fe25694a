/**
 * The build cache: the work of a stage, kept by the content hash of everything it read.
 *
 * A key is a SHA-256 over the inputs (file contents, book.yaml, options) and `codeVersion()` — a hash
 * of the pipeline’s own code, templates and lock file — so a change to any of them is a miss, never a
 * stale hit. Entries are JSON files under `node_modules/.cache/reader/<stage>/<key>.json` (set
 * `READER_CACHE` to another folder, or to `off` to disable it). A corrupt or unreadable entry is a miss.
 *
 * What uses it: per-file processing in the pipeline (`partCache`), the PDF step (skipped when the
 * reader HTML and print settings are unchanged and the PDF in the output folder is the one recorded)
 * and the EPUB step (the same, for the EPUB); inside the EPUB step, finished documents and the
 * cover (`epub-*`); the reports of preflight and EPUBCheck on outputs
 * already checked (`preflight`, `epubcheck`); and the compiled EPUBCheck helper (`epubcheck-server`).
 * Each build keeps it under its limit (`pruneCache`), the entries least recently used going first.
 */
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {VFileMessage} from 'vfile-message'
import type {VFile} from 'vfile'
import {resolveInside, sizeLimits} from './manuscript/paths.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

export function sha256(...parts: Array<string | Uint8Array>): string {
  const hash = createHash('sha256')
  for (const part of parts) {
    hash.update(typeof part === 'string' ? 'S' + part.length + ':' : 'B' + part.length + ':')
    hash.update(part)
  }
  return hash.digest('hex')
}

export function fileSha256(file: string): string | undefined {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex')
  } catch {
    return undefined
  }
}

let version: string | undefined

/** A hash of the code that makes the outputs: scripts/, templates/, package-lock.json. Computed once per process. */
export function codeVersion(): string {
  if (version) return version
  const hash = createHash('sha256')
  const walk = (dir: string) => {
    if (!existsSync(dir)) return
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name)
      const stat = statSync(full)
      if (stat.isDirectory()) walk(full)
      else {
        hash.update(path.relative(root, full) + '\0')
        hash.update(readFileSync(full))
      }
    }
  }
  walk(path.join(root, 'scripts'))
  walk(path.join(root, 'templates'))
  const lock = path.join(root, 'package-lock.json')
  if (existsSync(lock)) hash.update(readFileSync(lock))
  version = hash.digest('hex')
  return version
}

export interface Cache {
  readonly dir: string | undefined
  get<T>(stage: string, key: string): T | undefined
  put(stage: string, key: string, value: unknown): void
  /** Bytes (a chunk’s PDF), beside the JSON entries of the same stage. */
  getBytes(stage: string, key: string): Uint8Array | undefined
  putBytes(stage: string, key: string, bytes: Uint8Array): void
  /** Hits and misses by stage, for `--timings`. */
  stats: Record<string, {hits: number; misses: number}>
}

/** The cache in `dir` (default: READER_CACHE, else node_modules/.cache/reader); `off` disables it. */
export function openCache(dir: string | undefined = process.env.READER_CACHE): Cache {
  const location = dir === 'off' ? undefined : path.resolve(dir || path.join(root, 'node_modules', '.cache', 'reader'))
  const stats: Cache['stats'] = {}
  const count = (stage: string, hit: boolean) => {
    stats[stage] ??= {hits: 0, misses: 0}
    stats[stage][hit ? 'hits' : 'misses']++
  }
  const read = (stage: string, name: string): Buffer | undefined => {
    if (!location) return undefined
    try {
      const file = path.join(location, stage, name)
      const bytes = readFileSync(file)
      count(stage, true)
      // Used now: pruning (pruneCache) removes the entries least recently used.
      const now = new Date()
      utimesSync(file, now, now)
      return bytes
    } catch {
      count(stage, false)
      return undefined
    }
  }
  const write = (stage: string, name: string, bytes: string | Uint8Array): void => {
    if (!location) return
    try {
      const folder = path.join(location, stage)
      mkdirSync(folder, {recursive: true})
      const temp = path.join(folder, `.${name}.${process.pid}`)
      writeFileSync(temp, bytes)
      renameSync(temp, path.join(folder, name))
    } catch {}
  }
  return {
    dir: location,
    stats,
    get<T>(stage: string, key: string): T | undefined {
      const bytes = read(stage, key + '.json')
      try {
        return bytes ? (JSON.parse(bytes.toString('utf8')) as T) : undefined
      } catch {
        return undefined
      }
    },
    put(stage: string, key: string, value: unknown): void {
      write(stage, key + '.json', JSON.stringify(value))
    },
    getBytes(stage: string, key: string): Uint8Array | undefined {
      return read(stage, key + '.bin')
    },
    putBytes(stage: string, key: string, bytes: Uint8Array): void {
      write(stage, key + '.bin', bytes)
    }
  }
}

/** The most the cache keeps, in bytes (READER_CACHE_LIMIT_MB, default 512). */
export function cacheLimit(env: NodeJS.ProcessEnv = process.env): number {
  const mb = Number(env.READER_CACHE_LIMIT_MB)
  return (Number.isFinite(mb) && mb > 0 ? mb : 512) * 2 ** 20
}

/**
 * Keep the cache under `limit` bytes: past it, the entries least recently written or read go
 * (an entry is a `<key>.json` or `<key>.bin` of a stage, or a folder of one, such as an edition built for
 * `reader diff`), down to three quarters of the limit so that it is not pruned on every build.
 * Returns the bytes removed. Other files (the compiled EPUBCheck helper) stay.
 */
export function pruneCache(dir: string, limit = cacheLimit()): number {
  const entries: Array<{file: string; size: number; used: number; folder: boolean}> = []
  const sizeOf = (file: string): number => {
    const stat = statSync(file)
    if (!stat.isDirectory()) return stat.size
    let sum = 0
    for (const name of readdirSync(file)) sum += sizeOf(path.join(file, name))
    return sum
  }
  try {
    for (const stage of readdirSync(dir)) {
      const folder = path.join(dir, stage)
      if (!statSync(folder).isDirectory()) continue
      for (const name of readdirSync(folder)) {
        const file = path.join(folder, name)
        const stat = statSync(file)
        if (stat.isDirectory()) entries.push({file, size: sizeOf(file), used: stat.mtimeMs, folder: true})
        else if (name.endsWith('.json') || name.endsWith('.bin')) entries.push({file, size: stat.size, used: stat.mtimeMs, folder: false})
      }
    }
  } catch {
    return 0
  }
  let total = entries.reduce((sum, e) => sum + e.size, 0)
  if (total <= limit) return 0
  let removed = 0
  for (const entry of entries.sort((a, b) => a.used - b.used)) {
    if (total <= limit * 0.75) break
    try {
      rmSync(entry.file, {recursive: entry.folder, force: true})
      total -= entry.size
      removed += entry.size
    } catch {}
  }
  return removed
}

// ---------------------------------------------------------------------------------------------
// Files and their messages, as JSON

export interface StoredFile {
  data: Record<string, unknown>
  messages: Array<Record<string, unknown>>
}

const messageFields = ['reason', 'ruleId', 'source', 'fatal', 'atMost', 'actual', 'expected', 'url', 'note', 'place', 'line', 'column'] as const

/** What processing left on a vfile: its data and messages (without the tree nodes they point at). */
export function storeFile(file: VFile, from = 0): StoredFile {
  return {
    data: JSON.parse(JSON.stringify(file.data)) as Record<string, unknown>,
    messages: file.messages.slice(from).map((message) => {
      const stored: Record<string, unknown> = {}
      for (const field of messageFields) if (message[field] !== undefined) stored[field] = message[field]
      if (message.cause instanceof VFileMessage) stored.cause = {reason: message.cause.reason, place: message.cause.place}
      return stored
    })
  }
}

/** Put stored data and messages back on a freshly loaded vfile. */
export function restoreFile(file: VFile, stored: StoredFile): void {
  Object.assign(file.data, stored.data)
  for (const saved of stored.messages) {
    const message = new VFileMessage(String(saved.reason), {
      place: saved.place as never,
      ruleId: saved.ruleId as string | undefined,
      source: saved.source as string | undefined
    })
    message.file = file.path
    message.fatal = saved.fatal as boolean | null | undefined
    if (saved.actual !== undefined) message.actual = saved.actual as string
    if (saved.expected !== undefined) message.expected = saved.expected as string[]
    if (saved.url !== undefined) message.url = saved.url as string
    if (saved.note !== undefined) message.note = saved.note as string
    if (saved.atMost !== undefined) message.atMost = saved.atMost as 'warning'
    if (saved.cause) {
      const cause = saved.cause as {reason: string; place?: never}
      message.cause = new VFileMessage(cause.reason, {place: cause.place})
    }
    file.messages.push(message)
  }
}

// ---------------------------------------------------------------------------------------------
// The pipeline’s per-file work

interface PartLike {
  loaded: {rel: string; matter: string; file: VFile}
  id: string
  mdast: unknown
  hast?: unknown
  meta?: unknown
}

interface StoredPart {
  id: string
  mdast: unknown
  hast?: unknown
  meta?: unknown
  file: StoredFile
}

/**
 * Wrap the processing of one manuscript file: the key is the file’s content, book.yaml, every
 * copy-text in `sources/` and the code version; a hit restores the trees, the front matter, the
 * file’s data and its messages without running a plugin.
 */
export function partCache(manuscript: {dir: string; bookFile: VFile}, cache: Cache = openCache()) {
  let shared: string | undefined
  const sharedKey = () => {
    if (shared) return shared
    const sources = path.join(manuscript.dir, 'sources')
    // The size limits too: a copy-text refused under one READER_MAX_BOOK_MB is read under another.
    const parts: string[] = [codeVersion(), String(manuscript.bookFile.value), JSON.stringify(sizeLimits())]
    if (existsSync(sources)) {
      // Only the folder’s own regular files are read; a link out of it, a FIFO or a file over the
      // limit is keyed by what it is (it is refused when read, with its own message).
      for (const name of readdirSync(sources).sort()) {
        const file = resolveInside(sources, name)
        const stat = file.ok ? statSync(file.path) : undefined
        const readable = file.ok && stat!.isFile() && stat!.size <= sizeLimits().fileBytes
        parts.push(name, readable ? fileSha256(file.path) || '' : file.ok ? `not read: ${stat!.isFile() ? stat!.size : 'kind'}` : `not read: ${file.problem}`)
      }
    }
    shared = sha256(...parts)
    return shared
  }
  return async function <P extends PartLike>(loaded: P['loaded'], run: () => Promise<P>): Promise<P> {
    if (!cache.dir) return run()
    const key = sha256(sharedKey(), loaded.rel, loaded.matter, String(loaded.file.value))
    const stored = cache.get<StoredPart>('parts', key)
    if (stored) {
      restoreFile(loaded.file, stored.file)
      return {loaded, id: stored.id, mdast: stored.mdast, hast: stored.hast, meta: stored.meta} as P
    }
    // Only what processing adds: the messages of loading (encoding, …) are on the file already on a hit.
    const before = loaded.file.messages.length
    const part = await run()
    const file = storeFile(loaded.file, before)
    cache.put('parts', key, {id: part.id, mdast: part.mdast, hast: part.hast, meta: part.meta, file} satisfies StoredPart)
    return part
  }
}

// ---------------------------------------------------------------------------------------------
// The build’s stages

/**
 * The cache keys of a build’s stages, in one place. Each is `codeVersion()` and everything the stage
 * reads: the reader HTML, the book (with the printer profile chosen for this build), the book model,
 * and for the checks the bytes of the output they check.
 */
export function buildKeys(input: {html: string; book: unknown; model: unknown; printShop?: string}) {
  const {html, book, model} = input
  const key = (...parts: string[]) => sha256(codeVersion(), ...parts)
  const print = key(html, JSON.stringify(book), String(input.printShop ?? ''))
  const build = print.slice(0, 16)
  return {
    /**
     * The build’s id, written in the PDF, the EPUB, pages.json and print/index.html: the PDF’s inputs,
     * so the same manuscript gives the same id (and the same bytes), and a PDF reused from the cache
     * already has the id it is reused under. The EPUB’s key below includes it.
     */
    build,
    /** The PDF: skipped when nothing the print depends on changed. */
    print,
    /** The EPUB, made with the print’s pagination (its page list) and the build id, dated by SOURCE_DATE_EPOCH when set. */
    epub: (pagination: unknown) => key(html, JSON.stringify(model), JSON.stringify(pagination ?? null), build, process.env.SOURCE_DATE_EPOCH || ''),
    /** Preflight’s report: the same PDF, checked against the same book, pagination and HTML. */
    preflight: (pdfFile: string, pagination: unknown) => key(fileSha256(pdfFile) || '', JSON.stringify(book), JSON.stringify(pagination), html),
    /** EPUBCheck’s report: the same EPUB, the same checker. */
    epubcheck: (epubFile: string, version: string | undefined) => (version ? key(fileSha256(epubFile) || '', version) : undefined)
  }
}
