/** The code face of templates/fonts.yaml: a monospace OFL face installed from npm, whose glyphs are checked. */
import {describe, expect, it} from 'vitest'
import * as fontkit from 'fontkit'
import {bookFace, faceProperties, faces, missingCharacters, withFamilies} from '../../scripts/fonts.ts'

const face = bookFace()

describe('the code face', () => {
  it('is Source Code Pro, monospaced, with a roman, an italic and a semibold', () => {
    expect(face.code?.family).toBe('Source Code Pro')
    expect(faces(face).map((f) => f.family)).toEqual(['Source Serif 4', 'Source Code Pro'])
    expect(face.code!.files.map((f) => `${f.weight} ${f.style}`)).toEqual(['400 normal', '400 italic', '600 normal'])
    const font = fontkit.openSync(face.code!.files[0].truetype!.path)
    const widths = [...'il0Wm{}'].map((c) => font.glyphForCodePoint(c.codePointAt(0)!).advanceWidth)
    expect(new Set(widths).size).toBe(1)
  })

  it('has the characters of code, and says which it lacks', () => {
    expect(missingCharacters('fn main() { let x = &mut 5; println!("{}", x); } // ‘quotes’ — “and” ½ é ß', face.code!)).toEqual([])
    expect(missingCharacters('let s = "中文"; // ‖ ⟨x⟩', face.code!)).toEqual(['中', '文', '⟨', '⟩'])
  })

  it('is named in CSS as --code-face, written out for readers without custom properties', () => {
    expect(faceProperties(face)).toBe(":root { --book-face: 'Source Serif 4'; --code-face: 'Source Code Pro'; }")
    expect(withFamilies('pre { font-family: var(--code-face), monospace; }', face)).toBe("pre { font-family: 'Source Code Pro', monospace; }")
    // A book face with no code face sets code in the book face.
    expect(withFamilies('pre { font-family: var(--code-face); }', {...face, code: undefined})).toBe("pre { font-family: 'Source Serif 4'; }")
  })
})
