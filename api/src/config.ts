/**
 * One typed configuration, read once from the environment by the composition root
 * (`motcua serve`, the CLI) and handed to each part as its slice. Every setting has a
 * default that runs the product with no set-up (embedded PostgreSQL in `.data/`); every
 * variable is checked at start-up, and all wrong ones are named at once, each with the
 * value it had. {@link SETTINGS} lists every variable with its default and meaning: the
 * README's configuration table is checked against it by a test.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_LIMITS, type Limits, type TaskWarning } from '../../engine/src/index';
import { loadAuthConfig } from './auth/auth-service';
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
  /** How long a token's user or service account is remembered between requests, ms (`MOTCUA_AUTH_CACHE_MS`, default 2000; 0: read every request). */
  authCacheMs: number;
  /** Job executor poll interval in ms (`MOTCUA_JOB_POLL_MS`, default 1000). */
  jobPollMs: number;
  /** Longest an external worker's job activation waits for a job, ms (`MOTCUA_JOB_MAX_REQUEST_TIMEOUT_MS`, default 60000). */
  jobMaxRequestTimeoutMs: number;
  /**
   * The agency that owns a deployed process nothing else gives an agency (`MOTCUA_DEFAULT_AGENCY`,
   * unset by default: then such a deploy is refused, since nobody would see its tasks).
   */
  defaultAgency?: string;
  /** HTTP port of `serve` (`PORT`, default 3000). */
  port: number;
  /** Interface `serve` listens on (`MOTCUA_HOST`, default 127.0.0.1; `0.0.0.0` to expose it). */
  host: string;
  /** pino log level of the server (`LOG_LEVEL`, default info). */
  logLevel: (typeof LOG_LEVELS)[number];
  /** Fan out live events through Redis instead of PostgreSQL (`MOTCUA_REDIS_URL`). */
  redisUrl?: string;
  /** How often overdue tasks are looked for, ms (`MOTCUA_OVERDUE_SCAN_MS`, default 60000; 0: never). */
  overdueScanMs: number;
  /** How often the audit trail's new heads are sealed, ms (`MOTCUA_AUDIT_SEAL_MS`, default 60000; 0: never). */
  auditSealMs: number;
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
  /** Key of the applicants' pseudonyms in mining exports (`MOTCUA_MINING_SECRET`, ≥ 16 characters; unset: a random key per process). */
  miningSecret?: string;
  /** Most dossiers one mining request reads (`MOTCUA_MINING_MAX_CASES`, default 2000). */
  miningMaxCases: number;
  /** Most dossiers one simulation run may simulate, per model (`MOTCUA_SIMULATION_MAX_DOSSIERS`, default 200000). */
  simulationMaxDossiers: number;
  /** Worker threads of the simulation pool (`MOTCUA_SIMULATION_WORKERS`, default 1; 0: simulations run in the event loop). */
  simulationWorkers: number;
  /** Simulations that may wait for a worker; one more is answered 429 (`MOTCUA_SIMULATION_QUEUE`, default 4). */
  simulationQueue: number;
  /** Longest simulation run, ms, before its worker is stopped and the request answered 408 (`MOTCUA_SIMULATION_TIMEOUT_MS`, default 120000). */
  simulationTimeoutMs: number;
  /** The SMTP server of the applicant notices, e.g. `smtp://user:pass@mail.example:587` (`MOTCUA_SMTP_URL`; unset: notices stay queued). */
  smtpUrl?: string;
  /** The sender address of the notices (`MOTCUA_SMTP_FROM`, default `Bộ phận Một cửa <motcua@localhost>`). */
  smtpFrom: string;
  /** The national portal's dossier synchronisation endpoint base (`MOTCUA_PORTAL_URL`; unset: portal records stay queued). */
  portalUrl?: string;
  /** The public address of this server, for the tracking QR codes of the forms a notice mail carries (`MOTCUA_PUBLIC_URL`; unset: `http://localhost:<PORT>`). */
  publicUrl?: string;
  /** The bearer token sent to the portal (`MOTCUA_PORTAL_TOKEN`): a fixed one; see `portalTokenUrl` for session tokens. */
  portalToken?: string;
  /**
   * The portal's (or its gateway's) login/token endpoint (`MOTCUA_PORTAL_TOKEN_URL`; unset: the fixed
   * `portalToken`, if any): a session token is obtained there with `portalUsername` and `portalPassword`,
   * sent on each call, renewed before it expires and when the portal answers 401.
   */
  portalTokenUrl?: string;
  /** The account of the token endpoint, a client id or a user name (`MOTCUA_PORTAL_USERNAME`; required with the token URL). */
  portalUsername?: string;
  /** Its secret (`MOTCUA_PORTAL_PASSWORD`; required with the token URL); never logged nor shown in an error. */
  portalPassword?: string;
  /**
   * How the token is asked for (`MOTCUA_PORTAL_TOKEN_REQUEST`, default `client-credentials`): `client-credentials`
   * (OAuth 2.0: form `grant_type=client_credentials`, the account in HTTP Basic) or `json` (`{ "username", "password" }`).
   */
  portalTokenRequest: (typeof PORTAL_TOKEN_REQUESTS)[number];
  /** Where the token endpoint's JSON answer carries the token, a field or dotted path (`MOTCUA_PORTAL_TOKEN_FIELD`, default `access_token`). */
  portalTokenField: string;
  /** The header the session token is sent in (`MOTCUA_PORTAL_TOKEN_HEADER`, default `Authorization`, as `Bearer <token>`; any other header: the bare token). */
  portalTokenHeader: string;
  /** A session token's lifetime when the endpoint's answer gives no `expires_in`, s (`MOTCUA_PORTAL_TOKEN_TTL_SECONDS`, default 300). */
  portalTokenTtlSeconds: number;
  /** How often the notice and portal outboxes are sent, ms (`MOTCUA_OUTBOX_POLL_MS`, default 5000; 0: only on demand). */
  outboxPollMs: number;
  /**
   * Secrets the HTTP connector puts in place of `{{secrets.NAME}}` (never logged, never stored):
   * a JSON object of names to strings in the file `MOTCUA_SECRETS_FILE`, and each `MOTCUA_SECRET_<NAME>`
   * variable (which wins over the file).
   */
  secrets: Readonly<Record<string, string>>;
  /**
   * The authentication variables as given (`MOTCUA_JWT_SECRET`, `MOTCUA_TOKEN_TTL_SECONDS`, `MOTCUA_WORKER_TOKEN_TTL_SECONDS`,
   * `MOTCUA_JWKS_URL`, `MOTCUA_JWT_ISSUER`, `MOTCUA_JWT_AUDIENCE`, the claim names): the auth service reads them
   * (`loadAuthConfig`, the signing key); checked here too, so that a wrong one stops any command at start.
   */
  authEnv: Readonly<Record<string, string | undefined>>;
  /** The new password of `motcua users add` / `set-password` without a terminal (`MOTCUA_NEW_PASSWORD`). */
  newPassword?: string;
}

