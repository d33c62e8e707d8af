/**
 * The push gateway where real PostgreSQL matters: commits that finish out of id
 * order, two API processes on one database (a child process, with the postgres
 * adapter, and with the redis adapter when Redis is up), overdue scans racing
 * between processes. Plus the refusal of the postgres adapter on PGlite.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from 'pg';
import { createClient } from 'redis';
import type { AppContext } from '../../../api/src/context';
import { attachPush, type PushAdapterKind, type TaskEventPayload } from '../../../api/src/push';
import { openTestDatabase, testDatabases } from '../../support/databases';
import { transpilingChild } from '../../support/ts-child';
import { contextOver, Inbox, PUSH_BPMN, sleep, startDossier, startPush, waitUntil, type RunningPush, type TestContext } from './push-support';
import { loadConfig } from '../../../api/src/config';

const REDIS_URL = process.env.MOTCUA_REDIS_URL || 'redis://127.0.0.1:6379';
const POSTGRES = testDatabases().find((t) => t.name === 'postgres')!;

/** The child program (push-process.ts), from the sources. */
const CHILD_BOOT = transpilingChild(`require(${JSON.stringify(join(__dirname, 'push-process.ts'))});`);

/** The other API process, driven line by line. */
class ApiProcess {
  readonly child: ChildProcess;
  private readonly lines: Array<Record<string, any>> = [];
  private readonly stderr: string[] = [];
  private read = 0;

  constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, ['-e', CHILD_BOOT], {
      cwd: join(__dirname, '../../..'),
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      try {
        this.lines.push(JSON.parse(line));
      } catch {
        // not ours
      }
    });
    this.child.stderr!.on('data', (chunk) => this.stderr.push(String(chunk)));
  }

  /** The next line that has `key`. */
  async next(key: string, timeoutMs = 30_000): Promise<Record<string, any>> {
    const found = await waitUntil(
      `'${key}' from the child process (stderr: ${this.stderr.join('').slice(-2000)})`,
      () => {
        if (this.child.exitCode !== null) throw new Error(`the child process exited (${this.child.exitCode}): ${this.stderr.join('').slice(-2000)}`);
        for (; this.read < this.lines.length; this.read++) {
          const line = this.lines[this.read];
          if (line.error) throw new Error(`child process: ${line.error}`);
          if (key in line) {
            this.read++;
            return line;
          }
        }
        return undefined;
      },
      timeoutMs,
    );
    return found;
  }

  /** Sends a command and answers the value under `answer` of its reply. */
  async send(command: Record<string, unknown>, answer: string): Promise<any> {
    this.child.stdin!.write(`${JSON.stringify(command)}\n`);
    return (await this.next(answer))[answer];
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin!.write(`${JSON.stringify({ cmd: 'exit' })}\n`);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

async function redisIsUp(): Promise<boolean> {
  const client = createClient({ url: REDIS_URL, socket: { connectTimeout: 1000, reconnectStrategy: false } });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    await client.quit();
    return true;
  } catch {
    return false;
  }
}

