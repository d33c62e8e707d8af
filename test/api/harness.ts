/**
 * The API test harness: a real server on port 0 over a fresh test database, users
 * and tokens made by the auth service, BPMN documents built to order, and a small
 * fetch client.
 *
 *   describe.each(testDatabases())('... on $name', (target) => {
 *     const api = useApi(target);
 *     it('...', async () => { const res = await api.as('officialA').get('/api/tasks'); });
 *   });
 */
import { createSequelizeCalendarDataStore } from '../../engine/src/store-sequelize/calendar-store';
import { createStores } from '../../api/src/stores';
import { CalendarService } from '../../api/src/calendars/calendar-service';
import pino, { type Logger } from 'pino';
import { Engine } from '../../engine/src/engine';
import type { Limits } from '../../engine/src/limits';
import type { Database } from '../../engine/src/store-sequelize/connect';
import { createSequelizeEngineStore } from '../../engine/src/store-sequelize/sequelize-engine-store';
import type { EngineStore, TaskRow } from '../../engine/src/store/ports';
import { createAuthService, principalOf, type AuthService } from '../../api/src/auth/auth-service';
import type { Role } from '../../api/src/auth/principal';
import { loadConfig, type Config } from '../../api/src/config';
import type { AppContext } from '../../api/src/context';
import { startApiServer, type RunningApiServer } from '../../api/src/server';
import { openDossierLayer } from '../../api/src/dossier-layer';

/** The dossier layer and its statistics, as the context carries them. */
const layerOf = (layer: ReturnType<typeof openDossierLayer>) => ({ dossiers: layer, statistics: layer.statistics });
import { openTestDatabase, type TestDatabaseTarget } from '../support/databases';

/** The people of the tests: agency A (admin, officials), agency B (official, admin), an analyst, a citizen. */
export const USERS = {
  analyst: { username: 'analyst', roles: ['analyst'] as Role[], groups: [] as string[] },
  adminA: { username: 'admin-a', roles: ['agency-admin'] as Role[], agency: 'A', groups: [] as string[] },
  officialA: { username: 'official-a', roles: ['official'] as Role[], agency: 'A', groups: ['desk', 'head'] },
  officialA2: { username: 'official-a2', roles: ['official'] as Role[], agency: 'A', groups: ['desk'] },
  officialB: { username: 'official-b', roles: ['official'] as Role[], agency: 'B', groups: ['desk', 'head'] },
  adminB: { username: 'admin-b', roles: ['agency-admin'] as Role[], agency: 'B', groups: [] as string[] },
  citizen: { username: 'citizen', roles: ['citizen'] as Role[], groups: [] as string[] },
} as const;

export type UserName = keyof typeof USERS;
export type Caller = UserName | 'anonymous';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  /** Parsed JSON (problem+json too), else the text. */
  body: T;
  text: string;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /** Sent as is (string or FormData); otherwise `json` is sent as JSON. */
  raw?: RequestInit['body'];
  json?: unknown;
}

export class Client {
  constructor(
    private readonly baseUrl: () => string,
    private readonly token: () => string | undefined,
  ) {}

  async request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    const token = this.token();
    if (token) headers.authorization = `Bearer ${token}`;
    let body: RequestInit['body'] | undefined = options.raw;
    if (body === undefined && options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(this.baseUrl() + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    if (/json/.test(res.headers.get('content-type') ?? '')) parsed = text === '' ? undefined : JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  }

  get<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, options);
  }
  post<T = any>(path: string, json?: unknown, options: RequestOptions = {}) {
    return this.request<T>('POST', path, { ...options, json: options.raw === undefined ? json : undefined });
  }
  patch<T = any>(path: string, json?: unknown, options: RequestOptions = {}) {
    return this.request<T>('PATCH', path, { ...options, json });
  }
}

/** A user task of a generated process. */
export interface TaskSpec {
  id: string;
  groups?: string;
  users?: string;
  formKey?: string;
  /** `zeebe:taskSchedule dueDate`, e.g. `P2D`. */
  due?: string;
  /** The step's own agency (else the procedure's). */
  agency?: string;
}