/**
 * How long the user (or service account) a token names is remembered between requests: a
 * disabling, a password change or a revocation made by another process is refused within this
 * time (at once in the process that made it).
 */
export const DEFAULT_AUTH_CACHE_MS = 2_000;

/** Reads variables, collecting every error instead of stopping at the first. */
class Reader {
  readonly errors: string[] = [];

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  text(name: string, fallback: string): string {
    const raw = this.env[name];
    return raw === undefined || raw === '' ? fallback : raw;
  }

  optional(name: string): string | undefined {
    const raw = this.env[name];
    return raw === undefined || raw === '' ? undefined : raw;
  }

  integer(name: string, fallback: number, min = 1): number {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!/^\s*-?\d+\s*$/.test(raw) || !Number.isSafeInteger(value) || value < min) {
      this.errors.push(`${name} must be an integer ≥ ${min} (got '${raw}')`);
      return fallback;
    }
    return value;
  }

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    this.errors.push(`${name} must be true or false (got '${raw}')`);
    return fallback;
  }

  oneOf<T extends string>(name: string, values: readonly T[], fallback: T): T {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    if ((values as readonly string[]).includes(raw)) return raw as T;
    this.errors.push(`${name} must be one of ${values.join(', ')} (got '${raw}')`);
    return fallback;
  }

  /** Runs a check that throws `configuration: …`; its message joins the others. */
  check<T>(read: () => T, fallback: T): T {
    try {
      return read();
    } catch (error) {
      this.errors.push(((error as Error).message || String(error)).replace(/^configuration: /, ''));
      return fallback;
    }
  }
}

/** How the portal's session token is asked for (`MOTCUA_PORTAL_TOKEN_REQUEST`). */
export const PORTAL_TOKEN_REQUESTS = ['client-credentials', 'json'] as const;

