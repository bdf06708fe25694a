/**
 * Checks of the finished EPUB: EPUBCheck (conformance) and DAISY Ace (accessibility). Both report
 * vfile messages: ruleId is the checker’s own id, the place is a file inside the EPUB.
 */
import {execFile, spawn, type ChildProcess} from 'node:child_process'
import {existsSync, readFileSync, statSync, utimesSync} from 'node:fs'
import {mkdir, mkdtemp, readFile, rename, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {createRequire} from 'node:module'
import {createInterface} from 'node:readline'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'
import {VFile} from 'vfile'
import type {Browser, HTTPRequest} from 'puppeteer-core'
import {ReaderError} from '../errors.ts'
import {launchBrowser, type LaunchedBrowser} from '../browser.ts'
import {scratchDir} from '../scratch.ts'
import {killedOnExit} from '../child-processes.ts'
import {openCache, sha256} from '../cache.ts'

const require = createRequire(import.meta.url)

const jarCandidates = ['/usr/share/java/epubcheck.jar', '/usr/share/epubcheck/epubcheck.jar', '/usr/local/share/java/epubcheck.jar']

/** The EPUBCheck jar: `EPUBCHECK_JAR`, else where Debian’s `epubcheck` package puts it. */
export function findEpubcheck(env: NodeJS.ProcessEnv = process.env): string {
  if (env.EPUBCHECK_JAR) {
    if (!existsSync(env.EPUBCHECK_JAR)) {
      throw new ReaderError(
        `No EPUBCheck jar at ${env.EPUBCHECK_JAR} (from EPUBCHECK_JAR): set it to an epubcheck.jar, or unset it to use the system one (Debian: \`apt-get install epubcheck\`)`,
        {ruleId: 'epubcheck-missing'}
      )
    }
    return env.EPUBCHECK_JAR
  }
  const found = jarCandidates.find((file) => existsSync(file))
  if (!found) {
    throw new ReaderError('EPUBCheck not found: install it (Debian: `apt-get install epubcheck`) or set EPUBCHECK_JAR to its jar', {
      ruleId: 'epubcheck-missing'
    })
  }
  return found
}

/**
 * EPUBCheck is a short run: most of its time is the JVM starting and compiling. The client compiler
 * only, the serial collector and the class-data archive take it from about 3.8 s to 2.3 s on the
 * Serge reader, with the same report.
 */
const jvmFlags = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xshare:auto']

interface EpubcheckLocation {
  path?: string
  line?: number
  column?: number
}

interface EpubcheckMessage {
  ID: string
  severity: 'FATAL' | 'ERROR' | 'WARNING' | 'USAGE' | 'INFO' | 'SUPPRESSED'
  message: string
  locations?: EpubcheckLocation[]
  suggestion?: string | null
}

export interface EpubcheckReport {
  messages: EpubcheckMessage[]
  checker: {checkerVersion: string; nFatal: number; nError: number; nWarning: number; nUsage: number}
}

/**
 * Run EPUBCheck on `epubPath`, in a JVM of its own (about 2 s, most of it compiling the schemas; a
 * build uses `startEpubcheck`). Fatal errors and errors become fatal vfile messages, warnings plain
 * messages, usage and info notes info messages. The raw report is on `file.data.epubcheck`.
 */
export async function epubcheck(epubPath: string): Promise<VFile> {
  const jar = findEpubcheck()
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile('java', [...jvmFlags, '-jar', jar, epubPath, '--json', '-'], {maxBuffer: 64 * 1024 * 1024}, (error, out, err) => {
      // EPUBCheck exits 1 when it finds errors: that is a report, not a failure.
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(javaMissing())
        return
      }
      if (!out.includes('{')) {
        reject(noReport(err || String(error)))
        return
      }
      resolve(out)
    })
  })
  // stdout begins with a line such as `Epub Name: …` before the JSON.
  return readReport(epubPath, stdout.slice(stdout.indexOf('{')))
}

const javaMissing = () =>
  new ReaderError('Java not found: install a JRE and EPUBCheck (Debian: `apt-get install epubcheck`) or set EPUBCHECK_JAR', {ruleId: 'epubcheck-missing'})

const noReport = (stderr: string) => new ReaderError(`EPUBCheck gave no report: ${stderr.split('\n')[0]}`, {ruleId: 'epubcheck-failed'})

