/**
 * Push latency: from the commit of a command that opens a task to the moment each
 * of 1,000 connected socket.io clients has the `task.created` event, p50/p99/max,
 * against bare socket.io (a plain `io.emit` of a payload of the same size to the
 * same number of clients) measured in the same run.
 *
 * Closed loop, one event in flight: each event is committed (or emitted) only once
 * every client has the previous one, so the figures are latency, not queueing.
 * Clients run in this process too (one event loop for both sides): their decoding
 * is part of both figures alike, and the difference is what push adds (reading
 * history after the commit, the policy check per socket, the bookkeeping).
 *
 * `runPushBench()` runs it on the embedded database and on PostgreSQL (skipped when
 * unreachable), prints a markdown table on stdout and returns the figures.
 * Environment: BENCH_PUSH_CLIENTS (default 1000), BENCH_PUSH_EVENTS (default 200),
 * BENCH_PUSH_DATABASES (embedded,postgres), DATABASE_URL / TEST_DATABASE_URL.
 * By hand: `npm run build && node dist/test/bench/push.js`.
 */
import { createStores } from '../../api/src/stores';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Server } from 'socket.io';
import { io as connectSocket, type Socket } from 'socket.io-client';
import type { Principal, TokenVerifier } from '../../api/src/auth/principal';
import { loadConfig } from '../../api/src/config';
import type { AppContext } from '../../api/src/context';
import { attachPush, type TaskEventPayload } from '../../api/src/push';
import { Engine } from '../../engine/src/engine';
import { openDatabase, type Database } from '../../engine/src/store-sequelize/connect';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../engine/src/store-sequelize/embedded';
import { migrate } from '../../engine/src/store-sequelize/migrate';
import { MIGRATION_FOLDERS } from '../../api/src/migrations';
import { createSequelizeEngineStore } from '../../engine/src/store-sequelize/sequelize-engine-store';
import { probePostgres } from './engine-driver';
import { dropSchema, fmt, intFromEnv, Latencies, log, machine, readConfig, redactUrl, table, type LatencySummary } from './util';

/** One procedure, one task offered to the `desk` group of agency A: every client may see it. */
const BENCH_XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:motcua="http://motcua.vn/schema/bpmn/1.0" id="push-bench-definitions" targetNamespace="http://motcua.vn/bpmn/bench">
  <bpmn:process id="push-bench" name="Push bench" isExecutable="true">
    <bpmn:extensionElements><motcua:facts agency="A" /></bpmn:extensionElements>
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="receive" />
    <bpmn:userTask id="receive" name="Receive dossier">
      <bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="desk" /></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="receive" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

export interface PushBenchOptions {
  clients?: number;
  events?: number;
  /** Events sent before measuring (default 20). */
  warmup?: number;
  databases?: Array<'embedded' | 'postgres'>;
  databaseUrl?: string;
  /** Print the markdown table on stdout (default true). */
  print?: boolean;
}

export interface PushBenchRow {
  database: 'embedded' | 'postgres';
  clients: number;
  events: number;
  /** Commit → receipt by each client, ms (events × clients samples). */
  push: LatencySummary;
  /** io.emit → receipt by each client, ms. */
  bare: LatencySummary;
}

export interface PushBenchResult {
  kind: 'push';
  rows: PushBenchRow[];
  skipped: Array<{ database: string; reason: string }>;
  markdown: string;
}

/** Every token is a desk official of agency A named after it. */
const benchVerifier: TokenVerifier = {
  async verify(token: string): Promise<Principal> {
    return { id: token, roles: ['official'], agency: 'A', groups: ['desk'] };
  },
};

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Connects `count` clients (100 at a time) and resolves when each has `readyEvent` (or is connected). */
async function connectClients(url: string, count: number, readyEvent: 'ready' | 'connect'): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let start = 0; start < count; start += 100) {
    const batch = Array.from({ length: Math.min(100, count - start) }, (_, i) => {
      const socket = connectSocket(url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { token: `official-${start + i}` } });
      sockets.push(socket);
      return new Promise<void>((resolve, reject) => {
        socket.once(readyEvent, () => resolve());
        socket.once('connect_error', reject);
      });
    });
    await Promise.all(batch);
  }
  return sockets;
}

