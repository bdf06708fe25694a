/**
 * `reader bench`: measure the build and pagination against stock pagedjs-cli and Chromium’s own
 * print (scripts/bench.ts); print a table and write build/bench.json. `--internal` runs one case in
 * this process, for the benchmark to measure from outside.
 */
import {readFileSync, mkdirSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import YAML from 'yaml'
import type {IO} from './io.ts'
import {parseOptions} from './options.ts'
import {ReaderError} from '../errors.ts'

const usage = `Usage: reader bench [--sizes 100,400,800] [--stock-up-to <pages>] [--out <dir>]

Builds the manuscript's book and synthetic manuscripts of about 100, 400 and 800 pages (made in a
temporary folder from its texts, repeated as its own page count says), paginates each with the reader, stock pagedjs-cli and
Chromium's own print, and reports wall time, CPU time and peak memory of each process tree, pages
per second and the ratios between them. Writes <out>/bench.json. Takes a few minutes.

Options:
  -m, --manuscript <dir>  the manuscript to start from (default: manuscript)
  --sizes <list>          synthetic sizes in pages (default: 100,400,800)
  --stock-up-to <pages>   skip stock pagedjs-cli above this many pages (default: never)
  --out <dir>             where to write bench.json (default: build)
  -h, --help              this help`

export async function runBench(argv: string[], io: IO): Promise<number> {
  const {values} = parseOptions(
    argv,
    {
      sizes: {type: 'string', default: '100,400,800'},
      'stock-up-to': {type: 'string'},
      out: {type: 'string', default: 'build'},
      internal: {type: 'string'},
      html: {type: 'string'},
      'single-pass': {type: 'boolean', default: false},
      'no-cache': {type: 'boolean', default: false}
    },
    usage
  )
  if (values.help) {
    io.stdout(usage)
    return 0
  }
  if (values.internal) return internal(values as Record<string, string | boolean | undefined>, io)

  const sizes = String(values.sizes)
    .split(',')
    .map((s) => Number(s.trim()))
  if (!sizes.length || sizes.some((n) => !Number.isInteger(n) || n < 20)) {
    throw new ReaderError(`Unexpected --sizes \`${values.sizes}\`, expected page counts such as 100,400,800`, {ruleId: 'usage', exitCode: 2})
  }
  const stockUpTo = values['stock-up-to'] === undefined ? undefined : Number(values['stock-up-to'])
  if (stockUpTo !== undefined && !(stockUpTo > 0)) throw new ReaderError('Unexpected --stock-up-to, expected a page count', {ruleId: 'usage', exitCode: 2})

  const {runBenchmark, formatTable} = await import('../bench.ts')
  io.stderr('reader: benchmarking (a few minutes)…')
  const result = await runBenchmark({
    sizes,
    stockUpTo,
    manuscript: values.manuscript as string,
    out: values.out as string,
    log: (line) => io.stderr(`  ${line}`)
  })
  io.stdout(formatTable(result))
  io.stderr(`reader: wrote ${path.join(values.out as string, 'bench.json')}`)
  return result.cases.some((c) => c.failed !== undefined) ? 1 : 0
}

/** One measured case; prints one JSON line (pages, step_s) on stdout. */
async function internal(values: Record<string, string | boolean | undefined>, io: IO): Promise<number> {
  const html = values.html as string | undefined
  const out = values.out as string
  if (!html) throw new ReaderError('--internal needs --html', {ruleId: 'usage', exitCode: 2})
  if (values.internal === 'compare') {
    // Preflight’s text comparison alone, on a build’s outputs: the text layer read with Poppler,
    // every word compared with the reader HTML (print/text-compare.ts).
    const {bookSchema} = await import('../manuscript/schema.ts')
    const book = bookSchema.parse(YAML.parse(readFileSync(path.join(values.manuscript as string, 'book.yaml'), 'utf8')))
    const pdf = path.join(out, `${book.slug}.pdf`)
    const pagination = JSON.parse(readFileSync(path.join(out, `${book.slug}.pages.json`), 'utf8'))
    const started = performance.now()
    const {execFileSync} = await import('node:child_process')
    const bbox = execFileSync('pdftotext', ['-bbox', pdf, '-'], {encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore']})
    const {compareWithReader} = await import('../print/preflight.ts')
    const {readReaderHtml} = await import('../html/reader-parts.ts')
    const result = compareWithReader(readReaderHtml(readFileSync(html, 'utf8')).tree, bbox, pagination, book)
    io.stdout(JSON.stringify({pages: pagination.pages, step_s: (performance.now() - started) / 1000, words: result.words}))
    return 0
  }
  if (values.internal === 'pdf') {
    const {bookSchema} = await import('../manuscript/schema.ts')
    const {renderPdf} = await import('../print/pdf.ts')
    const book = bookSchema.parse(YAML.parse(readFileSync(path.join(values.manuscript as string, 'book.yaml'), 'utf8')))
    mkdirSync(out, {recursive: true})
    const started = performance.now()
    const pagination = await renderPdf({
      html: readFileSync(html, 'utf8'),
      book,
      buildDir: out,
      outPath: path.join(out, `${book.slug}.pdf`),
      singlePass: values['single-pass'] as boolean,
      cache: values['no-cache'] ? undefined : (await import('../cache.ts')).openCache()
    })
    io.stdout(JSON.stringify({pages: pagination.pages, step_s: (performance.now() - started) / 1000}))
    return 0
  }
  if (values.internal === 'native') {
    // The reference is Chromium printing the HTML the plain way: puppeteer imported and launching it
    // (with the house flags and a fresh profile), one page, page.pdf. Not the launch the PDF step
    // uses (browser.ts), which starts Chromium while puppeteer loads.
    const {browserArgs, findBrowser} = await import('../browser.ts')
    const userDataDir = mkdtempSync(path.join(tmpdir(), 'reader-chrome-'))
    const started = performance.now()
    const puppeteer = (await import('puppeteer-core')).default
    const browser = await puppeteer.launch({executablePath: findBrowser(), headless: true, args: [...browserArgs(userDataDir), '--allow-file-access-from-files']})
    try {
      const page = await browser.newPage()
      await page.emulateMediaType('print')
      await page.goto(pathToFileURL(path.resolve(html)).href, {waitUntil: 'load', timeout: 0})
      await page.evaluate(() => document.fonts.ready.then(() => undefined))
      await page.pdf({path: out, preferCSSPageSize: true, printBackground: true, tagged: true, timeout: 0})
    } finally {
      await browser.close()
      rmSync(userDataDir, {recursive: true, force: true})
    }
    io.stdout(JSON.stringify({step_s: (performance.now() - started) / 1000}))
    return 0
  }
  throw new ReaderError(`Unknown --internal case \`${values.internal}\``, {ruleId: 'usage', exitCode: 2})
}
