import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../../engine/src/engine';
import { httpConnector } from '../../../engine/src/jobs/http-connector';
import { JobExecutor } from '../../../engine/src/jobs/job-executor';
import { createSequelizeEngineStore } from '../../../engine/src/store-sequelize/sequelize-engine-store';
import type { EngineStore } from '../../../engine/src/store/ports';
import { openTestDatabase } from '../../support/databases';

describe('jobs/http-connector', () => {
  let server: Server;
  let baseUrl: string;
  let store: EngineStore;
  let engine: Engine;
  let clock = Date.parse('2026-11-23T08:00:00+07:00');
  const received: Array<{ method?: string; url?: string; body: string }> = [];

  beforeAll(async () => {
    // given: a registry on loopback that knows citizen 001, fails for 500, and knows nobody else
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ method: req.method, url: req.url, body });
        if (req.url === '/citizens/001') {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name: 'Trần Thị B', born: '2026-11-20' }));
        } else if (req.url === '/citizens/500') {
          res.writeHead(503).end('down');
        } else {
          res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"unknown"}');
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    store = createSequelizeEngineStore(await openTestDatabase('embedded'));
    engine = new Engine({ store, now: () => clock });
    await engine.deploy(readFileSync(join(__dirname, '../../fixtures/engine/http.bpmn'), 'utf8'));
  });

  afterAll(async () => {
    await store.close();
    await new Promise((resolve) => server.close(resolve));
  });

  const executor = () => new JobExecutor({ engine, now: () => clock, backoff: () => 1000, handlers: { http: httpConnector() } });

  it('should call the endpoint with the mapped inputs and store the answer in the result variable', async () => {
    // given
    const { instanceId } = await engine.startInstance({ processId: 'http-call', variables: { baseUrl, citizenId: '001' } });

    // when
    await executor().runOnce();

    // then
    expect(received.at(-1)).toEqual({ method: 'POST', url: '/citizens/001', body: '{"purpose":"birth registration"}' });
    expect((await store.instance(instanceId))?.status).toBe('completed');
    expect((await engine.variables(instanceId)).registry).toMatchObject({ status: 200, body: { name: 'Trần Thị B' } });
  });

  it('should raise the BPMN error HTTP_404 for a 404, caught by the boundary event', async () => {
    // given
    const { instanceId } = await engine.startInstance({ processId: 'http-call', variables: { baseUrl, citizenId: '999' } });

    // when
    await executor().runOnce();

    // then
    const history = await store.history(instanceId);
    expect(history.some((h) => h.type === 'elementCompleted' && h.elementId === 'notFound')).toBe(true);
  });

  it('should retry a 5xx and open an incident when the retries run out', async () => {
    // given
    const { instanceId } = await engine.startInstance({ processId: 'http-call', variables: { baseUrl, citizenId: '500' } });

    // when
    await executor().runOnce();
    clock += 1000;
    await executor().runOnce();

    // then
    const incidents = await store.incidents({ instanceId, state: 'open' });
    expect(incidents).toHaveLength(1);
    expect(incidents[0].message).toContain('503');
  });
});
