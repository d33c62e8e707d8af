/**
 * The dossier store over PostgreSQL (the embedded PGlite or a server): the only code with
 * SQL for dossiers, their history, the code counter, the personal-data read log and the
 * procedure catalogue (tables of migration 0016). Every statement goes through the
 * transaction handed in (see the port's contract), except citizen tracking's one statement,
 * which runs on its own on a connection of the database.
 */
import { iso, ms, type TransactionSql } from '../../../engine/src/index';
import { withConnection, type Database } from '../../../engine/src/store-sequelize/connect';
import { runBound, runPrepared, textsByCount, valueRows } from '../../../engine/src/store-sequelize/pipelined-sql';
import { NOT_TRACKED_EVENTS } from '../dossiers/dossier-events';
import type { Dossier } from '../dossiers/dossier';
import type { DossierEvent } from '../dossiers/dossier-events';
import type { Applicant, DossierDetails, DossierHistoryEntry, DossierOfInstance, DossierQuery, DossierRecord, DossierStore, DossierTracking, PersonalDataRead } from '../dossiers/dossier-store';
import type { ProcedureDocument, ProcedureRecord } from '../procedures/procedure';

type Row = Record<string, any>;

/** A time for a timestamptz parameter (SQL NULL when absent). */
const isoOrNull = (at: number | undefined): string | null => iso(at) ?? null;
/** A NOT NULL timestamptz column as epoch ms. */
const msOf = (value: unknown): number => ms(value)!;
const json = (value: unknown): any => (typeof value === 'string' ? JSON.parse(value) : value);
const localDate = (value: unknown): string | undefined => {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return `${value.getFullYear()}-${String(value.getMonth() + 1).padStart(2, '0')}-${String(value.getDate()).padStart(2, '0')}`;
  return String(value).slice(0, 10);
};

const COLUMNS = 'id, code, agency, agencies, procedure_code, procedure_version, definition_id, instance_id, submitted_by, applicant_user, tracking_hash, state, details, applicant, revision';

function toRecord(row: Row): DossierRecord {
  return {
    dossier: json(row.state) as Dossier & { code: string },
    agency: row.agency,
    agencies: row.agencies,
    procedureCode: row.procedure_code,
    procedureVersion: Number(row.procedure_version),
    ...(row.definition_id ? { definitionId: row.definition_id } : {}),
    ...(row.instance_id ? { instanceId: row.instance_id } : {}),
    submittedBy: row.submitted_by,
    ...(row.applicant_user ? { applicantUser: row.applicant_user } : {}),
    trackingHash: row.tracking_hash,
    details: json(row.details) as DossierDetails,
    applicant: json(row.applicant) as Applicant,
    revision: Number(row.revision),
  };
}

/**
 * The key under which the document column keeps the entry's `librarySource` (no column of its own,
 * to need no migration); never part of the document read back.
 */
const LIBRARY_SOURCE_KEY = '$librarySource';

function toProcedure(row: Row): ProcedureRecord {
  const from = localDate(row.effective_from_text ?? row.effective_from);
  const to = localDate(row.effective_to_text ?? row.effective_to);
  // "$schema" is an editor's hint of the library files, not catalogue content (entries saved before it was dropped may hold it).
  const { [LIBRARY_SOURCE_KEY]: librarySource, $schema: _hint, ...document } = json(row.document) as ProcedureDocument;
  return {
    code: row.code,
    document: document as ProcedureDocument,
    ...(typeof librarySource === 'string' ? { librarySource } : {}),
    ...(from ? { effectiveFrom: from } : {}),
    ...(to ? { effectiveTo: to } : {}),
    version: Number(row.version),
    updatedAt: msOf(row.updated_at),
    ...(row.updated_by ? { updatedBy: row.updated_by } : {}),
  };
}

const PROCEDURE_COLUMNS = "code, document, to_char(effective_from, 'YYYY-MM-DD') AS effective_from_text, to_char(effective_to, 'YYYY-MM-DD') AS effective_to_text, version, updated_at, updated_by";

