/** The part of fontkit (a font engine: reads TrueType, OpenType, WOFF and WOFF2) this project calls. */
declare module 'fontkit' {
  export interface Font {
    familyName: string
    postscriptName: string
    /** The code points the font’s cmap maps to a glyph. */
    characterSet: number[]
    hasGlyphForCodePoint(codePoint: number): boolean
    glyphForCodePoint(codePoint: number): {advanceWidth: number}
  }
  export function openSync(path: string): Font
  export function create(data: Buffer): Font
}
