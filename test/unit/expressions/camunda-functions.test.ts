import path from 'node:path';
import { evaluate, ExpressionBudgetError, ExpressionError, setExpressionLimits, withEvaluationClock } from '../../../engine/src/expressions';
import { loadProcessModels } from '../../../engine/src/model';
import { InstanceDriver, loadFixture, ofType } from '../../support/runtime-harness';

/** What an expression gives with `vars`, or the message it fails with (prefixed 'error: '). */
function result(expr: string, vars: Record<string, unknown> = {}): unknown {
  try {
    return evaluate(expr, vars);
  } catch (err) {
    expect(err).toBeInstanceOf(ExpressionError);
    return `error: ${(err as Error).message}`;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('expressions/camunda-functions', () => {
  afterEach(() => setExpressionLimits());

  // Expected values are the examples of Camunda 8's FEEL reference ("Built-in functions"), plus
  // null and wrong-type arguments, which yield null as every FEEL function does.
  const TABLE: [string, [string, unknown, Record<string, unknown>?][]][] = [
    ['boolean', [
      ['=is defined(1)', true],
      ['=is defined(null)', false],
      ['=is defined(x)', false],
      ['=is defined(x.y)', false],
      ['=is defined(a)', true, { a: { b: 1 } }],
      ['=get or else("this", "default")', 'this'],
      ['=get or else(null, "default")', 'default'],
      ['=get or else(null, null)', null],
      ['=get or else(missing, 3)', 3],
      ['=get or else(value: null, default: 3)', 3],
      ['=assert(x, x != null)', 'value', { x: 'value' }],
      ['=assert(x, x >= 0)', 4, { x: 4 }],
    ]],
    ['string', [
      ['=trim("  hello world  ")', 'hello world'],
      ['=trim("hello   world ")', 'hello   world'],
      ['=trim(123)', null],
      ['=is blank("")', true],
      ['=is blank(" ")', true],
      ['=is blank("hello world")', false],
      ['=is blank(null)', null],
      ['=to base64("FEEL")', 'RkVFTA=='],
      ['=to base64("Hồ sơ")', Buffer.from('Hồ sơ').toString('base64')],
      ['=to base64(null)', null],
      ['=extract("references are 1234, 1256, 1378", "12[0-9]*")', ['1234', '1256']],
      ['=extract("no digits", "[0-9]+")', []],
      ['=extract("a", "(")', null],
      ['=string join(["a", "b", "c"])', 'abc'],
      ['=string join(["a", "b", "c"], ", ")', 'a, b, c'],
      ['=string join(["a", "b", "c"], ", ", "[", "]")', '[a, b, c]'],
      ['=string join(["a", null, "c"])', 'ac'],
      ['=string join([], ", ", "[", "]")', '[]'],
      ['=string join([1, 2], ",")', null],
      ['=string join(list: ["a", "b"], delimiter: "-")', 'a-b'],
    ]],
    ['list', [
      ['=is empty([])', true],
      ['=is empty([1, 2, 3])', false],
      ['=is empty(null)', null],
      ['=duplicate values([1, 2, 3, 2, 1])', [1, 2]],
      ['=duplicate values([1, 2, 3])', []],
      ['=duplicate values([{a: 1}, {a: 1}, "x"])', [{ a: 1 }]],
      ['=partition([1, 2, 3, 4, 5], 2)', [[1, 2], [3, 4], [5]]],
      ['=partition([], 2)', []],
      ['=partition([1, 2], 0)', null],
      ['=partition(null, 2)', null],
    ]],
    ['context', [
      ['=get value({a: 1}, "a")', 1],
      ['=get value({a: 1}, "b")', null],
      ['=get value({x: {y: 1}}, ["x", "y"])', 1],
      ['=get value({x: {y: 1}}, ["x", "z"])', null],
      ['=get value(null, "a")', null],
      ['=context put({x: 1}, "y", 2)', { x: 1, y: 2 }],
      ['=context put({x: 1, y: 0}, "y", 2)', { x: 1, y: 2 }],
      ['=context put({x: 1, y: {z: 0}}, ["y", "z"], 2)', { x: 1, y: { z: 2 } }],
      ['=context put({x: 1}, ["y", "z"], 2)', { x: 1, y: { z: 2 } }],
      ['=context put(null, "y", 2)', null],
      ['=context merge([{x: 1}, {y: 2}])', { x: 1, y: 2 }],
      ['=context merge([{x: 1, y: 0}, {y: 2}])', { x: 1, y: 2 }],
    ]],
    ['temporal', [
      ['=last day of month(date("2022-10-01"))', '2022-10-31'],
      ['=last day of month(date("2024-02-10"))', '2024-02-29'],
      ['=last day of month(date and time("2023-02-17T12:00:00"))', '2023-02-28'],
      ['=last day of month("2022-10-01")', null],
      ['=day of week(date("2019-09-17"))', 'Tuesday'],
      ['=month of year(date("2019-09-17"))', 'September'],
    ]],
    ['conversion', [
      ['=to json({a: 1, b: 2})', '{"a":1,"b":2}'],
      ['=to json("Hello World")', '"Hello World"'],
      ['=to json([1, true, null])', '[1,true,null]'],
      ['=to json(date("2023-06-14"))', '"2023-06-14"'],
      ['=to json(null)', 'null'],
      ['=from json("{\\"a\\": 1, \\"b\\": 2}")', { a: 1, b: 2 }],
      ['=from json("\\"Hello World\\"")', 'Hello World'],
      ['=from json("true")', true],
      ['=from json("null")', null],
      ['=from json("not json")', null],
      ['=from json(1)', null],
    ]],
  ];
  for (const [kind, rows] of TABLE) {
    describe(`${kind} functions`, () => {
      for (const [expr, expected, vars] of rows) {
        it(`should evaluate ${expr} to ${JSON.stringify(expected)}`, () => {
          // given an expression (and variables)
          // when
          const value = result(expr, vars);
          // then
          expect(value).toEqual(expected);
        });
      }
    });
  }

  describe('names', () => {
    it('should keep a variable named like an extension readable where the function is not called', () => {
      // given
      const vars = { partition: 2, uuid: 'from-the-form', trim: { on: true } };
      // when / then
      expect(evaluate('=partition + 1', vars)).toBe(3);
      expect(evaluate('=uuid', vars)).toBe('from-the-form');
      expect(evaluate('=trim.on', vars)).toBe(true);
    });
  });

  describe('assert', () => {
    it('should fail the evaluation when the condition is not true, with the cause', () => {
      // when
      const failed = result('=assert(x, x >= 0, "x should be positive")', { x: -1 });
      const nullCondition = result('=assert(x, x != null)', {});
      // then
      expect(failed).toBe("error: failed to evaluate '=assert(x, x >= 0, \"x should be positive\")': assertion failed: x should be positive");
      expect(nullCondition).toMatch(/^error: .*assertion failed/);
    });
  });

  describe('uuid and random number', () => {
    it('should draw from the step seed: the same seed gives the same values, each call a new one', () => {
      // given
      const draw = (seed: string) => withEvaluationClock(0, () => [evaluate('=uuid()', {}), evaluate('=uuid()', {}), evaluate('=random number()', {})], () => seed);
      // when
      const first = draw('i1/7');
      const again = draw('i1/7');
      const other = draw('i1/8');
      // then
      expect(first[0]).toMatch(UUID);
      expect(first[1]).toMatch(UUID);
      expect(first[0]).not.toBe(first[1]);
      expect(again).toEqual(first);
      expect(other[0]).not.toBe(first[0]);
      expect(first[2]).toBeGreaterThanOrEqual(0);
      expect(first[2]).toBeLessThan(1);
    });

    it('should give a random uuid outside a step, never a memoised one', () => {
      // when
      const a = evaluate('=uuid()', {});
      const b = evaluate('=uuid()', {});
      // then
      expect(a).toMatch(UUID);
      expect(a).not.toBe(b);
    });

    it('should give the same uuids when a step is replayed', async () => {
      // given
      const { graph } = await loadFixture(path.join(__dirname, 'camunda-functions.bpmn'));
      const one = new InstanceDriver(graph);
      const two = new InstanceDriver(graph);
      // when
      one.start({ name: 'an' });
      two.start({ name: 'an' });
      // then
      const ids = one.current.elements[0].vars?.ids as string[];
      expect(ids).toHaveLength(2);
      expect(ids[0]).toMatch(UUID);
      expect(ids[0]).not.toBe(ids[1]);
      expect(two.current.elements[0].vars?.ids).toEqual(ids);
    });
  });

  describe('calls that cannot be made', () => {
    it.each([
      ['=foo(1)', "Variable 'foo' not found"],
      ['=x(1)', "Cannot invoke '1'"],
      ['=upper case("a", 2)', 'Cannot invoke'],
      ['=a.b(1)', 'Cannot invoke'],
    ])('should fail %s instead of yielding null', (expr, message) => {
      // when
      const value = result(expr, { x: 1, a: { b: 2 } });
      // then
      expect(value).toEqual(expect.stringContaining('a function call failed'));
      expect(value).toEqual(expect.stringContaining(message));
    });

    it('should raise an incident on the gateway instead of taking the default flow', async () => {
      // given
      const { graph } = await loadFixture(path.join(__dirname, 'camunda-functions.bpmn'));
      const run = new InstanceDriver(graph);
      // when
      const effects = run.start({ name: 'an' });
      // then
      expect(ofType(effects, 'incidentRaised').map((e) => e.incident.elementId)).toEqual(['Check']);
      expect(run.incident('Check').message).toContain('upper case(name, 2)');
      expect(ofType(effects, 'elementCompleted').map((e) => e.elementId)).not.toContain('End_Default');
    });

    it('should refuse at deploy a call of an unknown function, naming the element and the function', async () => {
      // given
      const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="D" targetNamespace="http://motcua.vn/test">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="Start" />
    <bpmn:serviceTask id="Task">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="work" />
        <zeebe:ioMapping>
          <zeebe:input source="=isDefined(x)" target="a" />
          <zeebe:input source="={f: function(v) v + 1, r: f(1)}.r" target="b" />
          <zeebe:output source="=get or else(string join(names, &quot;, &quot;), &quot;-&quot;)" target="c" />
        </zeebe:ioMapping>
      </bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:endEvent id="End" />
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Task" />
    <bpmn:sequenceFlow id="F2" sourceRef="Task" targetRef="End">
      <bpmn:conditionExpression>=contains(upper case(x), "A") or fooBar(x)</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
  </bpmn:process>
</bpmn:definitions>`;
      // when
      const { problems } = await loadProcessModels(xml);
      // then
      expect(problems).toEqual([
        { elementId: 'Task', reason: expect.stringContaining("the input mapping 'a' of service task 'Task' calls the unknown function 'isDefined'") },
        { elementId: 'F2', reason: expect.stringContaining("the condition of sequence flow 'F2' calls the unknown function 'fooBar'") },
      ]);
    });
  });

  describe('budget', () => {
    it('should charge the work of list functions to the evaluation budget', () => {
      // given
      setExpressionLimits({ maxOperations: 500 });
      const list = Array.from({ length: 1_000 }, (_, i) => i % 10);
      // when / then
      expect(() => evaluate('=duplicate values(l)', { l: list })).toThrow(ExpressionBudgetError);
      expect(() => evaluate('=partition(l, 3)', { l: list })).toThrow(ExpressionBudgetError);
      expect(() => evaluate('=from json(t)', { t: JSON.stringify(list) })).toThrow(ExpressionBudgetError);
    });
  });
});
