/**
 * manuscript/works.yaml: the registry of the works the texts cite — original title and date,
 * English title(s), translations (translators, date, publisher). Validated at load time; problems are
 * messages on the file, never thrown.
 */
import {z} from 'zod'
import type {VFile} from 'vfile'
import {readOptional} from '../manuscript/read.ts'
import {parseYaml} from '../manuscript/yaml.ts'
import {hasErrors} from '../checks/control.ts'

const year = z.union([z.number().int(), z.string().regex(/^\d{4}$/)]).transform((v) => Number(v))

const edition = z
  .object({
    title: z.string().optional().describe('the English title of this edition when it differs'),
    translators: z.array(z.string()).default([]).describe('as the edition names them'),
    date: year.optional(),
    publisher: z.string().default(''),
    place: z.string().default(''),
    note: z.string().default('')
  })
  .strict()

const work = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    title: z.string().min(1).describe('the English title the edition uses'),
    other_titles: z.array(z.string()).default([]).describe('other English titles of the same work'),
    short_titles: z.array(z.string()).default([]).describe('short forms used in notes, e.g. Memoirs'),
    original: z
      .object({
        title: z.string().default(''),
        language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]+)*$/, 'a BCP 47 language tag such as fr').optional().describe('the language of the original title (marked wherever the book prints it)'),
        date: year.optional(),
        place: z.string().default(''),
        publisher: z.string().default('')
      })
      .strict()
      .default({title: '', place: '', publisher: ''}),
    translations: z.array(edition).default([]),
    editions: z.array(edition).default([]).describe('other editions (reprints, original-language editions)'),
    note: z.string().default('')
  })
  .strict()

const worksSchema = z.object({works: z.array(work)}).strict()

export type Work = z.infer<typeof work>

export interface LoadedWorks {
  file?: VFile
  works: Work[]
}

/** Read manuscript/works.yaml, when there is one. */
export function loadWorks(manuscriptDir: string): LoadedWorks {
  const file = readOptional(manuscriptDir, 'works.yaml')
  if (!file) return {works: []}
  if (hasErrors(file)) return {file, works: []}
  const data = parseYaml(file, String(file.value), worksSchema, {ruleId: 'works-schema', what: 'works.yaml'})
  return {file, works: data?.works ?? []}
}