/**
 * The portal's session settings: with a token URL, the account and its secret are required and the
 * fixed token is refused (one way or the other); without it, an account set would be unused. The
 * password's value is never in an error.
 */
function portalSession(read: Reader, env: NodeJS.ProcessEnv): Pick<Config, 'portalTokenUrl' | 'portalUsername' | 'portalPassword' | 'portalTokenRequest' | 'portalTokenField' | 'portalTokenHeader' | 'portalTokenTtlSeconds'> {
  const tokenUrl = read.check(() => urlSetting('MOTCUA_PORTAL_TOKEN_URL', env.MOTCUA_PORTAL_TOKEN_URL, /^https?:$/), undefined);
  const username = read.optional('MOTCUA_PORTAL_USERNAME');
  const password = read.optional('MOTCUA_PORTAL_PASSWORD');
  const field = read.text('MOTCUA_PORTAL_TOKEN_FIELD', 'access_token');
  const header = read.text('MOTCUA_PORTAL_TOKEN_HEADER', 'Authorization');
  if (tokenUrl !== undefined || read.optional('MOTCUA_PORTAL_TOKEN_URL') !== undefined) {
    const missing = [username === undefined ? 'MOTCUA_PORTAL_USERNAME' : '', password === undefined ? 'MOTCUA_PORTAL_PASSWORD' : ''].filter(Boolean);
    if (missing.length > 0) read.errors.push(`MOTCUA_PORTAL_TOKEN_URL needs ${missing.join(' and ')} (the account the token is asked for with)`);
    if (read.optional('MOTCUA_PORTAL_TOKEN') !== undefined) read.errors.push('MOTCUA_PORTAL_TOKEN and MOTCUA_PORTAL_TOKEN_URL are both set: a fixed token or session tokens, not both');
  } else {
    const unused = ['MOTCUA_PORTAL_USERNAME', 'MOTCUA_PORTAL_PASSWORD'].filter((name) => read.optional(name) !== undefined);
    if (unused.length > 0) read.errors.push(`${unused.join(' and ')} ${unused.length > 1 ? 'are' : 'is'} set without MOTCUA_PORTAL_TOKEN_URL (the token endpoint they are for)`);
  }
  if (!/^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$/.test(field)) read.errors.push(`MOTCUA_PORTAL_TOKEN_FIELD must be a field name or a dotted path such as data.session (got '${field}')`);
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(header)) read.errors.push(`MOTCUA_PORTAL_TOKEN_HEADER must be an HTTP header name (got '${header}')`);
  return {
    portalTokenUrl: tokenUrl,
    portalUsername: username,
    portalPassword: password,
    portalTokenRequest: read.oneOf('MOTCUA_PORTAL_TOKEN_REQUEST', PORTAL_TOKEN_REQUESTS, 'client-credentials'),
    portalTokenField: field,
    portalTokenHeader: header,
    portalTokenTtlSeconds: read.integer('MOTCUA_PORTAL_TOKEN_TTL_SECONDS', 300, 1),
  };
}

