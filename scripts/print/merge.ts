/**
 * Assemble the chunk PDFs into one: pages in order, a blank verso where a chunk ends on a recto,
 * named destinations pointing into the chunk that holds each id (links that leave a chunk were
 * printed against stand-in targets), the chunks’ structure trees joined under one root so the
 * PDF stays tagged, and each face’s subsets joined into one font (fonts-once.ts).
 */
import {PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRef, type PDFObject, type PDFPage} from 'pdf-lib'
import {fastLoad} from './pdf-options.ts'
import {unifyFonts} from './fonts-once.ts'

export interface MergeInput {
  pdf: Uint8Array
  /** Ids (named destinations) this chunk owns. */
  ids: Set<string>
  /** Add a blank page after it. */
  padAfter: boolean
}

interface Copied {
  pages: PDFPage[]
  structKids: PDFRef[]
  padAfter: boolean
}

/**
 * Chunks are copied in as soon as they are printed, while the browser works on the others, but
 * always in one fixed order (`order`: chunk indexes), so that object numbers, and so the bytes,
 * do not depend on which chunk was printed first; the pages go into book order at the end.
 */
export class ChunkMerger {
  private out?: PDFDocument
  private structRootRef?: PDFRef
  private dests?: PDFDict
  private readonly parentTreeNums: Array<PDFNumber | PDFObject> = []
  private structOffset = 0
  private readonly copied = new Map<number, Copied>()
  private readonly waiting = new Map<number, MergeInput>()
  private next = 0
  private work: Promise<void> = Promise.resolve()

  constructor(private readonly order: number[]) {}

  /** Chunk `index`’s PDF; copied in when the chunks before it in `order` are. */
  add(index: number, input: MergeInput): void {
    this.waiting.set(index, input)
    this.work = this.work.then(() => this.drain())
    this.work.catch(() => {})
  }

  /** The book, once every chunk in `order` has been added. */
  async finish(): Promise<PDFDocument> {
    await this.work
    if (this.next < this.order.length) throw new Error(`Chunk ${this.order[this.next]} was never added`)
    const out = await this.document()
    const context = out.context
    for (const index of [...this.copied.keys()].sort((a, b) => a - b)) {
      const chunk = this.copied.get(index)!
      for (const page of chunk.pages) out.addPage(page)
      if (chunk.padAfter) {
        const {width, height} = chunk.pages[chunk.pages.length - 1].getMediaBox()
        out.addPage([width, height])
      }
    }
    // Each chunk brought its own subset of every face: one font per face instead (fonts-once.ts).
    unifyFonts(out)
    out.catalog.set(PDFName.of('Dests'), context.register(this.dests!))
    const structKids = [...this.copied.keys()].sort((a, b) => a - b).flatMap((index) => this.copied.get(index)!.structKids)
    if (structKids.length) {
      const kids = PDFArray.withContext(context)
      for (const kid of structKids) kids.push(kid)
      const nums = PDFArray.withContext(context)
      for (const item of this.parentTreeNums) nums.push(item)
      context.assign(
        this.structRootRef!,
        context.obj({Type: 'StructTreeRoot', K: kids, ParentTree: context.register(context.obj({Nums: nums})), ParentTreeNextKey: this.structOffset})
      )
      out.catalog.set(PDFName.of('StructTreeRoot'), this.structRootRef!)
      out.catalog.set(PDFName.of('MarkInfo'), context.obj({Marked: true}))
    }
    return out
  }

  private async document(): Promise<PDFDocument> {
    if (!this.out) {
      this.out = await PDFDocument.create({updateMetadata: false})
      this.dests = this.out.context.obj({}) as PDFDict
      this.structRootRef = this.out.context.nextRef()
    }
    return this.out
  }

  private async drain(): Promise<void> {
    while (this.next < this.order.length && this.waiting.has(this.order[this.next])) {
      const index = this.order[this.next]
      await this.copy(index, this.waiting.get(index)!)
      this.waiting.delete(index)
      this.next++
    }
  }

  private async copy(index: number, input: MergeInput): Promise<void> {
    const out = await this.document()
    const context = out.context
    const dests = this.dests!
    const src = await PDFDocument.load(input.pdf, fastLoad)
    const srcPages = src.getPages()
    const copied = await out.copyPages(src, src.getPageIndices())
    const pageMap = new Map<string, PDFRef>()
    srcPages.forEach((page, i) => {
      pageMap.set(page.ref.toString(), copied[i].ref)
      // Annotations too: the structure tree refers to links by reference.
      const from = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray)?.asArray() ?? []
      const to = copied[i].node.lookupMaybe(PDFName.of('Annots'), PDFArray)?.asArray() ?? []
      from.forEach((ref, j) => {
        if (ref instanceof PDFRef && to[j] instanceof PDFRef) pageMap.set(ref.toString(), to[j] as PDFRef)
      })
    })
    const structKids: PDFRef[] = []
    this.copied.set(index, {pages: copied, structKids, padAfter: input.padAfter})

