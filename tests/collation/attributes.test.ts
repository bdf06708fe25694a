import {describe, it, expect} from 'vitest'
import {toXhtml} from '../../scripts/epub/tree.ts'
import {checkManuscript} from '../../scripts/check.ts'
import {copyManuscript, plant, locate} from '../helpers.ts'

const penick = 'texts/penick-at-liberations-heart.md'

describe('attributes the EPUB must hold', () => {
  it('writes a `<` in an attribute value as a character reference (XML refuses it raw)', () => {
    const node = {type: 'element' as const, tagName: 'span', properties: {dataWas: '12<sup>th</sup> & "x"'}, children: []}
    const xhtml = toXhtml(node)
    expect(xhtml).toBe('<span data-was="12&#x3C;sup>th&#x3C;/sup> &#x26; &#x22;x&#x22;"></span>')
    // The tree is left as it was.
    expect(node.properties.dataWas).toBe('12<sup>th</sup> & "x"')
  })

  it('makes `reader check` refuse a control character in an attribute, at the directive', async () => {
    const dir = copyManuscript()
    plant(dir, penick, 'was="Business Relationships"', 'was="Business\u0001Relationships"')
    const at = locate(dir, penick, ':corr[books]')
    const result = await checkManuscript(dir)
    const messages = result.files.flatMap((file) => file.messages.filter((m) => m.ruleId === 'critical-markup'))
    expect(messages.map((m) => [m.line, m.column, m.reason])).toEqual([
      [at.line, at.column, 'Unexpected control character U+0001 in `was` on `:corr`, expected text an EPUB can hold']
    ])
    expect(messages[0].fatal).toBe(true)
  })
})
