/**
 * The benchmark behind `npm run bench`: the manuscript’s book (its cases named by its slug) and
 * synthetic manuscripts of about 100, 400 and 800 printed pages (its texts listed as many times as
 * the book’s own page count says, made in a temporary folder),
 * each paginated by the reader and, on the same print HTML, by stock pagedjs-cli and by Chromium’s
 * own print (no Paged.js). Every case runs in its own child process; wall time, CPU time (the whole
 * process tree, Chromium included) and the peak resident memory of the tree are measured from
 * outside (the PDF cases twice: once timed, once for memory). The regeneration case is a correction
 * saved while `reader watch` runs; the same correction rebuilt by a new `reader build` is reported
 * beside it. Each run starts from an empty cache of its own, after one build that is not measured
 * (a fresh checkout’s TypeScript is compiled then, as on any machine after its first build).
 * Ratios compare cases measured in the same run.
 */
import {execFileSync, spawn} from 'node:child_process'
import {cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import YAML from 'yaml'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const readerBin = path.join(root, 'bin', 'reader.mjs')

interface Measurement {
  wall_s: number
  cpu_s: number
  /** Peak of the tree’s summed proportional set size (shared pages divided among their sharers). */
  peak_rss_mb: number
  /** Peak of the tree’s plain RSS sum (counts shared libraries once per process). */
  peak_rss_sum_mb: number
  /** Peak summed PSS of the command’s descendants (the browser’s tree, without the Node process). */
  peak_browser_mb: number
  code: number | null
  stdout: string
  stderr: string
}

export interface BenchCase {
  name: string
  manuscript: string
  what: string
  pages: number | null
  wall_s: number
  cpu_s: number
  peak_rss_mb: number
  peak_rss_sum_mb: number
  peak_browser_mb: number
  pages_per_s: number | null
  /** Build stages’ times (`reader build --timings`). */
  stages?: Record<string, number>
  /** Time of the measured step inside the process (no Node start-up), when the case reports it. */
  step_s?: number
  /** Exit code when the case failed. */
  failed?: number | null
}

export interface BenchResult {
  machine: {cpus: number; model: string; memory_gb: number; os: string; node: string; chromium: string; load_before: number[]}
  date: string
  cases: BenchCase[]
  ratios: Record<string, number | null>
  targets: Record<string, {target: string; value: number | null; met: boolean | null}>
}

export interface BenchOptions {
  /** Synthetic sizes to run, as approximate page counts (default 100, 400, 800). */
  sizes?: number[]
  /** Skip stock pagedjs-cli on sizes above this many pages (it takes minutes); default: never skip. */
  stockUpTo?: number
  manuscript?: string
  out?: string
  log?: (line: string) => void
}

export async function runBenchmark(options: BenchOptions = {}): Promise<BenchResult> {
  const log = options.log ?? (() => {})
  const manuscript = path.resolve(options.manuscript ?? path.join(root, 'manuscript'))
  const book = slugOf(manuscript)
  const out = path.resolve(options.out ?? path.join(root, 'build'))
  const sizes = options.sizes ?? [100, 400, 800]
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'reader-bench-'))
  const cases: BenchCase[] = []
  const load_before = os.loadavg()
  const push = (c: BenchCase) => {
    cases.push(c)
    log(formatRow(c))
  }

  // The cases start from an empty cache of this run’s own: nothing an earlier run (or build) left is
  // reused. Only the compiled EPUBCheck helper is made first, as any machine has it after its first build.
  const savedCache = process.env.READER_CACHE
  process.env.READER_CACHE = path.join(tmp, 'cache')
  try {
    // A first build, not measured, with a cache of its own: the TypeScript of a fresh checkout is
    // compiled (tsx keeps it), as on any machine after its first build.
    const warm = path.join(tmp, 'warm-up')
    cpSync(manuscript, path.join(warm, 'manuscript'), {recursive: true})
    await measure(process.execPath, [readerBin, 'build', '-m', path.join(warm, 'manuscript'), '--out', path.join(warm, 'out')], {env: {...process.env, READER_CACHE: path.join(warm, 'cache')}, memory: false})
    await prepareEpubcheck(tmp)
    // The book itself (named by its slug): a full build from cold, a rebuild after a one-word
    // correction, the PDF step alone (chunked and single-pass) and the references on its print HTML.
    const own = path.join(tmp, 'book')
    cpSync(manuscript, own, {recursive: true})
    const ownOut = path.join(tmp, 'out-book')
    const ownPdf = path.join(ownOut, `${slugOf(own)}.pdf`)
    const full = await measure(process.execPath, [readerBin, 'build', '-m', own, '--out', ownOut, '--timings'])
    push(toCase(`${book}: full build`, book, 'reader build (checks, HTML, PDF, EPUB, preflight, EPUBCheck), cold cache', full, pdfPages(ownPdf)))
    // The synthetic books are sized by this book’s own pages: those of its texts, and the rest.
    const layout = pageLayout(path.join(ownOut, `${slugOf(own)}.pages.json`))
    // What keeping the print honest costs: preflight’s word-by-word comparison of the PDF with the
    // reader HTML (alone, on that build’s outputs), and a full build for a printer (IngramSpark:
    // greyscale, PDF/X by Ghostscript), cold, beside the plain one.
    const compared = await measure(process.execPath, [readerBin, 'bench', '--internal', 'compare', '-m', own, '--html', path.join(ownOut, `${slugOf(own)}.html`), '--out', ownOut])
    push(toCase(`${book}: text comparison`, book, 'preflight’s comparison of every word of the PDF with the reader HTML', compared, pdfPages(ownPdf)))
    const pressOut = path.join(tmp, 'out-book-ingramspark')
    const press = await measure(process.execPath, [readerBin, 'build', '-m', own, '--out', pressOut, '--print-shop', 'ingramspark', '--timings'], {
      env: {...process.env, READER_CACHE: path.join(tmp, 'cache-ingramspark')}
    })
    push(toCase(`${book}: full build, ingramspark`, book, 'reader build --print-shop ingramspark, cold cache', press, pdfPages(path.join(pressOut, `${slugOf(own)}.pdf`))))
    const word = oneWordCorrection(own)
    const regen = await measure(process.execPath, [readerBin, 'build', '-m', own, '--out', ownOut, '--timings'])
    push(toCase(`${book}: rebuild after a correction`, book, `reader build after ${word}`, regen, pdfPages(ownPdf)))
    // The same correction saved while \`reader watch\` runs: the editor’s loop (browser and checkers stay up).
    const watched = path.join(tmp, 'book-watch')
    cpSync(manuscript, watched, {recursive: true})
    const watchOut = path.join(tmp, 'out-book-watch')
    const inWatch = await measureWatchRebuild(watched, watchOut, () => oneWordCorrection(watched))
    push(toCase(`${book}: rebuild in reader watch`, book, `reader watch rebuilding after ${word} (PDF, EPUB, preflight, EPUBCheck)`, inWatch, pdfPages(path.join(watchOut, `${slugOf(watched)}.pdf`))))

    const manuscripts: Array<{name: string; dir: string}> = [{name: book, dir: own}]
    const stockChromium = stockBrowser(tmp)
    for (const size of sizes) {
      const dir = path.join(tmp, `synthetic-${size}`)
      makeSynthetic(manuscript, dir, Math.max(1, Math.round((size - layout.matter) / layout.texts)))
      manuscripts.push({name: `~${size}`, dir})
    }

    for (const {name, dir} of manuscripts) {
      const caseOut = path.join(tmp, `out-${name.replace(/\W/g, '')}`)
      const html = await measure(process.execPath, [readerBin, 'build', '-m', dir, '--out', caseOut, '--html-only'])
      if (html.code !== 0) throw new Error(`reader build --html-only failed on ${name}: ${html.stderr.slice(-2000)}`)
      const readerHtml = path.join(caseOut, `${slugOf(dir)}.html`)

      if (name !== book) {
        const check = await measure(process.execPath, [readerBin, 'check', '-m', dir, '--out', caseOut, '--quiet'])
        push(toCase(`${name}: check`, name, 'reader check', check, null))
      }
      const pdfDir = path.join(caseOut, 'pdf')
      const pdf = await measureTwice(process.execPath, [readerBin, 'bench', '--internal', 'pdf', '-m', dir, '--html', readerHtml, '--out', pdfDir, '--no-cache'])
      push(toCase(`${name}: reader PDF`, name, 'PDF step, chunked, cold cache', pdf, null))
      if (name === book) {
        const single = await measureTwice(process.execPath, [readerBin, 'bench', '--internal', 'pdf', '-m', dir, '--html', readerHtml, '--out', path.join(caseOut, 'single'), '--single-pass'])
        push(toCase(`${name}: reader PDF, single pass`, name, 'PDF step, one Paged.js pass', single, null))
      }
      const printHtml = path.join(pdfDir, 'print', 'index.html')
      const pages = pdf.code === 0 ? (JSON.parse(lastLine(pdf.stdout)) as {pages: number}).pages : null
      if (!options.stockUpTo || (pages ?? 0) <= options.stockUpTo) {
        const stockPdf = path.join(tmp, `stock-${name.replace(/\W/g, '')}.pdf`)
        const stock = await measureTwice(path.join(root, 'node_modules', '.bin', 'pagedjs-cli'), [printHtml, '-o', stockPdf, '--browserArgs', stockBrowserArgs.join(',')], {
          env: {...process.env, PUPPETEER_EXECUTABLE_PATH: stockChromium}
        })
        push(toCase(`${name}: stock pagedjs-cli`, name, 'pagedjs-cli 0.4.3 on the same print HTML', stock, pdfPages(stockPdf)))
      }
      const nativePdf = path.join(tmp, `native-${name.replace(/\W/g, '')}.pdf`)
      const native = await measureTwice(process.execPath, [readerBin, 'bench', '--internal', 'native', '--html', printHtml, '--out', nativePdf])
      push(toCase(`${name}: Chromium print`, name, 'Chromium print-to-PDF of the same print HTML, no Paged.js', native, pdfPages(nativePdf)))
    }
  } finally {
    if (savedCache === undefined) delete process.env.READER_CACHE
    else process.env.READER_CACHE = savedCache
    rmSync(tmp, {recursive: true, force: true})
  }

  const find = (name: string) => cases.find((c) => c.name === name && c.failed === undefined)
  const ratio = (a?: number | null, b?: number | null) => (a && b ? round(a / b, 3) : null)
  const largest = `~${Math.max(...sizes)}`
  const smallest = `~${Math.min(...sizes)}`
  const ratios: Record<string, number | null> = {
    long_vs_stock_pagedjs: ratio(find(`${largest}: reader PDF`)?.wall_s, find(`${largest}: stock pagedjs-cli`)?.wall_s),
    rate_800_vs_100: ratio(find(`${largest}: reader PDF`)?.pages_per_s, find(`${smallest}: reader PDF`)?.pages_per_s),
    reader_pdf_vs_native: ratio(find(`${book}: reader PDF`)?.step_s, find(`${book}: Chromium print`)?.step_s),
    reader_pdf_vs_native_wall: ratio(find(`${book}: reader PDF`)?.wall_s, find(`${book}: Chromium print`)?.wall_s),
    regen_vs_full: ratio(find(`${book}: rebuild in reader watch`)?.wall_s, find(`${book}: full build`)?.wall_s),
    regen_cold_process_vs_full: ratio(find(`${book}: rebuild after a correction`)?.wall_s, find(`${book}: full build`)?.wall_s),
    chunked_vs_single_pass: ratio(find(`${book}: reader PDF`)?.wall_s, find(`${book}: reader PDF, single pass`)?.wall_s),
    // The comparison and a profile’s conversion (the IngramSpark build’s `pdfx` time: the PDF/X
    // declaration, inside its pdf stage) against the plain full build; the comparison runs in
    // every build’s preflight. Not measured when either case failed: a build that fails has no cost to quote.
    print_integrity_vs_full:
      find(`${book}: text comparison`)?.step_s !== undefined && find(`${book}: full build, ingramspark`)?.stages?.pdfx !== undefined
        ? ratio(find(`${book}: text comparison`)!.step_s! + find(`${book}: full build, ingramspark`)!.stages!.pdfx, find(`${book}: full build`)?.wall_s)
        : null,
    // Everything a printer profile adds to a build (its cover, the conversion, the profile’s preflight), by wall time.
    profile_build_vs_full:
      find(`${book}: full build, ingramspark`) && find(`${book}: full build`)
        ? ratio(find(`${book}: full build, ingramspark`)!.wall_s - find(`${book}: full build`)!.wall_s, find(`${book}: full build`)!.wall_s)
        : null,
    stock_rate_800_vs_100: ratio(find(`${largest}: stock pagedjs-cli`)?.pages_per_s, find(`${smallest}: stock pagedjs-cli`)?.pages_per_s)
  }
  const met = (value: number | null | undefined, ok: (v: number) => boolean) => (value === null || value === undefined ? null : ok(value))
  const longPdf = find(`${largest}: reader PDF`)
  const fullBuild = find(`${book}: full build`)
  const check = find(`${largest}: check`)
  const targets: BenchResult['targets'] = {
    linear_cost: {target: 'rate_800_vs_100 ≥ 0.9', value: ratios.rate_800_vs_100, met: met(ratios.rate_800_vs_100, (v) => v >= 0.9)},
    long_books_time: {target: 'long_vs_stock_pagedjs ≤ 0.3', value: ratios.long_vs_stock_pagedjs, met: met(ratios.long_vs_stock_pagedjs, (v) => v <= 0.3)},
    long_books_memory: {target: `${largest} reader PDF browser tree < 1024 MB`, value: longPdf?.peak_browser_mb ?? null, met: met(longPdf?.peak_browser_mb, (v) => v < 1024)},
    book_full_build: {target: `${book} full build < 10 s`, value: fullBuild?.wall_s ?? null, met: met(fullBuild?.wall_s, (v) => v < 10)},
    book_pdf_vs_native: {target: 'reader_pdf_vs_native ≤ 1.5', value: ratios.reader_pdf_vs_native, met: met(ratios.reader_pdf_vs_native, (v) => v <= 1.5)},
    regeneration: {target: 'regen_vs_full ≤ 0.25', value: ratios.regen_vs_full, met: met(ratios.regen_vs_full, (v) => v <= 0.25)},
    print_integrity: {target: 'print_integrity_vs_full ≤ 0.15', value: ratios.print_integrity_vs_full, met: met(ratios.print_integrity_vs_full, (v) => v <= 0.15)},
    check_long: {target: `${largest} reader check < 3 s`, value: check?.wall_s ?? null, met: met(check?.wall_s, (v) => v < 3)}
  }
  const result: BenchResult = {
    machine: {
      cpus: os.availableParallelism(),
      model: os.cpus()[0]?.model ?? '',
      memory_gb: round(os.totalmem() / 2 ** 30, 1),
      os: `${os.type()} ${os.release()}`,
      node: process.version,
      chromium: await chromiumVersion(),
      load_before: load_before.map((l) => round(l, 2))
    },
    date: new Date().toISOString(),
    cases,
    ratios,
    targets
  }
  mkdirSync(out, {recursive: true})
  writeFileSync(path.join(out, 'bench.json'), JSON.stringify(result, null, 2) + '\n')
  return result
}

