/**
 * Text PostgreSQL cannot store (U+0000, lone UTF-16 surrogates) is refused at the API,
 * wherever it is in the request, with a 400 problem naming the field; nothing of it is
 * stored, and the live push goes on for everyone.
 */
import { principalOf } from '../../api/src/auth/auth-service';
import type { TaskEventPayload } from '../../api/src/push';
import { testDatabases } from '../support/databases';
import { processXml, useApi, type UserName } from './harness';
import { Inbox } from './push/push-support';

const NUL = '\u0000';

describe.each(testDatabases())('text PostgreSQL cannot store, on $name', (target) => {
  const api = useApi(target);
  const inboxes: Inbox[] = [];
  let taskId: string;

  const socketOf = async (user: UserName): Promise<Inbox> => {
    const record = await api.auth.users.byUsername(user === 'officialA' ? 'official-a' : user);
    const { token } = await api.auth.issueToken(principalOf(record!));
    const inbox = new Inbox(api.url, token);
    inboxes.push(inbox);
    return inbox.ready();
  };

  const start = (body: Record<string, unknown>) => api.as('officialA').post('/api/instances', { processId: 'letter', ...body });

  /** Expects a 400 problem naming exactly `field`. */
  const refused = (res: { status: number; headers: Headers; body: any }, field: string): void => {
    expect({ status: res.status, type: res.headers.get('content-type'), fields: res.body?.errors?.map((e: { field: string }) => e.field) }).toEqual({
      status: 400,
      type: expect.stringMatching(/^application\/problem\+json/),
      fields: [field],
    });
    expect(res.body.errors[0].message).toMatch(/U\+0000|surrogate/);
  };

  beforeAll(async () => {
    const deployed = await api.as('analyst').request('POST', '/api/deployments', {
      raw: processXml({ id: 'letter', agency: 'A', tasks: [{ id: 'examine', groups: 'desk' }], message: true }),
      headers: { 'content-type': 'application/xml' },
    });
    expect(deployed.status).toBe(201);
    const started = await start({ variables: { dossierCode: 'L-1' } });
    taskId = (await api.openTasks(started.body.instanceId))[0].id;
  });

  afterEach(() => {
    for (const inbox of inboxes.splice(0)) inbox.close();
  });

  describe('in the body', () => {
    it('should refuse U+0000 in a variable, naming it, and keep pushing live events to everyone', async () => {
      // given
      const desk = await socketOf('officialA');

      // when
      const res = await start({ variables: { name: `Lan${NUL}` } });
      const next = await start({ variables: { name: 'Lan' } });

      // then
      refused(res, 'body.variables.name');
      expect(next.status).toBe(201);
      const [task] = await api.openTasks(next.body.instanceId);
      await desk.waitFor('task.created after the refused start', (e) => (e.payload as TaskEventPayload).task?.id === task.id);
    });

    it('should refuse U+0000 in a nested key and in a nested array value', async () => {
      refused(await start({ variables: { address: { [`street${NUL}`]: 'Hàng Bông' } } }), 'body.variables.address.street\\u0000');
      refused(await start({ variables: { people: [{ name: 'A' }, { name: `B${NUL}` }] } }), 'body.variables.people[1].name');
    });

    it('should refuse a lone surrogate, which JSON can carry as an escape', async () => {
      const res = await api.as('officialA').request('POST', '/api/instances', {
        raw: '{"processId":"letter","variables":{"name":"\\ud800 alone"}}',
        headers: { 'content-type': 'application/json' },
      });
      refused(res, 'body.variables.name');
    });

    it('should refuse U+0000 in a business key, a correlation key, a comment and a login name', async () => {
      refused(await start({ businessKey: `H29${NUL}` }), 'body.businessKey');
      refused(await api.as('officialA').post('/api/messages', { name: 'supplement', correlationKey: `L-1${NUL}` }), 'body.correlationKey');
      refused(await api.as('officialA').post(`/api/tasks/${taskId}/comments`, { text: `see${NUL}` }), 'body.text');
      refused(await api.as('anonymous').post('/api/auth/login', { username: `official-a${NUL}`, password: 'x' }), 'body.username');
    });
  });

  describe('in the query, the path and a BPMN document', () => {
    it('should refuse U+0000 in a query parameter and in a path parameter', async () => {
      refused(await api.as('officialA').get('/api/tasks?processId=letter%00'), 'query.processId');
      refused(await api.as('officialA').get('/api/instances/abc%00'), 'params[2]');
    });

    it('should refuse a BPMN document with U+0000, raw or as a character reference, saying where', async () => {
      // given
      const xml = processXml({ id: 'letter-nul', agency: 'A', tasks: [{ id: 'examine', groups: 'desk' }] });

      // when
      const raw = await api.as('analyst').request('POST', '/api/deployments', { raw: xml.replace('name="examine"', `name="exa${NUL}mine"`), headers: { 'content-type': 'application/xml' } });
      const reference = await api.as('analyst').request('POST', '/api/deployments', { raw: xml.replace('name="examine"', 'name="exa&#0;mine"'), headers: { 'content-type': 'application/xml' } });
      const surrogate = await api.as('analyst').request('POST', '/api/deployments', { raw: xml.replace('name="examine"', 'name="exa&#xD800;mine"'), headers: { 'content-type': 'application/xml' } });

      // then
      for (const res of [raw, reference, surrogate]) {
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ code: 'MODEL_PARSE_ERROR', detail: expect.stringMatching(/line \d+, column \d+/) });
      }
      expect(reference.body.detail).toMatch(/U\+0000/);
      expect(surrogate.body.detail).toMatch(/U\+D800/);
    });

    it('should refuse a task form holding U+0000 as a problem of the deployment', async () => {
      // given
      const form = new FormData();
      form.append('bpmn', new Blob([processXml({ id: 'letter-form', agency: 'A', tasks: [{ id: 'examine', groups: 'desk', formKey: 'apply' }] })]), 'letter-form.bpmn');
      form.append('forms', new Blob([JSON.stringify({ type: 'object', properties: { [`name${NUL}`]: { type: 'string' } } })]), 'apply.schema.json');

      // when
      const res = await api.as('analyst').request('POST', '/api/deployments', { raw: form });

      // then
      expect(res.status).toBe(422);
      expect(res.body.problems).toEqual([{ elementId: 'apply', reason: expect.stringMatching(/^schema\.properties\.name\\u0000: the name contains the character U\+0000/) }]);
      expect(await api.sql(`SELECT 1 FROM definitions WHERE process_id = 'letter-form'`)).toEqual([]);
    });
  });

  it("should still answer an instance's history and position when a malformed row was written into it by hand", async () => {
    // given
    const started = await start({ variables: { dossierCode: 'L-2' } });
    const instanceId = started.body.instanceId as string;
    for (const events of ['{"type":"flowTaken"}', '42', '[{"type":"taskOpened","task":{"name":"a\\u0000"}}]']) {
      await api.sql(`INSERT INTO history (instance_id, at, type, events, push) VALUES ($1, now(), 'flowTaken', $2::json, false)`, [instanceId, events]);
    }

    // when
    const history = await api.as('officialA').get(`/api/instances/${instanceId}/history`);
    const position = await api.as('officialA').get(`/api/instances/${instanceId}/position`);

    // then
    expect(history.status).toBe(200);
    expect(position.status).toBe(200);
    await api.sql(`DELETE FROM history WHERE instance_id = $1 AND json_typeof(events) <> 'array'`, [instanceId]);
  });

  it('should have stored no text jsonb refuses', async () => {
    const rows = await api.sql<{ id: string }>(`SELECT id FROM history WHERE history_events_jsonb(events) IS NULL AND type <> 'flowTaken'`);
    expect(rows).toEqual([]);
    // Fails with an error if any state is not jsonb-castable.
    expect(await api.sql(`SELECT count(*)::int AS n FROM instances WHERE state::jsonb IS NULL`)).toEqual([{ n: 0 }]);
  });
});
