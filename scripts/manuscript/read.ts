/**
 * Reading a manuscript file into a vfile, with the checks a text file needs before anyone parses it:
 * valid UTF-8, no byte-order mark, no NUL bytes, Unix line ends.
 */
import {readFileSync} from 'node:fs'
import {VFile} from 'vfile'

const decoder = new TextDecoder('utf-8', {fatal: true, ignoreBOM: true})

/**
 * Read `absolute` as text. Problems are reported on the returned file; the value is always a string
 * (invalid bytes replaced) so later stages can go on reporting.
 */
export function readText(absolute: string, shownPath: string, cwd: string): VFile {
  const file = new VFile({path: shownPath, cwd})
  const bytes = readFileSync(absolute)
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
