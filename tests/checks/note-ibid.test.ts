import {describe, it, expect} from 'vitest'
import rule from '../../scripts/checks/note-ibid.ts'
import {lint} from './helpers.ts'

describe('note-ibid', () => {
  it('reports the failing fixture', () => {
    expect(lint(rule, 'a[^1] b[^2] c[^3] d[^4]\n\n[^1]: Ibid. p. 3.\n\n[^2]: See *One* and *Two*.\n\n[^3]: Ibid. p. 5.\n\n[^4]: Weissman, op. cit., p. 9.')).toEqual([
      'ch1.md:3:7: Unexpected `Ibid.` in the first note of the text, expected a full citation',
      'ch1.md:7:7: Unexpected `Ibid.` after a note citing 2 works, expected the previous note to cite one work',
      'ch1.md:9:7: Unexpected `op. cit.` with no earlier full citation of `Weissman`, expected a full citation in an earlier note'
    ])
  })
  it('passes the passing fixture', () => {
    expect(lint(rule, 'a[^1] b[^2] c[^3] d[^4]\n\n[^1]: Susan Weissman, *The Course is Set on Hope*, p. 1.\n\n[^2]: Ibid. p. 3.\n\n[^3]: *Memoirs*, p. 5.\n\n[^4]: Weissman, op. cit., p. 9.')).toEqual([])
  })
})
