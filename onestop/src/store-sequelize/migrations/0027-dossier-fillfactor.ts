/**
 * Migration 0027, room for a dossier's updates on its own page: `dossiers` keeps 30 % of each
 * page free (fillfactor 70). A dossier row (~1.3 kB) is rewritten at every step of its
 * process; with full pages the new version went to another page, a non-HOT update that adds
 * an entry to each of the table's seven indexes (the GIN of `agencies` among them). With room
 * on its page the update stays HOT (no index touched; the dead versions are pruned on the
 * page). Only pages written from now on keep the room (no rewrite of the table).
 */
import type { QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/** Sets the fill factor; run by `migrate()`, never by hand. */
export const up: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query('ALTER TABLE dossiers SET (fillfactor = 70);');
};

/** Back to full pages; for reverting in development only. */
export const down: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query('ALTER TABLE dossiers RESET (fillfactor);');
};
