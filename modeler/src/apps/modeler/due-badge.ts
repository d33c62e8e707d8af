/**
 * A task's due badge: overdue (past its due time), due soon (within a day), on time, or no due
 * date. "Soon" is a day of clock time: the server's follow-up warning (MOTCUA_TASK_WARNING)
 * is what tells an official in working time; this only sorts the eye.
 */
import { h } from '../../shared/dom';
import { t } from '../../shared/i18n';
import { formatVnTime as formatTime } from '../../shared/time';

const SOON_MS = 24 * 3600 * 1000;

export type DueKind = 'none' | 'on-time' | 'soon' | 'overdue';

export function dueKind(task: { dueAt?: string; overdue?: boolean; state?: string }, now = Date.now()): DueKind {
  if (!task.dueAt) return 'none';
  const due = Date.parse(task.dueAt);
  // Overdue is the server's word (its clock); the browser's clock only says "soon".
  if (task.overdue ?? (task.state === 'open' && due < now)) return 'overdue';
  return due - now < SOON_MS ? 'soon' : 'on-time';
}

const LABEL = { none: 'due.none', 'on-time': 'due.onTime', soon: 'due.soon', overdue: 'due.overdue' } as const;

/** The badge, with the due time beside it. */
export function dueBadge(task: { dueAt?: string; overdue?: boolean; state?: string }, now = Date.now()): HTMLElement {
  const kind = dueKind(task, now);
  return h('span', { class: 'due' }, h('span', { class: `badge due-${kind}`, 'data-due': kind }, t(LABEL[kind])), task.dueAt ? h('time', { datetime: task.dueAt }, formatTime(task.dueAt)) : null);
}