/** EPUBCheck’s JSON report (`--json`) on `epubPath` as vfile messages: the one reading of it, warm or one-shot. */
function readReport(epubPath: string, json: string): VFile {
  const file = new VFile({path: epubPath})
  let report: EpubcheckReport
  try {
    report = JSON.parse(json)
  } catch {
    throw new ReaderError('Unexpected EPUBCheck output, expected JSON (`--json -`)', {ruleId: 'epubcheck-failed'})
  }
  file.data.epubcheck = report
  const [major, minor] = report.checker.checkerVersion.split('.').map(Number)
  const predatesPageBreakSource = major < 5 || (major === 5 && minor < 1)
  for (const item of report.messages) {
    if (item.severity === 'SUPPRESSED') continue
    if (predatesPageBreakSource && item.ID === 'OPF-027' && /"pageBreakSource"/.test(item.message)) {
      // EPUBCheck allows this (incubating, EPUB Accessibility) property from 5.1 on; older ones call
      // it undefined. Keep the note, as information, so the build does not stop on it.
      const note = file.info(
        `OEBPS/content.opf: ${item.message} EPUBCheck ${report.checker.checkerVersion} predates the pageBreakSource property (allowed from EPUBCheck 5.1); dc:source with source-of declares the same for older checkers`,
        {ruleId: item.ID, source: 'epubcheck', place: item.locations?.[0]?.line ? {line: item.locations[0].line!, column: item.locations[0].column ?? 1} : undefined}
      )
      note.file = path.join(epubPath, item.locations?.[0]?.path ?? 'OEBPS/content.opf')
      continue
    }
    const locations = item.locations?.length ? item.locations : [{}]
    for (const location of locations) {
      const place = location.line && location.line > 0 ? {line: location.line, column: location.column && location.column > 0 ? location.column : 1} : undefined
      const inside = location.path ? location.path : path.basename(epubPath)
      const text = item.message + (item.suggestion ? ` (${item.suggestion})` : '')
      const message = file.message(`${inside}: ${text}`, {place, ruleId: item.ID, source: 'epubcheck'})
      message.file = path.join(epubPath, inside)
      if (item.severity === 'FATAL' || item.severity === 'ERROR') message.fatal = true
      else if (item.severity === 'USAGE' || item.severity === 'INFO') message.fatal = undefined
    }
  }
  return file
}

/**
 * What identifies the checker, to key its reports in a cache: the jar’s path, size and time, and the
 * `java` on the PATH; undefined when either is missing (the check then says what to install).
 */
