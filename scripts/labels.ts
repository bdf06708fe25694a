/**
 * The words the pipeline writes itself: the headings of the parts it generates, the phrases of the
 * title and copyright pages, the headnotes and the apparatus, and the e-book’s navigation labels.
 * English by default; a book in another language gives its own under `labels:` in book.yaml (any
 * subset: the others stay English, and the build says which). `{name}` marks where a value goes;
 * a label keeps the placeholders of its English form.
 */
import {z} from 'zod'

export const englishLabels = {
  // The generated parts.
  contents: 'Contents',
  copyright: 'Copyright',
  title_page: 'Title Page',
  textual_notes: 'Textual Notes',
  textual_notes_intro:
    'Each entry gives the place in this edition (page and line in print, or page and note for a reading in a footnote; a link in the e-book), the edition’s reading, a closing bracket, and the reading of the copy-text.',
  index: 'Index',
  cover: 'Cover',
  texts_by: 'Texts by {authors}',
  // The title and copyright pages ({ordinal} is an English word: other languages use {number}).
  edited_by: 'Edited by {editor}',
  edition: '{ordinal} edition',
  printing: 'printing {printing}',
  printing_history: 'Printing history:',
  isbn_print: 'ISBN {isbn} (print)',
  isbn_epub: 'ISBN {isbn} (EPUB)',
  licensed: 'licensed',
  // Text openings and the list of sources.
  by: 'by {author}',
  anonymous: 'Anonymous',
  first_published_in: 'First published in {in}',
  first_published_on: 'First published {date}',
  untitled: 'The copy-text has no title; the title is the editor’s.',
  omitted: 'Omitted from the copy-text: {what}.',
  place_not_stated: 'Place of first publication not stated in the copy-text',
  rights_not_stated: 'Rights not stated in the copy-text.',
  // Notes.
  notes: 'Notes',
  back_to_note: 'Back to the reference of note {n}',
  editors_notes: 'Editor’s notes',
  editor_abbreviation: 'Ed.',
  back_to_editors_note: 'Back to the editor’s note {mark}',
  // What the editor knows from outside the texts, and where from (`source="…"` on :ednote, :corr, …).
  source: 'Source: {source}.',
  supplied_by_editor: 'In square brackets, what the copy-text does not state: {source}',
  // Textual notes: a reading in a footnote is keyed `24 n. 2`; then the copy-text’s reading.
  note_abbreviation: 'n.',
  copy_text: 'copy-text',
  not_in_copy_text: 'not in copy-text',
  supplied: 'not in copy-text; supplied by the editor',
  sic_kept: 'copy-text, kept',
  omission: 'om.',
  // The index.
  see: 'see',
  see_also: 'See also',
  // E-book navigation.
  landmarks: 'Landmarks',
  pages: 'Pages'
}

export type LabelKey = keyof typeof englishLabels
export type Labels = Record<LabelKey, string>

/** The placeholders of a label, sorted: `{editor}` → `editor`. */
function placeholders(label: string): string[] {
  return [...label.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
}

/** Placeholders a label may use instead of its English form’s: an edition’s number, not an English word. */
const alternatives: Partial<Record<LabelKey, string[][]>> = {edition: [['number']]}

/** book.yaml’s `labels`: any of the English labels, each with the same placeholders. */
export const labelsSchema = z
  .object(
    Object.fromEntries(
      Object.entries(englishLabels).map(([key, english]) => {
        const accepted = [placeholders(english), ...(alternatives[key as LabelKey] ?? [])]
        const shown = accepted.map((set) => (set.length ? set.map((p) => `{${p}}`).join(' and ') : 'no placeholder')).join(' or ')
        return [
          key,
          z
            .string()
            .min(1)
            .refine((label) => accepted.some((set) => placeholders(label).join() === set.join()), `expected ${shown}, as in “${english}”`)
            .optional()
        ]
      })
    ) as Record<LabelKey, z.ZodOptional<z.ZodString>>
  )
  .strict()
  .default({})
  .describe('the generated words, for a book not in English')

/** The labels a book prints: its own over the English ones. */
export function labelsOf(book: {labels?: Partial<Labels>}): Labels {
  const own = Object.fromEntries(Object.entries(book.labels ?? {}).filter(([, value]) => value !== undefined))
  return {...englishLabels, ...own}
}

/** The labels a book in another language leaves in English. */
export function englishLeft(book: {language: string; labels?: Partial<Labels>}): LabelKey[] {
  if (isEnglish(book.language)) return []
  return (Object.keys(englishLabels) as LabelKey[]).filter((key) => !book.labels?.[key])
}

export function isEnglish(language: string): boolean {
  return /^en(-|$)/i.test(language)
}

/** A label with its placeholders filled: `say(labels.edited_by, {editor: 'J. Doe'})`. */
export function say(label: string, values: Record<string, string | number> = {}): string {
  return label.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole))
}

