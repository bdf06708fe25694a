/**
 * Assemble the chunk PDFs into one: pages in order, a blank verso where a chunk ends on a recto,
 * named destinations pointing into the chunk that holds each id (links that leave a chunk were
 * printed against stand-in targets), and the chunks’ structure trees joined under one root so the
 * PDF stays tagged.
 */
import {PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRef, type PDFObject} from 'pdf-lib'

export interface MergeInput {
  pdf: Uint8Array
  /** Ids (named destinations) this chunk owns. */
  ids: Set<string>
  /** Add a blank page after it. */
  padAfter: boolean
}

export async function mergeChunks(inputs: MergeInput[]): Promise<PDFDocument> {
  const out = await PDFDocument.create({updateMetadata: false})
  const context = out.context
  const dests = context.obj({}) as PDFDict
  const structKids: PDFRef[] = []
  const parentTreeNums: Array<PDFNumber | PDFObject> = []
  let structOffset = 0
  const structRootRef = context.nextRef()

  for (const input of inputs) {
    const src = await PDFDocument.load(input.pdf, {updateMetadata: false})
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
    for (const page of copied) out.addPage(page)

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

    // The structure tree, renumbered: StructParents keys shift by the keys used so far.
    const srcRoot = src.catalog.lookupMaybe(PDFName.of('StructTreeRoot'), PDFDict)
    if (srcRoot) {
      const shift = structOffset
      const nextKey = srcRoot.lookupMaybe(PDFName.of('ParentTreeNextKey'), PDFNumber)?.asNumber() ?? 0
      const copier = copierFor(src, out, pageMap)
      const kids = srcRoot.lookup(PDFName.of('K'))
      const kidList = kids instanceof PDFArray ? kids.asArray() : kids ? [srcRoot.get(PDFName.of('K'))!] : []
      for (const kid of kidList) {
        const ref = kid instanceof PDFRef ? kid : context.register(kid)
        const copiedKid = copier(ref) as PDFRef
        const dict = context.lookup(copiedKid, PDFDict)
        dict.set(PDFName.of('P'), structRootRef)
        structKids.push(copiedKid)
      }
      const parentTree = srcRoot.lookupMaybe(PDFName.of('ParentTree'), PDFDict)
      const nums = parentTree?.lookupMaybe(PDFName.of('Nums'), PDFArray)
      if (nums) {
        for (let i = 0; i + 1 < nums.size(); i += 2) {
          const key = (nums.lookup(i, PDFNumber) as PDFNumber).asNumber()
          parentTreeNums.push(PDFNumber.of(key + shift), copier(nums.get(i + 1)))
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
      structOffset += nextKey
    }

    if (input.padAfter) {
      const last = srcPages[srcPages.length - 1]
      const {width, height} = last.getMediaBox()
      out.addPage([width, height])
    }
  }

  out.catalog.set(PDFName.of('Dests'), context.register(dests))
  if (structKids.length) {
    const kids = PDFArray.withContext(context)
    for (const kid of structKids) kids.push(kid)
    const nums = PDFArray.withContext(context)
    for (const item of parentTreeNums) nums.push(item)
    context.assign(
      structRootRef,
      context.obj({Type: 'StructTreeRoot', K: kids, ParentTree: context.register(context.obj({Nums: nums})), ParentTreeNextKey: structOffset})
    )
    out.catalog.set(PDFName.of('StructTreeRoot'), structRootRef)
    out.catalog.set(PDFName.of('MarkInfo'), context.obj({Marked: true}))
  }
  return out
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
