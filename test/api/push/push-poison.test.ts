/**
 * The push feed against malformed history rows written straight into the database:
 * events jsonb refuses (U+0000, a lone surrogate), events that are not an array, a task
 * row the feed cannot map. Each is skipped and reported, and every other event still
 * reaches real socket.io clients: live, on replay from the database, and after a restart.
 */
import pg from 'pg';
import pino from 'pino';
import type { AppContext } from '../../../api/src/context';
import { formatEventId, parseEventId, type SkippedRow, type TaskEventPayload } from '../../../api/src/push';
import { startApiServer } from '../../../api/src/server';
import { openTestDatabase, testDatabases } from '../../support/databases';
import { contextOver, Inbox, PUSH_BPMN, startDossier, startPush, waitUntil, type RunningPush, type TestContext } from './push-support';

/** Bad `events` texts, as another program (or a hand-made fix) could write them into the json column. */
const POISON = {
  nul: '[{"type":"taskOpened","task":{"id":"poison-nul","name":"a\\u0000b"}}]',
  surrogate: '[{"type":"taskCommented","taskId":"poison-surrogate","text":"\\ud800"}]',
  notAnArray: '{"type":"taskOpened","task":{"id":"poison-object"}}',
  scalar: '42',
};

describe.each(testDatabases())('api/push with malformed history rows on $name', ({ name }) => {
  let ctx: TestContext;
  let running: RunningPush;
  const skipped: SkippedRow[] = [];
  const inboxes: Inbox[] = [];

  const inbox = async (url: string, token: string, options: { lastEventId?: string } = {}): Promise<Inbox> => {
    const created = new Inbox(url, token, options);
    inboxes.push(created);
    return created.ready();
  };

  /** Writes a history row as a foreign program would; returns its (tx, id). */
  const poison = async (instanceId: string, events: string): Promise<{ tx: string; id: string }> => {
    const [rows] = await ctx.db.sequelize.query(
      `INSERT INTO history (instance_id, at, type, events, push) VALUES ($1, now(), 'taskOpened', $2::json, true) RETURNING tx::text AS tx, id::text AS id`,
      { bind: [instanceId, events] },
    );
    return (rows as Array<{ tx: string; id: string }>)[0];
  };

  const createdFor = (client: Inbox, taskId: string | undefined) =>
    client.waitFor(`task.created of ${taskId}`, (e) => e.name === 'task.created' && (e.payload as TaskEventPayload).task.id === taskId);

  /** On PostgreSQL, another application's transaction, open for the whole suite: it holds an id older than every row here and no lock in this schema. */
  let foreign: pg.Client | undefined;

  beforeAll(async () => {
    const db = await openTestDatabase(name);
    if (name === 'postgres') {
      foreign = new pg.Client({ connectionString: db.options.url });
      await foreign.connect();
      await foreign.query('BEGIN');
      await foreign.query('SELECT pg_current_xact_id()');
    }
    ctx = contextOver(db);
    await ctx.engine.deploy(PUSH_BPMN);
    running = await startPush(ctx, { onSkippedRow: (row) => skipped.push(row) });
  });

  afterEach(() => {
    for (const created of inboxes.splice(0)) created.close();
  });

  afterAll(async () => {
    await foreign?.query('COMMIT');
    await foreign?.end();
    await running?.close();
    await ctx?.db.close();
  });

  it('should skip rows whose events jsonb refuses or that are not arrays, report each, and deliver every later event live', async () => {
    // given
    const deskA = await inbox(running.url, 'desk-a');
    const first = await startDossier(ctx, 'push-a', 'receive');
    await createdFor(deskA, first.taskId);

    // when
    const bad = [
      await poison(first.instanceId, POISON.nul),
      await poison(first.instanceId, POISON.surrogate),
      await poison(first.instanceId, POISON.notAnArray),
      await poison(first.instanceId, POISON.scalar),
    ];
    const later = await startDossier(ctx, 'push-a', 'receive');

    // then
    await createdFor(deskA, later.taskId);
    await waitUntil('four reports', () => skipped.length >= 4);
    expect(skipped.map((row) => row.id).sort()).toEqual(bad.map((row) => row.id).sort());
    for (const row of skipped) {
      expect(row.position).toBe(formatEventId({ tx: BigInt(row.tx), id: BigInt(row.id), seq: 2 ** 31 - 1 }));
      expect(row.reason).toMatch(/cannot be read/);
    }
    expect(deskA.named('task.created').map((e) => (e as TaskEventPayload).task.id)).toEqual([first.taskId, later.taskId]);
  });

  it('should replay from the database across a malformed row (no buffer), reporting it once', async () => {
    // given: a feed that keeps nothing in memory, and a client that last saw an event before a bad row
    const reports: SkippedRow[] = [];
    const noBuffer = await startPush(ctx, { bufferSize: 0, onSkippedRow: (row) => reports.push(row) });
    try {
      const watcher = await inbox(noBuffer.url, 'desk-a');
      const before = await startDossier(ctx, 'push-a', 'receive');
      const seen = await createdFor(watcher, before.taskId);
      const bad = await poison(before.instanceId, POISON.nul);
      const after = await startDossier(ctx, 'push-a', 'receive');
      await createdFor(watcher, after.taskId);

      // when
      const back = await inbox(noBuffer.url, 'desk-a', { lastEventId: seen.id });

      // then
      await createdFor(back, after.taskId);
      expect(back.named('task.created').map((e) => (e as TaskEventPayload).task.id)).toEqual([after.taskId]);
      expect(back.readies[0].replayed).toBe(1);
      // Once, replay or not; and never the rows the first test poisoned, delivered before this feed
      // started, though the other application's transaction (see beforeAll) is older than them.
      expect(reports.map((row) => row.id)).toEqual([bad.id]);
    } finally {
      await noBuffer.close();
    }
  });

  it('should skip an event whose task row cannot be mapped (due date infinity), and deliver the others', async () => {
    // given
    const deskA = await inbox(running.url, 'desk-a');
    const odd = await startDossier(ctx, 'push-a', 'receive');
    await createdFor(deskA, odd.taskId);
    await ctx.db.sequelize.query(`UPDATE tasks SET due_at = 'infinity' WHERE id = $1`, { bind: [odd.taskId] });
    const reportsBefore = skipped.length;

    // when: an event of the odd task, then one of a sound task
    await ctx.engine.completeTask(odd.taskId!, { actor: 'desk-a' });
    const sound = await startDossier(ctx, 'push-a', 'receive');

    // then
    await createdFor(deskA, sound.taskId);
    await waitUntil('a report', () => skipped.length > reportsBefore);
    const report = skipped[skipped.length - 1];
    expect(report.reason).toMatch(/dueAt 'infinity' is not a time/);
    expect(parseEventId(report.position)?.seq).not.toBe(2 ** 31 - 1);
    expect(deskA.named('task.completed')).toEqual([]);
  });

  it('should come up after a restart over a malformed row, with socket.io attached, and push live events (counted in /metrics)', async () => {
    // given: a server, a poisoned row, the server stopped
    const logger = pino({ level: 'silent' });
    const firstServer = await startApiServer(ctx, { port: 0, logger });
    const dossier = await startDossier(ctx, 'push-a', 'receive');
    await poison(dossier.instanceId, POISON.nul);
    await poison(dossier.instanceId, POISON.notAnArray);
    await firstServer.close();

    // when: a new server on the same database
    const restarted = await startApiServer(ctx, { port: 0, logger });
    try {
      const deskA = await inbox(restarted.url, 'desk-a');
      const later = await startDossier(ctx, 'push-a', 'receive');

      // then
      expect(restarted.push).toBeDefined();
      await createdFor(deskA, later.taskId);
      const metrics = await (await fetch(`${restarted.url}/metrics`)).text();
      expect(metrics).toMatch(/^motcua_malformed_rows_skipped_total\{reader="push-feed"\} [1-9]\d*$/m);
    } finally {
      await restarted.close();
    }
  });
});
