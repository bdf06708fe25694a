/**
 * The types the stages hand each other: the loaded manuscript going in, the reader HTML and the
 * print pagination coming out.
 */
import type {Book, TextMeta, EditorialMeta} from './manuscript/schema.ts'

export interface TextPart {
  /** Stable id of the text’s section in the reader HTML: `t-<file name without .md>`. */
  id: string
  /** Path relative to the manuscript folder, e.g. `texts/lena-remembering-victor-serge.md`. */
  file: string
  meta: TextMeta
}

export interface EditorialPart {
  id: string
  file: string
  meta: EditorialMeta
  matter: 'front' | 'back'
}

export interface BookModel {
  book: Book
  /** Absolute path of the manuscript folder. */
  manuscriptDir: string
  texts: TextPart[]
  editorial: EditorialPart[]
}

/**
 * Where a printed page begins, in terms of the reader HTML: the block element (its `data-b` number)
 * whose text the page starts in, and how many characters of that block’s text (soft hyphens not
 * counted) come before the page’s first character. `block` is null for a page with no text.
 */
export interface PageStart {
  /** 0-based index of the physical page in the PDF. */
  index: number
  /** The printed folio: `iii`, `47`; empty for an unnumbered page. */
  label: string
  block: number | null
  offset: number
  /** The page’s text area, for telling its body, footnotes and furniture apart (absent on a blank page). */
  area?: TextArea
  /**
   * What the page carries alone, a make-up fault each: the last line of a paragraph at its top
   * (`widow: <its first words>`), the first at its foot (`orphan: …`), a list’s first or last item
   * by itself (`first item: …`, `last item: …`). Absent when there is none.
   */
  alone?: string[]
}

/** [top, bottom, top of the footnotes (= bottom when none)], in points from the page’s top edge. */
export type TextArea = [number, number, number]

export interface Pagination {
  pages: number
  starts: PageStart[]
  /** The page label each id in the reader HTML landed on (headings, notes, index anchors, textual-note anchors). */
  idPages: Record<string, string>
}
