/**
 * Every route × every role, with the status each must get, on fresh data per cell.
 * A refused request must change nothing: every table of the schema is compared before
 * and after every refusal (cross-agency attempts included), and after the answers that
 * must reach nothing (a signal of another agency).
 *
 * Roles: analyst, agency admin of A, official of A (groups desk, head), official of B
 * (the same groups, another agency), agency admin of B, citizen, anonymous.
 *
 * Agency A owns the process ids `matrix*` (their models name A): the write paths of
 * issue 12 are here for every caller: deploying over A's process id, starting A's
 * procedure, correlating a message and broadcasting a signal to A's waiting instance,
 * assigning A's task to someone who cannot work on it, granting analysts A's process id.
 */
import { buildOpenApiDocument } from '../../api/src/openapi';
import { testDatabases } from '../support/databases';
import { processXml, useApi, type ApiHarness, type Caller } from './harness';

const CALLERS: Caller[] = ['analyst', 'adminA', 'officialA', 'officialB', 'adminB', 'citizen', 'anonymous'];

/** What one cell works on: fresh per cell. */
interface Fixture {
  instanceId: string;
  taskId: string;
  incidentId?: string;
  dossierCode: string;
  deploymentId: string;
  definitionId: string;
  analystId: string;
  n: number;
}

interface Cell {
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: (f: Fixture) => string;
  body?: (f: Fixture, api: ApiHarness) => unknown;
  raw?: (f: Fixture) => { body: string; type: string };
  /** What the fixture needs beyond an instance with an open task of agency A. */
  needs?: 'claimed' | 'incident' | 'waiting' | 'signal';
  expect: [analyst: number, adminA: number, officialA: number, officialB: number, adminB: number, citizen: number, anonymous: number];
  /** Callers whose success must nevertheless change nothing (it reaches nothing of theirs). */
  unchangedFor?: Caller[];
}

