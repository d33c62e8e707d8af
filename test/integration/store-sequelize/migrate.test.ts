/**
 * Migrations of every layer (engine, onestop, api: one sequence by name) on both databases: they apply, a second run applies nothing, the tables
 * have the expected columns and indexes, and (real PostgreSQL) two nodes migrating the
 * same schema at once do not get in each other's way.
 */
import { QueryTypes } from 'sequelize';
import { openDatabase, type Database } from '../../../engine/src/store-sequelize/connect';
import { appliedMigrations, migrate, migrateDown } from '../../../engine/src/store-sequelize/migrate';
import { MIGRATION_FOLDERS } from '../../../api/src/migrations';
import { openTestDatabase, requirePostgres, testDatabases } from '../../support/databases';

/** Steps down from the latest migration to just before `name` (whatever migrations follow it). */
const stepsBefore = (name: string) => MIGRATIONS.length - MIGRATIONS.indexOf(name);
const MIGRATIONS = ['0001-engine-tables', '0002-users', '0003-push', '0004-api-tables', '0005-drop-unused-task-indexes', '0006-history-per-command', '0007-partial-indexes', '0008-instance-state-json', '0009-agency-isolation', '0011-idempotency-leases', '0012-history-events-jsonb', '0013-continuation-jobs', '0014-modeler-drafts', '0015-working-time', '0016-dossiers', '0017-audit', '0018-statistics', '0019-outboxes', '0020-camunda-forms', '0021-job-activation-keys', '0022-service-accounts', '0023-v2-keys', '0024-incident-cause', '0025-statistics-counters', '0026-guarded-writes', '0027-dossier-fillfactor', '0028-audit-seal-horizon', '0029-forms-keep-field-order'];
const UNTIL_BEFORE_0006 = stepsBefore('0006-history-per-command');