/** Compile the warm EPUBCheck’s helper into the cache (validate.ts), by checking a tiny EPUB once. */
async function prepareEpubcheck(tmp: string): Promise<void> {
  const {startEpubcheck, writeWarmUpEpub} = await import('./epub/validate.ts')
  const epub = path.join(tmp, 'prepare.epub')
  await writeWarmUpEpub(epub)
  const session = startEpubcheck()
  try {
    await session.check(epub)
  } catch {
    // No EPUBCheck: the cases that need it report that themselves.
  } finally {
    await session.close()
  }
}

/** Flags for stock pagedjs-cli: what it needs to run here (no sandbox in a container), nothing that helps it. */
const stockBrowserArgs = ['--no-sandbox', '--disable-gpu', '--font-render-hinting=none']

/**
 * The browser stock pagedjs-cli runs: the system one, started as ours is (browser.ts) without the
 * address bar's popup, so that the two compare in pagination alone. pagedjs-cli splits its
 * `--browserArgs` at commas, and of two `--disable-features` Chromium heeds one: a script adds the
 * two features to the list its puppeteer passes.
 */
function stockBrowser(dir: string): string {
  const file = path.join(dir, 'stock-browser.sh')
  const script = [
    '#!/bin/sh',
    'for a in "$@"; do',
    '  shift',
    '  case "$a" in --disable-features=*) a="$a,WebUIOmniboxPopup,WebUIOmniboxAimPopup" ;; esac',
    '  set -- "$@" "$a"',
    'done',
    `exec '${browserPath().replace(/'/g, `'\\''`)}' "$@"`
  ]
  writeFileSync(file, script.join('\n') + '\n', {mode: 0o755})
  return file
}

function browserPath(): string {
  return process.env.PUPPETEER_EXECUTABLE_PATH || process.env.READER_CHROME || ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((f) => existsSync(f)) || 'chromium'
}

async function chromiumVersion(): Promise<string> {
  const m = await measure(browserPath(), ['--version'])
  return m.stdout.trim()
}

/** The slug of the manuscript in `dir`: its outputs’ file name. */
/**
 * The pages of a built book’s texts (folios count from the first text: the last page any text’s id
 * is on) and of the rest (front and back matter), from the pages.json beside its PDF.
 */
function pageLayout(pagesJson: string): {texts: number; matter: number} {
  const {pages, idPages} = JSON.parse(readFileSync(pagesJson, 'utf8')) as {pages: number; idPages: Record<string, string>}
  const texts = Math.max(1, ...Object.entries(idPages).filter(([id, label]) => id.startsWith('t-') && /^\d+$/.test(label)).map(([, label]) => Number(label)))
  return {texts, matter: Math.max(0, pages - texts)}
}

function slugOf(dir: string): string {
  return (YAML.parse(readFileSync(path.join(dir, 'book.yaml'), 'utf8')) as {slug: string}).slug
}

/**
 * A synthetic manuscript: the reader’s texts listed `repeats` times, each repeat under its own
 * file names (text and copy-text), so ids stay unique and collation still passes.
 */
function makeSynthetic(source: string, dest: string, repeats: number): void {
  cpSync(source, dest, {recursive: true})
  const bookFile = path.join(dest, 'book.yaml')
  const book = YAML.parse(readFileSync(bookFile, 'utf8')) as {texts: string[]; slug: string}
  const texts: string[] = []
  for (let r = 1; r <= repeats; r++) {
    for (const text of book.texts) {
      if (r === 1) {
        texts.push(text)
        continue
      }
      const copy = text.replace(/\.md$/, `-r${r}.md`)
      let body = readFileSync(path.join(dest, text), 'utf8')
      const copytext = /^copytext:\s*(\S+)\s*$/m.exec(body)?.[1]
      if (copytext) {
        const renamed = copytext.replace(/(\.\w+)$/, `-r${r}$1`)
        cpSync(path.join(dest, 'sources', copytext), path.join(dest, 'sources', renamed))
        body = body.replace(/^copytext:\s*\S+\s*$/m, `copytext: ${renamed}`)
      }
      writeFileSync(path.join(dest, copy), body)
      texts.push(copy)
    }
  }
  book.texts = texts
  writeFileSync(bookFile, YAML.stringify(book))
}

/**
 * An editor’s one-word correction in the first text: a word of the running text is recorded as
 * corrected (`:corr[…]{was="…"}`) with two inner letters swapped, as a typo fix would be.
 */
function oneWordCorrection(manuscript: string): string {
  const book = YAML.parse(readFileSync(path.join(manuscript, 'book.yaml'), 'utf8')) as {texts: string[]}
  const file = path.join(manuscript, book.texts[0])
  const text = readFileSync(file, 'utf8')
  const bodyStart = text.indexOf('\n---', 4) + 4
  const lines = text.slice(bodyStart).split('\n')
  // A plain paragraph line far from the start, and a plain word in it.
  for (let i = Math.floor(lines.length / 2); i < lines.length; i++) {
    const line = lines[i]
    if (!/^[A-Z]/.test(line) || /[:[\]{}<>*_`^]/.test(line)) continue
    const match = / ([a-z]{6,}) /.exec(line)
    if (!match) continue
    const word = match[1]
    const fixed = word[0] + word[2] + word[1] + word.slice(3)
    lines[i] = line.slice(0, match.index) + ` :corr[${fixed}]{was="${word}" reason="benchmark correction"} ` + line.slice(match.index + match[0].length)
    writeFileSync(file, text.slice(0, bodyStart) + lines.join('\n'))
    return `‘${word}’ → ‘${fixed}’ in ${book.texts[0]}`
  }
  throw new Error(`No plain word to correct in ${file}`)
}

