/**
 * The book face, as `templates/fonts.yaml` names it: the one place the print, the EPUB and the
 * preflight learn which font files to use and what the PDF’s fonts must be called.
 */
import {existsSync, readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import {createRequire} from 'node:module'
import {fileURLToPath} from 'node:url'
import * as fontkit from 'fontkit'
import {z} from 'zod'
import {VFile} from 'vfile'
import {parseYaml} from './manuscript/yaml.ts'
import {pointAt} from './manuscript/read.ts'
import {resolveInside} from './manuscript/paths.ts'
import {ReaderError} from './errors.ts'
import {templatesDir} from './templates.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

const filesSchema = z
  .array(z.object({weight: z.number().int(), style: z.enum(['normal', 'italic']), file: z.string().min(1), truetype: z.string().min(1).optional()}).strict())
  .min(1)

const manifestSchema = z
  .object({
    family: z.string().min(1),
    package: z.string().min(1),
    pdf_name: z.string().min(1),
    subset_in_epub: z.boolean().default(false),
    files: filesSchema,
    substitutes: z.record(z.string(), z.string()).default({}),
    /** The face of code and preformatted text: a monospace companion of the book face. */
    code: z.object({family: z.string().min(1), package: z.string().min(1), pdf_name: z.string().min(1), files: filesSchema}).strict().optional()
  })
  .strict()

export interface FontFile {
  weight: number
  style: 'normal' | 'italic'
  /** Absolute path of the font file. */
  path: string
  /** File name to use inside an output (`fonts/<name>`). */
  name: string
  /** The same face as a TrueType or OpenType file (`truetype` in the manifest), for the readers that take no WOFF2. */
  truetype?: {path: string; name: string}
}

export interface BookFace {
  family: string
  pdfName: string
  subsetInEpub: boolean
  files: FontFile[]
  substitutes: Record<string, string>
  /** The monospace face of code and preformatted text (`code:` in the manifest), when there is one. */
  code?: BookFace
}

/** Read and check the manifest (default `templates/fonts.yaml`); a font file that is missing stops the build. */
export function bookFace(manifest = path.join(templatesDir(), 'fonts.yaml')): BookFace {
  const shown = path.relative(process.cwd(), manifest) || manifest
  if (!existsSync(manifest)) throw new ReaderError(`Missing font manifest ${shown}`, {ruleId: 'font-missing', file: shown})
  const file = new VFile({path: shown, value: readFileSync(manifest, 'utf8')})
  const data = parseYaml(file, String(file.value), manifestSchema, {ruleId: 'font-manifest', what: 'the font manifest'})
  if (!data) {
    const first = file.messages[0]
    throw new ReaderError(first.reason, {ruleId: first.ruleId || 'font-manifest', file: shown, line: first.line, column: first.column})
  }
  const require = createRequire(path.join(root, 'package.json'))
  const filesOf = (pkg: string, entries: z.infer<typeof filesSchema>): FontFile[] => {
    let packageDir: string
    try {
      packageDir = path.dirname(require.resolve(`${pkg}/package.json`))
    } catch {
      throw new ReaderError(`Missing font package \`${pkg}\` named in ${shown}: run \`npm install\``, {
        ruleId: 'font-missing',
        file: shown,
        ...lineOf(String(file.value), `package: ${pkg}`)
      })
    }
    const found = (name: string) => {
      // Inside the package only: `..` or a link out of it is refused as a file it does not have.
      const resolved = resolveInside(packageDir, name)
      const full = resolved.ok ? resolved.path : ''
      if (!resolved.ok || !statSync(full).isFile()) {
        throw new ReaderError(`Missing font file \`${name}\` in the package \`${pkg}\``, {
          ruleId: 'font-missing',
          file: shown,
          ...lineOf(String(file.value), name)
        })
      }
      return full
    }
    return entries.map((entry) => ({
      weight: entry.weight,
      style: entry.style,
      path: found(entry.file),
      name: path.basename(entry.file),
      ...(entry.truetype ? {truetype: {path: found(entry.truetype), name: path.basename(entry.truetype)}} : {})
    }))
  }
  const code = data.code
    ? {family: data.code.family, pdfName: data.code.pdf_name, subsetInEpub: false, files: filesOf(data.code.package, data.code.files), substitutes: {}}
    : undefined
  return {family: data.family, pdfName: data.pdf_name, subsetInEpub: data.subset_in_epub, files: filesOf(data.package, data.files), substitutes: data.substitutes, code}
}

/** The book face and, when there is one, the code face: every font file the outputs carry. */
export function faces(face: BookFace): BookFace[] {
  return face.code ? [face, face.code] : [face]
}

/** CSS custom properties naming the faces: `--book-face` and `--code-face` (the book face when there is no code face). */
export function faceProperties(face: BookFace): string {
  return `:root { --book-face: '${face.family}'; --code-face: '${(face.code ?? face).family}'; }`
}

/** CSS with `var(--book-face)` and `var(--code-face)` written out as the family names (for readers without custom properties). */
export function withFamilies(css: string, face: BookFace): string {
  return css.replaceAll('var(--book-face)', `'${face.family}'`).replaceAll('var(--code-face)', `'${(face.code ?? face).family}'`)
}

/** Where `needle` first stands in `text` (the start when it does not). */
function lineOf(text: string, needle: string): {line: number; column: number} {
  return pointAt(text, Math.max(0, text.indexOf(needle)))
}

/**
 * `@font-face` rules for the face, with `url(<dir>/<name>)` sources (`url(<name>)` when `dir` is
 * empty); with `truetype`, each face’s TrueType file after its WOFF2, for the readers that take no WOFF2.
 */
export function fontFaceCss(face: BookFace, dir = 'fonts', options: {truetype?: boolean} = {}): string {
  const url = (name: string) => `url(${dir ? `${dir}/` : ''}${name})`
  return face.files
    .map((file) => {
      const sources = [`${url(file.name)} format('woff2')`]
      if (options.truetype && file.truetype) sources.push(`${url(file.truetype.name)} format('${/\.otf$/i.test(file.truetype.name) ? 'opentype' : 'truetype'}')`)
      return `@font-face { font-family: '${face.family}'; font-style: ${file.style}; font-weight: ${file.weight}; src: ${sources.join(', ')}; }`
    })
    .join('\n')
}

/** Code points every font of the face maps to a glyph (each file read once per process). */
const covered = new Map<string, Set<number>>()
const opened = new Map<string, fontkit.Font>()

function fontOf(file: string): fontkit.Font {
  let font = opened.get(file)
  if (!font) {
    font = fontkit.openSync(file)
    opened.set(file, font)
  }
  return font
}

function characterSet(file: string): Set<number> {
  let set = covered.get(file)
  if (!set) {
    set = new Set(fontOf(file).characterSet)
    covered.set(file, set)
  }
  return set
}

/** Whether a letter has a small capital in a font: its `smcp` (a lower-case letter) or `c2sc` (a capital) gives another glyph. */
const smallCapitals = new Map<string, boolean>()

function hasSmallCapital(file: string, letter: string): boolean {
  const key = `${file}\0${letter}`
  let has = smallCapitals.get(key)
  if (has === undefined) {
    const font = fontOf(file)
    const plain = font.layout(letter).glyphs.map((glyph) => glyph.id).join()
    has = font.layout(letter, ['smcp', 'c2sc']).glyphs.map((glyph) => glyph.id).join() !== plain
    smallCapitals.set(key, has)
  }
  return has
}

/**
 * The letters of `text` (with case) that an upright font of the face cannot set as small capitals (the italic
 * of most faces has none: the stylesheets set italics inside small capitals in their own letters).
 * Chromium and reading systems would otherwise draw shrunken capitals of their own, each once.
 */
export function missingSmallCaps(text: string, face: BookFace): string[] {
  const upright = face.files.filter((file) => file.style === 'normal').map((file) => file.truetype?.path ?? file.path)
  const missing = new Set<string>()
  for (const char of new Set(text)) {
    // Letters with case only: a modifier letter (ʿ, ʰ) or a letter of a script without case is set as it is.
    if (!/^\p{L}$/u.test(char) || char.toLowerCase() === char.toUpperCase() || missing.has(char)) continue
    if (upright.some((file) => characterSet(file).has(char.codePointAt(0)!) && !hasSmallCapital(file, char))) missing.add(char)
  }
  return [...missing]
}

/**
 * The characters of `text` that some file of the face has no glyph for (white space and
 * format characters aside: they draw nothing), each once, in the order they first occur.
 */
export function missingCharacters(text: string, face: BookFace): string[] {
  const sets = face.files.map((file) => characterSet(file.truetype?.path ?? file.path))
  const missing = new Set<string>()
  for (const char of new Set(text)) {
    if (/^[\s\p{Cf}\p{Cc}]$/u.test(char)) continue
    const code = char.codePointAt(0)!
    if (sets.some((set) => !set.has(code))) missing.add(char)
  }
  return [...missing]
}
