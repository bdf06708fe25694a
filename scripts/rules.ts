/**
 * The rule registry: every diagnostic reader raises, by rule id, with its default severity, what it
 * reports, and whether book.yaml’s `rules:` may change it.
 *
 * To add a rule, add one line below — `check(…)` for a rule an editor may set to `error`, `warning`
 * or `off` (and accept once with `<!-- reader-accept rule-id: why -->`), `fixed(…)` for one that
 * cannot be relaxed (the outputs would be wrong or could not be made) — then regenerate the README’s
 * tables: `UPDATE=1 npx vitest run tests/checks/registry.test.ts` (that test fails while a rule id
 * raised in scripts/ is missing here, or the README differs from this file).
 *
 * Pure data: the schema, the check runners, the message control (scripts/checks/control.ts) and
 * the README read it; it imports nothing.
 */
export type Severity = 'error' | 'warning' | 'info'

export interface RuleInfo {
  severity: Severity
  /** What it reports (the README’s “what it reports” column). */
  what: string
  /** A message it gives, as the README shows it. */
  example?: string
  /** True when neither `rules:` nor an accept comment can change it. */
  fixed?: true
}

/** A rule `rules:` can set and an accept comment can accept. */
const check = (severity: Severity, what: string, example?: string): RuleInfo => ({severity, what, example})
/** A rule that cannot be relaxed. */
const fixed = (severity: Severity, what: string, example?: string): RuleInfo => ({severity, what, example, fixed: true})

