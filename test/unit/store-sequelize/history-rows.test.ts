/** One history row per command (migration 0006): what it records, and the entries readers get back. */
import { elementOfEvent, historyEntries, historyRecord, PUSH_EVENT_TYPES, type HistoryEvent } from '../../../engine/src/store-sequelize/history-rows';

const completeExamine = [
  { type: 'taskCompleted', taskId: 'i-3', variables: { approved: true } },
  { type: 'elementCompleted', key: 2, elementId: 'examine', elementType: 'userTask' },
  { type: 'flowTaken', flowId: 'f2' },
  { type: 'taskOpened', task: { id: 'i-9', elementId: 'verifyA', candidateGroups: ['police'] } },
] as HistoryEvent[];

describe('history rows', () => {
  it('should name a row by its first event and mark it push when any event is one the inboxes hear of', () => {
    expect(historyRecord(completeExamine)).toEqual({ type: 'taskCompleted', elementId: undefined, push: true, events: completeExamine });
    expect(historyRecord([{ type: 'timerFired', timerId: 't-1', elementId: 'late' }, { type: 'flowTaken', flowId: 'f9' }])).toMatchObject({
      type: 'timerFired',
      elementId: 'late',
      push: false,
    });
    expect(PUSH_EVENT_TYPES.has('incidentRaised')).toBe(true);
  });

  it('should find the element of events that carry it nested', () => {
    expect(elementOfEvent({ type: 'taskOpened', task: { elementId: 'verifyA' } })).toBe('verifyA');
    expect(elementOfEvent({ type: 'timerScheduled', timer: { elementId: 'late' } })).toBe('late');
    expect(elementOfEvent({ type: 'flowTaken', flowId: 'f1' })).toBeUndefined();
  });

  it('should give one entry per event back, in order, with ids <row>.<n>', () => {
    const at = new Date('2026-11-24T03:00:00Z');
    const entries = historyEntries([
      { id: '7', instance_id: 'i', at, actor: 'desk', element_id: null, events: completeExamine },
      { id: '9', instance_id: 'i', at, actor: null, element_id: 'examine', events: JSON.stringify([{ type: 'taskClaimed', taskId: 'i-3', assignee: 'desk' }]) },
    ]);
    expect(entries.map((e) => [e.id, e.type, e.elementId])).toEqual([
      ['7.0', 'taskCompleted', undefined],
      ['7.1', 'elementCompleted', 'examine'],
      ['7.2', 'flowTaken', undefined],
      ['7.3', 'taskOpened', 'verifyA'],
      ['9.0', 'taskClaimed', 'examine'], // the task store names the element in the column only
    ]);
    expect(entries[0]).toEqual({ id: '7.0', instanceId: 'i', at: at.getTime(), actor: 'desk', type: 'taskCompleted', elementId: undefined, data: { taskId: 'i-3', variables: { approved: true } } });
    expect(entries[4].actor).toBeUndefined();
  });

  it('should leave out rows that are not lists of events, and events that are not objects', () => {
    const at = new Date('2026-11-24T03:00:00Z');
    const entries = historyEntries([
      { id: '1', instance_id: 'i', at, actor: null, element_id: null, events: { type: 'taskOpened' } as never },
      { id: '2', instance_id: 'i', at, actor: null, element_id: null, events: '42' },
      { id: '3', instance_id: 'i', at, actor: null, element_id: null, events: [null, 'x', [1], { type: 'flowTaken', flowId: 'f1' }] as never },
    ]);
    expect(entries.map((e) => [e.id, e.type])).toEqual([['3.3', 'flowTaken']]);
  });
});
