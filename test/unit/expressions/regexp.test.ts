import { evaluate, ExpressionBudgetError } from '../../../engine/src/expressions';

describe('expressions/feelin regular expressions (linear time)', () => {
  it.each([
    ['=matches("foobar", "^fo*b")', true],
    ['=matches("FOOBAR", "^fo*b", "i")', true],
    ['=matches("Nguyễn Văn A", "^\\p{Lu}\\p{Ll}+ ")', true],
    ['=replace("abc", "b", "[$0]")', 'a[b]c'],
    ['=replace("abcb", "b", "x")', 'axcx'],
    ['=replace("abc", "", "-")', '-a-b-c-'],
    ['=replace("2026-12-07", "(\\d+)-(\\d+)-(\\d+)", "$3/$2/$1")', '07/12/2026'],
    ['=replace("AbC", "b", "x", "i")', 'AxC'],
    ['=replace("a.b", "\\.", "$$")', 'a$b'],
    ['=split("a;b;;c", ";")', ['a', 'b', '', 'c']],
    ['=split("John Doe", "\\s")', ['John', 'Doe']],
    ['=split("a1b2c", "(\\d)")', ['a', '1', 'b', '2', 'c']],
    ['=split("abc", "")', ['a', 'b', 'c']],
    ['=split("", ",")', ['']],
    ['=split("a,b,", ",")', ['a', 'b', '']],
  ])('should evaluate %s as a JavaScript RegExp would', (expr, expected) => {
    expect(evaluate(expr, {})).toEqual(expected);
  });

  it('should apply the flags s and m across lines', () => {
    expect(evaluate('=matches(text, "a.b")', { text: 'a\nb' })).toBe(false);
    expect(evaluate('=matches(text, "a.b", "s")', { text: 'a\nb' })).toBe(true);
    expect(evaluate('=matches(text, "^abc$")', { text: 'x\nabc' })).toBe(false);
    expect(evaluate('=matches(text, "^abc$", "m")', { text: 'x\nabc' })).toBe(true);
  });

  it('should treat an invalid pattern as upstream does (null)', () => {
    expect(evaluate('=matches("abc", "(")', {})).toBeNull();
  });

  it.each([
    ['nested quantifiers', '=matches(text, "^(a+)+$")'],
    ['overlapping alternation', '=matches(text, "^(a|a)*$")'],
    ['polynomial backtracking', '=matches(text, "a*a*a*a*a*b")'],
    ['a replace with nested quantifiers', '=replace(text, "(a*)*b", "x")'],
    ['a split with nested quantifiers', '=split(text, "(a+)+b")'],
  ])('should answer %s in linear time (once exponential or polynomial)', (_name, expr) => {
    // given 30,000 a's and a final c: a backtracking engine would not finish
    const text = 'a'.repeat(30_000) + 'c';

    // when, then (no match; no budget exceeded either: the work is linear)
    const value = evaluate(expr, { text });
    expect(value === false || value === text || (Array.isArray(value) && value[0] === text)).toBe(true);
  });

  it('should bound what a replace builds', () => {
    expect(() => evaluate('=replace(text, "x", "$`")', { text: 'x'.repeat(300_000) })).toThrow(ExpressionBudgetError);
  });
});
