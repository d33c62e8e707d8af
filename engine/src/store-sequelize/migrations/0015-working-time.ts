/**
 * Migration 0015, working time: the working-calendar data an administrator loads
 * (a year's schedule, an agency's own hours), the record of every change, and the
 * marker of the follow-up (warning before due) report of a task.
 *
 *  - `calendar_data`: one row per (kind, key), e.g. ('year', '2027') or
 *    ('agency', '000.00.15.H29'), holding the JSON in force; rows override the
 *    bundled data at start.
 *  - `calendar_changes`: append-only; who changed what when, the data before and
 *    after, and how many open task due dates were recomputed.
 *  - `tasks.follow_up_reported_at`: set once, with the `taskFollowUp` history row,
 *    by the scanner that reports overdue tasks (api/src/push/overdue.ts), as
 *    `overdue_reported_at` is for `taskOverdue`.
 */
import type { QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

const UP = `
CREATE TABLE calendar_data (
  kind text NOT NULL CONSTRAINT calendar_data_kind_check CHECK (kind IN ('year', 'agency')),
  key text NOT NULL,
  data jsonb NOT NULL,
  updated_at timestamptz NOT NULL,
  updated_by text,
  PRIMARY KEY (kind, key)
);
CREATE TABLE calendar_changes (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL,
  actor text,
  kind text NOT NULL,
  key text NOT NULL,
  before jsonb,
  after jsonb NOT NULL,
  recomputed_tasks integer NOT NULL DEFAULT 0
);
ALTER TABLE tasks ADD COLUMN follow_up_reported_at timestamptz;
CREATE INDEX tasks_open_follow_up_unreported_idx ON tasks (follow_up_at) WHERE state = 'open' AND follow_up_reported_at IS NULL AND follow_up_at IS NOT NULL;
`;

/** Creates the tables and the column; run by `migrate()`, never by hand. */
export const up: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query(UP);
};

/** Drops them; for reverting in development only. */
export const down: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query(
    'DROP INDEX IF EXISTS tasks_open_follow_up_unreported_idx; ALTER TABLE tasks DROP COLUMN IF EXISTS follow_up_reported_at; DROP TABLE IF EXISTS calendar_changes; DROP TABLE IF EXISTS calendar_data;',
  );
};
