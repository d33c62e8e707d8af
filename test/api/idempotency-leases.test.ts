/**
 * An Idempotency-Key reserved by a request that never finished does not block its
 * retry: the reservation holds only while its owner renews its lease. Store semantics
 * on both databases; then a real API server process killed mid-request (PostgreSQL,
 * the compiled worker in dist/, built by `npm run build`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createSequelizeApiStore } from '../../api/src/store-sequelize/sequelize-api-store';
import type { ApiStore } from '../../api/src/store/api-store';
import { testDatabases } from '../support/databases';
import { processXml, useApi } from './harness';

const WORKER = join(__dirname, '../../dist/test/support/api-server-worker.js');

/** Polls `check` until it gives a value (no time is asserted; jest's timeout bounds it). */
async function eventually<T>(check: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each(testDatabases())('idempotency key leases on $name', (target) => {
  const api = useApi(target);
  let store: ApiStore;
  beforeAll(() => {
    store = createSequelizeApiStore(api.db);
  });

  it('should refuse a key held under a live lease, and tell how long it still holds', async () => {
    // given
    expect(await store.reserveIdempotencyKey('k-live', 'op', 'h1', Date.now(), { owner: 'a', ms: 60_000 })).toEqual({ reserved: true });

    // when
    const second = await store.reserveIdempotencyKey('k-live', 'op', 'h1', Date.now(), { owner: 'b', ms: 60_000 });

    // then
    expect(second).toEqual({ reserved: false, record: { requestHash: 'h1' }, leaseLeftMs: expect.any(Number) });
    expect((second as { leaseLeftMs: number }).leaseLeftMs).toBeGreaterThan(0);
    expect((second as { leaseLeftMs: number }).leaseLeftMs).toBeLessThanOrEqual(60_000);
  });

  it('should let exactly one of concurrent retries take over a key whose owner stopped renewing it', async () => {
    // given: owner 'dead' reserved with a lease it never renews
    await store.reserveIdempotencyKey('k-dead', 'op', 'h1', Date.now(), { owner: 'dead', ms: 1 });
    const expired = async () => {
      const [row] = await api.sql<{ expired: boolean }>("SELECT lease_until < now() AS expired FROM idempotency_keys WHERE key = 'k-dead'");
      return row.expired ? true : undefined;
    };
    await eventually(expired);

    // when
    const attempts = await Promise.all(['r1', 'r2', 'r3', 'r4'].map((owner) => store.reserveIdempotencyKey('k-dead', 'op', 'h1', Date.now(), { owner, ms: 60_000 })));

    // then
    expect(attempts.filter((a) => a.reserved)).toHaveLength(1);
    const [row] = await api.sql<{ owner: string }>("SELECT owner FROM idempotency_keys WHERE key = 'k-dead'");
    expect(['r1', 'r2', 'r3', 'r4']).toContain(row.owner);
    // the dead owner can neither renew, answer, nor free the key any more
    expect(await store.renewIdempotencyKey('k-dead', { owner: 'dead', ms: 60_000 })).toBe(false);
    expect(await store.saveIdempotentResponse('k-dead', 'dead', { requestHash: 'h1', response: { status: 201, body: {} } })).toBe(false);
    await store.releaseIdempotencyKey('k-dead', 'dead');
    expect(await api.sql("SELECT owner FROM idempotency_keys WHERE key = 'k-dead'")).toEqual([{ owner: row.owner }]);
  });

  it('should not let another request take an abandoned key, nor anyone take an answered one', async () => {
    // given
    await store.reserveIdempotencyKey('k-other', 'op', 'h1', Date.now(), { owner: 'dead', ms: 1 });
    await store.reserveIdempotencyKey('k-done', 'op', 'h1', Date.now(), { owner: 'a', ms: 1 });
    expect(await store.saveIdempotentResponse('k-done', 'a', { requestHash: 'h1', response: { status: 201, body: { id: 1 } } })).toBe(true);
    await eventually(async () => ((await api.sql<{ n: number }>("SELECT count(*)::int AS n FROM idempotency_keys WHERE key = 'k-other' AND lease_until < now()"))[0].n === 1 ? true : undefined));

    // when
    const other = await store.reserveIdempotencyKey('k-other', 'op', 'h2', Date.now(), { owner: 'b', ms: 60_000 });
    const done = await store.reserveIdempotencyKey('k-done', 'op', 'h1', Date.now(), { owner: 'b', ms: 60_000 });

    // then
    expect(other).toEqual({ reserved: false, record: { requestHash: 'h1' }, leaseLeftMs: 0 });
    expect(done).toEqual({ reserved: false, record: { requestHash: 'h1', response: { status: 201, body: { id: 1 } } }, leaseLeftMs: 0 });
  });

  it('should keep a key while its request renews the lease', async () => {
    // given
    await store.reserveIdempotencyKey('k-renewed', 'op', 'h1', Date.now(), { owner: 'a', ms: 1 });

    // when: renewed before anyone asks
    expect(await store.renewIdempotencyKey('k-renewed', { owner: 'a', ms: 60_000 })).toBe(true);

    // then
    expect((await store.reserveIdempotencyKey('k-renewed', 'op', 'h1', Date.now(), { owner: 'b', ms: 60_000 })).reserved).toBe(false);
  });
});

describe('an API server killed in the middle of an idempotent request', () => {
  const target = testDatabases().find((t) => t.name === 'postgres')!;
  const LEASE_MS = 1500;
  const api = useApi(target, { config: { idempotencyLeaseMs: LEASE_MS } });
  let worker: ChildProcess | undefined;

  afterAll(() => {
    worker?.kill('SIGKILL');
  });

  it('should let the retry on a new server start the instance once, without waiting for the purge', async () => {
    // given: a server process that reserves the key, begins the command and hangs there
    if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run 'npm run build' (npm test does it)`);
    expect((await api.as('adminA').request('POST', '/api/deployments', { raw: processXml({ id: 'idem-crash', agency: 'A', tasks: [{ id: 'a', groups: 'desk' }] }), headers: { 'content-type': 'application/xml' } })).status).toBe(201);
    const child = spawn(process.execPath, [WORKER], {
      env: { ...process.env, WORKER_URL: api.db.options.url, WORKER_SCHEMA: api.db.schema, WORKER_HANG: '1', MOTCUA_IDEMPOTENCY_LEASE_MS: String(LEASE_MS) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker = child;
    const lines: Array<Record<string, string>> = [];
    const stderr: string[] = [];
    createInterface({ input: child.stdout! }).on('line', (line) => lines.push(JSON.parse(line)));
    child.stderr!.on('data', (chunk) => stderr.push(String(chunk)));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const url = await eventually(async () => {
      if (child.exitCode !== null) throw new Error(`the worker exited: ${stderr.join('')}`);
      return lines.find((l) => l.ready)?.ready;
    });
    const body = JSON.stringify({ processId: 'idem-crash', businessKey: 'HS-CRASH' });
    const headers = { authorization: `Bearer ${api.token('officialA')}`, 'content-type': 'application/json', 'idempotency-key': 'crash-HS-CRASH' };
    const first = fetch(`${url}/api/instances`, { method: 'POST', headers, body }).catch((error: Error) => error);
    await eventually(async () => (lines.some((l) => l.working === 'startInstance') ? true : undefined));

    // and: while that server lives, it keeps renewing its key, however long the command takes
    await new Promise((resolve) => setTimeout(resolve, 2 * LEASE_MS));
    const meanwhile = await api.as('officialA').request('POST', '/api/instances', { raw: body, headers: { 'content-type': 'application/json', 'idempotency-key': 'crash-HS-CRASH' } });
    expect(meanwhile.status).toBe(409);
    expect(meanwhile.body.code).toBe('IDEMPOTENCY_KEY_IN_USE');

    // when: the server is killed mid-request, and the client retries on another server
    child.kill('SIGKILL');
    await exited;
    expect(await first).toHaveProperty('message', 'fetch failed'); // the server died before answering
    const refusals: number[] = [];
    const retried = await eventually(async () => {
      const res = await api.as('officialA').request('POST', '/api/instances', { raw: body, headers: { 'content-type': 'application/json', 'idempotency-key': 'crash-HS-CRASH' } });
      if (res.status !== 409) return res;
      refusals.push(Number(res.headers.get('retry-after')));
      return undefined;
    });
    const replayed = await api.as('officialA').request('POST', '/api/instances', { raw: body, headers: { 'content-type': 'application/json', 'idempotency-key': 'crash-HS-CRASH' } });

    // then
    expect(retried.status).toBe(201);
    expect(refusals.every((seconds) => seconds >= 1 && seconds <= Math.ceil(LEASE_MS / 1000))).toBe(true);
    expect(replayed.status).toBe(201);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.body.instanceId).toBe(retried.body.instanceId);
    expect(await api.sql("SELECT id FROM instances WHERE business_key = 'HS-CRASH'")).toEqual([{ id: retried.body.instanceId }]);
  }, 60_000);
});
