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
 * Existing rows: each definition's agency is read from its XML (its process facts),
 * else the agency of the agency admin who deployed it; each process id's owner is the
 * agency of its earliest version that has one; versions still without an agency then
 * take their owner's.
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

const BACKFILL_FROM_DEPLOYERS = `
UPDATE definitions d SET agency = u.agency
  FROM deployments dep JOIN users u ON u.id = dep.created_by
 WHERE d.agency IS NULL AND dep.id = d.deployment_id AND u.agency IS NOT NULL AND 'agency-admin' = ANY (u.roles);

INSERT INTO process_owners (process_id, agency, created_at, created_by)
SELECT DISTINCT ON (d.process_id) d.process_id, d.agency, d.created_at, dep.created_by
  FROM definitions d JOIN deployments dep ON dep.id = d.deployment_id
 WHERE d.agency IS NOT NULL
 ORDER BY d.process_id, d.version;

UPDATE definitions d SET agency = o.agency FROM process_owners o WHERE d.agency IS NULL AND o.process_id = d.process_id;
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

/** Adds the columns and tables, then fills them for the rows deployed before; run by `migrate()`. */
export const up: MigrationFn<QueryInterface> = async ({ context }) => {
  const { sequelize } = context;
  await sequelize.query(UP);
  // A page at a time: definitions carry their whole XML.
  let after = '';
  for (;;) {
    const rows = await sequelize.query<{ id: string; process_id: string; xml: string }>(
      'SELECT id, process_id, xml FROM definitions WHERE id > $1 ORDER BY id LIMIT 50',
      { bind: [after], type: QueryTypes.SELECT },
    );
    if (rows.length === 0) break;
    for (const row of rows) {
      const agency = await agencyInXml(row.xml, row.process_id);
      if (agency !== undefined) await sequelize.query('UPDATE definitions SET agency = $2 WHERE id = $1', { bind: [row.id, agency] });
    }
    after = rows[rows.length - 1].id;
  }
  await sequelize.query(BACKFILL_FROM_DEPLOYERS);
};

/** Drops them (development only; ownership and grants are lost). */
export const down: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query(DOWN);
};
