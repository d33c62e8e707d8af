import {
  checkExpression,
  evaluate,
  evaluateCondition,
  evaluateString,
  evaluateStringList,
  ExpressionError,
  isFeel,
} from '../../../engine/src/expressions';

/** Calls `fn` and returns what it threw (fails the test when it does not throw). */
function thrown(fn: () => unknown): ExpressionError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ExpressionError);
    return err as ExpressionError;
  }
  throw new Error('expected an ExpressionError');
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

describe('expressions/feel', () => {
  describe('isFeel', () => {
    it.each([
      ['=amount > 100', true],
      ['  =x', true],
      ['\n  = x\n', true],
      ['payment', false],
      ['a=b', false],
      ['', false],
    ])('should tell whether %j is FEEL (%s)', (expr, expected) => {
      // given an expression text
      // when
      const result = isFeel(expr);
      // then
      expect(result).toBe(expected);
    });
  });

  describe('checkExpression', () => {
    it.each(['=amount > 100', '=order.total * 2', '=for i in items return i + 1', 'static text', '', '=first name = "An"'])(
      'should accept %j',
      (expr) => {
        // given a well-formed expression or a static literal
        // when
        const reason = checkExpression(expr);
        // then
        expect(reason).toBeUndefined();
      },
    );

    it.each([
      ['=a +', 'FEEL syntax error at 4: Incomplete <ArithmeticExpression>'],
      ['=1 +* 2', 'FEEL syntax error at 4: Unrecognized token <ArithOp> in <ArithmeticExpression>'],
      ['= )', 'FEEL syntax error at 2: Unrecognized token in <Expression>'],
      ['=', "FEEL syntax error at 1: empty expression after '='"],
      ['=   ', "FEEL syntax error at 1: empty expression after '='"],
    ])('should explain why %j does not parse', (expr, expected) => {
      // given a malformed FEEL expression
      // when
      const reason = checkExpression(expr);
      // then
      expect(reason).toBe(expected);
    });
  });

  describe('evaluate', () => {
    it('should return a static literal as it is', () => {
      // given a text without '='
      const expr = 'approve-application';
      // when
      const result = evaluate(expr, { amount: 1 });
      // then
      expect(result).toBe('approve-application');
    });

    it.each([
      ['=amount > 100', { amount: 150 }, true],
      ['=amount > 100', { amount: 50 }, false],
      ['=amount * 2', { amount: 21 }, 42],
      ['="Hồ sơ " + code', { code: 'HS-1' }, 'Hồ sơ HS-1'],
      ['=order.customer.name', { order: { customer: { name: 'An' } } }, 'An'],
      ['=count(items)', { items: [1, 2, 3] }, 3],
      ['=if approved then "yes" else "no"', { approved: true }, 'yes'],
      ['=sốTiền >= 1000', { sốTiền: 1000 }, true],
      ['=null', {}, null],
    ])('should evaluate %j with %j to %j', (expr, context, expected) => {
      // given an expression and variables
      // when
      const result = evaluate(expr, context);
      // then
      expect(result).toEqual(expected);
    });

    it('should read a missing variable as null', () => {
      // given no variable 'amount'
      // when
      const result = evaluate('=amount', { other: 1 });
      // then
      expect(result).toBeNull();
    });

    it('should return lists and contexts as JSON', () => {
      // given an expression building a context that holds a list
      const expr = '={total: sum(items), doubled: for i in items return i * 2, none: null}';
      // when
      const result = evaluate(expr, { items: [1, 2, 3] });
      // then
      expect(result).toEqual({ total: 6, doubled: [2, 4, 6], none: null });
    });

    it('should return a list filtered from a variable', () => {
      // given a list of contexts
      const context = { docs: [{ name: 'a', ok: true }, { name: 'b', ok: false }] };
      // when
      const result = evaluate('=docs[ok = true].name', context);
      // then
      expect(result).toEqual(['a']);
    });

    it.each([
      ['=date("2026-11-24")', '2026-11-24'],
      ['=date and time("2026-11-24T08:00:00+07:00")', '2026-11-24T08:00:00+07:00'],
      ['=date and time("2026-11-24T08:00:00Z")', '2026-11-24T08:00:00Z'],
      ['=date and time("2026-11-24T08:00:00")', '2026-11-24T08:00:00'],
      ['=date and time("2026-11-24T08:00:00@Asia/Ho_Chi_Minh")', '2026-11-24T08:00:00+07:00'],
      ['=date and time("2026-07-01T08:00:00@Europe/Paris")', '2026-07-01T08:00:00+02:00'],
      ['=date("2026-11-24") + duration("P3D")', '2026-11-27'],
      ['=time("08:30:00")', '08:30:00'],
      ['=duration("P1Y2M")', 'P1Y2M'],
      ['=duration("PT90M")', 'PT1H30M'],
      ['=date and time("2026-11-24T08:00:00+07:00") - date and time("2026-11-23T08:00:00+07:00")', 'P1D'],
    ])('should turn the FEEL temporal value of %j into the ISO 8601 string %j', (expr, expected) => {
      // given an expression yielding a FEEL date, time, date-time or duration
      // when
      const result = evaluate(expr, {});
      // then
      expect(result).toBe(expected);
    });

    it('should evaluate now() afresh each time as an ISO date-time', () => {
      // given an expression reading the clock
      // when
      const result = evaluate('=now()', {});
      // then
      expect(result).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    });

    it.each([
      ['=[1..3]', 'a range'],
      ['=function(a) a + 1', 'a function'],
      ['=count', 'a function'],
    ])('should reject %j, which evaluates to %s', (expr, what) => {
      // given an expression whose value cannot be stored as JSON
      // when
      const error = thrown(() => evaluate(expr, {}));
      // then
      expect(error.message).toBe(`expression '${expr}' evaluated to ${what}, which cannot be converted to JSON`);
      expect(error.expression).toBe(expr);
    });

    it('should throw an ExpressionError naming the expression on bad syntax', () => {
      // given a malformed expression
      const expr = '=amount >';
      // when
      const error = thrown(() => evaluate(expr, { amount: 1 }));
      // then
      expect(error.message).toBe("invalid expression '=amount >': FEEL syntax error at 9: Incomplete <Comparison>");
      expect(error.expression).toBe(expr);
      expect(error.name).toBe('ExpressionError');
    });

    it('should not modify the context', () => {
      // given a frozen context
      const context = deepFreeze({ order: { items: [{ price: 2 }, { price: 3 }] }, tag: 'x' });
      const before = JSON.stringify(context);
      // when
      const result = evaluate('={sum: sum(order.items.price), order: order}', context);
      // then
      expect(result).toEqual({ sum: 5, order: { items: [{ price: 2 }, { price: 3 }] } });
      expect(JSON.stringify(context)).toBe(before);
    });

    it('should return a fresh object each time', () => {
      // given a context result that a caller then modifies
      const first = evaluate('={a: x}', { x: 1 }) as { a: number };
      first.a = 99;
      // when
      const second = evaluate('={a: x}', { x: 1 });
      // then
      expect(second).toEqual({ a: 1 });
    });

    it('should see variables whose names are not plain identifiers', () => {
      // given a variable with a dash in its name, which FEEL resolves from the context
      const context = { 'a-b': 5, a: 1, b: 1 };
      // when
      const withDash = evaluate('=a-b', context);
      const withoutDash = evaluate('=a-b', { a: 1, b: 1 });
      // then
      expect(withDash).toBe(5);
      expect(withoutDash).toBe(0);
    });

    it('should not serve a remembered result for other values', () => {
      // given the same expression evaluated with changing values (results are memoised)
      const values = [150, 50, 150, undefined, null, 101, 100, 150];
      // when
      const results = values.map((amount) => evaluate('=amount > 100', amount === undefined ? {} : { amount }));
      // then
      expect(results).toEqual([true, false, true, null, null, true, false, true]);
    });

    it('should not serve a remembered result for other lists', () => {
      // given the same expression over lists of different contents
      const lists = [[1, 2, 3], [1], [1, 2, 3], [], [{ a: 1 }, { a: 2 }, { a: 3 }]];
      // when
      const results = lists.map((items) => evaluate('=count(items) > 2', { items }));
      // then
      expect(results).toEqual([true, false, true, false, true]);
    });

    it('should not confuse a missing variable with a null one in its messages', () => {
      // given the same condition, once with the variable missing and once set to null
      const missing = thrown(() => evaluateCondition('=flag', {}));
      // when
      const present = thrown(() => evaluateCondition('=flag', { flag: null }));
      // then
      expect(missing.message).toContain("Variable 'flag' not found");
      expect(present.message).toBe("condition '=flag' did not evaluate to a boolean (got null)");
    });
  });

  describe('evaluateCondition', () => {
    it.each([
      ['=amount > 100', { amount: 101 }, true],
      ['=amount > 100', { amount: 100 }, false],
      ['=approved and not(rejected)', { approved: true, rejected: false }, true],
      ['=status = "done" or retries > 3', { status: 'open', retries: 4 }, true],
      ['=list contains(groups, "hr")', { groups: ['it', 'hr'] }, true],
    ])('should evaluate %j with %j to %s', (expr, context, expected) => {
      // given a boolean expression
      // when
      const result = evaluateCondition(expr, context);
      // then
      expect(result).toBe(expected);
    });

    it.each([
      ['=amount > 100', {}, "condition '=amount > 100' did not evaluate to a boolean (got null): Variable 'amount' not found"],
      ['=amount', { amount: 5 }, "condition '=amount' did not evaluate to a boolean (got number 5)"],
      ['=name', { name: 'An' }, 'condition \'=name\' did not evaluate to a boolean (got string "An")'],
      ['=items', { items: [1, 2] }, "condition '=items' did not evaluate to a boolean (got a list of 2)"],
      ['=order', { order: {} }, "condition '=order' did not evaluate to a boolean (got a context)"],
      ['true', {}, 'condition \'true\' did not evaluate to a boolean (got string "true"): conditions must be FEEL expressions starting with \'=\''],
    ])('should reject %j with %j', (expr, context, message) => {
      // given a condition that does not yield a boolean
      // when
      const error = thrown(() => evaluateCondition(expr, context));
      // then
      expect(error.message).toBe(message);
      expect(error.expression).toBe(expr);
    });
  });

  describe('evaluateString', () => {
    it.each([
      ['payment-service', {}, 'payment-service'],
      ['="job-" + kind', { kind: 'a' }, 'job-a'],
      ['=applicationId', { applicationId: 42 }, '42'],
      ['=ratio', { ratio: 0.5 }, '0.5'],
      ['=assignee', { assignee: 'an.nguyen' }, 'an.nguyen'],
    ])('should evaluate %j with %j to %j', (expr, context, expected) => {
      // given an expression yielding a string or a number
      // when
      const result = evaluateString(expr, context);
      // then
      expect(result).toBe(expected);
    });

    it.each([
      ['=key', {}, "expression '=key' did not evaluate to a string (got null): Variable 'key' not found"],
      ['=key', { key: { a: 1 } }, "expression '=key' did not evaluate to a string (got a context)"],
      ['=key', { key: true }, "expression '=key' did not evaluate to a string (got boolean true)"],
      ['=key', { key: ['a'] }, "expression '=key' did not evaluate to a string (got a list of 1)"],
    ])('should reject %j with %j', (expr, context, message) => {
      // given an expression yielding something that is neither a string nor a number
      // when
      const error = thrown(() => evaluateString(expr, context));
      // then
      expect(error.message).toBe(message);
    });
  });

  describe('evaluateStringList', () => {
    it.each([
      ['=groups', { groups: ['hr', 'it'] }, ['hr', 'it']],
      ['=groups', { groups: 'hr, it ,, legal' }, ['hr', 'it', 'legal']],
      ['=["a", "b"]', {}, ['a', 'b']],
      ['=[]', {}, []],
      ['hr, it', {}, ['hr', 'it']],
      ['single', {}, ['single']],
      ['', {}, []],
    ])('should evaluate %j with %j to %j', (expr, context, expected) => {
      // given an expression yielding a list of strings or a comma separated string
      // when
      const result = evaluateStringList(expr, context);
      // then
      expect(result).toEqual(expected);
    });

    it.each([
      ['=groups', {}, "expression '=groups' did not evaluate to a list of strings (got null): Variable 'groups' not found"],
      ['=groups', { groups: ['a', 1] }, "expression '=groups' did not evaluate to a list of strings (item 1 is number 1)"],
      ['=groups', { groups: 7 }, "expression '=groups' did not evaluate to a list of strings (got number 7)"],
    ])('should reject %j with %j', (expr, context, message) => {
      // given an expression yielding something else
      // when
      const error = thrown(() => evaluateStringList(expr, context));
      // then
      expect(error.message).toBe(message);
    });
  });
});
