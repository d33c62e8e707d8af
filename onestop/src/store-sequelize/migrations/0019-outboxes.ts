/**
 * Migration 0019, outboxes: what must leave the system because a dossier changed (notices
 * to the applicant, records for the national portal), written in the transaction of the
 * change and sent afterwards by a sender loop, so nothing is lost across restarts.
 *
 *  - `outbox`: one row per message, `channel` `notice` (an email to the applicant) or `portal`
 *    (a record + progress step for the national public service portal). A sender claims due
 *    rows (`FOR UPDATE SKIP LOCKED`, a lease in `claimed_until`, a fresh `claim_token`), sends,
 *    then marks `sent_at`; a failure sets `last_error` and the next try (`next_at`, back-off).
 *    Rows of one dossier and channel are sent in `id` order (a row waits for the earlier ones).
 *  - `portal_settings`: the editable local → portal status mapping (absent: the bundled one).
 */
import type { QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

const UP = `
CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  channel text NOT NULL,
  dossier_id text NOT NULL,
  agency text NOT NULL,
  kind text NOT NULL,
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  next_at timestamptz NOT NULL,
  claimed_until timestamptz,
  claim_token text,
  sent_at timestamptz,
  last_error text
);
CREATE INDEX outbox_due_idx ON outbox (channel, next_at) WHERE sent_at IS NULL;
CREATE INDEX outbox_dossier_idx ON outbox (channel, dossier_id, id) WHERE sent_at IS NULL;
CREATE TABLE portal_settings (
  name text PRIMARY KEY,
  document jsonb NOT NULL,
  version integer NOT NULL,
  updated_at timestamptz NOT NULL,
  updated_by text
);
`;

/** Creates the tables; run by `migrate()`, never by hand. */
export const up: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query(UP);
};

/** Drops them; for reverting in development only. */
export const down: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query('DROP TABLE IF EXISTS portal_settings, outbox;');
};
