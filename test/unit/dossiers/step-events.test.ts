import path from 'node:path';
import type { ProcessGraph } from '../../../engine/src/model/graph';
import type { Effect, TaskRecord } from '../../../engine/src/runtime/effects';
import type { InstanceState } from '../../../engine/src/runtime/state';
import { step } from '../../../engine/src/runtime/step';
import { controlSlipHandOffs } from '../../../onestop/src/dossiers/control-slip';
import type { DossierEvent } from '../../../onestop/src/dossiers/dossier-events';
import { applyStepToDossier, dossierEventsOfStep, dossierStatusOf, graphFacts, holderOf, type StepGraphFacts } from '../../../onestop/src/dossiers/step-events';
import { loadFixture } from '../../support/runtime-harness';
import { at } from '../../support/local-time';
import { context, newDossier, run } from './lifecycle-support';

const FIXTURE = path.join(__dirname, 'step-events.bpmn');

/** Drives the permit process with the engine's own step function, keeping the task records it opened (the task table). */
class Permit {
  state: InstanceState | undefined;
  readonly tasks = new Map<string, TaskRecord>();
  constructor(readonly graph: ProcessGraph) {}

  facts(): StepGraphFacts {
    return { factsOf: graphFacts(this.graph), taskOf: (id) => this.tasks.get(id) };
  }

  /** Runs a command at a local time; returns the step as a listener sees it, read before the task table learns the step. */
  send(command: Parameters<typeof step>[2], now: string) {
    const result = step(this.graph, this.state, command, at(now));
    this.state = result.state;
    const listened = { effects: result.effects, instance: { id: 'i-1', processId: 'permit', businessKey: 'HS-1' }, now: at(now), actor: 'lan' };
    const outcome = dossierEventsOfStep(listened, this.facts());
    for (const e of result.effects) if (e.type === 'taskOpened') this.tasks.set(e.task.id, e.task);
    return outcome;
  }

  task(elementId: string): TaskRecord {
    const open = Object.values(this.state!.waits).filter((w) => w.kind === 'task' && w.elementId === elementId);
    if (open.length !== 1) throw new Error(`expected one open task at ${elementId}`);
    return this.tasks.get(open[0].id)!;
  }
}

async function permit(): Promise<Permit> {
  return new Permit((await loadFixture(FIXTURE)).graph);
}

