/**
 * Where the working calendars' data is kept: the years and the agencies' own hours, each
 * change recorded with how many open tasks' due dates it moved, and the instances whose open
 * tasks a change may move (port; the sequelize adapter is store-sequelize/calendar-store.ts).
 * The due dates themselves move as steps of their instances (`engine.rescheduleTasks`).
 */

/** The kinds of calendar data. */
export type CalendarDataKind = 'year' | 'agency';

/** One recorded change. */
export interface CalendarChange {
  id: number;
  at: number;
  actor?: string;
  kind: CalendarDataKind;
  key: string;
  before: unknown;
  after: unknown;
  recomputedTasks: number;
}

export interface CalendarDataStore {
  /** Every stored row of a kind, by key. */
  data(kind: CalendarDataKind): Promise<Map<string, unknown>>;
  /** Stores `data` under (kind, key) and records the change (no task moved yet), in one transaction. */
  replace(change: { kind: CalendarDataKind; key: string; data: unknown; before: unknown; actor?: string; at: number }): Promise<CalendarChange>;
  /** Records on a change how many open tasks' due dates it moved (they move after it, instance by instance). */
  recordRecomputed(changeId: number, tasks: number): Promise<void>;
  /** The latest changes, newest first. */
  changes(limit?: number): Promise<CalendarChange[]>;
  /** The instances with an open task that has a due date, in id order. */
  instancesWithOpenDueDates(): Promise<string[]>;
}
