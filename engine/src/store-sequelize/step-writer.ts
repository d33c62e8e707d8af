/**
 * Turns one step (the instance row and its effects) into as few SQL
 * statements as possible: usually one, a chain of data-modifying CTEs
 * (`WITH a AS (INSERT …), b AS (UPDATE …) SELECT 1`), because round trips,
 * not PostgreSQL, bound the command rate.
 *
 * All parts of one statement see the same snapshot, so a row must not be
 * written twice in it: effects are first netted per id (a task opened and
 * cancelled in the same step is inserted once, already cancelled; a timer
 * scheduled and cancelled is not written at all).
 */
import type { Effect, TaskChanges } from '../runtime/effects';
import type { EffectContext, InstanceRecord, JobRow } from '../store/ports';
import { historyRecord, stepElementsOf, stepEvents } from '../history/events';
import { storableJson } from './storable-json';

export interface Statement {
  text: string;
  values: unknown[];
}

/** Largest number of bind parameters put into one statement (PostgreSQL's limit is 65,535). */
const MAX_BINDS = 20_000;

/**
 * `id = ?` for one id, `id = ANY(?)` for several. The one-id form matters: these
 * statements are prepared once per connection and PostgreSQL keeps a generic
 * plan made while the tables were still small. For `= ANY` of an array of
 * unknown length that plan is a sequential scan, which then outlives the small
 * table (measured: 17.6 million task rows read in a 10,000-command bench); for
 * `= ?` on the primary key it is always the index.
 */
const byId = (ids: string[]): [string, unknown] => (ids.length === 1 ? ['id = ?', ids[0]] : ['id = ANY(?)', ids]);

const date = (value: number | undefined): Date | null => (value === undefined ? null : new Date(value));

interface TaskInsert {
  values: unknown[];
  state: 'open' | 'completed' | 'cancelled';
  completedAt: Date | null;
  completedBy: string | null;
}

/**
 * Part texts with their `?` numbered from an offset, by template and offset. A
 * command's statement has few shapes, and numbering them again for every command
 * was a tenth of a command's CPU in Node. Bounded: cleared when it grows large
 * (many distinct row counts, e.g. multi-instance activities of every size).
 */
const NUMBERED = new Map<string, Map<number, string>>();
const MAX_NUMBERED = 2_000;

/**
 * A number per numbered part text, and statement texts by the numbers of their parts.
 * Numbers are never reused, also across a clear: a statement being built when the maps
 * are cleared holds numbers that no later text can get, so its key matches nothing else.
 */
const PART_IDS = new Map<string, number>();
const STATEMENTS = new Map<string, string>();
let nextPartId = 0;

function partId(text: string): number {
  let id = PART_IDS.get(text);
  if (id === undefined) {
    if (PART_IDS.size >= MAX_NUMBERED) {
      PART_IDS.clear();
      STATEMENTS.clear();
    }
    id = nextPartId++;
    PART_IDS.set(text, id);
  }
  return id;
}

function numbered(sql: string, offset: number): string {
  let byOffset = NUMBERED.get(sql);
  if (!byOffset) {
    if (NUMBERED.size >= MAX_NUMBERED) NUMBERED.clear();
    byOffset = new Map();
    NUMBERED.set(sql, byOffset);
  }
  let text = byOffset.get(offset);
  if (text === undefined) {
    let i = offset;
    text = sql.replace(/\?/g, () => `$${++i}`);
    byOffset.set(offset, text);
  }
  return text;
}

/** INSERT templates by column list (identity) and then by guard and row count. */
const INSERTS = new WeakMap<object, Map<string, string>>();

function insertTemplate(table: string, columns: ReadonlyArray<readonly [string, string]>, rows: number, guarded: boolean): string {
  let byShape = INSERTS.get(columns);
  if (!byShape) INSERTS.set(columns, (byShape = new Map()));
  const key = `${table}|${guarded ? 'g' : ''}${rows}`;
  let sql = byShape.get(key);
  if (sql === undefined) {
    const row = `(${columns.map(([, type]) => `?::${type}`).join(', ')})`;
    const list = Array.from({ length: rows }, () => row).join(', ');
    const names = columns.map(([name]) => name).join(', ');
    const body = guarded ? `SELECT * FROM (VALUES ${list}) v WHERE EXISTS (SELECT 1 FROM u)` : `VALUES ${list}`;
    sql = `INSERT INTO ${table} (${names}) ${body}`;
    if (byShape.size < MAX_NUMBERED) byShape.set(key, sql);
  }
  return sql;
}