/**
 * How often the process tree is sampled, in ms. Reading a process’s smaps_rollup (for PSS) walks its
 * page tables under its memory lock: every 100 ms, over Chromium’s processes, that slowed a long
 * book’s pagination by a sixth. Four times a second costs a few per cent, and memory grows slowly.
 */
const sampleEvery = 250

/**
 * Run a command and measure it from outside: wall time; CPU time of the whole tree (the children’s
 * times the kernel adds to ours once they are reaped); peak resident memory of the tree, sampled
 * from /proc every `sampleEvery` ms.
 */
function measure(command: string, args: string[], options: {env?: NodeJS.ProcessEnv; memory?: boolean} = {}): Promise<Measurement> {
  const memory = options.memory ?? true
  return new Promise((resolve, reject) => {
    const cpuBefore = childrenCpu()
    const started = performance.now()
    const child = spawn(command, args, {cwd: root, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    let peak = 0
    let peakRss = 0
    let peakBelow = 0
    const cpuSeen = new Map<number, number>()
    const sample = () => {
      if (!child.pid) return
      const tree = sampleTree(child.pid, memory)
      peak = Math.max(peak, tree.pss)
      peakRss = Math.max(peakRss, tree.rss)
      peakBelow = Math.max(peakBelow, tree.pssBelow)
      for (const [pid, cpu] of tree.cpu) cpuSeen.set(pid, Math.max(cpu, cpuSeen.get(pid) ?? 0))
    }
    const timer = setInterval(sample, sampleEvery)
    child.on('error', (error) => {
      clearInterval(timer)
      reject(error)
    })
    child.on('close', (code) => {
      clearInterval(timer)
      resolve({
        wall_s: round((performance.now() - started) / 1000, 2),
        // Reaped children’s times, or the sampled times of the tree when some were not reaped by us
        // (Chromium’s helpers outlive a killed browser and go to init).
        cpu_s: round(Math.max(childrenCpu() - cpuBefore, [...cpuSeen.values()].reduce((a, b) => a + b, 0)), 2),
        peak_rss_mb: Math.round(peak / 1024),
        peak_rss_sum_mb: Math.round(peakRss / 1024),
        peak_browser_mb: Math.round(peakBelow / 1024),
        code,
        stdout,
        stderr
      })
    })
  })
}

/**
 * A case that leaves nothing behind, run twice: once for time and CPU, sampling only what costs
 * nothing (reading every Chromium process’s memory map four times a second slows a long book’s
 * pagination by a tenth), once for peak memory.
 */
async function measureTwice(command: string, args: string[], options: {env?: NodeJS.ProcessEnv} = {}): Promise<Measurement> {
  const timed = await measure(command, args, {...options, memory: false})
  if (timed.code !== 0) return timed
  const sized = await measure(command, args, options)
  return {...timed, peak_rss_mb: sized.peak_rss_mb, peak_rss_sum_mb: sized.peak_rss_sum_mb, peak_browser_mb: sized.peak_browser_mb}
}

/**
 * A rebuild inside \`reader watch\`: start it, wait for its first build, make the change, and
 * measure from the save to its “rebuilt” line (the 150 ms it waits for more saves included): wall
 * time, the tree’s CPU time over that window, and its peak memory then.
 */
async function measureWatchRebuild(manuscript: string, out: string, change: () => void): Promise<Measurement> {
  const child = spawn(process.execPath, [readerBin, 'watch', '-m', manuscript, '--out', out, '--port', '0'], {cwd: root, stdio: ['ignore', 'pipe', 'pipe']})
  let stderr = ''
  let check = () => {}
  child.stdout.resume()
  child.stderr.on('data', (d) => {
    stderr += d
    check()
  })
  const waitFor = (done: () => boolean) =>
    new Promise<void>((resolve, reject) => {
      check = () => (done() ? resolve() : undefined)
      child.once('close', (code) => reject(new Error(`reader watch stopped (${code}): ${stderr.slice(-2000)}`)))
      check()
    })
  try {
    await waitFor(() => stderr.includes('preview at '))
    const before = sampleTree(child.pid!)
    const mark = stderr.length
    let peak = 0
    let peakRss = 0
    let peakBelow = 0
    const timer = setInterval(() => {
      const tree = sampleTree(child.pid!)
      peak = Math.max(peak, tree.pss)
      peakRss = Math.max(peakRss, tree.rss)
      peakBelow = Math.max(peakBelow, tree.pssBelow)
    }, sampleEvery)
    const started = performance.now()
    change()
    await waitFor(() => /rebuilt in |not rebuilt|build failed/.test(stderr.slice(mark)))
    const wall = (performance.now() - started) / 1000
    clearInterval(timer)
    const after = sampleTree(child.pid!)
    let cpu = 0
    for (const [pid, t] of after.cpu) cpu += t - (before.cpu.get(pid) ?? 0)
    const code = /rebuilt in /.test(stderr.slice(mark)) ? 0 : 1
    return {wall_s: round(wall, 2), cpu_s: round(cpu, 2), peak_rss_mb: Math.round(peak / 1024), peak_rss_sum_mb: Math.round(peakRss / 1024), peak_browser_mb: Math.round(peakBelow / 1024), code, stdout: '', stderr: stderr.slice(mark)}
  } finally {
    child.kill('SIGINT')
    if (child.exitCode === null) await new Promise((resolve) => child.once('close', resolve))
  }
}

const ticks = 100

/** CPU seconds of our reaped children and their descendants (cutime + cstime of /proc/self/stat). */
function childrenCpu(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')
  // After the command: state is field 3, so cutime (16) and cstime (17) are at 13 and 14.
  return (Number(fields[13]) + Number(fields[14])) / ticks
}

/**
 * A process and all its descendants: memory in KiB (PSS from smaps_rollup, so Chromium’s shared
 * pages are not counted once per process; plain RSS too; `pssBelow`: the descendants’ alone, the
 * browser’s tree under the Node process) and CPU seconds per process. Without `memory`, CPU only.
 */
function sampleTree(pid: number, memory = true): {pss: number; rss: number; pssBelow: number; cpu: Map<number, number>} {
  const parents = new Map<number, number>()
  const cpuOf = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      parents.set(Number(entry), Number(fields[1]))
      cpuOf.set(Number(entry), (Number(fields[11]) + Number(fields[12])) / ticks)
    } catch {}
  }
  const inTree = new Set([pid])
  let grew = true
  while (grew) {
    grew = false
    for (const [child, parent] of parents) {
      if (!inTree.has(child) && inTree.has(parent)) {
        inTree.add(child)
        grew = true
      }
    }
  }
  let pss = 0
  let rss = 0
  let pssBelow = 0
  const cpu = new Map<number, number>()
  for (const p of inTree) {
    cpu.set(p, cpuOf.get(p) ?? 0)
    if (!memory) continue
    try {
      const rollup = readFileSync(`/proc/${p}/smaps_rollup`, 'utf8')
      const own = Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0)
      pss += own
      if (p !== pid) pssBelow += own
      rss += Number(/^Rss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0)
    } catch {}
  }
  return {pss, rss, pssBelow, cpu}
}

