/** Looking works up in the registry: by any of their titles, and names and titles compared loosely. */
import type {Work} from './works.ts'

export interface TitleMatch {
  work: Work
  /** `primary`: the edition’s English title (or a short or edition title); `other`: another English title; `original`. */
  kind: 'primary' | 'other' | 'original'
  title: string
}

export function normTitle(title: string): string {
  return title
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’‘']/g, "'")
    .replace(/[‐-―-]/g, '-')
    .replace(/\s*-\s*/g, ' - ')
    .replace(/\s+/g, ' ')
    .replace(/[.,:;\s]+$/, '')
    .trim()
}

export class Registry {
  readonly byTitle = new Map<string, TitleMatch>()
  constructor(readonly works: Work[]) {
    for (const work of works) {
      const add = (title: string | undefined, kind: TitleMatch['kind']) => {
        if (title && !this.byTitle.has(normTitle(title))) this.byTitle.set(normTitle(title), {work, kind, title})
      }
      add(work.title, 'primary')
      for (const t of work.short_titles) add(t, 'primary')
      for (const t of work.translations) add(t.title, 'primary')
      for (const t of work.other_titles) add(t, 'other')
      add(work.original.title, 'original')
      for (const t of work.editions) add(t.title, 'original')
    }
  }

  find(title: string): TitleMatch | undefined {
    return this.byTitle.get(normTitle(title))
  }

  /** A registry title within a small edit distance of `title` (a misspelt title), when not an exact match. */
  near(title: string): TitleMatch | undefined {
    const norm = normTitle(title)
    if (norm.length < 10 || this.byTitle.has(norm)) return undefined
    for (const [key, match] of this.byTitle) {
      if (Math.abs(key.length - norm.length) <= 2 && distance(key, norm) <= 2) return match
    }
    return undefined
  }
}

export function distance(a: string, b: string): number {
  const row = Array.from({length: b.length + 1}, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1))
      prev = tmp
    }
  }
  return row[b.length]
}

function nameTokens(name: string): {given: string[]; initials: string[]; surname: string} {
  const tokens = name.replace(/\./g, '. ').split(/\s+/).filter(Boolean)
  const surname = (tokens.pop() || '').replace(/\./g, '').toLowerCase()
  const given: string[] = []
  const initials: string[] = []
  for (const t of tokens) {
    const bare = t.replace(/\./g, '').toLowerCase()
    if (bare.length === 1) initials.push(bare)
    else given.push(bare)
  }
  return {given, initials, surname}
}

/** Whether two spellings may name the same person (`Willard Trask`, `Willard R. Trask`, `D.J. Cotterill`). */
export function sameName(a: string, b: string): boolean {
  const x = nameTokens(a)
  const y = nameTokens(b)
  if (x.surname !== y.surname) return false
  const fits = (p: typeof x, q: typeof x) =>
    p.given.every((g) => q.given.includes(g)) && p.initials.every((i) => q.initials.includes(i) || q.given.some((g) => g[0] === i))
  return fits(x, y) || fits(y, x)
}
