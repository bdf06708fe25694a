import {describe, it, expect} from 'vitest'
import rule from '../../scripts/checks/no-unbalanced-quotes.ts'
import {lint} from './helpers.ts'

describe('no-unbalanced-quotes', () => {
  it('reports the failing fixture', () => {
    expect(lint(rule, 'He said “yes and left.\n\nShe said ‘no” and “left’ again.\n\nA closing ” alone.')).toEqual([
      'ch1.md:1:9: Unexpected unclosed `“`, expected a closing `”` (or the next paragraph to reopen a quotation that runs on)',
      'ch1.md:3:13: Unexpected closing `”` with no opening `“`, expected an opening mark before it',
      'ch1.md:3:10: Unexpected unclosed `‘`, expected a closing `’` (or the next paragraph to reopen a quotation that runs on)',
      'ch1.md:3:19: Unexpected unclosed `“`, expected a closing `”` (or the next paragraph to reopen a quotation that runs on)',
      'ch1.md:5:11: Unexpected closing `”` with no opening `“`, expected an opening mark before it'
    ])
  })
  it('passes the passing fixture', () => {
    expect(lint(rule, '“One paragraph that runs on\n\n“into the next.” And ‘single’ and “nested ‘inner’ quotes”.')).toEqual([])
  })
  it('passes an inner quotation that runs on into the next paragraph, reopened or not', () => {
    expect(lint(rule, '“He told us: ‘I left on Tuesday.\n\n“‘On Wednesday I came back.’ That was all.”')).toEqual([])
    expect(lint(rule, '“He told us: ‘I left on Tuesday.\n\n“On Wednesday I came back.’ That was all.”')).toEqual([])
  })
  it('reports a quotation left open before a note definition that starts with an opening mark', () => {
    expect(lint(rule, 'He said “yes and left.[^1]\n\n[^1]: “Yes” is in the letter.')).toEqual([
      'ch1.md:1:9: Unexpected unclosed `“`, expected a closing `”` (or the next paragraph to reopen a quotation that runs on)'
    ])
    expect(lint(rule, 'A note.[^1] Then the text.\n\n[^1]: He wrote “yes and left.\n\n“A second note.”[^2]\n\n[^2]: Two.')).toEqual([
      'ch1.md:3:16: Unexpected unclosed `“`, expected a closing `”` (or the next paragraph to reopen a quotation that runs on)'
    ])
  })
  it('passes a quotation that runs on between the paragraphs of one note', () => {
    expect(lint(rule, 'Text.[^1]\n\n[^1]: “He wrote at length.\n\n    “And went on.”')).toEqual([])
  })
  it('passes verse whose lines each reopen the quotation', () => {
    expect(lint(rule, '‘Tis the voice of the Lobster; I heard him declare,\\\n‘You have baked me too brown, I must sugar my hair.’')).toEqual([])
    expect(lint(rule, '“Half a league, half a league,\\\n“Half a league onward,\\\n“All in the valley of Death.”')).toEqual([])
  })
  it('suggests a prime for a curly closing mark after a number', () => {
    expect(lint(rule, 'He was 6’2” tall.')).toEqual([
      'ch1.md:1:11: Unexpected closing `”` with no opening `“` after a number, expected a double prime `″` for inches or seconds (or an opening mark before it)'
    ])
  })
  it('passes primes typed straight', () => {
    expect(lint(rule, 'He was 6\'2" tall, the shelf 5\' 10" wide, a 21" monitor.')).toEqual([])
  })
  it('passes the cases the normaliser used to get wrong', () => {
    expect(lint(rule, '"\'Hello,\' she said."\n\n"But I--" she began.\n\n"I was going to—", he said.\n\n\'e said \'e \'ad seen \'im \'neath the \'49ers\' sign, fish \'n chips.')).toEqual([])
  })
  it('says when it could not tell rather than blaming the text', () => {
    expect(lint(rule, 'He said "hello and \'went')).toEqual([
      'ch1.md:1:9: Unexpected unclosed `“`: could not tell whether the straight `"` (read as `“`) opens or closes a quotation: type the curly mark, `“` or `”`',
      'ch1.md:1:20: Unexpected unclosed `‘`: could not tell whether the straight `\'` (read as `‘`) opens or closes a quotation: type the curly mark, `‘`, `’` or an apostrophe `’`'
    ])
  })
})
