import path from 'node:path';
import { ExpressionBudgetError, ExpressionError } from '../../../engine/src/expressions';
import { LimitExceededError } from '../../../engine/src/limits';
import { describeVariables, incidentCauseOf } from '../../../engine/src/runtime/incident-cause';
import { TimerError } from '../../../engine/src/timer';
import { InstanceDriver, completedElements, loadFixture, ofType } from '../../support/runtime-harness';

const FIXTURE = path.join(__dirname, 'incident-cause.bpmn');

async function driver(processId: string): Promise<InstanceDriver> {
  const { graphs } = await loadFixture(FIXTURE);
  return new InstanceDriver(graphs[processId], { instanceId: 'i1' });
}

describe('runtime/incident-cause', () => {
  describe('incidentCauseOf', () => {
    it.each<[string, ExpressionError | TimerError | LimitExceededError, string]>([
      ['a failed expression', new ExpressionError('=f()', 'failed'), 'expressionFailed'],
      ['a condition that is not a boolean', new ExpressionError('=x', 'not a boolean', 'conditionNotBoolean'), 'conditionNotBoolean'],
      ['an expression over its budget', new ExpressionBudgetError('=x', 'operations', 'too long'), 'limitExceeded'],
      ['a limit of the engine', new LimitExceededError('maxNestingDepth', 'too deep'), 'limitExceeded'],
      ['a timer that does not parse', new TimerError('soon', 'not a duration'), 'timerInvalid'],
    ])('should give %s its cause', (_, error, cause) => {
      expect(incidentCauseOf(error)).toBe(cause);
    });
  });

  describe('describeVariables', () => {
    it('should list the variables the expressions read, a missing one as null, each once', () => {
      expect(describeVariables(['=approved = true', '=approved and amount > 10'], { approved: 'yes', other: 1 })).toBe('approved = "yes", amount = null');
    });

    it('should shorten long values and say how many names it left out', () => {
      // given
      const expressions = ['=a+b+c+d+e+f+g+h+i+j'];
      const context = { a: 'x'.repeat(100) };

      // when
      const text = describeVariables(expressions, context);

      // then
      expect(text).toBe(`a = "${'x'.repeat(59)}…, b = null, c = null, d = null, e = null, f = null, g = null, h = null, and 2 more`);
    });

    it('should be empty for a static literal', () => {
      expect(describeVariables(['approved'], { approved: true })).toBe('');
    });
  });

  describe('incidents raised by step', () => {
    it('should give a failed function call the cause expressionFailed', async () => {
      // given
      const run = await driver('failing-mapping');

      // when
      const effects = run.start({ fee: 42 });

      // then
      expect(ofType(effects, 'incidentRaised')[0].incident).toMatchObject({ elementId: 'F_Review', kind: 'expression', cause: 'expressionFailed', message: expect.stringContaining('fee must be negative') });
    });

    it('should give a result that JSON cannot hold the cause valueNotStorable', async () => {
      // given
      const run = await driver('unstorable-mapping');

      // when
      const effects = run.start({});

      // then
      expect(ofType(effects, 'incidentRaised')[0].incident).toMatchObject({ elementId: 'U_Review', kind: 'expression', cause: 'valueNotStorable' });
    });

    it('should stop a call activity whose process is not deployed on a calledProcessMissing incident, and ask for the child again when resolved', async () => {
      // given
      const run = await driver('calling');
      run.start({ target: 'appraisal' });
      const waitId = run.child('C_Call').id;

      // when
      const failed = run.send({ type: 'failCall', waitId, message: "call activity 'C_Call' calls process 'appraisal', which is not deployed" });

      // then
      expect(ofType(failed, 'incidentRaised')[0].incident).toMatchObject({
        elementId: 'C_Call',
        kind: 'calledElement',
        cause: 'calledProcessMissing',
        message: "call activity 'C_Call' calls process 'appraisal', which is not deployed",
      });
      expect(run.waits('child')).toEqual([]);
      expect(ofType(failed, 'childCancelled')).toEqual([]);

      // when
      const resolved = run.resolveIncident('C_Call');

      // then
      expect(ofType(resolved, 'childRequested')[0].request).toMatchObject({ elementId: 'C_Call', processId: 'appraisal' });
      expect(run.incidents()).toEqual([]);

      // when
      const completed = run.completeChild('C_Call', {});

      // then
      expect(completedElements(completed)).toEqual(['C_Call', 'C_End']);
      expect(run.status).toBe('completed');
    });
  });
});