export function epubcheckVersion(): string | undefined {
  const java = (process.env.PATH || '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, 'java'))
    .find((file) => existsSync(file))
  if (!java) return undefined
  try {
    const jar = findEpubcheck()
    const stat = statSync(jar)
    return `${jar}:${stat.size}:${stat.mtimeMs}:${java}`
  } catch {
    return undefined
  }
}

// ---------------------------------------------------------------------------------------------
// A warm EPUBCheck

export interface EpubcheckSession {
  /** Check `epubPath`: the same report as `epubcheck(epubPath)`. Checks run one at a time. */
  check(epubPath: string): Promise<VFile>
  /** End the JVM (stdin closed; killed if busy or after a short grace) and remove its files. Safe to call twice. */
  close(): Promise<void>
  /** How the last check ran: `warm` (the session’s JVM) or `one-shot` (the fallback); `starting` before any. */
  readonly mode: 'starting' | 'warm' | 'one-shot'
  /** The JVM’s process id while it runs. */
  readonly pid: number | undefined
}

export interface EpubcheckSessionOptions {
  /** Time limit of one check in ms, waiting for the warm-up included (default 120 s). */
  timeout?: number
}

const serverSource = fileURLToPath(new URL('EpubcheckServer.java', import.meta.url))
/**
 * Start an EPUBCheck JVM now and use it later: it compiles EPUBCheck’s schemas on a tiny EPUB while
 * the build does other work, then checks each EPUB in about a tenth of the one-shot time. The JVM
 * runs scripts/epub/EpubcheckServer.java (compiled once with `javac`, kept in the build cache), which
 * calls EPUBCheck’s own command-line class, so the report is the CLI’s.
 *
 * Never throws: when the jar, `javac` or the JVM is missing or fails before the warm-up ends, a
 * check falls back to `epubcheck()` (one JVM per check), which reports the same, or the same error.
 * `READER_EPUBCHECK_SERVER=off` forces that fallback. A JVM that dies or hangs during a check is an
 * `epubcheck-failed` error. The JVM also ends by itself when its stdin closes (when we exit).
 */
export function startEpubcheck(options: EpubcheckSessionOptions = {}): EpubcheckSession {
  const timeout = options.timeout ?? 120_000
  let jvm: ChildProcess | undefined
  let exited: Promise<void> = Promise.resolve()
  let tmp: string | undefined
  let closed = false
  let busy = true
  let mode: EpubcheckSession['mode'] = 'starting'
  // The JVM’s answers, one line each, and its stderr since the last request (for error messages).
  let answer: ((line: string | undefined) => void) | undefined
  let gone = false
  let stderr = ''
  const nextLine = () => new Promise<string | undefined>((resolve) => (gone ? resolve(undefined) : (answer = resolve)))

  // Once the server is compiled (kept in the cache), this runs without a pause up to the spawn, so
  // the JVM starts before the build’s first long step holds the event loop.
  const ready = (async (): Promise<boolean> => {
    if (process.env.READER_EPUBCHECK_SERVER === 'off') return false
    const jar = findEpubcheck()
    tmp = scratchDir('epubcheck')
    const server = serverFolder(jar, tmp)
    if (!prepared(server)) await prepareServer(jar, server)
    else {
      // Used now: the cache’s pruning (pruneCache) keeps what was used last.
      const now = new Date()
      utimesSync(server, now, now)
    }
    if (closed) return false
    const warmUp = path.join(server, 'warm-up.epub')
    const child = killedOnExit(spawn('java', [...jvmFlags, '-cp', server + path.delimiter + jar, 'EpubcheckServer', warmUp, path.join(tmp, 'warm-up.json')], {
      stdio: ['pipe', 'pipe', 'pipe']
    }))
    jvm = child
    exited = new Promise((resolve) => {
      const end = () => {
        gone = true
        answer?.(undefined)
        resolve()
      }
      child.once('exit', end)
      child.once('error', end)
    })
    child.stdin!.on('error', () => {})
    child.stderr!.on('data', (data) => (stderr = (stderr + data).slice(-4000)))
    createInterface({input: child.stdout!}).on('line', (line) => {
      // The JVM may print its own warnings to stdout: only `ready <code>` and `done <code>` are answers.
      if (!/^(ready|done) -?\d+$/.test(line)) return
      const waiting = answer
      answer = undefined
      waiting?.(line)
    })
    // `ready -1`: EPUBCheck itself failed on the warm-up; the one-shot run will say why.
    const first = await nextLine()
    busy = false
    return first !== undefined && /^ready \d+$/.test(first)
  })().catch(() => false)

  let queue: Promise<unknown> = Promise.resolve()
  let requests = 0
  const run = async (epubPath: string): Promise<VFile> => {
    let timer: NodeJS.Timeout | undefined
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        jvm?.kill('SIGKILL')
        reject(new ReaderError(`EPUBCheck did not finish checking ${epubPath} within ${timeout / 1000} s`, {ruleId: 'epubcheck-failed'}))
      }, timeout)
    })
    limit.catch(() => {})
    try {
      // A path that cannot be sent on one line goes to the one-shot run too.
      const warm = (await Promise.race([ready, limit])) && !gone && !closed && !/[\t\r\n]/.test(epubPath)
      if (warm) {
        mode = 'warm'
        const reportPath = path.join(tmp!, `report-${++requests}.json`)
        busy = true
        stderr = ''
        jvm!.stdin!.write(`${epubPath}\t${reportPath}\n`)
        const line = await Promise.race([nextLine(), limit])
        busy = false
        if (line === undefined) {
          const last = stderr.trim().split('\n').at(-1)
          throw new ReaderError(`EPUBCheck stopped while checking ${epubPath}${last ? `: ${last}` : ''}`, {ruleId: 'epubcheck-failed'})
        }
        let json: string
        try {
          json = await readFile(reportPath, 'utf8')
        } catch {
          throw noReport(stderr.trim() || line)
        }
        await rm(reportPath, {force: true})
        return readReport(epubPath, json)
      }
    } finally {
      clearTimeout(timer)
    }
    mode = 'one-shot'
    return epubcheck(epubPath)
  }

  return {
    get mode() {
      return mode
    },
    get pid() {
      return gone ? undefined : jvm?.pid
    },
    check(epubPath) {
      const result = queue.then(() => run(epubPath))
      queue = result.catch(() => {})
      return result
    },
    async close() {
      if (closed) return
      closed = true
      if (jvm && !gone) {
        // Idle, it ends on end of input; busy (warming up, checking), there is nothing to wait for.
        jvm.stdin!.end()
        if (busy) jvm.kill('SIGKILL')
        const child = jvm
        const grace = setTimeout(() => child.kill('SIGKILL'), 1000)
        await exited
        clearTimeout(grace)
      }
      await ready
      if (tmp) await rm(tmp, {recursive: true, force: true})
    }
  }
}

