/**
 * Reproducible outputs: what has to be fixed after the fact so that two builds of the same
 * manuscript are byte-identical.
 *
 * Paged.js gives every footnote call a random `note-<uuid>` id (its `UUID()` mixes the clock and
 * `Math.random`), and Chromium turns every id into a named destination of the PDF, in hash order.
 * Those destinations are Paged.js’s own (nothing links to them, they change on every run), so they
 * go, and the remaining destinations are written in sorted order, as the print step saves the PDF
 * (print/postprocess.ts). The rest of the PDF — dates, producer, document id — is fixed there too
 * (edition date).
 */
import {PDFDict, PDFDocument, PDFName} from 'pdf-lib'
import {fastLoad, fastSave} from '../print/pdf-options.ts'

const randomDestination = /^note-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** Drop Paged.js’s random destinations and sort the rest. Returns the bytes unchanged when there is nothing to do. */
export async function stabilisePdf(bytes: Uint8Array): Promise<Uint8Array> {
  const doc = await PDFDocument.load(bytes, fastLoad)
  return stabiliseDestinations(doc) ? doc.save(fastSave) : bytes
}

/** The same on a document about to be saved; true when it changed anything. */
export function stabiliseDestinations(doc: PDFDocument): boolean {
  const dests = doc.catalog.lookupMaybe(PDFName.of('Dests'), PDFDict)
  if (!dests) return false
  const entries = dests.entries().map(([name, value]) => ({name, value, text: name.decodeText()}))
  const keep = entries.filter((entry) => !randomDestination.test(entry.text))
  const sorted = [...keep].sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0))
  const unchanged = keep.length === entries.length && sorted.every((entry, i) => entry === entries[i])
  if (unchanged) return false
  for (const {name} of entries) dests.delete(name)
  for (const {name, value} of sorted) dests.set(name, value)
  return true
}
