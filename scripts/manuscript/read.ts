/**
 * Reading a manuscript file into a vfile, with the checks a text file needs before anyone parses it:
 * valid UTF-8, no byte-order mark, no NUL bytes, Unix line ends.
 */
import path from 'node:path'
import {VFile} from 'vfile'
import {megabytes, readRegular, resolveInside, sizeLimits} from './paths.ts'

const decoder = new TextDecoder('utf-8', {fatal: true, ignoreBOM: true})

/**
 * Bytes read (scripts/manuscript/paths.ts reads the manuscript’s files) as text. Problems are
 * reported on the returned file; the value is always a string (invalid bytes replaced) so later
 * stages can go on reporting.
 */
function decodeText(bytes: Uint8Array, shownPath: string, cwd: string): VFile {
  const file = new VFile({path: shownPath, cwd})
  let text: string
  try {
    text = decoder.decode(bytes)
  } catch {
    text = new TextDecoder('utf-8', {ignoreBOM: true}).decode(bytes)
    const index = text.indexOf('\uFFFD')
    const at = pointAt(text, Math.max(0, index))
    file.message('Unexpected invalid UTF-8, expected the file to be saved as UTF-8', {place: at, ruleId: 'encoding', source: 'reader'})
  }
  if (text.charCodeAt(0) === 0xfeff) {
    file.message('Unexpected byte-order mark at the start of the file, expected UTF-8 without a BOM: save it again without one', {
      place: {line: 1, column: 1},
      ruleId: 'encoding-bom',
      source: 'reader'
    })
    text = text.slice(1)
  }
  const nul = text.indexOf('\0')
  if (nul !== -1) {
    file.message('Unexpected NUL byte, expected text', {place: pointAt(text, nul), ruleId: 'encoding-nul', source: 'reader'})
    text = text.replace(/\0/g, '')
  }
  const crlf = text.indexOf('\r')
  if (crlf !== -1) {
    file.message('Unexpected CR line ends (Windows), expected LF: set your editor to Unix line ends', {
      place: pointAt(text, crlf),
      ruleId: 'encoding-crlf',
      source: 'reader'
    })
    text = text.replace(/\r\n?/g, '\n')
  }
  file.value = text
  return file
}

/** 1-based line and column of a string offset. */
export function pointAt(text: string, offset: number): {line: number; column: number} {
  let line = 1
  let last = -1
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++
    last = i
  }
  return {line, column: offset - last}
}

/** What the manuscript’s files may add up to; each read takes its share (scripts/manuscript/paths.ts). */
export interface Budget {
  fileBytes: number
  bookBytes: number
  used: number
}

export function newBudget(): Budget {
  return {...sizeLimits(), used: 0}
}

export type Refusal = {reason: string; ruleId: string}

/**
 * Read the file `rel` names inside `root` (the manuscript folder, or its `sources/`), as text.
 * `shown` is how messages name it (`texts/a.md`), `where` what named it (`listed under \`texts\``).
 * A path that leads outside, anything but a regular file, or a file over the size limits is
 * refused with a reason that names the path as written and nothing of what it leads to.
 */
export function readInside(
  root: string,
  rel: string,
  where: string,
  budget: Budget = newBudget(),
  folder = 'the manuscript folder'
): {file: VFile} | {refusal: Refusal} {
  const resolved = resolveInside(root, rel)
  if (!resolved.ok) {
    if (resolved.problem === 'missing') return {refusal: {reason: `Missing file \`${rel}\` ${where}`, ruleId: 'book-parts'}}
    return {
      refusal: {
        reason:
          resolved.problem === 'loop'
            ? `Unexpected path \`${rel}\` ${where}: its links go round in a loop, expected a file inside ${folder}`
            : `Unexpected path \`${rel}\` ${where}, expected a file inside ${folder}: this one leads out of it (by \`..\`, an absolute path or a link)`,
        ruleId: 'path-outside'
      }
    }
  }
  const read = readRegular(resolved.path, Math.min(budget.fileBytes, budget.bookBytes - budget.used))
  if (!read.ok) {
    if (read.problem === 'kind') return {refusal: {reason: `Unexpected \`${rel}\` ${where}: it is ${read.kind}, expected a text file`, ruleId: 'file-kind'}}
    if (read.problem === 'unreadable') return {refusal: {reason: `Unreadable file \`${rel}\` ${where} (${read.code}): check its permissions`, ruleId: 'file-unreadable'}}
    if (read.size > budget.fileBytes) {
      return {
        refusal: {
          reason: `Unexpected size of \`${rel}\` ${where}: ${megabytes(read.size)}, expected at most ${megabytes(budget.fileBytes)} a file (set READER_MAX_FILE_MB to raise the limit)`,
          ruleId: 'file-too-large'
        }
      }
    }
    return {
      refusal: {
        reason: `Unexpected size of the book at \`${rel}\` ${where}: its files come to more than ${megabytes(budget.bookBytes)} (set READER_MAX_BOOK_MB to raise the limit)`,
        ruleId: 'book-too-large'
      }
    }
  }
  budget.used += read.bytes.length
  const cwd = process.cwd()
  return {file: decodeText(read.bytes, path.relative(cwd, path.join(root, rel)) || rel, cwd)}
}

/**
 * A file the manuscript may have under a fixed name (index.yaml, works.yaml): undefined when it has
 * none; when it cannot be read as one (a link out of the folder, a FIFO, too large), a file holding
 * that error at 1:1 and no text.
 */
export function readOptional(root: string, name: string, budget?: Budget): VFile | undefined {
  const read = readInside(root, name, 'in the manuscript folder', budget)
  if ('file' in read) return read.file
  if (read.refusal.ruleId === 'book-parts') return undefined
  const cwd = process.cwd()
  const file = new VFile({path: path.relative(cwd, path.join(root, name)) || name, cwd, value: ''})
  file.message(read.refusal.reason, {place: {line: 1, column: 1}, ruleId: read.refusal.ruleId, source: 'reader'})
  return file
}
