/**
 * The engine store on PostgreSQL (server or embedded PGlite) through sequelize.
 *
 * Hot paths use parameterised SQL through `sequelize.query` rather than model
 * methods: one command is a handful of statements and the benchmark counts
 * them. Every statement of a transaction goes through the `Tx` object that
 * holds it, so none can run outside it by mistake.
 */
import { recordPassedDates } from './passed-dates';
import { storeError } from './store-errors';
import { QueryTypes, type Sequelize } from 'sequelize';
import type { Effect } from '../runtime/effects';
import type {
  BufferedMessageRow,
  DefinitionRecord,
  DefinitionSummary,
  DeploymentRecord,
  EffectContext,
  EngineStore,
  HistoryRow,
  IncidentRow,
  InstanceRecord,
  JobKind,
  JobRow,
  MessageSubscriptionRow,
  AgencyScope,
  ProcessOwnerRecord,
  QueuedWrite,
  SignalSubscriptionRow,
  StoreTransaction,
  TaskRow,
} from '../store/ports';
import { ADVISORY_LOCK_NAMESPACE, connectionsOf, withConnection, type Database } from './connect';
import { historyEntries } from './history-rows';
import { BoundPipelinedSql } from './bound-pipeline';
import { PipelinedSql, runBound, runPrepared } from './pipelined-sql';
import { SUMMARY_COLUMNS, date, ms, opt, toDefinition, toIncident, toInstance, toJob, toSubscription, toTask, type Row } from './rows';
import { buildJobInsert, buildStepStatements, raisingStep } from './step-writer';
import { USERS_BY_NAME_SQL, withResolvedTaskUsers } from './task-users';

/** Runs SQL through sequelize, outside any transaction (reads that need none). */
class Sql {
  constructor(private readonly sequelize: Sequelize) {}

  async select(sql: string, bind: unknown[] = []): Promise<Row[]> {
    return (await this.sequelize.query(sql, { bind, type: QueryTypes.SELECT })) as Row[];
  }
}

/** What a transaction's statements go through: read now, or write with the next round trip. */
interface TxSql {
  select(sql: string, bind?: unknown[]): Promise<Row[]>;
  run(sql: string, bind?: unknown[]): Promise<void>;
  selectEach(statements: ReadonlyArray<{ text: string; bind?: unknown[] }>): Promise<Row[][]>;
  selectUnprepared(sql: string, bind?: unknown[]): Promise<Row[]>;
}

const LOCK_INSTANCE_OF_TASK_SQL = 'SELECT * FROM instances WHERE id = (SELECT instance_id FROM tasks WHERE id = $1) FOR UPDATE';