/** Builds a BPMN document: start → the steps in order → end, with the procedure's agency. */
export function processXml(options: {
  id: string;
  agency?: string;
  tasks?: TaskSpec[];
  /** A service task `lookup` (job type `lookup`) after the user tasks. */
  serviceTask?: boolean;
  /** A message catch `supplement` (correlation key = `dossierCode`) after the user tasks. */
  message?: boolean;
  /** An intermediate signal catch event waiting for this signal, after the user tasks. */
  signal?: string;
  /** An intermediate signal throw event broadcasting this signal, after the user tasks. */
  throwSignal?: string;
  /** Adds a diagram-less comment to change the XML (a new version). */
  variant?: string;
}): string {
  const steps: string[] = [];
  const elements: string[] = [];
  for (const t of options.tasks ?? []) {
    const ext = [
      t.groups || t.users ? `<zeebe:assignmentDefinition${t.groups ? ` candidateGroups="${t.groups}"` : ''}${t.users ? ` candidateUsers="${t.users}"` : ''} />` : '',
      t.formKey ? `<zeebe:formDefinition formKey="${t.formKey}" />` : '',
      t.due ? `<zeebe:taskSchedule dueDate="${t.due}" />` : '',
      t.agency ? `<motcua:facts agency="${t.agency}" />` : '',
    ].join('');
    elements.push(`<bpmn:userTask id="${t.id}" name="${t.id}">${ext ? `<bpmn:extensionElements>${ext}</bpmn:extensionElements>` : ''}</bpmn:userTask>`);
    steps.push(t.id);
  }
  if (options.serviceTask) {
    elements.push('<bpmn:serviceTask id="lookup"><bpmn:extensionElements><zeebe:taskDefinition type="lookup" retries="1" /></bpmn:extensionElements></bpmn:serviceTask>');
    steps.push('lookup');
  }
  if (options.message) {
    elements.push('<bpmn:intermediateCatchEvent id="supplement"><bpmn:messageEventDefinition messageRef="m-supplement" /></bpmn:intermediateCatchEvent>');
    steps.push('supplement');
  }
  if (options.signal) {
    elements.push('<bpmn:intermediateCatchEvent id="wait-signal"><bpmn:signalEventDefinition signalRef="sig-catch" /></bpmn:intermediateCatchEvent>');
    steps.push('wait-signal');
  }
  if (options.throwSignal) {
    elements.push('<bpmn:intermediateThrowEvent id="throw-signal"><bpmn:signalEventDefinition signalRef="sig-throw" /></bpmn:intermediateThrowEvent>');
    steps.push('throw-signal');
  }
  const chain = ['start', ...steps, 'end'];
  const flows = chain.slice(1).map((to, i) => `<bpmn:sequenceFlow id="f${i + 1}" sourceRef="${chain[i]}" targetRef="${to}" />`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:motcua="http://motcua.vn/schema/bpmn/1.0" id="defs-${options.id}" targetNamespace="http://motcua.vn/test">
  ${options.message ? '<bpmn:message id="m-supplement" name="supplement"><bpmn:extensionElements><zeebe:subscription correlationKey="=dossierCode" /></bpmn:extensionElements></bpmn:message>' : ''}
  ${options.signal ? `<bpmn:signal id="sig-catch" name="${options.signal}" />` : ''}
  ${options.throwSignal ? `<bpmn:signal id="sig-throw" name="${options.throwSignal}" />` : ''}
  <bpmn:process id="${options.id}" name="${options.id}" isExecutable="true">
    ${options.agency ? `<bpmn:extensionElements><motcua:facts agency="${options.agency}" /></bpmn:extensionElements>` : ''}
    <bpmn:startEvent id="start" />
    ${elements.join('\n    ')}
    <bpmn:endEvent id="end" />
    ${flows.join('\n    ')}
  </bpmn:process>
  ${options.variant ? `<!-- ${options.variant} -->` : ''}
</bpmn:definitions>`;
}

export interface ApiHarness {
  readonly url: string;
  readonly db: Database;
  readonly store: EngineStore;
  readonly engine: Engine;
  readonly auth: AuthService;
  readonly server: RunningApiServer;
  /** User ids by name. */
  readonly ids: Record<UserName, string>;
  as(caller: Caller): Client;
  /** The bearer token of a caller (undefined for anonymous). */
  token(caller: Caller): string | undefined;
  /** Reads rows straight from the database (for "nothing changed" checks). */
  sql<T = Record<string, unknown>>(text: string, bind?: unknown[]): Promise<T[]>;
  /** Open tasks of an instance. */
  openTasks(instanceId: string): Promise<TaskRow[]>;
}

/**
 * Starts a server for the suite (beforeAll) and stops it (afterAll). The returned object
 * fills in once beforeAll ran.
 */
export function useApi(
  target: TestDatabaseTarget,
  options: {
    maxXmlBytes?: number;
    maxDraftsPerUser?: number;
    publicRateLimit?: number;
    limits?: Partial<Limits>;
    env?: NodeJS.ProcessEnv;
    config?: Partial<Config>;
    /** The clock of the engine, the calendars and the dossier layer (tokens keep the real one). */
    now?: () => number;
    /** Builds the dossier layer (its step listener on the engine) as the composition root does (default true; false: the dossier routes answer 500). */
    dossiers?: boolean;
    /**
     * How long the server remembers a token's user (MOTCUA_AUTH_CACHE_MS). Default 0 here: the suites
     * change users and service accounts through the CLI's own stores (another node, in effect) and
     * expect the next request to see it; test/api/auth/auth-service.test.ts covers the memory.
     */
    authCacheMs?: number;
    /** The server's logger (default: pino, silent unless API_TEST_LOG_LEVEL says otherwise). */
    logger?: Logger;
  } = {},
): ApiHarness {
  const state: Partial<ApiHarness> & { tokens?: Partial<Record<UserName, string>> } = {};

  beforeAll(async () => {
    const db = await openTestDatabase(target.name);
    // See afterAll: statements an earlier suite PREPAREd on this embedded server may linger.
    if (db.embedded) await db.sequelize.query('DEALLOCATE ALL');
    const store = createSequelizeEngineStore(db);
    const config = {
      ...loadConfig(options.env ?? {}),
      ...(options.maxXmlBytes ? { maxXmlBytes: options.maxXmlBytes } : {}),
      ...(options.maxDraftsPerUser ? { maxDraftsPerUser: options.maxDraftsPerUser } : {}),
      ...options.config,
    };
    const now = options.now ?? Date.now;
    const calendars = await CalendarService.open({ store: createSequelizeCalendarDataStore(db), now, recomputeDueDates: config.recomputeDueDates });
    const engine = new Engine({ store, maxXmlBytes: config.maxXmlBytes, limits: { ...config.limits, ...options.limits }, calendars: calendars.registry.provider, taskWarning: config.taskWarning, now });
    const stores = createStores(db, { now: Date.now, authCacheMs: options.authCacheMs ?? 0 });
    const auth = await createAuthService({ stores, env: {}, now: Date.now });
    const dossiers = options.dossiers !== false ? openDossierLayer({ engine, store, db, calendars, now, outboxes: config, users: stores.users }) : undefined;
    const ctx: AppContext = { config, stores, engine, store, auth, now, calendars, ...(dossiers ? { ...withAudit(dossiers), ...layerOf(dossiers), outboxes: dossiers.outboxes } : {}) };
    const server = await startApiServer(ctx, { port: 0, authService: auth, publicRateLimit: options.publicRateLimit, logger: options.logger ?? pino({ level: process.env.API_TEST_LOG_LEVEL ?? 'silent' }) });
    const tokens: Partial<Record<UserName, string>> = {};
    const ids: Partial<Record<UserName, string>> = {};
    for (const [name, user] of Object.entries(USERS) as Array<[UserName, (typeof USERS)[UserName]]>) {
      const record = await auth.users.create({ ...user, roles: [...user.roles], groups: [...user.groups], passwordHash: 'scrypt$unused' });
      ids[name] = record.id;
      tokens[name] = (await auth.issueToken(principalOf(record))).token;
    }
    Object.assign(state, { url: server.url, db, store, engine, auth, server, ids, tokens });
  });

  afterAll(async () => {
    await state.server?.close();
    // PGlite is one session shared by every connection: statements the engine store
    // PREPAREd outlive this pool and collide (42P05) with the next suite's on the same
    // embedded server. Until the store handles that itself, clear them here.
    if (state.db?.embedded) await state.db.sequelize.query('DEALLOCATE ALL').catch(() => undefined);
    await state.db?.close();
  });

  return {
    get url() {
      return state.url!;
    },
    get db() {
      return state.db!;
    },
    get store() {
      return state.store!;
    },
    get engine() {
      return state.engine!;
    },
    get auth() {
      return state.auth!;
    },
    get server() {
      return state.server!;
    },
    get ids() {
      return state.ids as Record<UserName, string>;
    },
    as(caller: Caller) {
      return new Client(
        () => state.url!,
        () => (caller === 'anonymous' ? undefined : state.tokens![caller]),
      );
    },
    token(caller: Caller) {
      return caller === 'anonymous' ? undefined : state.tokens![caller];
    },
    async sql<T>(text: string, bind: unknown[] = []) {
      const [rows] = await state.db!.sequelize.query(text, { bind });
      return rows as T[];
    },
    async openTasks(instanceId: string) {
      return state.store!.tasks({ instanceId, state: 'open' });
    },
  };
}

/** The dossier layer and its audit trail, for the context. */
function withAudit(layer: ReturnType<typeof openDossierLayer>): Pick<AppContext, 'dossiers' | 'audit'> {
  return { dossiers: layer, audit: layer.audit };
}
