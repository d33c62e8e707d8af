/**
 * Issue 12 through the public API: a hostile FEEL expression raises an incident and the server
 * keeps answering; oversized variables are a 400 naming them; an operator can suspend, resume and
 * cancel any instance.
 */
import { JobExecutor } from '../../engine/src/jobs/job-executor';
import { testDatabases } from '../support/databases';
import { processXml, useApi } from './harness';

const HOSTILE = '=count(for x in 1..100000000 return x)';

/** start → a one-hour timer → a script with a hostile expression → a user task → end. */
const BEHIND_TIMER = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:motcua="http://motcua.vn/schema/bpmn/1.0" id="defs-hostile" targetNamespace="http://motcua.vn/test">
  <bpmn:process id="hostile-behind-timer" isExecutable="true">
    <bpmn:extensionElements><motcua:facts agency="A" /></bpmn:extensionElements>
    <bpmn:startEvent id="start" />
    <bpmn:intermediateCatchEvent id="wait">
      <bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:scriptTask id="compute">
      <bpmn:extensionElements><zeebe:script expression="${HOSTILE}" resultVariable="n" /></bpmn:extensionElements>
    </bpmn:scriptTask>
    <bpmn:userTask id="review" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="compute" />
    <bpmn:sequenceFlow id="f3" sourceRef="compute" targetRef="review" />
    <bpmn:sequenceFlow id="f4" sourceRef="review" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

/** start → a timer whose own duration expression is hostile → end. */
const HOSTILE_TIMER = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:motcua="http://motcua.vn/schema/bpmn/1.0" id="defs-hostile-timer" targetNamespace="http://motcua.vn/test">
  <bpmn:process id="hostile-timer" isExecutable="true">
    <bpmn:extensionElements><motcua:facts agency="A" /></bpmn:extensionElements>
    <bpmn:startEvent id="start" />
    <bpmn:intermediateCatchEvent id="hold">
      <bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">=string(count(for x in 1..100000000 return x))</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="hold" />
    <bpmn:sequenceFlow id="f2" sourceRef="hold" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

