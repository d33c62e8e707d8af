/**
 * Migration 0006: a history row holds every event of one command, not one event.
 *
 * Before: one row per effect, about eight per command on the reference procedure
 * (`elementActivated`, `flowTaken`, … each with its own heap tuple, three index
 * entries, a jsonb value to convert and its WAL). Those rows were 60 % of the WAL
 * an engine command wrote and half of PostgreSQL's CPU per command (BENCHMARKS.md).
 *
 * After: `events` (json, an array of `{type, ...}` in the order they happened)
 * replaces `data`: one row per command (one transaction, one actor, one time), so
 * a row reads as "who did what, when, and everything that followed from it".
 * `type` and `element_id` are those of the first event: what the command was
 * (`instanceStarted`, `taskCompleted`, `timerFired`, `taskClaimed`, …). `push` says
 * that some event of the row is one the live inboxes hear about (`taskOpened`, …,
 * `incidentRaised`); `history_push_idx` now covers those rows, and a push position
 * is (tx, id, place of the event in the row).
 *
 * `json`, not `jsonb`: history is written far more often than it is searched, and
 * json is stored as sent (no conversion on write, no re-serialisation on read).
 *
 * The primary key becomes (instance_id, id), which also serves "the history of an
 * instance in order"; the index on id alone goes (nothing looks a row up by id
 * only, and the push feed has its own (tx, id) index).
 *
 * Existing rows become one-event rows with the same id and tx, so push event ids
 * handed out before the migration (`<tx>-<id>`) still name the same place.
 *
 * `history_events` is a view with one row per event, for people and reports
 * reading the database (`SELECT … FROM history_events WHERE type = 'taskClaimed'`).
 */
import type { QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';
import { PUSH_HISTORY_TYPES } from './0003-push';

/** Migration 0003's push types: the rows that become `push`, and its index on the way down. */
const typeList = PUSH_HISTORY_TYPES.map((t) => `'${t}'`).join(', ');

const UP = `
ALTER TABLE history ADD COLUMN events json;
UPDATE history SET events = json_build_array(jsonb_build_object('type', type) || coalesce(data, '{}'::jsonb));
ALTER TABLE history ALTER COLUMN events SET NOT NULL;
ALTER TABLE history DROP COLUMN data;
ALTER TABLE history ADD COLUMN push boolean NOT NULL DEFAULT false;
UPDATE history SET push = true WHERE type IN (${typeList});
DROP INDEX history_push_idx;
CREATE INDEX history_push_idx ON history (tx, id) WHERE push;

ALTER TABLE history DROP CONSTRAINT history_pkey;
DROP INDEX history_instance_id_idx;
ALTER TABLE history ADD CONSTRAINT history_pkey PRIMARY KEY (instance_id, id);

CREATE VIEW history_events AS
SELECT h.id AS history_id, (e.n - 1)::int AS seq, h.instance_id, h.tx, h.at, h.actor,
       e.event ->> 'type' AS type, e.event AS data
FROM history h
CROSS JOIN LATERAL json_array_elements(h.events) WITH ORDINALITY AS e(event, n);
`;

/** Back to one row per event; the second and later events of a row get new ids (after every existing one, in order). */
const DOWN = `
DROP VIEW history_events;
ALTER TABLE history ADD COLUMN data jsonb;
UPDATE history SET data = (events -> 0)::jsonb - 'type';
SELECT setval(pg_get_serial_sequence('history', 'id'), greatest((SELECT max(id) FROM history), 1));
INSERT INTO history (instance_id, tx, at, actor, type, element_id, events, push, data)
SELECT h.instance_id, h.tx, h.at, h.actor, e.event ->> 'type',
       coalesce(e.event ->> 'elementId', e.event #>> '{task,elementId}', e.event #>> '{job,elementId}', e.event #>> '{timer,elementId}',
                e.event #>> '{subscription,elementId}', e.event #>> '{incident,elementId}', e.event #>> '{request,elementId}'),
       '[]'::json, false, e.event::jsonb - 'type'
FROM history h
CROSS JOIN LATERAL json_array_elements(h.events) WITH ORDINALITY AS e(event, n)
WHERE e.n > 1
ORDER BY h.id, e.n;
ALTER TABLE history DROP COLUMN events;
DROP INDEX history_push_idx;
ALTER TABLE history DROP COLUMN push;
CREATE INDEX history_push_idx ON history (tx, id) WHERE type IN (${typeList});
ALTER TABLE history DROP CONSTRAINT history_pkey;
ALTER TABLE history ADD CONSTRAINT history_pkey PRIMARY KEY (id);
CREATE INDEX history_instance_id_idx ON history (instance_id, id);
`;

/** Turns one-event history rows into rows of a command's events; run by `migrate()`, never by hand. */
export const up: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query(UP);
};

/** Back to one row per event; for reverting in development only. */
export const down: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query(DOWN);
};
