/**
 * The index in letter groups: each group under its letter, in the order the entries sort, accents
 * and leading punctuation not counted (`Łódź` under L, `“Kronstadt ’21”` under K), figures together.
 */
import {describe, expect, it} from 'vitest'
import {selectAll, select} from 'hast-util-select'
import {toString} from 'hast-util-to-string'
import {groupLetter, indexSection, type IndexData} from '../../scripts/html/index-of-names.ts'
import {englishLabels} from '../../scripts/labels.ts'

const entry = (term: string, extra: Partial<IndexData['entries'][number]> = {}): IndexData['entries'][number] => ({
  term, kind: 'person', match: [], see_also: [], id: term.toLowerCase().replace(/\W+/g, '-'), line: 1, anchors: ['ix-a-1'], texts: [], ...extra
})

describe('index letter groups', () => {
  it('files a term under its first letter, without accents or leading punctuation', () => {
    expect(groupLetter('Évian', 'fr')).toBe('E')
    expect(groupLetter('“Kronstadt ’21”', 'en')).toBe('K')
    expect(groupLetter('1917', 'en')).toBe('0–9')
    expect(groupLetter('Кибальчич', 'ru')).toBe('К')
    expect(groupLetter('ćwierć', 'pl')).toBe('C')
  })

  it('sets each group under its letter, in sorted order, every entry once', () => {
    const data: IndexData = {entries: ['Trotsky, Leon', 'Babel, Isaac', 'Étoile', 'Bely, Andrei', 'Engels, Friedrich', 'Trask, Willard'].map((t) => entry(t))}
    const index = indexSection(data, {labels: englishLabels, language: 'en'})
    const groups = selectAll('section.index-group', index)
    expect(groups.map((g) => toString(select('h2.index-letter', g)!))).toEqual(['B', 'E', 'T'])
    expect(groups.map((g) => selectAll('li.ix-entry .ix-term', g).map((t) => toString(t)))).toEqual([
      ['Babel, Isaac', 'Bely, Andrei'],
      ['Engels, Friedrich', 'Étoile'],
      ['Trask, Willard', 'Trotsky, Leon']
    ])
    // Each group is labelled by its letter for assistive technology.
    for (const group of groups) expect(select(`#${String(group.properties.ariaLabelledBy)}`, group)).toBeTruthy()
  })
})
