/**
 * Titles in other languages that the pipeline and the editor write (chronology, bibliography,
 * index…) carry their language: from works.yaml’s original titles, index.yaml’s `lang` and the
 * manuscript’s own markup; one left unmarked is reported at its line and column.
 */
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {h} from 'hastscript'
import {checkManuscript} from '../../scripts/check.ts'
import {looksForeign, markTitleLanguages, titleKey, unmarkedTitles} from '../../scripts/html/title-languages.ts'
import {copyManuscript, plant} from '../helpers.ts'

async function unmarked(dir: string): Promise<string[]> {
  const result = await checkManuscript(dir)
  return result.files.flatMap((file) =>
    file.messages.filter((m) => m.ruleId === 'language-unmarked').map((m) => `${path.basename(file.path)}:${m.line}:${m.column}: ${m.reason.split(' in another')[0]}`)
  )
}

describe('titles in other languages', () => {
  it('tells titles in other languages from English ones', () => {
    for (const title of ['Les Hommes perdus', 'La Tourmente', 'Tierra y Libertad', 'L’Anarchie', 'Anarchie, L’', 'Résistance', 'S’il est minuit dans le siècle', 'Россия', 'Der Untertan']) {
      expect(looksForeign(title), title).toBe(true)
    }
    for (const title of ['Birth of Our Power', 'Memoirs of a Revolutionary', 'The Case of Comrade Tulayev', 'Notebooks 1936–1947', 'Kronstadt ’21', 'sic', 'Lenin 1917']) {
      expect(looksForeign(title), title).toBe(false)
    }
  })

  it('marks a known title wherever it stands with no language, and reports the rest', () => {
    const tree = h('section', [h('p', [h('i', 'Les Hommes dans la prison'), ' and ', h('i', 'La Tourmente'), ' and ', h('em', [h('span', {lang: 'fr'}, 'Résistance')])])])
    expect(markTitleLanguages(tree, new Map([[titleKey('Les Hommes dans la prison'), 'fr']]))).toBe(1)
    expect(unmarkedTitles(tree, 'en').map((u) => u.text)).toEqual(['La Tourmente'])
    expect(unmarkedTitles(tree, 'fr')).toEqual([]) // nothing is guessed in a book not in English
  })

  it('finds none left in the Serge reader, and reports one planted in the chronology at its place', async () => {
    const dir = copyManuscript()
    expect(await unmarked(dir)).toEqual([])
    plant(dir, 'editorial/chronology.md', '*:fr[La Tourmente]*', '*La Tourmente*')
    const [message, ...rest] = await unmarked(dir)
    expect(rest).toEqual([])
    expect(message).toMatch(/^chronology\.md:\d+:\d+: Unexpected title `La Tourmente`$/)
    // And in the index: a work's term with its `lang` taken away.
    plant(dir, 'index.yaml', '  - term: Tourmente, La\n    lang: fr\n', '  - term: Tourmente, La\n')
    expect(await unmarked(dir)).toEqual([message, expect.stringMatching(/^index\.yaml:\d+:5: Unexpected title `Tourmente, La`$/)])
  }, 120_000)
})