/** pino's levels, for `LOG_LEVEL`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Reads the configuration from environment variables (the composition root passes
 * `process.env`); throws one error naming every wrong variable and its value.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const read = new Reader(env);
  const databaseUrl = read.optional('DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    read.errors.push(`DATABASE_URL must be a postgres:// URL (got '${databaseUrl.replace(/:[^:@/]*@/, ':***@')}')`);
  }
  const redisUrl = read.optional('MOTCUA_REDIS_URL');
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) read.errors.push(`MOTCUA_REDIS_URL must be a redis:// URL (got '${redisUrl.replace(/:[^:@/]*@/, ':***@')}')`);
  // The authentication settings are read by the auth service; checked here too, so that every wrong variable is named at once.
  read.check(() => loadAuthConfig(env), undefined);
  const config: Config = {
    databaseUrl,
    dataDir: resolve(cwd, read.text('MOTCUA_DATA_DIR', '.data/pglite')),
    schema: read.text('MOTCUA_DB_SCHEMA', 'public'),
    poolMax: read.integer('MOTCUA_DB_POOL', 10),
    maxXmlBytes: read.integer('MOTCUA_MAX_XML_BYTES', 5 * 1024 * 1024, 1024),
    maxDraftsPerUser: read.integer('MOTCUA_MAX_DRAFTS_PER_USER', 200),
    processesDir: resolve(cwd, read.text('MOTCUA_PROCESSES_DIR', 'processes')),
    authCacheMs: read.integer('MOTCUA_AUTH_CACHE_MS', DEFAULT_AUTH_CACHE_MS, 0),
    jobPollMs: read.integer('MOTCUA_JOB_POLL_MS', 1000, 10),
    jobMaxRequestTimeoutMs: read.integer('MOTCUA_JOB_MAX_REQUEST_TIMEOUT_MS', 60_000, 0),
    defaultAgency: read.optional('MOTCUA_DEFAULT_AGENCY'),
    port: read.integer('PORT', 3000, 0),
    host: read.text('MOTCUA_HOST', '127.0.0.1'),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    redisUrl,
    overdueScanMs: read.integer('MOTCUA_OVERDUE_SCAN_MS', 60_000, 0),
    auditSealMs: read.integer('MOTCUA_AUDIT_SEAL_MS', 60_000, 0),
    limits: {
      maxMultiInstance: read.integer('MOTCUA_MAX_MULTI_INSTANCE', DEFAULT_LIMITS.maxMultiInstance, 0),
      multiInstanceChunk: read.integer('MOTCUA_MULTI_INSTANCE_CHUNK', DEFAULT_LIMITS.multiInstanceChunk),
      minTimerCycleMs: read.integer('MOTCUA_MIN_TIMER_CYCLE_MS', DEFAULT_LIMITS.minTimerCycleMs, 0),
      maxNestingDepth: read.integer('MOTCUA_MAX_NESTING_DEPTH', DEFAULT_LIMITS.maxNestingDepth),
      feelMaxOperations: read.integer('MOTCUA_FEEL_MAX_OPERATIONS', DEFAULT_LIMITS.feelMaxOperations, 1000),
      feelMaxResultBytes: read.integer('MOTCUA_FEEL_MAX_RESULT_BYTES', DEFAULT_LIMITS.feelMaxResultBytes, 1024),
      maxVariableBytes: read.integer('MOTCUA_MAX_VARIABLE_BYTES', DEFAULT_LIMITS.maxVariableBytes, 1024),
      maxStateBytes: read.integer('MOTCUA_MAX_STATE_BYTES', DEFAULT_LIMITS.maxStateBytes, 4096),
    },
    idempotencyLeaseMs: read.integer('MOTCUA_IDEMPOTENCY_LEASE_MS', 30_000, 100),
    taskWarning: read.check(() => parseTaskWarning(env.MOTCUA_TASK_WARNING), undefined),
    recomputeDueDates: read.boolean('MOTCUA_RECOMPUTE_DUE_DATES', true),
    miningSecret: read.check(() => miningSecret(env.MOTCUA_MINING_SECRET), undefined),
    miningMaxCases: read.integer('MOTCUA_MINING_MAX_CASES', 2_000),
    simulationMaxDossiers: read.integer('MOTCUA_SIMULATION_MAX_DOSSIERS', 200_000, 1),
    simulationWorkers: read.integer('MOTCUA_SIMULATION_WORKERS', 1, 0),
    simulationQueue: read.integer('MOTCUA_SIMULATION_QUEUE', 4, 0),
    simulationTimeoutMs: read.integer('MOTCUA_SIMULATION_TIMEOUT_MS', 120_000, 100),
    smtpUrl: read.check(() => urlSetting('MOTCUA_SMTP_URL', env.MOTCUA_SMTP_URL, /^smtps?:$/), undefined),
    smtpFrom: read.text('MOTCUA_SMTP_FROM', 'Bộ phận Một cửa <motcua@localhost>'),
    portalUrl: read.check(() => urlSetting('MOTCUA_PORTAL_URL', env.MOTCUA_PORTAL_URL, /^https?:$/), undefined),
    portalToken: read.optional('MOTCUA_PORTAL_TOKEN'),
    ...portalSession(read, env),
    publicUrl: read.check(() => urlSetting('MOTCUA_PUBLIC_URL', env.MOTCUA_PUBLIC_URL, /^https?:$/), undefined),
    outboxPollMs: read.integer('MOTCUA_OUTBOX_POLL_MS', 5_000, 0),
    secrets: read.check(() => connectorSecrets(env, cwd), {}),
    authEnv: Object.fromEntries(AUTH_VARIABLES.map((name) => [name, env[name]])),
    newPassword: read.optional('MOTCUA_NEW_PASSWORD'),
  };
  if (read.errors.length === 1) throw new Error(`configuration: ${read.errors[0]}`);
  if (read.errors.length > 1) throw new Error(`configuration: ${read.errors.length} settings are wrong:\n${read.errors.map((e) => `  - ${e}`).join('\n')}`);
  return config;
}

/** The variables the auth service reads (api/src/auth/auth-service.ts, tokens.ts). */
const AUTH_VARIABLES = [
  'MOTCUA_JWT_SECRET',
  'MOTCUA_TOKEN_TTL_SECONDS',
  'MOTCUA_WORKER_TOKEN_TTL_SECONDS',
  'MOTCUA_JWKS_URL',
  'MOTCUA_JWT_ISSUER',
  'MOTCUA_JWT_AUDIENCE',
  'MOTCUA_ROLES_CLAIM',
  'MOTCUA_AGENCY_CLAIM',
  'MOTCUA_GROUPS_CLAIM',
] as const;

