/**
 * One typed configuration, read once from the environment. Every setting has
 * a default that runs the product with no set-up (embedded PostgreSQL in
 * `.data/`); a wrong value stops start-up with a message naming the variable.
 */
import { resolve } from 'node:path';
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
  /** Folder of procedures deployed at start (`MOTCUA_PROCESSES_DIR`, default `processes/`). */
  processesDir: string;
  /** Job executor poll interval in ms (`MOTCUA_JOB_POLL_MS`, default 1000). */
  jobPollMs: number;
  /** HTTP port of `serve` (`PORT`, default 3000). */
  port: number;
  /** Interface `serve` listens on (`MOTCUA_HOST`, default 127.0.0.1; `0.0.0.0` to expose it). */
  host: string;
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
    processesDir: resolve(cwd, env.MOTCUA_PROCESSES_DIR || 'processes'),
    jobPollMs: integer(env, 'MOTCUA_JOB_POLL_MS', 1000, 10),
    port: integer(env, 'PORT', 3000, 0),
    host: env.MOTCUA_HOST || '127.0.0.1',
    taskWarning: parseTaskWarning(env.MOTCUA_TASK_WARNING),
    recomputeDueDates: boolean(env, 'MOTCUA_RECOMPUTE_DUE_DATES', true),
  };
}