const EXPECTED_COLUMNS: Record<string, string[]> = {
  deployments: ['id', 'name', 'resource_name', 'created_at', 'created_by'],
  definitions: [
    'id', 'process_id', 'version', 'version_tag', 'name', 'deployment_id', 'xml', 'xml_hash', 'facts', 'created_at', 'agency',
  ],
  instances: [
    'id', 'definition_id', 'process_id', 'business_key', 'status', 'state', 'parent_instance_id', 'parent_wait_id',
    'revision', 'started_at', 'ended_at', 'updated_at',
  ],
  tasks: [
    'id', 'instance_id', 'definition_id', 'process_id', 'element_id', 'element_instance_key', 'name', 'assignee',
    'candidate_groups', 'candidate_users', 'agency', 'state', 'due_at', 'follow_up_at', 'form_key', 'facts',
    'created_at', 'completed_at', 'completed_by', 'overdue_reported_at', 'follow_up_reported_at', // 0015
  ],
  jobs: [
    'id', 'instance_id', 'definition_id', 'element_id', 'element_instance_key', 'kind', 'job_type', 'retries', 'due_at',
    'lock_owner', 'lock_expires_at', 'error_message', 'headers', 'variables', 'payload', 'created_at',
    'activation_key', // 0021
  ],
  message_subscriptions: [
    'id', 'instance_id', 'definition_id', 'element_id', 'message_name', 'correlation_key', 'created_at',
  ],
  signal_subscriptions: ['id', 'instance_id', 'definition_id', 'element_id', 'signal_name', 'created_at'],
  buffered_messages: ['id', 'message_name', 'correlation_key', 'variables', 'message_id', 'expires_at', 'created_at', 'agency'],
  incidents: [
    'id', 'instance_id', 'element_id', 'element_instance_key', 'kind', 'message', 'job_id', 'state', 'created_at',
    'resolved_at',
    'cause', // 0024
  ],
  history: ['id', 'instance_id', 'at', 'actor', 'type', 'element_id', 'tx', 'events', 'push'],
  history_events: ['history_id', 'seq', 'instance_id', 'tx', 'at', 'actor', 'type', 'data'], // a view (0006)
  idempotency_keys: ['key', 'scope', 'response', 'created_at', 'owner', 'lease_until'],
  users: ['id', 'username', 'password_hash', 'name', 'roles', 'agency', 'groups', 'disabled', 'created_at', 'token_version'],
  process_owners: ['process_id', 'agency', 'created_at', 'created_by'], // 0009
  process_analysts: ['process_id', 'user_id', 'agency', 'created_at', 'created_by'], // 0009
  secrets: ['name', 'value', 'created_at'],
  socket_io_attachments: ['id', 'created_at', 'payload'],
  forms: ['deployment_id', 'form_key', 'kind', 'schema', 'schema_hash', 'created_at'], // kind: 0020 (api)
  task_comments: ['id', 'task_id', 'instance_id', 'author', 'body', 'created_at'],
  modeler_drafts: ['owner_id', 'id', 'name', 'process_id', 'xml', 'created_at', 'updated_at'],
  calendar_data: ['kind', 'key', 'data', 'updated_at', 'updated_by'], // 0015
  calendar_changes: ['id', 'at', 'actor', 'kind', 'key', 'before', 'after', 'recomputed_tasks'], // 0015
  procedures: ['code', 'national_codes', 'agency', 'level', 'process_id', 'online_level', 'effective_from', 'effective_to', 'document', 'version', 'updated_at', 'updated_by'], // 0016
  dossiers: [
    'id', 'code', 'agency', 'agencies', 'procedure_code', 'procedure_version', 'definition_id', 'instance_id', 'status', 'channel', 'submitted_at',
    'appointment_at', 'submitted_by', 'applicant_user', 'tracking_hash', 'state', 'details', 'applicant', 'revision', 'updated_at',
  ], // 0016
  dossier_status_history: ['id', 'dossier_id', 'at', 'actor', 'type', 'from_status', 'to_status', 'event'], // 0016
  dossier_code_counters: ['agency', 'day', 'last'], // 0016
  personal_data_reads: ['id', 'dossier_id', 'at', 'reader', 'reader_agency', 'purpose'], // 0016
  outbox: ['id', 'channel', 'dossier_id', 'agency', 'kind', 'payload', 'created_at', 'attempts', 'next_at', 'claimed_until', 'claim_token', 'sent_at', 'last_error'], // 0019
  portal_settings: ['name', 'document', 'version', 'updated_at', 'updated_by'], // 0019
  audit_entries: ['id', 'dossier_id', 'seq', 'at', 'actor', 'type', 'content', 'prev_hash', 'hash', 'tx'], // 0017, tx: 0028
  audit_seals: ['seq', 'at', 'heads', 'prev_hash', 'hash', 'horizon'], // 0017, horizon: 0028
  audit_sealed_heads: ['dossier_id', 'seq'], // 0017
  dossier_statistics: [
    'dossier_id', 'code', 'agency', 'province', 'procedure_code', 'official', 'channel', 'status', 'submitted_at', 'received_at', 'counted_at', 'finished_at', 'due_766_at', 'legal_due_at',
    'measure_end_at', 'forced_late_766', 'redated', 'supplement_requests', 'timeliness_766', 'timeliness_legal', 'working_days', 'fee', 'paid_online', 'e_result', 'digitised_inputs',
  ], // 0018
  dossier_statistics_counters: [
    'scope', 'province', 'grain', 'period', 'procedure_code', 'stripe', 'dossiers', 'received', 'online', 'desk', 'post', 'online_e', 'f766_early', 'f766_on_time', 'f766_late',
    'flegal_early', 'flegal_on_time', 'flegal_late', 'in_progress', 'with_supplement', 'supplement_requests', 'refused', 'rejected', 'stopped', 'withdrawn', 'timed', 'working_millidays',
    'fee_bearing', 'fee_paid_online', 'with_result', 'e_result', 'digitised',
  ], // 0025
  dossier_statistics_days: ['province', 'grain', 'period', 'centidays', 'stripe', 'dossiers'], // 0025
  service_accounts: ['id', 'name', 'agency', 'secret_hash', 'created_at', 'created_by', 'revoked_at', 'revoked_by'], // 0022 (api)
  v2_keys: ['key', 'kind', 'id'], // 0023 (api)
};

