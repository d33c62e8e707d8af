import {
  DEFAULT_EXPRESSION_LIMITS,
  evaluate,
  evaluateCondition,
  ExpressionBudgetError,
  ExpressionError,
  setExpressionLimits,
} from '../../../engine/src/expressions';

/** Calls `fn` and returns the budget error it threw (fails the test when it does not). */
function refused(fn: () => unknown): ExpressionBudgetError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ExpressionBudgetError);
    expect(err).toBeInstanceOf(ExpressionError);
    return err as ExpressionBudgetError;
  }
  throw new Error('expected an ExpressionBudgetError');
}

describe('expressions/budget', () => {
  afterEach(() => setExpressionLimits());

  describe('hostile expressions (default limits)', () => {
    it.each([
      ['a range of 100 million', '=for x in 1..100000000 return x'],
      ['counting a huge for', '=count(for x in 1..100000000 return x)'],
      ['nested for loops', '=for x in 1..10000 return for y in 1..10000 return x * y'],
      ['a cartesian product', '=for x in 1..1000, y in 1..1000, z in 1..1000 return 1'],
      ['a product over one list bound once', '={l: for i in 1..1000 return i, r: for a in l, b in l, c in l return 1}.r'],
      ['nested loops over one list bound once', '={l: for i in 1..1000 return i, r: for a in l return for b in l return count(l)}.r'],
      ['quantifiers over a product', '=some x in 1..100000, y in 1..100000 satisfies x = -1'],
      ['a filter on a huge list', '=(for i in 1..100000000 return i)[item > 5]'],
      ['exponential recursion', '={f: function(n) if n <= 0 then 1 else f(n - 1) + f(n - 1), r: f(60)}.r'],
      ['distinct values of a big list (quadratic)', '=distinct values(for i in 1..200000 return [i])'],
      ['sorting a big list', '=sort(for i in 1..1000000 return -i, function(a, b) a < b)'],
      ['string join of a million strings', '=string join(for i in 1..1000000 return "xxxxxxxxxx")'],
    ])('should refuse %s by its operation budget', (_name, expr) => {
      // when
      const error = refused(() => evaluate(expr, {}));

      // then
      expect(error.limit).toBe('operations');
      expect(error.message).toContain(`exceeds the budget of ${DEFAULT_EXPRESSION_LIMITS.maxOperations} operations`);
    });

    it.each([
      ['string join of a list in a variable', '=string join(parts)'],
      ['doubling a string by concatenation', '={a: "xxxxxxxxxxxxxxxx", b: a+a, c: b+b, d: c+c, e: d+d, f: e+e, g: f+f, h: g+g, i: h+h, j: i+i, k: j+j, l: k+k, m: l+l, n: m+m, o: n+n, p: o+o, q: p+p, r: q+q, s: r+r, t: s+s, u: t+t, v: u+u, w: v+v, x: w+w, y: x+x, z: y+y}.z'],
      ['a replacement that copies the input per match', '=replace(text, "x", "$0$0$0$0$0$0$0$0")'],
      ['a replacement with the text before each match', '=replace(text, "x", "$`")'],
      ['a result list too big to store', `=for i in 1..12000 return "${'x'.repeat(100)}"`],
    ])('should refuse %s by its size bound', (_name, expr) => {
      // given 200,000 strings of 10 characters, and a text of 300,000 characters
      const variables = { parts: Array.from({ length: 200_000 }, () => 'xxxxxxxxxx'), text: 'x'.repeat(300_000) };

      // when
      const error = refused(() => evaluate(expr, variables));

      // then
      expect(error.limit).toBe('result');
      expect(error.message).toMatch(/string of|bytes of JSON/);
    });

    it('should refuse a loop over a range whose end it would never reach exactly', () => {
      // when (feelin steps by 1 from 1 and would never meet 10.5)
      const error = refused(() => evaluate('=count(for x in 1..10.5 return x)', {}));

      // then
      expect(error.limit).toBe('operations');
      expect(error.message).toContain('a loop over the range 1..10.5 needs whole-number ends');
    });

    it('should refuse a hostile condition the same way', () => {
      refused(() => evaluateCondition('=count(for x in 1..100000000 return x) > 0', {}));
    });
  });

  describe('determinism', () => {
    it('should pass or fail the same expression with the same input every time', () => {
      // given a budget that the expression just exceeds
      setExpressionLimits({ maxOperations: 1_000 });
      const expr = '=sum(for x in 1..n return x)';

      // when evaluated with the same n several times, around the bound
      const outcomes = [100, 1000, 100, 1000, 100].map((n) => {
        try {
          return evaluate(expr, { n });
        } catch (err) {
          return err instanceof ExpressionBudgetError ? 'refused' : String(err);
        }
      });

      // then
      expect(outcomes).toEqual([5050, 'refused', 5050, 'refused', 5050]);
    });
  });

  describe('ordinary expressions', () => {
    it.each([
      ['=amount > 100', { amount: 150 }, true],
      ['=sum(for item in items return item.price * item.quantity)', { items: Array.from({ length: 10_000 }, () => ({ price: 2, quantity: 3 })) }, 60_000],
      ['=count(distinct values(for i in 1..2000 return modulo(i, 7)))', {}, 7],
      ['=string join(for i in 1..1000 return string(i), ",")', {}, Array.from({ length: 1000 }, (_, i) => String(i + 1)).join(',')],
      ['=replace("abc", "b", "[$0]")', {}, 'a[b]c'],
      ['=replace("2026-12-07", "(\\d+)-(\\d+)-(\\d+)", "$3/$2/$1")', {}, '07/12/2026'],
      ['=sort([3, 1, 2], function(a, b) a < b)', {}, [1, 2, 3]],
      ['={f: function(n) if n <= 1 then 1 else n * f(n - 1), r: f(10)}.r', {}, 3_628_800],
    ])('should evaluate %s within the default budget', (expr, variables, expected) => {
      expect(evaluate(expr, variables)).toEqual(expected);
    });
  });

  describe('setExpressionLimits', () => {
    it('should apply a smaller result bound to strings built on the way', () => {
      // given
      setExpressionLimits({ maxResultBytes: 100 });

      // when a string of 128 characters is built, then only its length returned
      const error = refused(() => evaluate('=string length(string join(for i in 1..16 return "xxxxxxxx"))', {}));

      // then
      expect(error.limit).toBe('result');
    });

    it('should refuse a bound that is not a positive integer', () => {
      expect(() => setExpressionLimits({ maxOperations: 0 })).toThrow(RangeError);
      expect(() => setExpressionLimits({ maxResultBytes: 1.5 })).toThrow(RangeError);
    });
  });
});
