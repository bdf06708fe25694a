/**
 * The design folder (`templates/`, or `READER_TEMPLATES`), and a check of it before a build spends
 * anything: the font manifest must name files that exist, and every EJS template must compile. A
 * template with a syntax error is reported at its file and line, not as a stack from deep inside.
 */
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import vm from 'node:vm'
import {fileURLToPath} from 'node:url'
import ejs from 'ejs'
import {ReaderError} from './errors.ts'

const defaultDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'templates')

/** Where the design lives: `READER_TEMPLATES` if set, else the project’s `templates/`. */
export function templatesDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.READER_TEMPLATES ? path.resolve(env.READER_TEMPLATES) : defaultDir
}

/** Compile every EJS template of the EPUB design; throw a located ReaderError at the first that fails. */
export function checkTemplates(dir = templatesDir()): void {
  const epub = path.join(dir, 'epub')
  if (!existsSync(epub)) throw new ReaderError(`Missing template folder ${path.relative(process.cwd(), epub) || epub}`, {ruleId: 'template-missing'})
  for (const name of readdirSync(epub).sort()) {
    if (!/\.(ejs|html)$/.test(name)) continue
    const file = path.join(epub, name)
    const problem = compileProblem(readFileSync(file, 'utf8'))
    if (problem) {
      throw new ReaderError(`Unexpected syntax in template: ${problem.message}`, {
        ruleId: 'template-syntax',
        file: path.relative(process.cwd(), file) || file,
        line: problem.line,
        column: 1
      })
    }
  }
}

/** Why `text` does not compile as EJS, and the template line, or undefined when it does. */
function compileProblem(text: string): {message: string; line: number} | undefined {
  let source: string
  try {
    const template = new ejs.Template(text, {compileDebug: true})
    template.generateSource()
    source = template.source
  } catch (error) {
    // A tag left open and the like: EJS names no line, so the message has to do.
    return {message: (error as Error).message.split('\n')[0], line: 1}
  }
  try {
    new vm.Script(`(function () {\n${source}\n})`, {filename: 'template'})
    return undefined
  } catch (error) {
    const at = /template:(\d+)/.exec(String((error as Error).stack)) 
    const generatedLine = at ? Number(at[1]) - 1 : source.split('\n').length
    // The generated code marks each template line it comes from with `__line = N`.
    const before = source.split('\n').slice(0, generatedLine).join('\n')
    const marks = [...before.matchAll(/__line = (\d+)/g)]
    return {message: (error as Error).message, line: marks.length > 0 ? Number(marks.at(-1)![1]) : 1}
  }
}
