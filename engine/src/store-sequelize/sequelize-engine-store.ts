/**
 * The engine store on PostgreSQL (server or embedded PGlite) through sequelize.
 *
 * Hot paths use parameterised SQL through `sequelize.query` rather than model
 * methods: one command is a handful of statements and the benchmark counts
 * them. Every statement of a transaction goes through the `Tx` object that
 * holds it, so none can run outside it by mistake.
 */
import { QueryTypes, Transaction, type Sequelize } from 'sequelize';
import type { Effect } from '../runtime/effects';
import type { InstanceState } from '../runtime/state';
import type {
  BufferedMessageRow,
  DefinitionRecord,
  DeploymentRecord,
  EffectContext,
  EngineStore,
  HistoryRow,
  IncidentRow,
  InstanceRecord,
  JobKind,
  JobRow,
  MessageSubscriptionRow,
  SignalSubscriptionRow,
  StoreTransaction,
  TaskRow,
} from '../store/ports';
import { ADVISORY_LOCK_NAMESPACE, type Database } from './connect';

type Row = Record<string, any>;

const ms = (value: unknown): number | undefined => (value == null ? undefined : new Date(value as string).getTime());
const date = (value: number | undefined): Date | null => (value === undefined ? null : new Date(value));
const opt = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

function toDefinition(row: Row): DefinitionRecord {
  return {
    id: row.id,
    processId: row.process_id,
    version: row.version,
    versionTag: opt(row.version_tag),
    name: opt(row.name),
    deploymentId: row.deployment_id,
    xml: row.xml,
    xmlHash: row.xml_hash,
    createdAt: ms(row.created_at)!,
  };
}

function toInstance(row: Row): InstanceRecord {
  return {
    id: row.id,
    definitionId: row.definition_id,
    processId: row.process_id,
    businessKey: opt(row.business_key),
    status: row.status,
    state: row.state as InstanceState,
    revision: row.revision,
    parentInstanceId: opt(row.parent_instance_id),
    parentWaitId: opt(row.parent_wait_id),
    startedAt: ms(row.started_at)!,
    endedAt: ms(row.ended_at),
  };
}

function toTask(row: Row): TaskRow {
  return {
    id: row.id,
    instanceId: row.instance_id,
    processId: row.process_id,
    definitionId: row.definition_id,
    elementId: row.element_id,
    name: opt(row.name),
    assignee: opt(row.assignee),
    candidateGroups: row.candidate_groups ?? [],
    candidateUsers: row.candidate_users ?? [],
    agency: opt(row.agency),
    state: row.state,
    dueAt: ms(row.due_at),
    formKey: opt(row.form_key),
    createdAt: ms(row.created_at)!,
    completedAt: ms(row.completed_at),
    completedBy: opt(row.completed_by),
  };
}

function toJob(row: Row): JobRow {
  return {
    id: row.id,
    instanceId: opt(row.instance_id),
    definitionId: opt(row.definition_id),
    elementId: row.element_id,
    kind: row.kind,
    jobType: row.job_type,
    retries: row.retries,
    dueAt: ms(row.due_at)!,
    lockOwner: opt(row.lock_owner),
    lockExpiresAt: ms(row.lock_expires_at),
    errorMessage: opt(row.error_message),
    headers: row.headers ?? {},
    variables: row.variables ?? {},
    payload: opt(row.payload),
  };
}

function toIncident(row: Row): IncidentRow {
  return {
    id: row.id,
    instanceId: row.instance_id,
    elementId: row.element_id,
    kind: row.kind,
    message: row.message,
    jobId: opt(row.job_id),
    state: row.state,
    createdAt: ms(row.created_at)!,
  };
}

function toSubscription(row: Row): MessageSubscriptionRow {
  return {
    id: row.id,
    instanceId: opt(row.instance_id),
    definitionId: row.definition_id,
    elementId: row.element_id,
    messageName: row.message_name,
    correlationKey: opt(row.correlation_key),
  };
}