describe('dossiers/step-events', () => {
  it.each<[text: string, status: string | undefined]>([
    ['processing', 'processing'],
    ['resultReady', 'result-ready'],
    ['supplement_requested', 'supplement-requested'],
    ['Returned', 'returned'],
    ['archived', undefined],
  ])('dossierStatusOf(%j) → %s', (text, status) => {
    expect(dossierStatusOf(text)).toBe(status);
  });

  it('should name a holder by agency and groups, else assignee, else element', () => {
    expect(holderOf({ elementId: 'T', candidateGroups: ['desk'] }, { agency: '000.00.15.H29' })).toBe('000.00.15.H29 / desk');
    expect(holderOf({ elementId: 'T', candidateGroups: [], assignee: 'lan' }, undefined)).toBe('lan');
    expect(holderOf({ elementId: 'T' }, undefined)).toBe('T');
  });

  it('should not take the procedure-wide dossierStatus as every node’s', async () => {
    const { graph } = await loadFixture(FIXTURE);
    expect(graphFacts(graph)('Check')).toEqual({ agency: '000.00.15.H29', statutoryTime: { amount: 7, unit: 'workingDays' } });
    expect(graphFacts(graph)('Tax')).toMatchObject({ agency: '000.00.00.G12' });
    expect(graphFacts(graph)('Nope')).toBeUndefined();
  });

  describe('with the engine’s steps', () => {
    it('should read the process reaching processing with a hand-off from the desk to the specialist', async () => {
      // given the dossier at the desk's check task
      const p = await permit();
      const start = p.send({ type: 'start', instanceId: 'i-1', definitionId: 'permit:1' }, '2026-11-02 09:30');
      expect(start).toMatchObject({ statuses: [], handOffs: [] });
      // when the desk completes its check
      const outcome = p.send({ type: 'completeTask', taskId: p.task('Check').id, variables: {} }, '2026-11-02 10:00');
      // then the process reached `processing` at the specialist, handed off from the desk
      const examine = p.task('Examine');
      expect(outcome).toEqual({
        dossierKey: { instanceId: 'i-1', businessKey: 'HS-1' },
        statuses: [{ status: 'processing', elementId: 'Examine', taskId: examine.id, holder: '000.00.15.H29 / specialist', dueAt: at('2026-11-05 17:00') }],
        handOffs: [{ from: '000.00.15.H29 / desk', to: '000.00.15.H29 / specialist', at: at('2026-11-02 10:00'), actor: 'lan', fromElementId: 'Check', toElementId: 'Examine', toTaskId: examine.id, dueAt: at('2026-11-05 17:00') }],
        problems: [],
      });
    });

    it('should give one hand-off per agency when the agencies receive at once (Decree 118 art. 20, electronic)', async () => {
      const p = await permit();
      p.send({ type: 'start', instanceId: 'i-1', definitionId: 'permit:1' }, '2026-11-02 09:30');
      p.send({ type: 'completeTask', taskId: p.task('Check').id, variables: {} }, '2026-11-02 10:00');
      const outcome = p.send({ type: 'completeTask', taskId: p.task('Examine').id, variables: {} }, '2026-11-03 10:00');
      expect(outcome.handOffs.map((h) => [h.from, h.to, h.dueAt])).toEqual([
        ['000.00.15.H29 / specialist', '000.00.00.G12 / tax', at('2026-11-09 17:00')],
        ['000.00.15.H29 / specialist', '000.00.15.H30 / police', undefined],
      ]);
      expect(outcome.statuses).toEqual([]);
    });

    it('should move the dossier along the lifecycle, guards included, up to the result', async () => {
      // given a dossier received at 09:30, and its process run to the result
      const p = await permit();
      let dossier = run(newDossier('2026-11-02 09:00'), ['2026-11-02 09:30', { type: 'receive' }]);
      const steps: Array<[Parameters<typeof step>[2] | ((p: Permit) => Parameters<typeof step>[2]), string]> = [
        [{ type: 'start', instanceId: 'i-1', definitionId: 'permit:1' }, '2026-11-02 09:30'],
        [(q) => ({ type: 'completeTask', taskId: q.task('Check').id, variables: {} }), '2026-11-02 10:00'],
        [(q) => ({ type: 'completeTask', taskId: q.task('Examine').id, variables: {} }), '2026-11-03 10:00'],
        [(q) => ({ type: 'completeTask', taskId: q.task('Tax').id, variables: {} }), '2026-11-05 10:00'],
        [(q) => ({ type: 'completeTask', taskId: q.task('Police').id, variables: {} }), '2026-11-06 10:00'],
      ];
      const types: string[] = [];
      const events: DossierEvent[] = [];
      for (const [command, now] of steps) {
        const outcome = p.send(typeof command === 'function' ? command(p) : command, now);
        const applied = applyStepToDossier(dossier, outcome, context(now));
        expect(applied.refusals).toEqual([]);
        dossier = applied.dossier;
        events.push(...applied.events);
        types.push(...applied.events.map((e) => `${e.type}${e.type === 'dossierHandedOff' ? `→${e.toHolder}` : ''}`));
      }
      // then the control slip has every hand-off, and the result is ready early
      expect(types).toEqual([
        'processingStarted',
        'dossierHandedOff→000.00.15.H29 / specialist',
        'dossierHandedOff→000.00.00.G12 / tax',
        'dossierHandedOff→000.00.15.H30 / police',
        'dossierHandedOff→000.00.15.H29 / desk',
        'resultReady',
      ]);
      expect(dossier).toMatchObject({ status: 'result-ready', finishedAt: at('2026-11-06 10:00') });
      // the desk handed to the specialist; the two agencies received from the specialist at once; the desk from the police, who finished last
      expect(controlSlipHandOffs(events, { asOf: at('2026-11-06 10:00') }).map((row) => [row.from, row.to])).toEqual([
        ['000.00.15.H29 / desk (lan)', '000.00.15.H29 / specialist'],
        ['000.00.15.H29 / specialist (lan)', '000.00.00.G12 / tax'],
        ['000.00.15.H29 / specialist (lan)', '000.00.15.H30 / police'],
        ['000.00.15.H30 / police (lan)', '000.00.15.H29 / desk'],
      ]);
    });
  });

  describe('from hand-written effects', () => {
    const facts: StepGraphFacts = { factsOf: (id) => ({ A: { agency: 'X' }, B: { agency: 'X' }, C: { dossierStatus: 'rejected' }, D: { dossierStatus: 'archived' } })[id] };
    const opened = (id: string, elementId: string, extra: Partial<TaskRecord> = {}): Effect => ({ type: 'taskOpened', task: { id, elementId, elementInstanceKey: 1, candidateGroups: [], candidateUsers: [], ...extra } });

    it('should pair a completed task with its element when the task table does not know it', () => {
      const effects: Effect[] = [{ type: 'taskCompleted', taskId: 't1', variables: {} }, { type: 'elementCompleted', elementId: 'A', elementType: 'userTask', key: 1 }, opened('t2', 'B', { candidateGroups: ['head'] })];
      expect(dossierEventsOfStep({ effects, instance: { id: 'i', processId: 'p' }, now: 5 }, facts).handOffs).toEqual([{ from: 'X', to: 'X / head', at: 5, fromElementId: 'A', toElementId: 'B', toTaskId: 't2' }]);
    });

    it('should record no hand-off between tasks of one holder', () => {
      const effects: Effect[] = [{ type: 'taskCompleted', taskId: 't1', variables: {} }, { type: 'elementCompleted', elementId: 'A', elementType: 'userTask', key: 1 }, opened('t2', 'B')];
      expect(dossierEventsOfStep({ effects, instance: { id: 'i', processId: 'p' }, now: 5 }, facts).handOffs).toEqual([]);
    });

    it('should report an unknown dossierStatus, and refuse statuses that need an official’s reasons', () => {
      const outcome = dossierEventsOfStep({ effects: [opened('t1', 'C'), opened('t2', 'D')], instance: { id: 'i', processId: 'p' }, now: at('2026-11-03 09:00') }, facts);
      expect(outcome.problems).toEqual([{ elementId: 'D', reason: expect.stringContaining('motcua:facts dossierStatus "archived" names no dossier status') }]);
      const dossier = run(newDossier('2026-11-02 09:00'), ['2026-11-02 09:30', { type: 'receive' }]);
      const applied = applyStepToDossier(dossier, outcome, context('2026-11-03 09:00'));
      expect(applied.refusals).toEqual([{ operation: { type: 'reach', status: 'rejected' }, refusal: expect.objectContaining({ reason: expect.stringContaining('needs an official') }) }]);
      expect(applied.dossier.status).toBe('received');
    });

    it('should refuse a process reaching result-ready from a dossier still submitted (legal guard)', () => {
      const outcome = dossierEventsOfStep({ effects: [opened('t1', 'R')], instance: { id: 'i', processId: 'p' }, now: at('2026-11-03 09:00') }, { factsOf: () => ({ dossierStatus: 'result-ready' }) });
      const applied = applyStepToDossier(newDossier('2026-11-02 09:00'), outcome, context('2026-11-03 09:00'));
      expect(applied.refusals[0].refusal.code).toBe('NOT_ALLOWED_IN_STATUS');
    });
  });
});

describe('dossiers/step-events (events that carry a status)', () => {
  const at = (text: string) => Date.parse(`${text.replace(' ', 'T')}:00+07:00`);

  it('should read a status from a completed catch or end event, and skip a status the dossier already has', () => {
    // given a step that catches the supplement and ends at "returned"
    const facts: StepGraphFacts = { factsOf: (id) => ({ caught: { dossierStatus: 'supplemented' }, end: { dossierStatus: 'returned' }, start: { dossierStatus: 'submitted' } })[id] };
    const effects = [
      { type: 'elementCompleted', elementId: 'start', elementType: 'startEvent', key: 1 },
      { type: 'elementCompleted', elementId: 'caught', elementType: 'intermediateCatchEvent', key: 2 },
      { type: 'elementCompleted', elementId: 'end', elementType: 'endEvent', key: 3 },
    ] as const;

    // when
    const outcome = dossierEventsOfStep({ effects: effects as never, instance: { id: 'i', processId: 'p' }, now: at('2026-11-03 09:00') }, facts);

    // then the start event is not a status (the submission is recorded at receipt)
    expect(outcome.statuses.map((s) => [s.elementId, s.status])).toEqual([
      ['caught', 'supplemented'],
      ['end', 'returned'],
    ]);
  });
});
