/**
 * Issue 12, "no agency reaches another agency's dossiers", beyond the authorization
 * matrix: the paths where the harm shows only over several steps (ownership under
 * concurrency, grants, a buffered message, a thrown signal, a moved official, revoked
 * tokens through the CLI and the socket handshake). Both databases.
 */
import { io as connectSocket } from 'socket.io-client';
import { addUser, principalOf } from '../../api/src/auth/auth-service';
import { runUsersCommand } from '../../api/src/cli-users';
import { testDatabases } from '../support/databases';
import { Client, processXml, useApi } from './harness';

const xmlHeaders = { 'content-type': 'application/xml' };

describe.each(testDatabases())('agency isolation on $name', (target) => {
  const api = useApi(target);

  /** A client with a token for any principal (e.g. a user whose agency changed). */
  async function clientFor(principal: Parameters<typeof api.auth.issueToken>[0]): Promise<Client> {
    const { token } = await api.auth.issueToken(principal);
    return new Client(() => api.url, () => token);
  }

  const deploy = (caller: Parameters<typeof api.as>[0], xml: string, query = '') =>
    api.as(caller).request('POST', `/api/deployments${query}`, { raw: xml, headers: xmlHeaders });

  describe('deploying over a process id', () => {
    it('should give a new process id to one agency when two deploy it at once, and refuse the other without storing anything', async () => {
      // given
      const a = processXml({ id: 'iso-race', tasks: [{ id: 't', groups: 'desk' }], variant: 'A' });
      const b = processXml({ id: 'iso-race', tasks: [{ id: 't', groups: 'desk' }], variant: 'B' });

      // when
      const results = await Promise.all([deploy('adminA', a), deploy('adminB', b)]);

      // then
      expect(results.map((r) => r.status).sort()).toEqual([201, 403]);
      const winner = results[0].status === 201 ? 'A' : 'B';
      const refused = results.find((r) => r.status === 403)!;
      expect(refused.body.detail).toBe(`process 'iso-race' belongs to agency '${winner}': only its agency admins, and the analysts it authorizes, deploy new versions of it`);
      expect(await api.sql(`SELECT agency FROM process_owners WHERE process_id = 'iso-race'`)).toEqual([{ agency: winner }]);
      expect(await api.sql(`SELECT version, agency FROM definitions WHERE process_id = 'iso-race'`)).toEqual([{ version: 1, agency: winner }]);
    });

    it('should send new dossiers of an owned process to its agency only, whoever tried to redirect them', async () => {
      // given: agency A's procedure; agency B's admin tries a version naming B
      expect((await deploy('adminA', processXml({ id: 'iso-redirect', agency: 'A', tasks: [{ id: 'examine', groups: 'desk' }] }))).status).toBe(201);
      const hijack = await deploy('adminB', processXml({ id: 'iso-redirect', agency: 'B', tasks: [{ id: 'examine', groups: 'desk' }] }));

      // when
      const started = await api.as('officialA').post('/api/instances', { processId: 'iso-redirect', variables: { citizenName: 'Lan' } });

      // then
      expect(hijack.status).toBe(403);
      expect(started.body.version).toBe(1);
      const [task] = await api.openTasks(started.body.instanceId);
      expect(task.agency).toBe('A');
      expect((await api.as('officialB').get(`/api/instances/${started.body.instanceId}/variables`)).status).toBe(404);
    });

    it('should let an analyst deploy over an owned process id only while the owner grants it', async () => {
      // given
      expect((await deploy('adminA', processXml({ id: 'iso-granted', agency: 'A' }))).status).toBe(201);
      const grantPath = `/api/processes/iso-granted/analysts/${api.ids.analyst}`;

      // when / then: not granted
      const before = await deploy('analyst', processXml({ id: 'iso-granted', agency: 'A', variant: '1' }));
      expect(before.status).toBe(403);

      // when / then: granted by the owner (not by another agency's admin, and not to a non-analyst)
      expect((await api.as('adminB').request('PUT', grantPath)).status).toBe(403);
      const notAnalyst = await api.as('adminA').request('PUT', `/api/processes/iso-granted/analysts/${api.ids.officialA}`);
      expect([notAnalyst.status, notAnalyst.body.code]).toEqual([422, 'USER_NOT_ELIGIBLE']);
      const granted = await api.as('adminA').request('PUT', grantPath);
      expect(granted.status).toBe(200);
      expect(granted.body).toMatchObject({ processId: 'iso-granted', userId: api.ids.analyst, agency: 'A', grantedBy: api.ids.adminA });
      expect((await api.as('adminA').get('/api/processes/iso-granted/analysts')).body).toMatchObject({ owner: 'A', items: [{ userId: api.ids.analyst }] });
      const during = await deploy('analyst', processXml({ id: 'iso-granted', agency: 'A', variant: '2' }));
      const otherAgency = await deploy('analyst', processXml({ id: 'iso-granted', agency: 'B', variant: '3' }));
      expect([during.status, otherAgency.status]).toEqual([201, 403]);

      // when / then: revoked
      expect((await api.as('adminA').request('DELETE', grantPath)).status).toBe(204);
      const after = await deploy('analyst', processXml({ id: 'iso-granted', agency: 'A', variant: '4' }));
      expect(after.status).toBe(403);
      expect(await api.sql(`SELECT version FROM definitions WHERE process_id = 'iso-granted' ORDER BY version`)).toEqual([{ version: 1 }, { version: 2 }]);
    });

    it('should record the deploying agency for a model without agency, and the agency an analyst names', async () => {
      // when
      const byAdmin = await deploy('adminB', processXml({ id: 'iso-plain-b', tasks: [{ id: 't', groups: 'desk' }] }));
      const byAnalyst = await deploy('analyst', processXml({ id: 'iso-plain-a' }), '?agency=A');
      const adminNamingOther = await deploy('adminB', processXml({ id: 'iso-plain-c' }), '?agency=A');

      // then
      expect([byAdmin.status, byAnalyst.status, adminNamingOther.status]).toEqual([201, 201, 403]);
      expect(await api.sql(`SELECT process_id, agency FROM definitions WHERE process_id LIKE 'iso-plain-%' ORDER BY process_id`)).toEqual([
        { process_id: 'iso-plain-a', agency: 'A' },
        { process_id: 'iso-plain-b', agency: 'B' },
      ]);
      // B's officials start and see B's procedure; A's do not
      const started = await api.as('officialB').post('/api/instances', { processId: 'iso-plain-b' });
      expect(started.status).toBe(201);
      expect((await api.as('officialA').post('/api/instances', { processId: 'iso-plain-b' })).status).toBe(403);
      expect((await api.as('adminB').get(`/api/instances/${started.body.instanceId}`)).status).toBe(200);
      // and its steps are B's: in B's inboxes, not A's
      const [task] = await api.openTasks(started.body.instanceId);
      expect(task.agency).toBe('B');
      expect((await api.as('officialB').get(`/api/tasks/${task.id}`)).status).toBe(200);
      expect((await api.as('officialA').get(`/api/tasks/${task.id}`)).status).toBe(404);
    });
  });

  describe('messages and signals', () => {
    it('should neither correlate a message of agency B into a dossier of A nor let A take it from the buffer later', async () => {
      // given
      expect((await deploy('adminA', processXml({ id: 'iso-wait', agency: 'A', message: true }))).status).toBe(201);
      const waiting = await api.as('officialA').post('/api/instances', { processId: 'iso-wait', variables: { dossierCode: 'ISO-1' } });
      const late = 'ISO-2';

      // when: B publishes to A's waiting dossier, and buffers one for a dossier A has not received yet
      const direct = await api.as('officialB').post('/api/messages', { name: 'supplement', correlationKey: 'ISO-1', variables: { hacked: true } });
      const buffered = await api.as('officialB').post('/api/messages', { name: 'supplement', correlationKey: late, variables: { hacked: true }, timeToLive: 600_000 });
      const arrived = await api.as('officialA').post('/api/instances', { processId: 'iso-wait', variables: { dossierCode: late } });

      // then
      expect([direct.status, direct.body.code]).toEqual([404, 'MESSAGE_NOT_CORRELATED']);
      expect(buffered.body).toEqual({ instanceIds: [], buffered: true });
      for (const id of [waiting.body.instanceId, arrived.body.instanceId]) {
        const instance = await api.as('adminA').get(`/api/instances/${id}`);
        expect(instance.body.status).toBe('active');
        expect((await api.as('adminA').get(`/api/instances/${id}/variables`)).body.variables.hacked).toBeUndefined();
      }
      // and A's own message still arrives
      const own = await api.as('officialA').post('/api/messages', { name: 'supplement', correlationKey: 'ISO-1' });
      expect(own.body).toEqual({ instanceIds: [waiting.body.instanceId], buffered: false });
    });

    it("should not let a signal thrown by agency B's procedure reach a dossier of agency A", async () => {
      // given
      for (const [caller, xml] of [
        ['adminA', processXml({ id: 'iso-signal-wait', agency: 'A', signal: 'iso-go' })],
        ['adminB', processXml({ id: 'iso-signal-throw-b', agency: 'B', throwSignal: 'iso-go' })],
        ['adminA', processXml({ id: 'iso-signal-throw-a', agency: 'A', throwSignal: 'iso-go' })],
      ] as const) {
        expect((await deploy(caller, xml)).status).toBe(201);
      }
      const waiting = await api.engine.startInstance({ processId: 'iso-signal-wait', actor: api.ids.officialA });
      const deliverSignals = async () => {
        for (const job of await api.store.jobs({ kind: 'signal' })) await api.engine.deliverSignalJob(job.id);
      };

      // when: B's procedure throws it
      await api.engine.startInstance({ processId: 'iso-signal-throw-b', actor: api.ids.officialB });
      await deliverSignals();

      // then
      expect((await api.store.instance(waiting.instanceId))!.status).toBe('active');

      // when: A's own procedure throws it
      await api.engine.startInstance({ processId: 'iso-signal-throw-a', actor: api.ids.officialA });
      await deliverSignals();

      // then
      expect((await api.store.instance(waiting.instanceId))!.status).toBe('completed');
    });

    it("should broadcast a signal through the API to the caller's agency only", async () => {
      // given
      expect((await deploy('adminA', processXml({ id: 'iso-api-signal', agency: 'A', signal: 'iso-api-go' }))).status).toBe(201);
      const waiting = await api.engine.startInstance({ processId: 'iso-api-signal', actor: api.ids.officialA });

      // when
      const fromB = await api.as('officialB').post('/api/signals', { name: 'iso-api-go' });
      const fromA = await api.as('officialA').post('/api/signals', { name: 'iso-api-go' });

      // then
      expect(fromB.body).toEqual({ instanceIds: [] });
      expect(fromA.body).toEqual({ instanceIds: [waiting.instanceId] });
    });
  });

  describe("the starter's reading rights", () => {
    it('should not let an official who started a dossier read it after moving to another agency', async () => {
      // given: started at A's desk
      const started = await api.as('officialA').post('/api/instances', { processId: 'iso-redirect', businessKey: 'ISO-MOVED' });
      expect(started.status).toBe(201);
      const user = (await api.auth.users.byId(api.ids.officialA))!;

      // when: the same person now works for agency B
      const moved = await clientFor({ ...principalOf(user), agency: 'B' });

      // then
      expect((await moved.get(`/api/instances/${started.body.instanceId}`)).status).toBe(404);
      expect((await moved.get(`/api/instances/${started.body.instanceId}/history`)).status).toBe(404);
      expect((await moved.get('/api/instances?businessKey=ISO-MOVED')).body.items).toEqual([]);
      expect((await api.as('officialA').get('/api/instances?businessKey=ISO-MOVED')).body.items).toHaveLength(1);
    });
  });

  describe('assigning', () => {
    it('should refuse an assignee who cannot work on the task, with the reason, and leave the task as it was', async () => {
      // given
      const started = await api.as('officialA').post('/api/instances', { processId: 'iso-redirect' });
      const [task] = await api.openTasks(started.body.instanceId);
      const disabled = await addUser(api.auth.users, { username: 'iso-disabled', password: 'mật khẩu đủ dài', roles: ['official'], agency: 'A', groups: ['desk'] });
      await api.auth.users.setDisabled(disabled.id, true);

      // when
      const answers = await Promise.all(
        [api.ids.officialB, 'no-such-user', disabled.id, api.ids.adminA].map((assignee) => api.as('adminA').post(`/api/tasks/${task.id}/assign`, { assignee })),
      );
      const ok = await api.as('adminA').post(`/api/tasks/${task.id}/assign`, { assignee: api.ids.officialA2 });

      // then
      expect(answers.map((a) => [a.status, a.body.code, a.body.errors?.[0]?.field])).toEqual(Array(4).fill([422, 'USER_NOT_ELIGIBLE', 'body.assignee']));
      expect(answers.map((a) => a.body.detail.split(': ').pop())).toEqual([
        "the user does not work for the task's agency 'A'",
        'there is no such user',
        'the user is disabled',
        'the user is not an official',
      ]);
      expect([ok.status, ok.body.assignee]).toEqual([200, api.ids.officialA2]);
    });
  });

  describe('revoking tokens', () => {
    /** Signs in through the API. */
    async function login(username: string, password: string): Promise<{ status: number; token?: string }> {
      const res = await api.as('anonymous').post('/api/auth/login', { username, password });
      return { status: res.status, token: res.body?.token };
    }
    const me = (token: string) => new Client(() => api.url, () => token).get('/api/auth/me');
    const runCli = (args: string[], password?: string) =>
      runUsersCommand(args, { db: api.db, env: password ? { MOTCUA_NEW_PASSWORD: password } : {}, out: () => undefined, err: () => undefined });

    /** Whether a socket.io handshake with `token` is accepted. */
    function handshake(token: string): Promise<'connected' | string> {
      return new Promise((resolve) => {
        const socket = connectSocket(api.url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
        socket.on('connect', () => {
          socket.close();
          resolve('connected');
        });
        socket.on('connect_error', (error) => {
          socket.close();
          resolve(error.message);
        });
      });
    }

    it('should refuse, on every request and at the socket handshake, the tokens issued before `users set-password`', async () => {
      // given
      expect(await runCli(['add', 'iso-pw', '--role', 'official', '--agency', 'A', '--groups', 'desk'], 'mật khẩu thứ nhất')).toBe(0);
      const { token: old } = await login('iso-pw', 'mật khẩu thứ nhất');
      expect((await me(old!)).status).toBe(200);
      expect(await handshake(old!)).toBe('connected');

      // when
      expect(await runCli(['set-password', 'iso-pw'], 'mật khẩu thứ hai')).toBe(0);

      // then
      const refused = await me(old!);
      expect([refused.status, refused.body.code]).toEqual([401, 'UNAUTHORIZED']);
      expect(await handshake(old!)).toMatch(/^Authentication failed/);
      expect((await login('iso-pw', 'mật khẩu thứ nhất')).status).toBe(401);
      const { token: fresh } = await login('iso-pw', 'mật khẩu thứ hai');
      expect((await me(fresh!)).status).toBe(200);
      expect(await handshake(fresh!)).toBe('connected');
    });

    it('should refuse the tokens issued before `users disable`, also after `users enable`', async () => {
      // given
      expect(await runCli(['add', 'iso-off', '--role', 'official', '--agency', 'A'], 'mật khẩu của tôi')).toBe(0);
      const { token: old } = await login('iso-off', 'mật khẩu của tôi');

      // when
      expect(await runCli(['disable', 'iso-off'])).toBe(0);

      // then
      expect((await me(old!)).status).toBe(401);
      expect(await handshake(old!)).toMatch(/^Authentication failed/);
      expect((await login('iso-off', 'mật khẩu của tôi')).status).toBe(401);

      // when re-enabled
      expect(await runCli(['enable', 'iso-off'])).toBe(0);

      // then
      expect((await me(old!)).status).toBe(401);
      const { token: fresh } = await login('iso-off', 'mật khẩu của tôi');
      expect((await me(fresh!)).status).toBe(200);
    });
  });
});
