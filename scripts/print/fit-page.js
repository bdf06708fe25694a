/**
 * The browser's side of the fitting pass (fit.ts): the print HTML laid out in one column of the
 * text block's width, footnotes set apart at the same width, and every justified paragraph looked
 * at line by line — the width of its word spaces, the lines it ends with a hyphen. Chromium breaks
 * lines one at a time. A paragraph with a loose line or more than two hyphenated lines in a row has
 * its breaks chosen again over the whole paragraph (breakParagraph), its lines then held where
 * chosen by spans of word spacing, a loose one also tracked a little (setPlan); where Chromium
 * cannot be made to follow, it is tried with slightly tighter or looser word spacing and without
 * some of the hyphens it took, and keeps what reads best.
 *
 * `window.readerFit(options)` returns, by `data-fit` number, the style to add, the soft hyphens
 * (their order in the element's text) to take out, and the spans to wrap with where its lines start.
 */
window.readerFit = (options) => {
  const started = performance.now()
  const SHY = '\u00AD'
  const DROPPED = '\u2060' // a word joiner: no break, no width, and the soft hyphens keep their order
  // A soft hyphen that leaves three letters on a side (hyphenate.ts offers them when the pass runs):
  // held back as an invisible character that allows no break (so Chromium sets the paragraph as
  // with four a side), offered to the line breaker only, at a higher cost, and taken out where it
  // is not chosen.
  const SCARCE = '\u2061'
  const range = document.createRange()
  const blockDisplays = new Set(['block', 'list-item', 'table-cell', 'flow-root', 'table-caption'])

  // Footnotes print at the foot of the page, the width of the text block: measured the same way.
  const notes = document.createElement('div')
  notes.id = 'reader-fit-notes'
  for (const note of document.querySelectorAll('.footnote')) notes.appendChild(note.cloneNode(true))
  document.body.appendChild(notes)

  /** Letters of a word on either side of `data[i]` (soft hyphens not counted). */
  const letter = /[\p{L}\p{M}]/u
  const lettersAround = (data, i) => {
    let before = 0
    for (let j = i - 1; j >= 0 && (letter.test(data[j]) || data[j] === SHY || data[j] === SCARCE); j--) if (letter.test(data[j])) before++
    let after = 0
    for (let j = i + 1; j < data.length && (letter.test(data[j]) || data[j] === SHY || data[j] === SCARCE); j++) if (letter.test(data[j])) after++
    return Math.min(before, after)
  }
  {
    const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    for (let t = w.nextNode(); t; t = w.nextNode()) {
      if (!t.data.includes(SHY)) continue
      let data = t.data
      for (let i = 0; i < data.length; i++) if (data[i] === SHY && lettersAround(data, i) < 4) data = data.slice(0, i) + SCARCE + data.slice(i + 1)
      if (data !== t.data) t.data = data
    }
  }

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
        if (t.data[j] === SHY || t.data[j] === DROPPED || t.data[j] === SCARCE) n++
      }
    }
    return -1
  }

  /** The text nodes whose lines `block` holds (a footnote's text, hidden here, included: it has no lines). */
  const textsOf = (block) => {
    const out = []
    const w = document.createTreeWalker(block, NodeFilter.SHOW_TEXT)
    for (let t = w.nextNode(); t; t = w.nextNode()) if (blockOf(t) === block) out.push(t)
    return out
  }
  const rectOf = (node, i) => {
    range.setStart(node, i)
    range.setEnd(node, i + 1)
    return range.getBoundingClientRect()
  }
  const px = (value) => (value === 'normal' ? 0 : parseFloat(value) || 0)

  /**
   * Paragraph-wide line breaking (after Knuth and Plass): the paragraph set on one line, unbroken,
   * gives where each place it may break lies (spaces, the soft hyphens it was offered, a word's own
   * hyphen); the breaks are chosen over the whole paragraph so that its lines' word spaces stay
   * near the usual one (none past `options.limit` times it where another set of breaks avoids
   * that), with at most two hyphenated lines in a row, as many lines as Chromium would set, and a
   * line's letters tracked a little (`options.tracks`, em) only where that keeps it from running
   * loose. Chromium then has to break there: each line whose words it would not set so on its own
   * gets, per text node, a span with the word spacing (and letter spacing) that makes those words,
   * and no more, fit. Word spacing changes nothing once a line is justified; only what fits.
   * Returns each line's place, tracking and word spacing, or null when the paragraph cannot be set so.
   */
  const breakParagraph = (block, entry, lines) => {
    const size = entry.size
    const target = usual.get(size) || 1
    const style = getComputedStyle(block)
    const width = block.clientWidth - px(style.paddingLeft) - px(style.paddingRight)
    const texts = textsOf(block)
    // A paragraph with words in another face (code): its spaces are not alike, left as Chromium sets it.
    for (const node of texts) if (getComputedStyle(node.parentElement).fontFamily !== style.fontFamily) return null
    // Offsets of each text node in the element's text (every text node, hidden ones included: the tree counts the same).
    const offsets = new Map()
    {
      let n = 0
      const w = document.createTreeWalker(block, NodeFilter.SHOW_TEXT)
      for (let t = w.nextNode(); t; t = w.nextNode()) {
        offsets.set(t, n)
        n += t.data.length
      }
    }
    const savedStyle = block.getAttribute('style')
    // (Its height held, so that what follows it is not laid out again while it is measured on one line.)
    block.style.setProperty('height', `${block.getBoundingClientRect().height}px`, 'important')
    block.style.setProperty('contain', 'strict', 'important')
    block.style.setProperty('white-space', 'nowrap', 'important')
    block.style.setProperty('text-align', 'left', 'important')
    block.style.setProperty('text-align-last', 'left', 'important')
    const left = block.getBoundingClientRect().left + px(style.borderLeftWidth) + px(style.paddingLeft)
    // The places: breaks (space, soft hyphen, hyphen, dash) and glue (spaces, no-break spaces), in order.
    const events = []
    let chars = 0
    let hyphenWidth = 0
    let end = left
    for (const node of texts) {
      range.selectNodeContents(node)
      if (!range.getClientRects().length) continue
      const data = node.data
      const base = offsets.get(node)
      // (The line's end is its last letter's right: the only letter measured that is not a break.)
      let lastLetter = data.length - 1
      while (lastLetter >= 0 && (data[lastLetter] === SHY || data[lastLetter] === SCARCE)) lastLetter--
      for (let i = 0; i < data.length; i++) {
        const c = data[i]
        if (c === SHY || c === SCARCE) {
          const r = rectOf(node, i)
          const x = r.width || r.height ? r.left : i > 0 ? rectOf(node, i - 1).right : rectOf(node, i + 1).left
          if (i > 0 && /\p{L}/u.test(data[i - 1])) events.push({kind: 'shy', scarce: c === SCARCE, node, i, off: base + i, x0: x, x1: x, chars})
          continue
        }
        chars++
        if (c === ' ' || c === '\n' || c === '\t' || c === '\u00A0') {
          const r = rectOf(node, i)
          if (r.width < 0.01) continue
          events.push({kind: c === '\u00A0' ? 'nbsp' : 'space', node, i, off: base + i, x0: r.left, x1: r.right, chars, glue: r.width})
          end = Math.max(end, r.right)
          continue
        }
        if (c !== '-' && c !== '\u2014' && c !== '\u2013' && i !== lastLetter) continue
        const r = rectOf(node, i)
        end = Math.max(end, r.right)
        if (!hyphenWidth && c === '-') hyphenWidth = r.width
        const next = data[i + 1]
        if ((c === '-' && i > 0 && /\p{L}/u.test(data[i - 1]) && next && /\p{L}/u.test(next)) || ((c === '\u2014' || c === '\u2013') && next && /\S/.test(next))) {
          events.push({kind: c === '-' ? 'hyphen' : 'dash', node, i, off: base + i, x0: r.right, x1: r.right, chars})
        }
      }
    }
    if (!hyphenWidth) {
      const probe = document.createElement('span')
      probe.textContent = '-'
      block.appendChild(probe)
      hyphenWidth = probe.getBoundingClientRect().width
      probe.remove()
    }
    if (savedStyle === null) block.removeAttribute('style')
    else block.setAttribute('style', savedStyle)
    const total = chars
    const breaks = events.map((e, k) => k).filter((k) => events[k].kind !== 'nbsp')
    const startX = (a) => (a < 0 ? left : events[a].x1)
    const endX = (k) => (k >= events.length ? end : events[k].kind === 'shy' ? events[k].x0 + hyphenWidth : events[k].x0)
    // Characters before a line's first (a break's own counted with it) and to its last (a space at its end hangs; a soft hyphen draws one).
    const charsAt = (a) => (a < 0 ? 0 : events[a].chars)
    const charsTo = (k) => (k >= events.length ? total : events[k].chars + (events[k].kind === 'space' ? -1 : events[k].kind === 'shy' ? 1 : 0))
    /** A line from after break `a` to break `k` (events.length: the paragraph's end): its word spaces as set unjustified. */
    const shape = (a, k) => {
      const from = a < 0 ? 0 : a + 1
      const to = Math.min(k, events.length)
      const glues = []
      for (let i = from; i < to; i++) if (events[i].glue) glues.push(events[i].glue)
      glues.sort((x, y) => x - y)
      const glue = glues.reduce((x, y) => x + y, 0)
      return {n: glues.length, glue, least: glues[0], middle: glues[glues.length >> 1], natural: endX(k) - startX(a), chars: charsTo(k) - charsAt(a)}
    }
    /** shape(a, k) for each break k after `a` in order, the word spaces kept sorted as they come (one sort per line start, not one per line). */
    function* linesFrom(a) {
      const from = a < 0 ? 0 : a + 1
      const glues = []
      let glue = 0
      let i = from
      for (const k of breaks) {
        if (k <= a) continue
        for (; i < Math.min(k, events.length); i++) {
          const g = events[i].glue
          if (!g) continue
          let lo = 0
          let hi = glues.length
          while (lo < hi) {
            const mid = (lo + hi) >> 1
            if (glues[mid] - g <= 0) lo = mid + 1
            else hi = mid
          }
          glues.splice(lo, 0, g)
          glue += g
        }
        yield {k, n: glues.length, glue, least: glues[0], middle: glues[glues.length >> 1], natural: endX(k) - startX(a), chars: charsTo(k) - charsAt(a)}
      }
    }
    const tracks = options.tracks.map((t) => t * size)
    /**
     * The best way to set a line: its cost, tracking, and word space. Justifying adds the same to
     * each space; a tracked line's letters (spaces too) each take `t` more.
     */
    const setLine = (line) => {
      let best
      if (!line.n) return best
      for (const t of tracks) {
        const added = (width - line.natural - t * line.chars) / line.n
        if (t + added < -(1 - options.shrink) * line.least) continue
        const space = line.middle + t + added
        const r = space / target
        let cost = r >= 1 ? 100 * (r - 1) ** 2 : 100 * (1 - r) ** 2
        if (r > options.limit) cost += 500 + 2000 * (r - options.limit)
        const k = Math.abs(t) / (0.01 * size)
        cost += (t < 0 ? 1.5 : 1) * (10 * k + 4 * k * k)
        if (!best || cost < best.cost) best = {cost, t, space, r}
      }
      return best
    }
    // Lines as Chromium sets them (each takes what fits): the count to keep near.
    let greedyLines = 1
    for (let a = -1, k = 0; ; ) {
      let fits = -1
      for (const b of breaks) {
        if (b <= a) continue
        if (endX(b) - startX(a) > width) break
        fits = b
      }
      if (endX(events.length) - startX(a) <= width || fits < 0) break
      greedyLines++
      a = fits
      if (++k > 10000) break
    }
    const INF = Infinity
    // The best way to a break `a` with `h` hyphenated lines in a row before it: `${a}:${h}` → {cost, lines, prev, a, k, set}.
    const states = new Map()
    const key = (a, h) => `${a}:${h}`
    states.set(key(-1, 0), {cost: 0, lines: 0})
    const order = [-1, ...breaks]
    let bestEnd
    for (const a of order) {
      const found = [...Array(options.run + 1).keys()].map((h) => states.get(key(a, h)))
      if (!found.some(Boolean)) continue
      // The last line.
      const last = shape(a, events.length)
      // The lines from `a` to each break after it, as far as one can reach, set once for every `h`.
      const lines = []
      for (const line of linesFrom(a)) {
        if (line.natural - line.glue > width) break
        lines.push({k: line.k, set: setLine(line)})
      }
      for (let h = 0; h <= options.run; h++) {
        const state = found[h]
        if (!state) continue
        if (last.natural <= width + 0.01) {
          // (As many lines as Chromium would set, where it can: the pages are made up around them.)
          const lineCount = state.lines + 1
          const total = state.cost + 30 * Math.abs(lineCount - greedyLines)
          if (!bestEnd || total < bestEnd.total) bestEnd = {total, prev: key(a, h), lines: lineCount}
        }
        for (const {k, set} of lines) {
          if (!set) continue
          // A line ending in a hyphen (taken or a word's own) costs something; more than two in a row are not allowed.
          const hyphen = events[k].kind === 'shy' || events[k].kind === 'hyphen'
          const h2 = hyphen ? h + 1 : 0
          if (h2 > options.run) continue
          const cost = state.cost + set.cost + (events[k].kind === 'shy' ? (events[k].scarce ? 160 : 40) : hyphen ? 20 : 0)
          const next = states.get(key(k, h2))
          if (!next || cost < next.cost) states.set(key(k, h2), {cost, lines: state.lines + 1, prev: key(a, h), a, k, set})
        }
      }
    }
    if (!bestEnd) return null
    // The chosen lines, first to last.
    const chosen = []
    for (let at = bestEnd.prev; at && states.get(at).prev; at = states.get(at).prev) chosen.unshift(states.get(at))
    const worst = Math.max(0, ...chosen.map((s) => s.set.r))
    // Each line: where it starts and breaks, its tracking, and the word spacing the model says makes
    // Chromium break there (none where it would on its own).
    const planned = chosen.map((s, i) => {
      const line = shape(s.a, s.k)
      const t = s.set.t
      const nextT = chosen[i + 1]?.set.t ?? 0
      // Fits: natural + tracking + n·w ≤ width. The next break's words do not: their width > width.
      const upper = line.n ? (width - line.natural - t * line.chars) / line.n : INF
      const after = breaks.find((k) => k > s.k) ?? events.length
      let lower = -INF
      {
        const more = shape(s.a, after)
        const n2 = more.n + (events[s.k].glue ? 1 : 0)
        const w2 = more.natural + t * line.chars + nextT * (more.chars - line.chars)
        lower = n2 ? (width - w2) / n2 : w2 > width ? -INF : INF
      }
      // (Left to Chromium only with room to spare: a page's column may differ from this one by a hair.)
      const own = !t && lower * line.n < -options.margin && upper * line.n > options.margin
      // The spacing nearest none that keeps some room either way (a line Chromium then does not justify reads nearly as set).
      const room = Math.min(options.margin / Math.max(1, line.n), (upper - lower) / 2)
      const w = own ? 0 : Math.max(-4, Math.min(4, Math.max(lower + room, Math.min(upper - room, 0))))
      // (A line's span starts at the break before it, the space or hyphen the line before ends at:
      // a text node does not start where a line does, where Paged.js would read a page break as none.
      // A soft hyphen stays with the line it ends: Chromium does not break at one that starts an element.)
      const edge = (e) => e.off + (e.kind === 'shy' ? 1 : 0)
      const scarce = events[s.k].scarce ? [events[s.k].node, events[s.k].i] : null
      return {from: s.a < 0 ? 0 : edge(events[s.a]), to: edge(events[s.k]), at: events[s.k].off, w, t, own, scarce}
    })
    return {planned, starts: [0, ...chosen.map((s) => events[s.k].off + 1)], lines: chosen.length + 1, worst, tracked: chosen.filter((s) => s.set.t !== 0).length}
  }

  /** The element's text nodes with their offsets in its text, and whether each is drawn here. */
  const textMap = (block) => {
    const out = []
    const w = document.createTreeWalker(block, NodeFilter.SHOW_TEXT)
    let n = 0
    for (let t = w.nextNode(); t; t = w.nextNode()) {
      range.selectNodeContents(t)
      out.push({node: t, base: n, shown: blockOf(t) === block && range.getClientRects().length > 0})
      n += t.data.length
    }
    return out
  }
  /** The top of the first (step 1) or last (step -1) drawn character from offset `off`. */
  const topFrom = (map, off, step) => {
    for (let k = step > 0 ? 0 : map.length - 1; k >= 0 && k < map.length; k += step) {
      const {node, base, shown} = map[k]
      if (!shown) continue
      const data = node.data
      for (let i = step > 0 ? Math.max(0, off - base) : Math.min(data.length - 1, off - base); i >= 0 && i < data.length; i += step) {
        if (/[\s\u00AD\u2060]/.test(data[i])) continue
        const r = rectOf(node, i)
        if (r.width > 0) return r.top
      }
    }
    return undefined
  }
  /** Wrap the drawn text in [from, to) in spans (one a text node), each `data-fit-line`; returns them. */
  const wrapRange = (block, from, to) => {
    const made = []
    for (const {node, base, shown} of textMap(block).reverse()) {
      if (!shown) continue
      const a = Math.max(from, base)
      const b = Math.min(to, base + node.data.length)
      if (b <= a) continue
      if (b - base < node.data.length) node.splitText(b - base)
      const piece = a > base ? node.splitText(a - base) : node
      const span = document.createElement('span')
      span.setAttribute('data-fit-line', '')
      piece.replaceWith(span)
      span.appendChild(piece)
      made.push(span)
    }
    return made
  }
  const styleSpans = (spans, w, t) => {
    for (const span of spans) {
      const parent = getComputedStyle(span.parentElement)
      span.setAttribute('style', `word-spacing: ${(px(parent.wordSpacing) + w).toFixed(3)}px; letter-spacing: ${(px(parent.letterSpacing) + t).toFixed(3)}px`)
    }
  }

  /**
   * Set the paragraph as planned: each line that needs it wrapped and spaced, then looked at in
   * order; a line Chromium does not break where planned has its word spacing searched until it
   * does (the model measures widths a little differently from the lines Chromium sets). Returns the
   * spans as [from, to, style] in the element's text, or a reason it could not be done.
   */
  const setPlan = (block, plan) => {
    // (Its height held while its lines are tried, so that what follows it is not laid out again each time.)
    const savedStyle = block.getAttribute('style')
    block.style.setProperty('height', `${block.getBoundingClientRect().height}px`, 'important')
    block.style.setProperty('contain', 'strict', 'important')
    try {
      return setLines(block, plan)
    } finally {
      if (savedStyle === null) block.removeAttribute('style')
      else block.setAttribute('style', savedStyle)
    }
  }
  const setLines = (block, plan) => {
    // (A break chosen at a held-back soft hyphen: a soft hyphen again, before any line is wrapped.)
    for (const line of plan.planned) if (line.scarce) setChar(line.scarce[0], line.scarce[1], SHY)
    const half = (parseFloat(getComputedStyle(block).lineHeight) || 16) / 2
    const spansOf = []
    for (const line of plan.planned) {
      spansOf.push(line.own ? null : wrapRange(block, line.from, line.to))
      if (!line.own) styleSpans(spansOf[spansOf.length - 1], line.w, line.t)
    }
    // The block's text nodes (made again only when a line is wrapped: spacing changes no node).
    let map = textMap(block)
    // -1: the line took more than planned, 1: less, 0: as planned.
    const check = (line) => {
      const first = topFrom(map, line.from, 1)
      const last = topFrom(map, line.at, -1)
      const next = topFrom(map, line.at + 1, 1)
      if (first === undefined || last === undefined) return 2
      if (last - first > half) return 1
      if (next !== undefined && next - last < half) return -1
      return 0
    }
    let repaired = 0
    for (let i = 0; i < plan.planned.length; i++) {
      const line = plan.planned[i]
      let state = check(line)
      if (state === 0) continue
      if (state === 2) return 'no text'
      if (!spansOf[i]) {
        spansOf[i] = wrapRange(block, line.from, line.to)
        line.own = false
        map = textMap(block)
      }
      // Took more: widen its spaces; took less: narrow them.
      let lo = state < 0 ? line.w : line.w - 4
      let hi = state < 0 ? line.w + 4 : line.w
      let found = false
      for (let k = 0; k < 9 && !found; k++) {
        const w = (lo + hi) / 2
        styleSpans(spansOf[i], w, line.t)
        state = check(line)
        if (state === 0) {
          line.w = w
          found = true
        } else if (state < 0) lo = w
        else hi = w
      }
      if (!found) return `line ${i} (to ${line.at})`
      // The middle of the spacings that work, not one at their edge.
      const works = (w) => (styleSpans(spansOf[i], w, line.t), check(line) === 0)
      let top = line.w
      let bottom = line.w
      while (top - line.w < 2 && works(top + 0.25)) top += 0.25
      while (line.w - bottom < 2 && works(bottom - 0.25)) bottom -= 0.25
      line.w = (top + bottom) / 2
      styleSpans(spansOf[i], line.w, line.t)
      if (check(line) !== 0) return `line ${i} (to ${line.at}): no room`
      repaired++
    }
    // The last line: what is left.
    const lastLine = plan.planned[plan.planned.length - 1]
    const start = lastLine ? topFrom(map, lastLine.at + 1, 1) : undefined
    const end = topFrom(map, Number.MAX_SAFE_INTEGER, -1)
    if (start !== undefined && end !== undefined && end - start > half) return 'last line'
    const spans = []
    for (const {node, base} of map) {
      const parent = node.parentElement
      if (parent.hasAttribute('data-fit-line')) spans.push([base, base + node.data.length, parent.getAttribute('style')])
    }
    return {spans, repaired}
  }


  const decisions = []
  let tried = 0
  let planned = 0
  let missed = 0
  let tracked = 0
  let repaired = 0
  const styled = (original, spacing) => (spacing ? `${original}${original ? '; ' : ''}${spacing}` : original)
  for (const [block, entry] of entries) {
    const lines = first.get(block)
    if (!troubled(lines, entry)) continue
    // The paragraph's breaks chosen as a whole, where Chromium can be made to take them.
    let plan = null
    try {
      plan = breakParagraph(block, entry, lines)
    } catch {
      plan = null
    }
    if (plan) {
      const saved = [...block.childNodes].map((n) => n.cloneNode(true))
      const set = setPlan(block, plan)
      tried++
      let why = typeof set === 'string' ? set : ''
      if (!why) {
        // Kept when it has no run of three hyphens and fewer lines near the report's limit, or as
        // many and its loosest line less loose, than Chromium's.
        entry.texts = textsOf(block).filter((n) => /\S/.test(n.data))
        const after = measure(entry)
        const target = usual.get(entry.size) || 1
        const judge = (set) => {
          const ratios = set.filter((l) => !l.last && l.spaces.length).map((l) => lineSpace(l) / target)
          return [cost(set, entry, '')[0], ratios.filter((r) => r > options.near).length, Math.round(Math.max(0, ...ratios) * 100) / 100]
        }
        const c = judge(after)
        if (c[0] !== 0 || !better(c, judge(lines))) why = `no better: ${c}`
      }
      if (!why) {
        planned++
        repaired += set.repaired
        tracked += plan.tracked
        decisions.push({fit: Number(block.getAttribute('data-fit')), style: '', drop: [], spans: set.spans, starts: plan.starts})
        continue
      }
      missed++
      block.replaceChildren(...saved)
      entry.texts = textsOf(block).filter((n) => /\S/.test(n.data))
    }
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
  // The held-back soft hyphens no line was chosen to end at: taken out, each by its order in the
  // element whose lines hold it (the hidden originals of the notes measured apart left aside).
  const byFit = new Map(decisions.map((d) => [d.fit, d]))
  const rest = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
  for (let t = rest.nextNode(); t; t = rest.nextNode()) {
    if (!t.data.includes(SCARCE)) continue
    const block = blockOf(t)
    if (!block || !block.hasAttribute('data-fit') || !block.getClientRects().length) continue
    const fit = Number(block.getAttribute('data-fit'))
    let decision = byFit.get(fit)
    if (!decision) {
      decision = {fit, style: '', drop: []}
      decisions.push(decision)
      byFit.set(fit, decision)
    }
    for (let i = 0; i < t.data.length; i++) if (t.data[i] === SCARCE) decision.drop.push(ordinal(block, t, i))
  }
  for (const decision of decisions) decision.drop = [...new Set(decision.drop)].sort((a, b) => a - b)
  notes.remove()
  return {decisions, tried, paragraphs: entries.length, planned, missed, tracked, repaired, ms: Math.round(performance.now() - started)}
}