function toCase(name: string, manuscript: string, what: string, m: Measurement, pages: number | null): BenchCase {
  let step: number | undefined
  if (m.code === 0 && m.stdout.trim().startsWith('{')) {
    try {
      const reported = JSON.parse(lastLine(m.stdout)) as {pages?: number; step_s?: number}
      if (reported.pages !== undefined) pages = reported.pages
      step = reported.step_s
    } catch {}
  }
  const c: BenchCase = {
    name,
    manuscript,
    what,
    pages,
    wall_s: m.wall_s,
    cpu_s: m.cpu_s,
    peak_rss_mb: m.peak_rss_mb,
    peak_rss_sum_mb: m.peak_rss_sum_mb,
    peak_browser_mb: m.peak_browser_mb,
    pages_per_s: pages && m.wall_s ? round(pages / m.wall_s, 1) : null
  }
  if (step !== undefined) c.step_s = round(step, 2)
  const stages = [...m.stderr.matchAll(/^ {2}(\S[\w ]*?)\s+(\d+\.\d+) s$/gm)]
  if (stages.length) c.stages = Object.fromEntries(stages.map((s) => [s[1].trim(), Number(s[2])]))
  if (m.code !== 0) {
    c.failed = m.code
    c.what += ` — FAILED: ${m.stderr.trim().split('\n').slice(-3).join(' ')}`
  }
  return c
}

