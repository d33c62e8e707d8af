/**
 * External job workers over HTTP (issue 15): service accounts and their tokens, job
 * activation (with long polling), completion, failure, BPMN errors, lock expiry, agency
 * isolation, and the deploy warning for job types no in-process handler serves.
 */
import { decodeJwt } from 'jose';
import { runServiceAccountCommand } from '../../api/src/cli-service-accounts';
import { testDatabases } from '../support/databases';
import { Client, useApi } from './harness';

/** start → service task `task` (job type `type`) [with an error boundary] → end, of an agency. */
function jobProcess(options: { id: string; type: string; agency: string; errorBoundary?: string; retries?: number; input?: boolean }): string {
  const boundary = options.errorBoundary
    ? `<bpmn:boundaryEvent id="declined" attachedToRef="task"><bpmn:errorEventDefinition errorRef="err" /></bpmn:boundaryEvent>
       <bpmn:userTask id="ask-again" />
       <bpmn:endEvent id="end-declined" />
       <bpmn:sequenceFlow id="b1" sourceRef="declined" targetRef="ask-again" />
       <bpmn:sequenceFlow id="b2" sourceRef="ask-again" targetRef="end-declined" />`
    : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:motcua="http://motcua.vn/schema/bpmn/1.0" id="defs-${options.id}" targetNamespace="http://motcua.vn/test">
  ${options.errorBoundary ? `<bpmn:error id="err" errorCode="${options.errorBoundary}" />` : ''}
  <bpmn:process id="${options.id}" isExecutable="true">
    <bpmn:extensionElements><motcua:facts agency="${options.agency}" /></bpmn:extensionElements>
    <bpmn:startEvent id="start" />
    <bpmn:serviceTask id="task">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="${options.type}" retries="${options.retries ?? 3}" />
        <zeebe:taskHeaders><zeebe:header key="source" value="test" /></zeebe:taskHeaders>
      </bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="task" />
    <bpmn:sequenceFlow id="f2" sourceRef="task" targetRef="end" />
    ${boundary}
  </bpmn:process>
</bpmn:definitions>`;
}

describe.each(testDatabases())('external job workers on $name', (target) => {
  const api = useApi(target);

  async function deploy(xml: string, as: 'adminA' | 'adminB' = 'adminA') {
    const res = await api.as(as).request('POST', '/api/deployments', { raw: xml, headers: { 'content-type': 'application/xml' } });
    expect(res.status).toBe(201);
    return res.body as { warnings: string[] };
  }

  /** A service account of the admin's agency, its secret, and a client with its token. */
  async function worker(as: 'adminA' | 'adminB' = 'adminA', name = 'worker') {
    const issued = await api.as(as).post('/api/service-accounts', { name });
    expect(issued.status).toBe(201);
    const { clientId, clientSecret } = issued.body;
    const token = await api.as('anonymous').request('POST', '/api/oauth/token', {
      raw: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(token.status).toBe(200);
    const client = new Client(
      () => api.url,
      () => token.body.access_token,
    );
    return { clientId: clientId as string, clientSecret: clientSecret as string, token: token.body.access_token as string, client };
  }

  async function activate(client: Client, type: string, extra: Record<string, unknown> = {}) {
    const res = await client.post('/api/jobs/activation', { type, worker: 'w1', maxJobsToActivate: 10, ...extra });
    expect(res.status).toBe(200);
    return res.body.jobs as Array<{ key: string; instanceId: string; elementId: string; retries: number; variables: Record<string, unknown>; customHeaders: Record<string, string> }>;
  }

  async function historyTypes(instanceId: string): Promise<string[]> {
    return (await api.store.history(instanceId)).map((h) => h.type);
  }

  describe('service accounts', () => {
    it('should issue a client secret once, keep only its hash, and exchange it for a worker token (Basic, post, form, JSON)', async () => {
      // given
      const issued = await api.as('adminA').post('/api/service-accounts', { name: 'land-registry' });
      const { clientId, clientSecret } = issued.body;

      // when
      const form = (body: Record<string, string>, headers: Record<string, string> = {}) =>
        api.as('anonymous').request('POST', '/api/oauth/token', {
          raw: new URLSearchParams(body).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        });
      const post = await form({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
      const basic = await form({ grant_type: 'client_credentials' }, { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` });
      const json = await api.as('anonymous').post('/api/oauth/token', { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, audience: 'ignored' });
      const wrong = await form({ grant_type: 'client_credentials', client_id: clientId, client_secret: 'not-the-secret' });
      const grant = await form({ grant_type: 'password', client_id: clientId, client_secret: clientSecret });

      // then
      expect(issued.status).toBe(201);
      expect(issued.body).toMatchObject({ clientId: expect.stringMatching(/^sa-/), clientSecret: expect.any(String), agency: 'A', name: 'land-registry', tokenUrl: '/api/oauth/token' });
      expect([post.status, basic.status, json.status]).toEqual([200, 200, 200]);
      expect(post.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: expect.any(Number) });
      const claims = decodeJwt(post.body.access_token);
      expect(claims.exp! - claims.iat!).toBe(900); // MOTCUA_WORKER_TOKEN_TTL_SECONDS' default, not the users' 8 hours
      expect({ status: wrong.status, error: wrong.body.error }).toEqual({ status: 401, error: 'invalid_client' });
      expect({ status: grant.status, error: grant.body.error }).toEqual({ status: 400, error: 'unsupported_grant_type' });
      const [row] = await api.sql<{ secret_hash: string }>('SELECT secret_hash FROM service_accounts WHERE id = $1', [clientId]);
      expect(row.secret_hash).toMatch(/^scrypt\$/);
      expect(row.secret_hash).not.toContain(clientSecret);
      const me = await new Client(
        () => api.url,
        () => post.body.access_token,
      ).get('/api/auth/me');
      expect(me.body).toMatchObject({ id: clientId, roles: ['worker'], agency: 'A' });
      const listed = await api.as('adminA').get('/api/service-accounts');
      const mine = listed.body.items.find((a: { clientId: string }) => a.clientId === clientId);
      expect(mine).toEqual(expect.objectContaining({ clientId, name: 'land-registry', agency: 'A' }));
      expect(JSON.stringify(listed.body)).not.toContain('scrypt');
      expect((await api.as('adminB').get('/api/service-accounts')).body.items.map((a: { clientId: string }) => a.clientId)).not.toContain(clientId);
    });

    it('should refuse a revoked account at once: its token and new exchanges', async () => {
      // given
      const w = await worker('adminA', 'to-revoke');
      expect((await w.client.post('/api/jobs/activation', { type: 'nothing', worker: 'w', maxJobsToActivate: 1 })).status).toBe(200);

      // when
      const byOther = await api.as('adminB').post(`/api/service-accounts/${w.clientId}/revoke`);
      const revoked = await api.as('adminA').post(`/api/service-accounts/${w.clientId}/revoke`);

      // then
      expect(byOther.status).toBe(404); // another agency's account: as if it did not exist
      expect(revoked.status).toBe(200);
      expect(revoked.body.revokedAt).toEqual(expect.any(String));
      const after = await w.client.post('/api/jobs/activation', { type: 'nothing', worker: 'w', maxJobsToActivate: 1 });
      expect(after.status).toBe(401);
      const exchange = await api.as('anonymous').post('/api/oauth/token', { grant_type: 'client_credentials', client_id: w.clientId, client_secret: w.clientSecret });
      expect(exchange.status).toBe(401);
    });

    it('should let only agency admins issue accounts, and workers use only the job routes', async () => {
      // given
      const w = await worker('adminA', 'narrow');

      // when
      const byOfficial = await api.as('officialA').post('/api/service-accounts', { name: 'x' });
      const byAnalyst = await api.as('analyst').post('/api/service-accounts', { name: 'x' });
      const elsewhere = [await w.client.get('/api/tasks'), await w.client.get('/api/instances'), await w.client.get('/api/definitions'), await w.client.get('/api/service-accounts')];
      const asWorker = await api.as('officialA').post('/api/jobs/activation', { type: 'x', worker: 'w', maxJobsToActivate: 1 });

      // then
      expect([byOfficial.status, byAnalyst.status]).toEqual([403, 403]);
      expect(elsewhere.map((r) => r.status)).toEqual([403, 403, 403, 403]);
      expect(asWorker.status).toBe(403);
    });
  });

  describe('motcua service-account', () => {
    it('should create (printing the secret once), list and revoke a service account', async () => {
      // given
      const lines: string[] = [];
      const run = (...args: string[]) => runServiceAccountCommand(args, { db: api.db, out: (l) => lines.push(l), err: (l) => lines.push(l) });

      // when
      const created = await run('create', '--agency', 'A', '--name', 'cli-worker');
      const clientId = lines.find((l) => l.startsWith('client id:'))!.split(/:\s+/)[1];
      const clientSecret = lines.find((l) => l.startsWith('client secret:'))!.split(/:\s+/)[1];
      const exchanged = await api.as('anonymous').post('/api/oauth/token', { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
      lines.length = 0;
      const listed = await run('list', '--agency', 'A');
      const listing = [...lines];
      const revoked = await run('revoke', clientId);
      const after = await api.as('anonymous').post('/api/oauth/token', { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
      const usage = await run('create', '--name', 'no-agency');
      const unknown = await run('revoke', 'sa-nobody');

      // then
      expect([created, listed, revoked, usage, unknown]).toEqual([0, 0, 0, 2, 1]);
      expect(exchanged.status).toBe(200);
      expect(listing.some((l) => l.startsWith(`${clientId}\tcli-worker\tA\t`) && l.endsWith('active'))).toBe(true);
      expect(listing.join('\n')).not.toContain(clientSecret);
      expect(after.status).toBe(401);
    });
  });

  describe('jobs', () => {
    it('should warn at deploy about each job type no in-process handler serves', async () => {
      // when
      const served = await deploy(jobProcess({ id: 'ext-http', type: 'http', agency: 'A' }));
      const unserved = await deploy(jobProcess({ id: 'ext-warn', type: 'ext-needs-worker', agency: 'A' }));

      // then
      expect(served.warnings).toEqual([]);
      expect(unserved.warnings).toEqual([expect.stringContaining("job type 'ext-needs-worker'")]);
      expect(unserved.warnings[0]).toContain("'task' of 'ext-warn'");
    });

    it('should complete service tasks end to end with a worker loop over HTTP', async () => {
      // given
      await deploy(jobProcess({ id: 'ext-loop', type: 'ext-loop', agency: 'A' }));
      const w = await worker();
      const instances = [];
      for (let n = 0; n < 3; n++) instances.push((await api.engine.startInstance({ processId: 'ext-loop', variables: { n, secret: 'x' } })).instanceId);

      // when the worker activates and completes until nothing is left
      const seen: Array<{ n: unknown; headers: Record<string, string>; secret: unknown }> = [];
      for (;;) {
        const jobs = await activate(w.client, 'ext-loop', { maxJobsToActivate: 2, fetchVariable: ['n'] });
        if (jobs.length === 0) break;
        for (const job of jobs) {
          seen.push({ n: job.variables.n, headers: job.customHeaders, secret: job.variables.secret });
          const done = await w.client.post(`/api/jobs/${job.key}/completion`, { variables: { doubled: Number(job.variables.n) * 2 } });
          expect(done.status).toBe(204);
        }
      }

      // then
      expect(seen.map((s) => s.n).sort()).toEqual([0, 1, 2]);
      expect(seen.every((s) => s.headers.source === 'test' && s.secret === undefined)).toBe(true);
      for (const [n, id] of instances.entries()) {
        const instance = await api.store.instance(id);
        expect({ status: instance?.status, doubled: await api.engine.variables(id).then((v) => v.doubled) }).toEqual({ status: 'completed', doubled: n * 2 });
        const history = await api.store.history(id);
        expect(history.find((h) => h.type === 'jobCompleted')?.actor).toBe(w.clientId);
      }
    });

    it('should offer a failed job again with the worker\'s variables, and open an incident at 0 retries', async () => {
      // given
      await deploy(jobProcess({ id: 'ext-fail', type: 'ext-fail', agency: 'A' }));
      const w = await worker();
      const { instanceId } = await api.engine.startInstance({ processId: 'ext-fail' });
      const [first] = await activate(w.client, 'ext-fail');

      // when
      const failed = await w.client.post(`/api/jobs/${first.key}/failure`, { retries: 2, retryBackOff: 0, errorMessage: 'registry down', variables: { attempt: 1 } });
      const again = await w.client.post(`/api/jobs/${first.key}/failure`, { retries: 1, errorMessage: 'same key twice' });
      const [second] = await activate(w.client, 'ext-fail');
      const last = await w.client.post(`/api/jobs/${second.key}/failure`, { retries: 0, errorMessage: 'registry gone for good' });

      // then
      expect(failed.status).toBe(204);
      expect(again.status).toBe(409);
      expect(second).toMatchObject({ instanceId, retries: 2, variables: { attempt: 1 } });
      expect(last.status).toBe(204);
      const incidents = await api.store.incidents({ instanceId, state: 'open' });
      expect(incidents).toEqual([expect.objectContaining({ kind: 'job', message: 'registry gone for good' })]);
      expect(await activate(w.client, 'ext-fail')).toEqual([]);
      expect((await historyTypes(instanceId)).filter((t) => t === 'jobFailed')).toHaveLength(2);
    });

    it('should take the error boundary for a BPMN error and record it as such, or open an incident when nothing catches it', async () => {
      // given
      await deploy(jobProcess({ id: 'ext-error', type: 'ext-error', agency: 'A', errorBoundary: 'DECLINED' }));
      const w = await worker();
      const caught = await api.engine.startInstance({ processId: 'ext-error' });
      const uncaught = await api.engine.startInstance({ processId: 'ext-error' });
      const jobs = await activate(w.client, 'ext-error');
      const keyOf = (id: string) => jobs.find((j) => j.instanceId === id)!.key;

      // when
      const thrown = await w.client.post(`/api/jobs/${keyOf(caught.instanceId)}/error`, { errorCode: 'DECLINED', errorMessage: 'card declined', variables: { bank: 'VCB' } });
      const other = await w.client.post(`/api/jobs/${keyOf(uncaught.instanceId)}/error`, { errorCode: 'UNKNOWN', errorMessage: 'nobody catches this' });

      // then
      expect([thrown.status, other.status]).toEqual([204, 204]);
      expect((await api.openTasks(caught.instanceId)).map((t) => t.elementId)).toEqual(['ask-again']);
      const history = await api.store.history(caught.instanceId);
      expect(history.map((h) => h.type)).toContain('jobErrorThrown');
      expect(history.map((h) => h.type)).not.toContain('jobCompleted');
      expect(history.find((h) => h.type === 'jobErrorThrown')?.data).toMatchObject({ errorCode: 'DECLINED', errorMessage: 'card declined' });
      expect(await api.engine.variables(caught.instanceId)).toMatchObject({ bank: 'VCB' });
      expect(await api.store.incidents({ instanceId: uncaught.instanceId, state: 'open' })).toEqual([expect.objectContaining({ elementId: 'task' })]);
    });

    it('should offer a job again once its lock expired, and refuse the old key with 409', async () => {
      // given
      await deploy(jobProcess({ id: 'ext-lock', type: 'ext-lock', agency: 'A' }));
      const w = await worker();
      const { instanceId } = await api.engine.startInstance({ processId: 'ext-lock' });
      const [first] = await activate(w.client, 'ext-lock', { timeout: 60_000 });
      expect(await activate(w.client, 'ext-lock')).toEqual([]); // locked: not offered twice

      // when the lock expires (moved into the past) and another worker takes the job
      await api.sql("UPDATE jobs SET lock_expires_at = now() - interval '1 second' WHERE instance_id = $1", [instanceId]);
      const retaken = await w.client.post('/api/jobs/activation', { type: 'ext-lock', worker: 'w2', maxJobsToActivate: 1 });
      const [second] = retaken.body.jobs;
      const stale = await w.client.post(`/api/jobs/${first.key}/completion`, { variables: { from: 'first' } });
      const extendStale = await w.client.patch(`/api/jobs/${first.key}`, { timeout: 60_000 });
      const extended = await w.client.patch(`/api/jobs/${second.key}`, { timeout: 120_000, retries: 5 });
      const fresh = await w.client.post(`/api/jobs/${second.key}/completion`, { variables: { from: 'second' } });

      // then
      expect(second.instanceId).toBe(instanceId);
      expect(second.key).not.toBe(first.key);
      expect(stale.status).toBe(409);
      expect(stale.body.detail).toContain("activated again by worker 'w2'");
      expect(extendStale.status).toBe(409);
      expect(extended.status).toBe(200);
      expect(extended.body).toMatchObject({ retries: 5, deadline: expect.any(String) });
      expect(fresh.status).toBe(204);
      expect(await api.engine.variables(instanceId)).toMatchObject({ from: 'second' });
      expect((await w.client.post(`/api/jobs/${second.key}/completion`, {})).status).toBe(404);
    });

    it('should answer a long poll with a job that appears while it waits', async () => {
      // given
      await deploy(jobProcess({ id: 'ext-poll', type: 'ext-poll', agency: 'A' }));
      const w = await worker();
      const listening = api.engine.events.listenerCount('jobs');
      const waiting = w.client.post('/api/jobs/activation', { type: 'ext-poll', worker: 'w1', maxJobsToActivate: 1, requestTimeout: 30_000 });
      // The activation listens for new jobs while it waits: create the job only once it does (and has most likely looked once).
      while (api.engine.events.listenerCount('jobs') === listening) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, 200));

      // when a job is created while the activation waits (on the embedded database this needs the one connection)
      const { instanceId } = await api.engine.startInstance({ processId: 'ext-poll' });

      // then
      const res = await waiting;
      expect(res.status).toBe(200);
      expect(res.body.jobs).toEqual([expect.objectContaining({ instanceId, elementId: 'task' })]);
    });

    it("should keep an agency's jobs from another agency's workers", async () => {
      // given
      await deploy(jobProcess({ id: 'ext-iso-a', type: 'ext-iso', agency: 'A' }));
      const a = await worker('adminA');
      const b = await worker('adminB');
      const { instanceId } = await api.engine.startInstance({ processId: 'ext-iso-a' });

      // when
      const seenByB = await activate(b.client, 'ext-iso');
      const [job] = await activate(a.client, 'ext-iso');
      const completeByB = await b.client.post(`/api/jobs/${job.key}/completion`, {});
      const failByB = await b.client.post(`/api/jobs/${job.key}/failure`, { retries: 0 });
      const patchByB = await b.client.patch(`/api/jobs/${job.key}`, { retries: 9 });

      // then
      expect(seenByB).toEqual([]);
      expect(job.instanceId).toBe(instanceId);
      expect([completeByB.status, failByB.status, patchByB.status]).toEqual([404, 404, 404]);
      expect((await api.store.instance(instanceId))?.status).toBe('active');
    });

    it('should never hand a job of an in-process type to an external worker', async () => {
      // given
      const w = await worker();

      // when
      const res = await w.client.post('/api/jobs/activation', { type: 'http', worker: 'w1', maxJobsToActivate: 1 });
      const tooLong = await w.client.post('/api/jobs/activation', { type: 'x', worker: 'w1', maxJobsToActivate: 1, requestTimeout: 10_000_000 });
      const badKey = await w.client.post('/api/jobs/no-key-here/completion', {});

      // then
      expect(res.status).toBe(409);
      expect(res.body.detail).toContain("'http'");
      expect(tooLong.status).toBe(400);
      expect(tooLong.body.errors).toEqual([expect.objectContaining({ field: 'body.requestTimeout' })]);
      expect(badKey.status).toBe(400);
    });
  });
});