/**
 * Accumulates CTE parts and their values; starts a new statement when one gets
 * too big. Guarded: the first part is the instance update (`u`), every other
 * part applies only when it did, and the statement answers `applied`.
 */
class Builder {
  readonly statements: Statement[] = [];
  private parts: string[] = [];
  private partIds: number[] = [];
  private values: unknown[] = [];
  /** Set when a guarded step did not fit in one statement. */
  overflow = false;

  constructor(readonly guarded: boolean) {}

  /** Adds one part; `sql` uses `?` where each value goes, in order. */
  add(sql: string, values: unknown[]): void {
    if (this.values.length + values.length > MAX_BINDS && this.parts.length > 0) {
      if (this.guarded) this.overflow = true;
      this.flush();
    }
    const text = numbered(sql, this.values.length);
    for (const value of values) this.values.push(value);
    this.parts.push(text);
    this.partIds.push(partId(text));
  }

  /** The condition that guarded parts carry. */
  get guard(): string {
    return this.guarded ? ' AND EXISTS (SELECT 1 FROM u)' : '';
  }

  /**
   * Adds an INSERT of typed rows (guarded: only when the instance update applied),
   * as several parts when the rows would take more than MAX_BINDS values (PostgreSQL
   * refuses a statement with more than 65,535).
   */
  insert(table: string, columns: ReadonlyArray<readonly [string, string]>, rowValues: unknown[][]): void {
    const perPart = Math.max(1, Math.floor(MAX_BINDS / columns.length));
    for (let from = 0; from < rowValues.length; from += perPart) {
      const rows = from === 0 && rowValues.length <= perPart ? rowValues : rowValues.slice(from, from + perPart);
      const values: unknown[] = [];
      for (const row of rows) for (const value of row) values.push(value); // (Array#flat is several times slower)
      this.add(insertTemplate(table, columns, rows.length, this.guarded), values);
    }
  }

  flush(): void {
    if (this.parts.length === 0) return;
    // The same parts make the same statement: reuse its text (the same string, so the
    // prepared-statement look-up by text does not hash a new copy for every command).
    const key = `${this.guarded && this.statements.length === 0 ? 'g' : ''}${this.partIds.join('.')}`;
    let text = STATEMENTS.get(key);
    if (text === undefined) {
      text = this.join();
      if (STATEMENTS.size < MAX_NUMBERED) STATEMENTS.set(key, text);
    }
    this.statements.push({ text, values: this.values });
    this.parts = [];
    this.partIds = [];
    this.values = [];
  }

  private join(): string {
    let text: string;
    if (this.guarded && this.statements.length === 0) {
      const [first, ...rest] = this.parts;
      const ctes = [`u AS (${first} RETURNING 1)`, ...rest.map((p, i) => `w${i} AS (${p})`)];
      text = `WITH ${ctes.join(', ')} SELECT count(*)::int AS applied FROM u`;
    } else {
      text = this.parts.length === 1 ? this.parts[0] : `WITH ${this.parts.slice(0, -1).map((p, i) => `w${i} AS (${p})`).join(', ')} ${this.parts.at(-1)}`;
    }
    return text;
  }
}

