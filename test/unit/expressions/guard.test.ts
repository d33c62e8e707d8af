/**
 * The FEEL evaluation budget's rewriting (expressions/guard.ts): what each construct becomes, and
 * that feelin, unmodified, runs the rewritten text to the same results.
 */
import { evaluate as feelEvaluate } from 'feelin';
import { meterExpression, metered, METERING_FUNCTIONS } from '../../../engine/src/expressions/guard';
import { evaluate } from '../../../engine/src/expressions';

describe('expressions/guard', () => {
  describe('meterExpression', () => {
    it.each([
      ['for x in 1..5 return x', '__mcValue(for x in (1)..__mcSpan((1), (5)) return x)'],
      ['for a in l return a', '__mcValue(for a in __mcEach(l) return a)'],
      ['some x in l satisfies x > 1', 'some x in __mcEach(l) satisfies x > 1'],
      ['l[item > 1]', '__mcEach(l)[item > 1]'],
      ['f(1)', '__mcValue(f(1))'],
      ['function(n) n + 1', 'function(n) __mcValue(__mcValue(n + 1))'],
      ['for a in l, b in 1..n return a', '__mcValue(for a in __mcEach(l, 4, 0, 2), b in (1)..__mcSpan((1), (n), 4, 1, 2) return a)'],
      ['amount > 100', 'amount > 100'],
    ])('should rewrite %s', (feel, expected) => {
      expect(meterExpression(feel)).toBe(expected);
    });

    it('should leave results unchanged', () => {
      // given expressions of every rewritten kind
      const cases: Array<[string, Record<string, unknown>]> = [
        ['for x in 1..4, y in [10, 20] return x * y', {}],
        ['(for i in 1..10 return i)[item > 5]', {}],
        ['some x in l satisfies x > 2', { l: [1, 2, 3] }],
        ['{f: function(n) if n <= 1 then 1 else n * f(n - 1), r: f(6)}.r', {}],
        ['string join(for s in l return string(s), "-")', { l: [1, 2, 3] }],
        ['date("2026-12-07") + duration("P1D")', {}],
      ];
      for (const [feel, variables] of cases) {
        // when
        const plain = feelEvaluate(feel, variables).value;
        const guarded = metered({ maxOperations: 1_000, maxResultChars: 1_000 }, () => feelEvaluate(meterExpression(feel), { ...variables, ...METERING_FUNCTIONS }).value);

        // then
        expect({ feel, value: guarded }).toEqual({ feel, value: plain });
      }
    });
  });

  it('should charge a loop over several variables the product of its domains before building it', () => {
    // given a list bound once and looped over three times (a billion combinations)
    const expr = '={l: for i in 1..1000 return i, r: for a in l, b in l, c in l return 1}.r';

    // when, then (refused before feelin builds the product)
    expect(() => evaluate(expr, {})).toThrow(/exceeds the budget of \d+ operations/);
  });

  it('should replace the quadratic and the backtracking builtins with linear ones', () => {
    const big = Array.from({ length: 100_000 }, (_, i) => i % 10);
    expect(evaluate('=count(distinct values(l))', { l: big })).toBe(10);
    expect(evaluate('=union([1, 2], [2, 3], [3, 4])', {})).toEqual([1, 2, 3, 4]);
    expect(evaluate('=distinct values([{a: 1}, {a: 1}, {a: 2}])', {})).toEqual([{ a: 1 }, { a: 2 }]);
  });
});
