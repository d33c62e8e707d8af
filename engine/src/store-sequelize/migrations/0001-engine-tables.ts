/**
 * Migration 0001: the engine's tables (deployments, definitions, instances, tasks,
 * jobs, subscriptions, buffered messages, incidents, history, idempotency keys).
 *
 * Plain SQL accepted by PostgreSQL 15 (the server) and PGlite (PostgreSQL 18). Nothing
 * is schema-qualified: the tables land in the first schema of the connection's
 * search_path, which `openDatabase` sets. `migrate()` runs every migration inside one
 * transaction, so a failure leaves nothing half-created.
 *
 * Distribution (Citus), for later; no sharding code here. Every table has a primary
 * key and the big tables carry the instance they belong to, so:
 *  - deployments, definitions, idempotency_keys: small, rarely written -> reference
 *    tables (replicated to every node); foreign keys from distributed tables to
 *    reference tables are allowed.
 *  - instances (by id) and tasks, jobs, incidents, history, message/signal
 *    subscriptions (by instance_id) -> distributed and co-located, so one command's
 *    transaction stays on one node. Citus wants the distribution column in every
 *    primary/unique key, so that step changes those keys to (instance_id, id) (or
 *    distributes everything by a province/agency column, the natural shard key of
 *    one-stop-shop dossiers), and rows with no instance (start timers, message start
 *    subscriptions, buffered messages) go to a reference/local table or get a key of
 *    their own. Queries should therefore always filter by instance where they can.
 */
