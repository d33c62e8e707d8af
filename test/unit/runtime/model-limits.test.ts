import path from 'node:path';
import { DEFAULT_LIMITS, type Limits } from '../../../engine/src/limits';
import type { Effect } from '../../../engine/src/runtime/effects';
import { InstanceDriver, loadFixture, ofType, openedTasks } from '../../support/runtime-harness';

const FIXTURE = path.join(__dirname, 'model-limits.bpmn');

async function driver(processId: string, limits: Partial<Limits> = {}): Promise<InstanceDriver> {
  const { graphs } = await loadFixture(FIXTURE);
  return new InstanceDriver(graphs[processId], { limits: { ...DEFAULT_LIMITS, ...limits } });
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const innerStarts = (effects: Effect[], elementId: string) =>
  ofType(effects, 'elementActivated').filter((e) => e.elementId === elementId && e.elementType !== 'multiInstanceBody').length;

/** Runs continuations until none is open; returns the effects of each continuation step. */
function drain(run: InstanceDriver): Effect[][] {
  const steps: Effect[][] = [];
  for (;;) {
    const open = run.waits('continuation');
    if (open.length === 0) return steps;
    steps.push(run.send({ type: 'continue', waitId: open[0].id }));
  }
}

describe('runtime model limits', () => {
  describe('multi-instance cardinality', () => {
    it('should run a collection of exactly the limit', async () => {
      // given
      const run = await driver('mi-script', { maxMultiInstance: 50, multiInstanceChunk: 1000 });

      // when
      run.start({ items: range(50) });

      // then
      expect(run.incidents()).toEqual([]);
      expect(run.variables.results).toEqual(range(50).map((n) => n * 2));
      expect(openedTasks(run.effects)).toEqual(['Check']);
    });

    it('should raise a limitExceeded incident and start nothing for a collection over the limit', async () => {
      // given
      const run = await driver('mi-script', { maxMultiInstance: 50 });

      // when
      const effects = run.start({ items: range(51) });

      // then
      const incident = run.incident('Double');
      expect(incident.kind).toBe('limitExceeded');
      expect(incident.message).toContain('has 51 items, more than the limit of 50 (MOTCUA_MAX_MULTI_INSTANCE)');
      expect(innerStarts(effects, 'Double')).toBe(0);
      expect(run.waits()).toEqual([]);
    });

    it('should run the loop once the collection is fixed and the incident resolved', async () => {
      // given
      const run = await driver('mi-script', { maxMultiInstance: 50 });
      run.start({ items: range(51) });

      // when
      run.send({ type: 'setVariables', variables: { items: range(3) } });
      run.send({ type: 'resolveIncident', incidentId: run.incident('Double').id });

      // then
      expect(run.incidents()).toEqual([]);
      expect(run.variables.results).toEqual([2, 4, 6]);
    });
  });

  describe('multi-instance chunks', () => {
    it('should start at most one chunk per step and leave the rest to continuations', async () => {
      // given
      const run = await driver('mi-script', { multiInstanceChunk: 10 });

      // when
      const first = run.start({ items: range(35) });
      const continued = drain(run);

      // then
      expect(innerStarts(first, 'Double')).toBe(10);
      expect(ofType(first, 'continuationScheduled').map((e) => e.continuation.elementId)).toEqual(['Double']);
      expect(continued.map((effects) => innerStarts(effects, 'Double'))).toEqual([10, 10, 5]);
      expect(run.variables.results).toEqual(range(35).map((n) => n * 2));
      expect(openedTasks(run.effects)).toEqual(['Check']);
      expect(ofType(run.effects, 'continuationFired')).toHaveLength(3);
    });

    it('should bound a sequential loop whose inner instances complete at once', async () => {
      // given
      const run = await driver('mi-script-sequential', { multiInstanceChunk: 4 });

      // when
      const first = run.start({ items: range(10) });
      const continued = drain(run);

      // then
      expect(innerStarts(first, 'S_Double')).toBe(4);
      expect(continued.map((effects) => innerStarts(effects, 'S_Double'))).toEqual([4, 2]);
      expect(run.variables.results).toEqual(range(10).map((n) => n * 2));
    });

    it('should open one task per item, a chunk per step, with the default limits at the limit', async () => {
      // given
      const run = await driver('mi-review');

      // when
      const first = run.start({ items: range(DEFAULT_LIMITS.maxMultiInstance) });
      const continued = drain(run);

      // then
      expect(ofType(first, 'taskOpened')).toHaveLength(DEFAULT_LIMITS.multiInstanceChunk);
      for (const effects of continued) expect(ofType(effects, 'taskOpened').length).toBeLessThanOrEqual(DEFAULT_LIMITS.multiInstanceChunk);
      expect(run.waits('task', 'Review')).toHaveLength(DEFAULT_LIMITS.maxMultiInstance);
      const items = run.waits('task', 'Review').map((w) => run.current.elements[w.owner].vars?.item);
      expect(items).toEqual(range(DEFAULT_LIMITS.maxMultiInstance));
    });

    it('should cancel the pending continuation when an interrupting boundary event ends the body', async () => {
      // given
      const run = await driver('mi-review', { multiInstanceChunk: 2 });
      run.start({ items: range(5) });
      const continuation = run.wait('continuation', 'Review');

      // when
      const effects = run.fireTimer('Deadline');

      // then
      expect(ofType(effects, 'continuationCancelled').map((e) => e.continuationId)).toEqual([continuation.id]);
      expect(ofType(effects, 'taskCancelled')).toHaveLength(2);
      expect(run.status).toBe('completed');
      expect(() => run.send({ type: 'continue', waitId: continuation.id })).toThrow(/instance 'i1' has ended/);
    });
  });

  describe('timer cycles computed at run time', () => {
    it('should raise a limitExceeded incident for a cycle shorter than the minimum', async () => {
      // given
      const run = await driver('feel-cycle');

      // when
      run.start({ cycle: 'R/PT0.001S' });

      // then
      const incident = run.incident('Work');
      expect(incident.kind).toBe('limitExceeded');
      expect(incident.message).toContain("the timer cycle 'PT0.001S' of 'Remind' fires every 1 ms, more often than the minimum interval of 1 min (MOTCUA_MIN_TIMER_CYCLE_MS)");
      expect(run.waits('timer')).toEqual([]);
    });

    it('should refuse a cron cycle firing every second and accept one of once a minute', async () => {
      // given
      const fast = await driver('feel-cycle');
      const slow = await driver('feel-cycle');

      // when
      fast.start({ cycle: '* * * * * *' });
      slow.start({ cycle: '0 * * * * *' });

      // then
      expect(fast.incident('Work').kind).toBe('limitExceeded');
      expect(slow.incidents()).toEqual([]);
      expect(slow.waits('timer', 'Remind')).toHaveLength(1);
    });
  });

  describe('timer cycles opened before the minimum', () => {
    it('should fire them no more often than the minimum from now on', async () => {
      // given: a one-second cycle opened while no minimum applied
      const { graphs } = await loadFixture(FIXTURE);
      const before = new InstanceDriver(graphs['feel-cycle'], { limits: { ...DEFAULT_LIMITS, minTimerCycleMs: 0 } });
      before.start({ cycle: 'R/PT1S' });
      const now = new InstanceDriver(graphs['feel-cycle']);
      now.state = before.state;
      const fired = now.timer('Remind');

      // when
      now.fireTimer('Remind');

      // then
      expect(now.timer('Remind').dueAt).toBe(fired.dueAt + DEFAULT_LIMITS.minTimerCycleMs);
    });
  });

  describe('call depth', () => {
    it('should raise a limitExceeded incident at the call activity past the nesting limit', async () => {
      // given
      const run = await driver('self-call', { maxNestingDepth: 3 });

      // when: the instance is itself the third link of a chain of callers
      run.start({}, { parent: { instanceId: 'caller', waitId: 'caller-1', depth: 3 } });

      // then
      const incident = run.incident('Again');
      expect(incident.kind).toBe('limitExceeded');
      expect(incident.message).toContain('4 levels deep in its chain of callers, more than the limit of 3 (MOTCUA_MAX_NESTING_DEPTH)');
      expect(ofType(run.effects, 'childRequested')).toEqual([]);
    });

    it('should tell the child how deep it is', async () => {
      // given
      const run = await driver('self-call', { maxNestingDepth: 3 });

      // when
      run.start({}, { parent: { instanceId: 'caller', waitId: 'caller-1', depth: 2 } });

      // then
      expect(ofType(run.effects, 'childRequested').map((e) => e.request.depth)).toEqual([3]);
    });
  });
});