export const registry = {
  // --- the manuscript: files, book.yaml, front matter (scripts/manuscript/) ---
  'manuscript-missing': fixed('error', 'the manuscript folder, or its book.yaml, does not exist', 'Not a manuscript folder: drafts has no book.yaml'),
  encoding: fixed('error', 'a file that is not valid UTF-8', 'Unexpected invalid UTF-8, expected the file to be saved as UTF-8'),
  'encoding-nul': fixed('error', 'a NUL byte in a text file (a binary file, or a broken save)', 'Unexpected NUL byte, expected text'),
  'encoding-bom': check('error', 'a byte-order mark at the start of a file (it is left out when relaxed)', 'Unexpected byte-order mark at the start of the file, expected UTF-8 without a BOM'),
  'encoding-crlf': check('error', 'Windows line ends (read as Unix ones when relaxed)', 'Unexpected CR line ends (Windows), expected LF'),
  'path-outside': fixed('error', 'a listed file or copy-text whose path leads out of its folder (`..`, an absolute path, a link), or whose links loop'),
  'file-kind': fixed('error', 'a listed file or copy-text that is not a regular file (a folder, a FIFO, a device)'),
  'file-unreadable': fixed('error', 'a listed file or copy-text that cannot be read (permissions)'),
  'file-too-large': fixed('error', 'a file larger than `READER_MAX_FILE_MB`'),
  'book-too-large': fixed('error', 'a book whose files come to more than `READER_MAX_BOOK_MB`'),
  'paragraph-too-long': fixed('error', 'a paragraph too long to be prose (pasted data): the file is not parsed', 'Unexpected paragraph of 250,000 characters, expected at most 200,000'),
  'nesting-too-deep': fixed('error', 'quotations, lists or brackets (links, directives) nested deeper than any book needs: the file is not parsed', 'Unexpected block quotations nested 17 deep, expected at most 16'),
  'yaml-syntax': fixed('error', 'YAML that does not parse (book.yaml, front matter, works.yaml, index.yaml)', 'Invalid YAML in book.yaml: …'),
  'yaml-aliases': fixed('error', 'YAML aliases that repeat more values than any book needs (an alias bomb)'),
  'book-schema': fixed('error', 'a missing key, a wrong type, an unknown key in book.yaml (an unknown rule under `rules:` too)', 'Missing key `language`, expected string'),
  'book-parts': fixed('error', 'a listed file that does not exist, a file listed twice, a text not listed', 'Missing file `texts/x.md` listed under `texts`'),
  'book-incomplete': check('warning', 'a value the book needs but does not have (editor, ISBN)', 'Missing value for `editor`'),
  'labels-language': check('warning', 'a book not in English that leaves some generated words in English (`labels:` in book.yaml)', 'Unexpected English words in a book in `fr`: 28 generated labels (…) not given under `labels`'),
  'front-matter': fixed('error', 'a text or editorial file with no front matter, or front matter never closed', 'Missing front matter: expected YAML between `---` lines at the top of the file'),
  'front-matter-schema': fixed('error', 'a missing key or a wrong type in a text’s front matter', 'Missing key `copytext`, expected string'),
  'copytext-missing': fixed('error', 'a text whose `copytext` is not in `sources/`', 'Missing copy-text `sources/x.txt` named by `copytext`'),
  'text-empty': fixed('error', 'a text with no transcription', 'Unexpected empty text, expected the transcription of `sources/x.txt`'),
  'works-schema': fixed('error', 'a missing key or a wrong type in works.yaml', 'Missing key `works.0.title`, expected string'),
  'index-schema': fixed('error', 'a missing key or a wrong type in index.yaml', 'Missing key `entries.0.term`, expected string'),

  // --- the text against its copy-text, and the critical markup (scripts/collation/, scripts/critical/) ---
  collation: check('error', 'a difference from the copy-text that is neither typographic normalisation nor recorded', 'Silent change: ‘books’ where the copy-text reads ‘Business Relationships’'),
  'collation-removal': check('error', 'a recorded removal whose text is not in the copy-text', 'Unexpected removal: ‘Skip to contents’ does not occur in the copy-text'),
  'collation-title-source': check('error', '`title_source: editor` (the headnote says the copy-text has no title) for a title the copy-text opens with, in another case', 'Unexpected `title_source: editor` for a title the copy-text has in another case, expected `title_source: copy-text`'),
  'collation-correction': check('error', 'a correction whose `was` is not a reading of the copy-text', 'Unexpected correction: the copy-text never reads ‘Bussiness’'),
  'critical-markup': check('error', 'an unknown or malformed directive (left as plain text when relaxed)', 'Missing `was` on `:corr`'),

  // --- one text at a time (scripts/checks/, one file per rule) ---
  'note-reference-defined': check('error', 'a note reference with no note', 'Unexpected note reference `[^4]` with no note'),
  'note-definition-used': check('error', 'a note never referenced, or referenced twice', 'Unexpected note `[^7]` that is never referenced'),
  'note-definition-unique': check('error', 'a note defined twice (`[^x]:` twice: only the first would print)', 'Unexpected second definition of note `[^x]`, expected each note defined once (only the first would print)'),
  'note-empty': check('error', 'a note with no text', 'Unexpected empty note `[^3]`'),
  'note-numbering': check('error', 'the copy-text’s note numbers (the labels as transcribed) skip or repeat: a lost note', 'Unexpected note number `[^5]` after `[^3]`, expected `[^4]`'),
  'note-ibid': check('error', 'an `Ibid.` first, or after a note citing no work or several; an `op. cit.` with no earlier full citation', 'Unexpected `Ibid.` after a note citing 2 works'),
  'page-reference-format': check('error', 'page references not in one format within a text (`p.`/`pp.`, full stop, space)', 'Unexpected page reference `p 321`, expected `p. 321`'),
  'no-unbalanced-quotes': check('error', 'a quotation mark never closed (a quotation running on, at any depth, must be reopened in the next paragraph or verse line), a closing mark with no opening one, crossed quotations; where a straight quote is at fault, it says the normaliser could not tell', 'Unexpected unclosed `‘`: could not tell whether the straight `\'` (read as `‘`) opens or closes a quotation: type the curly mark…'),
  'quote-direction': check('error', 'a curly mark turned the wrong way', 'Unexpected opening mark used as an apostrophe `‘`, expected `’`'),
  'no-straight-quotes': check('warning', 'a straight quote normalisation leaves: in raw HTML, or where its direction is ambiguous (code is code: not reported)', 'Unexpected straight quote `"`: could not tell whether it opens or closes a quotation, expected the curly mark typed (`“` or `”`)'),
  'no-repeated-words': check('error', 'the same word twice in a row; “bye bye”, “there there” are not reported, grammatical doubles (“had had”, “that that”, “is is”) only as a warning', 'Unexpected repeated word `in`, expected `in` once'),
  'no-doubled-punctuation': check('error', '`,,`, `;;`, or `..` that is not an ellipsis; runs of five dots or more (four after `!` or `?`) and of four hyphens or more, which normalisation leaves as typed', 'Unexpected run of 5 dots `.....`, expected an ellipsis `…` (or a full stop and an ellipsis, `.…`)'),
  'no-space-before-punctuation': check('error', 'a space before `,` `.` `;` `)` `]`', 'Unexpected space before `,`'),
  normalise: check('warning', 'a normaliser that failed on a file (the file is left as written)', 'Unexpected failure in normalisation, expected it to pass: …'),

  // --- across the texts (scripts/cross-text/) ---
  'citation-registry': check('error', 'a citation whose title, translator or date contradicts `manuscript/works.yaml` (a date the editor annotated with `:ednote` in the same note is left to the note)', 'Unexpected translator `James Brooks`, expected `James Brook`'),
  'citation-title-variant': check('warning', 'the same work under two English titles in different texts, with no editor’s note where the other title is used', 'Unexpected title `What Every Revolutionary Should Know About Repression` for the work texts/encyclopedia-victor-serge.md calls …'),
  'quotation-variant': check('error', 'a quoted passage that also occurs in another text with different wording, shown as a word diff', 'Unexpected variant of a passage also in texts/weissman-serge-legacy.md:…: enhances human [-dignity-] {+worth+} and improves'),
  'editorial-claims': check('error', 'a statement of the editorial matter about the edition that the edition contradicts: a Textual Notes example (inline code) not keyed as built or recording no reading (after the PDF, a warning when its page is not the printed one), a work of the bibliography missing from `works.yaml`, an index `see` to no entry or `see also` to an entry no text names with it', 'Unexpected Textual Notes key `23` in `23 books] Business Relationships copy-text`, expected page and line as they are built (`23.8`)…'),
  'index-entry-unmatched': check('error', 'an index entry whose words occur in no text', 'Unexpected index entry `Lenin, V. I.` that matches nothing in the texts'),
  'unused-accept': check('warning', 'an accept comment that accepts nothing, has no reason, or names a rule that is unknown or cannot be accepted', 'Unexpected accept comment for `no-repeated-words` that accepts nothing here'),

  // --- the PDF’s preflight (scripts/print/preflight.ts) ---
  'preflight-book': fixed('error', '`reader preflight`: a book.yaml it cannot read or that does not validate'),
  'preflight-unreadable': fixed('error', 'a PDF that cannot be read'),
  'typeset-report-input': fixed('error', 'a PDF given to `reader typeset-report` without the pagination its build writes beside it (`<slug>.pages.json`)'),
  'preflight-tool-missing': fixed('error', 'Poppler’s tools are not installed', 'Cannot run pdffonts (install poppler-utils)'),
  'preflight-foreign-font': fixed('error', 'a font other than the book face (or the code face) in the PDF'),
  'preflight-font-not-embedded': fixed('error', 'a font not embedded in the PDF'),
  'preflight-font-not-subset': check('warning', 'a font embedded whole rather than subset'),
  'preflight-trim-size': fixed('error', 'a page whose trim box is not the book’s trim'),
  'preflight-odd-pages': fixed('error', 'an odd page count'),
  'preflight-page-count': fixed('error', 'a page count other than the pagination’s'),
  'preflight-missing-text': fixed('error', 'a passage of the reader HTML missing from the PDF’s text'),
  'preflight-missing-note': fixed('error', 'a note missing from the PDF’s text'),
  'preflight-soft-hyphen': fixed('error', 'soft hyphens in the PDF’s text layer (search and copy would not find the words)'),
  'preflight-text': fixed('error', 'the PDF’s text differs from the reader HTML, word by word (lost or repeated text)'),
  'preflight-page-number': fixed('error', 'a contents or index entry that does not show its page'),
  'preflight-outside-safe-area': check('warning', 'text outside the safe area of the page'),

  // --- the print cover (scripts/cover/) ---
  'cover-barcode': check('warning', 'a cover with no bar code (no `identifiers.isbn_print`), an ISBN or price the bar code cannot carry'),
  'cover-spine': check('warning', 'a blank spine: the book has fewer pages than the printer profile allows spine text from'),
  'preflight-cover-size': fixed('error', 'a cover whose size is not trim × 2 + spine + bleed'),
  'preflight-cover-spine': fixed('error', 'a cover whose spine is not the width the page count and paper give'),
  'preflight-cover-fonts': fixed('error', 'a font on the cover other than the book face, or not embedded'),
  'preflight-cover-tool-missing': fixed('error', 'Poppler’s tools are not installed (the cover’s preflight)'),
  'preflight-cover-colour': fixed('error', 'RGB on a cover the printer profile wants in CMYK'),
  'preflight-cover-barcode': fixed('error', 'a cover bar code that does not read back as the ISBN and price'),

  // --- the EPUB (scripts/epub/) ---
  'epub-element-removed': check('warning', 'an element of the reader HTML the EPUB cannot carry, left out'),
  'epub-part-id': check('warning', 'a part without an id in the reader HTML, left out of the EPUB'),
  'epub-image-refused': check('warning', 'an image that is not a file of the book, left out of the EPUB'),
  'epub-duplicate-id': check('warning', 'an id used twice in the reader HTML'),
  'epub-link-target': check('warning', 'a link to an id the reader HTML does not have, left as text'),
  'epub-link-scheme': check('warning', 'a link that is not a fragment, http(s) or mailto, left as text'),
  'epub-page-block-missing': check('warning', 'a page start in a block the reader HTML does not have'),
  'epub-no-body': fixed('error', 'a reader HTML with no body'),
  'epub-assemble': fixed('error', 'epub-gen-memory failed to assemble the EPUB'),
  'language-unmarked': check('warning', 'a title in italics in the editorial or generated matter that reads as another language and has none marked (`:fr[…]`, `original.language` in works.yaml, `lang` in index.yaml)', 'Unexpected title `La Tourmente` in another language with no language marked'),
  'epub-glyph-missing': check('warning', 'a character of the EPUB’s text the face it is set in (the book face, or the code face for code) has no glyph for (add a substitute in templates/fonts.yaml)'),
  'epub-reading': fixed('error', 'the review could not follow the EPUB as a reader does (a note reference, a link) for its screenshots'),

  // --- the design, the tools, the run ---
  'template-missing': fixed('error', 'a template folder that does not exist'),
  'template-syntax': fixed('error', 'a template that does not compile'),
  'font-missing': fixed('error', 'the font manifest, its package or one of its files is missing'),
  'font-manifest': fixed('error', 'a font manifest (`templates/fonts.yaml`) that does not validate'),
  'glyph-missing': fixed('error', 'a character the print would set that the book face has no glyph for, or a letter it sets in small capitals that the face has no small capital for (the print stops rather than take it from another font or draw shrunken capitals)', 'Unexpected `⁂` (U+2042) in #chronology (“…”): the book face Source Serif 4 has no glyph for it, expected a character it has, or a substitute in templates/fonts.yaml'),
  'font-load': fixed('error', 'an `@font-face` of the print CSS that fails to load'),
  'tool-missing': fixed('error', 'a system tool the build needs is not installed (Poppler for preflight, Ghostscript for PDF/X): reported before any work starts'),
  pdfx: fixed('error', 'a PDF/X file could not be made: the interior holds what PDF/X-1a excludes (transparency, RGB), or Ghostscript failed on the cover'),
  'browser-missing': fixed('error', 'no Chromium or Chrome found'),
  'browser-launch': fixed('error', 'a browser that will not start'),
  'render-input': fixed('error', 'a reader HTML the print step cannot read'),
  'render-crash': fixed('error', 'a browser or Paged.js that failed while paginating'),
  'render-timeout': fixed('error', 'a pagination that took longer than `READER_RENDER_TIMEOUT`'),
  'render-aborted': fixed('error', 'a pagination cancelled'),
  'epubcheck-missing': fixed('error', 'EPUBCheck or Java not found'),
  'epubcheck-failed': fixed('error', 'EPUBCheck gave no report, stopped or timed out'),
  'ace-missing': fixed('error', 'DAISY Ace not installed (`--review`)'),
  'ace-failed': fixed('error', 'DAISY Ace failed on the EPUB (`--review`)'),
  'contact-sheet': fixed('error', 'the contact sheet of the PDF could not be rendered (`--review`)'),
  'diff-input': fixed('error', 'an edition to compare that is not a revision, manuscript or build folder'),
  'build-mixed': fixed('error', 'a build folder whose files do not all come from one build (an interrupted or concurrent build), given to `reader diff`'),
  'build-locked': fixed('error', 'another build writing to the same output folder'),
  'output-unwritable': fixed('error', 'an output folder that cannot be written (read-only, no permission, a file in the way)'),
  'diff-build': fixed('error', 'an edition to compare that does not build'),
  'diff-pdftotext': fixed('error', 'the text of an edition’s PDF could not be read'),
  'import-markdown': fixed('info', '`reader import`: a Markdown copy-text, kept as it is'),
  'import-html': fixed('info', '`reader import`: an HTML copy-text, read as its markup says (headings, paragraphs, quotations, verse lines, lists), its notes paired'),
  'import-works': fixed('info', '`reader import`: a list of works it recognised'),
  'import-preformatted': fixed('info', '`reader import`: preformatted text (a table or diagram) kept as it is'),
  'import-verse': fixed('info', '`reader import`: verse it kept line by line'),
  'import-quotation': fixed('info', '`reader import`: a block quotation it guessed from the indentation'),
  'import-hyphen': fixed('info', '`reader import`: a line-end hyphen it joined'),
  'import-heading': fixed('info', '`reader import`: a line it took for a heading'),
  'import-note-list': fixed('info', '`reader import`: the note list it found'),
  'import-note-no-marker': fixed('warning', '`reader import`: a note with no marker in the text'),
  'import-marker-no-note': fixed('warning', '`reader import`: a note marker with no note'),
  'import-marker-duplicate': fixed('info', '`reader import`: a second marker for the same note'),
  'import-marker-spaced': fixed('info', '`reader import`: a marker after a space it took for a note marker'),
  usage: fixed('error', 'a command line the command does not understand (exit code 2)'),
  interrupted: fixed('error', 'Ctrl-C or SIGTERM: the run stopped and cleaned up (exit code 130)'),
  internal: fixed('error', 'a bug in reader (`READER_DEBUG=1` prints the stack)')
} satisfies Record<string, RuleInfo>

export type RuleId = keyof typeof registry

function isRuleId(id: string): id is RuleId {
  return Object.hasOwn(registry, id)
}

/** A rule’s registry entry, or undefined for an id that is not registered. */
export function ruleInfo(id: string | null | undefined): RuleInfo | undefined {
  return id && isRuleId(id) ? registry[id] : undefined
}
