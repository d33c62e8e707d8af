/**
 * Zeebe task listeners (Camunda 8.8) on user tasks, through the public API with real worker
 * loops: workers on `/api/jobs` and the official client's job worker on `/v2/jobs`. An assigning
 * listener corrects the assignee (the claim answers with the corrected one), a completing
 * listener denies the first completion (409 with its reason, the task stays open) and accepts
 * the second, a canceling listener's job is handed out when the instance is cancelled, a
 * creating listener corrects the task before it opens, and a listener job failing without
 * retries leaves an incident on the task.
 */
import { createCamundaClient } from '@camunda8/orchestration-cluster-api';
import { testDatabases } from '../support/databases';
import { Client, useApi } from './harness';

function model(id: string, prefix: string, extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:motcua="http://motcua.vn/schema/bpmn/1.0" id="defs-${id}" targetNamespace="http://motcua.vn/test">
  <bpmn:process id="${id}" isExecutable="true">
    <bpmn:extensionElements><motcua:facts agency="A" /></bpmn:extensionElements>
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="review" name="Review">
      <bpmn:extensionElements>
        <zeebe:userTask />
        <zeebe:assignmentDefinition candidateGroups="desk" />
        <zeebe:taskListeners>
          <zeebe:taskListener eventType="assigning" type="${prefix}-assigning" retries="1" />
          <zeebe:taskListener eventType="completing" type="${prefix}-completing" />
          <zeebe:taskListener eventType="canceling" type="${prefix}-canceling" />
          ${extra}
        </zeebe:taskListeners>
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;
}

interface WorkerJob {
  key: string;
  type: string;
  customHeaders: Record<string, string>;
}

