/**
 * `reader diff` for a person: the changes word by word with their places, notes, index, the printer’s
 * instructions and the errata list. (For machines: `--format json` prints the EditionDiff itself.)
 */
import type {EditionDiff, ErrataEntry, Place, TextChange} from './compare.ts'

const where = (p: Place) => `p. ${p.page || '?'}${p.line ? `, l. ${p.line}` : ''}${p.note ? ` (note ${p.note})` : ''}`
const paragraph = (p: Place) => (p.note ? `note ${p.note}` : p.paragraph ? `¶ ${p.paragraph}` : 'heading or list')
const edition = (side: EditionDiff['old']) =>
  `edition ${side.edition?.number ?? '?'}, printing ${side.edition?.printing ?? 1} (${side.edition?.date ?? '?'}), ${side.pages} pages`

export function formatDiff(diff: EditionDiff): string {
  const out: string[] = []
  out.push(`Old: ${edition(diff.old)} — ${diff.old.dir}`)
  out.push(`New: ${edition(diff.new)} — ${diff.new.dir}`)
  out.push('')
  const texts = diff.changes.filter((c) => c.kind === 'text')
  const apparatus = diff.changes.filter((c) => c.kind === 'apparatus')
  out.push(texts.length ? `Textual changes (${texts.length}):` : 'Textual changes: none.')
  for (const change of texts) {
    out.push(`  ${change.new.title || change.new.part}, ${paragraph(change.new)}: old ${where(change.old)} → new ${where(change.new)}`)
    out.push(`    ${inline(change)}`)
  }
  if (apparatus.length) {
    const byPart = new Map<string, string[]>()
    for (const change of apparatus) {
      const key = change.new.title || change.new.part
      const list = byPart.get(key) ?? []
      if (!list.includes(change.new.page)) list.push(change.new.page)
      byPart.set(key, list)
    }
    out.push(
      `  and, generated from them: ${[...byPart].map(([title, pages]) => `${title} (p. ${pages.join(', ')})`).join('; ')} — ${apparatus.length} change${apparatus.length === 1 ? '' : 's'}`
    )
  }
  out.push('')
  if (diff.notes.length) {
    out.push(`Notes (${diff.notes.length}):`)
    for (const note of diff.notes) {
      const mark =
        note.change === 'added'
          ? `note ${note.newMark} added (p. ${note.newPage})`
          : note.change === 'removed'
            ? `note ${note.oldMark} removed (was p. ${note.oldPage})`
            : note.change === 'renumbered'
              ? `note ${note.oldMark} is now note ${note.newMark} (p. ${note.oldPage} → p. ${note.newPage})`
              : `note ${note.newMark} revised (p. ${note.newPage})`
      out.push(`  ${note.title}: ${mark}: ${note.text}`)
    }
  } else out.push('Notes: none added, removed or renumbered.')
  if (diff.index.length) {
    out.push(`Index entries whose pages changed (${diff.index.length}):`)
    for (const entry of diff.index) out.push(`  ${entry.term}: ${entry.old.join(', ') || '—'} → ${entry.new.join(', ') || '—'}`)
  } else out.push('Index: no entry’s pages changed.')
  out.push('')
  const changed = diff.pages.filter((p) => p.status !== 'unchanged')
  out.push(`Printed pages (${diff.old.pages} → ${diff.new.pages}): ${changed.length} changed`)
  for (const line of diff.printer) out.push(`  ${line}`)
  out.push('')
  out.push(formatErrata(diff.errata))
  return out.join('\n')
}

function inline(change: TextChange): string {
  const was = change.was ? `[-${change.was}-]` : ''
  const now = change.now ? `{+${change.now}+}` : ''
  return `…${change.before ? change.before + ' ' : ''}${was}${now}${change.after ? ' ' + change.after : ''}…`
}

/** The errata list: by page and line of the old edition, `was → now`. */
export function formatErrata(errata: ErrataEntry[], title = 'Errata'): string {
  if (!errata.length) return `${title}: none.`
  const rows = errata.map((e) => [`p. ${e.page}${e.line ? `, l. ${e.line}` : ''}${e.note ? `, n. ${e.note}` : ''}`, `${e.was || '(nothing)'} → ${e.now || '(omit)'}`])
  const width = Math.max(...rows.map(([a]) => a.length))
  return [`${title}:`, ...rows.map(([a, b]) => `  ${a.padEnd(width)}  ${b}`)].join('\n')
}