function pdfPages(file: string): number | null {
  if (!existsSync(file)) return null
  try {
    const match = /^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [file], {encoding: 'utf8'}))
    return match ? Number(match[1]) : null
  } catch {
    return null
  }
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n')
  return lines[lines.length - 1]
}

function round(n: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(n * f) / f
}

const columns = ['case', 'pages', 'wall s', 'step s', 'CPU s', 'PSS MB', 'browser', 'pages/s']

function formatRow(c: BenchCase): string {
  return [
    c.name.padEnd(36),
    String(c.pages ?? '').padStart(5),
    c.wall_s.toFixed(2).padStart(7),
    (c.step_s === undefined ? '' : c.step_s.toFixed(2)).padStart(7),
    c.cpu_s.toFixed(2).padStart(7),
    String(c.peak_rss_mb).padStart(7),
    String(c.peak_browser_mb || '').padStart(7),
    (c.pages_per_s === null ? '' : c.pages_per_s.toFixed(1)).padStart(7)
  ].join(' ') + (c.failed !== undefined ? '  FAILED' : '')
}

/** The table `reader bench` prints. */
export function formatTable(result: BenchResult): string {
  const header = [columns[0].padEnd(36), ...columns.slice(1).map((c, i) => c.padStart(i === 0 ? 5 : 7))].join(' ')
  const lines = [
    `${result.machine.model}, ${result.machine.cpus} cores, ${result.machine.memory_gb} GB; ${result.machine.os}; Node ${result.machine.node}; ${result.machine.chromium}; load before ${result.machine.load_before.join(' ')}`,
    '',
    header,
    '-'.repeat(header.length),
    ...result.cases.map(formatRow),
    '',
    ...result.cases
      .filter((c) => c.stages)
      .map((c) => `${c.name} stages: ${Object.entries(c.stages!).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}`),
    '',
    'ratios',
    ...Object.entries(result.ratios).map(([k, v]) => `  ${k.padEnd(30)} ${v ?? '—'}`),
    '',
    'targets',
    ...Object.entries(result.targets).map(([k, t]) => `  ${k.padEnd(20)} ${t.target.padEnd(40)} ${String(t.value ?? '—').padStart(8)}  ${t.met === null ? 'not measured' : t.met ? 'met' : 'NOT met'}`)
  ]
  return lines.join('\n')
}
