/**
 * The Camunda 8 REST v2 job subset (`/v2/jobs…`), driven by Camunda's own client
 * (`@camunda8/orchestration-cluster-api`) with OAuth client credentials against
 * `/api/oauth/token`: direct calls, and the client's job worker completing, failing
 * and throwing BPMN errors for motcua's service tasks.
 */
import { createCamundaClient } from '@camunda8/orchestration-cluster-api';
import { testDatabases } from '../support/databases';
import { useApi } from './harness';

function serviceProcess(id: string, type: string, errorCode?: string): string {
  const boundary = errorCode
    ? `<bpmn:boundaryEvent id="caught" attachedToRef="task"><bpmn:errorEventDefinition errorRef="err" /></bpmn:boundaryEvent>
       <bpmn:endEvent id="end-caught" />
       <bpmn:sequenceFlow id="b1" sourceRef="caught" targetRef="end-caught" />`
    : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:motcua="http://motcua.vn/schema/bpmn/1.0" id="defs-${id}" targetNamespace="http://motcua.vn/test">
  ${errorCode ? `<bpmn:error id="err" errorCode="${errorCode}" />` : ''}
  <bpmn:process id="${id}" isExecutable="true">
    <bpmn:extensionElements><motcua:facts agency="A" /></bpmn:extensionElements>
    <bpmn:startEvent id="start" />
    <bpmn:serviceTask id="task"><bpmn:extensionElements><zeebe:taskDefinition type="${type}" retries="2" /></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="task" />
    <bpmn:sequenceFlow id="f2" sourceRef="task" targetRef="end" />
    ${boundary}
  </bpmn:process>
</bpmn:definitions>`;
}

describe.each(testDatabases())('Camunda REST v2 jobs with the official client on $name', (target) => {
  const api = useApi(target);
  let camunda: ReturnType<typeof createCamundaClient>;

  beforeAll(async () => {
    for (const xml of [serviceProcess('v2-direct', 'v2-direct'), serviceProcess('v2-worker', 'v2-worker', 'REJECTED')]) {
      expect((await api.as('adminA').request('POST', '/api/deployments', { raw: xml, headers: { 'content-type': 'application/xml' } })).status).toBe(201);
    }
    const account = await api.as('adminA').post('/api/service-accounts', { name: 'camunda-client' });
    camunda = createCamundaClient({
      config: {
        CAMUNDA_REST_ADDRESS: api.url,
        CAMUNDA_AUTH_STRATEGY: 'OAUTH',
        CAMUNDA_OAUTH_URL: `${api.url}/api/oauth/token`,
        CAMUNDA_CLIENT_ID: account.body.clientId,
        CAMUNDA_CLIENT_SECRET: account.body.clientSecret,
        CAMUNDA_SDK_LOG_LEVEL: 'silent',
      },
    });
  });

  afterAll(() => camunda?.stopAllWorkers());

  async function until(check: () => Promise<boolean>): Promise<void> {
    while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  it('should activate and complete a job with direct calls', async () => {
    // given
    const { instanceId } = await api.engine.startInstance({ processId: 'v2-direct', variables: { parcel: 'P-1' } });

    // when
    const activated = await camunda.activateJobs({ type: 'v2-direct', worker: 'camunda-test', timeout: 60_000, maxJobsToActivate: 5, requestTimeout: -1 } as never);
    const [job] = activated.jobs;
    await camunda.updateJob({ jobKey: job.jobKey, changeset: { retries: 5, timeout: 120_000 } } as never);
    const retried = (await api.store.jobs({ instanceId, kind: 'task' }))[0].retries;
    await camunda.completeJob({ jobKey: job.jobKey, variables: { registered: true } } as never);
    const again = await camunda.completeJob({ jobKey: job.jobKey, variables: {} } as never).then(
      () => 'completed twice',
      (error: unknown) => String((error as { status?: number }).status ?? error),
    );

    // then
    expect(job).toMatchObject({ type: 'v2-direct', processDefinitionId: 'v2-direct', processDefinitionVersion: 1, elementId: 'task', retries: 2, variables: { parcel: 'P-1' } });
    expect(job.processInstanceKey).toMatch(/^[0-9]+$/); // numeric, mapped to ours
    expect((await api.sql<{ id: string }>("SELECT id FROM v2_keys WHERE kind = 'instance' AND key = $1::bigint", [job.processInstanceKey]))[0]?.id).toBe(instanceId);
    expect(typeof job.deadline).toBe('number');
    expect(job.jobKey).toMatch(/^[0-9]+$/); // Camunda's LongKey
    expect(retried).toBe(5);
    expect((await api.store.instance(instanceId))?.status).toBe('completed');
    expect(await api.engine.variables(instanceId)).toMatchObject({ registered: true });
    expect(again).toContain('404');
  });

  it("should serve service tasks with the client's job worker: complete, fail, BPMN error", async () => {
    // given three instances, one for each outcome
    const complete = await api.engine.startInstance({ processId: 'v2-worker', variables: { outcome: 'complete' } });
    const reject = await api.engine.startInstance({ processId: 'v2-worker', variables: { outcome: 'reject' } });
    const crash = await api.engine.startInstance({ processId: 'v2-worker', variables: { outcome: 'crash' } });

    // when the worker handles them
    const worker = camunda.createJobWorker({
      jobType: 'v2-worker',
      jobTimeoutMs: 60_000,
      maxParallelJobs: 5,
      pollTimeoutMs: 2_000,
      jobHandler: async (job) => {
        if (job.variables.outcome === 'reject') return job.error({ errorCode: 'REJECTED', errorMessage: 'not eligible', variables: { reason: 'age' } });
        if (job.variables.outcome === 'crash') return job.fail({ errorMessage: 'registry down', retries: 0 });
        return job.complete({ done: true });
      },
    });
    try {
      await until(async () => (await api.store.instance(complete.instanceId))?.status === 'completed');
      await until(async () => (await api.store.instance(reject.instanceId))?.status === 'completed');
      await until(async () => (await api.store.incidents({ instanceId: crash.instanceId, state: 'open' })).length === 1);
    } finally {
      worker.stop();
    }

    // then
    expect(await api.engine.variables(complete.instanceId)).toMatchObject({ done: true });
    const rejected = await api.store.history(reject.instanceId);
    expect(rejected.map((h) => h.type)).toContain('jobErrorThrown');
    expect(rejected.filter((h) => h.type === 'elementCompleted').map((h) => h.elementId)).toContain('end-caught');
    expect(await api.engine.variables(reject.instanceId)).toMatchObject({ reason: 'age' });
    expect(await api.store.incidents({ instanceId: crash.instanceId, state: 'open' })).toEqual([expect.objectContaining({ message: 'registry down' })]);
  });
});