/**
 * A label as mixed content: each placeholder’s value may be a node (a title in italics, say).
 * Returns the pieces in order, strings for the label’s own words.
 */
export function sayWith<T>(label: string, values: Record<string, T | string>): Array<T | string> {
  const out: Array<T | string> = []
  let last = 0
  for (const match of label.matchAll(/\{(\w+)\}/g)) {
    if (!(match[1] in values)) continue
    if (match.index > last) out.push(label.slice(last, match.index))
    out.push(values[match[1]])
    last = match.index + match[0].length
  }
  if (last < label.length) out.push(label.slice(last))
  return out
}

const ordinalWords = ['First', 'Second', 'Third', 'Fourth', 'Fifth', 'Sixth', 'Seventh', 'Eighth', 'Ninth', 'Tenth']
const ordinalSuffixes: Record<string, string> = {one: 'st', two: 'nd', few: 'rd', other: 'th'}

/** An edition’s number as an English ordinal: First … Tenth, then 11th, 21st, 22nd… */
export function englishOrdinal(n: number): string {
  return ordinalWords[n - 1] ?? `${n}${ordinalSuffixes[new Intl.PluralRules('en', {type: 'ordinal'}).select(n)]}`
}

/**
 * A date (YYYY, YYYY-MM or YYYY-MM-DD) as the book’s language writes it: `3 November 2026` in
 * English (day, month, year, as British usage and this house have it; en-US gives `November 3,
 * 2026`), `3 novembre 2026` in French. Anything else is left as it is.
 */
export function formatDate(iso: string, language = 'en'): string {
  // An interval (ISO 8601 `2008-09/2008-10`, a bimonthly issue): `September–October 2008`.
  const interval = /^(\d{4})-(\d{2})\/(\d{4})-(\d{2})$/.exec(iso)
  if (interval) {
    const [, fromYear, fromMonth, toYear, toMonth] = interval
    const from = formatDate(`${fromYear}-${fromMonth}`, language)
    const to = formatDate(`${toYear}-${toMonth}`, language)
    if (from === `${fromYear}-${fromMonth}` || to === `${toYear}-${toMonth}`) return iso
    if (fromYear !== toYear) return `${from}–${to}`
    const month = (text: string) => text.replace(fromYear, '').trim()
    return to.startsWith(month(to)) ? `${month(from)}–${to}` : `${from}–${to}`
  }
  const match = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(iso)
  if (!match) return iso
  const [, year, month, day] = match
  if (!month) return year
  if (Number(month) < 1 || Number(month) > 12 || (day && (Number(day) < 1 || Number(day) > 31))) return iso
  const locale = /^en$/i.test(language) ? 'en-GB' : language
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day || 1)))
  if (Number.isNaN(date.getTime())) return iso
  try {
    return new Intl.DateTimeFormat(locale, {...(day ? {day: 'numeric'} : {}), month: 'long', year: 'numeric', timeZone: 'UTC'}).format(date)
  } catch {
    return new Intl.DateTimeFormat('en-GB', {...(day ? {day: 'numeric'} : {}), month: 'long', year: 'numeric', timeZone: 'UTC'}).format(date)
  }
}
