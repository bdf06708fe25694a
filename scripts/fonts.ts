/**
 * The book face, as `templates/fonts.yaml` names it: the one place the print, the EPUB and the
 * preflight learn which font files to use and what the PDF’s fonts must be called.
 */
import {existsSync, readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import {createRequire} from 'node:module'
import {fileURLToPath} from 'node:url'
import {z} from 'zod'
import {VFile} from 'vfile'
import {parseYaml} from './manuscript/yaml.ts'
import {pointAt} from './manuscript/read.ts'
import {resolveInside} from './manuscript/paths.ts'
import {ReaderError} from './errors.ts'
import {templatesDir} from './templates.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

const manifestSchema = z
  .object({
    family: z.string().min(1),
    package: z.string().min(1),
    pdf_name: z.string().min(1),
    subset_in_epub: z.boolean().default(false),
    files: z
      .array(z.object({weight: z.number().int(), style: z.enum(['normal', 'italic']), file: z.string().min(1)}).strict())
      .min(1),
    substitutes: z.record(z.string(), z.string()).default({})
  })
  .strict()

export interface FontFile {
  weight: number
  style: 'normal' | 'italic'
  /** Absolute path of the font file. */
  path: string
  /** File name to use inside an output (`fonts/<name>`). */
  name: string
}

export interface BookFace {
  family: string
  pdfName: string
  subsetInEpub: boolean
  files: FontFile[]
  substitutes: Record<string, string>
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
  let packageDir: string
  try {
    packageDir = path.dirname(require.resolve(`${data.package}/package.json`))
  } catch {
    throw new ReaderError(`Missing font package \`${data.package}\` named in ${shown}: run \`npm install\``, {
      ruleId: 'font-missing',
      file: shown,
      ...lineOf(String(file.value), 'package:')
    })
  }
  const files = data.files.map((entry) => {
    // Inside the package only: `..` or a link out of it is refused as a file it does not have.
    const resolved = resolveInside(packageDir, entry.file)
    const full = resolved.ok ? resolved.path : ''
    if (!resolved.ok || !statSync(full).isFile()) {
      throw new ReaderError(`Missing font file \`${entry.file}\` in the package \`${data.package}\``, {
        ruleId: 'font-missing',
        file: shown,
        ...lineOf(String(file.value), entry.file)
      })
    }
    return {weight: entry.weight, style: entry.style, path: full, name: path.basename(entry.file)}
  })
  return {family: data.family, pdfName: data.pdf_name, subsetInEpub: data.subset_in_epub, files, substitutes: data.substitutes}
}

/** Where `needle` first stands in `text` (the start when it does not). */
function lineOf(text: string, needle: string): {line: number; column: number} {
  return pointAt(text, Math.max(0, text.indexOf(needle)))
}

/** `@font-face` rules for the face, with `url(<dir>/<name>)` sources (`url(<name>)` when `dir` is empty). */
export function fontFaceCss(face: BookFace, dir = 'fonts'): string {
  return face.files
    .map(
      (file) =>
        `@font-face { font-family: '${face.family}'; font-style: ${file.style}; font-weight: ${file.weight}; ` +
        `src: url(${dir ? `${dir}/` : ''}${file.name}) format('woff2'); }`
    )
    .join('\n')
}
