/**
 * The Camunda 8 REST (v2) subset driven end to end by Camunda's own client
 * (`@camunda8/orchestration-cluster-api`) against a real server: people call with their
 * motcua bearer token (the client's `fetch` adds it), the job worker with OAuth client
 * credentials. The client deploys a model, starts instances, its job worker completes the
 * service task, the user task is searched, assigned and completed, a message is published
 * and another correlated, a signal broadcast, an incident resolved, an instance cancelled.
 * Nothing here calls `/api` but the creation of the worker's service account.
 */
import { createCamundaClient } from '@camunda8/orchestration-cluster-api';
import { testDatabases } from '../support/databases';
import { useApi } from './harness';

const MODEL = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:motcua="http://motcua.vn/schema/bpmn/1.0" id="defs-v2-client" targetNamespace="http://motcua.vn/test">
  <bpmn:message id="m-paid" name="paid"><bpmn:extensionElements><zeebe:subscription correlationKey="=parcel" /></bpmn:extensionElements></bpmn:message>
  <bpmn:message id="m-stamped" name="stamped"><bpmn:extensionElements><zeebe:subscription correlationKey="=parcel" /></bpmn:extensionElements></bpmn:message>
  <bpmn:signal id="s-go" name="v2-go" />
  <bpmn:process id="v2-client" isExecutable="true">
    <bpmn:extensionElements><motcua:facts agency="A" /></bpmn:extensionElements>
    <bpmn:startEvent id="start" />
    <bpmn:serviceTask id="check"><bpmn:extensionElements><zeebe:taskDefinition type="v2-client-check" /></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:userTask id="review" name="Review"><bpmn:extensionElements><zeebe:userTask /><zeebe:assignmentDefinition candidateGroups="desk" /></bpmn:extensionElements></bpmn:userTask>
    <bpmn:intermediateCatchEvent id="wait-paid"><bpmn:messageEventDefinition messageRef="m-paid" /></bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="wait-stamped"><bpmn:messageEventDefinition messageRef="m-stamped" /></bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="wait-go"><bpmn:signalEventDefinition signalRef="s-go" /></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check" />
    <bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="review" />
    <bpmn:sequenceFlow id="f3" sourceRef="review" targetRef="wait-paid" />
    <bpmn:sequenceFlow id="f4" sourceRef="wait-paid" targetRef="wait-stamped" />
    <bpmn:sequenceFlow id="f5" sourceRef="wait-stamped" targetRef="wait-go" />
    <bpmn:sequenceFlow id="f6" sourceRef="wait-go" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

const FLAKY = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:motcua="http://motcua.vn/schema/bpmn/1.0" id="defs-v2-flaky" targetNamespace="http://motcua.vn/test">
  <bpmn:process id="v2-flaky" isExecutable="true">
    <bpmn:extensionElements><motcua:facts agency="A" /></bpmn:extensionElements>
    <bpmn:startEvent id="start" />
    <bpmn:serviceTask id="call"><bpmn:extensionElements><zeebe:taskDefinition type="v2-flaky-call" retries="1" /></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="call" />
    <bpmn:sequenceFlow id="f2" sourceRef="call" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

type Client = ReturnType<typeof createCamundaClient>;

/** The status of a refused call (the client throws). */
async function statusOf(call: Promise<unknown>): Promise<number | string> {
  return call.then(
    () => 'succeeded',
    (error: unknown) => (error as { status?: number }).status ?? String(error),
  );
}