const CELLS: Cell[] = [
  { name: 'GET /api/health', method: 'GET', path: () => '/api/health', expect: [200, 200, 200, 200, 200, 200, 200] },
  { name: 'GET /api/openapi.json', method: 'GET', path: () => '/api/openapi.json', expect: [200, 200, 200, 200, 200, 200, 200] },
  { name: 'GET /metrics', method: 'GET', path: () => '/metrics', expect: [200, 200, 200, 200, 200, 200, 200] },
  { name: 'GET /api/auth/me', method: 'GET', path: () => '/api/auth/me', expect: [200, 200, 200, 200, 200, 200, 401] },
  // The dossier routes' own cells need agencies in the national identifier format (test/api/dossiers.test.ts covers them per role).
  { name: 'GET /api/procedures', method: 'GET', path: () => '/api/procedures', expect: [200, 200, 200, 200, 200, 200, 401] },
  // Statistics: analysts any agency, staff their own (the default), the public aggregates of any agency.
  { name: 'GET /api/statistics', method: 'GET', path: () => '/api/statistics', expect: [200, 200, 200, 200, 200, 403, 401] },
  { name: 'GET /api/statistics of agency A', method: 'GET', path: () => '/api/statistics?agency=A', expect: [200, 200, 200, 403, 403, 403, 401] },
  { name: 'GET /api/statistics/dossiers', method: 'GET', path: () => '/api/statistics/dossiers?agency=A&indicator=received', expect: [200, 200, 200, 403, 403, 403, 401] },
  { name: 'GET /api/public/statistics', method: 'GET', path: () => '/api/public/statistics?agency=A', expect: [200, 200, 200, 200, 200, 200, 200] },

  {
    name: 'POST /api/deployments',
    method: 'POST',
    path: () => '/api/deployments',
    raw: (f) => ({ body: processXml({ id: `matrix-deploy-${f.n}`, tasks: [{ id: 'a' }] }), type: 'application/xml' }),
    expect: [201, 201, 403, 403, 201, 403, 401],
  },
  { name: 'GET /api/deployments', method: 'GET', path: () => '/api/deployments', expect: [200, 200, 403, 403, 200, 403, 401] },
  { name: 'GET /api/deployments/{id}', method: 'GET', path: (f) => `/api/deployments/${f.deploymentId}`, expect: [200, 200, 403, 403, 200, 403, 401] },
  { name: 'GET /api/deployments/{id}/xml', method: 'GET', path: (f) => `/api/deployments/${f.deploymentId}/xml`, expect: [200, 200, 403, 403, 200, 403, 401] },
  {
    name: 'GET /api/deployments/{id}/forms/{formKey}',
    method: 'GET',
    path: (f) => `/api/deployments/${f.deploymentId}/forms/examine`,
    expect: [200, 200, 403, 403, 200, 403, 401],
  },

  { name: 'GET /api/definitions', method: 'GET', path: () => '/api/definitions', expect: [200, 200, 200, 200, 200, 403, 401] },
  { name: 'GET /api/definitions/{id}', method: 'GET', path: (f) => `/api/definitions/${f.definitionId}`, expect: [200, 200, 200, 200, 200, 403, 401] },
  { name: 'GET /api/definitions/{id}/xml', method: 'GET', path: (f) => `/api/definitions/${f.definitionId}/xml`, expect: [200, 200, 200, 200, 200, 403, 401] },

  { name: 'POST /api/instances', method: 'POST', path: () => '/api/instances', body: () => ({ processId: 'matrix' }), expect: [403, 201, 201, 403, 403, 403, 401] },
  { name: 'GET /api/instances', method: 'GET', path: () => '/api/instances', expect: [403, 200, 200, 200, 200, 200, 401] },
  { name: 'GET /api/instances/{id}', method: 'GET', path: (f) => `/api/instances/${f.instanceId}`, expect: [404, 200, 200, 404, 404, 404, 401] },
  { name: 'POST /api/instances/{id}/cancel', method: 'POST', path: (f) => `/api/instances/${f.instanceId}/cancel`, expect: [404, 200, 403, 404, 404, 404, 401] },
  { name: 'GET /api/instances/{id}/variables', method: 'GET', path: (f) => `/api/instances/${f.instanceId}/variables`, expect: [404, 200, 200, 404, 404, 404, 401] },
  {
    name: 'PATCH /api/instances/{id}/variables',
    method: 'PATCH',
    path: (f) => `/api/instances/${f.instanceId}/variables`,
    body: () => ({ variables: { changed: true } }),
    expect: [404, 200, 403, 404, 404, 404, 401],
  },
  { name: 'GET /api/instances/{id}/history', method: 'GET', path: (f) => `/api/instances/${f.instanceId}/history`, expect: [404, 200, 200, 404, 404, 404, 401] },
  { name: 'GET /api/instances/{id}/position', method: 'GET', path: (f) => `/api/instances/${f.instanceId}/position`, expect: [404, 200, 200, 404, 404, 404, 401] },

  { name: 'GET /api/tasks', method: 'GET', path: () => '/api/tasks', expect: [403, 200, 200, 200, 200, 403, 401] },
  { name: 'GET /api/tasks/{id}', method: 'GET', path: (f) => `/api/tasks/${f.taskId}`, expect: [403, 200, 200, 404, 404, 403, 401] },
  { name: 'POST /api/tasks/{id}/claim', method: 'POST', path: (f) => `/api/tasks/${f.taskId}/claim`, expect: [403, 403, 200, 404, 404, 403, 401] },
  { name: 'POST /api/tasks/{id}/unclaim', method: 'POST', path: (f) => `/api/tasks/${f.taskId}/unclaim`, needs: 'claimed', expect: [403, 200, 200, 404, 404, 403, 401] },
  {
    name: 'POST /api/tasks/{id}/assign',
    method: 'POST',
    path: (f) => `/api/tasks/${f.taskId}/assign`,
    body: (_f, api) => ({ assignee: api.ids.officialA }),
    expect: [403, 200, 403, 404, 404, 403, 401],
  },
  {
    name: 'POST /api/tasks/{id}/complete',
    method: 'POST',
    path: (f) => `/api/tasks/${f.taskId}/complete`,
    body: () => ({ variables: { approved: true } }),
    expect: [403, 403, 200, 404, 404, 403, 401],
  },
  { name: 'GET /api/tasks/{id}/comments', method: 'GET', path: (f) => `/api/tasks/${f.taskId}/comments`, expect: [403, 200, 200, 404, 404, 403, 401] },
  {
    name: 'POST /api/tasks/{id}/comments',
    method: 'POST',
    path: (f) => `/api/tasks/${f.taskId}/comments`,
    body: () => ({ text: 'a note' }),
    expect: [403, 201, 201, 404, 404, 403, 401],
  },

  {
    name: 'POST /api/messages',
    method: 'POST',
    path: () => '/api/messages',
    body: (f) => ({ name: 'supplement', correlationKey: f.dossierCode }),
    needs: 'waiting',
    expect: [403, 200, 200, 404, 404, 403, 401],
  },
  { name: 'GET /api/incidents', method: 'GET', path: () => '/api/incidents', expect: [403, 200, 403, 403, 200, 403, 401] },
  {
    name: 'POST /api/incidents/{id}/retry',
    method: 'POST',
    path: (f) => `/api/incidents/${f.incidentId}/retry`,
    body: () => ({ retries: 1 }),
    needs: 'incident',
    expect: [403, 200, 403, 403, 404, 403, 401],
  },

  // ---- issue 12: every write path checks the agency
  {
    name: "POST /api/deployments over agency A's process id",
    method: 'POST',
    path: () => '/api/deployments',
    raw: (f) => ({ body: processXml({ id: 'matrix-owned', agency: 'A', tasks: [{ id: 'a', groups: 'desk' }], variant: `v${f.n}` }), type: 'application/xml' }),
    expect: [403, 201, 403, 403, 403, 403, 401],
  },
  {
    name: "POST /api/deployments over agency A's process id, the model naming agency B",
    method: 'POST',
    path: () => '/api/deployments',
    raw: (f) => ({ body: processXml({ id: 'matrix-owned', agency: 'B', tasks: [{ id: 'a', groups: 'desk' }], variant: `v${f.n}` }), type: 'application/xml' }),
    expect: [403, 403, 403, 403, 403, 403, 401],
  },
  {
    name: "POST /api/deployments over agency A's process id, the model naming no agency",
    method: 'POST',
    path: () => '/api/deployments',
    raw: (f) => ({ body: processXml({ id: 'matrix-owned', tasks: [{ id: 'a', groups: 'desk' }], variant: `v${f.n}` }), type: 'application/xml' }),
    expect: [403, 201, 403, 403, 403, 403, 401],
  },
  {
    name: 'POST /api/signals',
    method: 'POST',
    path: () => '/api/signals',
    body: () => ({ name: 'matrix-go', variables: { pushed: true } }),
    needs: 'signal',
    expect: [403, 200, 200, 200, 200, 403, 401],
    unchangedFor: ['officialB', 'adminB'],
  },
  {
    name: 'POST /api/tasks/{id}/assign to an official of another agency',
    method: 'POST',
    path: (f) => `/api/tasks/${f.taskId}/assign`,
    body: (_f, api) => ({ assignee: api.ids.officialB }),
    expect: [403, 422, 403, 404, 404, 403, 401],
  },
  {
    name: 'POST /api/tasks/{id}/assign to a user that does not exist',
    method: 'POST',
    path: (f) => `/api/tasks/${f.taskId}/assign`,
    body: () => ({ assignee: 'nobody-has-this-id' }),
    expect: [403, 422, 403, 404, 404, 403, 401],
  },
  {
    name: 'POST /api/tasks/{id}/assign to an agency admin',
    method: 'POST',
    path: (f) => `/api/tasks/${f.taskId}/assign`,
    body: (_f, api) => ({ assignee: api.ids.adminA }),
    expect: [403, 422, 403, 404, 404, 403, 401],
  },
  {
    name: 'GET /api/processes/{processId}/analysts',
    method: 'GET',
    path: () => '/api/processes/matrix-owned/analysts',
    expect: [403, 200, 403, 403, 403, 403, 401],
  },
  {
    name: 'PUT /api/processes/{processId}/analysts/{userId}',
    method: 'PUT',
    path: (f) => `/api/processes/matrix-grants/analysts/${f.analystId}`,
    expect: [403, 200, 403, 403, 403, 403, 401],
  },
  {
    name: 'DELETE /api/processes/{processId}/analysts/{userId}',
    method: 'DELETE',
    path: (f) => `/api/processes/matrix-grants/analysts/${f.analystId}`,
    expect: [403, 204, 403, 403, 403, 403, 401],
  },
  { name: 'GET /api/analysis/mining', method: 'GET', path: () => '/api/analysis/mining?processId=matrix', expect: [200, 200, 403, 403, 200, 403, 401] },
  { name: 'GET /api/analysis/mining another agency', method: 'GET', path: () => '/api/analysis/mining?agency=B', expect: [200, 403, 403, 403, 200, 403, 401] },
  // The whole trail for analysts; an agency admin verifies its own agency's dossiers (the default), no other.
  { name: 'GET /api/audit/verify', method: 'GET', path: () => '/api/audit/verify', expect: [200, 200, 403, 403, 200, 403, 401] },
  { name: 'GET /api/audit/verify of agency A', method: 'GET', path: () => '/api/audit/verify?agency=A', expect: [200, 200, 403, 403, 403, 403, 401] },
  {
    name: 'GET /api/analysis/mining/export',
    method: 'GET',
    path: () => '/api/analysis/mining/export?format=xes&processId=matrix',
    expect: [200, 200, 403, 403, 200, 403, 401],
  },
  {
    name: 'POST /api/analysis/compare',
    method: 'POST',
    path: () => '/api/analysis/compare',
    body: (f) => ({ before: { definitionId: f.definitionId }, after: { procedure: 'birth-registration', model: 'to-be' } }),
    expect: [200, 200, 403, 403, 200, 403, 401],
  },
  {
    name: 'POST /api/analysis/simulate',
    method: 'POST',
    path: () => '/api/analysis/simulate',
    body: (f) => ({ model: { xml: processXml({ id: `matrix-simulate-${f.n}`, tasks: [{ id: 'a' }] }), parameters: { dossiers: 20 } } }),
    expect: [200, 200, 403, 403, 200, 403, 401],
  },
  {
    name: 'POST /api/analysis/legal-clock',
    method: 'POST',
    path: () => '/api/analysis/legal-clock',
    body: () => ({ from: '2026-12-04T09:00:00+07:00', steps: [{ amount: 1, unit: 'workingDays' }] }),
    expect: [200, 200, 403, 403, 200, 403, 401],
  },

  // ---- issue 15: external job workers (only service accounts, role worker, use the job routes; test/api/external-jobs.test.ts)
  {
    name: 'POST /api/jobs/activation',
    method: 'POST',
    path: () => '/api/jobs/activation',
    body: () => ({ type: 'lookup', worker: 'matrix', maxJobsToActivate: 1 }),
    expect: [403, 403, 403, 403, 403, 403, 401],
  },
  { name: 'POST /api/service-accounts', method: 'POST', path: () => '/api/service-accounts', body: (f) => ({ name: `matrix-${f.n}` }), expect: [403, 201, 403, 403, 201, 403, 401] },
  { name: 'GET /api/service-accounts', method: 'GET', path: () => '/api/service-accounts', expect: [403, 200, 403, 403, 200, 403, 401] },
];

