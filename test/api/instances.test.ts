/** `/api/instances`: start, list, read, cancel, variables, history, position. */
import { testDatabases } from '../support/databases';
import { processXml, useApi } from './harness';

describe.each(testDatabases())('instances on $name', (target) => {
  const api = useApi(target);

  beforeAll(async () => {
    const deployed = await api.as('analyst').request('POST', '/api/deployments', {
      raw: processXml({ id: 'permit', agency: 'A', tasks: [{ id: 'examine', groups: 'desk' }, { id: 'sign', groups: 'head' }] }),
      headers: { 'content-type': 'application/xml' },
    });
    expect(deployed.body).toMatchObject({ definitions: [{ processId: 'permit' }] });
  });

  const start = (body: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    api.as('officialA').post('/api/instances', { processId: 'permit', ...body }, { headers });

  describe('start', () => {
    it('should start an instance with variables and a business key', async () => {
      // when
      const res = await start({ businessKey: 'H29-0001', variables: { applicant: 'Lan', amount: 3 } });

      // then
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ instanceId: expect.any(String), definitionId: expect.stringMatching(/^permit:1:/), version: 1, status: 'active' });
      const got = await api.as('officialA').get(`/api/instances/${res.body.instanceId}`);
      expect(got.body).toMatchObject({ id: res.body.instanceId, processId: 'permit', version: 1, businessKey: 'H29-0001', status: 'active', agencies: ['A'] });
      const vars = await api.as('officialA').get(`/api/instances/${res.body.instanceId}/variables`);
      expect(vars.body).toEqual({ variables: { applicant: 'Lan', amount: 3 } });
    });

    it('should start a given version of a process, looked up inside the command (the embedded database has one connection)', async () => {
      // given a second version of a process
      const xml = (variant?: string) => processXml({ id: 'permit-versions', agency: 'A', tasks: [{ id: 'examine', groups: 'desk' }], variant });
      for (const variant of [undefined, 'v2']) {
        const res = await api.as('adminA').request('POST', '/api/deployments', { raw: xml(variant), headers: { 'content-type': 'application/xml' } });
        expect(res.status).toBe(201);
      }

      // when
      const first = await start({ processId: 'permit-versions', version: 1 });
      const second = await start({ processId: 'permit-versions', version: 2 });
      const missing = await start({ processId: 'permit-versions', version: 3 });
      const health = await api.as('anonymous').get('/api/health');

      // then
      expect([first.status, first.body.version, first.body.definitionId]).toEqual([201, 1, expect.stringMatching(/^permit-versions:1:/)]);
      expect([second.status, second.body.version]).toEqual([201, 2]);
      expect(missing.status).toBe(404);
      expect(missing.body.errors).toEqual([{ field: 'body.version', message: expect.stringContaining('no version 3') }]);
      expect(health.status).toBe(200);
    });

    it('should name the field of a wrong start: unknown process, bad variable name, bad version', async () => {
      const unknown = await api.as('officialA').post('/api/instances', { processId: 'no-such-process' });
      expect(unknown.status).toBe(404);
      expect(unknown.body.errors).toEqual([{ field: 'body.processId', message: expect.stringContaining('not deployed') }]);

      const badName = await start({ variables: { 'not a name': 1 } });
      expect(badName.status).toBe(400);
      expect(badName.body.errors[0].field).toBe('body.variables.not a name');

      const badVersion = await start({ version: 0 });
      expect(badVersion.status).toBe(400);
      expect(badVersion.body.errors).toEqual([{ field: 'body.version', message: 'must be >= 1' }]);

      const neither = await api.as('officialA').post('/api/instances', {});
      expect(neither.status).toBe(400);
      expect(neither.body.errors[0].field).toBe('body.processId');
    });

    it('should start one instance for a repeated Idempotency-Key and refuse the key with another body', async () => {
      // given
      const headers = { 'idempotency-key': 'start-dossier-H29-0002' };

      // when
      const first = await start({ businessKey: 'H29-0002' }, headers);
      const again = await start({ businessKey: 'H29-0002' }, headers);
      const other = await start({ businessKey: 'H29-0003' }, headers);
      const otherUser = await api.as('officialA2').post('/api/instances', { processId: 'permit', businessKey: 'H29-0002' }, { headers });

      // then
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.body.instanceId).toBe(first.body.instanceId);
      expect(other.status).toBe(422);
      expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(otherUser.status).toBe(201); // keys are per user
      const list = await api.as('adminA').get('/api/instances?businessKey=H29-0002');
      expect(list.body.items).toHaveLength(2);
    });

    it('should create one instance for two concurrent requests with one Idempotency-Key', async () => {
      // when
      const headers = { 'idempotency-key': 'concurrent-H29-0009' };
      const results = await Promise.all([start({ businessKey: 'H29-0009' }, headers), start({ businessKey: 'H29-0009' }, headers)]);

      // then: one ran; the other got its answer, or was told the first is still running
      expect(results.map((r) => r.status).sort()).toEqual(expect.arrayContaining([201]));
      for (const r of results) expect([201, 409]).toContain(r.status);
      const list = await api.as('adminA').get('/api/instances?businessKey=H29-0009');
      expect(list.body.items).toHaveLength(1);
    });

    it('should refuse a malformed Idempotency-Key', async () => {
      const res = await start({}, { 'idempotency-key': 'x'.repeat(201) });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'headers.idempotency-key', message: expect.any(String) }]);
    });
  });

  describe('list', () => {
    it('should filter by process, status and business key, and page newest first', async () => {
      // given
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await start({ businessKey: `LIST-${i}` })).body.instanceId);
      await api.as('adminA').post(`/api/instances/${ids[0]}/cancel`, { reason: 'withdrawn' });

      // when
      const byKey = await api.as('officialA').get('/api/instances?businessKey=LIST-3');
      const cancelled = await api.as('officialA').get('/api/instances?status=cancelled&processId=permit');
      const pages: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await api.as('officialA').get(`/api/instances?processId=permit&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.status).toBe(200);
        pages.push(...page.body.items.map((i: { id: string }) => i.id));
        cursor = page.body.nextCursor;
      } while (cursor);

      // then
      expect(byKey.body.items.map((i: { id: string }) => i.id)).toEqual([ids[3]]);
      expect(cancelled.body.items.map((i: { id: string }) => i.id)).toContain(ids[0]);
      expect(cancelled.body.items.every((i: { status: string }) => i.status === 'cancelled')).toBe(true);
      expect(new Set(pages).size).toBe(pages.length);
      for (const id of ids) expect(pages).toContain(id);
      expect(pages.indexOf(ids[4])).toBeLessThan(pages.indexOf(ids[0]));
    });

    it('should show officials of another agency none of agency A’s instances', async () => {
      await start({ businessKey: 'HIDDEN-1' });
      const res = await api.as('officialB').get('/api/instances?businessKey=HIDDEN-1');
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([]);
    });
  });

  describe('cancel', () => {
    it('should cancel, then answer 409 for a second cancel and 404 for an unknown instance', async () => {
      // given
      const { instanceId } = (await start()).body;

      // when
      const first = await api.as('adminA').post(`/api/instances/${instanceId}/cancel`, { reason: 'withdrawn by the applicant' });
      const second = await api.as('adminA').post(`/api/instances/${instanceId}/cancel`);
      const unknown = await api.as('adminA').post('/api/instances/no-such-instance/cancel');

      // then
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ id: instanceId, status: 'cancelled', endedAt: expect.any(String) });
      expect(second.status).toBe(409);
      expect(unknown.status).toBe(404);
      expect(await api.openTasks(instanceId)).toEqual([]);
    });
  });

  describe('variables', () => {
    it('should set variables and keep the others', async () => {
      // given
      const { instanceId } = (await start({ variables: { a: 1, b: 'x' } })).body;

      // when
      const res = await api.as('adminA').patch(`/api/instances/${instanceId}/variables`, { variables: { b: 'y', c: [1, 2] } });
      const invalid = await api.as('adminA').patch(`/api/instances/${instanceId}/variables`, { vars: {} });

      // then
      expect(res.status).toBe(200);
      expect(res.body.variables).toEqual({ a: 1, b: 'y', c: [1, 2] });
      expect(invalid.status).toBe(400);
      expect(invalid.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.variables', 'body.vars']);
    });
  });

  describe('history and position', () => {
    it('should give the history and where the instance is on its diagram', async () => {
      // given
      const { instanceId } = (await start()).body;
      const [examine] = await api.openTasks(instanceId);
      await api.as('officialA').post(`/api/tasks/${examine.id}/complete`, { variables: { ok: true } });

      // when
      const history = await api.as('officialA').get(`/api/instances/${instanceId}/history`);
      const position = await api.as('officialA').get(`/api/instances/${instanceId}/position`);

      // then
      const types = history.body.items.map((h: { type: string }) => h.type);
      expect(types[0]).toBe('instanceStarted');
      expect(types).toEqual(expect.arrayContaining(['taskOpened', 'taskCompleted', 'flowTaken']));
      expect(history.body.items[0]).toMatchObject({ at: expect.any(String), actor: api.ids.officialA });
      expect(position.body).toMatchObject({ instanceId, status: 'active', incidentElementIds: [] });
      expect(position.body.activeElementIds).toEqual(['sign']);
      expect(position.body.completedElementIds).toEqual(expect.arrayContaining(['start', 'examine']));
      expect(position.body.takenFlowIds).toEqual(['f1', 'f2']);
    });

    it('should answer 404 for an unknown instance', async () => {
      for (const path of ['', '/variables', '/history', '/position']) {
        const res = await api.as('adminA').get(`/api/instances/nope${path}`);
        expect(res.status).toBe(404);
        expect(res.body.errors).toEqual([{ field: 'params.id', message: expect.any(String) }]);
      }
    });
  });
});
