/**
 * Other projects' typography suites through the edition's parse, checks and normalisation. Each case
 * is classified in tests/fixtures/peers/classification.json: `same` (the peer's output exactly),
 * `house-style` (the difference is the house style: a `style.` option of book.yaml or a house rule the
 * README states), or `peer-convention` (the peer's own syntax or rule, with why). What the edition
 * prints and which rules stop the build are recorded with each case and must hold; there is no class
 * for a wrong result. The README quotes the counts, checked here.
 */
import {describe, it, expect} from 'vitest'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {suites, peersDir} from './suites.ts'
import {typeset} from './typeset.ts'

interface Classified {
  class: 'same' | 'house-style' | 'peer-convention'
  ours: string
  option?: string
  why?: string
  reported?: string[]
}

const classification = JSON.parse(readFileSync(path.join(peersDir, 'classification.json'), 'utf8')) as Record<string, Record<string, Classified>>
const readme = readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8')
const styleOption = /^style\.(quotes|ellipsis|page_ranges|note_ref_after_punctuation): /
const houseRule = /^house rule: .+ \(README, Normalisation\)$/

describe('peer typography suites', () => {
  for (const suite of suites()) {
    describe(suite.name, () => {
      const recorded = classification[suite.name] ?? {}
      it('classifies every case, and nothing else', () => {
        expect(suite.cases.length).toBeGreaterThan(0)
        expect(Object.keys(recorded).sort()).toEqual(suite.cases.map((c) => c.key).sort())
      })
      for (const peerCase of suite.cases) {
        it(peerCase.key, () => {
          const entry = recorded[peerCase.key]
          expect(entry, 'classified').toBeDefined()
          const result = typeset(peerCase.input)
          expect(result.text).toBe(entry.ours)
          expect(result.errors).toEqual(entry.reported ?? [])
          if (entry.class === 'same') expect(result.text).toBe(peerCase.expected)
          else {
            expect(['house-style', 'peer-convention']).toContain(entry.class)
            expect(result.text).not.toBe(peerCase.expected)
            expect(entry.why?.length ?? 0).toBeGreaterThan(10)
          }
          if (entry.class === 'house-style') expect(entry.option).toMatch(new RegExp(`${styleOption.source}|${houseRule.source}`))
        })
      }
      it('has its counts in the README', () => {
        const count = (kind: string) => suite.cases.filter((c) => recorded[c.key]?.class === kind).length
        const row = `| ${suite.name} | ${suite.cases.length} | ${count('same')} | ${count('house-style')} | ${count('peer-convention')} | 0 |`
        expect(readme).toContain(row)
      })
    })
  }
})
