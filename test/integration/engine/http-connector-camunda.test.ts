/**
 * The HTTP connector with the inputs and task headers Camunda's REST connector
 * (`io.camunda:http-json:1`) writes: each field checked by a local server, on both databases;
 * `{{secrets.NAME}}` never reaches variables, history or incident messages.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Engine } from '../../../engine/src/engine';
import { httpConnector } from '../../../engine/src/jobs/http-connector';
import { JobExecutor } from '../../../engine/src/jobs/job-executor';
import { createSequelizeEngineStore } from '../../../engine/src/store-sequelize/sequelize-engine-store';
import type { EngineStore } from '../../../engine/src/store/ports';
import type { Database } from '../../../engine/src/store-sequelize/connect';
import { openTestDatabase, testDatabases } from '../../support/databases';

const TOKEN = 's3cr3t-token-4711';
const PASSWORD = 'pa55-w0rd-0815';
const SECRETS: Record<string, string> = { TOKEN, PASSWORD };

const input = (target: string, source: string) => `<zeebe:input source="${source.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')}" target="${target}" />`;

const MODEL = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  id="rest-definitions" targetNamespace="http://motcua.vn/bpmn/test">
  <bpmn:error id="err-nf" name="not found" errorCode="NOT_FOUND" />
  <bpmn:process id="rest" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="call" />
    <bpmn:serviceTask id="call" zeebe:modelerTemplate="io.camunda.connectors.HttpJson.v2">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="io.camunda:http-json:1" retries="3" />
        <zeebe:ioMapping>
          ${input('authentication.type', '=authType')}
          ${input('authentication.token', '{{secrets.TOKEN}}')}
          ${input('authentication.username', 'svc')}
          ${input('authentication.password', '{{secrets.PASSWORD}}')}
          ${input('authentication.apiKeyLocation', '=keyLocation')}
          ${input('authentication.name', 'x-api-key')}
          ${input('authentication.value', '{{secrets.TOKEN}}')}
          ${input('method', '=method')}
          ${input('url', '=baseUrl + path')}
          ${input('headers', '=headers')}
          ${input('queryParameters', '=query')}
          ${input('body', '=body')}
          ${input('connectionTimeoutInSeconds', '=1')}
          ${input('readTimeoutInSeconds', '=1')}
        </zeebe:ioMapping>
        <zeebe:taskHeaders>
          <zeebe:header key="resultVariable" value="result" />
          <zeebe:header key="resultExpression" value="={citizenName: response.body.name}" />
          <zeebe:header key="errorExpression" value="=if error != null and error.code = &quot;404&quot; then bpmnError(&quot;NOT_FOUND&quot;, &quot;no citizen at &quot; + path) else if error != null and error.code = &quot;409&quot; then jobError(&quot;registry busy&quot;, {}, 0) else null" />
          <zeebe:header key="retryBackoff" value="PT30S" />
        </zeebe:taskHeaders>
      </bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:boundaryEvent id="notFoundError" attachedToRef="call"><bpmn:errorEventDefinition errorRef="err-nf" /></bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="call" targetRef="done" />
    <bpmn:sequenceFlow id="f3" sourceRef="notFoundError" targetRef="notFound" />
    <bpmn:endEvent id="done" />
    <bpmn:endEvent id="notFound" />
  </bpmn:process>
</bpmn:definitions>`;

interface Received {
  method?: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: string;
}

describe.each(testDatabases())('jobs/http-connector, Camunda REST connector fields, on $name', (target) => {
  let server: Server;
  let baseUrl: string;
  let db: Database;
  let store: EngineStore;
  let engine: Engine;
  let clock = Date.parse('2026-12-07T08:00:00+07:00');
  const received: Received[] = [];

  beforeAll(async () => {
    // given: a registry on loopback: 001 is known, 404 unknown, 409 busy, /down fails, /slow never answers in time
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        received.push({ method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body });
        if (url.pathname === '/citizens/001') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name: 'Trần Thị B' }));
        else if (url.pathname === '/citizens/409') res.writeHead(409).end();
        else if (url.pathname.startsWith('/down')) res.writeHead(503).end('down');
        else if (url.pathname === '/slow') setTimeout(() => res.writeHead(200).end('{}'), 4000).unref();
        else res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"unknown"}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    db = await openTestDatabase(target.name);
    store = createSequelizeEngineStore(db);
    engine = new Engine({ store, now: () => clock });
    await engine.deploy(MODEL);
  });

  afterAll(async () => {
    await store?.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const executor = () =>
    new JobExecutor({
      engine,
      now: () => clock,
      backoff: () => 1000,
      onError: () => undefined,
      handlers: { 'io.camunda:http-json:1': httpConnector({ secrets: (name) => SECRETS[name] }) },
    });
  const start = (variables: Record<string, unknown>) =>
    engine.startInstance({ processId: 'rest', variables: { baseUrl, method: 'GET', path: '/citizens/001', authType: 'noAuth', ...variables } });
  const everything = async (instanceId: string) =>
    JSON.stringify([await store.history(instanceId), await engine.variables(instanceId), await store.jobs({ instanceId }), await store.incidents({ instanceId })]);

  it('should send method, headers, query parameters and body, and map the answer with resultVariable and resultExpression', async () => {
    // given
    const { instanceId } = await start({ method: 'POST', headers: { 'X-Request-Id': 'r-1' }, query: { purpose: 'khai sinh', page: 2 }, body: { born: '2026-12-01' } });

    // when
    await executor().runOnce();

    // then
    const call = received.at(-1)!;
    expect(call).toMatchObject({ method: 'POST', path: '/citizens/001', query: { purpose: 'khai sinh', page: '2' }, body: '{"born":"2026-12-01"}' });
    expect(call.headers).toMatchObject({ 'x-request-id': 'r-1', 'content-type': 'application/json' });
    expect(call.headers.authorization).toBeUndefined();
    expect((await store.instance(instanceId))?.status).toBe('completed');
    const variables = await engine.variables(instanceId);
    expect(variables.result).toMatchObject({ status: 200, body: { name: 'Trần Thị B' } });
    expect(variables.citizenName).toBe('Trần Thị B');
  });

  it.each([
    ['basic', {}, (h: IncomingHttpHeaders) => expect(h.authorization).toBe(`Basic ${Buffer.from(`svc:${PASSWORD}`).toString('base64')}`)],
    ['bearer', {}, (h: IncomingHttpHeaders) => expect(h.authorization).toBe(`Bearer ${TOKEN}`)],
    ['apiKey', { keyLocation: 'headers' }, (h: IncomingHttpHeaders) => expect(h['x-api-key']).toBe(TOKEN)],
  ])('should authenticate with %s, the secret put in from the configured secrets and kept out of variables and history', async (authType, extra, check) => {
    // given
    const { instanceId } = await start({ authType, ...extra });

    // when
    await executor().runOnce();

    // then
    check(received.at(-1)!.headers);
    expect((await store.instance(instanceId))?.status).toBe('completed');
    const stored = await everything(instanceId);
    expect(stored).toContain('{{secrets.TOKEN}}');
    expect(stored).not.toContain(TOKEN);
    expect(stored).not.toContain(PASSWORD);
  });

  it('should send an API key as a query parameter when its location is query', async () => {
    // when
    await start({ authType: 'apiKey', keyLocation: 'query' });
    await executor().runOnce();

    // then
    expect(received.at(-1)!.query).toEqual({ 'x-api-key': TOKEN });
  });

  it('should raise the BPMN error the error expression names, caught by the boundary event', async () => {
    // given
    const { instanceId } = await start({ path: '/citizens/404' });

    // when
    await executor().runOnce();

    // then
    const history = await store.history(instanceId);
    expect(history.some((h) => h.type === 'elementCompleted' && h.elementId === 'notFound')).toBe(true);
  });

  it('should fail the job as the error expression jobError(…) says: no retries left opens an incident with its message', async () => {
    // given
    const { instanceId } = await start({ path: '/citizens/409' });

    // when
    await executor().runOnce();

    // then
    const incidents = await store.incidents({ instanceId, state: 'open' });
    expect(incidents.map((i) => i.message)).toEqual([expect.stringContaining('registry busy')]);
  });

  it('should wait the retryBackoff before the next attempt, and never write the secret into an incident message', async () => {
    // given: a URL holding a secret, on a server that is down
    const { instanceId } = await start({ path: '/down/{{secrets.TOKEN}}', authType: 'bearer' });
    const calls = () => received.filter((r) => r.path.startsWith('/down')).length;
    const before = calls();

    // when: the first attempt fails, then the clock nears, and reaches, PT30S
    await executor().runOnce();
    clock += 29_000;
    await executor().runOnce();
    const afterAlmost = calls();
    clock += 1_000;
    await executor().runOnce();
    clock += 30_000;
    await executor().runOnce();

    // then
    expect(afterAlmost - before).toBe(1);
    expect(calls() - before).toBe(3);
    expect(received.at(-1)!.path).toBe(`/down/${TOKEN}`);
    const incidents = await store.incidents({ instanceId, state: 'open' });
    expect(incidents).toHaveLength(1);
    expect(incidents[0].message).toContain('503');
    expect(incidents[0].message).toContain('/down/***');
    expect(await everything(instanceId)).not.toContain(TOKEN);
  });

  it('should fail the attempt when the answer does not come within the connection and read timeouts', async () => {
    // given
    const { instanceId } = await start({ path: '/slow' });

    // when
    await executor().runOnce();

    // then
    const [job] = await store.jobs({ instanceId });
    expect(job.retries).toBe(2);
    expect(job.errorMessage).toContain('did not answer within 2 s');
  });

  it('should fail the job naming a secret that is not configured, without calling', async () => {
    // given
    const { instanceId } = await start({ path: '/citizens/{{secrets.MISSING}}' });
    const count = received.length;

    // when
    await executor().runOnce();

    // then
    const [job] = await store.jobs({ instanceId });
    expect(job.errorMessage).toContain("names the secret 'MISSING', which is not configured");
    expect(received.length).toBe(count);
  });
});
