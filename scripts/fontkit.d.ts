/** The part of fontkit (a font engine: reads TrueType, OpenType, WOFF and WOFF2) this project calls. */
declare module 'fontkit' {
  export interface Font {
    familyName: string
    postscriptName: string
    /** The code points the font’s cmap maps to a glyph. */
    characterSet: number[]
    hasGlyphForCodePoint(codePoint: number): boolean
    glyphForCodePoint(codePoint: number): {advanceWidth: number}
    /** The glyphs that set `text` with the OpenType features named (`smcp`, `c2sc`…). */
    layout(text: string, features?: string[]): {glyphs: Array<{id: number}>}
  }
  export function openSync(path: string): Font
  export function create(data: Buffer): Font
}
