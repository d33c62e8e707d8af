/**
 * The task store port: what happens to a user task between the BPMN steps
 * (claim, unclaim, assign, comment) and the officials' inbox queries.
 *
 * Claiming is not a BPMN step: it changes who works on a task, never where
 * the process is, so it does not go through `step()` and does not lock the
 * instance. It is still recorded: every change appends a history row of the
 * task's instance in the same statement as the change itself.
 *
 * ## Contract
 * - `claim`, `unclaim`, `assign` are conditional updates of one open task:
 *   of two concurrent claims exactly one returns the task, the other
 *   `undefined`; a task completed or cancelled meanwhile is never changed.
 * - Each successful change and its history row (`taskClaimed`,
 *   `taskUnclaimed`, `taskAssigned`, `taskCommented`, data with the task id
 *   and who) commit together or not at all.
 * - `inbox` pages with an opaque cursor over (due date, id); an unreadable
 *   cursor throws `InvalidInputError` naming the field `cursor`.
 * - Records are plain objects.
 */
import type { TaskRow, TransactionSql } from './ports';

/** A note on a task. */
export interface TaskComment {
  id: string;
  taskId: string;
  instanceId: string;
  author: string;
  text: string;
  createdAt: number;
}

/** A changed task and who had it before the change. */
export interface TaskChange {
  task: TaskRow;
  previousAssignee?: string;
}

/** Who did it, when. */
export interface TaskChangeContext {
  now: number;
  actor?: string;
  /** The transaction to make the change in (other writes commit with it); absent: its own. */
  sql?: TransactionSql;
}

/**
 * Which tasks a caller may see. Every field given narrows the set:
 * `agency` to one agency's tasks; `user` to tasks assigned to that user or
 * offered to it (one of its candidate groups, its id among the candidate
 * users, or a task offered to nobody in particular).
 */
export interface TaskVisibility {
  agency?: string;
  user?: { id: string; groups: string[] };
}

/** An inbox query: who asks (visibility), what (filters), in which order, which page. */
export interface InboxQuery {
  visibility: TaskVisibility;
  /** `assigned`: assigned to `assignee`; `candidate`: unassigned and offered to the user; `all`: both (default). */
  scope?: 'assigned' | 'candidate' | 'all';
  /** With scope `assigned`: whose tasks (default: the visibility's user). */
  assignee?: string;
  processId?: string;
  instanceId?: string;
  /** Default `open`. */
  state?: TaskRow['state'];
  /** Only tasks due strictly before this time (epoch ms). */
  dueBefore?: number;
  /** Only open tasks already overdue at this time (epoch ms). */
  overdueAt?: number;
  /** By due date (tasks without one last when ascending), then id. Default `asc`. */
  order?: 'asc' | 'desc';
  limit: number;
  cursor?: string;
}

/** One page of results and the cursor of the next one (absent on the last page). */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** The task store (see the module comment for its contract). */
export interface TaskStore {
  task(id: string): Promise<TaskRow | undefined>;
  /** Assigns an open, unassigned task to `assignee`; `undefined` when the condition failed. */
  claim(taskId: string, assignee: string, context: TaskChangeContext): Promise<TaskChange | undefined>;
  /**
   * Removes the assignee of an open, assigned task (only when it is `onlyIf`, if given);
   * `undefined` when the condition failed.
   */
  unclaim(taskId: string, context: TaskChangeContext & { onlyIf?: string }): Promise<TaskChange | undefined>;
  /** Sets the assignee of an open task, whoever had it; `undefined` when the task is not open. */
  assign(taskId: string, assignee: string, context: TaskChangeContext): Promise<TaskChange | undefined>;
  /** Adds a comment; `undefined` when the task does not exist. */
  addComment(comment: Omit<TaskComment, 'instanceId'>): Promise<TaskComment | undefined>;
  comments(taskId: string): Promise<TaskComment[]>;
  inbox(query: InboxQuery): Promise<Page<TaskRow>>;
}
