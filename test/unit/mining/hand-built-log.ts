/**
 * A hand-built history of two dossiers of procedure `p` (agency A), on the Vietnamese
 * calendar (07:30–11:30, 13:00–17:00), Monday 2 – Wednesday 4 November 2026, with the
 * waiting and working hours worked out by hand in the comments.
 *
 * C1 (applicant pseudonym `ap-1`): examine (ready Mon 08:00, claimed 10:00 by u1, done
 * 14:00: waits 2 h, worked 2.5 h) → gateway g sends it back → examine again (ready Mon 14:00,
 * claimed Tue 08:30: waits 3 + 1 = 4 h; done 09:30: worked 1 h) → g → sign (ready Tue 09:30,
 * nobody claims it, due Tue 10:30: at Wed 09:30 it has waited 2 + 4 + 2 = 8 h and is 7 h late).
 *
 * C2 (received at the desk by u9): examine (ready Mon 09:00, completed by u2 without a claim
 * at 10:00: waits 1 h, worked 0) → sign (ready 10:00, claimed 10:30 by u2: waits 0.5 h; open,
 * worked 1 + 4 + 8 + 2 = 15 h at Wed 09:30; due Mon 17:00: 10 h late).
 */
import type { MiningSource, MiningSourceEvent } from '../../../onestop/src/mining';
import { at } from '../../support/local-time';

export const AS_OF = at('2026-11-04 09:30');

const ev = (caseId: string, time: string, type: string, data: Record<string, unknown>, actor?: string): MiningSourceEvent => ({ caseId, at: at(time), type, data, ...(actor ? { actor } : {}) });
const enter = (c: string, time: string, elementId: string, elementType: string, key: number) => ev(c, time, 'elementActivated', { elementId, elementType, key });
const leave = (c: string, time: string, elementId: string, elementType: string, key: number) => ev(c, time, 'elementCompleted', { elementId, elementType, key });
const open = (c: string, time: string, id: string, elementId: string, key: number, dueAt?: string) =>
  ev(c, time, 'taskOpened', { task: { id, elementId, elementInstanceKey: key, name: elementId === 'examine' ? 'Examine the dossier' : 'Sign the result', candidateGroups: [], candidateUsers: [], ...(dueAt ? { dueAt: at(dueAt) } : {}) } });

export const SOURCE: MiningSource = {
  cases: [
    { id: 'C1', processId: 'p', processVersion: 1, definitionId: 'p:1', procedureName: 'Procedure P', agency: 'A', applicant: 'ap-1', status: 'active', startedAt: at('2026-11-02 08:00') },
    { id: 'C2', processId: 'p', processVersion: 1, definitionId: 'p:1', procedureName: 'Procedure P', agency: 'A', receivedBy: 'u9', status: 'active', startedAt: at('2026-11-02 09:00') },
  ],
  events: [
    enter('C1', '2026-11-02 08:00', 'start', 'startEvent', 1),
    leave('C1', '2026-11-02 08:00', 'start', 'startEvent', 1),
    enter('C1', '2026-11-02 08:00', 'examine', 'userTask', 2),
    open('C1', '2026-11-02 08:00', 't1', 'examine', 2),
    ev('C1', '2026-11-02 10:00', 'taskClaimed', { taskId: 't1', assignee: 'u1' }, 'u1'),
    ev('C1', '2026-11-02 14:00', 'taskCompleted', { taskId: 't1' }, 'u1'),
    leave('C1', '2026-11-02 14:00', 'examine', 'userTask', 2),
    enter('C1', '2026-11-02 14:00', 'g', 'exclusiveGateway', 3),
    leave('C1', '2026-11-02 14:00', 'g', 'exclusiveGateway', 3),
    enter('C1', '2026-11-02 14:00', 'examine', 'userTask', 4),
    open('C1', '2026-11-02 14:00', 't2', 'examine', 4),
    ev('C1', '2026-11-03 08:30', 'taskClaimed', { taskId: 't2', assignee: 'u1' }, 'u1'),
    ev('C1', '2026-11-03 09:30', 'taskCompleted', { taskId: 't2' }, 'u1'),
    leave('C1', '2026-11-03 09:30', 'examine', 'userTask', 4),
    enter('C1', '2026-11-03 09:30', 'g', 'exclusiveGateway', 5),
    leave('C1', '2026-11-03 09:30', 'g', 'exclusiveGateway', 5),
    enter('C1', '2026-11-03 09:30', 'sign', 'userTask', 6),
    open('C1', '2026-11-03 09:30', 't3', 'sign', 6, '2026-11-03 10:30'),

    enter('C2', '2026-11-02 09:00', 'start', 'startEvent', 1),
    leave('C2', '2026-11-02 09:00', 'start', 'startEvent', 1),
    enter('C2', '2026-11-02 09:00', 'examine', 'userTask', 2),
    open('C2', '2026-11-02 09:00', 't4', 'examine', 2),
    ev('C2', '2026-11-02 10:00', 'taskCompleted', { taskId: 't4' }, 'u2'),
    leave('C2', '2026-11-02 10:00', 'examine', 'userTask', 2),
    enter('C2', '2026-11-02 10:00', 'sign', 'userTask', 3),
    open('C2', '2026-11-02 10:00', 't5', 'sign', 3, '2026-11-02 17:00'),
    ev('C2', '2026-11-02 10:30', 'taskClaimed', { taskId: 't5', assignee: 'u2' }, 'u2'),
  ],
  tasks: [
    { id: 't1', caseId: 'C1', elementId: 'examine', elementInstanceKey: 2, agency: 'A', state: 'completed', completedBy: 'u1' },
    { id: 't2', caseId: 'C1', elementId: 'examine', elementInstanceKey: 4, agency: 'A', state: 'completed', completedBy: 'u1' },
    { id: 't3', caseId: 'C1', elementId: 'sign', elementInstanceKey: 6, agency: 'A', state: 'open', dueAt: at('2026-11-03 10:30') },
    { id: 't4', caseId: 'C2', elementId: 'examine', elementInstanceKey: 2, agency: 'A', state: 'completed', completedBy: 'u2' },
    { id: 't5', caseId: 'C2', elementId: 'sign', elementInstanceKey: 3, agency: 'A', state: 'open', assignee: 'u2', dueAt: at('2026-11-02 17:00') },
  ],
};