// Statement texts built once (see textsByCount in pipelined-sql.ts: a text built per call is hashed per call).
const INSERT_DOSSIER = `INSERT INTO dossiers (${COLUMNS}, status, channel, submitted_at, appointment_at, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13::jsonb, $14::jsonb, $15, $16, $17, $18, $19, $20)`;
/** Inserts `count` status history rows, 7 values each. */
const appendHistoryText = textsByCount(
  (count) => `INSERT INTO dossier_status_history (dossier_id, at, actor, type, from_status, to_status, event) VALUES ${valueRows(count, ['?', '?::timestamptz', '?', '?', '?', '?', '?::jsonb'])}`,
);
const LOCK_BY_ID = `SELECT ${COLUMNS} FROM dossiers WHERE id = $1 FOR UPDATE`;
const OF_INSTANCES = "SELECT instance_id, id, code, status, (state->>'receivedAt') IS NOT NULL AS received FROM dossiers WHERE instance_id = ANY($1::text[])";
const LOCK_BY_INSTANCE = `SELECT ${COLUMNS} FROM dossiers WHERE instance_id = $1 FOR UPDATE`;
const BY_ID = `SELECT ${COLUMNS} FROM dossiers WHERE id = $1`;
const BY_CODE = `SELECT ${COLUMNS} FROM dossiers WHERE code = $1`;
const OF_APPLICANT = `SELECT ${COLUMNS} FROM dossiers WHERE applicant_user = $1 ORDER BY submitted_at DESC, id DESC LIMIT $2`;
const PROCEDURE = `SELECT ${PROCEDURE_COLUMNS} FROM procedures WHERE code = $1`;
const PROCEDURES_OF_AGENCY = `SELECT ${PROCEDURE_COLUMNS} FROM procedures WHERE agency = $1 ORDER BY code`;
const PROCEDURES = `SELECT ${PROCEDURE_COLUMNS} FROM procedures ORDER BY code`;

/**
 * Citizen tracking in one statement ($1 the code, $2 the event types left out): the dossier's
 * public fields (only the keys its state has, as the state has them), its tracking hash, the
 * procedure's catalogue name, and its history rows' public keys, oldest first. Indexes:
 * dossiers_code_key, dossier_status_history_dossier_idx, procedures' primary key.
 */
const TRACKING_SQL = `SELECT d.tracking_hash, d.procedure_code,
  (SELECT jsonb_object_agg(e.key, e.value) FROM jsonb_each(d.state) e WHERE e.key IN ('code', 'status', 'channel', 'submittedAt', 'receivedAt', 'appointmentAt', 'late')) AS facts,
  d.details -> 'currentStep' AS current_step,
  (SELECT p.document -> 'name' FROM procedures p WHERE p.code = d.procedure_code) AS procedure_name,
  (SELECT jsonb_agg((SELECT jsonb_object_agg(e.key, e.value) FROM jsonb_each(h.event) e WHERE e.key IN ('at', 'type', 'from', 'to')) ORDER BY h.id)
     FROM dossier_status_history h WHERE h.dossier_id = d.id AND h.type <> ALL ($2::text[])) AS history
FROM dossiers d WHERE d.code = $1`;

const LEFT_OUT_OF_TRACKING = [...NOT_TRACKED_EVENTS];

function toTracking(row: Row): DossierTracking {
  const step = json(row.current_step) as DossierDetails['currentStep'] | null;
  const name = json(row.procedure_name) as { vi: string; en: string } | null;
  return {
    trackingHash: row.tracking_hash,
    dossier: (json(row.facts) ?? {}) as DossierTracking['dossier'],
    procedureCode: row.procedure_code,
    ...(name ? { procedureName: name } : {}),
    ...(step ? { currentStep: step } : {}),
    history: (json(row.history) ?? []) as DossierTracking['history'],
  };
}

/**
 * The dossier store of one database (stateless: every call names its transaction). `db` is
 * the database tracking's statement runs on outside any transaction (absent: no tracking).
 */
