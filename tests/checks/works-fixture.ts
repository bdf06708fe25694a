import type {Work} from '../../scripts/cross-text/works.ts'

export const works: Work[] = [
  {
    id: 'memoirs',
    title: 'Memoirs of a Revolutionary',
    other_titles: [],
    short_titles: ['Memoirs'],
    original: {title: 'Mémoires d’un révolutionnaire', date: 1951, place: 'Paris', publisher: ''},
    translations: [{translators: ['Peter Sedgwick', 'George Paizis'], date: 2012, publisher: 'New York Review Books Classics', place: '', note: ''}],
    editions: [],
    note: ''
  },
  {
    id: 'repression',
    title: 'What Everyone Should Know About State Repression',
    other_titles: ['What Every Revolutionary Should Know About Repression'],
    short_titles: [],
    original: {title: '', place: '', publisher: ''},
    translations: [{translators: ['Judith White'], date: 1979, publisher: 'New Park Publications', place: '', note: ''}],
    editions: [],
    note: ''
  }
]
