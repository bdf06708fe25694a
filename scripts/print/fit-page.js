/**
 * The browser's side of the fitting pass (fit.ts): the print HTML laid out in one column of the
 * text block's width, footnotes set apart at the same width, and every justified paragraph looked
 * at line by line — the width of its word spaces, the lines it ends with a hyphen. A paragraph with
 * a loose line or more than two hyphenated lines in a row is tried again with slightly tighter or
 * looser word spacing and without some of the hyphens it took, and keeps what reads best. Chromium breaks lines one at
 * a time; this gives each paragraph a little of what a paragraph-wide line breaker would.
 *
 * `window.readerFit(options)` returns, by `data-fit` number, the style to add and the soft hyphens
 * (their order in the element's text) to take out.
 */
window.readerFit = (options) => {
  const started = performance.now()
  const SHY = '\u00AD'
  const DROPPED = '\u2060' // a word joiner: no break, no width, and the soft hyphens keep their order
  const range = document.createRange()
  const blockDisplays = new Set(['block', 'list-item', 'table-cell', 'flow-root', 'table-caption'])

  // Footnotes print at the foot of the page, the width of the text block: measured the same way.
  const notes = document.createElement('div')
  notes.id = 'reader-fit-notes'
  for (const note of document.querySelectorAll('.footnote')) notes.appendChild(note.cloneNode(true))
  document.body.appendChild(notes)

  /** The element whose line boxes hold `node`: its nearest block ancestor. */
  const blockOf = (node) => {
    for (let el = node.parentElement; el; el = el.parentElement) if (blockDisplays.has(getComputedStyle(el).display)) return el
    return null
  }
  // Paragraphs: justified blocks with text of their own, shown.
  const paragraphs = new Map()
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!/\S/.test(node.data)) continue
    const block = blockOf(node)
    if (!block || !block.hasAttribute('data-fit')) continue
    let entry = paragraphs.get(block)
    if (!entry) {
      const style = getComputedStyle(block)
      if (style.textAlign !== 'justify' || !block.getClientRects().length) {
        paragraphs.set(block, null)
        continue
      }
      paragraphs.set(block, (entry = {texts: [], size: parseFloat(style.fontSize)}))
    }
    if (entry) entry.texts.push(node)
  }

  /**
   * Where a soft hyphen was taken: the top of the line it ends, when the letters on either side of
   * it sit on different lines (the hyphen Chromium draws belongs to no character of its own).
   */
  const takenAt = (node, i) => {
    if (i + 1 >= node.data.length) return undefined
    range.setStart(node, i + 1)
    range.setEnd(node, i + 2)
    const rects = range.getClientRects()
    return rects.length > 1 && rects[1].top - rects[0].top > rects[0].height / 2 ? rects[0].top : undefined
  }
  /** The top of the line a hard hyphen ends, when the next letter starts another. */
  const endsLine = (node, i) => {
    if (i + 1 >= node.data.length) return undefined
    range.setStart(node, i)
    range.setEnd(node, i + 1)
    const here = range.getClientRects()[0]
    range.setStart(node, i + 1)
    range.setEnd(node, i + 2)
    const next = range.getClientRects()[0]
    return here && next && next.top - here.top > here.height / 2 ? here.top : undefined
  }
  /** The paragraph's lines: each one's word spaces (px), whether it ends in a taken soft hyphen. */
  const measure = (entry) => {
    const lines = new Map()
    const lineAt = (top) => {
      const key = Math.round(top)
      let line = lines.get(key)
      if (!line) lines.set(key, (line = {top, spaces: [], hyphen: false}))
      return line
    }
    for (const node of entry.texts) {
      const data = node.data
      for (let i = 0; i < data.length; i++) {
        const c = data[i]
        if (c !== ' ' && c !== SHY && c !== '-') continue
        if (c === SHY) {
          const taken = takenAt(node, i)
          if (taken !== undefined) lineAt(taken).hyphen = true
          continue
        }
        if (c === '-') {
          // A line may also end at a word's own hyphen (`top-` `down`): part of a run all the same.
          const ends = endsLine(node, i)
          if (ends !== undefined) lineAt(ends).hyphen = true
          continue
        }
        range.setStart(node, i)
        range.setEnd(node, i + 1)
        const rect = range.getClientRects()[0]
        if (rect && rect.width > 0.01) lineAt(rect.top).spaces.push(rect.width)
      }
    }
    const sorted = [...lines.values()].sort((a, b) => a.top - b.top)
    // The last line is set ragged: not a justified line.
    if (sorted.length) sorted[sorted.length - 1].last = true
    return sorted
  }
  const median = (values) => {
    if (!values.length) return 0
    const s = [...values].sort((a, b) => a - b)
    const m = Math.floor(s.length / 2)
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
  }
  const lineSpace = (line) => median(line.spaces)

  // The usual word space, by type size, from every justified line as Chromium sets it.
  const entries = [...paragraphs.entries()].filter(([, e]) => e)
  const first = new Map()
  const bySize = new Map()
  for (const [block, entry] of entries) {
    const lines = measure(entry)
    first.set(block, lines)
    for (const line of lines) if (!line.last && line.spaces.length) bySize.set(entry.size, [...(bySize.get(entry.size) ?? []), lineSpace(line)])
  }
  const usual = new Map([...bySize].map(([size, spaces]) => [size, median(spaces)]))

  /**
   * How badly a paragraph reads, compared in order: runs of more than two hyphenated lines, loose
   * lines, hyphens, then how far its lines are stretched past the usual space, then any change.
   */
  const cost = (lines, entry, spacing) => {
    const target = usual.get(entry.size) || 1
    let runs = 0
    let loose = 0
    let hyphens = 0
    let stretch = 0
    let run = 0
    for (const line of lines) {
      if (!line.last && line.spaces.length) {
        const ratio = lineSpace(line) / target
        if (ratio > options.loose) loose++
        if (ratio > 1) stretch += (ratio - 1) ** 2
      }
      if (line.hyphen) {
        hyphens++
        if (++run > options.run) runs++
      } else run = 0
    }
    return [runs, loose, hyphens, spacing.includes('-') ? 1 : 0, Math.round(stretch * 100) / 100, spacing ? 1 : 0]
  }
  const better = (a, b) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i]
    return false
  }
  /** A paragraph worth trying again: a loose line, or more than two hyphenated lines in a row. */
  const troubled = (lines, entry) => {
    const target = usual.get(entry.size) || 1
    let run = 0
    for (const line of lines) {
      if (line.hyphen) {
        if (++run > options.run) return true
      } else run = 0
      if (!line.last && line.spaces.length && lineSpace(line) / target > options.loose) return true
    }
    return false
  }

  const spacings = [
    '',
    'word-spacing: -0.02em',
    'word-spacing: 0.02em',
    'word-spacing: -0.04em',
    'word-spacing: 0.04em'
  ]
  /** Soft hyphens of the paragraph's own text, in order: [node, index]. */
  const softHyphens = (entry) => {
    const out = []
    for (const node of entry.texts) for (let i = 0; i < node.data.length; i++) if (node.data[i] === SHY) out.push([node, i])
    return out
  }
  const setChar = (node, i, c) => (node.data = node.data.slice(0, i) + c + node.data.slice(i + 1))
  /** The soft hyphen a line ends with, as [node, index], or undefined. */
  const takenOn = (entry, line) => {
    for (const [node, i] of softHyphens(entry)) {
      const top = takenAt(node, i)
      if (top !== undefined && Math.round(top) === Math.round(line.top)) return [node, i]
    }
    return undefined
  }
  /** The place of a soft hyphen among the element's (original and dropped), in document order. */
  const ordinal = (block, node, i) => {
    let n = 0
    const w = document.createTreeWalker(block, NodeFilter.SHOW_TEXT)
    for (let t = w.nextNode(); t; t = w.nextNode()) {
      for (let j = 0; j < t.data.length; j++) {
        if (t === node && j === i) return n
        if (t.data[j] === SHY || t.data[j] === DROPPED) n++
      }
    }
    return -1
  }

  const decisions = []
  let tried = 0
  const styled = (original, spacing) => (spacing ? `${original}${original ? '; ' : ''}${spacing}` : original)
  for (const [block, entry] of entries) {
    const lines = first.get(block)
    if (!troubled(lines, entry)) continue
    const original = block.getAttribute('style') || ''
    let best = {cost: cost(lines, entry, ''), spacing: '', drops: []}
    // Each spacing, then without the hyphens it took, one at a time while the paragraph reads better.
    for (const spacing of spacings) {
      block.setAttribute('style', styled(original, spacing))
      tried++
      let current = measure(entry)
      let c = cost(current, entry, spacing)
      const drops = []
      for (let pass = 0; pass < 12; pass++) {
        let improved = false
        for (const line of current.filter((l) => l.hyphen)) {
          const at = takenOn(entry, line)
          if (!at) continue
          setChar(at[0], at[1], DROPPED)
          tried++
          const after = measure(entry)
          const next = cost(after, entry, spacing)
          if (better(next, c)) {
            c = next
            drops.push(at)
            current = after
            improved = true
            break
          }
          setChar(at[0], at[1], SHY)
        }
        if (!improved) break
      }
      if (better(c, best.cost)) best = {cost: c, spacing, drops: drops.map(([node, i]) => ordinal(block, node, i))}
      for (const [node, i] of drops) setChar(node, i, SHY)
    }
    // Leave the paragraph as chosen (what follows is measured after it).
    block.setAttribute('style', styled(original, best.spacing))
    const all = softHyphens(entry)
    for (const n of best.drops) {
      const at = all.find(([node, i]) => ordinal(block, node, i) === n)
      if (at) setChar(at[0], at[1], DROPPED)
    }
    if (best.spacing || best.drops.length) decisions.push({fit: Number(block.getAttribute('data-fit')), style: best.spacing, drop: best.drops})
  }
  notes.remove()
  return {decisions, tried, paragraphs: entries.length, ms: Math.round(performance.now() - started)}
}
