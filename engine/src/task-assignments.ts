/**
 * Who works on a user task: claim, unclaim, assign (delegate), comment.
 *
 * These are not BPMN steps: they change neither the process state nor where
 * the instance is, so they bypass `step()` and the instance lock, and run as
 * conditional updates of the task row (see `store/task-store.ts`). They are
 * still facts: each one is recorded in the instance's history in the same
 * transaction, and published after commit on the engine's event emitter as
 * `'task-event'` (a {@link TaskEvent}, shaped like the engine's
 * `CommittedEvent`), so the push gateway can tell the inboxes. Code of the layers above that
 * must commit with the change (the dossier layer's audit chain) registers a
 * {@link TaskChangeListener}; the change then runs in one transaction with what it writes.
 *
 * Authorization is the caller's business (the API's policy); this class only
 * keeps the task consistent.
 *
 * @example
 *   const assignments = new TaskAssignments({ store: createSequelizeTaskStore(db), events: engine.events });
 *   await assignments.claim(taskId, { assignee: 'desk-1', actor: 'desk-1' });
 */
import { randomUUID } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { ConflictError, InvalidInputError, NotFoundError } from './errors';
import { assertStorableText } from './runtime/storable-text';
import type { StoreTransaction, TaskRow, TransactionSql } from './store/ports';
import type { TaskChange, TaskComment, TaskStore } from './store/task-store';

/** What happened to a task outside the BPMN steps; past-tense facts like the runtime's effects. */
export type TaskEffect =
  | { type: 'taskClaimed'; taskId: string; assignee: string }
  | { type: 'taskUnclaimed'; taskId: string; previousAssignee?: string }
  | { type: 'taskAssigned'; taskId: string; assignee: string; previousAssignee?: string }
  | { type: 'taskCommented'; taskId: string; commentId: string; author: string };

/**
 * Published on `engine.events` as `'task-event'` after a change committed: the same
 * envelope as the engine's `CommittedEvent`, plus the task as it now is (its agency and
 * candidate groups tell the push gateway which rooms to tell).
 */
export interface TaskEvent {
  instanceId: string;
  processId: string;
  definitionId: string;
  effects: TaskEffect[];
  actor?: string;
  at: number;
  task: TaskRow;
}

/** The event name on `engine.events`. */
export const TASK_EVENT = 'task-event';

/**
 * Code that must commit with a claim, unclaim or assign (the dossier layer's audit chain and
 * dossier history): called inside the change's transaction, after the task row changed and
 * before the commit, with the event that is published after it. A throw rolls the change back
 * and the caller gets the error.
 */
export interface TaskChangeListener {
  readonly name: string;
  onTaskChange(tx: TransactionSql, event: TaskEvent): Promise<void>;
}

/** Longest comment accepted, in characters. */
export const MAX_COMMENT_LENGTH = 4000;

/**
 * Assignments of tasks whose user task has assigning listeners (Camunda 8.8 task listeners):
 * they go through the engine, which runs the listeners' jobs first (`engine.assigningListeners`).
 */
export interface AssigningListeners {
  has(task: TaskRow): Promise<boolean>;
  /** The same, from what the engine remembers of the task's instance (no read); undefined when it must be read. */
  hasRemembered?(taskId: string): Promise<boolean | undefined>;
  assign(taskId: string, options: { action: 'claim' | 'assign' | 'unassign'; assignee?: string; actor?: string; onlyIf?: string }): Promise<TaskRow>;
}

/** What {@link TaskAssignments} works with. */
export interface TaskAssignmentsOptions {
  store: TaskStore;
  /** Where tasks with assigning listeners are assigned (without it, listeners are not run). */
  assigningListeners?: AssigningListeners;
  /** Where {@link TaskEvent}s go: the engine's `events`. */
  events: EventEmitter;
  now?: () => number;
  newId?: () => string;
  /**
   * Runs work in one transaction (the engine store's `transaction`): needed for listeners
   * ({@link TaskAssignments.addListener}); without it, or without listeners, a change is its
   * own one-statement transaction.
   */
  transaction?: <T>(work: (tx: StoreTransaction) => Promise<T>) => Promise<T>;
}