/** Counts receipts per event; `expect` resolves once an event reached every client (or fails after 30 s). */
class Receipts {
  private readonly counts = new Map<string, number>();
  private waiting?: { key: string; count: number; resolve: () => void };

  expect(key: string, count: number): Promise<void> {
    if ((this.counts.get(key) ?? 0) >= count) {
      this.counts.delete(key);
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${this.counts.get(key) ?? 0} of ${count} clients received ${key}`)), 30_000);
      this.waiting = {
        key,
        count,
        resolve: () => {
          clearTimeout(timer);
          this.counts.delete(key);
          resolve();
        },
      };
    });
  }

  got(key: string): void {
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    const waiting = this.waiting;
    if (waiting && waiting.key === key && count >= waiting.count) {
      this.waiting = undefined;
      waiting.resolve();
    }
  }
}

/** Push: commit → task.created at every client. */
async function measurePush(db: Database, clients: number, events: number, warmup: number): Promise<{ latency: LatencySummary; sample: TaskEventPayload }> {
  const store = createSequelizeEngineStore(db);
  const engine = new Engine({ store });
  await engine.deploy(BENCH_XML);
  const ctx: AppContext = { config: loadConfig({}), stores: createStores(db), engine, store, auth: benchVerifier, now: Date.now };
  // Registered before the push gateway's own listener: the time of the commit.
  const committedAt = new Map<string, number>();
  engine.events.on('committed', (event: { instanceId: string }) => committedAt.set(event.instanceId, performance.now()));

  const server = http.createServer();
  const push = await attachPush(server, ctx, { overdueScanMs: 0, adapter: 'memory' });
  const url = await listen(server);
  const latencies = new Latencies(clients * events);
  const receipts = new Receipts();
  let measuring = false;
  let sample: TaskEventPayload | undefined;
  const sockets = await connectClients(url, clients, 'ready');
  try {
    for (const socket of sockets) {
      socket.on('task.created', (event: TaskEventPayload) => {
        const at = performance.now();
        const t0 = committedAt.get(event.task.instanceId);
        if (measuring && t0 !== undefined) latencies.add((at - t0) * 1e6);
        sample ??= event;
        receipts.got(event.task.instanceId);
      });
    }
    for (let i = 0; i < warmup + events; i++) {
      measuring = i >= warmup;
      // The instance id is known once committed; receipts counted before that still count.
      const { instanceId } = await engine.startInstance({ processId: 'push-bench' });
      await receipts.expect(instanceId, clients);
      committedAt.delete(instanceId);
    }
  } finally {
    for (const socket of sockets) socket.disconnect();
    await push.close();
    await closeServer(server);
  }
  return { latency: latencies.summary(), sample: sample! };
}

/** Bare socket.io: io.emit → receipt at every client. */
async function measureBare(clients: number, events: number, warmup: number, sample: TaskEventPayload): Promise<LatencySummary> {
  const server = http.createServer();
  const io = new Server(server, { serveClient: false });
  const url = await listen(server);
  const latencies = new Latencies(clients * events);
  const receipts = new Receipts();
  let measuring = false;
  let t0 = 0;
  const sockets = await connectClients(url, clients, 'connect');
  try {
    for (const socket of sockets) {
      socket.on('task.created', (event: TaskEventPayload) => {
        const at = performance.now();
        if (measuring) latencies.add((at - t0) * 1e6);
        receipts.got(event.id);
      });
    }
    for (let i = 0; i < warmup + events; i++) {
      measuring = i >= warmup;
      const payload = { ...sample, id: `bare-${i}` };
      const done = receipts.expect(payload.id, clients);
      t0 = performance.now();
      io.emit('task.created', payload);
      await done;
    }
  } finally {
    for (const socket of sockets) socket.disconnect();
    await io.close();
  }
  return latencies.summary();
}

async function onEmbedded(run: (db: Database) => Promise<PushBenchRow>): Promise<PushBenchRow> {
  let server: EmbeddedPostgres | undefined;
  let db: Database | undefined;
  try {
    server = await startEmbeddedPostgres();
    db = await openDatabase({ url: server.url, embedded: true });
    await migrate(db, MIGRATION_FOLDERS);
    return await run(db);
  } finally {
    await db?.close();
    await server?.stop();
  }
}

async function onPostgres(url: string, run: (db: Database) => Promise<PushBenchRow>): Promise<PushBenchRow> {
  const schema = `bench_push_${randomBytes(4).toString('hex')}`;
  let db: Database | undefined;
  try {
    db = await openDatabase({ url, schema, poolMax: 4 });
    await migrate(db, MIGRATION_FOLDERS);
    return await run(db);
  } finally {
    await db?.close();
    await dropSchema(url, schema, 'push');
  }
}

const ms = (value: number): string => fmt(value, 2);

/** Runs the push benchmark (see the file comment); prints and returns the table. */
export async function runPushBench(options: PushBenchOptions = {}): Promise<PushBenchResult> {
  const clients = options.clients ?? intFromEnv('BENCH_PUSH_CLIENTS', 1000);
  const events = options.events ?? intFromEnv('BENCH_PUSH_EVENTS', 200);
  const warmup = options.warmup ?? 20;
  const databases =
    options.databases ?? ((process.env.BENCH_PUSH_DATABASES ?? 'embedded,postgres').split(',').map((s) => s.trim()).filter(Boolean) as Array<'embedded' | 'postgres'>);
  const databaseUrl = options.databaseUrl ?? readConfig().databaseUrl;
  const rows: PushBenchRow[] = [];
  const skipped: PushBenchResult['skipped'] = [];

  const measure = async (database: 'embedded' | 'postgres', db: Database): Promise<PushBenchRow> => {
    log(`push (${database}): ${clients} clients, ${warmup} + ${events} events`);
    const push = await measurePush(db, clients, events, warmup);
    log(`push (${database}): bare socket.io, same clients and payload`);
    const bare = await measureBare(clients, events, warmup, push.sample);
    return { database, clients, events, push: push.latency, bare };
  };

  for (const database of databases) {
    if (database === 'embedded') {
      rows.push(await onEmbedded((db) => measure('embedded', db)));
    } else if (database === 'postgres') {
      const reachable = await probePostgres(databaseUrl);
      if (reachable !== true) {
        skipped.push({ database, reason: reachable });
        continue;
      }
      rows.push(await onPostgres(databaseUrl, (db) => measure('postgres', db)));
    } else {
      throw new Error(`unknown database '${database}' (known: embedded, postgres)`);
    }
  }

  const m = machine();
  const lines = [
    `### Push latency (commit → client), ${clients} connected clients`,
    '',
    table(
      ['database', 'clients', 'events', 'push p50 ms', 'push p99 ms', 'push max ms', 'bare io.emit p50 ms', 'bare p99 ms', 'bare max ms', 'push − bare p50 ms'],
      rows.map((r) => [
        r.database,
        fmt(r.clients),
        fmt(r.events),
        ms(r.push.p50),
        ms(r.push.p99),
        ms(r.push.max),
        ms(r.bare.p50),
        ms(r.bare.p99),
        ms(r.bare.max),
        ms(r.push.p50 - r.bare.p50),
      ]),
    ),
    '',
    `Closed loop (one event in flight), every client may see every event; clients and server in one Node process ` +
      `(${m.cpu}, ${m.cores} cores). Push = the engine's commit → history read → policy check per socket → one broadcast; ` +
      `bare = io.emit of the same payload.` +
      (databases.includes('postgres') ? ` PostgreSQL: ${redactUrl(databaseUrl)}.` : ''),
    ...skipped.map((s) => `\nSkipped ${s.database}: ${s.reason}`),
  ];
  const markdown = lines.join('\n');
  if (options.print ?? true) process.stdout.write(`${markdown}\n`);
  return { kind: 'push', rows, skipped, markdown };
}

if (require.main === module) {
  runPushBench().then(
    () => setTimeout(() => process.exit(0), 100),
    (error) => {
      process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
}
