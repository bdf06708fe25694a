/**
 * The shape of `book.yaml` and of each text's front matter.
 * Every field is described; `describeIssues` turns zod's issues into located messages.
 */
import {z} from 'zod'
import {labelsSchema} from '../labels.ts'
import {registry, ruleInfo} from '../rules.ts'
import {distance} from '../cross-text/registry.ts'
import {copyTextFormats} from '../collation/copy-text.ts'
import {profileIds, profiles, type ProfileId} from '../print/profiles.ts'

const length = z
  .string()
  .regex(/^\d+(\.\d+)?(in|mm|cm|pt)$/, 'a length such as 6in, 152mm or 0.125in')

/** A length in inches (`6in`, `152mm`, `15.2cm`, `432pt`). */
function inches(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(in|mm|cm|pt)$/.exec(value)
  if (!match) return NaN
  return Number(match[1]) / {in: 1, mm: 25.4, cm: 2.54, pt: 72}[match[2] as 'in']
}

/** A length between `min` and `max` inches: a trim size a press can print, a bleed it can trim. */
const lengthWithin = (min: number, max: number, what: string) =>
  length.refine((value) => Number.isNaN(inches(value)) || (inches(value) >= min && inches(value) <= max), `${what} between ${min}in and ${max}in (${Math.round(min * 25.4)}–${Math.round(max * 25.4)} mm)`)

