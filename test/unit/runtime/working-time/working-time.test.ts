/**
 * Working time in the runtime: due dates and timers from motcua:facts and the
 * FEEL working-time functions, on the synthetic calendar of the arithmetic tests
 * (UTC+7, Mon–Fri 08–12 and 13–17, Wed 1/1 and Wed 8/1 2031 closed, Sat 11/1
 * worked) injected through the step's options.
 */
import path from 'node:path';
import { buildWorkingCalendar, type CalendarProvider } from '../../../../engine/src/calendar';
import { InvalidInputError } from '../../../../engine/src/errors';
import type { Command } from '../../../../engine/src/runtime/commands';
import type { Effect } from '../../../../engine/src/runtime/effects';
import type { InstanceState } from '../../../../engine/src/runtime/state';
import { step } from '../../../../engine/src/runtime/step';
import type { StepOptions } from '../../../../engine/src/runtime/working-time';
import { workingTimeWithoutCalendar } from '../../../../engine/src/runtime/working-time';
import type { ProcessGraph } from '../../../../engine/src/model/graph';
import { loadFixture, ofType } from '../../../support/runtime-harness';
import { synthetic } from '../../calendar/synthetic-calendar';

const FIXTURE = path.join(__dirname, 'working-time.bpmn');
const calendar = buildWorkingCalendar(synthetic);
/** A local time of the synthetic calendar (UTC+7). */
const local = (text: string): number => Date.parse(`${text}+07:00`);

/** Drives one instance with `step` and the given options, keeping every effect. */
class Run {
  state: InstanceState | undefined;
  readonly effects: Effect[] = [];
  constructor(readonly graph: ProcessGraph, readonly options: StepOptions) {}
  send(command: Command, now: number): Effect[] {
    const result = step(this.graph, this.state, command, now, this.options);
    this.state = result.state;
    this.effects.push(...result.effects);
    return result.effects;
  }
  timer(elementId: string): { id: string; dueAt: number } {
    const found = Object.values(this.state!.waits).find((w) => w.kind === 'timer' && w.elementId === elementId);
    if (!found || found.kind !== 'timer') throw new Error(`no timer of ${elementId}`);
    return { id: found.id, dueAt: found.dueAt };
  }
  task(elementId: string): { id: string; dueAt?: number } {
    const opened = ofType(this.effects, 'taskOpened').filter((e) => e.task.elementId === elementId).at(-1);
    if (!opened) throw new Error(`no task ${elementId}`);
    return { id: opened.task.id, dueAt: opened.task.dueAt };
  }
}