/** An optional URL setting whose protocol must match (its password never shown in the error). */
function urlSetting(name: string, raw: string | undefined, protocol: RegExp): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`configuration: ${name} must be a URL (got '${raw.replace(/:[^:@/]*@/, ':***@')}')`);
  }
  if (!protocol.test(url.protocol)) throw new Error(`configuration: ${name} must be a ${protocol.source.replace(/[\^$?:]/g, '')} URL (got '${url.protocol}')`);
  return raw;
}

/** `MOTCUA_MINING_SECRET`: unset, or a key long enough that pseudonyms cannot be reversed by trying keys. */
function miningSecret(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw.length < 16) throw new Error(`configuration: MOTCUA_MINING_SECRET must have at least 16 characters (got ${raw.length})`);
  return raw;
}

/** Connector secrets: the JSON file `MOTCUA_SECRETS_FILE` (names to strings), then `MOTCUA_SECRET_<NAME>` variables. Errors never show a value. */
function connectorSecrets(env: NodeJS.ProcessEnv, cwd: string): Record<string, string> {
  const secrets: Record<string, string> = {};
  const file = env.MOTCUA_SECRETS_FILE;
  if (file) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(resolve(cwd, file), 'utf8'));
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      const reason = error instanceof SyntaxError ? 'it is not JSON' : typeof code === 'string' ? code : 'it cannot be read';
      throw new Error(`configuration: MOTCUA_SECRETS_FILE '${file}' cannot be used: ${reason}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`configuration: MOTCUA_SECRETS_FILE '${file}' must hold a JSON object of secret names to strings`);
    for (const [name, value] of Object.entries(parsed)) {
      if (typeof value !== 'string') throw new Error(`configuration: MOTCUA_SECRETS_FILE '${file}': secret '${name}' must be a string`);
      secrets[name] = value;
    }
  }
  const prefix = 'MOTCUA_SECRET_';
  for (const [name, value] of Object.entries(env)) if (name.startsWith(prefix) && name.length > prefix.length && value !== undefined) secrets[name.slice(prefix.length)] = value;
  return secrets;
}

/** One row of the configuration table: the variables, their default as the README writes it. */
export interface SettingDoc {
  names: readonly string[];
  default: string;
}

/**
 * Every environment variable the product reads, with its default as the README's
 * configuration table writes it (a test checks the table against this list, and the
 * sources against it: a variable read anywhere must be listed here).
 */
export const SETTINGS: readonly SettingDoc[] = [
  { names: ['DATABASE_URL'], default: '(unset: embedded)' },
  { names: ['MOTCUA_DATA_DIR'], default: '.data/pglite' },
  { names: ['MOTCUA_DB_SCHEMA'], default: 'public' },
  { names: ['MOTCUA_DB_POOL'], default: '10' },
  { names: ['MOTCUA_MAX_XML_BYTES'], default: '5242880' },
  { names: ['MOTCUA_FEEL_MAX_OPERATIONS'], default: String(DEFAULT_LIMITS.feelMaxOperations) },
  { names: ['MOTCUA_FEEL_MAX_RESULT_BYTES'], default: String(DEFAULT_LIMITS.feelMaxResultBytes) },
  { names: ['MOTCUA_MAX_VARIABLE_BYTES'], default: String(DEFAULT_LIMITS.maxVariableBytes) },
  { names: ['MOTCUA_MAX_STATE_BYTES'], default: String(DEFAULT_LIMITS.maxStateBytes) },
  { names: ['MOTCUA_MAX_NESTING_DEPTH'], default: String(DEFAULT_LIMITS.maxNestingDepth) },
  { names: ['MOTCUA_MIN_TIMER_CYCLE_MS'], default: String(DEFAULT_LIMITS.minTimerCycleMs) },
  { names: ['MOTCUA_MAX_MULTI_INSTANCE'], default: String(DEFAULT_LIMITS.maxMultiInstance) },
  { names: ['MOTCUA_MULTI_INSTANCE_CHUNK'], default: String(DEFAULT_LIMITS.multiInstanceChunk) },
  { names: ['MOTCUA_MAX_DRAFTS_PER_USER'], default: '200' },
  { names: ['MOTCUA_PROCESSES_DIR'], default: 'processes' },
  { names: ['MOTCUA_AUTH_CACHE_MS'], default: '2000' },
  { names: ['MOTCUA_JOB_POLL_MS'], default: '1000' },
  { names: ['MOTCUA_JOB_MAX_REQUEST_TIMEOUT_MS'], default: '60000' },
  { names: ['MOTCUA_DEFAULT_AGENCY'], default: '(unset)' },
  { names: ['PORT', 'MOTCUA_HOST'], default: '3000, 127.0.0.1' },
  { names: ['MOTCUA_IDEMPOTENCY_LEASE_MS'], default: '30000' },
  { names: ['MOTCUA_JWT_SECRET'], default: '(generated, kept in the database)' },
  { names: ['MOTCUA_TOKEN_TTL_SECONDS'], default: '28800' },
  { names: ['MOTCUA_WORKER_TOKEN_TTL_SECONDS'], default: '900' },
  { names: ['MOTCUA_JWKS_URL', 'MOTCUA_JWT_ISSUER', 'MOTCUA_JWT_AUDIENCE'], default: '(unset)' },
  { names: ['MOTCUA_ROLES_CLAIM', 'MOTCUA_AGENCY_CLAIM', 'MOTCUA_GROUPS_CLAIM'], default: 'roles, agency, groups' },
  { names: ['MOTCUA_REDIS_URL'], default: '(unset)' },
  { names: ['MOTCUA_OVERDUE_SCAN_MS'], default: '60000' },
  { names: ['MOTCUA_AUDIT_SEAL_MS'], default: '60000' },
  { names: ['MOTCUA_RECOMPUTE_DUE_DATES'], default: 'true' },
  { names: ['MOTCUA_TASK_WARNING'], default: '1 workingDays' },
  { names: ['MOTCUA_MINING_SECRET'], default: '(unset: a random key per process)' },
  { names: ['MOTCUA_MINING_MAX_CASES'], default: '2000' },
  { names: ['MOTCUA_SIMULATION_MAX_DOSSIERS'], default: '200000' },
  { names: ['MOTCUA_SIMULATION_WORKERS'], default: '1' },
  { names: ['MOTCUA_SIMULATION_QUEUE'], default: '4' },
  { names: ['MOTCUA_SIMULATION_TIMEOUT_MS'], default: '120000' },
  { names: ['MOTCUA_SMTP_URL'], default: '(unset: notices stay queued)' },
  { names: ['MOTCUA_SMTP_FROM'], default: 'Bộ phận Một cửa <motcua@localhost>' },
  { names: ['MOTCUA_PUBLIC_URL'], default: '(unset: http://localhost:<PORT>)' },
  { names: ['MOTCUA_PORTAL_URL', 'MOTCUA_PORTAL_TOKEN'], default: '(unset: portal records stay queued)' },
  { names: ['MOTCUA_PORTAL_TOKEN_URL', 'MOTCUA_PORTAL_USERNAME', 'MOTCUA_PORTAL_PASSWORD'], default: '(unset: the fixed MOTCUA_PORTAL_TOKEN, if any)' },
  { names: ['MOTCUA_PORTAL_TOKEN_REQUEST'], default: 'client-credentials' },
  { names: ['MOTCUA_PORTAL_TOKEN_FIELD', 'MOTCUA_PORTAL_TOKEN_HEADER'], default: 'access_token, Authorization' },
  { names: ['MOTCUA_PORTAL_TOKEN_TTL_SECONDS'], default: '300' },
  { names: ['MOTCUA_OUTBOX_POLL_MS'], default: '5000' },
  { names: ['MOTCUA_SECRETS_FILE', 'MOTCUA_SECRET_'], default: '(unset: no secrets)' },
  { names: ['LOG_LEVEL'], default: 'info' },
  { names: ['MOTCUA_NEW_PASSWORD'], default: '(unset)' },
  { names: ['TEST_DATABASE_URL'], default: 'postgres://postgres@127.0.0.1:5432/test' },
];
