import {describe, it, expect} from 'vitest'
import {lintTexts} from './helpers.ts'
import {works} from './works-fixture.ts'

describe('citation-registry', () => {
  it('reports a translator spelt another way, a wrong date and a misspelt title', () => {
    expect(
      lintTexts(
        {
          'a.md': 'Text.[^1] More.[^2]\n\n[^1]: *Memoirs of a Revolutionary*. Translated by Peter Sedgwick & George Paizas. New York Review Books, 2002.\n\n[^2]: *Memoirs of a Revolutionery*, p. 5.'
        },
        works
      )
    ).toEqual([
      'a.md:3:68: Unexpected translator `George Paizas` of *Memoirs of a Revolutionary*, expected `George Paizis` as manuscript/works.yaml spells it',
      'a.md:3:106: Unexpected date `2002` for *Memoirs of a Revolutionary* (New York Review Books Classics), expected 1951, 2012 as manuscript/works.yaml has it',
      'a.md:5:8: Unexpected title `Memoirs of a Revolutionery`, expected `Memoirs of a Revolutionary` as manuscript/works.yaml has it'
    ])
  })
  it('passes a citation that agrees with the registry', () => {
    expect(
      lintTexts({'a.md': 'Text.[^1]\n\n[^1]: *Memoirs of a Revolutionary*. Translated by Peter Sedgwick with George Paizis. New York Review Books Classics, 2012. p. 5.'}, works)
    ).toEqual([])
  })
})