    // Named destinations this chunk owns.
    const srcDests = src.catalog.lookupMaybe(PDFName.of('Dests'), PDFDict)
    if (srcDests) {
      for (const [key, value] of srcDests.entries()) {
        const name = key.decodeText()
        if (!input.ids.has(name)) continue
        const array = src.context.lookup(value)
        const dest = array instanceof PDFDict ? array.lookup(PDFName.of('D')) : array
        if (!(dest instanceof PDFArray) || dest.size() === 0) continue
        const target = pageMap.get(String(dest.get(0)))
        if (!target) continue
        const copy = PDFArray.withContext(context)
        copy.push(target)
        for (let i = 1; i < dest.size(); i++) copy.push(dest.get(i))
        dests.set(key, copy)
      }
    }

    // The structure tree, renumbered: StructParents keys shift by the keys used so far (in `order`).
    const srcRoot = src.catalog.lookupMaybe(PDFName.of('StructTreeRoot'), PDFDict)
    if (srcRoot) {
      const shift = this.structOffset
      const nextKey = srcRoot.lookupMaybe(PDFName.of('ParentTreeNextKey'), PDFNumber)?.asNumber() ?? 0
      const copier = copierFor(src, out, pageMap)
      const kids = srcRoot.lookup(PDFName.of('K'))
      const kidList = kids instanceof PDFArray ? kids.asArray() : kids ? [srcRoot.get(PDFName.of('K'))!] : []
      for (const kid of kidList) {
        const ref = kid instanceof PDFRef ? kid : context.register(kid)
        const copiedKid = copier(ref) as PDFRef
        const dict = context.lookup(copiedKid, PDFDict)
        dict.set(PDFName.of('P'), this.structRootRef!)
        structKids.push(copiedKid)
      }
      const parentTree = srcRoot.lookupMaybe(PDFName.of('ParentTree'), PDFDict)
      const nums = parentTree?.lookupMaybe(PDFName.of('Nums'), PDFArray)
      if (nums) {
        for (let i = 0; i + 1 < nums.size(); i += 2) {
          const key = (nums.lookup(i, PDFNumber) as PDFNumber).asNumber()
          this.parentTreeNums.push(PDFNumber.of(key + shift), copier(nums.get(i + 1)))
        }
      }
      for (const page of copied) {
        const sp = page.node.lookupMaybe(PDFName.of('StructParents'), PDFNumber)
        if (sp) page.node.set(PDFName.of('StructParents'), PDFNumber.of(sp.asNumber() + shift))
        const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray)
        for (const annot of annots?.asArray() ?? []) {
          const dict = context.lookup(annot)
          if (!(dict instanceof PDFDict)) continue
          const p = dict.lookupMaybe(PDFName.of('StructParent'), PDFNumber)
          if (p) dict.set(PDFName.of('StructParent'), PDFNumber.of(p.asNumber() + shift))
        }
      }
      this.structOffset += nextKey
    }
  }
}

/**
 * Copy objects from `src` into `out`, mapping the chunk’s page references to the pages already
 * copied (so structure elements point at the book’s pages, not at duplicates).
 */
function copierFor(src: PDFDocument, out: PDFDocument, pageMap: Map<string, PDFRef>) {
  const done = new Map<string, PDFRef>()
  const copy = (object: PDFObject): PDFObject => {
    if (object instanceof PDFRef) {
      const key = object.toString()
      const page = pageMap.get(key)
      if (page) return page
      const seen = done.get(key)
      if (seen) return seen
      const ref = out.context.nextRef()
      done.set(key, ref)
      const target = src.context.lookup(object)
      if (target === undefined) return ref
      out.context.assign(ref, copy(target))
      return ref
    }
    if (object instanceof PDFDict) {
      const dict = out.context.obj({}) as PDFDict
      for (const [key, value] of object.entries()) dict.set(key, copy(value))
      return dict
    }
    if (object instanceof PDFArray) {
      const array = PDFArray.withContext(out.context)
      for (const value of object.asArray()) array.push(copy(value))
      return array
    }
    // Streams in a structure tree are rare (none from Chromium); numbers, names and strings are shared safely.
    return object
  }
  return copy
}
