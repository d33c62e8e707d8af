/** `/api/tasks`: the inbox, claim/unclaim/assign, complete with forms, comments. */
import { TASK_EVENT, type TaskEvent } from '../../engine/src/task-assignments';
import { testDatabases } from '../support/databases';
import { processXml, useApi, type Caller } from './harness';

const FORM = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['approved', 'fee'],
  properties: {
    approved: { type: 'boolean' },
    fee: { type: 'integer', minimum: 0 },
    note: { type: 'string', maxLength: 20 },
  },
};

describe.each(testDatabases())('tasks on $name', (target) => {
  const api = useApi(target);

  beforeAll(async () => {
    const form = new FormData();
    form.append(
      'bpmn',
      new Blob([
        processXml({
          id: 'inbox',
          agency: 'A',
          tasks: [
            { id: 'examine', groups: 'desk', formKey: 'examine', due: 'P2D' },
            { id: 'sign', groups: 'head' },
          ],
        }),
      ]),
      'inbox.bpmn',
    );
    form.append('forms', new Blob([JSON.stringify(FORM)]), 'examine.schema.json');
    expect((await api.as('adminA').request('POST', '/api/deployments', { raw: form })).status).toBe(201);
    const late = processXml({ id: 'late', agency: 'A', tasks: [{ id: 'overdue', groups: 'desk', due: '2020-01-01T00:00:00Z' }] });
    const personal = processXml({ id: 'personal', agency: 'A', tasks: [{ id: 'mine', users: 'nobody-else' }] });
    const other = processXml({ id: 'other-agency', agency: 'B', tasks: [{ id: 'examine', groups: 'desk' }] });
    for (const xml of [late, personal, other]) {
      expect((await api.as('analyst').request('POST', '/api/deployments', { raw: xml, headers: { 'content-type': 'application/xml' } })).status).toBe(201);
    }
  });

  async function newTask(processId = 'inbox', variables: Record<string, unknown> = {}, starter: Caller = 'officialA') {
    const started = await api.as(starter).post('/api/instances', { processId, variables });
    expect(started.status).toBe(201);
    const [task] = await api.openTasks(started.body.instanceId);
    return task;
  }

  describe('inbox', () => {
    it('should show an official the tasks of its agency offered to it, by due date, and nothing of another agency', async () => {
      // given
      const examine = await newTask('inbox');
      const overdue = await newTask('late');
      const notMine = await newTask('personal');
      const otherAgency = await newTask('other-agency', {}, 'officialB');

      // when
      const inbox = await api.as('officialA').get('/api/tasks?limit=200');
      const ids = inbox.body.items.map((t: { id: string }) => t.id);

      // then
      expect(inbox.status).toBe(200);
      expect(ids).toEqual(expect.arrayContaining([examine.id, overdue.id]));
      expect(ids).not.toContain(notMine.id);
      expect(ids).not.toContain(otherAgency.id);
      expect(ids.indexOf(overdue.id)).toBeLessThan(ids.indexOf(examine.id));
      const dues = inbox.body.items.filter((t: { dueAt?: string }) => t.dueAt).map((t: { dueAt: string }) => Date.parse(t.dueAt));
      expect([...dues].sort((a, b) => a - b)).toEqual(dues);
      expect(inbox.body.items.find((t: { id: string }) => t.id === overdue.id)).toMatchObject({ overdue: true, agency: 'A' });

      const admin = await api.as('adminA').get('/api/tasks?limit=200');
      expect(admin.body.items.map((t: { id: string }) => t.id)).toEqual(expect.arrayContaining([examine.id, overdue.id, notMine.id]));
      const officialB = await api.as('officialB').get('/api/tasks?limit=200');
      expect(officialB.body.items.map((t: { id: string }) => t.id)).toContain(otherAgency.id);
      expect(officialB.body.items.every((t: { agency: string }) => t.agency === 'B')).toBe(true);
    });

    it('should filter by scope, procedure, overdue and due date, sort descending, and page with a cursor', async () => {
      // given
      const a = await newTask('inbox');
      const b = await newTask('inbox');
      await api.as('officialA').post(`/api/tasks/${a.id}/claim`);

      // when
      const assigned = await api.as('officialA').get('/api/tasks?scope=assigned&limit=200');
      const candidate = await api.as('officialA').get('/api/tasks?scope=candidate&processId=inbox&limit=200');
      const overdue = await api.as('officialA').get('/api/tasks?overdue=true&limit=200');
      const dueSoon = await api.as('officialA').get(`/api/tasks?dueBefore=${encodeURIComponent(new Date(Date.now() + 86_400_000).toISOString())}&limit=200`);
      const desc = await api.as('officialA').get('/api/tasks?sort=-dueAt&limit=200');

      // then
      expect(assigned.body.items.map((t: { id: string }) => t.id)).toContain(a.id);
      expect(assigned.body.items.every((t: { assignee: string }) => t.assignee === api.ids.officialA)).toBe(true);
      expect(candidate.body.items.map((t: { id: string }) => t.id)).toContain(b.id);
      expect(candidate.body.items.map((t: { id: string }) => t.id)).not.toContain(a.id);
      expect(candidate.body.items.every((t: { processId: string }) => t.processId === 'inbox')).toBe(true);
      expect(overdue.body.items.length).toBeGreaterThan(0);
      expect(overdue.body.items.every((t: { overdue: boolean }) => t.overdue)).toBe(true);
      expect(dueSoon.body.items.every((t: { processId: string }) => t.processId === 'late')).toBe(true);
      const withDue = desc.body.items.filter((t: { dueAt?: string }) => t.dueAt).map((t: { dueAt: string }) => Date.parse(t.dueAt));
      expect([...withDue].sort((x, y) => y - x)).toEqual(withDue);

      const all: string[] = [];
      let cursor: string | undefined;
      for (let n = 0; n < 100; n++) {
        const page = await api.as('officialA').get(`/api/tasks?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        all.push(...page.body.items.map((t: { id: string }) => t.id));
        cursor = page.body.nextCursor;
        if (!cursor) break;
      }
      const everything = await api.as('officialA').get('/api/tasks?limit=200');
      expect(all).toEqual(everything.body.items.map((t: { id: string }) => t.id));
    });

    it('should refuse a bad query naming the field', async () => {
      const res = await api.as('officialA').get('/api/tasks?state=done&dueBefore=tomorrow&cursor=%21%21');
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['query.cursor', 'query.dueBefore', 'query.state']);
    });
  });

  describe('get', () => {
    it('should give a task with its form', async () => {
      const task = await newTask();
      const res = await api.as('officialA').get(`/api/tasks/${task.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: task.id, elementId: 'examine', formKey: 'examine', candidateGroups: ['desk'], form: { formKey: 'examine', schema: FORM } });
      expect((await api.as('officialA').get('/api/tasks/nope')).status).toBe(404);
    });
  });

  describe('claim, unclaim, assign', () => {
    it('should claim, publish a task event and record it in history', async () => {
      // given
      const task = await newTask();
      const events: TaskEvent[] = [];
      const listener = (event: TaskEvent) => events.push(event);
      api.engine.events.on(TASK_EVENT, listener);

      // when
      const res = await api.as('officialA').post(`/api/tasks/${task.id}/claim`);
      api.engine.events.off(TASK_EVENT, listener);

      // then
      expect(res.status).toBe(200);
      expect(res.body.assignee).toBe(api.ids.officialA);
      expect(events).toEqual([
        expect.objectContaining({ instanceId: task.instanceId, effects: [{ type: 'taskClaimed', taskId: task.id, assignee: api.ids.officialA }], actor: api.ids.officialA }),
      ]);
      const history = await api.sql<{ type: string; actor: string; data: Record<string, unknown> }>(
        "SELECT type, actor, data FROM history_events WHERE instance_id = $1 AND type = 'taskClaimed'",
        [task.instanceId],
      );
      expect(history).toEqual([{ type: 'taskClaimed', actor: api.ids.officialA, data: expect.objectContaining({ taskId: task.id, assignee: api.ids.officialA }) }]);
    });

    it('should let one of two concurrent claims win and answer the other 409', async () => {
      // given
      const task = await newTask();

      // when
      const results = await Promise.all([api.as('officialA').post(`/api/tasks/${task.id}/claim`), api.as('officialA2').post(`/api/tasks/${task.id}/claim`)]);

      // then
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 409]);
      const loser = results.find((r) => r.status === 409)!;
      expect(loser.body.code).toBe('CONFLICT');
      const winner = results.find((r) => r.status === 200)!;
      const rows = await api.sql<{ assignee: string }>('SELECT assignee FROM tasks WHERE id = $1', [task.id]);
      expect(rows[0].assignee).toBe(winner.body.assignee);
      const claims = await api.sql("SELECT history_id FROM history_events WHERE instance_id = $1 AND type = 'taskClaimed'", [task.instanceId]);
      expect(claims).toHaveLength(1);
    });

    it('should let the assignee claim again (no change) and unclaim; another official gets 403', async () => {
      // given
      const task = await newTask();
      await api.as('officialA').post(`/api/tasks/${task.id}/claim`);

      // when
      const again = await api.as('officialA').post(`/api/tasks/${task.id}/claim`);
      const byOther = await api.as('officialA2').post(`/api/tasks/${task.id}/unclaim`);
      const unclaim = await api.as('officialA').post(`/api/tasks/${task.id}/unclaim`);
      const twice = await api.as('officialA').post(`/api/tasks/${task.id}/unclaim`);

      // then
      expect(again.status).toBe(200);
      expect(byOther.status).toBe(403);
      expect(unclaim.status).toBe(200);
      expect(unclaim.body.assignee).toBeUndefined();
      expect(twice.status).toBe(409);
    });

    it('should let an agency admin assign (delegate) and unclaim anyone’s task', async () => {
      // given
      const task = await newTask();
      await api.as('officialA').post(`/api/tasks/${task.id}/claim`);

      // when
      const assigned = await api.as('adminA').post(`/api/tasks/${task.id}/assign`, { assignee: api.ids.officialA2 });
      const invalid = await api.as('adminA').post(`/api/tasks/${task.id}/assign`, { assignee: '' });
      const unclaimed = await api.as('adminA').post(`/api/tasks/${task.id}/unclaim`);

      // then
      expect(assigned.status).toBe(200);
      expect(assigned.body.assignee).toBe(api.ids.officialA2);
      expect(invalid.status).toBe(400);
      expect(invalid.body.errors).toEqual([{ field: 'body.assignee', message: expect.any(String) }]);
      expect(unclaimed.status).toBe(200);
      const history = await api.sql<{ type: string; data: Record<string, unknown> }>(
        "SELECT type, data FROM history_events WHERE instance_id = $1 AND type IN ('taskClaimed', 'taskAssigned', 'taskUnclaimed') ORDER BY history_id, seq",
        [task.instanceId],
      );
      expect(history.map((h) => h.type)).toEqual(['taskClaimed', 'taskAssigned', 'taskUnclaimed']);
      expect(history[1].data).toMatchObject({ taskId: task.id, assignee: api.ids.officialA2, previousAssignee: api.ids.officialA, by: api.ids.adminA });
    });
  });

  describe('users named by username, as Camunda models do', () => {
    beforeAll(async () => {
      const byName = processXml({ id: 'by-username', agency: 'A', tasks: [{ id: 'named' }] }).replace(
        '<bpmn:userTask id="named" name="named"></bpmn:userTask>',
        '<bpmn:userTask id="named" name="named"><bpmn:extensionElements><zeebe:assignmentDefinition assignee="=initiator" candidateUsers="Official-A2, nobody-at-all" /></bpmn:extensionElements></bpmn:userTask>',
      );
      const fixed = processXml({ id: 'fixed-username', agency: 'A', tasks: [{ id: 'fixed' }] }).replace(
        '<bpmn:userTask id="fixed" name="fixed"></bpmn:userTask>',
        '<bpmn:userTask id="fixed" name="fixed"><bpmn:extensionElements><zeebe:assignmentDefinition assignee="official-a" /></bpmn:extensionElements></bpmn:userTask>',
      );
      for (const xml of [byName, fixed]) {
        expect((await api.as('adminA').request('POST', '/api/deployments', { raw: xml, headers: { 'content-type': 'application/xml' } })).status).toBe(201);
      }
    });

    it('should give the task to the user the model names by username, statically or from a variable', async () => {
      // when
      const fixed = await newTask('fixed-username');
      const fromVariable = await newTask('by-username', { initiator: 'official-a2' });

      // then
      expect(fixed.assignee).toBe(api.ids.officialA);
      expect(fromVariable.assignee).toBe(api.ids.officialA2);
      expect(fromVariable.candidateUsers).toEqual([api.ids.officialA2, 'nobody-at-all']);
      const opened = await api.sql<{ data: { task: { assignee: string } } }>(
        "SELECT data FROM history_events WHERE instance_id = $1 AND type = 'taskOpened'",
        [fixed.instanceId],
      );
      expect(opened.map((h) => h.data.task.assignee)).toEqual([api.ids.officialA]);
      const inbox = await api.as('officialA').get('/api/tasks?scope=assigned&limit=200');
      expect(inbox.body.items.map((t: { id: string }) => t.id)).toContain(fixed.id);
      const done = await api.as('officialA').post(`/api/tasks/${fixed.id}/complete`, { variables: {} });
      expect(done.status).toBe(200);
      // not offered to officialA: as if it did not exist (docs/conventions.md)
      expect((await api.as('officialA').post(`/api/tasks/${fromVariable.id}/complete`, { variables: {} })).status).toBe(404);
    });

    it('should assign by username (any case) or user id, and refuse a user who is not an official of the task’s agency', async () => {
      // given
      const task = await newTask();

      // when
      const byUsername = await api.as('adminA').post(`/api/tasks/${task.id}/assign`, { assignee: 'OFFICIAL-A2' });
      const byId = await api.as('adminA').post(`/api/tasks/${task.id}/assign`, { assignee: api.ids.officialA });
      const otherAgency = await api.as('adminA').post(`/api/tasks/${task.id}/assign`, { assignee: 'official-b' });
      const notOfficial = await api.as('adminA').post(`/api/tasks/${task.id}/assign`, { assignee: 'analyst' });
      const nobody = await api.as('adminA').post(`/api/tasks/${task.id}/assign`, { assignee: 'no-such-user' });

      // then
      expect([byUsername.status, byUsername.body.assignee]).toEqual([200, api.ids.officialA2]);
      expect([byId.status, byId.body.assignee]).toEqual([200, api.ids.officialA]);
      for (const [res, reason] of [[otherAgency, "does not work for the task's agency 'A'"], [notOfficial, 'not an official'], [nobody, 'no such user']] as const) {
        expect([res.status, res.body.code]).toEqual([422, 'USER_NOT_ELIGIBLE']);
        expect(res.body.detail ?? res.body.title).toEqual(expect.stringContaining(reason));
      }
    });
  });

  describe('complete', () => {
    it('should validate the form data and name each wrong field', async () => {
      // given
      const task = await newTask();

      // when
      const res = await api.as('officialA').post(`/api/tasks/${task.id}/complete`, { variables: { fee: -1, note: 'x'.repeat(30) } });

      // then
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('FORM_INVALID');
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'body.variables.approved', message: expect.stringContaining('required') },
          { field: 'body.variables.fee', message: 'must be >= 0' },
          { field: 'body.variables.note', message: expect.stringContaining('20') },
        ]),
      );
      expect((await api.sql<{ state: string }>('SELECT state FROM tasks WHERE id = $1', [task.id]))[0].state).toBe('open');
    });

    it('should complete with valid data, then answer 409 to a second completion', async () => {
      // given
      const task = await newTask();

      // when
      const first = await api.as('officialA').post(`/api/tasks/${task.id}/complete`, { variables: { approved: true, fee: 50000 } });
      const second = await api.as('officialA').post(`/api/tasks/${task.id}/complete`, { variables: { approved: true, fee: 50000 } });

      // then
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ id: task.id, state: 'completed', completedBy: api.ids.officialA });
      expect(second.status).toBe(409);
      expect(second.body.code).toBe('CONFLICT');
      const vars = await api.as('officialA').get(`/api/instances/${task.instanceId}/variables`);
      expect(vars.body.variables).toMatchObject({ approved: true, fee: 50000 });
      const [sign] = await api.openTasks(task.instanceId);
      expect(sign.elementId).toBe('sign');
    });

    it('should answer one of two concurrent completions 409', async () => {
      const task = await newTask();
      const body = { variables: { approved: false, fee: 0 } };
      const results = await Promise.all([
        api.as('officialA').post(`/api/tasks/${task.id}/complete`, body),
        api.as('officialA2').post(`/api/tasks/${task.id}/complete`, body),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const completed = await api.sql("SELECT history_id FROM history_events WHERE instance_id = $1 AND type = 'taskCompleted'", [task.instanceId]);
      expect(completed).toHaveLength(1);
    });

    /** The path completing `task` on /api, or on Camunda's /v2 facade (its key made by a search, as a client finds it). */
    const completionPath = async (route: '/api' | '/v2', task: { id: string }): Promise<string> => {
      if (route === '/api') return `/api/tasks/${task.id}/complete`;
      expect((await api.as('officialA2').post('/v2/user-tasks/search', { filter: { state: 'CREATED' } })).status).toBe(200);
      const [{ key }] = await api.sql<{ key: string }>("SELECT key::text AS key FROM v2_keys WHERE kind = 'task' AND id = $1", [task.id]);
      return `/v2/user-tasks/${key}/completion`;
    };

    // Needs two sessions at once: the embedded database is one.
    (target.embedded ? it.skip.each : it.each)(['/api', '/v2'] as const)('should refuse a completion on %s when another official claimed the task while the completion waited for the lock', async (route) => {
      // given: an open task nobody has, its instance locked by another transaction
      const task = await newTask();
      const path = await completionPath(route, task);
      const held = await api.db.sequelize.transaction();
      try {
        const [[{ pid }]] = (await api.db.sequelize.query('SELECT pg_backend_pid() AS pid', { transaction: held })) as [Array<{ pid: number }>, unknown];
        await api.db.sequelize.query('SELECT id FROM instances WHERE id = $1 FOR UPDATE', { bind: [task.instanceId], transaction: held });

        // when: officialA2 completes it (and waits for the lock); officialA claims it meanwhile; the lock goes
        const completing = api.as('officialA2').post(path, { variables: { approved: true, fee: 1 } });
        while ((await api.sql<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [pid]))[0].n === 0) {
          await new Promise((resolve) => setImmediate(resolve));
        }
        const claimed = await api.as('officialA').post(`/api/tasks/${task.id}/claim`);
        expect(claimed.status).toBe(200);
        await held.commit();
        const res = await completing;

        // then: judged on the task as it is under the lock: officialA's now
        expect(res.status).toBe(403);
        const rows = await api.sql<{ state: string; assignee: string }>('SELECT state, assignee FROM tasks WHERE id = $1', [task.id]);
        expect(rows).toEqual([{ state: 'open', assignee: api.ids.officialA }]);
        expect(await api.sql("SELECT history_id FROM history_events WHERE instance_id = $1 AND type = 'taskCompleted'", [task.instanceId])).toEqual([]);
      } finally {
        await held.rollback().catch(() => undefined);
      }
    });

    it('should refuse a task claimed by someone else with 403', async () => {
      const task = await newTask();
      await api.as('officialA').post(`/api/tasks/${task.id}/claim`);
      const res = await api.as('officialA2').post(`/api/tasks/${task.id}/complete`, { variables: { approved: true, fee: 1 } });
      expect(res.status).toBe(403);
    });
  });

  describe('comments', () => {
    it('should add and list comments, with a history row each', async () => {
      // given
      const task = await newTask();

      // when
      const added = await api.as('officialA').post(`/api/tasks/${task.id}/comments`, { text: 'Thiếu bản sao CCCD' });
      await api.as('adminA').post(`/api/tasks/${task.id}/comments`, { text: 'Đã nhắc công dân' });
      const empty = await api.as('officialA').post(`/api/tasks/${task.id}/comments`, { text: '' });
      const list = await api.as('officialA').get(`/api/tasks/${task.id}/comments`);

      // then
      expect(added.status).toBe(201);
      expect(added.body).toMatchObject({ id: expect.any(String), taskId: task.id, author: api.ids.officialA, text: 'Thiếu bản sao CCCD' });
      expect(empty.status).toBe(400);
      expect(empty.body.errors[0].field).toBe('body.text');
      expect(list.body.items.map((c: { text: string }) => c.text)).toEqual(['Thiếu bản sao CCCD', 'Đã nhắc công dân']);
      const rows = await api.sql("SELECT history_id FROM history_events WHERE instance_id = $1 AND type = 'taskCommented'", [task.instanceId]);
      expect(rows).toHaveLength(2);
      expect((await api.as('officialA').get('/api/tasks/nope/comments')).status).toBe(404);
    });
  });
});
