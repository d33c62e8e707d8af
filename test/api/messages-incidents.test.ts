/** `/api/messages` and `/api/incidents`. */
import { testDatabases } from '../support/databases';
import { processXml, useApi } from './harness';

describe.each(testDatabases())('messages and incidents on $name', (target) => {
  const api = useApi(target);

  beforeAll(async () => {
    for (const xml of [processXml({ id: 'waits', agency: 'A', message: true }), processXml({ id: 'service', agency: 'A', serviceTask: true })]) {
      const res = await api.as('analyst').request('POST', '/api/deployments', { raw: xml, headers: { 'content-type': 'application/xml' } });
      expect(res.status).toBe(201);
    }
  });

  describe('correlate', () => {
    it('should deliver a message to the instance waiting with its correlation key', async () => {
      // given
      const { instanceId } = (await api.as('officialA').post('/api/instances', { processId: 'waits', variables: { dossierCode: 'MSG-1' } })).body;

      // when
      const res = await api.as('officialA').post('/api/messages', { name: 'supplement', correlationKey: 'MSG-1', variables: { received: true } });

      // then
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ instanceIds: [instanceId], buffered: false });
      const instance = await api.as('officialA').get(`/api/instances/${instanceId}`);
      expect(instance.body.status).toBe('completed');
    });

    it('should answer 404 when nothing waits, and buffer with a time to live', async () => {
      const none = await api.as('officialA').post('/api/messages', { name: 'supplement', correlationKey: 'NOBODY' });
      expect(none.status).toBe(404);
      expect(none.body.code).toBe('MESSAGE_NOT_CORRELATED');

      const buffered = await api.as('officialA').post('/api/messages', { name: 'supplement', correlationKey: 'LATER', timeToLive: 60_000, messageId: 'm-1' });
      expect(buffered.body).toEqual({ instanceIds: [], buffered: true });
      const { instanceId } = (await api.as('officialA').post('/api/instances', { processId: 'waits', variables: { dossierCode: 'LATER' } })).body;
      expect((await api.as('officialA').get(`/api/instances/${instanceId}`)).body.status).toBe('completed');
    });

    it('should validate the body and correlate once for a repeated Idempotency-Key', async () => {
      const invalid = await api.as('officialA').post('/api/messages', { correlationKey: 'x', timeToLive: -1 });
      expect(invalid.status).toBe(400);
      expect(invalid.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.name', 'body.timeToLive']);

      // given two instances that wait for the same key, one after the other
      await api.as('officialA').post('/api/instances', { processId: 'waits', variables: { dossierCode: 'IDEM' } });
      const headers = { 'idempotency-key': 'msg-idem-1' };
      const first = await api.as('officialA').post('/api/messages', { name: 'supplement', correlationKey: 'IDEM' }, { headers });
      await api.as('officialA').post('/api/instances', { processId: 'waits', variables: { dossierCode: 'IDEM' } });

      // when
      const again = await api.as('officialA').post('/api/messages', { name: 'supplement', correlationKey: 'IDEM' }, { headers });

      // then: the replay did not reach the second instance
      expect(again.body).toEqual(first.body);
      const waiting = await api.sql("SELECT id FROM message_subscriptions WHERE correlation_key = 'IDEM'");
      expect(waiting).toHaveLength(1);
    });
  });

  describe('incidents', () => {
    async function failedJob() {
      const { instanceId } = (await api.as('officialA').post('/api/instances', { processId: 'service' })).body;
      const [job] = await api.store.jobs({ instanceId, kind: 'task' });
      await api.engine.failJob(job.id, { retries: 0, errorMessage: 'the registry did not answer' });
      return { instanceId, jobId: job.id };
    }

    it('should list open incidents of the agency and retry one', async () => {
      // given
      const { instanceId, jobId } = await failedJob();

      // when
      const list = await api.as('adminA').get(`/api/incidents?instanceId=${instanceId}`);
      const incident = list.body.items[0];
      const retried = await api.as('adminA').post(`/api/incidents/${incident.id}/retry`, { retries: 2 });
      const again = await api.as('adminA').post(`/api/incidents/${incident.id}/retry`);

      // then
      expect(list.status).toBe(200);
      expect(incident).toMatchObject({ instanceId, elementId: 'lookup', kind: 'job', state: 'open', message: expect.stringContaining('registry') });
      expect(retried.status).toBe(200);
      expect(retried.body).toMatchObject({ id: incident.id, state: 'resolved' });
      const [job] = await api.store.jobs({ instanceId, kind: 'task' });
      expect(job).toMatchObject({ id: jobId, retries: 2 });
      expect(again.status).toBe(409);
      const open = await api.as('adminA').get(`/api/incidents?instanceId=${instanceId}`);
      expect(open.body.items).toEqual([]);
      const resolved = await api.as('adminA').get(`/api/incidents?instanceId=${instanceId}&state=resolved`);
      expect(resolved.body.items).toHaveLength(1);
    });

    it('should show the typed cause of an incident, and start a call whose process is missing with an incident instead of refusing it', async () => {
      // given a call activity whose called process comes from a variable
      const calling = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:motcua="http://motcua.vn/schema/bpmn/1.0" id="defs-calling" targetNamespace="http://motcua.vn/test">
  <bpmn:process id="calling" isExecutable="true">
    <bpmn:extensionElements><motcua:facts agency="A" /></bpmn:extensionElements>
    <bpmn:startEvent id="start" />
    <bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="=target" /></bpmn:extensionElements></bpmn:callActivity>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="call" />
    <bpmn:sequenceFlow id="f2" sourceRef="call" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;
      const deployed = await api.as('analyst').request('POST', '/api/deployments', { raw: calling, headers: { 'content-type': 'application/xml' } });
      expect(deployed.status).toBe(201);

      // when
      const started = await api.as('officialA').post('/api/instances', { processId: 'calling', variables: { target: 'not-yet-deployed' } });
      const list = await api.as('adminA').get(`/api/incidents?instanceId=${started.body.instanceId}`);
      const { instanceId } = await failedJob();
      const jobIncidents = await api.as('adminA').get(`/api/incidents?instanceId=${instanceId}`);

      // then
      expect(started.status).toBe(201);
      expect(list.body.items).toEqual([
        expect.objectContaining({
          elementId: 'call',
          kind: 'calledElement',
          cause: 'calledProcessMissing',
          message: "call activity 'call' calls process 'not-yet-deployed', which is not deployed",
          state: 'open',
        }),
      ]);
      expect(jobIncidents.body.items[0]).toMatchObject({ kind: 'job', cause: 'jobFailed' });
    });

    it('should answer 404 for an unknown incident and 400 for bad retries', async () => {
      expect((await api.as('adminA').post('/api/incidents/nope/retry')).status).toBe(404);
      const { instanceId } = await failedJob();
      const [incident] = (await api.as('adminA').get(`/api/incidents?instanceId=${instanceId}`)).body.items;
      const bad = await api.as('adminA').post(`/api/incidents/${incident.id}/retry`, { retries: 0 });
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual([{ field: 'body.retries', message: 'must be >= 1' }]);
    });
  });
});
