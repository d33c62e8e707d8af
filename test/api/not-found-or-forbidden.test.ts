/**
 * 404 for what the caller may not see, 403 for what it sees but may not do
 * (docs/conventions.md; QA walkthrough, s7): every route that reads or acts on a task, an
 * instance, a dossier, an incident, a job or a service account by id, asked by the staff (or
 * the worker) of agency B about a thing of agency A, answers exactly what it answers for an
 * id that does not exist, so that ids of other agencies cannot be probed. The same things
 * asked by callers who see them but may not do the action are refused with 403. Both
 * databases; everything is set up once (a refusal changes nothing, and the last cases check it).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { principalOf } from '../../api/src/auth/auth-service';
import type { Role } from '../../api/src/auth/principal';
import { testDatabases } from '../support/databases';
import { Client, processXml, useApi, type ApiHarness, type ApiResponse } from './harness';

const AG_A = '000.02.00.H29';
const AG_B = '000.03.00.H29';

/** Receipt (A) → verification (B) → signature (A) → returned: a dossier of A that B joins at its second step. */
const dossierXml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:motcua="http://motcua.vn/schema/bpmn/1.0" id="defs-nf" targetNamespace="http://motcua.vn/test">
  <bpmn:process id="nf-dossier" name="nf" isExecutable="true">
    <bpmn:extensionElements><motcua:facts agency="${AG_A}" /></bpmn:extensionElements>
    <bpmn:startEvent id="submitted"><bpmn:extensionElements><motcua:facts dossierStatus="submitted" /></bpmn:extensionElements></bpmn:startEvent>
    <bpmn:userTask id="receive" name="Tiếp nhận"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="desk" /><motcua:facts dossierStatus="received" /></bpmn:extensionElements></bpmn:userTask>
    <bpmn:userTask id="verify" name="Xác minh"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="specialist" /><motcua:facts agency="${AG_B}" dossierStatus="processing" statutoryTime="2" timeUnit="workingDays" /></bpmn:extensionElements></bpmn:userTask>
    <bpmn:userTask id="sign" name="Phê duyệt"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="head" /><motcua:facts dossierStatus="result-ready" /></bpmn:extensionElements></bpmn:userTask>
    <bpmn:endEvent id="returned"><bpmn:extensionElements><motcua:facts dossierStatus="returned" /></bpmn:extensionElements></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="submitted" targetRef="receive" />
    <bpmn:sequenceFlow id="f2" sourceRef="receive" targetRef="verify" />
    <bpmn:sequenceFlow id="f3" sourceRef="verify" targetRef="sign" />
    <bpmn:sequenceFlow id="f4" sourceRef="sign" targetRef="returned" />
  </bpmn:process>
