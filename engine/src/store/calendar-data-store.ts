/**
 * Where the working calendars' data is kept: the years and the agencies' own hours, each
 * change recorded, and the open tasks whose due dates a change moves (port; the sequelize
 * adapter is store-sequelize/calendar-store.ts).
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

/** A task's new due and follow-up dates after a calendar change. */
export interface TaskDueUpdate {
  taskId: string;
  dueAt: number;
  followUpAt?: number;
  /** Keep the task's follow-up date (it comes from the model, not from the due date). */
  keepFollowUp?: boolean;
}

/** An open task whose due date may be recomputed. */
export interface TaskForDueDate {
  id: string;
  definitionId: string;
  elementId: string;
  createdAt: number;
  dueAt?: number;
}

export interface CalendarDataStore {
  /** Every stored row of a kind, by key. */
  data(kind: CalendarDataKind): Promise<Map<string, unknown>>;
  /**
   * Stores `data` under (kind, key), applies the open tasks' new due dates and records the
   * change, in one transaction.
   */
  replace(change: { kind: CalendarDataKind; key: string; data: unknown; before: unknown; actor?: string; at: number }, tasks?: readonly TaskDueUpdate[]): Promise<CalendarChange>;
  /** The latest changes, newest first. */
  changes(limit?: number): Promise<CalendarChange[]>;
  /** The open tasks with a due date that came from the model. */
  openTasksForDueDates(): Promise<TaskForDueDate[]>;
}