/**
 * Where the compiled server and its warm-up EPUB are kept: the build cache
 * (`<cache>/epubcheck-server/<key>/`, by the source, the warm-up files and the jar), or `tmp` when
 * the cache is off.
 */
function serverFolder(jar: string, tmp: string): string {
  const cacheDir = openCache().dir
  if (!cacheDir) return path.join(tmp, 'server')
  const stat = statSync(jar)
  const key = sha256(readFileSync(serverSource), JSON.stringify(warmUpFiles), jar, String(stat.size), String(stat.mtimeMs)).slice(0, 24)
  return path.join(cacheDir, 'epubcheck-server', key)
}

const prepared = (folder: string) => existsSync(path.join(folder, 'EpubcheckServer.class')) && existsSync(path.join(folder, 'warm-up.epub'))

/**
 * Compile EpubcheckServer.java and write the warm-up EPUB into `folder`: made beside it, then renamed
 * into place. Throws when `javac` is missing (a JRE only) or fails.
 */
async function prepareServer(jar: string, folder: string): Promise<void> {
  await mkdir(path.dirname(folder), {recursive: true})
  const temp = await mkdtemp(path.join(path.dirname(folder), `.${path.basename(folder)}-`))
  try {
    // Java 8 class files, so a later JRE (or EPUBCheck’s minimum, 8) runs them.
    await promisify(execFile)('javac', ['-J-XX:TieredStopAtLevel=1', '-J-XX:+UseSerialGC', '--release', '8', '-Xlint:-options', '-cp', jar, '-d', temp, serverSource])
    await writeWarmUpEpub(path.join(temp, 'warm-up.epub'))
    try {
      await rename(temp, folder)
    } catch (error) {
      // Another build renamed its copy first: use that one.
      if (!prepared(folder)) throw error
    }
  } finally {
    await rm(temp, {recursive: true, force: true})
  }
}

/**
 * A tiny valid EPUB 3 that has EPUBCheck compile what a real book needs: the OCF container, the
 * package document, the navigation document (toc, landmarks, page-list), an NCX, an XHTML content
 * document with epub:type and ARIA roles, an image and a style sheet.
 */