/** Claim, unclaim, assign and comment user tasks, with history and events. */
export class TaskAssignments {
  private readonly store: TaskStore;
  private readonly events: EventEmitter;
  private readonly now: () => number;
  private readonly newId: () => string;
  private readonly transaction: TaskAssignmentsOptions['transaction'];
  private readonly listeners: TaskChangeListener[] = [];
  private readonly assigningListeners?: AssigningListeners;

  constructor(options: TaskAssignmentsOptions) {
    this.store = options.store;
    this.transaction = options.transaction;
    this.assigningListeners = options.assigningListeners;
    this.events = options.events;
    this.now = options.now ?? Date.now;
    this.newId = options.newId ?? randomUUID;
  }

  /**
   * Registers code that commits with every claim, unclaim and assign (needs the `transaction`
   * option); returns how to remove it.
   */
  addListener(listener: TaskChangeListener): () => void {
    if (!this.transaction) throw new Error(`task change listener '${listener.name}' needs TaskAssignments' transaction option`);
    this.listeners.push(listener);
    return () => {
      const at = this.listeners.indexOf(listener);
      if (at >= 0) this.listeners.splice(at, 1);
    };
  }

  /** Makes a change; with listeners, in one transaction with what they write. */
  private async change(make: (sql?: TransactionSql) => Promise<TaskChange | undefined>, effectOf: (change: TaskChange) => TaskEffect, actor: string | undefined, at: number): Promise<TaskChange | undefined> {
    if (this.listeners.length === 0 || !this.transaction) return make();
    const listeners = [...this.listeners];
    return this.transaction(async (tx) => {
      const changed = await make(tx.sql);
      if (!changed) return undefined;
      const event = this.eventOf(changed, effectOf(changed), actor, at);
      for (const listener of listeners) await listener.onTaskChange(tx.sql, event);
      return changed;
    });
  }

  /**
   * Takes an open, unassigned task for `assignee`. Claiming a task one already has
   * answers it unchanged; a task someone else has, or that is closed, is a ConflictError.
   */
  async claim(taskId: string, options: { assignee: string; actor?: string }): Promise<TaskRow> {
    requireUser(options.assignee, 'assignee');
    if (await this.listened(taskId)) return this.assigningListeners!.assign(taskId, { action: 'claim', assignee: options.assignee, actor: options.actor ?? options.assignee });
    const now = this.now();
    const actor = options.actor ?? options.assignee;
    const effectOf = (): TaskEffect => ({ type: 'taskClaimed', taskId, assignee: options.assignee });
    const changed = await this.change((sql) => this.store.claim(taskId, options.assignee, { now, actor, ...(sql ? { sql } : {}) }), effectOf, actor, now);
    if (!changed) {
      const task = await this.explainFailure(taskId);
      if (task.assignee === options.assignee) return task;
      throw new ConflictError(`task '${taskId}' is already claimed`, { taskId, assignee: task.assignee });
    }
    this.publish(changed, effectOf(), actor, now);
    return changed.task;
  }

  /**
   * Gives an assigned task back to its candidates. With `onlyIf`, only when that user has
   * it (an official returning its own task); otherwise whoever has it (an agency admin).
   */
  async unclaim(taskId: string, options: { actor?: string; onlyIf?: string } = {}): Promise<TaskRow> {
    if (await this.listened(taskId)) return this.assigningListeners!.assign(taskId, { action: 'unassign', actor: options.actor, onlyIf: options.onlyIf });
    const now = this.now();
    const effectOf = (c: TaskChange): TaskEffect => ({ type: 'taskUnclaimed', taskId, previousAssignee: c.previousAssignee });
    const changed = await this.change((sql) => this.store.unclaim(taskId, { now, actor: options.actor, onlyIf: options.onlyIf, ...(sql ? { sql } : {}) }), effectOf, options.actor, now);
    if (!changed) {
      const task = await this.explainFailure(taskId);
      if (!task.assignee) throw new ConflictError(`task '${taskId}' is not claimed`, { taskId });
      throw new ConflictError(`task '${taskId}' is claimed by someone else`, { taskId, assignee: task.assignee });
    }
    this.publish(changed, effectOf(changed), options.actor, now);
    return changed.task;
  }

