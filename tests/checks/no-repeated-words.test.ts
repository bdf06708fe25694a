import {describe, it, expect} from 'vitest'
import rule from '../../scripts/checks/no-repeated-words.ts'
import {lint} from './helpers.ts'
import {VFile} from 'vfile'
import {unified} from 'unified'
import remarkParse from 'remark-parse'
import {runRules} from '../../scripts/checks/rule.ts'

describe('no-repeated-words', () => {
  it('reports the failing fixture', () => {
    expect(lint(rule, 'He was born in in Brussels and and then left.')).toEqual([
      'ch1.md:1:16: Unexpected repeated word `in`, expected `in` once',
      'ch1.md:1:32: Unexpected repeated word `and`, expected `and` once'
    ])
  })
  it('passes the passing fixture', () => {
    expect(lint(rule, 'He was born in :del[born in] Brussels, that is, in Brussels.')).toEqual([])
  })
  it('passes reduplications English makes on purpose', () => {
    expect(lint(rule, '“Bye bye,” she said. There there, ha ha.')).toEqual([])
  })
  it('reports grammatical doubles as a warning at most', () => {
    const file = new VFile({path: 'ch1.md', value: 'He had had enough; he said that that was all.'})
    runRules([rule], unified().use(remarkParse).parse(file), file, {isText: true})
    expect(file.messages.map((m) => [String(m), m.fatal])).toEqual([
      ['ch1.md:1:8: Possible repeated word `had had`, expected it only where the grammar doubles it (“he had had enough”, “that that”)', false],
      ['ch1.md:1:33: Possible repeated word `that that`, expected it only where the grammar doubles it (“he had had enough”, “that that”)', false]
    ])
  })
})
