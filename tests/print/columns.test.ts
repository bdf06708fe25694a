/**
 * Reading a page set in two columns (the index) in order: down the left column, then down the
 * right — what preflight's word comparison and its index check read — while a page of justified
 * text, whose word spaces line up by chance, is read line by line.
 */
import {describe, expect, it} from 'vitest'
import {columnOrder, pageTexts} from '../../scripts/print/text-compare.ts'

type Word = Parameters<typeof columnOrder>[0][number][number]
const word = (text: string, x: number, y: number, width = text.length * 5): Word => ({page: 0, xMin: x, xMax: x + width, yMin: y, yMax: y + 11, text})
const rows = (lines: Word[][]) => columnOrder(lines).map((line) => line.map((w) => w.text).join(' '))

describe('columnOrder', () => {
  it('reads two columns one after the other, a heading across both where it is', () => {
    const lines: Word[][] = [[word('Index', 45, 80)], [word('Names', 45, 100, 60), word('of', 109, 100, 20), word('people', 133, 100, 70), word('and', 207, 100, 40), word('works', 251, 100, 60), word('indexed.', 315, 100, 72)]]
    const left = ['Alexander, 10', 'Analysis, 16', 'Babel, 18', 'Bely, 17']
    const right = ['Freud, 10', 'Fry, 15', 'Gide, 14', 'Gorky, 6']
    for (let i = 0; i < 4; i++) {
      const y = 130 + i * 12
      lines.push([...left[i].split(' ').map((t, j) => word(t, 45 + j * 50, y)), ...right[i].split(' ').map((t, j) => word(t, 216 + j * 45, y))])
    }
    expect(rows(lines)).toEqual(['Index', 'Names of people and works indexed.', ...left, ...right])
  })

  it('leaves justified text alone, even where its word spaces line up', () => {
    const lines: Word[][] = []
    for (let i = 0; i < 6; i++) lines.push([word('Serge', 45, 100 + i * 13.6, 150), word('wrote', 198, 100 + i * 13.6, 100), word('novels.', 301, 100 + i * 13.6, 86)])
    expect(rows(lines)).toEqual(Array(6).fill('Serge wrote novels.'))
  })

  it('gives each page’s text in that order from pdftotext -bbox', () => {
    const box = (t: string, x: number, y: number) => `<word xMin="${x}" yMin="${y}" xMax="${x + 30}" yMax="${y + 11}">${t}</word>`
    const bbox = `<page width="432" height="648">${box('A', 45, 100)}${box('F', 216, 100)}${box('Alexander', 45, 112)}${box('Freud', 216, 112)}${box('Analysis', 45, 124)}${box('Fry', 216, 124)}</page>`
    expect(pageTexts(bbox)).toEqual(['A\nAlexander\nAnalysis\nF\nFreud\nFry'])
  })

  it('reads a page’s text area where the laid-out page lies in the PDF (moved down by room for marks)', () => {
    const box = (t: string, x: number, y: number) => `<word xMin="${x}" yMin="${y}" xMax="${x + 30}" yMax="${y + 11}">${t}</word>`
    // The laid-out page's text area runs 50–140 pt; in the PDF, 18 pt of slug above it moves its words down.
    const bbox = `<page width="486" height="702">${box('Head', 45, 20 + 18)}${box('Alexander', 45, 100 + 18)}${box('Vlady', 45, 128 + 18)}${box('55', 45, 150 + 18)}</page>`
    const starts = [{index: 0, label: '55', block: null, offset: 0, area: [50, 140, 140] as [number, number, number]}]
    expect(pageTexts(bbox, starts, [18])).toEqual(['Alexander\nVlady'])
    // (Unmoved, the area's last line reads as below it: preflight missed an index entry there.)
    expect(pageTexts(bbox, starts)).toEqual(['Alexander'])
  })
})