  /** Assigns (delegates) an open task to `assignee`, whoever had it. */
  async assign(taskId: string, options: { assignee: string; actor?: string }): Promise<TaskRow> {
    requireUser(options.assignee, 'assignee');
    if (await this.listened(taskId)) return this.assigningListeners!.assign(taskId, { action: 'assign', assignee: options.assignee, actor: options.actor });
    const now = this.now();
    const effectOf = (c: TaskChange): TaskEffect => ({ type: 'taskAssigned', taskId, assignee: options.assignee, previousAssignee: c.previousAssignee });
    const changed = await this.change((sql) => this.store.assign(taskId, options.assignee, { now, actor: options.actor, ...(sql ? { sql } : {}) }), effectOf, options.actor, now);
    if (!changed) throw new ConflictError(`task '${taskId}' is ${(await this.explainFailure(taskId)).state}`, { taskId });
    this.publish(changed, effectOf(changed), options.actor, now);
    return changed.task;
  }

  /**
   * Whether the task's assignment must run its assigning listeners: only when listeners are
   * wired; from the instance the engine remembers, else one read of the task.
   */
  private async listened(taskId: string): Promise<boolean> {
    if (!this.assigningListeners) return false;
    const remembered = await this.assigningListeners.hasRemembered?.(taskId);
    if (remembered !== undefined) return remembered;
    const task = await this.store.task(taskId);
    return task !== undefined && task.state === 'open' && (await this.assigningListeners.has(task));
  }

  /** Adds a comment to a task (open or closed: the record stays readable). */
  async comment(taskId: string, options: { text: string; author: string }): Promise<TaskComment> {
    requireUser(options.author, 'author');
    if (typeof options.text !== 'string' || options.text.trim() === '' || options.text.length > MAX_COMMENT_LENGTH) {
      throw new InvalidInputError(`text must be 1 to ${MAX_COMMENT_LENGTH} characters`, { field: 'text' });
    }
    assertStorableText(options.text, 'text');
    const now = this.now();
    const comment = await this.store.addComment({ id: this.newId(), taskId, author: options.author, text: options.text, createdAt: now });
    if (!comment) throw new NotFoundError(`task '${taskId}' does not exist`, { taskId });
    const task = await this.store.task(taskId);
    if (task) this.publish({ task }, { type: 'taskCommented', taskId, commentId: comment.id, author: options.author }, options.author, now);
    return comment;
  }

  /** The comments of a task, oldest first. */
  async comments(taskId: string): Promise<TaskComment[]> {
    return this.store.comments(taskId);
  }

  /** A conditional update changed nothing: the task is unknown (NotFound), closed (Conflict), or returned for the caller to judge. */
  private async explainFailure(taskId: string): Promise<TaskRow> {
    const task = await this.store.task(taskId);
    if (!task) throw new NotFoundError(`task '${taskId}' does not exist`, { taskId });
    if (task.state !== 'open') throw new ConflictError(`task '${taskId}' is already ${task.state}`, { taskId, state: task.state });
    return task;
  }

  private eventOf(change: TaskChange, effect: TaskEffect, actor: string | undefined, at: number): TaskEvent {
    const { task } = change;
    return { instanceId: task.instanceId, processId: task.processId, definitionId: task.definitionId, effects: [effect], actor, at, task };
  }

  private publish(change: TaskChange, effect: TaskEffect, actor: string | undefined, at: number): void {
    this.events.emit(TASK_EVENT, this.eventOf(change, effect, actor, at));
  }
}

function requireUser(value: unknown, field: string): void {
  if (typeof value !== 'string' || value === '' || value.length > 200) throw new InvalidInputError(`${field} must be a user id`, { field });
  assertStorableText(value, field);
}
