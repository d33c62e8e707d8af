/**
 * The Camunda REST facade's numeric keys on PostgreSQL (the port: `store/v2-key-store.ts`,
 * table `v2_keys`, migration 0023). Outside any transaction: a key once given stays, even
 * when the request that showed it fails later.
 */
import { QueryTypes } from 'sequelize';
import type { Database } from '../../../engine/src/store-sequelize/connect';
import type { V2KeyStore } from '../store/v2-key-store';

type Row = { key: string | number; id: string };

export function createSequelizeV2KeyStore(db: Database): V2KeyStore {
  const { sequelize } = db;
  const select = async (text: string, bind: unknown[]): Promise<Row[]> => (await sequelize.query(text, { bind, type: QueryTypes.SELECT })) as Row[];
  return {
    async keysOf(kind, ids) {
      if (ids.length === 0) return [];
      const unique = [...new Set(ids)];
      // Insert the missing ones, then read all: a row a concurrent request inserted is read by the second statement.
      await select('INSERT INTO v2_keys (kind, id) SELECT $1, x FROM unnest($2::text[]) AS x ORDER BY x ON CONFLICT (kind, id) DO NOTHING RETURNING key, id', [kind, unique]);
      const rows = await select('SELECT key::text AS key, id FROM v2_keys WHERE kind = $1 AND id = ANY($2::text[])', [kind, unique]);
      const byId = new Map(rows.map((r) => [r.id, String(r.key)]));
      return ids.map((id) => byId.get(id)!);
    },
    async idOf(kind, key) {
      if (!/^[0-9]{1,18}$/.test(key)) return undefined;
      const rows = await select('SELECT id FROM v2_keys WHERE kind = $1 AND key = $2::bigint', [kind, key]);
      return rows[0]?.id;
    },
  };
}
