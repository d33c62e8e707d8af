/**
 * Migration 0003: what the live inboxes (api/src/push) need.
 *
 *  - `history.tx`: the id of the transaction that wrote the row (`xid8`, never wraps).
 *    History ids (bigserial) are taken at INSERT, not at COMMIT, so a reader can see
 *    row 105 before row 104 commits and would skip 104 for good if it kept "the last
 *    id" as its cursor. The push feed reads only rows whose `tx` is below the oldest
 *    transaction still running (`pg_snapshot_xmin(pg_current_snapshot())`), ordered by
 *    `(tx, id)`: no row can appear later before that position, so `(tx, id)` is a
 *    cursor that never skips. Adding the column rewrites the table once; rows written
 *    before it share the migration's transaction id and keep their id order.
 *  - `history_push_idx`: a partial index over `(tx, id)` of the rows that become push
 *    events (task and incident facts: a small part of history), for the feed and for
 *    replays. Its type list must contain every type the feed reads; a new push type
 *    needs a migration that recreates it.
 *  - `tasks.overdue_reported_at`: set once, with the `taskOverdue` history row, by the
 *    overdue scanner; the conditional UPDATE on it is what keeps two API processes
 *    from reporting one task twice. A partial index finds the open, unreported tasks.
 *  - `socket_io_attachments`: the table `@socket.io/postgres-adapter` keeps payloads
 *    too big for a NOTIFY in (DDL exactly as in the adapter's README).
 *
 * PostgreSQL 13+ (xid8, pg_current_xact_id); PGlite (PostgreSQL 18) accepts all of it.
 * Distribution (Citus), for later: transaction ids are per node, so a distributed
 * history would need one feed per shard group (e.g. per province) or a logical
 * replication slot instead of this cursor.
 */
import type { QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/** The history types of `history_push_idx` as this migration made it (0006 puts it back on the way down). */
export const PUSH_HISTORY_TYPES = [
  'taskOpened',
  'taskClaimed',
  'taskUnclaimed',
  'taskAssigned',
  'taskCommented',
  'taskCompleted',
  'taskCancelled',
  'taskOverdue',
  'incidentRaised',
] as const;

const typeList = PUSH_HISTORY_TYPES.map((t) => `'${t}'`).join(', ');

const UP = `
ALTER TABLE history ADD COLUMN tx xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX history_push_idx ON history (tx, id) WHERE type IN (${typeList});

ALTER TABLE tasks ADD COLUMN overdue_reported_at timestamptz;
CREATE INDEX tasks_open_due_unreported_idx ON tasks (due_at) WHERE state = 'open' AND overdue_reported_at IS NULL;

CREATE TABLE IF NOT EXISTS socket_io_attachments (
    id          bigserial UNIQUE,
    created_at  timestamptz DEFAULT NOW(),
    payload     bytea
);
`;

const DOWN = `
DROP TABLE IF EXISTS socket_io_attachments;
DROP INDEX IF EXISTS tasks_open_due_unreported_idx;
ALTER TABLE tasks DROP COLUMN IF EXISTS overdue_reported_at;
DROP INDEX IF EXISTS history_push_idx;
ALTER TABLE history DROP COLUMN IF EXISTS tx;
`;

/** Adds the push cursor column, the overdue marker and the adapter's table; run by `migrate()`. */
export const up: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query(UP);
};

/** Removes them (development only; the overdue markers are lost). */
export const down: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query(DOWN);
};