const TASK_COLUMNS = [
  ['id', 'text'], ['instance_id', 'text'], ['definition_id', 'text'], ['process_id', 'text'], ['element_id', 'text'],
  ['element_instance_key', 'int'], ['name', 'text'], ['assignee', 'text'], ['candidate_groups', 'text[]'], ['candidate_users', 'text[]'],
  ['agency', 'text'], ['due_at', 'timestamptz'], ['follow_up_at', 'timestamptz'], ['form_key', 'text'], ['facts', 'jsonb'],
  ['created_at', 'timestamptz'], ['state', 'text'], ['completed_at', 'timestamptz'], ['completed_by', 'text'],
] as const;
const JOB_COLUMNS = [
  ['id', 'text'], ['instance_id', 'text'], ['definition_id', 'text'], ['element_id', 'text'], ['kind', 'text'], ['job_type', 'text'],
  ['retries', 'int'], ['due_at', 'timestamptz'], ['error_message', 'text'], ['headers', 'jsonb'], ['variables', 'jsonb'],
  ['payload', 'jsonb'], ['created_at', 'timestamptz'],
] as const;
const MESSAGE_SUBSCRIPTION_COLUMNS = [
  ['id', 'text'], ['instance_id', 'text'], ['definition_id', 'text'], ['element_id', 'text'], ['message_name', 'text'],
  ['correlation_key', 'text'], ['created_at', 'timestamptz'],
] as const;
const SIGNAL_SUBSCRIPTION_COLUMNS = [
  ['id', 'text'], ['instance_id', 'text'], ['definition_id', 'text'], ['element_id', 'text'], ['signal_name', 'text'], ['created_at', 'timestamptz'],
] as const;
const INCIDENT_COLUMNS = [
  ['id', 'text'], ['instance_id', 'text'], ['element_id', 'text'], ['element_instance_key', 'int'], ['kind', 'text'], ['cause', 'text'], ['message', 'text'],
  ['job_id', 'text'], ['state', 'text'], ['created_at', 'timestamptz'], ['resolved_at', 'timestamptz'],
] as const;
const HISTORY_COLUMNS = [
  ['instance_id', 'text'], ['at', 'timestamptz'], ['actor', 'text'], ['type', 'text'], ['element_id', 'text'], ['events', 'json'], ['push', 'boolean'],
] as const;

/** The values of one `jobs` row, in JOB_COLUMNS order. */
function jobValues(j: JobRow, createdAt: Date): unknown[] {
  return [
    j.id,
    j.instanceId ?? null,
    j.definitionId ?? null,
    j.elementId,
    j.kind,
    j.jobType,
    j.retries,
    date(j.dueAt),
    j.errorMessage ?? null,
    JSON.stringify(j.headers),
    JSON.stringify(j.variables),
    j.payload ? JSON.stringify(j.payload) : null,
    createdAt,
  ];
}

/** The statement that inserts jobs outside a step (start timers of a deploy, the next timer of a cycle). */
export function buildJobInsert(jobs: JobRow[], now: number): Statement {
  const builder = new Builder(false);
  builder.insert('jobs', JOB_COLUMNS, jobs.map((j) => jobValues(j, new Date(now))));
  builder.flush();
  return builder.statements[0];
}

/**
 * How a step is written: `insert` (a new instance), `update` (the row is
 * locked by this transaction), or guarded: one statement that applies only if
 * the row still has `expectedRevision` (an update), or only if the instance's
 * process has no version newer than `latestVersion` (an insert), and answers
 * `applied` (0 or 1).
 */
export type StepWriteMode = 'insert' | 'update' | { guarded: true; expectedRevision: number } | { guarded: true; latestVersion: number };

/**
 * Builds the statements that write one step. For a guarded write, returns
 * undefined when the step is too large for one statement (write it under a lock).
 */
