/**
 * The print tab’s side of the PDF step, loaded after Paged.js into every document the tab lays
 * out (chunk documents load it from the print folder; a whole-book document is given it). The
 * Node side (paginate.ts, chunked.ts) calls these through `window.reader`:
 *
 * - `preview(bodyHtml, settings)`: lay the document out with Paged.js (a tab that has laid out a
 *   chunk lays out the next one in the same document: only the body changes); a face that did not
 *   load is an error, not a fallback.
 * - `collect(ids, lineIds)`: what landed where — each page’s part, the block and offset its text
 *   begins at, its text area; the page of each id, the line of some.
 * - `apply(decisions)`: write in folios, running heads and page numbers.
 * - `standIns(ids, linked)`: named destinations for links that leave a chunk.
 *
 * And the page make-up Paged.js leaves to the book (`window.readerMakeup`): a block at the top of
 * a page drops its space above (a Paged.js handler, while the pages are laid out), and each page
 * of running text is then filled to the full depth, so facing pages end on the same baseline.
 */
window.reader = {
  async preview(bodyHtml, settings) {
    try {
      const w = window
      if (bodyHtml === null) {
        // The stylesheets Paged.js is about to take out of the document, for the next chunks.
        w.readerSheets = Array.from(document.querySelectorAll("link[rel='stylesheet']")).map((link) => link.href)
        w.readerLast = w.PagedPolyfill
        await w.PagedPolyfill.preview()
      } else {
        // Take the last chunk’s pages down with their observers and listeners, or they pile up.
        const last = w.readerLast
        if (last) {
          for (const p of last.chunker.pages ?? []) p.destroy()
          last.chunker.destroy()
          last.polisher.destroy()
        }
        document.querySelectorAll('style[data-pagedjs-inserted-styles]').forEach((style) => style.remove())
        document.body.innerHTML = bodyHtml
        w.readerLast = new w.Paged.Previewer(settings)
        await w.readerLast.preview(undefined, w.readerSheets ?? [])
      }
      await document.fonts.ready
      if (!window.readerStock) window.readerMakeup.justify()
      // Paged.js loads every @font-face; one that failed would silently fall back to another face.
      const broken = []
      document.fonts.forEach((font) => {
        if (font.status === 'error') broken.push(`${font.family.replace(/["']/g, '')} ${font.style} ${font.weight}`)
      })
      return broken.length ? `font-load:${[...new Set(broken)].join(', ')}` : null
    } catch (error) {
      return String(error?.stack || error)
    }
  },
  collect(ids, lineIds) {
    const pages = Array.from(document.querySelectorAll('.pagedjs_page'))
    const skipSelector = '[data-print-added], [data-footnote-call], [data-print-hidden], .footnote, script, style'
    /** Text nodes of an element that count as the reader HTML’s text. */
    const texts = (root) => {
      const out = []
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement
        if (!parent) continue
        const skipped = parent.closest(skipSelector)
        if (skipped && root.contains(skipped) && skipped !== root) continue
        if (skipped && skipped === root && !root.matches('.footnote')) continue
        out.push(node)
      }
      return out
    }
    const length = (node) => {
      let value = (node.nodeValue || '').replace(/\u00AD/g, '')
      const parent = node.parentElement
      if (parent && parent.classList.contains('pagedjs_hyphen') && node === lastText(parent) && value.endsWith('-')) value = value.slice(0, -1)
      return value.length
    }
    const lastText = (element) => {
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT)
      let last = null
      for (let node = walker.nextNode(); node; node = walker.nextNode()) last = node
      return last
    }
    /** Line boxes of an element’s text (its raised and lowered text sharing its lines). */
    const lineCount = (element) => window.readerMakeup.lineCountOf(element)
    const blockOf = (node) => {
      for (let e = node.parentElement; e; e = e.parentElement) if (!getComputedStyle(e).display.startsWith('inline')) return e
      return null
    }
    const words = (element) => (element.textContent || '').trim().split(/\s+/).slice(0, 6).join(' ')
    /**
     * What a page carries alone (none, if the make-up holds): the last line of a paragraph at its
     * top (a widow), the first at its foot (an orphan), a list’s last item by itself at its top,
     * its first (a line shorter than the orphans kept) by itself at its foot.
     */
    const alone = (content) => {
      const found = []
      const textNodes = texts(content).filter((node) => /\S/.test(node.nodeValue || '') && !node.parentElement?.closest('[data-footnote-marker], .pagedjs_footnote_area'))
      const first = textNodes.length ? blockOf(textNodes[0]) : null
      const last = textNodes.length ? blockOf(textNodes[textNodes.length - 1]) : null
      if (first && first.hasAttribute('data-split-from') && !first.matches('ul, ol, section, div') && lineCount(first) === 1) found.push(`widow: ${words(first)}`)
      if (last && last.hasAttribute('data-split-to') && !last.matches('ul, ol, section, div') && lineCount(last) === 1) found.push(`orphan: ${words(last)}`)
      // (Nor may its box reach under its foot or its notes, more than a pixel of rounding: text could lie there.)
      const page = content.closest('.pagedjs_page')
      const notes = page.querySelector('.pagedjs_footnote_area')
      const foot = notes && notes.querySelector('.pagedjs_footnote_inner_content')?.textContent?.trim() ? notes.getBoundingClientRect().top : page.querySelector('.pagedjs_area').getBoundingClientRect().bottom
      if ((content.hasAttribute('data-below-foot') || content.getBoundingClientRect().bottom > foot + 1) && last) found.push(`below the foot: ${words(last)}`)
      for (const list of content.querySelectorAll('ul, ol')) {
        const items = Array.from(list.children).filter((e) => e.tagName === 'LI')
        if (items.length !== 1 || list.closest('.pagedjs_footnote_area, .toc, .index')) continue
        const item = items[0]
        if (list.hasAttribute('data-split-from') && !list.hasAttribute('data-split-to') && !item.hasAttribute('data-split-from')) found.push(`last item: ${words(item)}`)
        // (A first item of as many lines as a paragraph keeps at a page’s foot is not alone.)
        if (list.hasAttribute('data-split-to') && !list.hasAttribute('data-split-from') && !item.hasAttribute('data-split-to') && lineCount(item) < window.readerMakeup.orphansOf(item)) found.push(`first item: ${words(item)}`)
      }
      return found.length ? {alone: found} : {}
    }
    const done = new Map()
    let part = null
    const result = pages.map((pageElement, index) => {
      const content = pageElement.querySelector('.pagedjs_page_content')
      const starts = []
      content?.querySelectorAll('section.part, nav.part').forEach((section) => {
        if (!section.hasAttribute('data-split-from') && section.id) starts.push(section.id)
      })
      const sections = content ? Array.from(content.querySelectorAll('section.part, nav.part')) : []
      if (sections.length) {
        const lastSection = sections[sections.length - 1]
        part = lastSection.id || document.querySelector(`[data-ref="${lastSection.getAttribute('data-ref')}"][id]`)?.id || part
      }
      let block = null
      let offset = 0
      if (content) {
        for (const node of texts(content)) {
          if (!/\S/.test(node.nodeValue || '')) continue
          const owner = node.parentElement?.closest('[data-b]')
          if (!owner) break
          const b = owner.getAttribute('data-b')
          block = Number(b)
          offset = done.get(b) || 0
          for (const before of texts(owner)) {
            if (before === node) break
            offset += length(before)
          }
          break
        }
      }
      pageElement.querySelectorAll('.pagedjs_area [data-b]').forEach((element) => {
        const b = element.getAttribute('data-b')
        let sum = 0
        for (const node of texts(element)) sum += length(node)
        done.set(b, (done.get(b) || 0) + sum)
      })
      // Where the text area and its footnotes lie, in points (CSS px × 0.75) from the page’s top,
      // for telling the body, the footnotes and the furniture apart in the PDF’s text.
      const origin = pageElement.getBoundingClientRect().top
      const areaBox = pageElement.querySelector('.pagedjs_area')?.getBoundingClientRect()
      const notes = pageElement.querySelector('.pagedjs_footnote_area')
      const notesTop = notes && notes.querySelector('.pagedjs_footnote_inner_content')?.textContent?.trim() ? notes.getBoundingClientRect().top : areaBox?.bottom
      const pt = (px) => Math.round((px - origin) * 0.75 * 100) / 100
      return {
        index,
        ...(content ? alone(content) : {}),
        blank: pageElement.classList.contains('pagedjs_blank_page'),
        left: pageElement.classList.contains('pagedjs_left_page'),
        partStarts: starts,
        part: starts.length ? starts[starts.length - 1] : part,
        block,
        offset,
        ...(areaBox ? { area: [pt(areaBox.top), pt(areaBox.bottom), pt(notesTop)] } : {})
      }
    })
    const idIndex = {}
    for (const id of ids) {
      const element = document.getElementById(id)
      const pageElement = element?.closest('.pagedjs_page')
      if (pageElement) idIndex[id] = pages.indexOf(pageElement)
    }
    // The line an element starts on: the lines of its page’s text area (running heads and footnotes
    // are elsewhere) are the text’s line boxes from the top, found from where its text lies; raised
    // or lowered text (a note’s call) shares the line it sits on.
    const idLine = {}
    const linesOf = new Map()
    /** Text that counts for the lines: not blank, not raised or lowered (below `root`). */
    const counts = (node, root) => {
      if (!/\S/.test(node.nodeValue || '')) return false
      for (let e = node.parentElement; e && e !== root; e = e.parentElement) if (getComputedStyle(e).verticalAlign !== 'baseline')
          return false
      return true
    }
    const range = document.createRange()
    /** The [top, bottom] of each line box a text node fills. */
    const rectsOf = (node) => {
      range.selectNodeContents(node)
      return Array.from(range.getClientRects())
        .filter((r) => r.width > 0 && r.height > 0)
        .map((r) => [r.top, r.bottom])
    }
    const boxes = (root, within) => {
      const found = []
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
      for (let node = walker.nextNode(); node; node = walker.nextNode()) if (counts(node, within))
          found.push(...rectsOf(node))
      return found
    }
    /** Where an element’s text begins; for one that shows nothing (an omission), where the text before it ends. */
    const spot = (element, area) => {
      const own = boxes(element, area)
      if (own.length) return own[0]
      const walker = document.createTreeWalker(area, NodeFilter.SHOW_TEXT)
      for (const step of ['previousNode', 'nextNode']) {
        walker.currentNode = element
        for (let node = walker[step](); node; node = walker[step]()) {
          if (element.contains(node) || !counts(node, area)) continue
          const rects = rectsOf(node)
          if (rects.length) return step === 'previousNode' ? rects[rects.length - 1] : rects[0]
        }
      }
      return undefined
    }
    for (const id of lineIds) {
      const element = document.getElementById(id)
      const area = element?.closest('.pagedjs_page')?.querySelector('.pagedjs_page_content')
      if (!element || !area || !area.contains(element)) continue
      // Lines as [middle, height]: a box within half a height of a line’s middle is on it (glyph
      // boxes are often taller than the line spacing, so the boxes of two lines overlap).
      let lines = linesOf.get(area)
      if (!lines) {
        lines = []
        const middles = boxes(area, area).map(([top, bottom]) => [(top + bottom) / 2, bottom - top])
        for (const [middle, height] of middles.sort((a, b) => a[0] - b[0])) {
          const last = lines[lines.length - 1]
          if (!last || middle - last[0] >= Math.max(last[1], height) / 2) lines.push([middle, height])
        }
        linesOf.set(area, lines)
      }
      const first = spot(element, area)
      if (!first || !lines.length) continue
      const middle = (first[0] + first[1]) / 2
      let nearest = 0
      lines.forEach(([m], i) => {
        if (Math.abs(m - middle) < Math.abs(lines[nearest][0] - middle)) nearest = i
      })
      idLine[id] = nearest + 1
    }
    return { pages: result, idIndex, idLine }
  },
  apply(decisions) {
    const css = (s) => JSON.stringify(s)
    document.querySelectorAll('.pagedjs_page').forEach((pageElement, index) => {
      const d = decisions.pages[index]
      if (!d) return
      pageElement.style.setProperty('--folio-head', css(d.folioHead))
      pageElement.style.setProperty('--folio-foot', css(d.folioFoot))
      pageElement.style.setProperty('--running-head', css(d.runningHead))
    })
    document.querySelectorAll('[data-pn-for]').forEach((element) => {
      const id = element.getAttribute('data-pn-for')
      element.textContent = (element.hasAttribute('data-pn-line') ? decisions.pageLines[id] : undefined) ?? decisions.pageNumbers[id] ?? '?'
    })
    document.querySelectorAll('[data-ix-refs]').forEach((element) => {
      element.innerHTML = decisions.indexRefs[element.getAttribute('data-ix-refs')] ?? '?'
    })
    // (The page numbers, shorter than their placeholders, may have taken lines out of the index.)
    // True when the index was laid out again: what landed where must then be collected again.
    return !window.readerStock && window.readerMakeup.indexColumns() === true
  },
  standIns(ids, linked) {
    const host = document.querySelector('.pagedjs_page .pagedjs_page_content') || document.body
    for (const id of linked) {
      const a = document.createElement('a')
      a.href = '#' + id
      a.setAttribute('data-print-stand-in', '')
      a.style.cssText = 'position:absolute;left:0;top:0;width:0;height:0;overflow:hidden'
      host.appendChild(a)
    }
    for (const id of ids) {
      if (document.getElementById(id)) continue
      const span = document.createElement('span')
      span.id = id
      span.setAttribute('data-print-stand-in', '')
      span.style.cssText = 'position:absolute;left:0;top:0;width:1px;height:1px;overflow:hidden'
      host.appendChild(span)
    }
  }
}