describe.each(testDatabases())('task listeners on $name', (target) => {
  const api = useApi(target);
  let client: Client;
  let officialA2: string;

  beforeAll(async () => {
    for (const [id, prefix, extra] of [
      ['tl-api', 'tl', ''],
      ['tl-v2', 'tlv2', ''],
      ['tl-create', 'tlc', '<zeebe:taskListener eventType="creating" type="tlc-creating" />'],
    ]) {
      const deployed = await api.as('adminA').request('POST', '/api/deployments', { raw: model(id, prefix, extra), headers: { 'content-type': 'application/xml' } });
      expect(deployed.status).toBe(201);
    }
    const issued = await api.as('adminA').post('/api/service-accounts', { name: 'task-listener-worker' });
    const token = await api.as('anonymous').post('/api/oauth/token', { grant_type: 'client_credentials', client_id: issued.body.clientId, client_secret: issued.body.clientSecret });
    client = new Client(
      () => api.url,
      () => token.body.access_token,
    );
    officialA2 = (await api.as('officialA2').get('/api/auth/me')).body.id;
  });

  /** A worker loop on /api/jobs: activates jobs of `type` and answers each with `answer` until stopped. */
  function worker(type: string, answer: (job: WorkerJob) => Record<string, unknown>) {
    const seen: WorkerJob[] = [];
    let running = true;
    const loop = (async () => {
      while (running) {
        const res = await client.post('/api/jobs/activation', { type, worker: 'w1', maxJobsToActivate: 5, requestTimeout: 200 });
        expect(res.status).toBe(200);
        for (const job of res.body.jobs as WorkerJob[]) {
          seen.push(job);
          const done = await client.post(`/api/jobs/${job.key}/completion`, answer(job));
          expect(done.status).toBe(204);
        }
      }
    })();
    return {
      seen,
      stop: async () => {
        running = false;
        await loop;
      },
    };
  }

  async function openTask(processId: string) {
    const { instanceId } = await api.engine.startInstance({ processId });
    const [task] = await api.store.tasks({ instanceId, state: 'open' });
    return { instanceId, taskId: task.id };
  }

  it('should run the assigning listener on a claim, with its correction of the assignee, through /api/jobs', async () => {
    // given
    const { taskId } = await openTask('tl-api');
    const assigning = worker('tl-assigning', () => ({ result: { corrections: { assignee: 'official-a2', priority: 80 } } }));

    // when: official A claims; the listener gives the task to official A2 instead
    let claimed;
    try {
      claimed = await api.as('officialA').post(`/api/tasks/${taskId}/claim`, {});
    } finally {
      await assigning.stop();
    }

    // then
    expect(claimed.status).toBe(200);
    expect(claimed.body.assignee).toBe(officialA2);
    expect(assigning.seen).toHaveLength(1);
    expect(assigning.seen[0].customHeaders).toMatchObject({ 'io.camunda.zeebe:listenerEventType': 'assigning', 'io.camunda.zeebe:userTaskKey': taskId, 'io.camunda.zeebe:action': 'claim' });
    expect((await api.store.tasks({ state: 'open' })).find((t) => t.id === taskId)?.assignee).toBe(officialA2);
  });

  it('should let a completing listener deny a completion with its reason, then accept the next one', async () => {
    // given
    const { instanceId, taskId } = await openTask('tl-api');
    let calls = 0;
    const completing = worker('tl-completing', () => (++calls === 1 ? { result: { denied: true, deniedReason: 'the applicant’s papers are missing' } } : {}));

    // when
    let denied;
    let accepted;
    try {
      denied = await api.as('officialA').post(`/api/tasks/${taskId}/complete`, { variables: { approved: false } });
      const stillOpen = (await api.store.tasks({ instanceId, state: 'open' })).map((t) => t.id);
      expect(stillOpen).toEqual([taskId]);
      accepted = await api.as('officialA').post(`/api/tasks/${taskId}/complete`, { variables: { approved: true } });
    } finally {
      await completing.stop();
    }

    // then
    expect(denied.status).toBe(409);
    expect(denied.body.detail).toContain('denied by a task listener: the applicant’s papers are missing');
    expect(accepted.status).toBeLessThan(300);
    expect((await api.store.instance(instanceId))?.status).toBe('completed');
    expect(await api.engine.variables(instanceId)).toMatchObject({ approved: true });
    const types = (await api.store.history(instanceId)).map((h) => h.type);
    expect(types).toContain('taskListenerDenied');
  });

  it('should hand out the canceling listener job when the instance is cancelled', async () => {
    // given
    const { instanceId, taskId } = await openTask('tl-api');

    // when
    expect((await api.as('adminA').post(`/api/instances/${instanceId}/cancel`, {})).status).toBeLessThan(300);
    const activated = await client.post('/api/jobs/activation', { type: 'tl-canceling', worker: 'w1', maxJobsToActivate: 5 });
    const jobs = activated.body.jobs as WorkerJob[];
    const completed = await client.post(`/api/jobs/${jobs[0]?.key}/completion`, {});

    // then
    expect(jobs).toHaveLength(1);
    expect(jobs[0].customHeaders).toMatchObject({ 'io.camunda.zeebe:listenerEventType': 'canceling', 'io.camunda.zeebe:userTaskKey': taskId });
    expect(completed.status).toBe(204);
    expect((await api.store.jobs({ instanceId })).length).toBe(0);
  });

  it('should open a task with the corrections of its creating listener', async () => {
    // given
    const creating = worker('tlc-creating', () => ({ result: { corrections: { assignee: 'official-a2', candidateGroups: ['head'] } } }));

    // when
    let instanceId: string;
    try {
      ({ instanceId } = await api.engine.startInstance({ processId: 'tl-create' }));
      for (let i = 0; i < 200 && (await api.store.tasks({ instanceId, state: 'open' })).length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    } finally {
      await creating.stop();
    }

    // then
    const [task] = await api.store.tasks({ instanceId, state: 'open' });
    expect(task).toMatchObject({ assignee: officialA2, candidateGroups: ['head'] });
  });

  it('should raise an incident on the task when a listener job fails without retries, and retry it when resolved', async () => {
    // given
    const { instanceId, taskId } = await openTask('tl-api');
    const claim = api.as('officialA').post(`/api/tasks/${taskId}/claim`, {});
    let job: WorkerJob | undefined;
    for (let i = 0; i < 50 && !job; i++) job = ((await client.post('/api/jobs/activation', { type: 'tl-assigning', worker: 'w1', maxJobsToActivate: 1, requestTimeout: 200 })).body.jobs as WorkerJob[])[0];

    // when
    expect((await client.post(`/api/jobs/${job!.key}/failure`, { retries: 0, errorMessage: 'directory unreachable' })).status).toBe(204);
    const [incident] = await api.store.incidents({ instanceId, state: 'open' });
    expect((await api.as('adminA').post(`/api/incidents/${incident.id}/retry`, {})).status).toBeLessThan(300);
    const again = worker('tl-assigning', () => ({}));
    let claimed;
    try {
      claimed = await claim;
    } finally {
      await again.stop();
    }

    // then
    expect(incident).toMatchObject({ elementId: 'review', message: 'directory unreachable' });
    expect(claimed.status).toBe(200);
    expect(claimed.body.assignee).toBe((await api.as('officialA').get('/api/auth/me')).body.id);
  });

  it('should serve the listeners with the official Camunda client worker on /v2', async () => {
    // given
    const account = await api.as('adminA').post('/api/service-accounts', { name: 'camunda-listener-client' });
    const camunda = createCamundaClient({
      config: {
        CAMUNDA_REST_ADDRESS: api.url,
        CAMUNDA_AUTH_STRATEGY: 'OAUTH',
        CAMUNDA_OAUTH_URL: `${api.url}/api/oauth/token`,
        CAMUNDA_CLIENT_ID: account.body.clientId,
        CAMUNDA_CLIENT_SECRET: account.body.clientSecret,
        CAMUNDA_SDK_LOG_LEVEL: 'silent',
      },
    });
    const kinds: string[] = [];
    let completions = 0;
    const workers = [
      camunda.createJobWorker({
        jobType: 'tlv2-assigning',
        jobTimeoutMs: 60_000,
        pollTimeoutMs: 1_000,
        jobHandler: (job) => {
          kinds.push(`${job.kind}/${job.listenerEventType}`);
          return job.complete({}, { type: 'userTask', corrections: { assignee: 'official-a2' } });
        },
      }),
      camunda.createJobWorker({
        jobType: 'tlv2-completing',
        jobTimeoutMs: 60_000,
        pollTimeoutMs: 1_000,
        jobHandler: (job) => {
          kinds.push(`${job.kind}/${job.listenerEventType}`);
          return ++completions === 1 ? job.complete({}, { type: 'userTask', denied: true, deniedReason: 'not yet' }) : job.complete();
        },
      }),
    ];
    const { instanceId, taskId } = await openTask('tl-v2');

    // when
    let claimed;
    let denied;
    let accepted;
    try {
      claimed = await api.as('officialA').post(`/api/tasks/${taskId}/claim`, {});
      denied = await api.as('officialA2').post(`/api/tasks/${taskId}/complete`, { variables: {} });
      accepted = await api.as('officialA2').post(`/api/tasks/${taskId}/complete`, { variables: {} });
    } finally {
      for (const w of workers) w.stop();
      camunda.stopAllWorkers();
    }

    // then
    expect(claimed.body.assignee).toBe(officialA2);
    expect(denied.status).toBe(409);
    expect(denied.body.detail).toContain('not yet');
    expect(accepted.status).toBeLessThan(300);
    expect((await api.store.instance(instanceId))?.status).toBe('completed');
    expect(kinds).toEqual(['TASK_LISTENER/ASSIGNING', 'TASK_LISTENER/COMPLETING', 'TASK_LISTENER/COMPLETING']);
  });
});
