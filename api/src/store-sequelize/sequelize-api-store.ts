/**
 * The API store on PostgreSQL: lists with keyset pagination, forms, idempotency keys.
 *
 * Every method is one statement outside any transaction (one statement is its
 * own transaction), so nothing here can wait behind a forgotten transaction on
 * the embedded database.
 */
import { QueryTypes } from 'sequelize';
import {
  decodeCursor,
  encodeCursor,
  type ApiStore,
  type DeploymentSummary,
  type FormRecord,
  type IdempotencyRecord,
  type InstanceSummary,
  type Page,
  type ProcessAnalystGrant,
} from '../store/api-store';
import type { Database } from '../../../engine/src/store-sequelize/connect';
import { ms, opt, SUMMARY_COLUMNS, toDefinitionSummary, toIncident, type Row } from '../../../engine/src/store-sequelize/rows';


/** Collects bind parameters while a statement is built. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown, cast = ''): string {
    this.values.push(value);
    return `$${this.values.length}${cast}`;
  }
}

function page<T>(rows: T[], limit: number, cursorOf: (last: T) => Array<string | number | null>): Page<T> {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? encodeCursor(cursorOf(items[items.length - 1])) : undefined };
}

function toDeployment(row: Row): DeploymentSummary {
  return {
    id: row.id,
    name: opt(row.name),
    resourceName: opt(row.resource_name),
    createdAt: ms(row.created_at)!,
    createdBy: opt(row.created_by),
    definitions: (row.definitions ?? []).map((d: Row) => ({ id: d.id, processId: d.process_id, version: d.version })),
    forms: row.forms ?? [],
  };
}

function toInstanceSummary(row: Row): InstanceSummary {
  return {
    id: row.id,
    definitionId: row.definition_id,
    processId: row.process_id,
    version: row.version,
    businessKey: opt(row.business_key),
    status: row.status,
    parentInstanceId: opt(row.parent_instance_id),
    parentWaitId: opt(row.parent_wait_id),
    startedAt: ms(row.started_at)!,
    endedAt: ms(row.ended_at),
  };
}

function toForm(row: Row): FormRecord {
  return { deploymentId: row.deployment_id, formKey: row.form_key, kind: row.kind, schema: row.schema, schemaHash: row.schema_hash, createdAt: ms(row.created_at)! };
}

function toGrant(row: Row): ProcessAnalystGrant {
  return { processId: row.process_id, userId: row.user_id, agency: row.agency, grantedAt: ms(row.created_at)!, grantedBy: opt(row.created_by) };
}

const DEPLOYMENT_COLUMNS = `d.*,
  (SELECT json_agg(json_build_object('id', f.id, 'process_id', f.process_id, 'version', f.version) ORDER BY f.process_id)
     FROM definitions f WHERE f.deployment_id = d.id) AS definitions,
  (SELECT array_agg(fm.form_key ORDER BY fm.form_key) FROM forms fm WHERE fm.deployment_id = d.id) AS forms`;

const DEFINITION_COLUMNS = SUMMARY_COLUMNS;

/** Creates the API store over an open, migrated database. */
export function createSequelizeApiStore(db: Database): ApiStore {
  const { sequelize } = db;
  const select = async (sql: string, bind: unknown[] = []): Promise<Row[]> =>
    (await sequelize.query(sql, { bind, type: QueryTypes.SELECT })) as Row[];

  return {
    async ping() {
      const rows = await select(`SELECT current_setting('server_version') AS version`);
      return { serverVersion: String(rows[0]?.version ?? '') };
    },

    async deployments(query) {
      const p = new Params();
      let where = '';
      if (query.cursor !== undefined) {
        const [at, id] = decodeCursor(query.cursor, 'ns');
        const t = p.add(new Date(at as number), '::timestamptz');
        where = `WHERE (d.created_at < ${t} OR (d.created_at = ${t} AND d.id < ${p.add(id)}))`;
      }
      const rows = await select(`SELECT ${DEPLOYMENT_COLUMNS} FROM deployments d ${where} ORDER BY d.created_at DESC, d.id DESC LIMIT ${p.add(query.limit + 1)}`, p.values);
      return page(rows.map(toDeployment), query.limit, (last) => [last.createdAt, last.id]);
    },

    async deployment(id) {
      const rows = await select(`SELECT ${DEPLOYMENT_COLUMNS} FROM deployments d WHERE d.id = $1`, [id]);
      return rows[0] && toDeployment(rows[0]);
    },

    async definitions(query) {
      const p = new Params();
      const where: string[] = [];
      if (query.processId !== undefined) where.push(`process_id = ${p.add(query.processId)}`);
      const latest = query.latest ?? true;
      if (latest) {
        let after = '';
        if (query.cursor !== undefined) after = `WHERE process_id > ${p.add(decodeCursor(query.cursor, 's')[0])}`;
        const rows = await select(
          `SELECT * FROM (
             SELECT DISTINCT ON (process_id) ${DEFINITION_COLUMNS} FROM definitions ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
             ORDER BY process_id, version DESC) latest
           ${after} ORDER BY process_id LIMIT ${p.add(query.limit + 1)}`,
          p.values,
        );
        return page(rows.map(toDefinitionSummary), query.limit, (last) => [last.processId]);
      }
      if (query.cursor !== undefined) {
        const [processId, version] = decodeCursor(query.cursor, 'sn');
        const pid = p.add(processId);
        where.push(`(process_id > ${pid} OR (process_id = ${pid} AND version < ${p.add(version)}))`);
      }
      const rows = await select(
        `SELECT ${DEFINITION_COLUMNS} FROM definitions ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY process_id, version DESC LIMIT ${p.add(query.limit + 1)}`,
        p.values,
      );
      return page(rows.map(toDefinitionSummary), query.limit, (last) => [last.processId, last.version]);
    },

    async definition(id) {
      const rows = await select('SELECT * FROM definitions WHERE id = $1', [id]);
      const row = rows[0];
      return row && { ...toDefinitionSummary(row), xml: row.xml as string };
    },

    async processOwner(processId) {
      const rows = await select('SELECT * FROM process_owners WHERE process_id = $1', [processId]);
      const row = rows[0];
      return row && { processId: row.process_id, agency: row.agency, createdAt: ms(row.created_at)!, createdBy: opt(row.created_by) };
    },

    async processAnalysts(processId) {
      return (await select('SELECT * FROM process_analysts WHERE process_id = $1 ORDER BY user_id', [processId])).map(toGrant);
    },

    async grantProcessAnalyst(grant) {
      // One statement: insert, or (on a concurrent or repeated grant) return the stored row.
      const rows = await select(
        `WITH inserted AS (
           INSERT INTO process_analysts (process_id, user_id, agency, created_at, created_by) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (process_id, user_id) DO NOTHING RETURNING *)
         SELECT * FROM inserted UNION ALL SELECT * FROM process_analysts WHERE process_id = $1 AND user_id = $2 LIMIT 1`,
        [grant.processId, grant.userId, grant.agency, new Date(grant.grantedAt), grant.grantedBy ?? null],
      );
      return toGrant(rows[0]);
    },

    async revokeProcessAnalyst(processId, userId) {
      return (await select('DELETE FROM process_analysts WHERE process_id = $1 AND user_id = $2 RETURNING user_id', [processId, userId])).length > 0;
    },

    async analystGrants(userId) {
      return (await select('SELECT * FROM process_analysts WHERE user_id = $1 ORDER BY process_id', [userId])).map(toGrant);
    },

    async instances(query) {
      const p = new Params();
      const where: string[] = [];
      if (query.processId !== undefined) where.push(`i.process_id = ${p.add(query.processId)}`);
      if (query.status !== undefined) where.push(`i.status = ${p.add(query.status)}`);
      if (query.businessKey !== undefined) where.push(`i.business_key = ${p.add(query.businessKey)}`);
      const visible: string[] = [];
      if (query.visibleTo?.agency !== undefined) {
        const agency = p.add(query.visibleTo.agency);
        visible.push(`d.agency = ${agency}`, `EXISTS (SELECT 1 FROM tasks t WHERE t.instance_id = i.id AND t.agency = ${agency})`);
      }
      if (query.visibleTo?.startedBy !== undefined) {
        visible.push(`EXISTS (SELECT 1 FROM history h WHERE h.instance_id = i.id AND h.type = 'instanceStarted' AND h.actor = ${p.add(query.visibleTo.startedBy)})`);
      }
      if (query.visibleTo && visible.length === 0) where.push('FALSE');
      else if (visible.length > 0) where.push(`(${visible.join(' OR ')})`);
      if (query.cursor !== undefined) {
        const [at, id] = decodeCursor(query.cursor, 'ns');
        const t = p.add(new Date(at as number), '::timestamptz');
        where.push(`(i.started_at < ${t} OR (i.started_at = ${t} AND i.id < ${p.add(id)}))`);
      }
      const rows = await select(
        `SELECT i.id, i.definition_id, i.process_id, i.business_key, i.status, i.parent_instance_id, i.parent_wait_id, i.started_at, i.ended_at, d.version
         FROM instances i JOIN definitions d ON d.id = i.definition_id
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY i.started_at DESC, i.id DESC LIMIT ${p.add(query.limit + 1)}`,
        p.values,
      );
      return page(rows.map(toInstanceSummary), query.limit, (last) => [last.startedAt, last.id]);
    },

    async instanceAccess(instanceId) {
      const rows = await select(
        `SELECT (SELECT array_agg(DISTINCT agency ORDER BY agency) FROM tasks WHERE instance_id = $1 AND agency IS NOT NULL) AS agencies,
                (SELECT actor FROM history WHERE instance_id = $1 AND type = 'instanceStarted' ORDER BY id LIMIT 1) AS started_by,
                (SELECT d.agency FROM instances i JOIN definitions d ON d.id = i.definition_id WHERE i.id = $1) AS procedure_agency`,
        [instanceId],
      );
      return { procedureAgency: opt(rows[0]?.procedure_agency ?? null), taskAgencies: rows[0]?.agencies ?? [], startedBy: opt(rows[0]?.started_by ?? null) };
    },

    async incidents(query) {
      const p = new Params();
      const where: string[] = [];
      if (query.state !== undefined) where.push(`state = ${p.add(query.state)}`);
      if (query.instanceId !== undefined) where.push(`instance_id = ${p.add(query.instanceId)}`);
      if (query.visibleTo !== undefined) {
        const agencies = p.add(query.visibleTo.agencies, '::text[]');
        where.push(
          `(EXISTS (SELECT 1 FROM tasks t WHERE t.instance_id = incidents.instance_id AND t.agency = ANY(${agencies}))
            OR EXISTS (SELECT 1 FROM instances i JOIN definitions d ON d.id = i.definition_id WHERE i.id = incidents.instance_id AND d.agency = ANY(${agencies})))`,
        );
      }
      if (query.cursor !== undefined) {
        const [at, id] = decodeCursor(query.cursor, 'ns');
        const t = p.add(new Date(at as number), '::timestamptz');
        where.push(`(created_at < ${t} OR (created_at = ${t} AND id < ${p.add(id)}))`);
      }
      const rows = await select(
        `SELECT * FROM incidents ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT ${p.add(query.limit + 1)}`,
        p.values,
      );
      return page(rows.map(toIncident), query.limit, (last) => [last.createdAt, last.id]);
    },

    async incident(id) {
      const rows = await select('SELECT * FROM incidents WHERE id = $1', [id]);
      return rows[0] && toIncident(rows[0]);
    },

    async saveForms(tx, deploymentId, forms, now) {
      if (forms.length === 0) return;
      const p = new Params();
      const at = p.add(new Date(now), '::timestamptz');
      const values = forms.map((f) => `(${p.add(deploymentId)}, ${p.add(f.formKey)}, ${p.add(f.kind)}, ${p.add(JSON.stringify(f.schema), '::json')}, ${p.add(f.schemaHash)}, ${at})`);
      // No ON CONFLICT: a deployment's forms are written once, in its deploy transaction.
      await tx.sql.run(`INSERT INTO forms (deployment_id, form_key, kind, schema, schema_hash, created_at) VALUES ${values.join(', ')}`, p.values);
    },

    async formOfDefinition(definitionId, formKey) {
      // Its own deployment's form first; else the latest Camunda form of that id up to the definition.
      const rows = await select(
        `SELECT f.* FROM definitions d JOIN forms f ON f.form_key = $2
           AND (f.deployment_id = d.deployment_id OR (f.kind = 'camunda-form' AND f.created_at <= d.created_at))
         WHERE d.id = $1
         ORDER BY (f.deployment_id = d.deployment_id) DESC, f.created_at DESC, f.deployment_id DESC LIMIT 1`,
        [definitionId, formKey],
      );
      return rows[0] && toForm(rows[0]);
    },

    async latestCamundaForm(formId) {
      const rows = await select(
        `SELECT * FROM forms WHERE form_key = $1 AND kind = 'camunda-form' ORDER BY created_at DESC, deployment_id DESC LIMIT 1`,
        [formId],
      );
      return rows[0] && toForm(rows[0]);
    },

    async forms(deploymentId) {
      const rows = await select('SELECT * FROM forms WHERE deployment_id = $1 ORDER BY form_key', [deploymentId]);
      return rows.map(toForm);
    },

    async reserveIdempotencyKey(key, scope, requestHash, now, lease) {
      // A new key is inserted; an existing one is taken over only when it holds no answer,
      // was reserved for the same request, and its lease has run out (or it has none).
      // ON CONFLICT locks the row, so of concurrent takeovers exactly one updates it.
      const taken = await select(
        `INSERT INTO idempotency_keys AS k (key, scope, response, created_at, owner, lease_until)
         VALUES ($1, $2, $3::jsonb, $4::timestamptz, $5, now() + $6::integer * interval '1 millisecond')
         ON CONFLICT (key) DO UPDATE SET scope = EXCLUDED.scope, created_at = EXCLUDED.created_at, owner = EXCLUDED.owner, lease_until = EXCLUDED.lease_until
           WHERE k.response->'response' IS NULL AND k.response->>'requestHash' = $7 AND (k.lease_until IS NULL OR k.lease_until < now())
         RETURNING key`,
        [key, scope, JSON.stringify({ requestHash }), new Date(now), lease.owner, Math.ceil(lease.ms), requestHash],
      );
      if (taken.length > 0) return { reserved: true };
      const rows = await select(
        `SELECT response, GREATEST(0, CEIL(EXTRACT(EPOCH FROM (lease_until - now())) * 1000))::float8 AS lease_left FROM idempotency_keys WHERE key = $1`,
        [key],
      );
      // Released between the two statements: report it as in progress; the client retries.
      const record = (rows[0]?.response as IdempotencyRecord | undefined) ?? { requestHash };
      return { reserved: false, record, leaseLeftMs: record.response ? 0 : Number(rows[0]?.lease_left ?? 0) };
    },

    async renewIdempotencyKey(key, lease) {
      const rows = await select(
        `UPDATE idempotency_keys SET lease_until = now() + $3::integer * interval '1 millisecond'
         WHERE key = $1 AND owner = $2 AND response->'response' IS NULL RETURNING key`,
        [key, lease.owner, Math.ceil(lease.ms)],
      );
      return rows.length > 0;
    },

    async saveIdempotentResponse(key, owner, record) {
      const rows = await select('UPDATE idempotency_keys SET response = $3::jsonb, lease_until = NULL WHERE key = $1 AND owner = $2 RETURNING key', [key, owner, JSON.stringify(record)]);
      return rows.length > 0;
    },

    async releaseIdempotencyKey(key, owner) {
      await select('DELETE FROM idempotency_keys WHERE key = $1 AND owner = $2 AND response->\'response\' IS NULL RETURNING key', [key, owner]);
    },

    async purgeIdempotencyKeys(before) {
      const rows = await select('DELETE FROM idempotency_keys WHERE created_at < $1::timestamptz RETURNING key', [new Date(before)]);
      return rows.length;
    },
  };
}