/**
 * Page make-up. What a typesetter does that Paged.js does not:
 *
 * - A page that goes on with a part (no forced break before it) starts with its first line: the
 *   first block drops its space above, and a heading there keeps the lines after it on the body’s
 *   line spacing (its space below rounded up to a whole line).
 * - Each page of running text ends on the full depth’s baseline (vertical justification): a page
 *   a break left short (a heading kept with its text, a widow avoided, a footnote that would not
 *   fit) gets the space it lacks, first before its headings and blocks (a line each at most), the
 *   rest spread over its lines; a page before a part opens, and pages set as a whole (title
 *   pages), are left as they are. Its footnotes end on that baseline too. Only space changes: no
 *   line breaks anew and no text moves to another page. Contents pages are filled the same way,
 *   their entries spaced out. A page’s box then settles at its depth (`settle`).
 * - The index is laid out again over its pages once its page numbers are written in, in two
 *   columns of its own (`indexColumns`).
 */
window.readerMakeup = (() => {
  /** Parts whose pages are composed as a whole, not filled. */
  const composed = '.half-title, .title-page, .copyright, .toc, .index'
  /** Breaks that start a page on purpose: the space after them is the design’s. */
  const forced = new Set(['page', 'left', 'right', 'recto', 'verso', 'always'])
  /** Most a page is filled, in lines: a page shorter than that stays short (and is reported). */
  const most = 5.5

  const px = (value) => parseFloat(value) || 0
  const leading = () => px(getComputedStyle(document.documentElement).lineHeight)

  /** Where a line’s baseline lies: a zero-size inline-block’s bottom, put after `node` for a moment. */
  function baselineAfter(node) {
    const probe = document.createElement('span')
    probe.style.cssText = 'display:inline-block;width:0;height:0;margin:0;padding:0;border:0;vertical-align:baseline'
    node.parentNode.insertBefore(probe, node.nextSibling)
    const bottom = probe.getBoundingClientRect().bottom
    probe.remove()
    return bottom
  }

  /** Text that sits on its line (not raised or lowered, not hidden), inside `root`. */
  function onLine(node, root) {
    if (!/\S/.test(node.nodeValue || '')) return false
    for (let e = node.parentElement; e && e !== root; e = e.parentElement) {
      const style = getComputedStyle(e)
      if (style.verticalAlign !== 'baseline' || style.display === 'none') return false
    }
    return true
  }

  /** The baseline of the last line of text inside `root` (null if none); none lower than `limit` (cut off from sight). */
  function lastBaseline(root, limit = Infinity) {
    let last = null
    let box = null
    let lowest = -Infinity
    const range = document.createRange()
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!onLine(node, root)) continue
      range.selectNodeContents(node)
      const rects = Array.from(range.getClientRects()).filter((r) => r.height > 0 && r.bottom <= limit)
      if (!rects.length) continue
      const bottom = rects[rects.length - 1].bottom
      if (bottom >= lowest - 0.5) {
        lowest = bottom
        last = node
        box = rects[rects.length - 1]
      }
    }
    if (!last) return null
    // (A probe after a text a page break cut short may land on a line out of sight: then the
    // baseline is estimated from the text’s box, a quarter of it above its bottom.)
    const baseline = baselineAfter(last)
    return baseline >= box.top && baseline <= box.bottom ? baseline : box.bottom - box.height / 4
  }

  /** How far below a line box’s top the body’s baseline lies: measured on a paragraph of running text. */
  let firstBaseline
  function baselineOffset() {
    if (firstBaseline !== undefined) return firstBaseline
    const p = Array.from(document.querySelectorAll('.pagedjs_page_content p')).find((p) => !p.hasAttribute('data-split-from') && p.firstChild && getComputedStyle(p).lineHeight === getComputedStyle(document.documentElement).lineHeight)
    if (!p) return (firstBaseline = 0.78 * leading())
    const probe = document.createElement('span')
    probe.style.cssText = 'display:inline-block;width:0;height:0;vertical-align:baseline'
    p.insertBefore(probe, p.firstChild)
    firstBaseline = probe.getBoundingClientRect().bottom - p.getBoundingClientRect().top - px(getComputedStyle(p).paddingTop) - px(getComputedStyle(p).borderTopWidth)
    probe.remove()
    return firstBaseline
  }

  /**
   * The baseline of the last body line a text box of this height can hold, from its top (half a
   * pixel kept spare: Chromium puts line boxes on whole pixels).
   */
  function depthOf(top, height) {
    const line = leading()
    return top + (Math.floor((height - 0.5) / line) - 1) * line + baselineOffset()
  }

  /** Whether the text of `page` goes on over the next page (not the end of a part, not the book’s end). */
  function continues(page, next) {
    if (!next || next.classList.contains('pagedjs_blank_page')) return false
    const content = next.querySelector('.pagedjs_page_content')
    const opening = content && Array.from(content.querySelectorAll('section.part, nav.part')).some((s) => !s.hasAttribute('data-split-from'))
    return !opening
  }

  /** Blocks on the page whose space above may grow (not the page’s first). */
  function gaps(content) {
    const found = []
    for (const element of content.querySelectorAll('h2, h3, h4, h5, h6, blockquote, ul, ol, hr, figure, table, pre, .epigraph, .notes, .ednotes')) {
      if (element.closest('.pagedjs_footnote_area') || element.hasAttribute('data-page-top') || element.hasAttribute('data-split-from')) continue
      if (px(getComputedStyle(element).marginTop) <= 0) continue
      if (element.parentElement?.closest('ul, ol, blockquote')) continue
      found.push(element)
    }
    return found
  }

  /** Blocks holding lines of text (their line spacing may grow a little). */
  function lineBlocks(content) {
    return Array.from(content.querySelectorAll('p, li, h1, h2, h3, h4, h5, h6, dt, dd, blockquote, pre, figcaption, td, th')).filter((e) => {
      const style = getComputedStyle(e)
      return style.display !== 'none' && style.lineHeight !== 'normal' && !e.closest('.pagedjs_footnote_area')
    })
  }

  /** Whether any text of the page’s body lies beyond its box (in a column out of sight). */
  function textBeyond(content) {
    const box = content.getBoundingClientRect()
    const range = document.createRange()
    const walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!/\S/.test(node.nodeValue || '')) continue
      range.selectNodeContents(node)
      for (const rect of range.getClientRects()) if (rect.width > 0 && (rect.left >= box.right - 1 || rect.top >= box.bottom)) return true
    }
    return false
  }

  /**
   * Fill a page’s body to `target` (a baseline, px): space before blocks first, then between lines.
   * Its lines are already laid out and no more can come: its box is made a line deeper (over its
   * footnotes’ top space), so that lines spaced further apart are not broken into the
   * next column (Chromium would send a widow there, out of sight). Undone if its last line would
   * then lie below the target or any text would leave the page: each block gets back its style as
   * written before, the page-top make-up’s included (a heading at the top that took back its space
   * above would push the lines below it off the page). The box then settles back at its depth.
   */
  function fill(content, target) {
    /** Each block changed, with its style attribute as it was (null: none). */
    const written = new Map()
    const touch = (element) => {
      if (!written.has(element)) written.set(element, element.getAttribute('style'))
    }
    // (In pixels: the box’s own child inherits its height as written. The footnotes stay where they are.)
    const depth = content.getBoundingClientRect().height
    content.style.height = `${depth + leading()}px`
    content.style.marginBottom = `-${leading()}px`
    const undo = () => {
      for (const [element, style] of written) {
        if (style === null) element.removeAttribute('style')
        else element.setAttribute('style', style)
        delete element.dataset.leading
      }
    }
    fillTo(content, target, touch)
    const last = lastBaseline(content)
    if (last === null || last > target + 1 || textBeyond(content)) undo()
    settle(content, depth)
  }

  /** Most a page’s box may be deepened to show its last line: what whole-pixel rounding takes (px). */
  const rounding = 1

  /**
   * A page’s box back at its depth (`depth`, px): the box a fill deepened, so that nothing lies
   * under the page’s foot, over its footnotes. Chromium’s columns may want a fraction of a pixel
   * more for the lines Paged.js saw fit (its measure rounds): the box gets that, up to `rounding`.
   * Text that would still go out of sight (in a column to the right) is shown, the box as deep as
   * it needs, and the page is marked (`data-below-foot`): collect reports it.
   */
  function settle(content, depth) {
    const deepen = (extra) => {
      content.style.height = `${depth + extra}px`
      content.style.marginBottom = extra ? `-${extra}px` : ''
    }
    deepen(0)
    if (!textBeyond(content)) return
    let low = 0
    let high = rounding
    deepen(high)
    if (textBeyond(content)) {
      for (high = 2 * rounding; high < depth && (deepen(high), textBeyond(content)); high *= 2) low = high
      content.dataset.belowFoot = ''
    }
    // (The least extra height, to a sixteenth of a pixel, that shows every line.)
    while (high - low > 1 / 16) {
      const middle = (low + high) / 2
      deepen(middle)
      if (textBeyond(content)) low = middle
      else high = middle
    }
    deepen(high)
  }

  /** Fill to `target`; `touch(element)` is told of each element before its style changes. */
  function fillTo(content, target, touch) {
    const now = () => lastBaseline(content)
    let baseline = now()
    if (baseline === null) return
    let short = target - baseline
    if (short <= 0.5 || short > most * leading()) return
    const blocks = gaps(content)
    if (blocks.length) {
      const each = Math.min(leading() / 2, short / blocks.length)
      for (const block of blocks) {
        touch(block)
        block.style.marginTop = `${px(getComputedStyle(block).marginTop) + each}px`
      }
      baseline = now()
      short = target - baseline
    }
    if (short > 0.5) {
      const lines = lineBlocks(content)
      lines.forEach(touch)
      const set = (extra) => {
        for (const block of lines) {
          if (block.dataset.leading === undefined) block.dataset.leading = getComputedStyle(block).lineHeight
          block.style.lineHeight = `${px(block.dataset.leading) + extra}px`
        }
      }
      // The last baseline moves by so much for each pixel added to every line (about the page’s lines).
      // (A quarter pixel each moves it less than a line: no line is broken into the next column.)
      set(0.25)
      const perPixel = (now() - baseline) * 4
      let extra = perPixel > 0 ? short / perPixel : 0
      set(extra)
      // Lines fall on whole pixels: step back until the last line is no lower than the target.
      for (let i = 0, over = now() - target; i < 4 && over > 0.5; i++, over = now() - target) set((extra -= over / perPixel + 0.01))
    }
  }

  /** The boxes of an element’s text on its own lines (onLine), text inside `skip` (a selector) left out. */
  function textRects(element, skip) {
    const rects = []
    const range = document.createRange()
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!onLine(node, element) || (skip && node.parentElement.closest(skip))) continue
      range.selectNodeContents(node)
      rects.push(...range.getClientRects())
    }
    return rects
  }

  /** The lines an element’s text takes (raised or lowered text on the line it sits on). */
  function lineCountOf(element) {
    const middles = textRects(element)
      .filter((r) => r.width > 0 && r.height > 0)
      .map((r) => [(r.top + r.bottom) / 2, r.height])
    middles.sort((a, b) => a[0] - b[0])
    let lines = 0
    let last = -Infinity
    for (const [middle, height] of middles) if (middle - last >= height / 2) {
        lines++
        last = middle
      }
    return lines
  }

  /** The least lines of a block kept at a page’s foot (its `orphans`, or its paragraphs’): what collect holds a list’s first item to. */
  const orphansOf = (element) => Math.max(1, Number(getComputedStyle(element.querySelector('p') ?? element).orphans) || 2)

  /** Whether an item is its list’s last in the content Paged.js lays out (`source`), not just on the page so far. */
  const isLastItem = (item, source) => {
    const ref = item.getAttribute('data-ref')
    const original = ref && source?.querySelector(`[data-ref="${ref}"]`)
    return original ? !original.nextElementSibling : false
  }

  /** Whether the page holds text before a point (a break there leaves something on the page). */
  const textBefore = (rendered, range) => {
    const head = document.createRange()
    head.setStart(rendered, 0)
    head.setEnd(range.startContainer, range.startOffset)
    return /\S/.test(head.toString())
  }

  /** `break-after: avoid` (Paged.js takes it out of the style sheet and marks the elements instead). */
  const keptWithNext = (element, next) =>
    element.dataset.breakAfter === 'avoid' || next.dataset.previousBreakAfter === 'avoid' || getComputedStyle(element).breakAfter === 'avoid'

  /** The block (not inline) an overflow begins in. */
  const blockAt = (node) => {
    for (let e = node.nodeType === 1 ? node : node.parentElement; e; e = e.parentElement) if (!getComputedStyle(e).display.startsWith('inline')) return e
    return null
  }

  /**
   * A block’s lines before a break (their tops) and how many after it: those of its text before
   * `start` that lie on the page stay; the rest go over.
   */
  function linesAround(block, bounds, start) {
    // (Its footnotes, not yet moved to the page’s foot, are not its lines; nor is a raised call: it
    // sits on a line of the text.)
    const rects = textRects(block, '[data-note], [data-footnote-call]')
    const lines = []
    const head = document.createRange()
    head.setStart(block, 0)
    head.setEnd(start.node, start.offset)
    const kept = Array.from(head.getClientRects()).filter((r) => r.width > 0 && r.left < bounds.right - 1 && r.top < bounds.bottom - 1)
    for (const r of rects) {
      if (r.width <= 0 || r.height <= 0) continue
      const page = r.left < bounds.right - 1 && r.top < bounds.bottom - 1
      const on = page && kept.some((k) => Math.abs(k.top - r.top) < r.height / 2)
      const middle = (r.top + r.bottom) / 2
      if (!lines.some((l) => l.on === on && l.page === page && Math.abs(l.middle - middle) < r.height / 2)) lines.push({middle, top: r.top, on, page})
    }
    return {
      before: lines.filter((l) => l.on).sort((a, b) => a.top - b.top),
      /** Lines on the page that go over (the rest of a line the break takes a word from). */
      moved: lines.filter((l) => !l.on && l.page).length,
      /** Lines already beyond the page. */
      beyond: lines.filter((l) => !l.page).length
    }
  }

  /**
   * Each character of `block`’s text in order, with the one before it and where the word it is in
   * starts (`start`: the last word begun, null before the first).
   */
  function* characters(block) {
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT)
    let previous = ' '
    let start = null
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.nodeValue || ''
      for (let i = 0; i < text.length; i++) {
        const before = previous
        if (/\s/.test(before) && !/\s/.test(text[i])) start = {node, offset: i}
        previous = text[i]
        yield {node, offset: i, c: text[i], before, start}
      }
    }
  }

  /**
   * Where the word a break falls right after starts (null if whitespace comes before or after the
   * break): a break before an element glued to its word (a note’s call) takes the word along; one
   * before an element that starts with a space (a line the fitting pass spaced) does not. `character`:
   * the one the break falls at (characterAt).
   */
  function wordStartBefore(character) {
    return !character || /\s/.test(character.before) || /\s/.test(character.c) ? null : character.start
  }

  /** The character of `block` the break `overflow` starts at (with the one before it and its word's start), if any. */
  function characterAt(block, overflow) {
    for (const character of characters(block)) if (overflow.comparePoint(character.node, character.offset) >= 0) return character
    return null
  }

  /** Where the word that begins on the line at `top` (or the word it ends) starts inside `block`. */
  function wordStartOn(block, top) {
    const range = document.createRange()
    for (const {node, offset, c, start} of characters(block)) {
      if (/\s/.test(c) || !start) continue
      range.setStart(node, offset)
      range.setEnd(node, offset + 1)
      const rect = Array.from(range.getClientRects()).find((r) => r.width > 0)
      if (rect && rect.top >= top - 1) return start
    }
    return null
  }

  /**
   * The index’s pages, set column by column: Paged.js paginates the index with placeholders for
   * its page numbers and lays each page’s two CSS columns out inside its own page columns, so its
   * pages end short and their columns unlevel, and more so once the real numbers (shorter: runs
   * joined, repeats dropped) are written in. Here the entries are laid out again over the same
   * pages, each page’s `.index-groups` as two columns of its own: every column but the last
   * page’s is filled with whole entries down to the full depth’s last baseline and the space left
   * (less than an entry) goes before its letter groups (or between its entries), so both columns
   * end on that baseline; the last page’s entries are balanced over its two columns. A letter is
   * kept with the entry after its first (its first is in its element).
   * Nothing is changed when the entries would not fit the pages (a page count is already decided).
   * True when the pages were laid out again.
   */
  function indexColumns() {
    const fragments = Array.from(document.querySelectorAll('.pagedjs_page .index-groups'))
    if (!fragments.length) return
    const entries = []
    for (const fragment of fragments) {
      for (const li of fragment.querySelectorAll('li')) {
        // (An entry Paged.js split over two pages is left as it is.)
        if (li.hasAttribute('data-split-from') || li.hasAttribute('data-split-to')) return
        if (li.parentElement?.closest('li')) continue
        const section = li.closest('.index-group') || li.parentElement
        entries.push({li, list: li.parentElement, section, group: section.getAttribute('data-ref') || section.getAttribute('aria-labelledby')})
      }
    }
    if (!entries.length) return
    for (const entry of entries) entry.lettered = !!entry.li.querySelector('.index-letter')
    // (A letter Paged.js set at a page’s top dropped its space above: here it may come anywhere.)
    const tops = fragments.flatMap((fragment) => Array.from(fragment.querySelectorAll('[data-page-top]'))).map((element) => [element, element.style.marginTop])
    for (const [element] of tops) {
      element.style.marginTop = ''
      element.removeAttribute('data-page-top')
    }
    const saved = fragments.map((fragment) => ({fragment, children: Array.from(fragment.childNodes), style: fragment.getAttribute('style')}))
    const restore = () => {
      for (const {fragment, children, style} of saved) {
        fragment.replaceChildren(...children)
        if (style === null) fragment.removeAttribute('style')
        else fragment.setAttribute('style', style)
      }
    }
    /** A column: `add(entry)` puts an entry at its foot (in a copy of its group’s section and list when the group changes). */
    const column = (fragment) => {
      const element = document.createElement('div')
      element.className = 'ix-column'
      element.style.cssText = 'flex: 1 1 0; min-width: 0'
      fragment.appendChild(element)
      let group
      let list
      return {
        element,
        placed: [],
        add(entry) {
          if (entry.group !== group || !list) {
            const section = entry.section.cloneNode(false)
            list = entry.list.cloneNode(false)
            for (const copy of [section, list]) for (const name of ['data-split-from', 'data-split-to', 'id']) copy.removeAttribute(name)
            const grouped = entry.section !== entry.list
            if (grouped) section.appendChild(list)
            element.appendChild(grouped ? section : list)
            group = entry.group
          }
          list.appendChild(entry.li)
          this.placed.push(entry)
        },
        /** Take the entries from `from` (an index into `placed`) out again. */
        takeFrom(from) {
          for (const entry of this.placed.splice(from)) {
            const parent = entry.li.parentElement
            entry.li.remove()
            if (parent && !parent.children.length) (parent.closest('.ix-column > *') ?? parent).remove()
          }
          const lastList = element.lastElementChild?.querySelector?.('ul, ol') ?? (element.lastElementChild?.matches?.('ul, ol') ? element.lastElementChild : null)
          group = this.placed.length ? this.placed[this.placed.length - 1].group : undefined
          list = lastList
        }
      }
    }
    for (const {fragment} of saved) {
      const gap = getComputedStyle(fragment).columnGap
      fragment.replaceChildren()
      fragment.style.columns = 'auto'
      fragment.style.display = 'flex'
      fragment.style.alignItems = 'flex-start'
      fragment.style.columnGap = gap === 'normal' ? '1em' : gap
    }
    /**
     * Fill `col` with `list`’s entries from `next` while their last baseline stays at `target` or
     * above (and on the page, `box`): one too deep is split, the lines that fit staying (two at
     * least, two going over) and the rest put in `list` as the next entry, or goes to the next
     * column whole, with what may not be parted from it. Returns where the next column starts.
     */
    const fillInto = (col, list, next, target, box) => {
      const start = next
      const fits = (entry) => {
        // (Lines below the page go on in a column of Paged.js’s out of sight, to its right.)
        const last = lastBaseline(col.element)
        return (last === null || last <= target + 0.5) && !Array.from(entry.li.getClientRects()).some((r) => r.right > box.right + 1 || r.bottom > box.bottom + 1)
      }
      for (; next < list.length; next++) {
        col.add(list[next])
        if (fits(list[next])) continue
        const rest = splitEntry(list[next], () => fits(list[next]))
        if (rest) {
          list.splice(next + 1, 0, rest)
          return next + 1
        }
        let at = next
        while (at > start + 1 && !breakable(list, at)) at--
        col.takeFrom(at - start)
        return at
      }
      return next
    }
    /** Entries split over two columns made whole again (those of `list` from `from`). */
    const rejoin = (list, from = 0) => {
      for (let i = list.length - 1; i >= from; i--) {
        const entry = list[i]
        if (entry.from && list.indexOf(entry.from) >= from) {
          entry.from.li.append(...entry.li.childNodes)
          list.splice(i, 1)
        }
      }
    }
    const pages = []
    let next = 0
    for (const {fragment} of saved) {
      const content = fragment.closest('.pagedjs_page_content')
      const box = content.getBoundingClientRect()
      const target = depthOf(box.top, box.height)
      const columns = [column(fragment), column(fragment)]
      const first = next
      for (const col of columns) next = fillInto(col, entries, next, target, box)
      pages.push({columns, target, box, first})
    }
    if (next < entries.length) {
      rejoin(entries)
      for (const [element, margin] of tops) {
        element.style.marginTop = margin
        element.setAttribute('data-page-top', '')
      }
      restore()
      return
    }
    // The last page with entries: its entries balanced over its two columns; the pages before it
    // filled to the depth; a page after it (the numbers took that many lines out) left blank.
    const lastPage = pages.findLastIndex((page) => page.columns[0].placed.length)
    pages.forEach((page, p) => {
      if (p < lastPage) for (const col of page.columns) fillColumn(col.element, page.target)
      if (p > lastPage) {
        const sheet = saved[p].fragment.closest('.pagedjs_page')
        for (const name of ['--folio-head', '--folio-foot', '--running-head']) sheet.style.setProperty(name, '""')
      }
    })
    if (lastPage < 0) return true
    // The last page: the shallowest depth its first column can be filled to with the rest fitting
    // in the second, found by halving (to a pixel).
    const {columns, box, target, first} = pages[lastPage]
    const list = entries.slice(first)
    const trial = (depth) => {
      for (const col of columns) col.takeFrom(0)
      rejoin(list)
      const second = fillInto(columns[0], list, 0, depth, box)
      for (let i = second; i < list.length; i++) columns[1].add(list[i])
      const last = lastBaseline(columns[1].element)
      return (last === null || last <= depth + 0.5) && !list.slice(second).some((entry) => Array.from(entry.li.getClientRects()).some((r) => r.right > box.right + 1 || r.bottom > box.bottom + 1))
    }
    let low = box.top
    let high = target
    while (high - low > 1) {
      const middle = (low + high) / 2
      if (trial(middle)) high = middle
      else low = middle
    }
    trial(high)
    return true
  }

  /** A column may end before `list[i]`: not between a letter’s first entry and the next (a letter and one entry alone). */
  const breakable = (list, i) => i <= 0 || i >= list.length || list[i - 1].group !== list[i].group || !list[i - 1].lettered

  /**
   * An index entry split where a line of it ends, when `fits()` says its first lines fit where
   * they stand: the most of them that fit, two at least, and two at least for the rest, which is
   * returned as an entry of its own (its lines turned over as the first part’s). Undefined, and the
   * entry as it was, when no split fits.
   */
  function splitEntry(entry, fits) {
    const {li} = entry
    // (Lines on the page, and lines gone on in Paged.js’s next column, out of sight to its right.)
    const right = li.closest('.pagedjs_page_content').getBoundingClientRect().right
    const same = (line, r) => Math.abs(line.top - r.top) < Math.max(line.height, r.height) / 2 && line.beyond === r.left >= right - 1
    const tops = []
    const range = document.createRange()
    for (const r of textRects(li, '.index-letter')) if (r.width > 0 && !tops.some((top) => same(top, r))) tops.push({top: r.top, height: r.height, beyond: r.left >= right - 1})
    // (Lines in the order they come: those gone out of sight, in Paged.js’s next column, come after.)
    const whole = li.cloneNode(true)
    for (let keep = tops.length - 2; keep >= 2; keep--) {
      // The word that begins line `keep + 1` (the first on it not inside a word begun before).
      let start = null
      for (const {c, start: word} of characters(li)) {
        if (/\s/.test(c) || !word) continue
        range.setStart(word.node, word.offset)
        range.setEnd(word.node, word.offset + 1)
        const rect = Array.from(range.getClientRects()).find((r) => r.width > 0)
        const line = rect ? tops.findIndex((top) => same(top, rect)) : -1
        if (line >= keep) {
          start = word
          break
        }
      }
      if (!start) continue
      const rest = li.cloneNode(false)
      rest.removeAttribute('id')
      rest.classList.add('ix-continued')
      rest.style.textIndent = '0'
      range.setStart(start.node, start.offset)
      range.setEndAfter(li.lastChild)
      rest.appendChild(range.extractContents())
      if (fits()) return {...entry, li: rest, lettered: false, from: entry}
      li.replaceChildren(...whole.cloneNode(true).childNodes)
    }
    return undefined
  }

  /** Space out an index column’s entries so its last baseline falls on `target`: before its letters first, else between its entries. */
  function fillColumn(element, target) {
    const top = element.getBoundingClientRect().top
    const letters = Array.from(element.querySelectorAll('.index-letter')).filter((letter) => letter.getBoundingClientRect().top - top > 1)
    spaceOut(element, letters.length ? letters : Array.from(element.querySelectorAll('li')).slice(1), target)
  }

  /**
   * More space above each of `items` inside `root`, alike, so that its last baseline falls on
   * `target` (no more than `most` lines). With `depth` (px), `root` is a page’s box: the space is
   * taken back if a line would go out of sight, and the box settles at that depth.
   */
  function spaceOut(root, items, target, depth) {
    const last = lastBaseline(root)
    const short = last === null ? 0 : target - last
    if (short > 0.25 && short <= most * leading() && items.length) {
      // (As padding: a margin would collapse with the one above it, and be lost in it.)
      const styles = items.map((item) => [item, item.getAttribute('style'), px(getComputedStyle(item).paddingTop)])
      const spread = (extra) => {
        for (const [item, , padding] of styles) item.style.paddingTop = `${padding + extra}px`
      }
      if (depth !== undefined) {
        root.style.height = `${depth + leading()}px`
        root.style.marginBottom = `-${leading()}px`
      }
      let extra = short / items.length
      spread(extra)
      // (Positions are rounded: a second step corrects what the first missed.)
      const miss = target - lastBaseline(root)
      if (Math.abs(miss) > 0.25) spread((extra += miss / items.length))
      if (depth !== undefined && (lastBaseline(root) > target + 1 || textBeyond(root))) {
        for (const [item, style] of styles) {
          if (style === null) item.removeAttribute('style')
          else item.setAttribute('style', style)
        }
      }
    }
    if (depth !== undefined) settle(root, depth)
  }

  return {
    indexColumns,
    lineCountOf,
    orphansOf,
    /** Paged.js handler: the first block of a page that goes on with a part drops its space above. */
    Handler: class extends window.Paged.Handler {
      /**
       * No line of a paragraph alone over a page (Chromium’s columns, where Paged.js lays a page
       * out, do not keep `widows`): a last line alone on the next page takes the line before it
       * with it; a first line alone at the foot goes over with its paragraph (and a heading kept
       * with it).
       */
      onOverflow(overflow, rendered, bounds) {
        if (!overflow) return
        const at = overflow.startContainer.nodeType === 1 ? overflow.startContainer.childNodes[overflow.startOffset] || overflow.startContainer : overflow.startContainer
        const block = blockAt(at)
        if (!block || !rendered.contains(block) || block.closest('.pagedjs_footnote_area, td, th')) return
        const range = document.createRange()
        range.setEndAfter(rendered.lastChild)
        // A list’s last item does not go over alone: the item before it goes with it.
        const item = at.nodeType === 1 && at.tagName === 'LI' ? at : null
        if (item && !item.hasAttribute('data-split-from')) {
          const list = item.parentElement
          const items = Array.from(list.children).filter((e) => e.tagName === 'LI')
          const index = items.indexOf(item)
          if (index === items.length - 1 && index >= 2 && isLastItem(item, this.chunker.source)) {
            range.setStartBefore(items[index - 1])
            if (textBefore(rendered, range)) return range
          }
        }
        // Nor does a list’s first item (shorter than the lines a paragraph keeps at a foot) stay
        // alone at the page’s foot: the list goes over, with what is kept with it (its heading).
        const li = at.nodeType === 1 && at.tagName === 'LI' ? at : (at.nodeType === 3 ? at.parentElement : at)?.closest?.('li')
        if (li && li.parentElement && !li.hasAttribute('data-split-from') && !li.closest('.pagedjs_footnote_area, .index')) {
          const list = li.parentElement
          const items = Array.from(list.children).filter((e) => e.tagName === 'LI')
          const ahead = document.createRange()
          ahead.setStart(li, 0)
          ahead.setEnd(overflow.startContainer, overflow.startOffset)
          if (items.indexOf(li) === 1 && !/\S/.test(ahead.toString()) && !list.hasAttribute('data-split-from') && lineCountOf(items[0]) < orphansOf(items[0])) {
            let first = list
            while (first.previousElementSibling && keptWithNext(first.previousElementSibling, first)) first = first.previousElementSibling
            range.setStartBefore(first)
            if (textBefore(rendered, range)) return range
          }
        }
        // A break right after a word with nothing between (a note’s call after its word) is inside
        // that word: the word goes over with it.
        let start = {node: overflow.startContainer, offset: overflow.startOffset}
        const character = characterAt(block, overflow)
        const glued = wordStartBefore(character)
        if (glued) start = glued
        let {before: kept, moved, beyond} = linesAround(block, bounds, start)
        // A word the page’s last line broke at a soft hyphen goes over with that whole line (no
        // hyphen ends a page): the line, and the paragraph’s lines after it, keep the breaks and the
        // spacing the fitting pass set them, and the page runs a line short (the make-up fills it).
        let whole = false
        if (glued && !moved && kept.length > 1 && character.before === '\u00AD') {
          const line = wordStartOn(block, kept[kept.length - 1].top)
          if (line && (line.node !== glued.node || line.offset !== glued.offset)) {
            start = line
            ;({before: kept, moved, beyond} = linesAround(block, bounds, start))
            whole = true
          }
        }
        // (A word taken from the page’s last line makes a line on the next page, or goes on its
        // first; taking more lines starts with the one it came from.)
        const word = glued && !whole
        const after = word ? Math.max(1, moved) + beyond - (beyond ? 1 : 0) : moved + beyond
        const before = word && !moved ? kept.slice(0, -1) : kept
        const style = getComputedStyle(block)
        const widows = Math.max(1, Number(style.widows) || 2)
        const orphans = Math.max(1, Number(style.orphans) || 2)
        if (before.length && after && after < widows && before.length - (widows - after) >= orphans) {
          const line = wordStartOn(block, before[before.length - (widows - after)].top)
          if (line) start = line
        } else if (after && (before.length < orphans || after < widows)) {
          // The whole paragraph goes over, with the heading (or other block) it is kept with.
          let first = block
          while (first.previousElementSibling && keptWithNext(first.previousElementSibling, first)) first = first.previousElementSibling
          range.setStartBefore(first)
          if (textBefore(rendered, range)) return range
          return
        }
        if (start.node === overflow.startContainer && start.offset === overflow.startOffset) return
        // (Paged.js reads a break at a text node’s start as none: the break goes before the node.)
        if (start.node.nodeType === 3 && start.offset === 0) range.setStartBefore(start.node)
        else range.setStart(start.node, start.offset)
        // (Never a break that would leave the page empty: Paged.js would lay it out again and again.)
        if (textBefore(rendered, range)) return range
      }
      onPageLayout(wrapper) {
        this.top = wrapper
      }
      renderNode(clone) {
        const wrapper = this.top
        if (!wrapper || clone.nodeType !== 1 || clone.closest('.pagedjs_footnote_area')) return
        const text = (e) => (e.textContent || '').replace(/\s+/g, '')
        if (text(wrapper) !== text(clone)) {
          this.top = null
          return
        }
        const opens = (clone.matches('.part') && !clone.hasAttribute('data-split-from')) || forced.has(clone.dataset.breakBefore)
        if (opens) {
          this.top = null
          return
        }
        if (!clone.hasAttribute('data-split-from') && !getComputedStyle(clone).display.startsWith('inline')) {
          for (let e = clone; e && !getComputedStyle(e).display.startsWith('inline'); e = e.firstElementChild) {
            e.style.marginTop = '0px'
            e.setAttribute('data-page-top', '')
          }
          if (/^H[1-6]$/.test(clone.tagName)) {
            // Back on the body’s lines: the heading and its space below take whole lines.
            const line = leading()
            const below = px(getComputedStyle(clone).marginBottom)
            const height = clone.getBoundingClientRect().height
            clone.style.marginBottom = `${Math.ceil((height + below) / line - 0.05) * line - height}px`
          }
        }
        if (text(clone)) this.top = null
      }
    },

    /** Fill each page of running text to the full depth, its footnotes too. */
    justify() {
      const pages = Array.from(document.querySelectorAll('.pagedjs_page'))
      pages.forEach((page, i) => {
        if (page.classList.contains('pagedjs_blank_page')) return
        const content = page.querySelector('.pagedjs_page_content')
        const area = page.querySelector('.pagedjs_area')
        if (!content || !area) return
        const box = content.getBoundingClientRect()
        const whole = area.getBoundingClientRect()
        // Footnotes end on the full depth’s baseline.
        const notes = page.querySelector('.pagedjs_footnote_area')
        const noteBaseline = notes && notes.textContent.trim() ? lastBaseline(notes, whole.bottom + 1) : null
        if (noteBaseline !== null) {
          const shift = depthOf(whole.top, whole.height) - noteBaseline
          if (Math.abs(shift) <= 3) notes.style.transform = `translateY(${shift}px)`
        }
        const goesOn = continues(page, pages[i + 1])
        if (content.querySelector('.toc') && !content.querySelector(composed.replace('.toc, ', ''))) {
          // The contents: a page the list goes on from ends on the full depth, its entries spaced out.
          const entries = Array.from(content.querySelectorAll('.toc > ol > li')).filter((li) => li.getBoundingClientRect().top - box.top > 1)
          if (goesOn) spaceOut(content, entries, depthOf(box.top, box.height), box.height)
          else settle(content, box.height)
          return
        }
        if (content.querySelector(composed) || content.closest(composed) || !goesOn) settle(content, box.height)
        else fill(content, depthOf(box.top, box.height))
      })
    }
  }
})()
// (Not when Paged.js runs as published, to compare with: `pageScripts({stock: true})`.)
if (!window.readerStock) window.Paged.registerHandlers(window.readerMakeup.Handler)

