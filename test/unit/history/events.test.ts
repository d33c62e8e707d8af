/** The history vocabulary: its producers and its one parser (engine/src/history/events.ts). */
import {
  extensionEvent,
  historyRecord,
  parseHistoryEvent,
  parseStoredEvents,
  passedDateEvent,
  stepElementsOf,
  stepEvents,
  taskChangeEvent,
  taskCommentEvent,
  type ExtensionEvent,
  type HistoryEvent,
} from '../../../engine/src/history/events';
import type { Effect } from '../../../engine/src/runtime/effects';
import type { InstanceState } from '../../../engine/src/runtime/state';

const task = { id: 't-2', elementId: 'verify', elementInstanceKey: 4, candidateGroups: [], candidateUsers: [] };

describe('history/events', () => {
  describe('stepEvents', () => {
    it('should name the element of id-only effects from the state before the step', () => {
      // given
      const before = stepElementsOf({
        waits: { 't-1': { id: 't-1', kind: 'task', owner: 2, elementId: 'examine' }, 'j-1': { id: 'j-1', kind: 'job', owner: 3, elementId: 'notify', retries: 3, jobType: 'mail' } },
        incidents: { 'x-1': { id: 'x-1', elementInstanceKey: 3, elementId: 'notify', kind: 'job', message: 'down' } },
      } as Pick<InstanceState, 'waits' | 'incidents'>);
      const effects: Effect[] = [
        { type: 'taskCompleted', taskId: 't-1', variables: {} },
        { type: 'incidentResolved', incidentId: 'x-1' },
        { type: 'jobCancelled', jobId: 'j-1' },
        { type: 'flowTaken', flowId: 'f1' },
      ];

      // when
      const events = stepEvents(effects, before);

      // then
      expect(events).toEqual([
        { type: 'taskCompleted', taskId: 't-1', variables: {}, elementId: 'examine' },
        { type: 'incidentResolved', incidentId: 'x-1', elementId: 'notify' },
        { type: 'jobCancelled', jobId: 'j-1', elementId: 'notify' },
        { type: 'flowTaken', flowId: 'f1' },
      ]);
      expect(events[3]).toBe(effects[3]);
    });

    it('should name the element of a wait opened earlier in the same step, and leave an unknown one without', () => {
      // when
      const events = stepEvents([
        { type: 'taskOpened', task },
        { type: 'taskCancelled', taskId: 't-2' },
        { type: 'timerFired', timerId: 'gone' },
      ]);

      // then
      expect(events.map((e) => ('elementId' in e ? e.elementId : undefined))).toEqual([undefined, 'verify', undefined]);
    });

    it('should survive a state stepped in place when the elements were taken as a snapshot', () => {
      // given
      const state = { waits: { 't-1': { id: 't-1', kind: 'task', owner: 2, elementId: 'examine' } }, incidents: {} } as unknown as InstanceState;
      const before = stepElementsOf(state, true);

      // when: the step closes the wait in place
      delete state.waits['t-1'];

      // then
      expect(stepEvents([{ type: 'taskCompleted', taskId: 't-1', variables: {} }], before)).toEqual([{ type: 'taskCompleted', taskId: 't-1', variables: {}, elementId: 'examine' }]);
    });
  });

  describe('producers of task and scan events', () => {
    it('should name the task, its element and only the people there are', () => {
      expect(taskChangeEvent('taskUnclaimed', { taskId: 't-1', elementId: 'examine', assignee: null, previousAssignee: 'desk', by: 'lead' })).toEqual({
        type: 'taskUnclaimed',
        taskId: 't-1',
        elementId: 'examine',
        previousAssignee: 'desk',
        by: 'lead',
      });
      expect(taskCommentEvent({ taskId: 't-1', elementId: 'examine', commentId: 'c-1', by: 'desk' })).toEqual({ type: 'taskCommented', taskId: 't-1', elementId: 'examine', commentId: 'c-1', by: 'desk' });
      expect(passedDateEvent('followUp', { id: 't-1', elementId: 'examine', assignee: null })).toEqual({ type: 'taskFollowUp', taskId: 't-1', elementId: 'examine' });
      expect(historyRecord([passedDateEvent('overdue', { id: 't-1', elementId: 'examine', assignee: 'desk' })])).toEqual({
        type: 'taskOverdue',
        elementId: 'examine',
        push: true,
        events: [{ type: 'taskOverdue', taskId: 't-1', elementId: 'examine', assignee: 'desk' }],
      });
    });

    it("should take a layer's dotted events and refuse one that could pass for the engine's", () => {
      // given: a layer above declares its own events
      type DossierReceived = { type: 'dossier.received'; dossierId: string; elementId?: string };
      const received: DossierReceived = { type: 'dossier.received', dossierId: 'd-1' };

      // then
      const stored: HistoryEvent = extensionEvent(received);
      expect(historyRecord([stored])).toEqual({ type: 'dossier.received', elementId: undefined, push: false, events: [received] });
      expect(() => extensionEvent({ type: 'taskOpened' } as unknown as ExtensionEvent)).toThrow(/'<namespace>\.<name>', not 'taskOpened'/);
    });
  });

  describe('parseHistoryEvent', () => {
    it('should read every event a producer makes', () => {
      for (const event of [
        ...stepEvents([{ type: 'taskOpened', task }, { type: 'taskCompleted', taskId: 't-2', variables: {} }, { type: 'instanceStarted', processId: 'p', definitionId: 'd', variables: {} }]),
        taskChangeEvent('taskClaimed', { taskId: 't-2', elementId: 'verify', assignee: 'desk' }),
        taskCommentEvent({ taskId: 't-2', elementId: 'verify', commentId: 'c', by: 'desk' }),
        passedDateEvent('overdue', { id: 't-2', elementId: 'verify' }),
        extensionEvent({ type: 'dossier.received', dossierId: 'd-1' }),
      ]) {
        expect(parseHistoryEvent(JSON.parse(JSON.stringify(event)))).toEqual({ ok: true, event });
      }
    });

    it('should read events of rows written before elements were named (no elementId)', () => {
      expect(parseHistoryEvent({ type: 'taskOverdue', taskId: 't-1', assignee: 'desk' })).toMatchObject({ ok: true });
      expect(parseHistoryEvent({ type: 'incidentRaised', incident: { id: 'x', elementId: 'e', kind: 'job', message: 'm' } })).toMatchObject({ ok: true });
    });

    it('should say what is wrong with a malformed event, naming its type and field', () => {
      expect(parseHistoryEvent(null)).toEqual({ ok: false, reason: 'the event is not a JSON object' });
      expect(parseHistoryEvent([{ type: 'flowTaken' }])).toEqual({ ok: false, reason: 'the event is not a JSON object' });
      expect(parseHistoryEvent({ taskId: 't' })).toEqual({ ok: false, reason: 'the event has no type' });
      expect(parseHistoryEvent({ type: 'taskCompleted' })).toEqual({ ok: false, reason: "the taskCompleted event's taskId is not a string" });
      expect(parseHistoryEvent({ type: 'taskOpened', task: { name: 'a' } })).toEqual({ ok: false, reason: "the taskOpened event's task has no id" });
      expect(parseHistoryEvent({ type: 'incidentRaised', incident: { id: 'x' } })).toEqual({ ok: false, reason: "the incidentRaised event's incident has no elementId" });
      expect(parseHistoryEvent({ type: 'flowTaken', flowId: 'f', elementId: 7 })).toEqual({ ok: false, reason: "the flowTaken event's elementId is not a string" });
      expect(parseHistoryEvent({ type: 'somethingElse' })).toEqual({ ok: false, reason: "the event type 'somethingElse' is unknown" });
      expect(parseHistoryEvent({ type: 'row' })).toMatchObject({ ok: false });
    });
  });

  describe('parseStoredEvents', () => {
    it('should read a row as JSON text or parsed, each event with its place', () => {
      const text = JSON.stringify([{ type: 'flowTaken', flowId: 'f1' }, 42]);
      for (const stored of [text, JSON.parse(text)]) {
        expect(parseStoredEvents(stored)).toEqual({
          events: [
            { ok: true, event: { type: 'flowTaken', flowId: 'f1' }, seq: 0 },
            { ok: false, reason: 'the event is not a JSON object', seq: 1 },
          ],
        });
      }
    });

    it('should say when a row is not a list of events', () => {
      expect(parseStoredEvents('{"type":"flowTaken"}')).toEqual({ events: undefined, reason: 'the events are not a JSON array' });
      expect(parseStoredEvents('[{')).toEqual({ events: undefined, reason: 'the events are not JSON' });
      expect(parseStoredEvents(42)).toEqual({ events: undefined, reason: 'the events are not a JSON array' });
    });
  });
});