async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe.each(testDatabases())('the official Camunda 8 client against /v2 on $name', (target) => {
  const api = useApi(target);
  let admin: Client;
  let official: Client;
  let worker: Client;
  let workerAccount: { clientId: string; clientSecret: string };

  /** A client calling as a motcua user: its bearer token added to every request. */
  const asUser = (token: string): Client =>
    createCamundaClient({
      config: { CAMUNDA_REST_ADDRESS: api.url, CAMUNDA_AUTH_STRATEGY: 'NONE', CAMUNDA_SDK_LOG_LEVEL: 'silent' },
      fetch: (input, init) => {
        const request = new Request(input, init);
        request.headers.set('authorization', `Bearer ${token}`);
        return fetch(request);
      },
    });

  /** Our id behind a key the facade gave (straight from the database, to check the engine's side). */
  const idOf = async (kind: string, key: string) => (await api.sql<{ id: string }>('SELECT id FROM v2_keys WHERE kind = $1 AND key = $2::bigint', [kind, key]))[0]?.id;

  beforeAll(async () => {
    admin = asUser(api.token('adminA')!);
    official = asUser(api.token('officialA')!);
    // The one call to our own routes: an agency admin issues the worker's credentials.
    workerAccount = (await api.as('adminA').post('/api/service-accounts', { name: 'v2-client-worker' })).body;
    worker = createCamundaClient({
      config: {
        CAMUNDA_REST_ADDRESS: api.url,
        CAMUNDA_AUTH_STRATEGY: 'OAUTH',
        CAMUNDA_OAUTH_URL: `${api.url}/api/oauth/token`,
        CAMUNDA_CLIENT_ID: workerAccount.clientId,
        CAMUNDA_CLIENT_SECRET: workerAccount.clientSecret,
        CAMUNDA_SDK_LOG_LEVEL: 'silent',
      },
    });
  });

  afterAll(() => worker?.stopAllWorkers());

  it('should answer the topology and the status', async () => {
    // when
    const topology = await admin.getTopology();
    const status = await statusOf(admin.getStatus());

    // then
    expect(topology).toMatchObject({ clusterSize: 1, partitionsCount: 1, brokers: [expect.objectContaining({ partitions: [expect.objectContaining({ role: 'leader' })] })] });
    expect(status).toBe('succeeded');
  });

  it('should run a model from deployment to its end through the client alone', async () => {
    // given the model deployed by the client
    const deployment = await admin.createDeployment({ resources: [new File([MODEL], 'v2-client.bpmn', { type: 'application/octet-stream' })] } as never);
    expect(deployment.deploymentKey).toMatch(/^[0-9]+$/);
    expect(deployment.processes).toEqual([expect.objectContaining({ processDefinitionId: 'v2-client', processDefinitionVersion: 1, processDefinitionKey: expect.stringMatching(/^[0-9]+$/) })]);

    // and a worker from the client's worker API serving its service task
    const seen: string[] = [];
    const jobWorker = worker.createJobWorker({
      jobType: 'v2-client-check',
      jobTimeoutMs: 60_000,
      maxParallelJobs: 2,
      pollTimeoutMs: 2_000,
      jobHandler: async (job) => {
        seen.push(String(job.processInstanceKey));
        return job.complete({ checked: true });
      },
    });

    try {
      // when an instance is started by process id, with variables
      const created = await admin.createProcessInstance({ processDefinitionId: 'v2-client', variables: { parcel: 'P-7' } } as never);
      const instanceKey = String(created.processInstanceKey);
      const instanceId = (await idOf('instance', instanceKey))!;
      expect(instanceKey).toMatch(/^[0-9]+$/);
      expect(created).toMatchObject({ processDefinitionId: 'v2-client', processDefinitionVersion: 1, processDefinitionKey: deployment.processes[0].processDefinitionKey });

      // then the worker completes the service task and the user task appears in the search
      const search = () => official.searchUserTasks({ filter: { processInstanceKey: instanceKey, state: 'CREATED' } } as never, { consistency: { waitUpToMs: 0 } });
      await until(async () => (await search()).items.length === 1);
      expect(seen).toEqual([instanceKey]);
      const [task] = (await search()).items;
      expect(task).toMatchObject({ elementId: 'review', name: 'Review', state: 'CREATED', assignee: null, processInstanceKey: instanceKey, processDefinitionId: 'v2-client' });

      // when the agency admin assigns it by username and the official completes it
      await admin.assignUserTask({ userTaskKey: task.userTaskKey, assignee: 'official-a' } as never);
      const assigned = (await official.searchUserTasks({ filter: { userTaskKey: task.userTaskKey } } as never, { consistency: { waitUpToMs: 0 } })).items[0];
      await official.completeUserTask({ userTaskKey: task.userTaskKey, variables: { approved: true } } as never);

      // and the messages and the signal arrive
      const published = await official.publishMessage({ name: 'paid', correlationKey: 'P-7', variables: { amount: 50_000 } } as never);
      const correlated = await official.correlateMessage({ name: 'stamped', correlationKey: 'P-7' } as never);
      const nothingWaits = await statusOf(official.correlateMessage({ name: 'stamped', correlationKey: 'P-404' } as never));
      const signal = await admin.broadcastSignal({ signalName: 'v2-go' } as never);

      // then the instance ran to its end with every variable
      expect(assigned).toMatchObject({ assignee: 'official-a' });
      expect((await official.searchUserTasks({ filter: { processInstanceKey: instanceKey, state: 'COMPLETED' } } as never, { consistency: { waitUpToMs: 0 } })).items).toHaveLength(1);
      expect(published.messageKey).toMatch(/^[0-9]+$/);
      expect(correlated).toMatchObject({ processInstanceKey: instanceKey });
      expect(nothingWaits).toBe(404);
      expect(signal.signalKey).toMatch(/^[0-9]+$/);
      expect((await api.store.instance(instanceId))?.status).toBe('completed');
      expect(await api.engine.variables(instanceId)).toMatchObject({ parcel: 'P-7', checked: true, approved: true, amount: 50_000 });
    } finally {
      jobWorker.stop();
    }
  });

  it('should resolve an incident and cancel an instance through the client', async () => {
    // given a worker that fails the first job for good, then completes
    await admin.createDeployment({ resources: [new File([FLAKY], 'v2-flaky.bpmn')] } as never);
    let failures = 0;
    const jobWorker = worker.createJobWorker({
      jobType: 'v2-flaky-call',
      jobTimeoutMs: 60_000,
      maxParallelJobs: 1,
      pollTimeoutMs: 2_000,
      jobHandler: async (job) => {
        if (failures === 0) {
          failures += 1;
          return job.fail({ errorMessage: 'registry down', retries: 0 });
        }
        return job.complete({ called: true });
      },
    });
    try {
      const flaky = await admin.createProcessInstance({ processDefinitionId: 'v2-flaky' } as never);
      const flakyKey = String(flaky.processInstanceKey);
      const flakyId = (await idOf('instance', flakyKey))!;
      const incidents = () => admin.searchIncidents({ filter: { processInstanceKey: flakyKey, state: 'ACTIVE' } } as never, { consistency: { waitUpToMs: 0 } });
      await until(async () => (await incidents()).items.length === 1);
      const [incident] = (await incidents()).items;

      // when the admin resolves it
      await admin.resolveIncident({ incidentKey: incident.incidentKey } as never);
      await until(async () => (await api.store.instance(flakyId))?.status === 'completed');

      // and cancels another instance
      const doomed = await admin.createProcessInstance({ processDefinitionId: 'v2-client', variables: { parcel: 'P-9' } } as never);
      await admin.cancelProcessInstance({ processInstanceKey: doomed.processInstanceKey } as never);
      const again = await statusOf(admin.cancelProcessInstance({ processInstanceKey: '999999999' } as never));

      // then
      expect(incident).toMatchObject({ errorMessage: 'registry down', elementId: 'call', state: 'ACTIVE', processInstanceKey: flakyKey });
      expect(await api.engine.variables(flakyId)).toMatchObject({ called: true });
      expect((await api.store.instance((await idOf('instance', String(doomed.processInstanceKey)))!))?.status).toBe('cancelled');
      expect(again).toBe(404);
    } finally {
      jobWorker.stop();
    }
  });

  it("should keep each caller to its own part: workers to jobs, officials to their agency's tasks", async () => {
    // given agency A's model (deploying it again changes nothing)
    await admin.createDeployment({ resources: [new File([MODEL], 'v2-client.bpmn')] } as never);

    // when
    const workerDeploys = await statusOf(worker.createDeployment({ resources: [new File([MODEL], 'v2-client.bpmn')] } as never));
    const officialDeploys = await statusOf(official.createDeployment({ resources: [new File([MODEL], 'v2-client.bpmn')] } as never));
    const otherAgency = await statusOf(asUser(api.token('officialB')!).createProcessInstance({ processDefinitionId: 'v2-client', variables: { parcel: 'P-1' } } as never));
    const officialCancels = await statusOf(official.cancelProcessInstance({ processInstanceKey: '1' } as never));
    const decision = await statusOf(admin.createDeployment({ resources: [new File(['<definitions />'], 'rates.dmn')] } as never));
    const badState = await statusOf(official.searchUserTasks({ filter: { state: 'SLEEPING' } } as never, { consistency: { waitUpToMs: 0 } }));
    const noAuth = await fetch(`${api.url}/v2/process-instances`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const badBody = await fetch(`${api.url}/v2/process-instances`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${api.token('adminA')}` },
      body: JSON.stringify({ processDefinitionId: 'v2-client', variables: [] }),
    });

    // then
    expect(workerDeploys).toBe(403);
    expect(officialDeploys).toBe(403);
    expect(otherAgency).toBe(403);
    expect(officialCancels).toBe(403);
    expect(decision).toBe(400);
    expect(badState).toBe(400);
    expect(noAuth.status).toBe(401);
    expect(badBody.status).toBe(400);
    expect(badBody.headers.get('content-type')).toContain('application/problem+json');
    expect(await badBody.json()).toMatchObject({ status: 400, title: expect.any(String), detail: expect.stringContaining('variables') });
  });
});