/** A real calendar date written YYYY-MM-DD (YAML may already have read it as a date). */
const calendarDate = z
  .union([z.date(), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')])
  .transform((d) => (typeof d === 'string' ? d : d.toISOString().slice(0, 10)))
  .refine((d) => !Number.isNaN(Date.parse(d + 'T00:00:00Z')) && new Date(d + 'T00:00:00Z').toISOString().startsWith(d), 'a real date YYYY-MM-DD (month 01–12, a day the month has)')

/** A well-formed BCP 47 language tag, as the e-book, the hyphenation and the browser read it. */
function isLanguageTag(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1
  } catch {
    return false
  }
}

const languageTag = z.string().refine(isLanguageTag, 'a BCP 47 language tag such as en, en-GB or fr-CA')

const severity = z.enum(['error', 'warning', 'off'])

export const bookSchema = z
  .object({
    slug: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and hyphens')
      .describe('file name of the outputs: build/<slug>.html, .pdf, .epub'),
    title: z.string().min(1).describe('the book’s title'),
    subtitle: z.string().default(''),
    language: languageTag,
    editor: z.string().default('').describe('the volume editor; empty when unknown (the build warns)'),
    description: z.string().default('').describe('what the book is, for the e-book’s metadata and catalogues; empty: the build warns'),
    file_as: z
      .record(z.string(), z.string())
      .default({})
      .describe('how a person’s name sorts (`Lena, Theodor`), where “Last, First” of the name as written is wrong'),
    edition: z.object({
      number: z.number().int().positive(),
      date: calendarDate,
      printing: z.number().int().positive().default(1),
      history: z
        .array(
          z.object({
            edition: z.number().int().positive(),
            printing: z.number().int().positive().default(1),
            date: calendarDate,
            note: z.string().default('')
          })
        )
        .default([])
    }),
    publisher: z.object({imprint: z.string().default(''), place: z.string().default('')}).default({imprint: '', place: ''}),
    rights: z.string().default(''),
    identifiers: z
      .object({isbn_print: z.string().default(''), isbn_epub: z.string().default('')})
      .default({isbn_print: '', isbn_epub: ''}),
    front: z.array(z.string()).default([]),
    texts: z.array(z.string()).min(1, 'at least one text'),
    back: z.array(z.string()).default([]),
    print: z
      .object({
        trim: z
          .object({width: lengthWithin(3, 14, 'a page width'), height: lengthWithin(4, 20, 'a page height')})
          .default({width: '6in', height: '9in'}),
        bleed: lengthWithin(0, 0.5, 'a bleed').default('0.125in'),
        notes: z.enum(['footnotes', 'endnotes']).default('footnotes'),
        running_heads: z
          .object({
            verso: z.enum(['author', 'title', 'book']).default('author'),
            recto: z.enum(['author', 'title', 'book']).default('title')
          })
          .default({verso: 'author', recto: 'title'}),
        back_matter_start: z
          .enum(['recto', 'any-page'])
          .default('recto')
          .describe('where each back-matter part after the first begins: recto (a blank verso when needed) or any-page (the next page, so no blanks)'),
        print_shop: z.boolean().default(false).describe('true: the generic printer profile (bleed and crop marks); prefer `profile`'),
        profile: z
          .enum(profileIds as [ProfileId, ...ProfileId[]])
          .optional()
          .describe('the printer the PDF and the cover are made for: kdp, ingramspark, lulu or generic (scripts/print/profiles.ts)'),
        paper: z.string().optional().describe('the printer’s paper, for the spine width (e.g. white or cream for kdp)')
      })
      .superRefine((print, context) => {
        const profile = print.profile ?? (print.print_shop ? 'generic' : undefined)
        if (print.paper === undefined) return
        const papers = Object.keys(profile ? profiles[profile].papers : Object.assign({}, ...Object.values(profiles).map((p) => p.papers)))
        if (!papers.includes(print.paper)) {
          context.addIssue({code: 'custom', path: ['paper'], message: `Unexpected paper \`${print.paper}\`${profile ? ` for ${profile}` : ''}, expected one of ${papers.join(', ')}`})
        }
      })
      .default({
        trim: {width: '6in', height: '9in'},
        bleed: '0.125in',
        notes: 'footnotes',
        running_heads: {verso: 'author', recto: 'title'},
        back_matter_start: 'recto',
        print_shop: false
      }),
    style: z
      .object({
        quotes: z.enum(['double-first', 'single-first']).default('double-first'),
        ellipsis: z.string().default('…'),
        page_ranges: z.enum(['full', 'elided']).default('full'),
        note_ref_after_punctuation: z.boolean().default(true),
        em_dash: z
          .enum(['spaced', 'closed', 'as-typed'])
          .default('as-typed')
          .describe('an em dash between words: `spaced` (word — word, never at the start of a line), `closed` (word—word) or `as-typed`'),
        note_numbers: z
          .enum(['renumbered', 'source'])
          .default('renumbered')
          .describe('the printed note numbers: `renumbered` 1…n in each text, or `source`, the copy-text’s own (from 20, restarting, `*`)'),
        lead_in: z
          .number()
          .int()
          .min(0)
          .max(12)
          .default(3)
          .describe('how many words open each text in small capitals (fewer when a phrase ends sooner; 0 for none; `:sc[…]` sets them by hand)')
      })
      .default({quotes: 'double-first', ellipsis: '…', page_ranges: 'full', note_ref_after_punctuation: true, em_dash: 'as-typed', note_numbers: 'renumbered', lead_in: 3}),
    cover: z
      .object({
        blurb: z.string().default('').describe('the back-cover text, in Markdown'),
        price: z.string().optional().describe('the price for the bar code’s add-on, such as `USD 18.00`')
      })
      .strict()
      .default({blurb: ''})
      .describe('the print cover (templates/cover/): title, people and imprint come from the rest of book.yaml'),
    rules: z
      .record(z.string(), severity)
      .superRefine((rules, context) => {
        for (const id of Object.keys(rules)) {
          const info = ruleInfo(id)
          if (info && !info.fixed) continue
          const message = info
            ? `Unexpected rule \`${id}\` in \`rules\`: it cannot be relaxed (see the README’s rules tables)`
            : `Unexpected rule \`${id}\` in \`rules\`, expected ${closestRule(id) ? `\`${closestRule(id)}\` or ` : ''}a rule id of the README’s rules tables`
          context.addIssue({code: 'custom', message, path: [id], params: {atKey: true}})
        }
      })
      .default({})
      .describe('rule-id: error | warning | off, for any rule the registry (scripts/rules.ts) does not fix'),
    labels: labelsSchema
  })
  .strict()

export type Book = z.infer<typeof bookSchema>

const removal = z
  .object({
    text: z.string().min(1).describe('the exact copy-text characters removed'),
    why: z.string().min(1).describe('why it is not part of the text'),
    all: z.boolean().default(false).describe('remove every occurrence, not just the first'),
    headnote: z.boolean().default(true).describe('print the `why` in the text’s headnote (“Omitted from the copy-text: …”); false for debris not worth a reader’s notice')
  })
  .strict()

/** The values of a text’s front matter the editor may supply where the copy-text is silent. */
export const suppliedFields = ['author', 'first_published.in', 'first_published.date', 'first_published.url', 'rights', 'licence_url'] as const

export const textSchema = z
  .object({
    title: z.string().min(1),
    subtitle: z.string().default(''),
    short_title: z.string().default('').describe('for running heads when the title is long'),
    title_source: z.enum(['copy-text', 'editor']).default('copy-text'),
    author: z.string().default(''),
    kind: z.string().min(1),
    first_published: z
      .object({
        in: z.string().default(''),
        date: z.union([z.string(), z.number(), z.date()]).transform((d) =>
          d instanceof Date ? d.toISOString().slice(0, 10) : String(d)
        ).default(''),
        url: z.string().default(''),
        note: z.string().default('')
      })
      .default({in: '', date: '', url: '', note: ''}),
    rights: z.string().default(''),
    licence_url: z.string().default(''),
    copytext: z.string().min(1).describe('the file in sources/ this text is transcribed from'),
    copytext_format: z
      .enum(copyTextFormats)
      .optional()
      .describe('how the copy-text is written: text, markdown or html (detected from its name and content when absent)'),
    copytext_lines: z
      .string()
      .regex(/^\d+-\d+$/, 'a line range such as 12-340')
      .optional()
      .describe('the lines of the copy-text this text transcribes, when the file holds several works'),
    contributor_note: z.string().default(''),
    language: languageTag.optional(),
    supplied: z
      .object({
        fields: z
          .array(z.enum(suppliedFields))
          .min(1)
          .describe('the values above that the copy-text does not state'),
        source: z.string().min(1).describe('how the editor knows them: the evidence, or the source outside the texts')
      })
      .strict()
      .optional()
      .describe('what the editor supplies: printed in square brackets, with `source`'),
    removed: z.array(removal).default([])
  })
  .strict()

export type TextMeta = z.infer<typeof textSchema>

export const editorialSchema = z
  .object({
    title: z.string().min(1),
    id: z.string().optional(),
    kind: z.string().default('editorial')
  })
  .strict()

export type EditorialMeta = z.infer<typeof editorialSchema>

/** Turn zod issues into one readable line each: the key path and what was expected. */
export function describeIssues(error: z.ZodError): Array<{path: Array<string | number>; message: string; atKey?: boolean}> {
  return error.issues.map((issue) => {
    const path = issue.path.filter((part): part is string | number => typeof part !== 'symbol')
    const key = path.join('.') || '(top level)'
    let message: string
    if (issue.code === 'unrecognized_keys') {
      message = `Unexpected key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => '`' + k + '`').join(', ')}${
        path.length ? ' in `' + key + '`' : ''
      }`
      return {path: [...path, issue.keys[0]], message, atKey: true}
    }
    if (issue.code === 'custom' && issue.params?.atKey) return {path, message: issue.message, atKey: true}
    if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) {
      message = `Missing key \`${key}\`, expected ${issue.expected}`
    } else {
      message = `Unexpected value for \`${key}\`: ${issue.message}`
    }
    return {path, message}
  })
}

/** The registered rule id nearest to a misspelt one (at most two edits away), for the message. */
function closestRule(id: string): string | undefined {
  let best: string | undefined
  let bestDistance = 3
  for (const candidate of Object.keys(registry)) {
    if (registry[candidate as keyof typeof registry].fixed) continue
    const d = distance(id, candidate)
    if (d < bestDistance) [best, bestDistance] = [candidate, d]
  }
  return best
}