/** Runs SQL on one sequelize connection, inside a transaction when given. */
class Sql {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly transaction?: Transaction,
  ) {}

  async select(sql: string, bind: unknown[] = []): Promise<Row[]> {
    return (await this.sequelize.query(sql, { bind, transaction: this.transaction, type: QueryTypes.SELECT })) as Row[];
  }

  async run(sql: string, bind: unknown[] = []): Promise<void> {
    await this.sequelize.query(sql, { bind, transaction: this.transaction, raw: true });
  }
}

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

class SequelizeTransaction implements StoreTransaction {
  private readonly sql: Sql;

  constructor(sequelize: Sequelize, transaction: Transaction) {
    this.sql = new Sql(sequelize, transaction);
  }

  async insertDeployment(d: DeploymentRecord): Promise<void> {
    await this.sql.run('INSERT INTO deployments (id, name, resource_name, created_at, created_by) VALUES ($1, $2, $3, $4, $5)', [
      d.id,
      d.name ?? null,
      d.resourceName ?? null,
      date(d.createdAt),
      d.createdBy ?? null,
    ]);
  }

  async insertDefinition(d: DefinitionRecord): Promise<void> {
    await this.sql.run(
      'INSERT INTO definitions (id, process_id, version, version_tag, name, deployment_id, xml, xml_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
      [d.id, d.processId, d.version, d.versionTag ?? null, d.name ?? null, d.deploymentId, d.xml, d.xmlHash, date(d.createdAt)],
    );
  }

  async latestDefinition(processId: string): Promise<DefinitionRecord | undefined> {
    const rows = await this.sql.select('SELECT * FROM definitions WHERE process_id = $1 ORDER BY version DESC LIMIT 1', [processId]);
    return rows[0] && toDefinition(rows[0]);
  }

  async definitionById(id: string): Promise<DefinitionRecord | undefined> {
    const rows = await this.sql.select('SELECT * FROM definitions WHERE id = $1', [id]);
    return rows[0] && toDefinition(rows[0]);
  }

  async definitionByVersionTag(processId: string, versionTag: string): Promise<DefinitionRecord | undefined> {
    const rows = await this.sql.select('SELECT * FROM definitions WHERE process_id = $1 AND version_tag = $2 ORDER BY version DESC LIMIT 1', [
      processId,
      versionTag,
    ]);
    return rows[0] && toDefinition(rows[0]);
  }

  async lockName(name: string): Promise<void> {
    await this.sql.select('SELECT pg_advisory_xact_lock($1, hashtext($2))', [ADVISORY_LOCK_NAMESPACE, name]);
  }

  async insertInstance(i: InstanceRecord): Promise<void> {
    await this.sql.run(
      `INSERT INTO instances (id, definition_id, process_id, business_key, status, state, parent_instance_id, parent_wait_id, revision, started_at, ended_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $10)`,
      [
        i.id,
        i.definitionId,
        i.processId,
        i.businessKey ?? null,
        i.status,
        JSON.stringify(i.state),
        i.parentInstanceId ?? null,
        i.parentWaitId ?? null,
        i.revision,
        date(i.startedAt),
        date(i.endedAt),
      ],
    );
  }

  async lockInstance(id: string): Promise<InstanceRecord | undefined> {
    const rows = await this.sql.select('SELECT * FROM instances WHERE id = $1 FOR UPDATE', [id]);
    return rows[0] && toInstance(rows[0]);
  }

  async updateInstance(i: InstanceRecord): Promise<void> {
    await this.sql.run('UPDATE instances SET status = $2, state = $3, revision = $4, ended_at = $5, updated_at = now() WHERE id = $1', [
      i.id,
      i.status,
      JSON.stringify(i.state),
      i.revision,
      date(i.endedAt),
    ]);
  }

