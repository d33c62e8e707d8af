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
import type { Effect } from '../runtime/effects';
import type { EffectContext, InstanceRecord, JobRow } from '../store/ports';

export interface Statement {
  text: string;
  values: unknown[];
}

/** Largest number of bind parameters put into one statement (PostgreSQL's limit is 65,535). */
const MAX_BINDS = 20_000;

const ELEMENT_OF: Partial<Record<Effect['type'], (e: any) => string | undefined>> = {
  elementActivated: (e) => e.elementId,
  elementCompleted: (e) => e.elementId,
  elementTerminated: (e) => e.elementId,
  taskOpened: (e) => e.task.elementId,
  jobCreated: (e) => e.job.elementId,
  timerScheduled: (e) => e.timer.elementId,
  messageSubscribed: (e) => e.subscription.elementId,
  signalSubscribed: (e) => e.subscription.elementId,
  incidentRaised: (e) => e.incident.elementId,
  errorThrown: (e) => e.elementId,
  escalationThrown: (e) => e.elementId,
  childRequested: (e) => e.request.elementId,
};

const date = (value: number | undefined): Date | null => (value === undefined ? null : new Date(value));

interface TaskInsert {
  values: unknown[];
  state: 'open' | 'completed' | 'cancelled';
  completedAt: Date | null;
  completedBy: string | null;
}

/** Accumulates CTE parts and their bind values; starts a new statement when one gets too big. */
class Builder {
  readonly statements: Statement[] = [];
  private parts: string[] = [];
  private values: unknown[] = [];

  /** Adds one part; `sql` uses `?` where each value goes, in order. */
  add(sql: string, values: unknown[]): void {
    if (this.values.length + values.length > MAX_BINDS && this.parts.length > 0) this.flush();
    let i = 0;
    const text = sql.replace(/\?/g, () => `$${this.values.length + ++i}`);
    this.values.push(...values);
    this.parts.push(text);
  }

  flush(): void {
    if (this.parts.length === 0) return;
    const text =
      this.parts.length === 1 ? this.parts[0] : `WITH ${this.parts.slice(0, -1).map((p, i) => `w${i} AS (${p})`).join(', ')} ${this.parts.at(-1)}`;
    this.statements.push({ text, values: this.values });
    this.parts = [];
    this.values = [];
  }
}

function rows(count: number, width: number): string {
  const row = `(${Array.from({ length: width }, () => '?').join(', ')})`;
  return Array.from({ length: count }, () => row).join(', ');
}