import type { QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

const UP = `
CREATE TABLE deployments (
  id text PRIMARY KEY,
  name text,
  resource_name text,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text
);

CREATE TABLE definitions (
  id text PRIMARY KEY,
  process_id text NOT NULL,
  version integer NOT NULL,
  version_tag text,
  name text,
  deployment_id text NOT NULL REFERENCES deployments (id),
  xml text NOT NULL,
  xml_hash text NOT NULL,
  facts jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT definitions_process_version_key UNIQUE (process_id, version)
);
CREATE INDEX definitions_process_version_desc_idx ON definitions (process_id, version DESC);
CREATE INDEX definitions_xml_hash_idx ON definitions (xml_hash);

CREATE TABLE instances (
  id text PRIMARY KEY,
  definition_id text NOT NULL REFERENCES definitions (id),
  process_id text NOT NULL,
  business_key text,
  status text NOT NULL,
  state jsonb NOT NULL,
  parent_instance_id text,
  parent_wait_id text,
  revision integer NOT NULL DEFAULT 0,
  started_at timestamptz NOT NULL,
  ended_at timestamptz,
  updated_at timestamptz NOT NULL
);
CREATE INDEX instances_process_status_idx ON instances (process_id, status);
CREATE INDEX instances_business_key_idx ON instances (business_key);
CREATE INDEX instances_parent_idx ON instances (parent_instance_id, parent_wait_id);

CREATE TABLE tasks (
  id text PRIMARY KEY,
  instance_id text NOT NULL,
  definition_id text NOT NULL,
  process_id text NOT NULL,
  element_id text NOT NULL,
  element_instance_key integer,
  name text,
  assignee text,
  candidate_groups text[] NOT NULL DEFAULT '{}',
  candidate_users text[] NOT NULL DEFAULT '{}',
  agency text,
  state text NOT NULL CONSTRAINT tasks_state_check CHECK (state IN ('open', 'completed', 'cancelled')),
  due_at timestamptz,
  follow_up_at timestamptz,
  form_key text,
  facts jsonb,
  created_at timestamptz NOT NULL,
  completed_at timestamptz,
  completed_by text
);
-- Inbox queries: "assigned to me", "offered to my groups", "offered to me", per agency.
CREATE INDEX tasks_open_assignee_due_idx ON tasks (assignee, due_at) WHERE state = 'open';
CREATE INDEX tasks_open_candidate_groups_idx ON tasks USING gin (candidate_groups) WHERE state = 'open';
CREATE INDEX tasks_open_candidate_users_idx ON tasks USING gin (candidate_users) WHERE state = 'open';
CREATE INDEX tasks_instance_idx ON tasks (instance_id);
CREATE INDEX tasks_agency_state_due_idx ON tasks (agency, state, due_at);

CREATE TABLE jobs (
  id text PRIMARY KEY,
  instance_id text,
  definition_id text,
  element_id text NOT NULL,
  element_instance_key integer,
  kind text NOT NULL CONSTRAINT jobs_kind_check CHECK (kind IN ('task', 'timer', 'start-timer', 'signal')),
  job_type text NOT NULL,
  retries integer NOT NULL,
  due_at timestamptz NOT NULL,
  lock_owner text,
  lock_expires_at timestamptz,
  error_message text,
  headers jsonb NOT NULL DEFAULT '{}',
  variables jsonb NOT NULL DEFAULT '{}',
  payload jsonb,
  created_at timestamptz NOT NULL
);
CREATE INDEX jobs_due_idx ON jobs (due_at);
CREATE INDEX jobs_type_due_idx ON jobs (job_type, due_at);
CREATE INDEX jobs_instance_idx ON jobs (instance_id);

CREATE TABLE message_subscriptions (
  id text PRIMARY KEY,
  instance_id text, -- null for a message start event
  definition_id text NOT NULL,
  element_id text NOT NULL,
  message_name text NOT NULL,
  correlation_key text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX message_subscriptions_name_key_idx ON message_subscriptions (message_name, correlation_key);
CREATE INDEX message_subscriptions_instance_idx ON message_subscriptions (instance_id);

CREATE TABLE signal_subscriptions (
  id text PRIMARY KEY,
  instance_id text, -- null for a signal start event
  definition_id text NOT NULL,
  element_id text NOT NULL,
  signal_name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX signal_subscriptions_name_idx ON signal_subscriptions (signal_name);
CREATE INDEX signal_subscriptions_instance_idx ON signal_subscriptions (instance_id);

CREATE TABLE buffered_messages (
  id text PRIMARY KEY,
  message_name text NOT NULL,
  correlation_key text,
  variables jsonb NOT NULL DEFAULT '{}',
  message_id text CONSTRAINT buffered_messages_message_id_key UNIQUE, -- idempotency; nulls never collide
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX buffered_messages_name_key_idx ON buffered_messages (message_name, correlation_key);
CREATE INDEX buffered_messages_expires_idx ON buffered_messages (expires_at);

CREATE TABLE incidents (
  id text PRIMARY KEY,
  instance_id text,
  element_id text,
  element_instance_key integer,
  kind text NOT NULL,
  message text,
  job_id text,
  state text NOT NULL DEFAULT 'open' CONSTRAINT incidents_state_check CHECK (state IN ('open', 'resolved')),
  created_at timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz
);
CREATE INDEX incidents_state_created_idx ON incidents (state, created_at);
CREATE INDEX incidents_instance_idx ON incidents (instance_id);

CREATE TABLE history (
  id bigserial PRIMARY KEY,
  instance_id text NOT NULL,
  at timestamptz NOT NULL,
  actor text,
  type text NOT NULL,
  element_id text,
  data jsonb
);
CREATE INDEX history_instance_id_idx ON history (instance_id, id);

-- Used by the API: replayed requests with the same Idempotency-Key get the stored answer.
CREATE TABLE idempotency_keys (
  key text PRIMARY KEY,
  scope text,
  response jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
`;

const DOWN = `
DROP TABLE IF EXISTS idempotency_keys;
DROP TABLE IF EXISTS history;
DROP TABLE IF EXISTS incidents;
DROP TABLE IF EXISTS buffered_messages;
DROP TABLE IF EXISTS signal_subscriptions;
DROP TABLE IF EXISTS message_subscriptions;
DROP TABLE IF EXISTS jobs;
DROP TABLE IF EXISTS tasks;
DROP TABLE IF EXISTS instances;
DROP TABLE IF EXISTS definitions;
DROP TABLE IF EXISTS deployments;
`;

/** Creates the engine's tables and indexes; run by `migrate()`, never by hand. */
export const up: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query(UP);
};

/** Drops the engine's tables (and their data); for reverting in development only. */
export const down: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query(DOWN);
};
