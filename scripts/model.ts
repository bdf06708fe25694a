/**
 * The types the stages hand each other: the book model of the loaded manuscript, the reader
 * document (its HTML as a tree, its parts, the model) that print, preflight, the EPUB and `reader
 * diff` read, and the print pagination coming out.
 */
import type {Root} from 'hast'
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
 * A top-level part of the reader HTML (`body > .part`, docs/reader-html.md), in reading order, as
 * `readerParts` (html/reader-parts.ts) reads it: the one place that says what is front matter, a
 * text or back matter.
 */
export interface ReaderPart {
  id: string
  matter: 'front' | 'text' | 'back'
  /** Its class names beside `part` and its matter: `half-title`, `title-page`, `copyright`, `toc`, `editorial`, `textual-notes`, `index`. */
  classes: string[]
  /** Written by the pipeline (half-title, title page, copyright page, contents, textual notes, index), not by the editor. */
  generated: boolean
  /** Its heading (`h1`), whitespace collapsed. */
  heading: string
  /** A text’s author (`data-author`), else empty. */
  author: string
  /** A text’s short title (`data-title`), else its heading. */
  shortTitle: string
  /** A text’s sections (`h2[id]`, not its notes’ heading), for the contents, the outline and the EPUB navigation. */
  sections: Array<{id: string; title: string}>
}

/** The reader HTML as a tree with its parts read: what a stage needs of it, whether made by the build or read from a file. */
export interface ReaderHtml {
  /** The whole document as hast. Stages that change it change a copy. */
  tree: Root
  /** `tree` serialised, as build/<slug>.html holds it. */
  html: string
  parts: ReaderPart[]
}

/** The reader document the build makes once (html/document.ts) and hands to print, preflight and the EPUB. */
export interface ReaderDocument extends ReaderHtml {
  model: BookModel
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
   * by itself (`first item: …`, `last item: …`), text a page could not hold shown below its foot
   * (`below the foot: …`). Absent when there is none.
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