const warmUpXhtml = (title: string, body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="en" lang="en">
<head>
  <meta charset="UTF-8"/>
  <title>${title}</title>
  <link rel="stylesheet" type="text/css" href="style.css"/>
</head>
${body}
</html>
`

const warmUpFiles: Array<[name: string, content: string]> = [
  ['mimetype', 'application/epub+zip'],
  [
    'META-INF/container.xml',
    `<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>
`
  ],
  [
    'OEBPS/content.opf',
    `<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="pub-id" xml:lang="en">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="pub-id">urn:uuid:00000000-0000-4000-8000-000000000000</dc:identifier>
    <dc:title id="title">Warm-up</dc:title>
    <meta refines="#title" property="title-type">main</meta>
    <dc:language>en</dc:language>
    <dc:creator id="creator">Reader</dc:creator>
    <meta refines="#creator" property="role" scheme="marc:relators">aut</meta>
    <dc:source id="print-source">Warm-up, print edition</dc:source>
    <meta refines="#print-source" property="source-of">pagination</meta>
    <meta property="dcterms:modified">2000-01-01T00:00:00Z</meta>
    <meta property="schema:accessMode">textual</meta>
    <meta property="schema:accessibilityFeature">tableOfContents</meta>
    <meta property="schema:accessibilityHazard">none</meta>
  </metadata>
  <manifest>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
    <item id="text" href="text.xhtml" media-type="application/xhtml+xml"/>
    <item id="style" href="style.css" media-type="text/css"/>
    <item id="cover-image" href="cover.png" media-type="image/png" properties="cover-image"/>
  </manifest>
  <spine toc="ncx">
    <itemref idref="nav"/>
    <itemref idref="text"/>
  </spine>
</package>
`
  ],
  [
    'OEBPS/nav.xhtml',
    warmUpXhtml(
      'Contents',
      `<body epub:type="frontmatter">
  <nav id="toc" epub:type="toc" role="doc-toc" aria-labelledby="toc-title">
    <h1 id="toc-title">Contents</h1>
    <ol><li><a href="text.xhtml">A text</a><ol><li><a href="text.xhtml#s-1">A section</a></li></ol></li></ol>
  </nav>
  <nav epub:type="landmarks" aria-label="Landmarks" hidden="hidden">
    <ol><li><a epub:type="bodymatter" href="text.xhtml">A text</a></li></ol>
  </nav>
  <nav epub:type="page-list" role="doc-pagelist" aria-label="Pages" hidden="hidden">
    <ol><li><a href="text.xhtml#page-1">1</a></li></ol>
  </nav>
</body>`
    )
  ],
  [
    'OEBPS/toc.ncx',
    `<?xml version="1.0" encoding="UTF-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">
  <head>
    <meta name="dtb:uid" content="urn:uuid:00000000-0000-4000-8000-000000000000"/>
    <meta name="dtb:depth" content="1"/>
    <meta name="dtb:totalPageCount" content="0"/>
    <meta name="dtb:maxPageNumber" content="0"/>
  </head>
  <docTitle><text>Warm-up</text></docTitle>
  <navMap><navPoint id="n-1" playOrder="1"><navLabel><text>A text</text></navLabel><content src="text.xhtml"/></navPoint></navMap>
</ncx>
`
  ],
  [
    'OEBPS/text.xhtml',
    warmUpXhtml(
      'A text',
      `<body epub:type="bodymatter">
<section id="t" epub:type="chapter" role="doc-chapter" aria-labelledby="t-title">
  <span epub:type="pagebreak" role="doc-pagebreak" id="page-1" aria-label="1"></span>
  <h1 id="t-title">A text <span class="author">by someone</span></h1>
  <blockquote class="epigraph" role="doc-epigraph" epub:type="epigraph"><p>An epigraph.</p></blockquote>
  <p>A paragraph with a note<a href="#n-1" id="r-1" class="noteref" epub:type="noteref" role="doc-noteref">1</a>, <em>emphasis</em>, <span lang="fr" xml:lang="fr">du français</span> and a <a href="#s-1">link</a>.</p>
  <section id="s-1" aria-labelledby="s-1-title">
    <h2 id="s-1-title">A section</h2>
    <figure><img src="cover.png" alt="A dot"/><figcaption>A figure</figcaption></figure>
    <ul><li>An item</li></ul>
    <ol start="2"><li value="2">A numbered item</li></ol>
  </section>
  <section epub:type="endnotes" role="doc-endnotes" aria-label="Notes">
    <ol><li id="n-1" epub:type="endnote" role="doc-endnote"><p>A note. <a href="#r-1" epub:type="backlink" role="doc-backlink">↩</a></p></li></ol>
  </section>
</section>
</body>`
    )
  ],
  // A 1 × 1 PNG, in base64.
  ['OEBPS/cover.png', 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='],
  [
    'OEBPS/style.css',
    `@charset "UTF-8";
body { font-family: serif; line-height: 1.4; margin: 0 5%; }
h1, h2 { font-weight: 600; page-break-after: avoid; break-after: avoid; }
a.noteref { vertical-align: super; font-size: 0.75em; }
.epigraph { margin: 1em 2em; font-style: italic; }
@media (min-width: 40em) { body { margin: 0 10%; } }
`
  ]
]

/** Write the warm-up EPUB (`mimetype` first and stored) to `file`. */
export async function writeWarmUpEpub(file: string): Promise<void> {
  const {default: JSZip} = await import('jszip')
  const zip = new JSZip()
  for (const [name, content] of warmUpFiles) {
    zip.file(name, content, name === 'mimetype' ? {compression: 'STORE'} : {base64: name.endsWith('.png')})
  }
  await writeFile(file, await zip.generateAsync({type: 'nodebuffer', compression: 'DEFLATE', platform: 'UNIX'}))
}

// ---------------------------------------------------------------------------------------------
// DAISY Ace

interface AceAssertion {
  'earl:test': {'dct:title': string; 'earl:impact': string; 'dct:description'?: string; help?: {url?: string}}
  'earl:result': {'earl:outcome': string; 'dct:description': string; 'earl:pointer'?: {css?: string[]}; html?: string}
}

interface AceReport {
  'earl:outcome': string
  assertions: Array<{'earl:testSubject': {url: string}; assertions: AceAssertion[]}>
}

/**
 * Our own axe runner for Ace: the same page logic as @daisy/ace-axe-runner-puppeteer (no network,
 * XHTML served as XHTML) but the browser comes from launchBrowser, so it is the system Chromium
 * with the house flags.
 */
function axeRunner() {
  let launched: LaunchedBrowser | undefined
  let timeout = 240_000
  return {
    concurrency: 2,
    setTimeout(ms: number | string) {
      timeout = Number(ms) || timeout
    },
    async launch() {
      launched = await launchBrowser()
    },
    async close() {
      await launched?.close()
      launched = undefined
    },
    async run(url: string, scripts: string[], scriptContents: string[]) {
      const browser = launched!.browser as Browser
      const page = await browser.newPage()
      page.setDefaultTimeout(timeout)
      await page.setRequestInterception(true)
      page.on('request', (request: HTTPRequest) => {
        const target = request.url()
        if (/^https?:\/\//.test(target)) {
          void request.abort()
          return
        }
        if (request.resourceType() === 'document' && /^file:\//.test(target) && /\.x?html?$/.test(target)) {
          readFile(new URL(target), 'utf8').then(
            (body) => request.respond({status: 200, contentType: 'application/xhtml+xml', body}),
            () => request.continue()
          )
          return
        }
        void request.continue()
      })
      try {
        await page.goto(url)
        for (const content of scriptContents) await page.addScriptTag({content})
        for (const file of scripts) await page.addScriptTag({path: file})
        // A string, not a function: tsx would wrap a function with helpers the page does not have.
        return await page.evaluate(`new Promise((resolve, reject) => {
          let tries = 0
          const attempt = () => {
            if (!window.daisy || !window.daisy.ace || !window.daisy.ace.run || !window.axe) {
              if (++tries < 15) setTimeout(attempt, 400)
              else reject(new Error('Ace scripts did not load'))
              return
            }
            window.daisy.ace.run((err, res) => (err ? reject(err) : resolve(res)))
          }
          attempt()
        })`)
      } finally {
        await page.close().catch(() => {})
      }
    }
  }
}

/** Ace logs through winston’s default logger: give it a silent transport instead of none. */
function quietWinston(): void {
  try {
    const winston = require('winston')
    if (winston.transports && !winston.default?.transports?.length) {
      winston.add(new winston.transports.Console({silent: true}))
    }
  } catch {}
}

/**
 * Run DAISY Ace on `epubPath`, keep its report (report.json, report.html, data/) in `reportDir`, and
 * turn every violation into a vfile message: ruleId is the axe or Ace rule, the place the content
 * document inside the EPUB. Critical and serious violations are fatal.
 */
export async function ace(epubPath: string, reportDir: string): Promise<VFile> {
  let runAce: (epub: string, options: Record<string, unknown>, runner: unknown) => Promise<[unknown, AceReport]>
  try {
    runAce = require('@daisy/ace-core')
  } catch {
    throw new ReaderError('DAISY Ace not found: `npm install @daisy/ace-core` (it is a dependency of reader)', {ruleId: 'ace-missing'})
  }
  quietWinston()
  const file = new VFile({path: epubPath})
  await mkdir(reportDir, {recursive: true})
  // Named with this process’s id: removed by the next build if this one is killed (scripts/scratch.ts).
  const tmp = scratchDir('ace')
  let report: AceReport
  try {
    const result = await runAce(path.resolve(epubPath), {cwd: process.cwd(), outdir: path.resolve(reportDir), tmpdir: tmp, lang: 'en', initLogger: false}, axeRunner())
    report = result[1]
  } catch (error) {
    throw new ReaderError(`DAISY Ace failed on ${epubPath}: ${error instanceof Error ? error.message : String(error)}`, {ruleId: 'ace-failed'})
  } finally {
    await rm(tmp, {recursive: true, force: true})
  }
  file.data.ace = report
  for (const subject of report.assertions ?? []) {
    const inside = subject['earl:testSubject'].url
    for (const assertion of subject.assertions ?? []) {
      const test = assertion['earl:test']
      const result = assertion['earl:result']
      if (result['earl:outcome'] !== 'fail') continue
      const where = result['earl:pointer']?.css?.join(', ')
      const message = file.message(`${inside}: ${result['dct:description'].split('\n')[0]}${where ? ` (at \`${where}\`)` : ''} [impact: ${test['earl:impact']}]`, {
        ruleId: test['dct:title'],
        source: 'ace'
      })
      message.file = path.join(epubPath, inside)
      message.url = test.help?.url
      if (test['earl:impact'] === 'critical' || test['earl:impact'] === 'serious') message.fatal = true
    }
  }
  return file
}
