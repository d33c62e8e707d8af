import { vietnameseCalendars } from '../../../onestop/src/clocks';
import { buildMiningLog, mineLog, reworkOf, stepTimes, workingHoursMeter, type MiningCase, type MiningStep, type WorkingHoursMeter } from '../../../onestop/src/mining';
import { at } from '../../support/local-time';
import { AS_OF, SOURCE } from './hand-built-log';

const meter = workingHoursMeter(vietnameseCalendars());
const names = (_definitionId: string, elementId: string) => (elementId === 'g' ? 'Complete?' : undefined);

describe('mining/analyses', () => {
  describe('buildMiningLog', () => {
    it('should make one step per element run with its ready, claim and end times and its official', () => {
      // when
      const log = buildMiningLog(SOURCE, AS_OF, names);

      // then
      const c1 = log.cases.find((c) => c.id === 'C1')!;
      expect(c1.steps.map((s) => `${s.elementId}:${s.outcome}`)).toEqual(['start:completed', 'examine:completed', 'g:completed', 'examine:completed', 'g:completed', 'sign:open']);
      expect(c1.steps[1]).toEqual({
        key: 2,
        elementId: 'examine',
        name: 'Examine the dossier',
        elementType: 'userTask',
        readyAt: at('2026-11-02 08:00'),
        startedAt: at('2026-11-02 10:00'),
        endedAt: at('2026-11-02 14:00'),
        outcome: 'completed',
        taskId: 't1',
        resource: 'u1',
        agency: 'A',
      });
      expect(c1.steps[2].name).toBe('Complete?');
      expect(c1.applicant).toBe('ap-1');
      const c2 = log.cases.find((c) => c.id === 'C2')!;
      expect(c2.steps.find((s) => s.taskId === 't4')).toMatchObject({ resource: 'u2', outcome: 'completed' });
      expect(c2.steps.find((s) => s.taskId === 't4')!.startedAt).toBeUndefined();
      expect(c2.steps.find((s) => s.taskId === 't5')).toMatchObject({ resource: 'u2', outcome: 'open', dueAt: at('2026-11-02 17:00') });
    });

    it('should leave out events of cases it was not given and events without their element', () => {
      // given
      const source = { ...SOURCE, events: [...SOURCE.events, { caseId: 'nobody', at: 0, type: 'elementActivated', data: { elementId: 'x', key: 1 } }, { caseId: 'C2', at: 0, type: 'elementActivated', data: { key: 'nine' } }] };

      // when
      const log = buildMiningLog(source, AS_OF);

      // then
      expect(log.cases.map((c) => c.steps.length)).toEqual([6, 3]);
    });
  });

  describe('stepTimes', () => {
    const step: MiningStep = { key: 1, elementId: 'x', name: 'x', elementType: 'userTask', taskId: 't', readyAt: at('2026-11-02 11:00'), endedAt: at('2026-11-02 14:00'), outcome: 'completed', agency: 'A' };

    it('should count the whole time of a task completed without a claim as waiting, in working hours over the lunch break', () => {
      expect(stepTimes(step, AS_OF, meter)).toEqual({ wait: 1.5, work: 0 });
    });

    it('should split at the claim and measure an open step up to the moment of the log', () => {
      expect(stepTimes({ ...step, startedAt: at('2026-11-02 11:30'), endedAt: undefined, outcome: 'open' }, at('2026-11-02 13:30'), meter)).toEqual({ wait: 0.5, work: 0.5 });
    });

    it('should not guess a time the calendar does not cover', () => {
      expect(stepTimes({ ...step, readyAt: Date.UTC(1990, 0, 2), endedAt: Date.UTC(1990, 0, 3) }, AS_OF, meter)).toBeUndefined();
    });
  });

  describe('mineLog', () => {
    const summary = mineLog(buildMiningLog(SOURCE, AS_OF, names), meter);

    it('should give waiting and working hours per procedure, agency and official', () => {
      // then: C1 waits 2 + 4 + 8, C2 1 + 0.5; worked 2.5 + 1, and 15 (sign of C2, open)
      const p = { steps: 9, open: 2, waitHours: { total: 15.5, mean: 1.722, max: 8 }, workHours: { total: 18.5, mean: 2.056, max: 15 }, unmeasured: 0 };
      expect(summary.byProcedure).toEqual([{ processId: 'p', cases: 2, ...p }]);
      expect(summary.byAgency).toEqual([{ agency: 'A', ...p }]);
      expect(summary.byOfficial).toEqual([
        { official: 'u1', steps: 2, open: 0, waitHours: { total: 6, mean: 3, max: 4 }, workHours: { total: 3.5, mean: 1.75, max: 2.5 }, unmeasured: 0 },
        { official: 'u2', steps: 2, open: 1, waitHours: { total: 1.5, mean: 0.75, max: 1 }, workHours: { total: 15, mean: 7.5, max: 15 }, unmeasured: 0 },
      ]);
      expect(summary).toMatchObject({ cases: 2, openCases: 2, unit: 'workingHours', asOf: AS_OF });
    });

    it('should list the steps where dossiers wait longest first', () => {
      expect(summary.topWaiting.slice(0, 2)).toEqual([
        { processId: 'p', elementId: 'sign', name: 'Sign the result', elementType: 'userTask', steps: 2, open: 2, waitHours: { total: 8.5, mean: 4.25, max: 8 }, workHours: { total: 15, mean: 7.5, max: 15 }, unmeasured: 0 },
        { processId: 'p', elementId: 'examine', name: 'Examine the dossier', elementType: 'userTask', steps: 3, open: 0, waitHours: { total: 7, mean: 2.333, max: 4 }, workHours: { total: 3.5, mean: 1.167, max: 2.5 }, unmeasured: 0 },
      ]);
    });

    it('should find the rework loop and its path', () => {
      expect(summary.rework).toEqual([{ processId: 'p', elementId: 'examine', name: 'Examine the dossier', path: ['examine', 'g', 'examine'], times: 1, cases: 1, caseIds: ['C1'] }]);
    });

    it('should say who holds the late dossiers, oldest due first, and by how many working hours', () => {
      expect(summary.lateHolders).toEqual([
        { holder: 'u2', agency: 'A', cases: 1, oldestDueAt: at('2026-11-02 17:00'), tasks: [{ caseId: 'C2', processId: 'p', taskId: 't5', elementId: 'sign', name: 'Sign the result', dueAt: at('2026-11-02 17:00'), lateHours: 10 }] },
        { holder: null, agency: 'A', cases: 1, oldestDueAt: at('2026-11-03 10:30'), tasks: [{ caseId: 'C1', processId: 'p', taskId: 't3', elementId: 'sign', name: 'Sign the result', dueAt: at('2026-11-03 10:30'), lateHours: 7 }] },
      ]);
    });

    it('should give the heat of every element of the procedure, keyed by element id', () => {
      expect(Object.keys(summary.heat.p).sort()).toEqual(['examine', 'g', 'sign', 'start']);
      expect(summary.heat.p.sign).toEqual({ name: 'Sign the result', elementType: 'userTask', runs: 2, open: 2, meanWaitHours: 4.25, meanWorkHours: 7.5, maxWaitHours: 8, reworkEntries: 0, heat: 1 });
      expect(summary.heat.p.examine).toMatchObject({ runs: 3, reworkEntries: 1, heat: 0.549 });
      expect(summary.heat.p.start.heat).toBe(0);
    });

    it('should count steps the calendar cannot measure apart instead of failing', () => {
      // given a meter that covers nothing
      const blind: WorkingHoursMeter = () => undefined;

      // when
      const figures = mineLog(buildMiningLog(SOURCE, AS_OF), blind);

      // then
      expect(figures.byProcedure[0]).toMatchObject({ steps: 0, unmeasured: 9 });
      expect(figures.lateHolders.map((h) => h.tasks[0].lateHours)).toEqual([undefined, undefined]);
    });
  });

  describe('reworkOf', () => {
    const step = (key: number, elementId: string, elementType: string, readyAt: number, endedAt?: number): MiningStep => ({ key, elementId, name: elementId, elementType, readyAt, endedAt, outcome: endedAt === undefined ? 'open' : 'completed' });
    const caseOf = (steps: MiningStep[]): MiningCase => ({ id: 'c', processId: 'p', processVersion: 1, definitionId: 'd', status: 'active', startedAt: 0, steps });

    it('should not count the inner runs of a multi-instance activity as rework, but its second run', () => {
      // given a multi-instance body `review` with three inner runs, then the body run again
      const steps = [step(1, 'review', 'multiInstanceBody', 0, 10), step(2, 'review', 'userTask', 1, 3), step(3, 'review', 'userTask', 1, 4), step(4, 'review', 'userTask', 1, 10), step(5, 'back', 'exclusiveGateway', 11, 11), step(6, 'review', 'multiInstanceBody', 12)];

      // when
      const found = reworkOf(caseOf(steps));

      // then
      expect(found.map((f) => [f.step.key, f.path])).toEqual([[6, ['review', 'back', 'review']]]);
    });
  });
});