describe('api/push on postgres', () => {
  jest.setTimeout(120_000);
  let ctx: TestContext;
  let running: RunningPush;
  const inboxes: Inbox[] = [];

  const inbox = async (token: string, url = running.url): Promise<Inbox> => {
    const created = new Inbox(url, token);
    inboxes.push(created);
    return created.ready();
  };

  beforeAll(async () => {
    const db = await openTestDatabase('postgres');
    ctx = contextOver(db);
    await ctx.engine.deploy(PUSH_BPMN);
    running = await startPush(ctx);
  });

  afterEach(() => {
    for (const created of inboxes.splice(0)) created.close();
  });

  afterAll(async () => {
    await running?.close();
    await ctx?.db.close();
  });

  it('should use the redis adapter when MOTCUA_REDIS_URL is set', async () => {
    if (!(await redisIsUp())) return;
    // given the configuration read with MOTCUA_REDIS_URL set
    const config = { ...ctx.config, redisUrl: loadConfig({ MOTCUA_REDIS_URL: REDIS_URL }).redisUrl };

    // when
    const withRedis = await startPush({ ...ctx, config });

    // then
    expect(withRedis.push.io.of('/').adapter.constructor.name).toBe('RedisAdapter');
    await withRedis.close();
  });

  it('should never skip a row whose transaction commits after a later one', async () => {
    // given: a slow transaction writes a history row first (smaller id and tx) and stays open
    const desk = await inbox('desk-a');
    const first = await startDossier(ctx, 'push-a', 'receive');
    await desk.waitFor('first task', (e) => (e.payload as TaskEventPayload).task?.id === first.taskId);
    const slow = new Client({ connectionString: POSTGRES.url });
    await slow.connect();
    try {
      await slow.query(`SET search_path TO "${ctx.db.schema}"`);
      await slow.query('BEGIN');
      await slow.query(
        `INSERT INTO history (instance_id, at, actor, type, element_id, push, events)
         VALUES ($1, now(), 'slow', 'taskCommented', 'receive', true, json_build_array(json_build_object('type', 'taskCommented', 'taskId', $2::text, 'commentId', 'c1', 'by', 'slow')))`,
        [first.instanceId, first.taskId],
      );

      // when: a later transaction commits first
      const second = await startDossier(ctx, 'push-a', 'receive');
      await sleep(500);
      const whileOpen = desk.events.length;
      await slow.query('COMMIT');

      // then: both arrive, the slow one first (feed order), none skipped
      await desk.waitFor('second task', (e) => (e.payload as TaskEventPayload).task?.id === second.taskId);
      expect(whileOpen).toBe(1);
      expect(desk.events.map((e) => [e.name, (e.payload as TaskEventPayload).change ?? null, (e.payload as TaskEventPayload).task.id])).toEqual([
        ['task.created', null, first.taskId],
        ['task.updated', 'commented', first.taskId],
        ['task.created', null, second.taskId],
      ]);
    } finally {
      await slow.end();
    }
  });

  it("should not wait for another application's long transaction", async () => {
    // given: a write transaction in another schema, older than ours, left open
    const elsewhere = await openTestDatabase('postgres', { migrate: false });
    const other = new Client({ connectionString: POSTGRES.url });
    await other.connect();
    try {
      await elsewhere.sequelize.query('CREATE TABLE bulk_import (id int)');
      await other.query('BEGIN');
      await other.query(`INSERT INTO "${elsewhere.schema}".bulk_import SELECT generate_series(1, 1000)`);
      const desk = await inbox('desk-a');

      // when
      const started = Date.now();
      const dossier = await startDossier(ctx, 'push-a', 'receive');

      // then
      await desk.waitFor('the task', (e) => (e.payload as TaskEventPayload).task?.id === dossier.taskId, 5_000);
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await other.query('ROLLBACK').catch(() => undefined);
      await other.end();
      await elsewhere.close();
    }
  });

  it("should replay from the database what it pushed live past another application's long transaction", async () => {
    // given: a feed that keeps nothing in memory, and a write transaction elsewhere left open (xmin lags)
    const noBuffer = await startPush(ctx, { bufferSize: 0 });
    const elsewhere = await openTestDatabase('postgres', { migrate: false });
    const other = new Client({ connectionString: POSTGRES.url });
    await other.connect();
    try {
      await elsewhere.sequelize.query('CREATE TABLE bulk_import (id int)');
      const watcher = await inbox('desk-a', noBuffer.url);
      const before = await startDossier(ctx, 'push-a', 'receive');
      const seen = await watcher.waitFor('the first task', (e) => (e.payload as TaskEventPayload).task?.id === before.taskId);
      await other.query('BEGIN');
      await other.query(`INSERT INTO "${elsewhere.schema}".bulk_import SELECT generate_series(1, 10)`);
      const after = await startDossier(ctx, 'push-a', 'receive');
      await watcher.waitFor('the second task, live', (e) => (e.payload as TaskEventPayload).task?.id === after.taskId);

      // when: a client that last saw the first task comes back
      const back = new Inbox(noBuffer.url, 'desk-a', { lastEventId: seen.id });
      inboxes.push(back);
      await back.ready();

      // then: the replay (from the database: no buffer) has the second task
      expect(back.named('task.created').map((e) => (e as TaskEventPayload).task.id)).toEqual([after.taskId]);
    } finally {
      await other.query('ROLLBACK').catch(() => undefined);
      await other.end();
      await elsewhere.close();
      await noBuffer.close();
    }
  });

  it('should let two API processes report overdue tasks exactly once between them', async () => {
    // given: 30 overdue tasks, a client on each process, a second process on the same schema
    const other = new ApiProcess({ PUSH_DB_URL: POSTGRES.url, PUSH_DB_SCHEMA: ctx.db.schema, PUSH_ADAPTER: 'postgres' });
    try {
      const { url } = await other.next('ready', 120_000); // the child transpiles the API from source: slow on a busy machine
      const here = await inbox('desk-a');
      const there = await inbox('desk-a', url);
      const late = await Promise.all(Array.from({ length: 30 }, () => startDossier(ctx, 'push-late', 'late')));

      // when: both scan at once
      const [scannedThere, scannedHere] = await Promise.all([other.send({ cmd: 'scan' }, 'scanned'), running.push.scanOverdue()]);

      // then
      expect(scannedThere + scannedHere).toBeGreaterThanOrEqual(30);
      const rows = (await ctx.db.sequelize.query(`SELECT data->>'taskId' AS task FROM history_events WHERE type = 'taskOverdue'`, { type: 'SELECT', raw: true })) as Array<{
        task: string;
      }>;
      expect(new Set(rows.map((r) => r.task)).size).toBe(rows.length);
      const ids = late.map((l) => l.taskId).sort();
      for (const client of [here, there]) {
        await waitUntil('every overdue task', () => client.named('task.overdue').length >= 30);
      }
      await sleep(300);
      for (const client of [here, there]) {
        const overdue = client.named('task.overdue').map((e) => (e as TaskEventPayload).task.id);
        expect(overdue.filter((id) => ids.includes(id)).sort()).toEqual(ids);
        expect(new Set(overdue).size).toBe(overdue.length);
      }
    } finally {
      await other.stop();
    }
  });

  describe.each<PushAdapterKind>(['postgres', 'redis'])('two API processes with the %s adapter', (adapter) => {
    let redisUp = true;
    let here: RunningPush;
    let other: ApiProcess;
    let otherUrl: string;

    beforeAll(async () => {
      if (adapter === 'redis') {
        redisUp = await redisIsUp();
        if (!redisUp) {
          if (process.env.MOTCUA_REDIS_URL) throw new Error(`MOTCUA_REDIS_URL is set but Redis does not answer at ${REDIS_URL}`);
          process.stderr.write(`[push tests] Redis is not up at ${REDIS_URL}: the redis adapter tests do nothing\n`);
          return;
        }
      }
      // A long poll: what crosses between the processes must come through the adapter.
      here = await startPush(ctx, { adapter, redisUrl: REDIS_URL, pollMs: 600_000 });
      other = new ApiProcess({ PUSH_DB_URL: POSTGRES.url, PUSH_DB_SCHEMA: ctx.db.schema, PUSH_ADAPTER: adapter, PUSH_REDIS_URL: REDIS_URL, PUSH_POLL_MS: '600000' });
      otherUrl = (await other.next('ready', 120_000)).url;
      // Both adapters know of each other (heartbeats went both ways).
      await waitUntil('this process to see the other', async () => (await here.push.io.of('/').adapter.serverCount()) >= 2, 30_000);
      await waitUntil('the other process to see this one', async () => (await other.send({ cmd: 'servers' }, 'servers')) >= 2, 30_000);
    });

    afterAll(async () => {
      await other?.stop();
      await here?.close();
    });

    it('should bring a task created in one process to a client of the other, exactly once', async () => {
      if (!redisUp) return;
      // given
      const onThis = await inbox('desk-a', here.url);
      const onOther = await inbox('desk-a', otherUrl);

      // when: the other process creates a task, then this one, then the other again (the barrier)
      const fromOther = await other.send({ cmd: 'start', processId: 'push-a', elementId: 'receive' }, 'started');
      const fromThis = await startDossier(ctx, 'push-a', 'receive');
      const barrier = await other.send({ cmd: 'start', processId: 'push-a', elementId: 'receive' }, 'started');

      // then: everyone gets all three, once each, in the same order
      const created = (client: Inbox) => client.named('task.created').map((e) => (e as TaskEventPayload).task.id);
      for (const [where, client] of [['this process', onThis], ['the other process', onOther]] as const) {
        await client
          .waitFor(`the barrier on ${where}`, (e) => (e.payload as TaskEventPayload).task?.id === barrier.taskId, 15_000)
          .catch((error: Error) => {
            throw new Error(`${error.message}; it has ${JSON.stringify(created(client))}, expected ${JSON.stringify([fromOther.taskId, fromThis.taskId, barrier.taskId])}`);
          });
      }
      await sleep(300);
      expect(created(onThis)).toEqual([fromOther.taskId, fromThis.taskId, barrier.taskId]);
      expect(created(onOther)).toEqual(created(onThis));
      expect(onThis.events.map((e) => e.payload.id)).toEqual(onOther.events.map((e) => e.payload.id));
    });

    it('should carry a broadcast too big for one NOTIFY to the other process', async () => {
      if (!redisUp) return;
      // given: over 8 kB, so the postgres adapter goes through socket_io_attachments (migration 0003)
      const onOther = await inbox('desk-a', otherUrl);
      const notice = { text: 'x'.repeat(20_000) };
      let received: unknown;
      onOther.socket.once('notice', (payload: unknown) => (received = payload));

      // when
      (here.push.io as unknown as { to(room: string): { emit(event: string, payload: unknown): void } }).to('user:desk-a').emit('notice', notice);

      // then
      expect(await waitUntil('the notice', () => received)).toEqual(notice);
    });
  });
});

describe('api/push on embedded', () => {
  it('should refuse the postgres adapter, saying why', async () => {
    // given
    const db = await openTestDatabase('embedded');
    try {
      const ctx = contextOver(db);
      const server = (await import('node:http')).createServer();

      // when
      const attempt = attachPush(server, ctx, { adapter: 'postgres', overdueScanMs: 0 });

      // then
      await expect(attempt).rejects.toThrow(/postgres adapter cannot run on the embedded database/);
    } finally {
      await db.close();
    }
  });
});
