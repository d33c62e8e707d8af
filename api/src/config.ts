/**
 * One typed configuration, read once from the environment. Every setting has
 * a default that runs the product with no set-up (embedded PostgreSQL in
 * `.data/`); a wrong value stops start-up with a message naming the variable.
 */
import { resolve } from 'node:path';
import { DEFAULT_LIMITS, type Limits } from '../../engine/src/limits';
import type { TaskWarning } from '../../engine/src/runtime/working-time';
import { parseTaskWarning } from './task-warning-config';

export interface Config {
  /** PostgreSQL URL; absent: the embedded database. */
  databaseUrl?: string;
  /** Data folder of the embedded database (`MOTCUA_DATA_DIR`, default `.data/pglite`). */
  dataDir: string;
  /** Schema holding the tables (`MOTCUA_DB_SCHEMA`, default public). */
  schema: string;
  /** Pool size on a real server (`MOTCUA_DB_POOL`, default 10). */
  poolMax: number;
  /** Largest BPMN document accepted (`MOTCUA_MAX_XML_BYTES`, default 5 MB). */
  maxXmlBytes: number;
  /** Most modeler drafts one user keeps on the server (`MOTCUA_MAX_DRAFTS_PER_USER`, default 200). */
  maxDraftsPerUser: number;
  /** Folder of procedures deployed at start (`MOTCUA_PROCESSES_DIR`, default `processes/`). */
  processesDir: string;
  /** Job executor poll interval in ms (`MOTCUA_JOB_POLL_MS`, default 1000). */
  jobPollMs: number;
  /** HTTP port of `serve` (`PORT`, default 3000). */
  port: number;
  /** Interface `serve` listens on (`MOTCUA_HOST`, default 127.0.0.1; `0.0.0.0` to expose it). */
  host: string;
  /**
   * What models, their data and callers may ask of the engine: `MOTCUA_MAX_MULTI_INSTANCE` (1000),
   * `MOTCUA_MULTI_INSTANCE_CHUNK` (100), `MOTCUA_MIN_TIMER_CYCLE_MS` (60000), `MOTCUA_MAX_NESTING_DEPTH` (32),
   * `MOTCUA_FEEL_MAX_OPERATIONS`, `MOTCUA_FEEL_MAX_RESULT_BYTES`, `MOTCUA_MAX_VARIABLE_BYTES`, `MOTCUA_MAX_STATE_BYTES`
   * (defaults and reasons in engine/src/limits.ts).
   */
  limits: Limits;
  /** How long an Idempotency-Key stays reserved without renewal, ms (`MOTCUA_IDEMPOTENCY_LEASE_MS`, default 30000). */
  idempotencyLeaseMs: number;
  /** Warning (follow-up) date of tasks due by statutory time (`MOTCUA_TASK_WARNING`, default 1 working day before due; see task-warning-config.ts). */
  taskWarning?: TaskWarning;
  /** Count open tasks' due dates again when a calendar year or an agency's hours change (`MOTCUA_RECOMPUTE_DUE_DATES`, default true). */
  recomputeDueDates: boolean;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`configuration: ${name} must be an integer ≥ ${min} (got '${raw}')`);
  return value;
}

function boolean(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new Error(`configuration: ${name} must be true or false (got '${raw}')`);
}

/** Reads the configuration from environment variables. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error(`configuration: DATABASE_URL must be a postgres:// URL (got '${databaseUrl.replace(/:[^:@/]*@/, ':***@')}')`);
  }
  return {
    databaseUrl,
    dataDir: resolve(cwd, env.MOTCUA_DATA_DIR || '.data/pglite'),
    schema: env.MOTCUA_DB_SCHEMA || 'public',
    poolMax: integer(env, 'MOTCUA_DB_POOL', 10),
    maxXmlBytes: integer(env, 'MOTCUA_MAX_XML_BYTES', 5 * 1024 * 1024, 1024),
    maxDraftsPerUser: integer(env, 'MOTCUA_MAX_DRAFTS_PER_USER', 200),
    processesDir: resolve(cwd, env.MOTCUA_PROCESSES_DIR || 'processes'),
    jobPollMs: integer(env, 'MOTCUA_JOB_POLL_MS', 1000, 10),
    port: integer(env, 'PORT', 3000, 0),
    host: env.MOTCUA_HOST || '127.0.0.1',
    limits: {
      maxMultiInstance: integer(env, 'MOTCUA_MAX_MULTI_INSTANCE', DEFAULT_LIMITS.maxMultiInstance, 0),
      multiInstanceChunk: integer(env, 'MOTCUA_MULTI_INSTANCE_CHUNK', DEFAULT_LIMITS.multiInstanceChunk),
      minTimerCycleMs: integer(env, 'MOTCUA_MIN_TIMER_CYCLE_MS', DEFAULT_LIMITS.minTimerCycleMs, 0),
      maxNestingDepth: integer(env, 'MOTCUA_MAX_NESTING_DEPTH', DEFAULT_LIMITS.maxNestingDepth),
      feelMaxOperations: integer(env, 'MOTCUA_FEEL_MAX_OPERATIONS', DEFAULT_LIMITS.feelMaxOperations, 1000),
      feelMaxResultBytes: integer(env, 'MOTCUA_FEEL_MAX_RESULT_BYTES', DEFAULT_LIMITS.feelMaxResultBytes, 1024),
      maxVariableBytes: integer(env, 'MOTCUA_MAX_VARIABLE_BYTES', DEFAULT_LIMITS.maxVariableBytes, 1024),
      maxStateBytes: integer(env, 'MOTCUA_MAX_STATE_BYTES', DEFAULT_LIMITS.maxStateBytes, 4096),
    },
    idempotencyLeaseMs: integer(env, 'MOTCUA_IDEMPOTENCY_LEASE_MS', 30_000, 100),
    taskWarning: parseTaskWarning(env.MOTCUA_TASK_WARNING),
    recomputeDueDates: boolean(env, 'MOTCUA_RECOMPUTE_DUE_DATES', true),
  };
}