</bpmn:definitions>`;

function procedureDocument(): Record<string, unknown> {
  const base = JSON.parse(readFileSync(join(__dirname, '../../processes/permanent-residence/procedure.json'), 'utf8'));
  delete base.$schema;
  return {
    ...base,
    code: 'nf-procedure',
    processId: 'nf-dossier',
    competentAgency: { ...base.competentAgency, agency: AG_A },
    agencies: [
      { id: AG_A, name: 'Công an xã A', nameEn: 'A', level: 'commune', role: 'lead', demo: true },
      { id: AG_B, name: 'Cơ quan B', nameEn: 'B', level: 'commune', role: 'participant', demo: true },
    ],
  };
}

const RECEIPT = {
  procedureCode: 'nf-procedure',
  channel: 'desk',
  applicant: { name: 'Nguyễn Thị Hương', kind: 'citizen', idNumber: '001190012345', phone: '0912345678' },
  documents: [{ code: 'DKTT.TOKHAI', name: 'Tờ khai CT01', form: 'original', copies: 1 }],
  fee: { paid: true, paidOnline: false },
};

type Who = 'officialA' | 'officialA2' | 'adminA' | 'officialB' | 'adminB' | 'workerA' | 'workerB';

/** The things of agency A the cases ask about (ids, and the numeric keys of /v2). */
interface Things {
  taskId: string;
  claimedTaskId: string;
  instanceId: string;
  incidentId: string;
  jobKey: string;
  jobNumber: string;
  dossierId: string;
  sharedDossierId: string;
  clientId: string;
  taskKey: string;
  claimedTaskKey: string;
  instanceKey: string;
  incidentKey: string;
}

/** A request about one thing: `id` is the real one or one that does not exist. */
interface Case {
  name: string;
  method: 'GET' | 'POST' | 'PATCH';
  path: (id: string) => string;
  body?: unknown;
  /** The real id, and an id of the same kind that names nothing. */
  real: (t: Things) => string;
  missing: () => string;
  /** Who asks: may not see the thing. */
  as: Who[];
}

const uuid = () => randomUUID();
const number = () => String(900_000_000_000 + Math.floor(Math.random() * 1e9));

const CASES: Case[] = [
  // /api/tasks
  { name: 'GET /api/tasks/{id}', method: 'GET', path: (id) => `/api/tasks/${id}`, real: (t) => t.taskId, missing: uuid, as: ['officialB', 'adminB'] },
  { name: 'POST /api/tasks/{id}/claim', method: 'POST', path: (id) => `/api/tasks/${id}/claim`, real: (t) => t.taskId, missing: uuid, as: ['officialB'] },
  { name: 'POST /api/tasks/{id}/unclaim', method: 'POST', path: (id) => `/api/tasks/${id}/unclaim`, real: (t) => t.claimedTaskId, missing: uuid, as: ['officialB', 'adminB'] },
  { name: 'POST /api/tasks/{id}/assign', method: 'POST', path: (id) => `/api/tasks/${id}/assign`, body: { assignee: 'nobody' }, real: (t) => t.taskId, missing: uuid, as: ['adminB', 'officialB'] },
  { name: 'POST /api/tasks/{id}/complete', method: 'POST', path: (id) => `/api/tasks/${id}/complete`, body: { variables: {} }, real: (t) => t.taskId, missing: uuid, as: ['officialB'] },
  { name: 'GET /api/tasks/{id}/comments', method: 'GET', path: (id) => `/api/tasks/${id}/comments`, real: (t) => t.taskId, missing: uuid, as: ['officialB', 'adminB'] },
  { name: 'POST /api/tasks/{id}/comments', method: 'POST', path: (id) => `/api/tasks/${id}/comments`, body: { text: 'probe' }, real: (t) => t.taskId, missing: uuid, as: ['officialB', 'adminB'] },
  // /api/instances
  { name: 'GET /api/instances/{id}', method: 'GET', path: (id) => `/api/instances/${id}`, real: (t) => t.instanceId, missing: uuid, as: ['officialB', 'adminB'] },
  { name: 'POST /api/instances/{id}/cancel', method: 'POST', path: (id) => `/api/instances/${id}/cancel`, body: {}, real: (t) => t.instanceId, missing: uuid, as: ['officialB', 'adminB'] },
  { name: 'POST /api/instances/{id}/suspend', method: 'POST', path: (id) => `/api/instances/${id}/suspend`, body: {}, real: (t) => t.instanceId, missing: uuid, as: ['adminB'] },
  { name: 'POST /api/instances/{id}/resume', method: 'POST', path: (id) => `/api/instances/${id}/resume`, real: (t) => t.instanceId, missing: uuid, as: ['adminB'] },
  { name: 'GET /api/instances/{id}/variables', method: 'GET', path: (id) => `/api/instances/${id}/variables`, real: (t) => t.instanceId, missing: uuid, as: ['officialB', 'adminB'] },
  { name: 'PATCH /api/instances/{id}/variables', method: 'PATCH', path: (id) => `/api/instances/${id}/variables`, body: { variables: { probe: true } }, real: (t) => t.instanceId, missing: uuid, as: ['adminB'] },
  { name: 'GET /api/instances/{id}/history', method: 'GET', path: (id) => `/api/instances/${id}/history`, real: (t) => t.instanceId, missing: uuid, as: ['officialB', 'adminB'] },
  { name: 'GET /api/instances/{id}/position', method: 'GET', path: (id) => `/api/instances/${id}/position`, real: (t) => t.instanceId, missing: uuid, as: ['officialB', 'adminB'] },
  // /api/incidents
  { name: 'POST /api/incidents/{id}/retry', method: 'POST', path: (id) => `/api/incidents/${id}/retry`, body: { retries: 1 }, real: (t) => t.incidentId, missing: uuid, as: ['adminB'] },
  // /api/dossiers (a dossier of A that B holds no step of)
  { name: 'GET /api/dossiers/{id}', method: 'GET', path: (id) => `/api/dossiers/${id}`, real: (t) => t.dossierId, missing: uuid, as: ['officialB', 'adminB'] },
  { name: 'GET /api/dossiers/{id}/history', method: 'GET', path: (id) => `/api/dossiers/${id}/history`, real: (t) => t.dossierId, missing: uuid, as: ['officialB', 'adminB'] },
  { name: 'GET /api/dossiers/{id}/hand-offs', method: 'GET', path: (id) => `/api/dossiers/${id}/hand-offs`, real: (t) => t.dossierId, missing: uuid, as: ['officialB', 'adminB'] },
  { name: 'GET /api/dossiers/{id}/personal-data-reads', method: 'GET', path: (id) => `/api/dossiers/${id}/personal-data-reads`, real: (t) => t.dossierId, missing: uuid, as: ['adminB'] },
  { name: 'GET /api/dossiers/{id}/receipt.pdf', method: 'GET', path: (id) => `/api/dossiers/${id}/receipt.pdf`, real: (t) => t.dossierId, missing: uuid, as: ['officialB', 'adminB'] },
  { name: 'POST /api/dossiers/{id}/operations', method: 'POST', path: (id) => `/api/dossiers/${id}/operations`, body: { type: 'stop' }, real: (t) => t.dossierId, missing: uuid, as: ['officialB'] },
  // /api/jobs (a worker of B with a job key of A)
  { name: 'POST /api/jobs/{key}/completion', method: 'POST', path: (id) => `/api/jobs/${id}/completion`, body: {}, real: (t) => t.jobKey, missing: () => `${uuid()}.1`, as: ['workerB'] },
  { name: 'POST /api/jobs/{key}/failure', method: 'POST', path: (id) => `/api/jobs/${id}/failure`, body: { retries: 1 }, real: (t) => t.jobKey, missing: () => `${uuid()}.1`, as: ['workerB'] },
  { name: 'POST /api/jobs/{key}/error', method: 'POST', path: (id) => `/api/jobs/${id}/error`, body: { errorCode: 'probe' }, real: (t) => t.jobKey, missing: () => `${uuid()}.1`, as: ['workerB'] },
  { name: 'PATCH /api/jobs/{key}', method: 'PATCH', path: (id) => `/api/jobs/${id}`, body: { retries: 2 }, real: (t) => t.jobKey, missing: () => `${uuid()}.1`, as: ['workerB'] },
  // /api/service-accounts
  { name: 'POST /api/service-accounts/{clientId}/revoke', method: 'POST', path: (id) => `/api/service-accounts/${id}/revoke`, real: (t) => t.clientId, missing: uuid, as: ['adminB'] },
  // /v2
  { name: 'POST /v2/user-tasks/{key}/assignment', method: 'POST', path: (k) => `/v2/user-tasks/${k}/assignment`, body: { assignee: 'nf-official-b' }, real: (t) => t.taskKey, missing: number, as: ['officialB', 'adminB'] },
  { name: 'POST /v2/user-tasks/{key}/completion', method: 'POST', path: (k) => `/v2/user-tasks/${k}/completion`, body: {}, real: (t) => t.taskKey, missing: number, as: ['officialB'] },
  { name: 'POST /v2/process-instances/{key}/cancellation', method: 'POST', path: (k) => `/v2/process-instances/${k}/cancellation`, body: {}, real: (t) => t.instanceKey, missing: number, as: ['adminB'] },
  { name: 'POST /v2/incidents/{key}/resolution', method: 'POST', path: (k) => `/v2/incidents/${k}/resolution`, body: {}, real: (t) => t.incidentKey, missing: number, as: ['adminB'] },
  { name: 'POST /v2/jobs/{key}/completion', method: 'POST', path: (k) => `/v2/jobs/${k}/completion`, body: {}, real: (t) => t.jobNumber, missing: number, as: ['workerB'] },
  { name: 'POST /v2/jobs/{key}/failure', method: 'POST', path: (k) => `/v2/jobs/${k}/failure`, body: { retries: 1 }, real: (t) => t.jobNumber, missing: number, as: ['workerB'] },
  { name: 'POST /v2/jobs/{key}/error', method: 'POST', path: (k) => `/v2/jobs/${k}/error`, body: { errorCode: 'probe' }, real: (t) => t.jobNumber, missing: number, as: ['workerB'] },
  { name: 'PATCH /v2/jobs/{key}', method: 'PATCH', path: (k) => `/v2/jobs/${k}`, body: { changeset: { retries: 2 } }, real: (t) => t.jobNumber, missing: number, as: ['workerB'] },
];

/** What the caller sees of the thing, and what it may not do: a 403. */
interface ForbiddenCase {
  name: string;
  method: 'GET' | 'POST';
  path: (t: Things) => string;
  body?: unknown;
  as: Who;
}

const FORBIDDEN: ForbiddenCase[] = [
  { name: 'an official completing a task its colleague claimed', method: 'POST', path: (t) => `/api/tasks/${t.claimedTaskId}/complete`, body: { variables: {} }, as: 'officialA2' },
  { name: 'an official giving back a task its colleague claimed', method: 'POST', path: (t) => `/api/tasks/${t.claimedTaskId}/unclaim`, as: 'officialA2' },
  { name: 'an official assigning a task of its agency', method: 'POST', path: (t) => `/api/tasks/${t.taskId}/assign`, body: { assignee: 'nf-official-a2' }, as: 'officialA' },
  { name: 'an agency admin claiming a task of its agency', method: 'POST', path: (t) => `/api/tasks/${t.taskId}/claim`, as: 'adminA' },
  { name: 'an official cancelling an instance of its agency', method: 'POST', path: (t) => `/api/instances/${t.instanceId}/cancel`, body: {}, as: 'officialA' },
  { name: 'an official completing through /v2 a task its colleague claimed', method: 'POST', path: (t) => `/v2/user-tasks/${t.claimedTaskKey}/completion`, body: {}, as: 'officialA2' },
  { name: 'an official of an agency holding a step operating the dossier', method: 'POST', path: (t) => `/api/dossiers/${t.sharedDossierId}/operations`, body: { type: 'stop' }, as: 'officialB' },
  { name: 'an official of an agency holding a step printing the receipt (personal data)', method: 'GET', path: (t) => `/api/dossiers/${t.sharedDossierId}/receipt.pdf`, as: 'officialB' },
  { name: "an agency admin of an agency holding a step reading the dossier's personal-data reads", method: 'GET', path: (t) => `/api/dossiers/${t.sharedDossierId}/personal-data-reads`, as: 'adminB' },
];

/** The parts of a problem a caller could tell apart: all but the request's own id (the id it sent replaced, so that two ids compare). */
function problemOf(res: ApiResponse, id: string): unknown {
  const { requestId: _requestId, ...body } = (res.body && typeof res.body === 'object' ? res.body : { text: res.text }) as Record<string, unknown>;
  // the id as a whole token (a key '2' is not the 2 of '/v2')
  const token = new RegExp(`(?<![0-9A-Za-z])${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![0-9A-Za-z])`, 'g');
  const replace = (value: unknown): unknown =>
    typeof value === 'string'
      ? value.replace(token, '<id>')
      : Array.isArray(value)
        ? value.map(replace)
        : value && typeof value === 'object'
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v)]))
          : value;
  return { status: res.status, contentType: res.headers.get('content-type'), ...(replace(body) as Record<string, unknown>) };
}

describe.each(testDatabases())('404 for what the caller may not see, 403 for what it sees but may not do, on $name', (target) => {
  const api: ApiHarness = useApi(target, { dossiers: true });
  const clients = {} as Record<Who, Client>;
  const things = {} as Things;

  async function person(who: Who, username: string, roles: Role[], agency: string, groups: string[]): Promise<void> {
    const record = await api.auth.users.create({ username, roles, agency, groups, passwordHash: 'scrypt$unused' });
    const { token } = await api.auth.issueToken(principalOf(record));
    clients[who] = new Client(() => api.url, () => token);
  }

  async function worker(who: Who, admin: Who): Promise<string> {
    const issued = await clients[admin].post('/api/service-accounts', { name: `nf-${who}` });
    expect(issued.status).toBe(201);
    const token = await api.as('anonymous').request('POST', '/api/oauth/token', {
      raw: new URLSearchParams({ grant_type: 'client_credentials', client_id: issued.body.clientId, client_secret: issued.body.clientSecret }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(token.status).toBe(200);
    clients[who] = new Client(() => api.url, () => token.body.access_token);
    return issued.body.clientId;
  }

  const ok = async (res: Promise<ApiResponse>, status: number): Promise<ApiResponse> => {
    const answer = await res;
    expect({ status: answer.status, body: answer.body }).toMatchObject({ status });
    return answer;
  };

  beforeAll(async () => {
    await person('officialA', 'nf-official-a', ['official'], AG_A, ['desk', 'head']);
    await person('officialA2', 'nf-official-a2', ['official'], AG_A, ['desk']);
    await person('adminA', 'nf-admin-a', ['agency-admin'], AG_A, []);
    await person('officialB', 'nf-official-b', ['official'], AG_B, ['desk', 'specialist', 'head']);
    await person('adminB', 'nf-admin-b', ['agency-admin'], AG_B, []);
    things.clientId = await worker('workerA', 'adminA');
    await worker('workerB', 'adminB');

    // processes of agency A: a task offered to its desk; a service task (jobs, incidents); the dossier procedure
    for (const xml of [processXml({ id: 'nf-plain', agency: AG_A, tasks: [{ id: 'examine', groups: 'desk' }] }), processXml({ id: 'nf-service', agency: AG_A, serviceTask: true }), dossierXml]) {
      await ok(clients.adminA.request('POST', '/api/deployments', { raw: xml, headers: { 'content-type': 'application/xml' } }), 201);
    }
    await ok(clients.adminA.request('PUT', '/api/procedures/nf-procedure', { json: { document: procedureDocument() } }), 200);

    // a task and its instance; a task claimed by officialA
    things.instanceId = (await ok(clients.officialA.post('/api/instances', { processId: 'nf-plain' }), 201)).body.instanceId;
    things.taskId = (await api.openTasks(things.instanceId))[0].id;
    const claimed = (await ok(clients.officialA.post('/api/instances', { processId: 'nf-plain' }), 201)).body.instanceId;
    things.claimedTaskId = (await api.openTasks(claimed))[0].id;
    await ok(clients.officialA.post(`/api/tasks/${things.claimedTaskId}/claim`), 200);

    // an incident, and a job a worker of A activated
    const failing = await api.engine.startInstance({ processId: 'nf-service', actor: 'test' });
    const [failingJob] = await api.store.jobs({ instanceId: failing.instanceId, kind: 'task' });
    await api.engine.failJob(failingJob.id, { retries: 0, errorMessage: 'down' });
    things.incidentId = (await api.store.incidents({ instanceId: failing.instanceId, state: 'open' }))[0].id;
    await api.engine.startInstance({ processId: 'nf-service', actor: 'test' });
    const activated = await ok(clients.workerA.post('/api/jobs/activation', { type: 'lookup', worker: 'nf', maxJobsToActivate: 1 }), 200);
    things.jobKey = activated.body.jobs[0].key;
    things.jobNumber = things.jobKey.slice(things.jobKey.lastIndexOf('.') + 1);

    // a dossier of A only, and one whose second step is B's
    things.dossierId = (await ok(clients.officialA.post('/api/dossiers', RECEIPT), 201)).body.id;
    const shared = (await ok(clients.officialA.post('/api/dossiers', RECEIPT), 201)).body;
    things.sharedDossierId = shared.id;
    const receive = (await api.openTasks(shared.instanceId)).find((t) => t.elementId === 'receive')!;
    await api.engine.completeTask(receive.id, { actor: 'test' });
    await ok(clients.officialB.get(`/api/dossiers/${shared.id}`), 200);

    // the numeric keys of /v2, as agency A's own callers see them
    const tasks = await ok(clients.officialA.post('/v2/user-tasks/search', { filter: { state: 'CREATED' }, page: { limit: 100 } }), 200);
    const keyOf = (instanceId: string) => tasks.body.items.find((i: { processDefinitionId: string; assignee: string | null }) => i.processDefinitionId === 'nf-plain' && (instanceId === 'claimed' ? i.assignee !== null : i.assignee === null));
    things.taskKey = keyOf('open').userTaskKey;
    things.instanceKey = keyOf('open').processInstanceKey;
    things.claimedTaskKey = keyOf('claimed').userTaskKey;
    const incidents = await ok(clients.adminA.post('/v2/incidents/search', { filter: { state: 'ACTIVE' } }), 200);
    things.incidentKey = incidents.body.items[0].incidentKey;
  });

  const table = CASES.flatMap((c) => c.as.map((who) => ({ ...c, who })));

  it.each(table)('$name as $who: the same 404 as for an id that does not exist', async ({ method, path, body, real, missing, who }) => {
    // given
    const realId = real(things);
    const missingId = missing();
    const send = (id: string) => clients[who].request(method, path(id), body === undefined ? {} : { json: body });

    // when
    const hidden = await send(realId);
    const absent = await send(missingId);

    // then
    expect(hidden.status).toBe(404);
    expect(problemOf(hidden, realId)).toEqual(problemOf(absent, missingId));
  });

  it.each(FORBIDDEN)('$name: 403', async ({ method, path, body, as }) => {
    // when
    const res = await clients[as].request(method, path(things), body === undefined ? {} : { json: body });

    // then
    expect({ status: res.status, code: res.body?.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
  });

  it('should have changed nothing of agency A', async () => {
    // then: the tasks open as they were, the instance running, the incident open, the account alive
    expect(await api.sql('SELECT state, assignee FROM tasks WHERE id = $1', [things.taskId])).toEqual([{ state: 'open', assignee: null }]);
    expect((await api.openTasks(things.instanceId)).map((t) => t.id)).toEqual([things.taskId]);
    expect((await api.store.incidents({ state: 'open' })).map((i) => i.id)).toContain(things.incidentId);
    expect((await ok(clients.adminA.get('/api/service-accounts'), 200)).body.items.find((a: { clientId: string }) => a.clientId === things.clientId)).toMatchObject({ clientId: things.clientId });
    expect((await ok(clients.officialA.get(`/api/dossiers/${things.dossierId}`), 200)).body.status).toBe('received');
  });
});
