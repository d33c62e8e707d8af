/**
 * The service accounts of external job workers on PostgreSQL (the port:
 * `auth/service-accounts.ts`). Every method is one statement, outside any transaction.
 */
import { QueryTypes } from 'sequelize';
import type { Database } from '../../../engine/src/store-sequelize/connect';
import { ms } from '../../../engine/src/store-sequelize/rows';
import type { ServiceAccountRecord, ServiceAccountStore } from '../auth/service-accounts';

type Row = Record<string, any>;


function toAccount(row: Row): ServiceAccountRecord {
  return {
    id: row.id,
    name: row.name,
    agency: row.agency,
    secretHash: row.secret_hash,
    createdAt: ms(row.created_at)!,
    createdBy: row.created_by ?? undefined,
    revokedAt: ms(row.revoked_at),
    revokedBy: row.revoked_by ?? undefined,
  };
}

export function createSequelizeServiceAccountStore(db: Database): ServiceAccountStore {
  const { sequelize } = db;
  const select = async (text: string, bind: unknown[]): Promise<Row[]> => (await sequelize.query(text, { bind, type: QueryTypes.SELECT })) as Row[];
  return {
    async create(account) {
      const rows = await select(
        'INSERT INTO service_accounts (id, name, agency, secret_hash, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *',
        [account.id, account.name, account.agency, account.secretHash, new Date(account.createdAt), account.createdBy ?? null],
      );
      return toAccount(rows[0]);
    },
    async byId(id) {
      const rows = await select('SELECT * FROM service_accounts WHERE id = $1', [id]);
      return rows[0] && toAccount(rows[0]);
    },
    async list(filter = {}) {
      const rows = await select('SELECT * FROM service_accounts WHERE ($1::text IS NULL OR agency = $1) ORDER BY created_at, id', [filter.agency ?? null]);
      return rows.map(toAccount);
    },
    async revoke(id, options) {
      const rows = await select('UPDATE service_accounts SET revoked_at = coalesce(revoked_at, $2), revoked_by = coalesce(revoked_by, $3) WHERE id = $1 RETURNING *', [
        id,
        new Date(options.at),
        options.by ?? null,
      ]);
      return rows[0] && toAccount(rows[0]);
    },
  };
}
