/**
 * `/api/health` says ready only when every part serves: during start-up, while the
 * push gateway (socket.io) is not attached yet, it answers 503 naming `push`; once
 * socket.io accepts connections, 200. Parts registered by `serve` (the job executor)
 * count the same way.
 */
import pino from 'pino';
import type { Database } from '../../engine/src/store-sequelize/connect';
import { Readiness } from '../../api/src/readiness';
import { startApiServer, type RunningApiServer } from '../../api/src/server';
import { openTestDatabase, testDatabases } from '../support/databases';
import { contextOver, Inbox } from './push/push-support';

async function health(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}/api/health`);
  return { status: res.status, body: await res.json() };
}

describe.each(testDatabases())('readiness on $name', (target) => {
  let db: Database;
  const servers: RunningApiServer[] = [];
  const inboxes: Inbox[] = [];

  beforeAll(async () => {
    db = await openTestDatabase(target.name);
  });

  afterEach(async () => {
    for (const inbox of inboxes.splice(0)) inbox.socket.close();
    for (const server of servers.splice(0)) await server.close();
  });

  afterAll(async () => {
    await db?.close();
  });

  it('should answer 503 naming the push gateway until socket.io is attached, then 200', async () => {
    // given: a start-up held after listening, before the push gateway is attached
    let listening!: (url: string) => void;
    const url = new Promise<string>((resolve) => (listening = resolve));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const starting = startApiServer(contextOver(db), {
      port: 0,
      logger: pino({ level: 'silent' }),
      push: { overdueScanMs: 0 },
      beforePush: async (at) => {
        listening(at);
        await held;
      },
    });

    // when: probed during start-up
    const during = await health(await url);
    const early = new Inbox(await url, 'desk-a');
    inboxes.push(early);
    const refused = await new Promise<boolean>((resolve) => {
      early.socket.once('connect', () => resolve(false));
      early.socket.once('connect_error', () => resolve(true));
    });

    // then
    expect(during.status).toBe(503);
    expect(during.body).toMatchObject({ status: 'unavailable', database: { reachable: true }, parts: { push: { ready: false, detail: expect.stringMatching(/socket\.io/) } } });
    expect(refused).toBe(true);

    // when: start-up goes on
    release();
    servers.push(await starting);
    const inbox = new Inbox(await url, 'desk-a');
    inboxes.push(inbox);
    await inbox.ready();
    const after = await health(await url);

    // then
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({ status: 'ok', parts: { push: { ready: true } } });
  });

  it('should answer 503 while a part registered by serve is not ready, naming it', async () => {
    // given
    const readiness = new Readiness();
    const jobs = readiness.step('jobs', 'the job executor has not started');
    const server = await startApiServer(contextOver(db), { port: 0, logger: pino({ level: 'silent' }), push: false, readiness });
    servers.push(server);

    // when
    const before = await health(server.url);
    jobs.ready();
    const after = await health(server.url);
    jobs.notReady('the job executor is stopping');
    const stopping = await health(server.url);

    // then
    expect(before).toEqual({ status: 503, body: expect.objectContaining({ status: 'unavailable', parts: { jobs: { ready: false, detail: 'the job executor has not started' } } }) });
    expect(after).toEqual({ status: 200, body: expect.objectContaining({ status: 'ok', parts: { jobs: { ready: true } } }) });
    expect(stopping.status).toBe(503);
  });
});
