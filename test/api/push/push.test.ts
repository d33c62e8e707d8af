/**
 * The push gateway on both databases, with real socket.io clients against a real
 * http server: handshake, who receives what, replay after a disconnect and after a
 * server restart, overdue tasks, incidents.
 */
import { createAuthService } from '../../../api/src/auth/auth-service';
import { UnauthorizedError } from '../../../api/src/auth/errors';
import type { AppContext } from '../../../api/src/context';
import { comparePositions, parseEventId, type TaskEventPayload } from '../../../api/src/push';
import { TaskAssignments } from '../../../engine/src/task-assignments';
import { createSequelizeTaskStore } from '../../../engine/src/store-sequelize/sequelize-task-store';
import { openTestDatabase, testDatabases } from '../../support/databases';
import { contextOver, Inbox, openTask, PRINCIPALS, PUSH_BPMN, sleep, startDossier, startPush, waitUntil, type RunningPush, type TestContext } from './push-support';

describe.each(testDatabases())('api/push on $name', ({ name }) => {
  let ctx: TestContext;
  let running: RunningPush;
  const inboxes: Inbox[] = [];

  const inbox = async (token: string, options: { lastEventId?: string } = {}, url = running.url): Promise<Inbox> => {
    const created = new Inbox(url, token, options);
    inboxes.push(created);
    return created.ready();
  };

  beforeAll(async () => {
    const db = await openTestDatabase(name);
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

  it(`should pick the ${name === 'embedded' ? 'in-memory' : 'postgres'} adapter by default`, () => {
    expect(running.push.io.of('/').adapter.constructor.name).toBe(name === 'embedded' ? 'Adapter' : 'PostgresAdapter');
  });

  describe('handshake', () => {
    it('should refuse a client without a token, saying how to send one', async () => {
      // given
      const client = new Inbox(running.url, undefined);
      inboxes.push(client);

      // when
      const error = await client.connectError();

      // then
      expect(error.message).toMatch(/^Authentication required: send the access token as auth: \{ token \}/);
      expect(error.data).toEqual({ code: 'UNAUTHORIZED' });
    });

    it('should refuse a bad token, with the reason', async () => {
      // given
      const client = new Inbox(running.url, 'not-a-token');
      inboxes.push(client);

      // when
      const error = await client.connectError();

      // then
      expect(error.message).toBe('Authentication failed: the token is expired or not ours');
      expect(error.data).toEqual({ code: 'UNAUTHORIZED' });
    });

    it('should accept the token in an Authorization header', async () => {
      // given
      const client = new Inbox(running.url, undefined, { headers: { authorization: 'Bearer desk-a' } });
      inboxes.push(client);

      // when
      await client.ready();

      // then
      expect(client.socket.connected).toBe(true);
    });

    it('should refuse a lastEventId that is not an event id', async () => {
      // given
      const client = new Inbox(running.url, 'desk-a', { lastEventId: 'yesterday' });
      inboxes.push(client);

      // when
      const error = await client.connectError();

      // then
      expect(error.message).toMatch(/^Invalid lastEventId "yesterday"/);
    });
  });

  describe('with the auth service', () => {
    it("should accept the service's tokens and refuse a tampered one", async () => {
      // given
      const service = await createAuthService({ stores: ctx.stores, env: {} });
      const withTokens = await startPush({ ...ctx, auth: service });
      try {
        const { token } = await service.issueToken(PRINCIPALS['desk-a']);
        const tampered = `${token.slice(0, -4)}${token.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;

        // when
        const accepted = await inbox(token, {}, withTokens.url);
        const refused = new Inbox(withTokens.url, tampered);
        inboxes.push(refused);

        // then
        expect(accepted.socket.connected).toBe(true);
        expect((await refused.connectError()).message).toBe('Authentication failed: The bearer token was not accepted');
      } finally {
        await withTokens.close();
      }
    });
  });

  describe('session', () => {
    it('should disconnect a socket whose token is no longer accepted, saying why', async () => {
      // given: a server that verifies tokens again every 50 ms, and a token about to be revoked
      let revoked = false;
      const auth = {
        verify: async (token: string) => {
          if (revoked) throw new UnauthorizedError('The bearer token was not accepted', { reason: 'user disabled' });
          return PRINCIPALS[token];
        },
      };
      const strict = await startPush({ ...ctx, auth }, { reverifyMs: 50 });
      try {
        const client = await inbox('desk-a', {}, strict.url);

        // when
        revoked = true;

        // then
        const notice = await client.waitFor('unauthorized', (e) => e.name === 'unauthorized');
        expect(notice).toEqual({ message: 'Authentication failed: The bearer token was not accepted; reconnect with a new token and your lastEventId' });
        await waitUntil('disconnect', () => !client.socket.connected);
      } finally {
        await strict.close();
      }
    });
  });

  describe('live events', () => {
    it("should send task.created for a task of the official's group, and nothing of another agency", async () => {
      // given
      const deskA = await inbox('desk-a');
      const deskB = await inbox('desk-b');

      // when: B's task first, then A's
      const b = await startDossier(ctx, 'push-b', 'b-receive');
      const a = await startDossier(ctx, 'push-a', 'receive');

      // then: A's event arrives; B's (earlier in the feed) would have arrived before it
      const created = (await deskA.waitFor('task.created of A', (e) => e.name === 'task.created' && (e.payload as TaskEventPayload).task.id === a.taskId)) as TaskEventPayload;
      await deskB.waitFor('task.created of B', (e) => e.name === 'task.created');
      expect(created).toMatchObject({
        type: 'task.created',
        id: expect.stringMatching(/^\d+-\d+-\d+$/),
        at: expect.any(String),
        task: {
          id: a.taskId,
          instanceId: a.instanceId,
          processId: 'push-a',
          elementId: 'receive',
          name: 'Receive dossier',
          assignee: null,
          candidateGroups: ['desk'],
          agency: 'A',
          dueAt: null,
          state: 'open',
        },
      });
      expect(deskA.events.map((e) => (e.payload as TaskEventPayload).task.id)).toEqual([a.taskId]);
      expect(deskB.events.map((e) => (e.payload as TaskEventPayload).task.id)).toEqual([b.taskId]);
    });

    it('should send task.completed, and the next task only to its own group', async () => {
      // given
      const deskA = await inbox('desk-a');
      const headA = await inbox('head-a');
      const admin = await inbox('admin-a');
      const a = await startDossier(ctx, 'push-a', 'receive');
      await deskA.waitFor('task.created', (e) => e.name === 'task.created');
      await admin.waitFor('task.created', (e) => e.name === 'task.created');

      // when
      await ctx.engine.completeTask(a.taskId!, { actor: 'desk-a' });

      // then
      const approve = await openTask(ctx, a.instanceId, 'approve');
      const completed = (await deskA.waitFor('task.completed', (e) => e.name === 'task.completed')) as TaskEventPayload;
      expect(completed).toMatchObject({ type: 'task.completed', actor: 'desk-a', task: { id: a.taskId, state: 'completed' } });
      await headA.waitFor('task.created of approve', (e) => e.name === 'task.created' && (e.payload as TaskEventPayload).task.id === approve.id);
      await admin.waitFor('task.created of approve', (e) => e.name === 'task.created' && (e.payload as TaskEventPayload).task.id === approve.id);
      // The desk sees its own task complete, never the head's new one; the head never saw the desk's task.
      await sleep(200);
      expect(deskA.events.map((e) => e.name)).toEqual(['task.created', 'task.completed']);
      expect(headA.events.map((e) => e.name)).toEqual(['task.created']);
      expect(admin.events.map((e) => e.name)).toEqual(['task.created', 'task.completed', 'task.created']);
    });

    it('should tell whoever could see a task that it was claimed, and only those who still can about what follows', async () => {
      // given: a task offered to every official of agency A
      const assignments = new TaskAssignments({ store: createSequelizeTaskStore(ctx.db), events: ctx.engine.events });
      const desk1 = await inbox('desk-a');
      const desk2 = await inbox('desk-a2');
      const open = await startDossier(ctx, 'push-open', 'anyone');
      await desk1.waitFor('task.created', (e) => e.name === 'task.created');
      await desk2.waitFor('task.created', (e) => e.name === 'task.created');

      // when
      await assignments.claim(open.taskId!, { assignee: 'desk-a' });
      await assignments.comment(open.taskId!, { text: 'missing the birth certificate', author: 'desk-a' });
      await assignments.unclaim(open.taskId!, { actor: 'desk-a' });

      // then
      const unclaimed = (e: { name: string; payload: unknown }) => e.name === 'task.updated' && (e.payload as TaskEventPayload).change === 'unclaimed';
      await desk1.waitFor('unclaim', unclaimed);
      await desk2.waitFor('unclaim', unclaimed);
      const seen = (i: Inbox) => i.events.map((e) => [e.name, (e.payload as TaskEventPayload).change ?? null, (e.payload as TaskEventPayload).task.assignee]);
      expect(seen(desk1)).toEqual([
        ['task.created', null, null],
        ['task.claimed', null, 'desk-a'],
        ['task.updated', 'commented', 'desk-a'],
        ['task.updated', 'unclaimed', null],
      ]);
      // desk-a2 saw the task leave its inbox and come back, not the comment in between.
      expect(seen(desk2)).toEqual([
        ['task.created', null, null],
        ['task.claimed', null, 'desk-a'],
        ['task.updated', 'unclaimed', null],
      ]);
    });

    it("should ask the policy for every delivery: a task of A assigned to B's official never reaches it", async () => {
      // given: desk-b is in the room user:desk-b, which a task assigned to it goes to
      const assignments = new TaskAssignments({ store: createSequelizeTaskStore(ctx.db), events: ctx.engine.events });
      const deskB = await inbox('desk-b');
      const admin = await inbox('admin-a');
      const a = await startDossier(ctx, 'push-a', 'receive');

      // when
      await assignments.assign(a.taskId!, { assignee: 'desk-b', actor: 'admin-a' });

      // then
      await admin.waitFor('assignment', (e) => (e.payload as TaskEventPayload).change === 'assigned');
      const answer = await deskB.socket.timeout(10_000).emitWithAck('replay', { lastEventId: '0-0' });
      expect(answer).toMatchObject({ replayed: expect.any(Number) });
      expect(deskB.events.filter((e) => (e.payload as TaskEventPayload).task?.id === a.taskId)).toEqual([]);
    });

    it('should send incident.created to the agency admins only', async () => {
      // given
      const admin = await inbox('admin-a');
      const desk = await inbox('desk-a');
      const { instanceId } = await startDossier(ctx, 'push-service');
      const job = await waitUntil('job', async () => (await ctx.store.jobs({ instanceId, kind: 'task' }))[0]);

      // when
      await ctx.engine.failJob(job.id, { retries: 0, errorMessage: 'registry unavailable' });

      // then
      const incident = await admin.waitFor('incident.created', (e) => e.name === 'incident.created');
      expect(incident).toMatchObject({
        type: 'incident.created',
        incident: { instanceId, processId: 'push-service', elementId: 'lookup', kind: 'job', cause: 'jobFailed', message: 'registry unavailable', jobId: job.id, agency: 'A' },
      });
      await sleep(200);
      expect(desk.events).toEqual([]);
    });
  });

  describe('overdue', () => {
    it('should report an overdue task once, however often the scan runs', async () => {
      // given
      const late = await startDossier(ctx, 'push-late', 'late');
      const desk = await inbox('desk-a');

      // when
      const reported = await running.push.scanOverdue();
      const again = await Promise.all([running.push.scanOverdue(), running.push.scanOverdue()]);

      // then
      expect(reported).toBeGreaterThanOrEqual(1);
      expect(again).toEqual([0, 0]);
      const overdue = (await desk.waitFor('task.overdue', (e) => e.name === 'task.overdue')) as TaskEventPayload;
      expect(overdue.task).toMatchObject({ id: late.taskId, dueAt: '2020-01-01T00:00:00.000Z', state: 'open' });
      await sleep(200);
      expect(desk.named('task.overdue')).toHaveLength(1);
    });
  });

  describe('replay', () => {
    it('should send exactly the missed events, in order, to a client that reconnects with its lastEventId', async () => {
      // given: one client stays connected as the witness, one goes away
      const witness = await inbox('admin-a');
      const client = await inbox('admin-a');
      const a = await startDossier(ctx, 'push-a', 'receive');
      await client.waitFor('first task', (e) => (e.payload as TaskEventPayload).task?.id === a.taskId);
      const resumeFrom = client.lastEventId!;
      client.close();

      // when: things happen while it is away
      await ctx.engine.completeTask(a.taskId!, { actor: 'desk-a' });
      const approve = await openTask(ctx, a.instanceId, 'approve');
      await ctx.engine.completeTask(approve.id, { actor: 'head-a' });
      const b = await startDossier(ctx, 'push-a', 'receive');
      await witness.waitFor('last task', (e) => (e.payload as TaskEventPayload).task?.id === b.taskId);
      client.socket.connect();
      await client.ready(2);

      // then
      const missed = witness.events.filter((e) => isAfter(e.payload.id, resumeFrom));
      expect(missed.map((e) => e.name)).toEqual(['task.completed', 'task.created', 'task.completed', 'task.created']);
      const replayed = client.events.filter((e) => isAfter(e.payload.id, resumeFrom));
      expect(replayed).toEqual(missed);
      expect(client.readies[1]).toMatchObject({ replayed: 4 });
    });

    it('should replay from the middle of a command: the events after the one last seen, of the same history row and later', async () => {
      // given: completing `receive` opens `approve` in the same command (one history row, two events)
      const witness = await inbox('admin-a');
      const a = await startDossier(ctx, 'push-a', 'receive');
      await witness.waitFor('first task', (e) => (e.payload as TaskEventPayload).task?.id === a.taskId);
      await ctx.engine.completeTask(a.taskId!, { actor: 'desk-a' });
      const created = await witness.waitFor('approve', (e) => e.name === 'task.created' && (e.payload as TaskEventPayload).task.id !== a.taskId);
      const completed = witness.events.find((e) => e.name === 'task.completed')!;
      const [completedAt, createdAt] = [parseEventId(completed.payload.id)!, parseEventId((created as TaskEventPayload).id)!];
      expect([createdAt.tx, createdAt.id]).toEqual([completedAt.tx, completedAt.id]);
      expect(createdAt.seq).toBeGreaterThan(completedAt.seq);

      // when: a client last saw the completion
      const client = await inbox('admin-a', { lastEventId: completed.payload.id });

      // then: it gets the rest of that row, nothing before
      await client.ready(1);
      expect(client.events.map((e) => e.payload)).toEqual([created]);
      expect(client.readies[0]).toMatchObject({ replayed: 1 });
    });

    it('should replay on request, only what the principal may see', async () => {
      // given
      const desk = await inbox('desk-a');
      const from = desk.lastEventId!;
      const a = await startDossier(ctx, 'push-a', 'receive');
      await startDossier(ctx, 'push-b', 'b-receive');
      await desk.waitFor('task', (e) => (e.payload as TaskEventPayload).task?.id === a.taskId);

      // when
      const answer = await desk.socket.timeout(10_000).emitWithAck('replay', { lastEventId: from });

      // then
      expect(answer).toMatchObject({ replayed: 1 });
      expect(desk.events.map((e) => (e.payload as TaskEventPayload).task.id)).toEqual([a.taskId, a.taskId]);
      expect(desk.events[1]).toEqual(desk.events[0]);
    });

    it('should bring a client back after a server restart, with what it missed', async () => {
      // given
      const client = await inbox('desk-a');
      const a = await startDossier(ctx, 'push-a', 'receive');
      await client.waitFor('task', (e) => (e.payload as TaskEventPayload).task?.id === a.taskId);
      const resumeFrom = client.lastEventId!;
      await running.close();
      await waitUntil('disconnect', () => !client.socket.connected);

      // when: commands go on while no push server runs, then a new one starts
      const b = await startDossier(ctx, 'push-a', 'receive');
      await ctx.engine.completeTask(a.taskId!, { actor: 'desk-a' });
      running = await startPush(ctx);
      const back = await inbox('desk-a', { lastEventId: resumeFrom });

      // then
      await back.waitFor('completion', (e) => e.name === 'task.completed');
      expect(back.events.map((e) => [e.name, (e.payload as TaskEventPayload).task.id])).toEqual([
        ['task.created', b.taskId],
        ['task.completed', a.taskId],
      ]);
      // Replayed from the new server's buffer, or, when another transaction on the server held the
      // feed's horizon back at its start (another suite running beside this one), delivered live as
      // the feed passes them: either way each once, in order (above).
      expect(back.readies[0].replayed).toBeLessThanOrEqual(2);
    });

    it('should resume from memory or from the database alike', async () => {
      // given: a server that keeps no events in memory
      const bare = await startPush(ctx, { bufferSize: 0 });
      try {
        const from = (await inbox('admin-a')).lastEventId!;
        const a = await startDossier(ctx, 'push-a', 'receive');
        await ctx.engine.completeTask(a.taskId!, { actor: 'desk-a' });
        await openTask(ctx, a.instanceId, 'approve');

        // when
        const fromMemory = await inbox('admin-a', { lastEventId: from });
        const fromDatabase = await inbox('admin-a', { lastEventId: from }, bare.url);
        await fromMemory.waitFor('approve', (e) => (e.payload as TaskEventPayload).task?.elementId === 'approve');
        await fromDatabase.waitFor('approve', (e) => (e.payload as TaskEventPayload).task?.elementId === 'approve');

        // then
        expect(fromDatabase.events).toEqual(fromMemory.events);
        expect(fromMemory.events.map((e) => e.name)).toEqual(['task.created', 'task.completed', 'task.created']);
      } finally {
        await bare.close();
      }
    });
  });
});

function isAfter(id: string, from: string): boolean {
  return comparePositions(parseEventId(id)!, parseEventId(from)!) > 0;
}