export function buildStepStatements(instance: InstanceRecord, effects: Effect[], context: EffectContext, mode: StepWriteMode): Statement[] | undefined {
  const at = date(context.now)!;
  const actor = context.actor ?? null;
  const guarded = typeof mode === 'object';
  const latest = typeof mode === 'object' && 'latestVersion' in mode ? mode.latestVersion : undefined;
  const expectedRevision = typeof mode === 'object' && 'expectedRevision' in mode ? mode.expectedRevision : undefined;
  const builder = new Builder(guarded);

  if (mode === 'insert' || latest !== undefined) {
    builder.add(
      `INSERT INTO instances (id, definition_id, process_id, business_key, status, state, parent_instance_id, parent_wait_id, revision, started_at, ended_at, updated_at)
       ${
         latest === undefined
           ? 'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'
           : `SELECT ?::text, ?::text, ?::text, ?::text, ?::text, ?::json, ?::text, ?::text, ?::int, ?::timestamptz, ?::timestamptz, ?::timestamptz
              WHERE NOT EXISTS (SELECT 1 FROM definitions WHERE process_id = ? AND version > ?)`
       }`,
      [
        instance.id,
        instance.definitionId,
        instance.processId,
        instance.businessKey ?? null,
        instance.status,
        storableJson(instance.state, 'state'),
        instance.parentInstanceId ?? null,
        instance.parentWaitId ?? null,
        instance.revision,
        date(instance.startedAt),
        date(instance.endedAt),
        at,
        ...(latest === undefined ? [] : [instance.processId, latest]),
      ],
    );
  } else {
    builder.add(`UPDATE instances SET status = ?, state = ?, revision = ?, ended_at = ?, updated_at = ? WHERE id = ?${guarded ? ' AND revision = ?' : ''}`, [
      instance.status,
      storableJson(instance.state, 'state'),
      instance.revision,
      date(instance.endedAt),
      at,
      instance.id,
      ...(guarded ? [expectedRevision] : []),
    ]);
  }

  // Net the effects per row.
  const newTasks = new Map<string, TaskInsert>();
  const completedTasks: string[] = [];
  const cancelledTasks: string[] = [];
  const taskChanges: Array<{ id: string; changes: TaskChanges }> = [];
  const newJobs = new Map<string, JobRow>();
  const deletedJobs: string[] = [];
  const jobUpdates: Array<{ id: string; retries: number; errorMessage?: string; dueAt: number }> = [];
  const newMessageSubs = new Map<string, unknown[]>();
  const deletedMessageSubs: string[] = [];
  const newSignalSubs = new Map<string, unknown[]>();
  const deletedSignalSubs: string[] = [];
  const newIncidents = new Map<string, unknown[]>();
  const resolvedIncidents: string[] = [];

  const job = (row: Omit<JobRow, 'instanceId' | 'definitionId'> & { instanceId?: string }): JobRow => ({
    definitionId: instance.definitionId,
    instanceId: instance.id,
    ...row,
  });

  effects.forEach((effect, index) => {
    switch (effect.type) {
      case 'taskOpened': {
        const t = effect.task;
        newTasks.set(t.id, {
          state: 'open',
          completedAt: null,
          completedBy: null,
          values: [
            t.id,
            instance.id,
            instance.definitionId,
            instance.processId,
            t.elementId,
            t.elementInstanceKey,
            t.name ?? null,
            t.assignee ?? null,
            t.candidateGroups,
            t.candidateUsers,
            t.facts?.agency ?? null,
            date(t.dueAt),
            date(t.followUpAt),
            t.formKey ?? null,
            t.facts ? JSON.stringify(t.facts) : null,
            at,
          ],
        });
        break;
      }
      case 'taskCompleted':
      case 'taskCancelled': {
        const state = effect.type === 'taskCompleted' ? 'completed' : 'cancelled';
        const fresh = newTasks.get(effect.taskId);
        if (fresh) Object.assign(fresh, { state, completedAt: at, completedBy: state === 'completed' ? actor : null });
        else (state === 'completed' ? completedTasks : cancelledTasks).push(effect.taskId);
        break;
      }
      case 'jobCreated':
        newJobs.set(
          effect.job.id,
          job({
            id: effect.job.id,
            elementId: effect.job.elementId,
            kind: 'task',
            jobType: effect.job.jobType,
            retries: effect.job.retries,
            dueAt: context.now,
            headers: effect.job.headers,
            variables: effect.job.variables,
            // A canceling task listener's job: no element waits for it (engine/src/runtime/behaviors/task-listeners.ts).
            ...(effect.job.detached ? { payload: { detached: true } } : {}),
          }),
        );
        break;
      case 'taskClaimed':
      case 'taskAssigned':
      case 'taskUnclaimed':
      case 'taskUpdated': {
        // Task listeners' outcomes (assigning, corrections); tasks without listeners change outside the steps.
        const changes: TaskChanges = effect.type === 'taskUpdated' ? effect.changes : { assignee: effect.type === 'taskUnclaimed' ? null : effect.assignee };
        taskChanges.push({ id: effect.taskId, changes });
        break;
      }
      case 'timerScheduled':
        newJobs.set(
          effect.timer.id,
          job({ id: effect.timer.id, elementId: effect.timer.elementId, kind: 'timer', jobType: 'timer', retries: 3, dueAt: effect.timer.dueAt, headers: {}, variables: {} }),
        );
        break;
      case 'continuationScheduled':
        newJobs.set(
          effect.continuation.id,
          job({ id: effect.continuation.id, elementId: effect.continuation.elementId, kind: 'continuation', jobType: 'continuation', retries: 3, dueAt: context.now, headers: {}, variables: {} }),
        );
        break;
      case 'signalThrown': {
        const id = `${instance.id}-signal-${instance.revision}-${index}`;
        newJobs.set(
          id,
          job({ id, instanceId: undefined, elementId: '', kind: 'signal', jobType: 'signal', retries: 3, dueAt: context.now, headers: {}, variables: effect.variables, payload: { signalName: effect.signalName, from: instance.id } }),
        );
        break;
      }
      case 'jobCompleted':
      case 'jobErrorThrown':
      case 'jobCancelled':
      case 'timerFired':
      case 'timerCancelled':
      case 'continuationFired':
      case 'continuationCancelled': {
        const id = 'jobId' in effect ? effect.jobId : 'timerId' in effect ? effect.timerId : effect.continuationId;
        if (newJobs.has(id)) newJobs.delete(id);
        else deletedJobs.push(id);
        break;
      }
      case 'jobFailed':
      case 'jobRetried': {
        const dueAt = effect.type === 'jobFailed' ? context.retryAt ?? context.now : context.now;
        const errorMessage = effect.type === 'jobFailed' ? effect.errorMessage : undefined;
        const fresh = newJobs.get(effect.jobId);
        if (fresh) Object.assign(fresh, { retries: effect.retries, dueAt, errorMessage });
        else jobUpdates.push({ id: effect.jobId, retries: effect.retries, errorMessage, dueAt });
        break;
      }
      case 'messageSubscribed': {
        const s = effect.subscription;
        newMessageSubs.set(s.id, [s.id, instance.id, instance.definitionId, s.elementId, s.messageName, s.correlationKey, at]);
        break;
      }
      case 'messageReceived':
      case 'messageUnsubscribed':
        if (!newMessageSubs.delete(effect.subscriptionId)) deletedMessageSubs.push(effect.subscriptionId);
        break;
      case 'signalSubscribed': {
        const s = effect.subscription;
        newSignalSubs.set(s.id, [s.id, instance.id, instance.definitionId, s.elementId, s.signalName, at]);
        break;
      }
      case 'signalReceived':
      case 'signalUnsubscribed':
        if (!newSignalSubs.delete(effect.subscriptionId)) deletedSignalSubs.push(effect.subscriptionId);
        break;
      case 'incidentRaised': {
        const i = effect.incident;
        newIncidents.set(i.id, [i.id, instance.id, i.elementId, i.elementInstanceKey, i.kind, i.cause, i.message, i.jobId ?? null, 'open', at, null]);
        break;
      }
      case 'incidentResolved': {
        const fresh = newIncidents.get(effect.incidentId);
        if (fresh) {
          fresh[7] = 'resolved';
          fresh[9] = at;
        } else resolvedIncidents.push(effect.incidentId);
        break;
      }
      default:
        break;
    }
  });

  const g = builder.guard;
  builder.insert('tasks', TASK_COLUMNS, [...newTasks.values()].map((t) => [...t.values, t.state, t.completedAt, t.completedBy]));
  for (const { id, changes } of taskChanges) {
    const sets: string[] = [];
    const values: unknown[] = [];
    const set = (column: string, value: unknown) => {
      sets.push(`${column} = ?`);
      values.push(value);
    };
    if (changes.assignee !== undefined) set('assignee', changes.assignee);
    if (changes.candidateGroups !== undefined) set('candidate_groups', changes.candidateGroups);
    if (changes.candidateUsers !== undefined) set('candidate_users', changes.candidateUsers);
    if (changes.dueAt !== undefined) set('due_at', changes.dueAt === null ? null : date(changes.dueAt));
    if (changes.followUpAt !== undefined) set('follow_up_at', changes.followUpAt === null ? null : date(changes.followUpAt));
    // A date moved past now is reported again when it comes (passed-dates.ts reports each once).
    if (changes.dueAt != null && changes.dueAt > context.now) set('overdue_reported_at', null);
    if (changes.followUpAt != null && changes.followUpAt > context.now) set('follow_up_reported_at', null);
    // (priority has no column: history keeps it.)
    if (sets.length > 0) builder.add(`UPDATE tasks SET ${sets.join(', ')} WHERE id = ?${g}`, [...values, id]);
  }
  if (completedTasks.length > 0) {
    const [where, ids] = byId(completedTasks);
    builder.add(`UPDATE tasks SET state = 'completed', completed_at = ?, completed_by = ? WHERE ${where}${g}`, [at, actor, ids]);
  }
  if (cancelledTasks.length > 0) {
    const [where, ids] = byId(cancelledTasks);
    builder.add(`UPDATE tasks SET state = 'cancelled', completed_at = ? WHERE ${where}${g}`, [at, ids]);
  }
  builder.insert('jobs', JOB_COLUMNS, [...newJobs.values()].map((j) => jobValues(j, at)));
  if (deletedJobs.length > 0) {
    const [where, ids] = byId(deletedJobs);
    builder.add(`DELETE FROM jobs WHERE ${where}${g}`, [ids]);
  }
  for (const u of jobUpdates) {
    builder.add(`UPDATE jobs SET retries = ?, error_message = coalesce(?, error_message), due_at = ?, lock_owner = NULL, lock_expires_at = NULL WHERE id = ?${g}`, [
      u.retries,
      u.errorMessage ?? null,
      date(u.dueAt),
      u.id,
    ]);
  }
  builder.insert('message_subscriptions', MESSAGE_SUBSCRIPTION_COLUMNS, [...newMessageSubs.values()]);
  if (deletedMessageSubs.length > 0) {
    const [where, ids] = byId(deletedMessageSubs);
    builder.add(`DELETE FROM message_subscriptions WHERE ${where}${g}`, [ids]);
  }
  builder.insert('signal_subscriptions', SIGNAL_SUBSCRIPTION_COLUMNS, [...newSignalSubs.values()]);
  if (deletedSignalSubs.length > 0) {
    const [where, ids] = byId(deletedSignalSubs);
    builder.add(`DELETE FROM signal_subscriptions WHERE ${where}${g}`, [ids]);
  }
  builder.insert('incidents', INCIDENT_COLUMNS, [...newIncidents.values()]);
  if (resolvedIncidents.length > 0) {
    const [where, ids] = byId(resolvedIncidents);
    builder.add(`UPDATE incidents SET state = 'resolved', resolved_at = ? WHERE ${where}${g}`, [at, ids]);
  }

  // History: one row with every effect, in order, as the step's producer names them (history/events.ts).
  if (effects.length > 0) {
    const record = historyRecord(stepEvents(effects, context.before ?? stepElementsOf(instance.state)));
    builder.insert('history', HISTORY_COLUMNS, [[instance.id, at, actor, record.type, record.elementId ?? null, storableJson(record.events, 'history'), record.push]]);
  }
  builder.flush();
  if (builder.overflow) return undefined;
  return builder.statements;
}

const GUARD_ANSWER = 'SELECT count(*)::int AS applied FROM u';
const RAISING = new Map<string, string>();

/**
 * A guarded step statement that raises a serialization failure (`motcua_expect`, migration
 * 0026) instead of answering `applied = 0`: for a batch of statements sent in one round
 * trip, where a step that did not apply must stop the rest of the batch.
 */
export function raisingStep(statement: Statement): Statement {
  let text = RAISING.get(statement.text);
  if (text === undefined) {
    if (!statement.text.endsWith(GUARD_ANSWER)) throw new Error('raisingStep needs a guarded step statement');
    text = `${statement.text.slice(0, -GUARD_ANSWER.length)}SELECT motcua_expect(count(*), 1, 'the instance') AS applied FROM u`;
    if (RAISING.size < MAX_NUMBERED) RAISING.set(statement.text, text);
  }
  return { text, values: statement.values };
}