class SequelizeTransaction implements StoreTransaction {
  constructor(readonly sql: TxSql) {}

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
      'INSERT INTO definitions (id, process_id, version, version_tag, name, deployment_id, xml, xml_hash, created_at, agency) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)',
      [d.id, d.processId, d.version, d.versionTag ?? null, d.name ?? null, d.deploymentId, d.xml, d.xmlHash, date(d.createdAt), d.agency ?? null],
    );
  }

  async latestDefinition(processId: string): Promise<DefinitionSummary | undefined> {
    const rows = await this.sql.select(`SELECT ${SUMMARY_COLUMNS} FROM definitions WHERE process_id = $1 ORDER BY version DESC LIMIT 1`, [processId]);
    return rows[0] && toDefinition(rows[0]);
  }

  async definitionById(id: string): Promise<DefinitionRecord | undefined> {
    const rows = await this.sql.select('SELECT * FROM definitions WHERE id = $1', [id]);
    return rows[0] && toDefinition(rows[0]);
  }

  async definitionByVersionTag(processId: string, versionTag: string): Promise<DefinitionSummary | undefined> {
    const rows = await this.sql.select(`SELECT ${SUMMARY_COLUMNS} FROM definitions WHERE process_id = $1 AND version_tag = $2 ORDER BY version DESC LIMIT 1`, [
      processId,
      versionTag,
    ]);
    return rows[0] && toDefinition(rows[0]);
  }

  async definitionByVersion(processId: string, version: number): Promise<DefinitionSummary | undefined> {
    const rows = await this.sql.select(`SELECT ${SUMMARY_COLUMNS} FROM definitions WHERE process_id = $1 AND version = $2`, [processId, version]);
    return rows[0] && toDefinition(rows[0]);
  }

  async lockName(name: string): Promise<void> {
    await this.sql.select('SELECT pg_advisory_xact_lock($1, hashtext($2))', [ADVISORY_LOCK_NAMESPACE, name]);
  }

  async processOwner(processId: string): Promise<ProcessOwnerRecord | undefined> {
    const rows = await this.sql.select('SELECT * FROM process_owners WHERE process_id = $1', [processId]);
    const row = rows[0];
    return row && { processId: row.process_id, agency: row.agency, createdAt: ms(row.created_at)!, createdBy: opt(row.created_by) };
  }

  async insertProcessOwner(owner: ProcessOwnerRecord): Promise<void> {
    await this.sql.run('INSERT INTO process_owners (process_id, agency, created_at, created_by) VALUES ($1, $2, $3, $4) ON CONFLICT (process_id) DO NOTHING', [
      owner.processId,
      owner.agency,
      date(owner.createdAt),
      owner.createdBy ?? null,
    ]);
  }

  async agencyOfInstance(instanceId: string): Promise<string | undefined> {
    const rows = await this.sql.select('SELECT d.agency FROM instances i JOIN definitions d ON d.id = i.definition_id WHERE i.id = $1', [instanceId]);
    return opt(rows[0]?.agency ?? null) ?? undefined;
  }

  async lockInstance(id: string): Promise<InstanceRecord | undefined> {
    const rows = await this.sql.select('SELECT * FROM instances WHERE id = $1 FOR UPDATE', [id]);
    return rows[0] && toInstance(rows[0]);
  }

  async lockInstanceOfTask(taskId: string): Promise<InstanceRecord | undefined> {
    const rows = await this.sql.select(LOCK_INSTANCE_OF_TASK_SQL, [taskId]);
    return rows[0] && toInstance(rows[0]);
  }

  async lockTask(taskId: string): Promise<{ instance?: InstanceRecord; task?: TaskRow }> {
    // Two statements, one round trip: the instance first (the order every step takes its
    // rows in), then the task row, read after that lock in a snapshot of its own and locked
    // too, since claims change it without the instance's lock.
    const [instances, tasks] = await this.sql.selectEach([
      { text: LOCK_INSTANCE_OF_TASK_SQL, bind: [taskId] },
      { text: 'SELECT * FROM tasks WHERE id = $1 FOR UPDATE', bind: [taskId] },
    ]);
    return { instance: instances[0] && toInstance(instances[0]), task: tasks[0] && toTask(tasks[0]) };
  }

  async childInstance(parentInstanceId: string, parentWaitId: string): Promise<InstanceRecord | undefined> {
    const rows = await this.sql.select('SELECT * FROM instances WHERE parent_instance_id = $1 AND parent_wait_id = $2', [parentInstanceId, parentWaitId]);
    return rows[0] && toInstance(rows[0]);
  }

  async saveStep(instance: InstanceRecord, effects: Effect[], context: EffectContext, mode: 'insert' | 'update'): Promise<void> {
    const stored = await withResolvedTaskUsers(effects, async (names) => (await this.sql.select(USERS_BY_NAME_SQL, [names])) as Array<{ id: string; username: string }>);
    for (const statement of buildStepStatements(instance, stored, context, mode) ?? []) await this.sql.run(statement.text, statement.values);
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

  async messageSubscriptions(messageName: string, correlationKey: string, scope?: AgencyScope): Promise<MessageSubscriptionRow[]> {
    const rows = await this.sql.select(
      `SELECT * FROM message_subscriptions s WHERE message_name = $1 AND correlation_key = $2 AND instance_id IS NOT NULL ${inScope(scope, 3)} ORDER BY created_at, id`,
      scope === undefined ? [messageName, correlationKey] : [messageName, correlationKey, scope],
    );
    return rows.map(toSubscription);
  }

  async messageStartSubscriptions(messageName: string, scope?: AgencyScope): Promise<MessageSubscriptionRow[]> {
    const rows = await this.sql.select(
      `SELECT * FROM message_subscriptions s WHERE message_name = $1 AND instance_id IS NULL ${inScope(scope, 2)} ORDER BY id`,
      scope === undefined ? [messageName] : [messageName, scope],
    );
    return rows.map(toSubscription);
  }

  async signalSubscriptions(signalName: string, scope?: AgencyScope): Promise<SignalSubscriptionRow[]> {
    const rows = await this.sql.select(
      `SELECT * FROM signal_subscriptions s WHERE signal_name = $1 ${inScope(scope, 2)} ORDER BY instance_id NULLS FIRST, id`,
      scope === undefined ? [signalName] : [signalName, scope],
    );
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
    if (timers.length > 0) {
      const statement = buildJobInsert(timers, Date.now());
      await this.sql.run(statement.text, statement.values);
    }
  }

  async insertBufferedMessage(m: BufferedMessageRow): Promise<boolean> {
    const rows = await this.sql.select(
      `INSERT INTO buffered_messages (id, message_name, correlation_key, variables, message_id, expires_at, agency) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (message_id) DO NOTHING RETURNING id`,
      [m.id, m.messageName, m.correlationKey ?? null, JSON.stringify(m.variables), m.messageId ?? null, date(m.expiresAt), m.agency ?? null],
    );
    return rows.length > 0;
  }

  async takeBufferedMessage(messageName: string, correlationKey: string, now: number, definitionId: string): Promise<BufferedMessageRow | undefined> {
    const rows = await this.sql.select(
      `DELETE FROM buffered_messages WHERE id = (
         SELECT id FROM buffered_messages WHERE message_name = $1 AND correlation_key = $2 AND expires_at > $3
           AND (agency IS NULL OR agency = (SELECT d.agency FROM definitions d WHERE d.id = $4))
         ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [messageName, correlationKey, date(now), definitionId],
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
      agency: opt(row.agency ?? null),
    };
  }

  async insertJob(j: JobRow): Promise<void> {
    const statement = buildJobInsert([j], Date.now());
    await this.sql.run(statement.text, statement.values);
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

/**
 * The condition that keeps subscriptions (aliased `s`) to those of definitions in
 * `scope`, the scope bound as parameter `$n` (nothing when the scope is every agency).
 * A subscription's definition is its instance's, so this is the instance's agency.
 */
function inScope(scope: AgencyScope, n: number): string {
  if (scope === undefined) return '';
  return `AND EXISTS (SELECT 1 FROM definitions d WHERE d.id = s.definition_id AND d.agency IS NOT DISTINCT FROM $${n}::text)`;
}

/** Creates the engine store over an open, migrated database. */
export function createSequelizeEngineStore(db: Database): EngineStore {
  const { sequelize } = db;
  const sql = new Sql(sequelize);
  /** Runs a guarded step (one statement, in autocommit: one transaction; the UPDATE or INSERT holds the row lock). */
  async function runGuarded(statements: ReturnType<typeof buildStepStatements>): Promise<boolean | undefined> {
    if (!statements || statements.length !== 1) return undefined;
    const { text, values } = statements[0];
    let rows;
    try {
      rows = await withConnection(db, (connection) => (db.embedded ? runPrepared(connection, text, values) : runBound(connection, text, values)));
    } catch (error) {
      throw storeError(error);
    }
    return rows[0]?.applied === 1;
  }

  /** A transaction's SQL on a pooled connection: bound on a server (bound-pipeline.ts); on the embedded database, whose connections share one session, PREPARE/EXECUTE (pipelined-sql.ts). */
  const pipelineOn = (connection: Parameters<typeof runBound>[0]) => (db.embedded ? new PipelinedSql(connection) : new BoundPipelinedSql(connection));

  const lookupUsers = async (names: string[]) => (await sql.select(USERS_BY_NAME_SQL, [names])) as Array<{ id: string; username: string }>;

  return {
    embedded: db.embedded,
    async transaction<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T> {
      // A connection of sequelize's pool, driven directly: see pipelined-sql.ts for why.
      // Isolation is PostgreSQL's default, READ COMMITTED, plus the row locks the store takes.
      const manager = connectionsOf(db);
      const connection = await manager.getConnection({ type: 'write' });
      const sql = pipelineOn(connection);
      try {
        const result = await work(new SequelizeTransaction(sql));
        await sql.commit();
        manager.releaseConnection(connection);
        return result;
      } catch (error) {
        try {
          await sql.rollback();
          manager.releaseConnection(connection);
        } catch {
          await manager.destroyConnection(connection).catch(() => undefined);
        }
        throw storeError(error);
      }
    },
    async applyStepIfCurrent(instance: InstanceRecord, effects: Effect[], context: EffectContext, expectedRevision: number, writes?: ReadonlyArray<QueuedWrite>): Promise<boolean | undefined> {
      const statements = buildStepStatements(instance, await withResolvedTaskUsers(effects, lookupUsers), context, { guarded: true, expectedRevision });
      if (!writes || writes.length === 0) return runGuarded(statements);
      if (!statements || statements.length !== 1) return undefined;
      // BEGIN, the step (raising when its guard fails), the writes (each raising when stale), COMMIT: one round trip.
      const step = raisingStep(statements[0]);
      try {
        await withConnection(db, async (connection) => {
          // Held back until the commit: BEGIN, the step, the writes and COMMIT travel together.
          const sql = pipelineOn(connection);
          try {
            await sql.run(step.text, step.values);
            for (const write of writes) await sql.run(write.text, write.bind);
            await sql.commit();
          } catch (error) {
            await sql.rollback().catch(() => undefined);
            throw error;
          }
        });
      } catch (error) {
        throw storeError(error);
      }
      return true;
    },
    async applyStartIfLatest(instance: InstanceRecord, effects: Effect[], context: EffectContext, latestVersion: number): Promise<boolean | undefined> {
      return runGuarded(buildStepStatements(instance, await withResolvedTaskUsers(effects, lookupUsers), context, { guarded: true, latestVersion }));
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
      const rows = await sql.select('SELECT id, instance_id, at, actor, element_id, events FROM history WHERE instance_id = $1 ORDER BY id', [instanceId]);
      return historyEntries(rows as unknown as Parameters<typeof historyEntries>[0]);
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
    recordPassedDates: (kind, now, batchSize) => recordPassedDates(db, kind, now, batchSize),
    close: () => db.close(),
  };
}