export function createSequelizeDossierStore(db?: Database): DossierStore {
  return {
    async tracking(code) {
      if (!db) throw new Error('this dossier store was opened without its database: tracking needs it (createSequelizeDossierStore(db))');
      const database = db;
      const values = [code, LEFT_OUT_OF_TRACKING];
      // On a server, pg's extended protocol (a named statement, values bound); on the embedded database, PREPARE/EXECUTE (see pipelined-sql.ts).
      const rows = await withConnection(database, (connection) => (database.embedded ? runPrepared(connection, TRACKING_SQL, values) : runBound(connection, TRACKING_SQL, values)));
      return rows[0] ? toTracking(rows[0]) : undefined;
    },

    async nextSequence(tx, agency, day) {
      const rows = await tx.select(
        'INSERT INTO dossier_code_counters (agency, day, last) VALUES ($1, $2::date, 1) ON CONFLICT (agency, day) DO UPDATE SET last = dossier_code_counters.last + 1 RETURNING last',
        [agency, day],
      );
      return Number(rows[0].last);
    },

    async receiptSequence(tx, agency, day, procedureCode) {
      const rows = await tx.select(
        `INSERT INTO dossier_code_counters (agency, day, last) VALUES ($1, $2::date, 1) ON CONFLICT (agency, day) DO UPDATE SET last = dossier_code_counters.last + 1
         RETURNING last, (SELECT version FROM procedures WHERE code = $3) AS procedure_version`,
        [agency, day, procedureCode],
      );
      const version = rows[0].procedure_version;
      return { sequence: Number(rows[0].last), procedureVersion: version === null || version === undefined ? undefined : Number(version) };
    },

    async insert(tx, record, at) {
      await tx.run(
        INSERT_DOSSIER,
        [
          record.dossier.id,
          record.dossier.code,
          record.agency,
          record.agencies,
          record.procedureCode,
          record.procedureVersion,
          record.definitionId ?? null,
          record.instanceId ?? null,
          record.submittedBy,
          record.applicantUser ?? null,
          record.trackingHash,
          JSON.stringify(record.dossier),
          JSON.stringify(record.details),
          JSON.stringify(record.applicant),
          record.revision,
          record.dossier.status,
          record.dossier.channel,
          isoOrNull(record.dossier.submittedAt),
          isoOrNull(record.dossier.appointmentAt),
          isoOrNull(at),
        ],
      );
    },

    async update(tx, record, at, options) {
      const next = { ...record, revision: record.revision + 1 };
      // Guarded by the revision it was computed from (motcua_expect raises 40001 when the row moved on).
      // A state the caller knows unchanged is sent as NULL and kept (a task step: no JSON to write, send and parse again).
      await tx.run(
        `WITH u AS (UPDATE dossiers SET state = COALESCE($2::jsonb, state), details = $3::jsonb, agencies = $4, instance_id = $5, definition_id = $6, status = $7, appointment_at = $8,
           revision = $9, updated_at = $10 WHERE id = $1 AND revision = $11 RETURNING 1) SELECT motcua_expect(count(*), 1, 'the dossier') FROM u`,
        [record.dossier.id, options?.stateUnchanged ? null : JSON.stringify(record.dossier), JSON.stringify(record.details), record.agencies, record.instanceId ?? null, record.definitionId ?? null, record.dossier.status, isoOrNull(record.dossier.appointmentAt), next.revision, isoOrNull(at), record.revision],
      );
      return next;
    },

    async lockIfCurrent(tx, id, revision) {
      await tx.run(`WITH l AS (SELECT 1 FROM dossiers WHERE id = $1 AND revision = $2 FOR UPDATE) SELECT motcua_expect(count(*), 1, 'the dossier') FROM l`, [id, revision]);
    },

    async lockById(tx, id) {
      const rows = await tx.select(LOCK_BY_ID, [id]);
      return rows[0] ? toRecord(rows[0]) : undefined;
    },

    async lockByInstance(tx, instanceId) {
      const rows = await tx.select(LOCK_BY_INSTANCE, [instanceId]);
      return rows[0] ? toRecord(rows[0]) : undefined;
    },

    async lockForStep(tx, instanceId, taskIds) {
      const [rows, heads, tasks] = await tx.selectEach([
        { text: LOCK_BY_INSTANCE, bind: [instanceId] },
        // A statement of its own, after the lock: it sees what the lock's previous holder appended.
        { text: 'SELECT e.seq, e.hash FROM audit_entries e WHERE e.dossier_id = (SELECT id FROM dossiers WHERE instance_id = $1) ORDER BY e.seq DESC LIMIT 1', bind: [instanceId] },
        ...(taskIds.length > 0 ? [{ text: 'SELECT id, element_id, candidate_groups, assignee FROM tasks WHERE id = ANY($1::text[])', bind: [[...taskIds]] }] : []),
      ]);
      if (!rows[0]) return undefined;
      return {
        record: toRecord(rows[0]),
        auditHead: heads[0] ? { sequence: Number(heads[0].seq), hash: heads[0].hash } : null,
        tasks: (tasks ?? []).map((t) => ({ id: t.id, elementId: t.element_id, candidateGroups: t.candidate_groups ?? [], ...(t.assignee ? { assignee: t.assignee } : {}) })),
      };
    },

    async byId(tx, id) {
      const rows = await tx.select(BY_ID, [id]);
      return rows[0] ? toRecord(rows[0]) : undefined;
    },

    async ofInstances(tx, instanceIds) {
      if (instanceIds.length === 0) return [];
      const rows = await tx.select(OF_INSTANCES, [instanceIds]);
      return rows.map((row) => ({ instanceId: String(row.instance_id), id: String(row.id), code: String(row.code), status: row.status as DossierOfInstance['status'], received: row.received === true }));
    },

    async byCode(tx, code) {
      const rows = await tx.select(BY_CODE, [code]);
      return rows[0] ? toRecord(rows[0]) : undefined;
    },

    async list(tx, query: DossierQuery) {
      const where = ['(agency = $1 OR agencies @> ARRAY[$1]::text[])'];
      const bind: unknown[] = [query.agency];
      if (query.status) where.push(`status = $${bind.push(query.status)}`);
      if (query.procedureCode) where.push(`procedure_code = $${bind.push(query.procedureCode)}`);
      if (query.code) where.push(`code = $${bind.push(query.code)}`);
      if (query.before) where.push(`(submitted_at, id) < ($${bind.push(isoOrNull(query.before.submittedAt))}::timestamptz, $${bind.push(query.before.id)})`);
      const rows = await tx.select(`SELECT ${COLUMNS} FROM dossiers WHERE ${where.join(' AND ')} ORDER BY submitted_at DESC, id DESC LIMIT $${bind.push(query.limit)}`, bind);
      return rows.map(toRecord);
    },

    async listOfApplicant(tx, applicantUser, limit) {
      const rows = await tx.select(OF_APPLICANT, [applicantUser, limit]);
      return rows.map(toRecord);
    },

    async warningCandidates(tx, options) {
      const rows = await tx.select(
        `SELECT ${COLUMNS} FROM dossiers
          WHERE (status = 'submitted' AND channel = 'online') OR status = 'supplement-requested' OR (status IN ('received', 'processing', 'supplemented') AND appointment_at <= $1)
          ORDER BY submitted_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [isoOrNull(options.appointmentBefore), options.limit],
      );
      return rows.map(toRecord);
    },

    async appendHistory(tx, events: readonly DossierEvent[]) {
      if (events.length === 0) return;
      // One statement for the events of a change (a receipt has two), their ids in their order.
      const bind: unknown[] = [];
      for (const event of events) bind.push(event.dossierId, isoOrNull(event.at), event.actor, event.type, event.from, event.to, JSON.stringify(event));
      await tx.run(appendHistoryText(events.length), bind);
    },

    async history(tx, dossierId): Promise<DossierHistoryEntry[]> {
      const rows = await tx.select('SELECT id, event FROM dossier_status_history WHERE dossier_id = $1 ORDER BY id', [dossierId]);
      return rows.map((row) => ({ id: Number(row.id), event: json(row.event) as DossierEvent }));
    },

    async logPersonalDataRead(tx, read: PersonalDataRead) {
      await tx.run('INSERT INTO personal_data_reads (dossier_id, at, reader, reader_agency, purpose) VALUES ($1, $2, $3, $4, $5)', [read.dossierId, isoOrNull(read.at), read.reader, read.readerAgency ?? null, read.purpose]);
    },

    async personalDataReads(tx, dossierId) {
      const rows = await tx.select('SELECT dossier_id, at, reader, reader_agency, purpose FROM personal_data_reads WHERE dossier_id = $1 ORDER BY id', [dossierId]);
      return rows.map((row) => ({ dossierId: row.dossier_id, at: msOf(row.at), reader: row.reader, ...(row.reader_agency ? { readerAgency: row.reader_agency } : {}), purpose: row.purpose }));
    },

    async saveProcedure(tx, procedure) {
      const d = procedure.document;
      await tx.run(
        `INSERT INTO procedures (code, national_codes, agency, level, process_id, online_level, effective_from, effective_to, document, version, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7::date, $8::date, $9::jsonb, $10, $11, $12)
         ON CONFLICT (code) DO UPDATE SET national_codes = EXCLUDED.national_codes, agency = EXCLUDED.agency, level = EXCLUDED.level, process_id = EXCLUDED.process_id,
           online_level = EXCLUDED.online_level, effective_from = EXCLUDED.effective_from, effective_to = EXCLUDED.effective_to, document = EXCLUDED.document,
           version = EXCLUDED.version, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
        [
          procedure.code,
          d.nationalCode,
          d.competentAgency.agency,
          d.competentAgency.level,
          d.processId,
          d.onlineLevel,
          procedure.effectiveFrom ?? null,
          procedure.effectiveTo ?? null,
          JSON.stringify(procedure.librarySource ? { ...d, [LIBRARY_SOURCE_KEY]: procedure.librarySource } : d),
          procedure.version,
          isoOrNull(procedure.updatedAt),
          procedure.updatedBy ?? null,
        ],
      );
    },

    async procedure(tx, code) {
      const rows = await tx.select(PROCEDURE, [code]);
      return rows[0] ? toProcedure(rows[0]) : undefined;
    },

    async procedures(tx, filter = {}) {
      const rows = filter.agency
        ? await tx.select(PROCEDURES_OF_AGENCY, [filter.agency])
        : await tx.select(PROCEDURES);
      return rows.map(toProcedure);
    },
  };
}