describe.each(testDatabases())('authorization matrix on $name', (target) => {
  // The analyst's deploy of a model naming no agency goes to the default agency (else it is refused: default-agency.test.ts).
  const api = useApi(target, { config: { defaultAgency: 'A' } });
  let deploymentId: string;
  let definitionId: string;
  let counter = 0;

  beforeAll(async () => {
    const form = new FormData();
    form.append('bpmn', new Blob([processXml({ id: 'matrix', agency: 'A', tasks: [{ id: 'examine', groups: 'desk', formKey: 'examine' }, { id: 'sign', groups: 'head' }] })]), 'matrix.bpmn');
    form.append('forms', new Blob([JSON.stringify({ type: 'object', properties: { approved: { type: 'boolean' } } })]), 'examine.schema.json');
    const deployed = await api.as('analyst').request('POST', '/api/deployments', { raw: form });
    expect(deployed.status).toBe(201);
    deploymentId = deployed.body.deploymentId;
    definitionId = deployed.body.definitions[0].id;
    for (const xml of [
      processXml({ id: 'matrix-wait', agency: 'A', message: true }),
      processXml({ id: 'matrix-service', agency: 'A', serviceTask: true }),
      processXml({ id: 'matrix-signal', agency: 'A', signal: 'matrix-go' }),
    ]) {
      expect((await api.as('analyst').request('POST', '/api/deployments', { raw: xml, headers: { 'content-type': 'application/xml' } })).status).toBe(201);
    }
    // Process ids agency A owns because its admin deployed them first.
    for (const xml of [
      processXml({ id: 'matrix-owned', agency: 'A', tasks: [{ id: 'a', groups: 'desk' }] }),
      processXml({ id: 'matrix-grants' }),
    ]) {
      expect((await api.as('adminA').request('POST', '/api/deployments', { raw: xml, headers: { 'content-type': 'application/xml' } })).status).toBe(201);
    }
    // Every process of the matrix belongs to agency A.
    expect(await api.sql(`SELECT process_id FROM process_owners WHERE agency <> 'A'`)).toEqual([]);
  });

  async function fixture(needs: Cell['needs']): Promise<Fixture> {
    const n = ++counter;
    const dossierCode = `MX-${n}`;
    const actor = api.ids.officialA;
    const { instanceId } = await api.engine.startInstance({ processId: 'matrix', businessKey: dossierCode, actor });
    const [task] = await api.openTasks(instanceId);
    const f: Fixture = { instanceId, taskId: task.id, dossierCode, deploymentId, definitionId, analystId: api.ids.analyst, n };
    if (needs === 'claimed') {
      const claimed = await api.as('officialA').post(`/api/tasks/${task.id}/claim`);
      expect(claimed.status).toBe(200);
    }
    if (needs === 'waiting') {
      const waiting = await api.engine.startInstance({ processId: 'matrix-wait', variables: { dossierCode }, actor });
      f.instanceId = waiting.instanceId;
    }
    if (needs === 'signal') {
      const waiting = await api.engine.startInstance({ processId: 'matrix-signal', actor });
      f.instanceId = waiting.instanceId;
    }
    if (needs === 'incident') {
      const failing = await api.engine.startInstance({ processId: 'matrix-service', actor });
      const [job] = await api.store.jobs({ instanceId: failing.instanceId, kind: 'task' });
      await api.engine.failJob(job.id, { retries: 0, errorMessage: 'down' });
      f.instanceId = failing.instanceId;
      f.incidentId = (await api.store.incidents({ instanceId: failing.instanceId, state: 'open' }))[0].id;
    }
    return f;
  }

  /**
   * Everything a refused request must leave as it was: every table of the schema, by a
   * digest of all its rows (history, append-only and the largest, by its row count and
   * last id), and
   * the fixture's instance, tasks and history in clear for a readable failure.
   */
  let digestAll: string | undefined;
  async function snapshot(f: Fixture) {
    if (!digestAll) {
      const tables = await api.sql<{ name: string }>(
        `SELECT table_name AS name FROM information_schema.tables
          WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name NOT IN ('schema_migrations', 'socket_io_attachments', 'history')
          ORDER BY table_name`,
      );
      // Without the bulky columns that never change alone (an instance's state moves with its revision; XML and forms are immutable).
      digestAll = [
        ...tables.map(
          ({ name }) =>
            `SELECT '${name}' AS name, count(*)::int AS n, md5(coalesce(string_agg(r, '|' ORDER BY r), '')) AS digest
               FROM (SELECT (to_jsonb(t) - 'state' - 'xml' - 'schema')::text AS r FROM "${name}" t) rows`,
        ),
        `SELECT 'history', count(*)::int, max(id)::text FROM history`,
      ].join(' UNION ALL ');
    }
    const tables = await api.sql<{ name: string; n: number; digest: string }>(digestAll);
    return {
      instance: await api.sql('SELECT status, revision FROM instances WHERE id = $1', [f.instanceId]),
      tasks: await api.sql('SELECT id, state, assignee, completed_by FROM tasks WHERE instance_id = $1 ORDER BY id', [f.instanceId]),
      history: await api.sql('SELECT count(*)::int AS n FROM history_events WHERE instance_id = $1', [f.instanceId]),
      tables: Object.fromEntries(tables.map(({ name, ...digest }) => [name, digest])),
    };
  }

  const table = CELLS.flatMap((cell) => CALLERS.map((caller, i) => ({ cell, caller, status: cell.expect[i], unchanged: cell.expect[i] >= 400 || (cell.unchangedFor ?? []).includes(caller) })));

  it.each(table)('$cell.name as $caller → $status', async ({ cell, caller, status, unchanged }) => {
    // given
    const f = await fixture(cell.needs);
    // Taken only where the request must change nothing (a digest of every table is the slowest part of a cell).
    const before = unchanged ? await snapshot(f) : undefined;
    const raw = cell.raw?.(f);

    // when
    const res = raw
      ? await api.as(caller).request(cell.method, cell.path(f), { raw: raw.body, headers: { 'content-type': raw.type } })
      : await api.as(caller).request(cell.method, cell.path(f), cell.body ? { json: cell.body(f, api) } : {});

    // then
    expect({ status: res.status, code: res.body?.code }).toEqual({ status, code: status >= 400 ? expect.any(String) : undefined });
    if (status >= 400) expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    if (unchanged) expect(await snapshot(f)).toEqual(before);
  });

  describe('cross-agency attempts', () => {
    it('should leave a task of agency A untouched when an official of B claims, completes, unclaims, assigns or comments it', async () => {
      // given
      const f = await fixture(undefined);
      const before = await snapshot(f);
      const b = api.as('officialB');

      // when
      const results = [
        await b.post(`/api/tasks/${f.taskId}/claim`),
        await b.post(`/api/tasks/${f.taskId}/complete`, { variables: { approved: true } }),
        await b.post(`/api/tasks/${f.taskId}/unclaim`),
        await b.post(`/api/tasks/${f.taskId}/assign`, { assignee: api.ids.officialB }),
        await b.post(`/api/tasks/${f.taskId}/comments`, { text: 'not mine' }),
        await b.patch(`/api/instances/${f.instanceId}/variables`, { variables: { hacked: true } }),
        await b.post(`/api/instances/${f.instanceId}/cancel`),
      ];

      // then
      // as if they did not exist (docs/conventions.md)
      expect(results.map((r) => r.status)).toEqual([404, 404, 404, 404, 404, 404, 404]);
      expect(await snapshot(f)).toEqual(before);
      const [task] = await api.sql<{ state: string; assignee: string | null }>('SELECT state, assignee FROM tasks WHERE id = $1', [f.taskId]);
      expect(task).toEqual({ state: 'open', assignee: null });
      expect((await b.get(`/api/tasks?instanceId=${f.instanceId}`)).body.items).toEqual([]);
    });

    it('should not let an agency admin of A act on a task of agency B', async () => {
      // given
      await api.as('analyst').request('POST', '/api/deployments', {
        raw: processXml({ id: 'matrix-b', agency: 'B', tasks: [{ id: 'examine', groups: 'desk' }] }),
        headers: { 'content-type': 'application/xml' },
      });
      const { instanceId } = await api.engine.startInstance({ processId: 'matrix-b', actor: api.ids.officialB });
      const [task] = await api.openTasks(instanceId);

      // when
      const assign = await api.as('adminA').post(`/api/tasks/${task.id}/assign`, { assignee: api.ids.officialA });
      const get = await api.as('adminA').get(`/api/tasks/${task.id}`);
      const instance = await api.as('adminA').get(`/api/instances/${instanceId}`);

      // then
      expect([assign.status, get.status, instance.status]).toEqual([404, 404, 404]);
      expect((await api.sql<{ assignee: string | null }>('SELECT assignee FROM tasks WHERE id = $1', [task.id]))[0].assignee).toBeNull();
    });
  });
});

