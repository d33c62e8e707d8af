/**
 * Due dates within the instance's appointment, and the `rescheduleTasks` command that moves
 * them with it (issue 16), on the synthetic calendar of working-time.test.ts (UTC+7,
 * Mon–Fri 08–12 and 13–17, Wed 1/1 and Wed 8/1 2031 closed, Sat 11/1 worked).
 */
import path from 'node:path';
import { buildWorkingCalendar, type CalendarProvider } from '../../../../engine/src/calendar';
import { ConflictError, InvalidInputError, NotFoundError } from '../../../../engine/src/errors';
import type { ProcessGraph } from '../../../../engine/src/model/graph';
import type { Command } from '../../../../engine/src/runtime/commands';
import type { Effect } from '../../../../engine/src/runtime/effects';
import type { InstanceState } from '../../../../engine/src/runtime/state';
import { step } from '../../../../engine/src/runtime/step';
import type { StepOptions } from '../../../../engine/src/runtime/working-time';
import { loadFixture, ofType } from '../../../support/runtime-harness';
import { synthetic } from '../../calendar/synthetic-calendar';

const FIXTURE = path.join(__dirname, 'working-time.bpmn');
const calendar = buildWorkingCalendar(synthetic);
const calendars: CalendarProvider = () => ({ calendar, cutoff: '15:00', dayCounting: 'elapsed' });
const local = (text: string): number => Date.parse(`${text}+07:00`);
const isoLocal = (text: string): string => new Date(local(text)).toISOString();

describe('runtime/working-time: due dates within the appointment', () => {
  let graph: ProcessGraph;
  beforeAll(async () => {
    graph = (await loadFixture(FIXTURE)).graph;
  });

  /** Starts an instance on Tuesday 7/1/2031 10:00 with these variables; its examination's own 2 working days end Friday 10/1 10:00. */
  function started(variables: Record<string, unknown>, options: StepOptions = { calendars }): { state: InstanceState; effects: Effect[] } {
    return step(graph, undefined, { type: 'start', instanceId: 'i1', definitionId: 'wt:1', variables: variables as never }, local('2031-01-07T10:00:00'), options);
  }
  const taskOf = (effects: Effect[]) => ofType(effects, 'taskOpened')[0].task;
  const send = (state: InstanceState, command: Command, at: string, options: StepOptions = { calendars }) => step(graph, state, command, local(at), options);

  it('should keep a task’s share within the appointment, and count the timer before its due date from there', () => {
    // given an appointment on Thursday 9/1 10:00, before the examination's own due date
    const { state, effects } = started({ appointmentAt: isoLocal('2031-01-09T10:00:00') });

    // then the task is due at the appointment, and the warning 1 working day before it: Tuesday 7/1 10:00 (8/1 is closed)
    expect(taskOf(effects).dueAt).toBe(local('2031-01-09T10:00:00'));
    expect(Object.values(state.waits).find((w) => w.kind === 'timer' && w.elementId === 'warn')).toMatchObject({ dueAt: local('2031-01-07T10:00:00') });
  });

  it('should count no appointment from the start when it is given as null (a dossier not yet accepted), nor bound the tasks by one', () => {
    const { state, effects } = started({ appointmentAt: null });
    expect(state.elements[0].vars!.appointmentAt).toBeNull();
    expect(taskOf(effects).dueAt).toBe(local('2031-01-10T10:00:00'));
  });

  it('should move open tasks’ due dates with the variables they follow, within the new appointment, and their follow-up dates with them', () => {
    // given an instance without appointment yet, its task due Friday 10/1 10:00 with a warning setting of 4 working hours
    const options: StepOptions = { calendars, taskWarning: { amount: 4, unit: 'workingHours' } };
    const { state, effects } = started({ appointmentAt: null }, options);
    const task = taskOf(effects);

    // when, on Thursday 9/1 at 09:00, the appointment becomes Monday 13/1 09:00 and the task is given Tuesday 14/1 10:00
    const moved = send(state, { type: 'rescheduleTasks', variables: { appointmentAt: isoLocal('2031-01-13T09:00:00') }, tasks: [{ taskId: task.id, dueAt: local('2031-01-14T10:00:00') }], actor: 'lan' }, '2031-01-09T09:00:00', options);

    // then the variable is set first, and the task is due at the appointment, warned 4 working hours before (Saturday 11/1 is worked)
    expect(moved.effects.map((e) => e.type)).toEqual(['variablesSet', 'taskUpdated']);
    expect(moved.state.elements[0].vars!.appointmentAt).toBe(isoLocal('2031-01-13T09:00:00'));
    expect(moved.effects[1]).toEqual({ type: 'taskUpdated', taskId: task.id, changes: { dueAt: local('2031-01-13T09:00:00'), followUpAt: local('2031-01-11T14:00:00') } });
  });

  it('should refuse a task that is not open, or a due date that is not a time, and apply nothing', () => {
    const { state, effects } = started({});
    const task = taskOf(effects);
    expect(() => send(state, { type: 'rescheduleTasks', variables: { appointmentAt: null }, tasks: [{ taskId: task.id, dueAt: local('2031-01-09T10:00:00') }, { taskId: 'nope', dueAt: 0 }] }, '2031-01-08T09:00:00')).toThrow(NotFoundError);
    expect(() => send(state, { type: 'rescheduleTasks', tasks: [{ taskId: task.id, dueAt: Number.NaN }] }, '2031-01-08T09:00:00')).toThrow(InvalidInputError);
    expect(state.elements[0].vars!.appointmentAt).toBe(isoLocal('2031-01-11T10:00:00'));
  });

  it('should move due dates of a suspended instance, which stays where it is', () => {
    const { state, effects } = started({});
    const suspended = send(state, { type: 'suspend' }, '2031-01-07T11:00:00').state;
    const moved = send(suspended, { type: 'rescheduleTasks', tasks: [{ taskId: taskOf(effects).id, dueAt: local('2031-01-09T10:00:00') }] }, '2031-01-07T12:00:00');
    expect(ofType(moved.effects, 'taskUpdated')).toHaveLength(1);
    expect(moved.state.suspended).toBeDefined();
    expect(() => send(moved.state, { type: 'completeTask', taskId: taskOf(effects).id }, '2031-01-07T13:00:00')).toThrow(ConflictError);
  });
});
