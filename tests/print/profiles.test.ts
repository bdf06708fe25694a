import {describe, expect, it} from 'vitest'
import {bookSchema} from '../../scripts/manuscript/schema.ts'
import {bookProfile, coverSheet, interiorSheet, profiles, requiredInside, spineTextAllowed, spineWidth} from '../../scripts/print/profiles.ts'

const trim = {width: 6, height: 9}

describe('printer profiles', () => {
  it('gives each printer’s published spine width for 74, 150 and 400 pages', () => {
    // KDP: pages × 0.002252 in (white) or × 0.0025 in (cream).
    expect(spineWidth(profiles.kdp, 74)).toBeCloseTo(74 * 0.002252, 4)
    expect(spineWidth(profiles.kdp, 150, 'cream')).toBeCloseTo(0.375, 4)
    expect(spineWidth(profiles.kdp, 400)).toBeCloseTo(0.9008, 4)
    // Lulu: pages / 444 + 0.06 in.
    expect(spineWidth(profiles.lulu, 74)).toBeCloseTo(74 / 444 + 0.06, 4)
    expect(spineWidth(profiles.lulu, 400)).toBeCloseTo(400 / 444 + 0.06, 4)
    expect(spineWidth(profiles.ingramspark, 150, 'creme')).toBeCloseTo(0.375, 4)
    expect(() => spineWidth(profiles.kdp, 100, 'newsprint')).toThrow(/Unexpected paper `newsprint`/)
  })

  it('gives the wrap cover’s sheet: trim × 2 + spine + bleed', () => {
    const sheet = coverSheet(profiles.kdp, trim, 400)
    expect(sheet.width).toBeCloseTo(12 + 0.9008 + 0.25, 4)
    expect(sheet.height).toBeCloseTo(9.25, 4)
  })

  it('gives the interior page with the bleed each printer asks', () => {
    // KDP and IngramSpark: top, bottom and outside only; Lulu: every edge; generic: every edge and room for the marks.
    expect(interiorSheet(profiles.kdp, trim)).toEqual({width: 6.125, height: 9.25})
    expect(interiorSheet(profiles.ingramspark, trim)).toEqual({width: 6.125, height: 9.25})
    expect(interiorSheet(profiles.lulu, trim)).toEqual({width: 6.25, height: 9.25})
    expect(interiorSheet(profiles.generic, trim)).toEqual({width: 6.75, height: 9.75})
    expect(profiles.kdp.cropMarks || profiles.lulu.cropMarks || profiles.ingramspark.cropMarks).toBe(false)
    expect(profiles.generic.cropMarks).toBe(true)
  })

  it('asks a wider inside margin of a thicker book', () => {
    expect(requiredInside(profiles.kdp, 74)).toBe(0.375)
    expect(requiredInside(profiles.kdp, 400)).toBe(0.625)
    expect(requiredInside(profiles.lulu, 400)).toBe(1)
    expect(spineTextAllowed(profiles.kdp, 79)).toBe(false)
    expect(spineTextAllowed(profiles.kdp, 80)).toBe(true)
  })

  it('is chosen in book.yaml, and a paper the printer lacks is refused', () => {
    const base = {slug: 'b', title: 'B', language: 'en', edition: {number: 1, date: '2026-01-01'}, texts: ['t.md']}
    const book = bookSchema.parse({...base, print: {profile: 'kdp', paper: 'cream'}})
    expect(bookProfile(book.print)?.id).toBe('kdp')
    expect(bookProfile(bookSchema.parse({...base, print: {print_shop: true}}).print)?.id).toBe('generic')
    expect(bookProfile(bookSchema.parse(base).print)).toBeUndefined()
    const bad = bookSchema.safeParse({...base, print: {profile: 'kdp', paper: 'creme'}})
    expect(bad.success).toBe(false)
    expect(JSON.stringify(bad.error?.issues)).toMatch(/Unexpected paper `creme` for kdp, expected one of white, cream/)
    expect(bookSchema.safeParse({...base, print: {profile: 'createspace'}}).success).toBe(false)
  })
})
