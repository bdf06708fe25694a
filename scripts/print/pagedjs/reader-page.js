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
