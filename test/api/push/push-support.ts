/**
 * Helpers of the push gateway tests: an engine on a test database, a push server
 * on a real http server (port 0), real socket.io-client inboxes that record what
 * they receive, and a stub token verifier (the tests are about push, not tokens).
 */
import { createStores } from '../../../api/src/stores';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { UnauthorizedError } from '../../../api/src/auth/errors';
import type { Principal, TokenVerifier } from '../../../api/src/auth/principal';
import { loadConfig } from '../../../api/src/config';
import type { AppContext } from '../../../api/src/context';
import { attachPush, comparePositions, parseEventId, type PushOptions, type PushPayload, type PushServer, type ReadyInfo } from '../../../api/src/push';
import { Engine } from '../../../engine/src/engine';
import type { Database } from '../../../engine/src/store-sequelize/connect';
import { createSequelizeEngineStore } from '../../../engine/src/store-sequelize/sequelize-engine-store';
import type { EngineStore } from '../../../engine/src/store/ports';

export const PUSH_BPMN = readFileSync(join(__dirname, 'push.bpmn'), 'utf8');

/** The people of the tests, by token. */
export const PRINCIPALS: Readonly<Record<string, Principal>> = {
  'desk-a': { id: 'desk-a', roles: ['official'], agency: 'A', groups: ['desk'] },
  'desk-a2': { id: 'desk-a2', roles: ['official'], agency: 'A', groups: ['desk'] },
  'head-a': { id: 'head-a', roles: ['official'], agency: 'A', groups: ['head'] },
  'admin-a': { id: 'admin-a', roles: ['agency-admin'], agency: 'A', groups: [] },
  'desk-b': { id: 'desk-b', roles: ['official'], agency: 'B', groups: ['desk'] },
};

/** Accepts exactly the tokens of {@link PRINCIPALS}. */
export const stubVerifier: TokenVerifier = {
  async verify(token: string): Promise<Principal> {
    const principal = PRINCIPALS[token];
    if (!principal) throw new UnauthorizedError('the token is expired or not ours', { reason: 'invalid-token' });
    return principal;
  },
};

/** An application context over a test database, which the tests also query directly. */
export type TestContext = AppContext & { db: Database };

/** An application context over `db` (engine, store, stub auth). */
export function contextOver(db: Database): TestContext {
  const store: EngineStore = createSequelizeEngineStore(db);
  const engine = new Engine({ store });
  return { config: loadConfig({}), db, stores: createStores(db), engine, store, auth: stubVerifier, now: Date.now };
}

/** A push server on its own http server, listening on a free port. */
export interface RunningPush {
  url: string;
  push: PushServer;
  server: http.Server;
  close(): Promise<void>;
}

export async function startPush(ctx: AppContext, options: PushOptions = {}): Promise<RunningPush> {
  const server = http.createServer((_req, res) => {
    res.statusCode = 404;
    res.end();
  });
  const push = await attachPush(server, ctx, { overdueScanMs: 0, onError: (error) => process.stderr.write(`[push test] ${String(error)}\n`), ...options });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    push,
    server,
    close: () =>
      (closing ??= (async () => {
        await push.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })()),
  };
}

/** One received event. */
export interface Received {
  name: string;
  payload: PushPayload;
}

/** A socket.io-client inbox that records what arrives, in order. */
export class Inbox {
  readonly socket: Socket;
  readonly events: Received[] = [];
  readonly readies: ReadyInfo[] = [];
  readonly resyncs: unknown[] = [];
  /** Where to resume from: the last event's id, or `ready`'s when later. */
  lastEventId: string | undefined;

  constructor(url: string, token: string | undefined, options: { lastEventId?: string; headers?: Record<string, string> } = {}) {
    this.lastEventId = options.lastEventId;
    this.socket = connectSocket(url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      extraHeaders: options.headers,
      // A function: evaluated again at every (re)connection, with the newest lastEventId.
      auth: (cb) => cb({ ...(token !== undefined ? { token } : {}), ...(this.lastEventId ? { lastEventId: this.lastEventId } : {}) }),
    });
    this.socket.onAny((name: string, payload: unknown) => {
      if (name === 'ready') {
        const info = payload as ReadyInfo;
        this.readies.push(info);
        this.advance(info.lastEventId);
      } else if (name === 'resync') {
        this.resyncs.push(payload);
      } else {
        const event = payload as PushPayload;
        this.events.push({ name, payload: event });
        this.advance(event.id);
      }
    });
  }

  private advance(id: string): void {
    const next = parseEventId(id);
    const current = parseEventId(this.lastEventId);
    if (next && (!current || comparePositions(next, current) > 0)) this.lastEventId = id;
  }

  /** Resolves once connected and live (`ready` received `count` times in all). */
  async ready(count = 1): Promise<this> {
    await waitUntil(`ready #${count}`, () => this.readies.length >= count);
    return this;
  }

  /** Events named `name` (all when omitted). */
  named(name?: string): PushPayload[] {
    return this.events.filter((e) => name === undefined || e.name === name).map((e) => e.payload);
  }

  /** Waits for an event matching `match`, and returns it. */
  async waitFor(what: string, match: (event: Received) => boolean, timeoutMs = 10_000): Promise<PushPayload> {
    const found = await waitUntil(what, () => this.events.find(match), timeoutMs);
    return found.payload;
  }

  /** The connect_error message, when the handshake is refused. */
  connectError(): Promise<Error & { data?: { code?: string } }> {
    return new Promise((resolve, reject) => {
      this.socket.once('connect_error', (error) => resolve(error as Error & { data?: { code?: string } }));
      this.socket.once('connect', () => reject(new Error('connected, but a refusal was expected')));
    });
  }

  close(): void {
    this.socket.disconnect();
  }
}

/** Polls `check` until it returns something truthy; fails with `what` after `timeoutMs`. */
export async function waitUntil<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The open task of `elementId` in an instance. */
export async function openTask(ctx: AppContext, instanceId: string, elementId: string): Promise<{ id: string }> {
  return waitUntil(`open task ${elementId}`, async () => (await ctx.store.tasks({ instanceId, state: 'open' })).find((t) => t.elementId === elementId));
}

/** Starts an instance of `processId` and returns its id and the id of its first open task, if any. */
export async function startDossier(ctx: AppContext, processId: string, elementId?: string): Promise<{ instanceId: string; taskId?: string }> {
  const { instanceId } = await ctx.engine.startInstance({ processId, actor: 'desk-a' });
  if (!elementId) return { instanceId };
  return { instanceId, taskId: (await openTask(ctx, instanceId, elementId)).id };
}