/**
 * The OpenAPI document's `x-roles` say who may call each operation; the matrix above says what
 * the server does. They must agree: a role the document names gets a success in some cell of the
 * operation, and a role that succeeds anywhere is named (each caller of the matrix counts as its role).
 */
describe('x-roles of the OpenAPI document against the authorization matrix', () => {
  const ROLE_OF: Record<Caller, string> = {
    analyst: 'analyst',
    adminA: 'agency-admin',
    adminB: 'agency-admin',
    officialA: 'official',
    officialA2: 'official',
    officialB: 'official',
    citizen: 'citizen',
    anonymous: 'anonymous',
  };

  it('should name exactly the roles the server lets through', () => {
    // given the document's operations by "METHOD /path"
    const document = buildOpenApiDocument() as { paths: Record<string, Record<string, { 'x-roles'?: string[] }>> };
    const documented = new Map<string, Set<string>>();
    const conditionalRoles = new Map<string, Set<string>>();
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const roles = (operation['x-roles'] ?? []).map((r) => r.split(' ')[0]);
        conditionalRoles.set(`${method.toUpperCase()} ${path}`, new Set((operation['x-roles'] ?? []).filter((r) => r.includes('(')).map((r) => r.split(' ')[0])));
        documented.set(`${method.toUpperCase()} ${path}`, new Set(roles.includes('anonymous') ? Object.values(ROLE_OF) : roles));
      }
    }

    // when the successes of every cell of an operation are read as roles
    const compared: string[] = [];
    const allowedBy = new Map<string, Set<string>>();
    for (const cell of CELLS) {
      // A cell is named "METHOD /path" and perhaps what it tries there.
      const key = cell.name.split(' ').slice(0, 2).join(' ');
      if (!documented.has(key)) continue; // routes outside the document (/metrics)
      compared.push(cell.name);
      const allowed = allowedBy.get(key) ?? new Set<string>();
      CALLERS.forEach((caller, i) => cell.expect[i] < 300 && allowed.add(ROLE_OF[caller]));
      allowedBy.set(key, allowed);
    }
    const mismatches: string[] = [];
    for (const [key, allowed] of allowedBy) {
      const named = documented.get(key)!;
      const conditional = conditionalRoles.get(key)!;
      for (const role of new Set(Object.values(ROLE_OF))) {
        if (role === 'anonymous') continue;
        if (allowed.has(role) && !named.has(role)) mismatches.push(`${key}: the server lets ${role} through, x-roles does not name it`);
        // A role named with a condition ("citizen (own dossiers)") may be refused on the matrix's data.
        if (!allowed.has(role) && named.has(role) && !conditional.has(role)) mismatches.push(`${key}: x-roles names ${role}, the server refuses it`);
      }
    }

    // then every documented route of the matrix was compared, and they agree
    expect(CELLS.filter((c) => !compared.includes(c.name)).map((c) => c.name)).toEqual(['GET /metrics']);
    expect(mismatches).toEqual([]);
  });
});