async function columnsOf(db: Database): Promise<Record<string, Record<string, { type: string; nullable: boolean }>>> {
  const rows = await db.sequelize.query<{ table_name: string; column_name: string; udt_name: string; is_nullable: string }>(
    `SELECT table_name, column_name, udt_name, is_nullable FROM information_schema.columns WHERE table_schema = :schema`,
    { type: QueryTypes.SELECT, replacements: { schema: db.schema } },
  );
  const tables: Record<string, Record<string, { type: string; nullable: boolean }>> = {};
  for (const row of rows) {
    (tables[row.table_name] ??= {})[row.column_name] = { type: row.udt_name, nullable: row.is_nullable === 'YES' };
  }
  return tables;
}

describe.each(testDatabases())('migrations on $name', (target) => {
  let db: Database | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  test('apply once; a second run applies nothing', async () => {
    db = await openTestDatabase(target.name, { migrate: false });
    expect(await appliedMigrations(db, MIGRATION_FOLDERS)).toEqual([]);
    expect(await migrate(db, MIGRATION_FOLDERS)).toEqual(MIGRATIONS);
    expect(await migrate(db, MIGRATION_FOLDERS)).toEqual([]);
    expect(await appliedMigrations(db, MIGRATION_FOLDERS)).toEqual(MIGRATIONS);
  });

  test('create the tables with the expected columns and indexes', async () => {
    db = await openTestDatabase(target.name);
    const tables = await columnsOf(db);
    const { schema_migrations: bookkeeping, ...engineTables } = tables;
    expect(bookkeeping).toBeDefined();
    expect(Object.keys(engineTables).sort()).toEqual(Object.keys(EXPECTED_COLUMNS).sort());
    for (const [table, columns] of Object.entries(EXPECTED_COLUMNS)) {
      expect({ table, columns: Object.keys(tables[table]).sort() }).toEqual({ table, columns: [...columns].sort() });
    }
    expect(tables.tasks.candidate_groups).toEqual({ type: '_text', nullable: false });
    expect(tables.instances.state).toEqual({ type: 'json', nullable: false }); // 0008
    expect(tables.jobs.due_at).toEqual({ type: 'timestamptz', nullable: false });
    expect(tables.history.id.type).toBe('int8');
    expect(tables.history.events).toEqual({ type: 'json', nullable: false });
    expect(tables.audit_entries.tx).toEqual({ type: 'xid8', nullable: true }); // 0028: NULL for entries of before it
    expect(tables.audit_seals.horizon).toEqual({ type: 'xid8', nullable: true });
    expect(tables.forms.schema).toEqual({ type: 'json', nullable: false }); // 0029: the fields' order as deployed

    const indexes = await db.sequelize.query<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = :schema`,
      { type: QueryTypes.SELECT, replacements: { schema: db.schema } },
    );
    const byName = new Map(indexes.map((i) => [i.indexname, i.indexdef]));
    expect(byName.has('tasks_open_candidate_groups_idx')).toBe(false); // dropped by 0005: the inbox never used it
    expect(byName.get('tasks_agency_state_due_idx')).toMatch(/\(agency, state, due_at\)/);
    expect(byName.get('tasks_open_assignee_due_idx')).toMatch(/\(assignee, due_at\) WHERE .*assignee IS NOT NULL/); // 0007
    expect(byName.get('instances_business_key_idx')).toMatch(/WHERE \(?business_key IS NOT NULL/); // 0007
    expect(byName.get('definitions_process_version_desc_idx')).toMatch(/\(process_id, version DESC\)/);
    expect(byName.get('forms_camunda_latest_idx')).toMatch(/\(form_key, created_at DESC\) WHERE .*camunda-form/); // 0020 (api)
    expect(byName.get('audit_entries_tx_idx')).toMatch(/\(tx\)/); // 0028
    expect(byName.has('definitions_process_version_key')).toBe(true);
    expect(byName.has('buffered_messages_message_id_key')).toBe(true);
  });

  test('0006 keeps old one-event rows (ids and tx) as rows of events; down splits rows back into one row per event', async () => {
    db = await openTestDatabase(target.name);
    await migrateDown(db, UNTIL_BEFORE_0006, MIGRATION_FOLDERS);
    const insert = (id: number, type: string, elementId: string | null, data: object) =>
      db!.sequelize.query(`INSERT INTO history (id, instance_id, tx, at, actor, type, element_id, data) VALUES ($1, 'i-1', '7', '2026-11-24T01:00:00Z', 'desk', $2, $3, $4)`, {
        bind: [id, type, elementId, JSON.stringify(data)],
      });
    await insert(41, 'taskClaimed', 'review', { taskId: 't-1', assignee: 'desk' });
    await insert(42, 'flowTaken', null, { flowId: 'f1' });
    await migrate(db, MIGRATION_FOLDERS);

    const rows = await db.sequelize.query<Record<string, unknown>>('SELECT id, tx::text AS tx, type, element_id, events FROM history ORDER BY id', { type: QueryTypes.SELECT });
    expect(rows).toEqual([
      { id: '41', tx: '7', type: 'taskClaimed', element_id: 'review', events: [{ type: 'taskClaimed', taskId: 't-1', assignee: 'desk' }] },
      { id: '42', tx: '7', type: 'flowTaken', element_id: null, events: [{ type: 'flowTaken', flowId: 'f1' }] },
    ]);
    // A row of two events, as the engine writes them now, and the per-event view.
    await db.sequelize.query(
      `INSERT INTO history (id, instance_id, at, type, element_id, events) VALUES (43, 'i-1', now(), 'elementCompleted', 'review', $1)`,
      { bind: [JSON.stringify([{ type: 'elementCompleted', elementId: 'review', key: 2 }, { type: 'flowTaken', flowId: 'f2' }])] },
    );
    const events = await db.sequelize.query<Record<string, unknown>>(`SELECT history_id, seq, type, data ->> 'flowId' AS flow FROM history_events ORDER BY history_id, seq`, { type: QueryTypes.SELECT });
    expect(events).toEqual([
      { history_id: '41', seq: 0, type: 'taskClaimed', flow: null },
      { history_id: '42', seq: 0, type: 'flowTaken', flow: 'f1' },
      { history_id: '43', seq: 0, type: 'elementCompleted', flow: null },
      { history_id: '43', seq: 1, type: 'flowTaken', flow: 'f2' },
    ]);

    await migrateDown(db, UNTIL_BEFORE_0006, MIGRATION_FOLDERS);
    const back = await db.sequelize.query<Record<string, unknown>>('SELECT type, element_id, data FROM history ORDER BY id', { type: QueryTypes.SELECT });
    expect(back).toEqual([
      { type: 'taskClaimed', element_id: 'review', data: { taskId: 't-1', assignee: 'desk' } },
      { type: 'flowTaken', element_id: null, data: { flowId: 'f1' } },
      { type: 'elementCompleted', element_id: 'review', data: { elementId: 'review', key: 2 } },
      { type: 'flowTaken', element_id: null, data: { flowId: 'f2' } },
    ]);
  });

  test('0009 finds the agency of every version deployed before it, and the owner of every process id', async () => {
    db = await openTestDatabase(target.name);
    await migrateDown(db, MIGRATIONS.length - MIGRATIONS.indexOf('0009-agency-isolation'), MIGRATION_FOLDERS); // 0009 and what came after it
    const q = (sql: string, bind: unknown[] = []) => db!.sequelize.query(sql, { bind });
    const xml = (id: string, agency?: string) =>
      `<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:motcua="http://motcua.vn/schema/bpmn/1.0" id="d" targetNamespace="t">
         <bpmn:process id="${id}" isExecutable="true">${agency ? `<bpmn:extensionElements><motcua:facts agency="${agency}" /></bpmn:extensionElements>` : ''}
           <bpmn:startEvent id="s" /><bpmn:endEvent id="e" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e" /></bpmn:process></bpmn:definitions>`;
    await q(`INSERT INTO users (id, username, password_hash, roles, agency) VALUES ('adm', 'adm', 'h', '{agency-admin}', 'H30'), ('ana', 'ana', 'h', '{analyst}', NULL)`);
    await q(`INSERT INTO deployments (id, created_by) VALUES ('d1', 'ana'), ('d2', 'adm'), ('d3', 'adm'), ('d4', 'ana')`);
    const definition = (id: string, processId: string, version: number, deployment: string, agency?: string) =>
      q('INSERT INTO definitions (id, process_id, version, deployment_id, xml, xml_hash) VALUES ($1, $2, $3, $4, $5, $1)', [id, processId, version, deployment, xml(processId, agency)]);
    await definition('facts:1', 'facts', 1, 'd1', 'H29'); // the model names its agency
    await definition('facts:2', 'facts', 2, 'd2'); // a later version without: the owner's
    await definition('plain:1', 'plain', 1, 'd3'); // no facts, deployed by an agency admin: its agency
    await definition('nobody:1', 'nobody', 1, 'd4'); // no facts, deployed by an analyst: none
    await q(`INSERT INTO definitions (id, process_id, version, deployment_id, xml, xml_hash) VALUES ('broken:1', 'broken', 1, 'd4', '<not-bpmn/>', 'x')`);

    expect(await migrate(db, MIGRATION_FOLDERS)).toEqual(MIGRATIONS.slice(MIGRATIONS.indexOf('0009-agency-isolation')));

    const [definitions] = await q('SELECT id, agency FROM definitions ORDER BY id');
    expect(definitions).toEqual([
      { id: 'broken:1', agency: null },
      { id: 'facts:1', agency: 'H29' },
      { id: 'facts:2', agency: 'H29' },
      { id: 'nobody:1', agency: null },
      { id: 'plain:1', agency: 'H30' },
    ]);
    const [owners] = await q('SELECT process_id, agency, created_by FROM process_owners ORDER BY process_id');
    expect(owners).toEqual([
      { process_id: 'facts', agency: 'H29', created_by: 'ana' },
      { process_id: 'plain', agency: 'H30', created_by: 'adm' },
    ]);
  });

  test('down reverts, up re-applies', async () => {
    db = await openTestDatabase(target.name);
    expect(await migrateDown(db, MIGRATIONS.length, MIGRATION_FOLDERS)).toEqual([...MIGRATIONS].reverse());
    expect(Object.keys(await columnsOf(db))).toEqual(['schema_migrations']);
    expect(await migrate(db, MIGRATION_FOLDERS)).toEqual(MIGRATIONS);
  });

  if (!target.embedded) {
    test('two nodes migrating one schema at once: one applies, the other finds nothing to do', async () => {
      db = await openTestDatabase(target.name, { migrate: false });
      const nodes = await Promise.all([1, 2, 3].map(() => openDatabase({ url: target.url, schema: db!.schema })));
      try {
        const results = await Promise.all(nodes.map((node) => migrate(node, MIGRATION_FOLDERS)));
        expect(results.map((r) => r.length).sort()).toEqual([0, 0, MIGRATIONS.length]);
        expect(await appliedMigrations(db, MIGRATION_FOLDERS)).toEqual(MIGRATIONS);
      } finally {
        await Promise.all(nodes.map((node) => node.close()));
      }
    });

    test('two nodes creating a fresh schema at once do not collide', async () => {
      requirePostgres();
      const schema = `t_${Date.now().toString(36)}_${Math.floor(Math.random() * 0xffffff).toString(16)}`;
      const nodes = await Promise.all([1, 2, 3, 4].map(() => openDatabase({ url: target.url, schema })));
      try {
        const results = await Promise.all(nodes.map((node) => migrate(node, MIGRATION_FOLDERS)));
        expect(results.flat()).toEqual(MIGRATIONS);
      } finally {
        await nodes[0].sequelize.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await Promise.all(nodes.map((node) => node.close()));
      }
    });
  }

  if (target.embedded) {
    test('a later Database does not inherit the search_path an earlier one left in the shared session', async () => {
      const earlier = await openTestDatabase(target.name, { migrate: false });
      await earlier.close();
      const later = await openDatabase({ url: target.url, embedded: true });
      try {
        const [{ schema }] = await later.sequelize.query<{ schema: string }>('SELECT current_schema() AS schema', {
          type: QueryTypes.SELECT,
        });
        expect(schema).toBe('public');
      } finally {
        await later.close();
      }
    });

    test('refuses a second schema on the same embedded server in one process', async () => {
      db = await openTestDatabase(target.name, { migrate: false });
      await expect(openDatabase({ url: target.url, embedded: true, schema: 'other_schema' })).rejects.toThrow(/single session/);
    });
  }
});
