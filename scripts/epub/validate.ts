/**
 * Checks of the finished EPUB: EPUBCheck (conformance) and DAISY Ace (accessibility). Both report
 * vfile messages: ruleId is the checker’s own id, the place is a file inside the EPUB.
 */
import {execFile} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdir, mkdtemp, readFile, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {createRequire} from 'node:module'
import {VFile} from 'vfile'
import type {Browser, HTTPRequest} from 'puppeteer-core'
import {ReaderError} from '../errors.ts'
import {launchBrowser, type LaunchedBrowser} from '../browser.ts'

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
 * Run EPUBCheck on `epubPath`. Fatal errors and errors become fatal vfile messages, warnings plain
 * messages, usage and info notes info messages. The raw report is on `file.data.epubcheck`.
 */
export async function epubcheck(epubPath: string): Promise<VFile> {
  const jar = findEpubcheck()
  const file = new VFile({path: epubPath})
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile('java', [...jvmFlags, '-jar', jar, epubPath, '--json', '-'], {maxBuffer: 64 * 1024 * 1024}, (error, out, err) => {
      // EPUBCheck exits 1 when it finds errors: that is a report, not a failure.
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new ReaderError('Java not found: install a JRE and EPUBCheck (Debian: `apt-get install epubcheck`) or set EPUBCHECK_JAR', {ruleId: 'epubcheck-missing'}))
        return
      }
      if (!out.includes('{')) {
        reject(new ReaderError(`EPUBCheck gave no report: ${(err || String(error)).split('\n')[0]}`, {ruleId: 'epubcheck-failed'}))
        return
      }
      resolve(out)
    })
  })
  // stdout begins with a line such as `Epub Name: …` before the JSON.
  let report: EpubcheckReport
  try {
    report = JSON.parse(stdout.slice(stdout.indexOf('{')))
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
  const tmp = await mkdtemp(path.join(tmpdir(), 'reader-ace-'))
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
