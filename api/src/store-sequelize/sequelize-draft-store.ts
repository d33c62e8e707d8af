/** The modeler drafts port over PostgreSQL (`modeler_drafts`, migration 0014). */
import { QueryTypes } from 'sequelize';
import type { Database } from '../../../engine/src/store-sequelize/connect';
import { ms } from '../../../engine/src/store-sequelize/rows';
import type { DraftRecord, DraftStore, DraftSummary } from '../store/draft-store';

type Row = Record<string, unknown>;

const SUMMARY = 'id, name, process_id, created_at, updated_at';

function toSummary(row: Row): DraftSummary {
  const summary: DraftSummary = { id: String(row.id), createdAt: ms(row.created_at)!, updatedAt: ms(row.updated_at)! };
  if (row.name !== null && row.name !== undefined) summary.name = String(row.name);
  if (row.process_id !== null && row.process_id !== undefined) summary.processId = String(row.process_id);
  return summary;
}

/** Creates the drafts store on a database. */
export function createSequelizeDraftStore(db: Database): DraftStore {
  const { sequelize } = db;
  const select = async (sql: string, bind: unknown[]): Promise<Row[]> => (await sequelize.query(sql, { bind, type: QueryTypes.SELECT })) as Row[];

  return {
    async list(ownerId) {
      const rows = await select(`SELECT ${SUMMARY} FROM modeler_drafts WHERE owner_id = $1 ORDER BY updated_at DESC, id`, [ownerId]);
      return rows.map(toSummary);
    },

    async get(ownerId, id) {
      const rows = await select(`SELECT ${SUMMARY}, xml FROM modeler_drafts WHERE owner_id = $1 AND id = $2`, [ownerId, id]);
      const row = rows[0];
      return row && ({ ...toSummary(row), xml: String(row.xml) } as DraftRecord);
    },

    async save(ownerId, draft, now, maxDrafts) {
      // One statement: replace an existing draft, or insert while the owner keeps fewer than maxDrafts.
      const at = new Date(now).toISOString();
      const rows = await select(
        `WITH updated AS (
           UPDATE modeler_drafts SET name = $3, process_id = $4, xml = $5, updated_at = $6::timestamptz
           WHERE owner_id = $1 AND id = $2
           RETURNING ${SUMMARY}
         ), inserted AS (
           INSERT INTO modeler_drafts (owner_id, id, name, process_id, xml, created_at, updated_at)
           SELECT $1, $2, $3, $4, $5, $6::timestamptz, $6::timestamptz
           WHERE NOT EXISTS (SELECT 1 FROM updated)
             AND (SELECT count(*) FROM modeler_drafts WHERE owner_id = $1) < $7
           ON CONFLICT (owner_id, id) DO UPDATE SET name = EXCLUDED.name, process_id = EXCLUDED.process_id, xml = EXCLUDED.xml, updated_at = EXCLUDED.updated_at
           RETURNING ${SUMMARY}
         )
         SELECT * FROM updated UNION ALL SELECT * FROM inserted`,
        [ownerId, draft.id, draft.name ?? null, draft.processId ?? null, draft.xml, at, maxDrafts],
      );
      return rows[0] ? { saved: true, draft: toSummary(rows[0]) } : { saved: false };
    },

    async delete(ownerId, id) {
      const rows = await select('DELETE FROM modeler_drafts WHERE owner_id = $1 AND id = $2 RETURNING id', [ownerId, id]);
      return rows.length > 0;
    },
  };
}