describe.each(testDatabases())('limits and operator control on $name', (target) => {
  const api = useApi(target, { limits: { maxVariableBytes: 10_000, maxStateBytes: 100_000 } });

  beforeAll(async () => {
    for (const xml of [BEHIND_TIMER, HOSTILE_TIMER, processXml({ id: 'plain', agency: 'A', tasks: [{ id: 'review', groups: 'desk' }] }), processXml({ id: 'service-held', agency: 'A', serviceTask: true })]) {
      const res = await api.as('analyst').request('POST', '/api/deployments', { raw: xml, headers: { 'content-type': 'application/xml' } });
      expect(res.status).toBe(201);
    }
  });

  /** Open incidents of an instance, as an agency admin sees them. */
  async function incidentsOf(instanceId: string): Promise<Array<{ id: string; elementId: string; message: string }>> {
    const res = await api.as('adminA').get(`/api/incidents?instanceId=${instanceId}`);
    expect(res.status).toBe(200);
    return res.body.items;
  }

  describe('a hostile expression', () => {
    it('should raise an incident when the timer before it fires, keep the server answering, and let the instance be cancelled', async () => {
      // given an instance waiting on its one-hour timer, and a job executor whose clock is two hours ahead
      const started = await api.as('officialA').post('/api/instances', { processId: 'hostile-behind-timer' });
      expect(started.status).toBe(201);
      const { instanceId } = started.body;
      const errors: unknown[] = [];
      const executor = new JobExecutor({ engine: api.engine, pollMs: 20, now: () => Date.now() + 2 * 3_600_000, onError: (e) => errors.push(e) });

      // when the timer fires
      executor.start();
      let incidents: Awaited<ReturnType<typeof incidentsOf>> = [];
      try {
        for (let i = 0; i < 200 && incidents.length === 0; i++) {
          // the server answers other requests meanwhile
          expect((await api.as('anonymous').get('/api/health')).status).toBe(200);
          incidents = await incidentsOf(instanceId);
          if (incidents.length === 0) await new Promise((resolve) => setTimeout(resolve, 25));
        }
      } finally {
        await executor.stop();
      }

      // then an incident on the script, naming the budget
      expect(incidents).toHaveLength(1);
      expect(incidents[0].elementId).toBe('compute');
      expect(incidents[0].message).toMatch(/exceeds the budget of \d+ operations/);
      expect(errors).toEqual([]);
      expect((await api.as('adminA').get(`/api/instances/${instanceId}`)).body.status).toBe('active');

      // when
      const cancelled = await api.as('adminA').post(`/api/instances/${instanceId}/cancel`, { reason: 'hostile expression' });

      // then
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.status).toBe('cancelled');
    });

    it('should raise an incident at a timer whose own expression is hostile, and let the instance be cancelled', async () => {
      // when
      const started = await api.as('officialA').post('/api/instances', { processId: 'hostile-timer' });

      // then
      expect(started.status).toBe(201);
      const incidents = await incidentsOf(started.body.instanceId);
      expect(incidents.map((i) => i.elementId)).toEqual(['hold']);
      expect(incidents[0].message).toMatch(/exceeds the budget/);

      // when
      const cancelled = await api.as('adminA').post(`/api/instances/${started.body.instanceId}/cancel`);

      // then
      expect(cancelled.body.status).toBe('cancelled');
    });
  });

  describe('variable size', () => {
    it('should refuse a start variable over the bound with a 400 naming it, and start nothing', async () => {
      // given
      const before = await api.sql<{ n: string }>("SELECT count(*) AS n FROM instances WHERE process_id = 'plain'");

      // when
      const res = await api.as('officialA').post('/api/instances', { processId: 'plain', variables: { small: 1, scan: 'x'.repeat(20_000) } });

      // then
      expect(res.status).toBe(400);
      expect(res.body.detail).toContain('variables.scan is larger than 10000 bytes');
      expect(JSON.stringify(res.body)).toContain('body.variables.scan');
      expect(await api.sql("SELECT count(*) AS n FROM instances WHERE process_id = 'plain'")).toEqual(before);
    });

    it('should refuse oversized variables on task completion and on set variables', async () => {
      // given
      const { instanceId } = (await api.as('officialA').post('/api/instances', { processId: 'plain' })).body;
      const [task] = await api.openTasks(instanceId);

      // when
      const completed = await api.as('officialA').post(`/api/tasks/${task.id}/complete`, { variables: { note: 'é'.repeat(6_000) } });
      const set = await api.as('adminA').patch(`/api/instances/${instanceId}/variables`, { variables: { note: ['x'.repeat(10_000)] } });

      // then
      expect(completed.status).toBe(400);
      expect(completed.body.detail).toContain('variables.note');
      expect(set.status).toBe(400);
      expect(set.body.detail).toContain('variables.note');
      expect(await api.openTasks(instanceId)).toHaveLength(1);
    });
  });

  describe('suspend and resume', () => {
    it('should hold the instance until it is resumed, for an agency admin only', async () => {
      // given
      const { instanceId } = (await api.as('officialA').post('/api/instances', { processId: 'plain' })).body;
      const [task] = await api.openTasks(instanceId);

      // when
      const byOfficial = await api.as('officialA').post(`/api/instances/${instanceId}/suspend`);
      const suspended = await api.as('adminA').post(`/api/instances/${instanceId}/suspend`, { reason: 'checking the dossier' });
      const again = await api.as('adminA').post(`/api/instances/${instanceId}/suspend`);
      const refused = await api.as('officialA').post(`/api/tasks/${task.id}/complete`, { variables: {} });

      // then
      expect(byOfficial.status).toBe(403);
      expect(suspended.status).toBe(200);
      expect(suspended.body).toMatchObject({ status: 'active', suspended: true });
      expect(again.status).toBe(409);
      expect(refused.status).toBe(409);
      expect(refused.body.detail).toContain('is suspended; resume it first');
      expect((await api.as('adminA').get(`/api/instances/${instanceId}`)).body.suspended).toBe(true);

      // when
      const resumed = await api.as('adminA').post(`/api/instances/${instanceId}/resume`);
      const completed = await api.as('officialA').post(`/api/tasks/${task.id}/complete`, { variables: {} });

      // then
      expect(resumed.status).toBe(200);
      expect(resumed.body.suspended).toBe(false);
      expect(completed.status).toBeLessThan(300);
      expect((await api.as('adminA').get(`/api/instances/${instanceId}`)).body.status).toBe('completed');
      expect((await api.as('adminA').post(`/api/instances/${instanceId}/resume`)).status).toBe(409);
    });

    it('should defer a timer that falls due while suspended, without an error, and fire it after resume', async () => {
      // given an instance suspended while its one-hour timer waits, and a job executor two hours ahead
      const { instanceId } = (await api.as('officialA').post('/api/instances', { processId: 'hostile-behind-timer' })).body;
      expect((await api.as('adminA').post(`/api/instances/${instanceId}/suspend`)).status).toBe(200);
      const [timer] = await api.store.jobs({ instanceId, kind: 'timer' });
      let ahead = 2 * 3_600_000;
      const errors: unknown[] = [];
      const executor = new JobExecutor({ engine: api.engine, pollMs: 20, now: () => Date.now() + ahead, onError: (e) => errors.push(e) });

      executor.start();
      try {
        // when the timer falls due: it is looked at again later
        let deferred = false;
        for (let i = 0; i < 200 && !deferred; i++) {
          const [job] = await api.store.jobs({ instanceId, kind: 'timer' });
          deferred = job !== undefined && job.dueAt > timer.dueAt + 3_600_000;
          if (!deferred) await new Promise((resolve) => setTimeout(resolve, 25));
        }

        // then
        expect(deferred).toBe(true);
        expect(errors).toEqual([]);
        expect(await incidentsOf(instanceId)).toEqual([]);

        // when resumed, and the clock passes the re-check
        expect((await api.as('adminA').post(`/api/instances/${instanceId}/resume`)).status).toBe(200);
        ahead += 120_000;
        let incidents: Awaited<ReturnType<typeof incidentsOf>> = [];
        for (let i = 0; i < 200 && incidents.length === 0; i++) {
          incidents = await incidentsOf(instanceId);
          if (incidents.length === 0) await new Promise((resolve) => setTimeout(resolve, 25));
        }

        // then the timer fired (and the script after it met its budget)
        expect(incidents.map((i) => i.elementId)).toEqual(['compute']);
      } finally {
        await executor.stop();
      }
      expect((await api.as('adminA').post(`/api/instances/${instanceId}/cancel`)).status).toBe(200);
    });

    it('should hold the jobs of its service tasks while suspended and release them on resume', async () => {
      // given an instance whose service task job is due
      const { instanceId } = (await api.as('officialA').post('/api/instances', { processId: 'service-held' })).body;
      const [created] = await api.store.jobs({ instanceId, kind: 'task' });
      expect(created.dueAt).toBeLessThanOrEqual(Date.now());

      // when
      await api.as('adminA').post(`/api/instances/${instanceId}/suspend`);

      // then no worker can claim it, and a late report is refused
      const [held] = await api.store.jobs({ instanceId, kind: 'task' });
      expect(held.dueAt).toBeGreaterThan(Date.UTC(9000, 0, 1));
      await expect(api.engine.completeJob(created.id, { variables: {} })).rejects.toThrow(/is suspended/);

      // when
      await api.as('adminA').post(`/api/instances/${instanceId}/resume`);

      // then
      const [released] = await api.store.jobs({ instanceId, kind: 'task' });
      expect(released.dueAt).toBeLessThanOrEqual(Date.now());
      await api.engine.completeJob(created.id, { variables: {} });
      expect((await api.as('adminA').get(`/api/instances/${instanceId}`)).body.status).toBe('completed');
    });

    it('should cancel a suspended instance and record both in its history', async () => {
      // given
      const { instanceId } = (await api.as('officialA').post('/api/instances', { processId: 'plain' })).body;
      await api.as('adminA').post(`/api/instances/${instanceId}/suspend`);

      // when
      const cancelled = await api.as('adminA').post(`/api/instances/${instanceId}/cancel`);

      // then
      expect(cancelled.body.status).toBe('cancelled');
      const history = await api.as('adminA').get(`/api/instances/${instanceId}/history`);
      expect(history.body.items.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['instanceSuspended', 'instanceEnded']));
    });

    it('should list both routes in the OpenAPI document', async () => {
      const doc = (await api.as('anonymous').get('/api/openapi.json')).body;
      expect(doc.paths['/api/instances/{id}/suspend']?.post?.operationId).toBe('suspendInstance');
      expect(doc.paths['/api/instances/{id}/resume']?.post?.operationId).toBe('resumeInstance');
    });
  });
});