/**
 * The lines the fitting pass chose (fit.ts): a paragraph whose breaks were chosen as a whole has
 * spans (`data-fit-line`) whose word spacing makes Chromium break each line there, and the offsets
 * in its text where its lines start (`data-fit-starts`). A page that starts inside one of those
 * lines (a word broken at the foot of the page before goes over whole) no longer starts where the
 * lines were chosen: on that page the rest of the paragraph is set as Chromium sets it, the spans'
 * spacing left out, rather than lines broken against spacing meant for other words.
 */
window.readerFitLines = class extends window.Paged.Handler {
  constructor(chunker, polisher, caller) {
    super(chunker, polisher, caller)
    this.offLine = new WeakSet()
  }
  onBreakToken(token) {
    const node = token && token.node
    if (!node) return
    const element = node.nodeType === 3 ? node.parentElement : node
    const block = element && element.closest && element.closest('[data-fit-starts]')
    if (!block) return
    // The token's place in the paragraph's text.
    let at = 0
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT)
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      if (t === node) {
        at += token.offset || 0
        break
      }
      if (node.nodeType !== 3 && node.contains(t)) break
      at += t.data.length
    }
    const text = block.textContent
    const starts = block.getAttribute('data-fit-starts').split(' ').map(Number)
    // At a line's start, or only spaces (and soft hyphens) away from one.
    const onLine = starts.some((s) => (s >= at ? /^[\s\u00AD]*$/.test(text.slice(at, s)) : /^[\s\u00AD]*$/.test(text.slice(s, at))))
    if (onLine) this.offLine.delete(block)
    else this.offLine.add(block)
  }
  renderNode(clone, node) {
    const element = node && (node.nodeType === 3 ? node.parentElement : node)
    const block = element && element.closest && element.closest('[data-fit-starts]')
    if (!block || !this.offLine.has(block)) return
    const span = clone.nodeType === 3 ? clone.parentElement : clone
    for (let e = span; e && e.nodeType === 1 && !e.hasAttribute('data-fit-starts'); e = e.parentElement) if (e.hasAttribute('data-fit-line')) e.removeAttribute('style')
  }
}
if (!window.readerStock) window.Paged.registerHandlers(window.readerFitLines)
