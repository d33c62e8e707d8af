/**
 * Zeebe execution listeners (Camunda 8.8) served by an external worker over HTTP: the worker
 * activates and completes the start listener's job, the service task's job, then the end
 * listener's job, in that order, and the instance ends with what each of them set.
 */
import { testDatabases } from '../support/databases';
import { Client, useApi } from './harness';

const MODEL = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:motcua="http://motcua.vn/schema/bpmn/1.0" id="defs-listened" targetNamespace="http://motcua.vn/test">
  <bpmn:process id="listened" isExecutable="true">
    <bpmn:extensionElements><motcua:facts agency="A" /></bpmn:extensionElements>
    <bpmn:startEvent id="start" />
    <bpmn:serviceTask id="task">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="lookup" />
        <zeebe:executionListeners>
          <zeebe:executionListener eventType="start" type="before-lookup" />
          <zeebe:executionListener eventType="end" type="after-lookup" />
        </zeebe:executionListeners>
      </bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="task" />
    <bpmn:sequenceFlow id="f2" sourceRef="task" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

describe.each(testDatabases())('execution listeners with an external worker on $name', (target) => {
  const api = useApi(target);

  it('should hand out the start listener, the task and the end listener as jobs, in order, and end the instance', async () => {
    // given: the model, a worker of agency A, an instance
    const deployed = await api.as('adminA').request('POST', '/api/deployments', { raw: MODEL, headers: { 'content-type': 'application/xml' } });
    expect(deployed.status).toBe(201);
    const warned = (deployed.body.warnings as string[]).join('\n');
    for (const type of ['lookup', 'before-lookup', 'after-lookup']) expect(warned).toContain(`job type '${type}'`);
    const issued = await api.as('adminA').post('/api/service-accounts', { name: 'listener-worker' });
    const token = await api.as('anonymous').post('/api/oauth/token', { grant_type: 'client_credentials', client_id: issued.body.clientId, client_secret: issued.body.clientSecret });
    const client = new Client(
      () => api.url,
      () => token.body.access_token,
    );
    const { instanceId } = await api.engine.startInstance({ processId: 'listened', variables: { citizen: '001' } });

    // when: the worker serves every type until nothing is left, noting the order
    const order: string[] = [];
    for (let round = 0; round < 10; round++) {
      let any = false;
      for (const type of ['after-lookup', 'lookup', 'before-lookup']) {
        const res = await client.post('/api/jobs/activation', { type, worker: 'w1', maxJobsToActivate: 5 });
        expect(res.status).toBe(200);
        for (const job of res.body.jobs as Array<{ key: string; variables: Record<string, unknown> }>) {
          any = true;
          order.push(type);
          const variables = type === 'before-lookup' ? { checkedBefore: true } : type === 'lookup' ? { name: 'Trần Thị B', sawBefore: job.variables.checkedBefore ?? null } : { audited: true };
          expect((await client.post(`/api/jobs/${job.key}/completion`, { variables })).status).toBe(204);
        }
      }
      if (!any) break;
    }

    // then
    expect(order).toEqual(['before-lookup', 'lookup', 'after-lookup']);
    expect((await api.store.instance(instanceId))?.status).toBe('completed');
    expect(await api.engine.variables(instanceId)).toMatchObject({ citizen: '001', name: 'Trần Thị B', sawBefore: true, audited: true });
  });
});