describe('runtime/working-time', () => {
  let graph: ProcessGraph;
  const asked: Array<string | undefined> = [];
  const calendars: CalendarProvider = (agency) => {
    asked.push(agency);
    return { calendar, cutoff: '15:00', dayCounting: 'elapsed' };
  };

  beforeAll(async () => {
    graph = (await loadFixture(FIXTURE)).graph;
  });

  it('should compile the statutory times into the graph', () => {
    expect(graph.facts?.statutoryTime).toEqual({ amount: 3, unit: 'workingDays' });
    expect(graph.nodes.warn.facts?.statutoryTime).toEqual({ amount: 1, unit: 'workingDays', beforeDue: true });
    expect(graph.nodes.late.facts?.statutoryTime).toEqual({ amount: 12, unit: 'workingHours' });
  });

  it('should set the appointment, the due dates and the timers on working time', () => {
    // given: received Tuesday 7/1/2031 10:00; Wednesday 8/1 is closed, Saturday 11/1 worked
    const run = new Run(graph, { calendars });

    // when
    run.send({ type: 'start', instanceId: 'i1', definitionId: 'wt:1' }, local('2031-01-07T10:00:00'));

    // then: 3 working days → Saturday 10:00; the task's 2 → Friday 10:00
    expect(run.state!.elements[0].vars!.appointmentAt).toBe(new Date(local('2031-01-11T10:00:00')).toISOString());
    expect(run.task('examine').dueAt).toBe(local('2031-01-10T10:00:00'));
    // 1 working day before the task's due date; 12 working hours from receipt
    expect(run.timer('warn').dueAt).toBe(local('2031-01-09T10:00:00'));
    expect(run.timer('late').dueAt).toBe(local('2031-01-09T15:00:00'));
    expect(asked.every((agency) => agency === 'desk')).toBe(true);

    // when: both fire, and the task is done Thursday 16:00
    run.send({ type: 'fireTimer', waitId: run.timer('warn').id }, local('2031-01-09T10:00:00'));
    run.send({ type: 'fireTimer', waitId: run.timer('late').id }, local('2031-01-09T15:00:00'));
    run.send({ type: 'completeTask', taskId: run.task('examine').id }, local('2031-01-09T16:00:00'));

    // then: 4 working hours: Thursday 16–17, Friday 08–11
    expect(run.timer('pause').dueAt).toBe(local('2031-01-10T11:00:00'));

    // when
    run.send({ type: 'fireTimer', waitId: run.timer('pause').id }, local('2031-01-10T11:00:00'));

    // then: the FEEL due date, one working day before the appointment
    expect(run.task('sign').dueAt).toBe(local('2031-01-10T10:00:00'));

    // when: signed Friday 11:00, 7 working hours before the appointment (not ≥ 8)
    const last = run.send({ type: 'completeTask', taskId: run.task('sign').id, variables: { signedAt: '2031-01-10T11:00:00+07:00' } }, local('2031-01-10T11:00:00'));

    // then
    expect(ofType(last, 'elementCompleted').map((e) => e.elementId)).toContain('done');
    expect(run.state!.status).toBe('completed');
  });

  it('should take the condition counting working hours when there are enough', () => {
    const run = new Run(graph, { calendars });
    run.send({ type: 'start', instanceId: 'i2', definitionId: 'wt:1' }, local('2031-01-07T10:00:00'));
    run.send({ type: 'completeTask', taskId: run.task('examine').id }, local('2031-01-07T11:00:00'));
    run.send({ type: 'fireTimer', waitId: run.timer('pause').id }, run.timer('pause').dueAt);

    // Friday 09:00 → Saturday 10:00: 3 + 4 + 2 = 9 working hours
    const last = run.send({ type: 'completeTask', taskId: run.task('sign').id, variables: { signedAt: '2031-01-10T09:00:00+07:00' } }, local('2031-01-10T09:00:00'));

    expect(ofType(last, 'elementCompleted').map((e) => e.elementId)).toContain('early');
  });

  it('should count working time as calendar time without a provider, and warn at deploy', () => {
    const start = local('2031-01-07T10:00:00');
    const run = new Run(graph, {});
    run.send({ type: 'start', instanceId: 'i3', definitionId: 'wt:1' }, start);

    const day = 86_400_000;
    expect(run.state!.elements[0].vars!.appointmentAt).toBe(new Date(start + 3 * day).toISOString());
    expect(run.task('examine').dueAt).toBe(start + 2 * day);
    expect(run.timer('warn').dueAt).toBe(start + day);
    expect(run.timer('late').dueAt).toBe(start + 12 * 3_600_000);
    expect(workingTimeWithoutCalendar(graph)).toEqual([
      "'wt' has a statutory time of 3 workingDays, but the engine has no working calendar: it counts as calendar time",
      "'examine' has a statutory time of 2 workingDays, but the engine has no working calendar: it counts as calendar time",
      "'warn' has a statutory time of 1 workingDays, but the engine has no working calendar: it counts as calendar time",
      "'late' has a statutory time of 12 workingHours, but the engine has no working calendar: it counts as calendar time",
      "'pause' has a statutory time of 4 workingHours, but the engine has no working calendar: it counts as calendar time",
    ]);
  });

  it.each([
    [{ amount: 1, unit: 'workingDays' as const }, '2031-01-09T10:00:00'], // one working day before Friday 10:00
    [{ amount: 4, unit: 'workingHours' as const }, '2031-01-09T15:00:00'], // Friday 08–10 and Thursday 15–17
    [{ share: 0.25 }, '2031-01-07T15:00:00'], // a quarter of the task's 16 working hours
    [{ amount: 5, unit: 'workingDays' as const }, '2031-01-07T10:00:00'], // never before the task opened
  ])('should set the follow-up date of a task due by statutory time %j before due', (taskWarning, expected) => {
    const run = new Run(graph, { calendars, taskWarning });
    const effects = run.send({ type: 'start', instanceId: 'i7', definitionId: 'wt:1' }, local('2031-01-07T10:00:00'));
    expect(ofType(effects, 'taskOpened')[0].task.followUpAt).toBe(local(expected));
  });

  it('should set no follow-up date without a warning setting', () => {
    const run = new Run(graph, { calendars });
    const effects = run.send({ type: 'start', instanceId: 'i8', definitionId: 'wt:1' }, local('2031-01-07T10:00:00'));
    expect(ofType(effects, 'taskOpened')[0].task.followUpAt).toBeUndefined();
  });

  it('should keep an appointment the caller gives', () => {
    const run = new Run(graph, { calendars });
    run.send({ type: 'start', instanceId: 'i4', definitionId: 'wt:1', variables: { appointmentAt: '2031-02-01T10:00:00Z' } }, local('2031-01-07T10:00:00'));
    expect(run.state!.elements[0].vars!.appointmentAt).toBe('2031-02-01T10:00:00Z');
  });

  it('should refuse a start whose appointment falls outside the calendar, naming why', () => {
    const run = new Run(graph, { calendars });
    expect(() => run.send({ type: 'start', instanceId: 'i5', definitionId: 'wt:1' }, local('2031-06-27T10:00:00'))).toThrow(InvalidInputError);
    expect(() => run.send({ type: 'start', instanceId: 'i5', definitionId: 'wt:1' }, local('2031-06-27T10:00:00'))).toThrow(/appointment date cannot be counted: .*covers 2031-01-01 to 2031-06-30/);
  });

  it('should raise an incident on the task whose due date falls outside the calendar', () => {
    // given: an appointment set by the caller, a task due past the data
    const run = new Run(graph, { calendars });
    const effects = run.send({ type: 'start', instanceId: 'i6', definitionId: 'wt:1', variables: { appointmentAt: '2031-07-01T10:00:00Z' } }, local('2031-06-27T10:00:00'));

    // then
    const incidents = ofType(effects, 'incidentRaised');
    expect(incidents).toHaveLength(1);
    expect(incidents[0].incident.elementId).toBe('examine');
    expect(incidents[0].incident.message).toMatch(/statutory time of 'examine' cannot be counted: .*covers 2031-01-01 to 2031-06-30/);
  });
});