/** Builds the statements that write one step. */
export function buildStepStatements(instance: InstanceRecord, effects: Effect[], context: EffectContext, mode: 'insert' | 'update'): Statement[] {
  const at = date(context.now)!;
  const actor = context.actor ?? null;
  const builder = new Builder();

  if (mode === 'insert') {
    builder.add(
      `INSERT INTO instances (id, definition_id, process_id, business_key, status, state, parent_instance_id, parent_wait_id, revision, started_at, ended_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        instance.id,
        instance.definitionId,
        instance.processId,
        instance.businessKey ?? null,
        instance.status,
        JSON.stringify(instance.state),
        instance.parentInstanceId ?? null,
        instance.parentWaitId ?? null,
        instance.revision,
        date(instance.startedAt),
        date(instance.endedAt),
        at,
      ],
    );
  } else {
    builder.add('UPDATE instances SET status = ?, state = ?, revision = ?, ended_at = ?, updated_at = ? WHERE id = ?', [
      instance.status,
      JSON.stringify(instance.state),
      instance.revision,
      date(instance.endedAt),
      at,
      instance.id,
    ]);
  }

  // Net the effects per row.
  const newTasks = new Map<string, TaskInsert>();
  const completedTasks: string[] = [];
  const cancelledTasks: string[] = [];
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
          job({ id: effect.job.id, elementId: effect.job.elementId, kind: 'task', jobType: effect.job.jobType, retries: effect.job.retries, dueAt: context.now, headers: effect.job.headers, variables: effect.job.variables }),
        );
        break;
      case 'timerScheduled':
        newJobs.set(
          effect.timer.id,
          job({ id: effect.timer.id, elementId: effect.timer.elementId, kind: 'timer', jobType: 'timer', retries: 3, dueAt: effect.timer.dueAt, headers: {}, variables: {} }),
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
      case 'jobCancelled':
      case 'timerFired':
      case 'timerCancelled': {
        const id = 'jobId' in effect ? effect.jobId : effect.timerId;
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
        newIncidents.set(i.id, [i.id, instance.id, i.elementId, i.elementInstanceKey, i.kind, i.message, i.jobId ?? null, 'open', at, null]);
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

  if (newTasks.size > 0) {
    const list = [...newTasks.values()];
    builder.add(
      `INSERT INTO tasks (id, instance_id, definition_id, process_id, element_id, element_instance_key, name, assignee, candidate_groups, candidate_users, agency, due_at, follow_up_at, form_key, facts, created_at, state, completed_at, completed_by)
       VALUES ${rows(list.length, 19)}`,
      list.flatMap((t) => [...t.values, t.state, t.completedAt, t.completedBy]),
    );
  }
  if (completedTasks.length > 0) builder.add("UPDATE tasks SET state = 'completed', completed_at = ?, completed_by = ? WHERE id = ANY(?)", [at, actor, completedTasks]);
  if (cancelledTasks.length > 0) builder.add("UPDATE tasks SET state = 'cancelled', completed_at = ? WHERE id = ANY(?)", [at, cancelledTasks]);
  if (newJobs.size > 0) {
    const list = [...newJobs.values()];
    builder.add(
      `INSERT INTO jobs (id, instance_id, definition_id, element_id, kind, job_type, retries, due_at, error_message, headers, variables, payload, created_at) VALUES ${rows(list.length, 13)}`,
      list.flatMap((j) => [
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
        at,
      ]),
    );
  }
  if (deletedJobs.length > 0) builder.add('DELETE FROM jobs WHERE id = ANY(?)', [deletedJobs]);
  for (const u of jobUpdates) {
    builder.add('UPDATE jobs SET retries = ?, error_message = coalesce(?, error_message), due_at = ?, lock_owner = NULL, lock_expires_at = NULL WHERE id = ?', [
      u.retries,
      u.errorMessage ?? null,
      date(u.dueAt),
      u.id,
    ]);
  }
  if (newMessageSubs.size > 0) {
    builder.add(
      `INSERT INTO message_subscriptions (id, instance_id, definition_id, element_id, message_name, correlation_key, created_at) VALUES ${rows(newMessageSubs.size, 7)}`,
      [...newMessageSubs.values()].flat(),
    );
  }
  if (deletedMessageSubs.length > 0) builder.add('DELETE FROM message_subscriptions WHERE id = ANY(?)', [deletedMessageSubs]);
  if (newSignalSubs.size > 0) {
    builder.add(`INSERT INTO signal_subscriptions (id, instance_id, definition_id, element_id, signal_name, created_at) VALUES ${rows(newSignalSubs.size, 6)}`, [
      ...newSignalSubs.values(),
    ].flat());
  }
  if (deletedSignalSubs.length > 0) builder.add('DELETE FROM signal_subscriptions WHERE id = ANY(?)', [deletedSignalSubs]);
  if (newIncidents.size > 0) {
    builder.add(
      `INSERT INTO incidents (id, instance_id, element_id, element_instance_key, kind, message, job_id, state, created_at, resolved_at) VALUES ${rows(newIncidents.size, 10)}`,
      [...newIncidents.values()].flat(),
    );
  }
  if (resolvedIncidents.length > 0) builder.add("UPDATE incidents SET state = 'resolved', resolved_at = ? WHERE id = ANY(?)", [at, resolvedIncidents]);

  // History: every effect, in order, one row each.
  const chunk = 2000;
  for (let start = 0; start < effects.length; start += chunk) {
    const slice = effects.slice(start, start + chunk);
    builder.add(
      `INSERT INTO history (instance_id, at, actor, type, element_id, data) VALUES ${rows(slice.length, 6)}`,
      slice.flatMap((effect) => {
        const { type, ...data } = effect as { type: string } & Record<string, unknown>;
        return [instance.id, at, actor, type, ELEMENT_OF[effect.type]?.(effect) ?? null, JSON.stringify(data)];
      }),
    );
  }
  builder.flush();
  return builder.statements;
}
