/**
 * Migration 0009: what keeps agencies apart on every write path.
 *
 *  - `definitions.agency`: the agency a version belongs to (its process's
 *    `motcua:facts agency`, else its process id's owner), written at deploy, so that
 *    "the instances of agency X" is a join on a column, never a recompiled XML.
 *  - `process_owners`: a process id belongs to the agency that first deployed it
 *    (written in the deploy transaction, under the deploy's advisory lock, so two
 *    agencies deploying one new id at once get one owner).
 *  - `process_analysts`: the analysts an owning agency lets deploy new versions of
 *    one of its process ids.
 *  - `buffered_messages.agency`: the agency that published a buffered message; only
 *    instances of that agency take it.
 *  - `users.token_version`: bumped by a password change or a disabling; tokens carry
 *    the version they were issued at, and an older one is refused.
 *
 * Existing rows: the deploys are replayed in order (see `up`), each definition's agency
 * read from its XML (its process facts).
 *
 * Distribution (Citus): process_owners and process_analysts are small reference tables.
 */
import { QueryTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';
import { loadProcessModels } from '../../model';

const UP = `
ALTER TABLE definitions ADD COLUMN agency text;
CREATE INDEX definitions_agency_idx ON definitions (agency);

CREATE TABLE process_owners (
  process_id text PRIMARY KEY,
  agency text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text
);

CREATE TABLE process_analysts (
  process_id text NOT NULL,
  user_id text NOT NULL,
  agency text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text,
  PRIMARY KEY (process_id, user_id)
);
CREATE INDEX process_analysts_user_idx ON process_analysts (user_id);

ALTER TABLE buffered_messages ADD COLUMN agency text;

ALTER TABLE users ADD COLUMN token_version integer NOT NULL DEFAULT 0;
`;

const DOWN = `
ALTER TABLE users DROP COLUMN IF EXISTS token_version;
ALTER TABLE buffered_messages DROP COLUMN IF EXISTS agency;
DROP TABLE IF EXISTS process_analysts;
DROP TABLE IF EXISTS process_owners;
DROP INDEX IF EXISTS definitions_agency_idx;
ALTER TABLE definitions DROP COLUMN IF EXISTS agency;
`;

/** The `motcua:facts agency` of a stored definition's process, or undefined (also when its XML no longer compiles). */
async function agencyInXml(xml: string, processId: string): Promise<string | undefined> {
  try {
    const { graphs } = await loadProcessModels(xml, { maxBytes: Number.MAX_SAFE_INTEGER, knownProcessIds: () => true });
    return graphs.find((graph) => graph.processId === processId)?.facts?.agency;
  } catch {
    return undefined;
  }
}

/**
 * Adds the columns and tables, then fills them for the rows deployed before, replaying
 * the deploys in order as the engine now records them: a version's agency is its model's,
 * else its process id's owner's, else its deploying agency admin's; the first version
 * with an agency makes that agency the owner. Run by `migrate()`.
 */
export const up: MigrationFn<QueryInterface> = async ({ context }) => {
  const { sequelize } = context;
  await sequelize.query(UP);
  const owners = new Map<string, string>();
  // A page at a time: definitions carry their whole XML.
  let after: [string, number] = ['', 0];
  for (;;) {
    const rows = await sequelize.query<{ id: string; process_id: string; version: number; xml: string; created_at: Date; created_by: string | null; deployer_agency: string | null }>(
      `SELECT d.id, d.process_id, d.version, d.xml, d.created_at, dep.created_by,
              (SELECT u.agency FROM users u WHERE u.id = dep.created_by AND 'agency-admin' = ANY (u.roles)) AS deployer_agency
         FROM definitions d JOIN deployments dep ON dep.id = d.deployment_id
        WHERE (d.process_id, d.version) > ($1, $2)
        ORDER BY d.process_id, d.version LIMIT 50`,
      { bind: after, type: QueryTypes.SELECT },
    );
    if (rows.length === 0) break;
    for (const row of rows) {
      const owner = owners.get(row.process_id);
      const agency = (await agencyInXml(row.xml, row.process_id)) ?? owner ?? row.deployer_agency ?? undefined;
      if (agency === undefined) continue;
      await sequelize.query('UPDATE definitions SET agency = $2 WHERE id = $1', { bind: [row.id, agency] });
      if (owner === undefined) {
        owners.set(row.process_id, agency);
        await sequelize.query('INSERT INTO process_owners (process_id, agency, created_at, created_by) VALUES ($1, $2, $3, $4)', {
          bind: [row.process_id, agency, row.created_at, row.created_by],
        });
      }
    }
    const last = rows[rows.length - 1];
    after = [last.process_id, last.version];
  }
};

/** Drops them (development only; ownership and grants are lost). */
export const down: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query(DOWN);
};