  async childInstance(parentInstanceId: string, parentWaitId: string): Promise<InstanceRecord | undefined> {
    const rows = await this.sql.select('SELECT * FROM instances WHERE parent_instance_id = $1 AND parent_wait_id = $2', [parentInstanceId, parentWaitId]);
    return rows[0] && toInstance(rows[0]);
  }

  async persistEffects(instance: InstanceRecord, effects: Effect[], context: EffectContext): Promise<void> {
    const at = date(context.now);
    for (const effect of effects) {
      switch (effect.type) {
        case 'taskOpened': {
          const t = effect.task;
          await this.sql.run(
            `INSERT INTO tasks (id, instance_id, definition_id, process_id, element_id, element_instance_key, name, assignee, candidate_groups, candidate_users, agency, state, due_at, follow_up_at, form_key, facts, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'open', $12, $13, $14, $15, $16)`,
            [
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
          );
          break;
        }
        case 'taskCompleted':
          await this.sql.run("UPDATE tasks SET state = 'completed', completed_at = $2, completed_by = $3 WHERE id = $1", [effect.taskId, at, context.actor ?? null]);
          break;
        case 'taskCancelled':
          await this.sql.run("UPDATE tasks SET state = 'cancelled', completed_at = $2 WHERE id = $1", [effect.taskId, at]);
          break;
        case 'jobCreated': {
          const j = effect.job;
          await this.insertJob({
            id: j.id,
            instanceId: instance.id,
            definitionId: instance.definitionId,
            elementId: j.elementId,
            kind: 'task',
            jobType: j.jobType,
            retries: j.retries,
            dueAt: context.now,
            headers: j.headers,
            variables: j.variables,
          });
          break;
        }
        case 'jobCompleted':
        case 'jobCancelled':
          await this.deleteJob(effect.jobId);
          break;
        case 'jobFailed':
          await this.sql.run('UPDATE jobs SET retries = $2, error_message = $3, due_at = $4, lock_owner = NULL, lock_expires_at = NULL WHERE id = $1', [
            effect.jobId,
            effect.retries,
            effect.errorMessage,
            date(context.retryAt ?? context.now),
          ]);
          break;
        case 'jobRetried':
          await this.sql.run('UPDATE jobs SET retries = $2, due_at = $3, lock_owner = NULL, lock_expires_at = NULL WHERE id = $1', [effect.jobId, effect.retries, at]);
          break;
        case 'timerScheduled':
          await this.insertJob({
            id: effect.timer.id,
            instanceId: instance.id,
            definitionId: instance.definitionId,
            elementId: effect.timer.elementId,
            kind: 'timer',
            jobType: 'timer',
            retries: 3,
            dueAt: effect.timer.dueAt,
            headers: {},
            variables: {},
          });
          break;
        case 'timerFired':
        case 'timerCancelled':
          await this.deleteJob(effect.timerId);
          break;
        case 'messageSubscribed': {
          const s = effect.subscription;
          await this.sql.run(
            'INSERT INTO message_subscriptions (id, instance_id, definition_id, element_id, message_name, correlation_key, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
            [s.id, instance.id, instance.definitionId, s.elementId, s.messageName, s.correlationKey, at],
          );
          break;
        }
        case 'messageReceived':
          await this.sql.run('DELETE FROM message_subscriptions WHERE id = $1', [effect.subscriptionId]);
          break;
        case 'messageUnsubscribed':
          await this.sql.run('DELETE FROM message_subscriptions WHERE id = $1', [effect.subscriptionId]);
          break;
        case 'signalSubscribed': {
          const s = effect.subscription;
          await this.sql.run(
            'INSERT INTO signal_subscriptions (id, instance_id, definition_id, element_id, signal_name, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
            [s.id, instance.id, instance.definitionId, s.elementId, s.signalName, at],
          );
          break;
        }
        case 'signalUnsubscribed':
          await this.sql.run('DELETE FROM signal_subscriptions WHERE id = $1', [effect.subscriptionId]);
          break;
        case 'signalThrown':
          await this.insertJob({
            id: `${instance.id}-signal-${instance.revision}-${effects.indexOf(effect)}`,
            instanceId: undefined,
            definitionId: instance.definitionId,
            elementId: '',
            kind: 'signal',
            jobType: 'signal',
            retries: 3,
            dueAt: context.now,
            headers: {},
            variables: effect.variables,
            payload: { signalName: effect.signalName, from: instance.id },
          });
          break;
        case 'incidentRaised': {
          const i = effect.incident;
          await this.sql.run(
            "INSERT INTO incidents (id, instance_id, element_id, element_instance_key, kind, message, job_id, state, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8)",
            [i.id, instance.id, i.elementId, i.elementInstanceKey, i.kind, i.message, i.jobId ?? null, at],
          );
          break;
        }
        case 'incidentResolved':
          await this.sql.run("UPDATE incidents SET state = 'resolved', resolved_at = $2 WHERE id = $1", [effect.incidentId, at]);
          break;
        default:
          break;
      }
    }
    await this.appendHistory(instance.id, effects, context);
  }

  private async appendHistory(instanceId: string, effects: Effect[], context: EffectContext): Promise<void> {
    if (effects.length === 0) return;
    // One multi-row INSERT: history is most of what a command writes.
    const values: string[] = [];
    const bind: unknown[] = [instanceId, date(context.now), context.actor ?? null];
    for (const effect of effects) {
      const n = bind.length;
      values.push(`($1, $2, $3, $${n + 1}, $${n + 2}, $${n + 3})`);
      const { type, ...data } = effect as { type: string } & Record<string, unknown>;
      bind.push(type, ELEMENT_OF[effect.type]?.(effect) ?? null, JSON.stringify(data));
    }
    await this.sql.run(`INSERT INTO history (instance_id, at, actor, type, element_id, data) VALUES ${values.join(', ')}`, bind);
  }

  async task(id: string): Promise<TaskRow | undefined> {
    const rows = await this.sql.select('SELECT * FROM tasks WHERE id = $1', [id]);
    return rows[0] && toTask(rows[0]);
  }

  async job(id: string): Promise<JobRow | undefined> {
    const rows = await this.sql.select('SELECT * FROM jobs WHERE id = $1', [id]);
    return rows[0] && toJob(rows[0]);
  }

  async incident(id: string): Promise<IncidentRow | undefined> {
    const rows = await this.sql.select('SELECT * FROM incidents WHERE id = $1', [id]);
    return rows[0] && toIncident(rows[0]);
  }

  async messageSubscriptions(messageName: string, correlationKey: string): Promise<MessageSubscriptionRow[]> {
    const rows = await this.sql.select(
      'SELECT * FROM message_subscriptions WHERE message_name = $1 AND correlation_key = $2 AND instance_id IS NOT NULL ORDER BY created_at, id',
      [messageName, correlationKey],
    );
    return rows.map(toSubscription);
  }

  async messageStartSubscriptions(messageName: string): Promise<MessageSubscriptionRow[]> {
    const rows = await this.sql.select('SELECT * FROM message_subscriptions WHERE message_name = $1 AND instance_id IS NULL ORDER BY id', [messageName]);
    return rows.map(toSubscription);
  }

  async signalSubscriptions(signalName: string): Promise<SignalSubscriptionRow[]> {
    const rows = await this.sql.select('SELECT * FROM signal_subscriptions WHERE signal_name = $1 ORDER BY instance_id NULLS FIRST, id', [signalName]);
    return rows.map((row) => ({
      id: row.id,
      instanceId: opt(row.instance_id),
      definitionId: row.definition_id,
      elementId: row.element_id,
      signalName: row.signal_name,
    }));
  }

  async replaceStartEvents(processId: string, messages: MessageSubscriptionRow[], signals: SignalSubscriptionRow[], timers: JobRow[]): Promise<void> {
    const old = 'SELECT id FROM definitions WHERE process_id = $1';
    await this.sql.run(`DELETE FROM message_subscriptions WHERE instance_id IS NULL AND definition_id IN (${old})`, [processId]);
    await this.sql.run(`DELETE FROM signal_subscriptions WHERE instance_id IS NULL AND definition_id IN (${old})`, [processId]);
    await this.sql.run(`DELETE FROM jobs WHERE kind = 'start-timer' AND definition_id IN (${old})`, [processId]);
    for (const m of messages) {
      await this.sql.run(
        'INSERT INTO message_subscriptions (id, instance_id, definition_id, element_id, message_name, correlation_key) VALUES ($1, NULL, $2, $3, $4, NULL)',
        [m.id, m.definitionId, m.elementId, m.messageName],
      );
    }
    for (const s of signals) {
      await this.sql.run('INSERT INTO signal_subscriptions (id, instance_id, definition_id, element_id, signal_name) VALUES ($1, NULL, $2, $3, $4)', [
        s.id,
        s.definitionId,
        s.elementId,
        s.signalName,
      ]);
    }
    for (const t of timers) await this.insertJob(t);
  }

  async insertBufferedMessage(m: BufferedMessageRow): Promise<boolean> {
    const rows = await this.sql.select(
      `INSERT INTO buffered_messages (id, message_name, correlation_key, variables, message_id, expires_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (message_id) DO NOTHING RETURNING id`,
      [m.id, m.messageName, m.correlationKey ?? null, JSON.stringify(m.variables), m.messageId ?? null, date(m.expiresAt)],
    );
    return rows.length > 0;
  }

  async takeBufferedMessage(messageName: string, correlationKey: string, now: number): Promise<BufferedMessageRow | undefined> {
    const rows = await this.sql.select(
      `DELETE FROM buffered_messages WHERE id = (
         SELECT id FROM buffered_messages WHERE message_name = $1 AND correlation_key = $2 AND expires_at > $3
         ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [messageName, correlationKey, date(now)],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      id: row.id,
      messageName: row.message_name,
      correlationKey: opt(row.correlation_key),
      variables: row.variables ?? {},
      messageId: opt(row.message_id),
      expiresAt: ms(row.expires_at)!,
    };
  }

  async insertJob(j: JobRow): Promise<void> {
    await this.sql.run(
      `INSERT INTO jobs (id, instance_id, definition_id, element_id, kind, job_type, retries, due_at, headers, variables, payload, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now())`,
      [
        j.id,
        j.instanceId ?? null,
        j.definitionId ?? null,
        j.elementId,
        j.kind,
        j.jobType,
        j.retries,
        date(j.dueAt),
        JSON.stringify(j.headers),
        JSON.stringify(j.variables),
        j.payload ? JSON.stringify(j.payload) : null,
      ],
    );
  }

  async updateJob(id: string, changes: Partial<Pick<JobRow, 'dueAt' | 'retries' | 'lockOwner' | 'lockExpiresAt' | 'errorMessage'>>): Promise<void> {
    const columns: Record<string, unknown> = {};
    if ('dueAt' in changes) columns.due_at = date(changes.dueAt);
    if ('retries' in changes) columns.retries = changes.retries;
    if ('lockOwner' in changes) columns.lock_owner = changes.lockOwner ?? null;
    if ('lockExpiresAt' in changes) columns.lock_expires_at = date(changes.lockExpiresAt);
    if ('errorMessage' in changes) columns.error_message = changes.errorMessage ?? null;
    const names = Object.keys(columns);
    if (names.length === 0) return;
    await this.sql.run(`UPDATE jobs SET ${names.map((n, i) => `${n} = $${i + 2}`).join(', ')} WHERE id = $1`, [id, ...names.map((n) => columns[n])]);
  }

  async deleteJob(id: string): Promise<void> {
    await this.sql.run('DELETE FROM jobs WHERE id = $1', [id]);
  }

  async claimJobs(options: { now: number; owner: string; lockMs: number; limit: number; kinds: JobKind[]; jobTypes?: string[] }): Promise<JobRow[]> {
    const bind: unknown[] = [date(options.now), options.kinds, options.limit, options.owner, date(options.now + options.lockMs)];
    let typeFilter = '';
    if (options.jobTypes) {
      bind.push(options.jobTypes);
      typeFilter = `AND job_type = ANY($${bind.length})`;
    }
    const rows = await this.sql.select(
      `UPDATE jobs SET lock_owner = $4, lock_expires_at = $5
       WHERE id IN (
         SELECT id FROM jobs
         WHERE due_at <= $1 AND kind = ANY($2) AND retries > 0 ${typeFilter}
           AND (lock_expires_at IS NULL OR lock_expires_at < $1)
         ORDER BY due_at
         LIMIT $3
         FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      bind,
    );
    return rows.map(toJob).sort((a, b) => a.dueAt - b.dueAt);
  }
}

/** Creates the engine store over an open, migrated database. */
export function createSequelizeEngineStore(db: Database): EngineStore {
  const { sequelize } = db;
  const sql = new Sql(sequelize);
  return {
    embedded: db.embedded,
    async transaction<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T> {
      return sequelize.transaction({ isolationLevel: Transaction.ISOLATION_LEVELS.READ_COMMITTED }, (transaction) =>
        work(new SequelizeTransaction(sequelize, transaction)),
      );
    },
    async nextDueAt(kinds: JobKind[], jobTypes?: string[]): Promise<number | undefined> {
      const rows = jobTypes
        ? await sql.select('SELECT min(due_at) AS due FROM jobs WHERE kind = ANY($1) AND retries > 0 AND job_type = ANY($2)', [kinds, jobTypes])
        : await sql.select('SELECT min(due_at) AS due FROM jobs WHERE kind = ANY($1) AND retries > 0', [kinds]);
      return ms(rows[0]?.due);
    },
    async instance(id: string) {
      const rows = await sql.select('SELECT * FROM instances WHERE id = $1', [id]);
      return rows[0] && toInstance(rows[0]);
    },
    async history(instanceId: string): Promise<HistoryRow[]> {
      const rows = await sql.select('SELECT * FROM history WHERE instance_id = $1 ORDER BY id', [instanceId]);
      return rows.map((row) => ({
        id: Number(row.id),
        instanceId: row.instance_id,
        at: ms(row.at)!,
        actor: opt(row.actor),
        type: row.type,
        elementId: opt(row.element_id),
        data: row.data ?? {},
      }));
    },
    async tasks(filter) {
      const rows = await sql.select(
        'SELECT * FROM tasks WHERE ($1::text IS NULL OR instance_id = $1) AND ($2::text IS NULL OR state = $2) ORDER BY created_at, id',
        [filter.instanceId ?? null, filter.state ?? null],
      );
      return rows.map(toTask);
    },
    async jobs(filter) {
      const rows = await sql.select('SELECT * FROM jobs WHERE ($1::text IS NULL OR instance_id = $1) AND ($2::text IS NULL OR kind = $2) ORDER BY due_at, id', [
        filter.instanceId ?? null,
        filter.kind ?? null,
      ]);
      return rows.map(toJob);
    },
    async incidents(filter) {
      const rows = await sql.select(
        'SELECT * FROM incidents WHERE ($1::text IS NULL OR instance_id = $1) AND ($2::text IS NULL OR state = $2) ORDER BY created_at, id',
        [filter.instanceId ?? null, filter.state ?? null],
      );
      return rows.map(toIncident);
    },
    async definitions(processId?: string) {
      const rows = await sql.select('SELECT * FROM definitions WHERE ($1::text IS NULL OR process_id = $1) ORDER BY process_id, version', [processId ?? null]);
      return rows.map(toDefinition);
    },
    close: () => db.close(),
  };
}
