/**
 * The server as a whole: health, metrics, the OpenAPI document, and the error
 * conventions every route shares (problem+json, field names, size limits, no stacks).
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { API_OPERATIONS } from '../../api/src/schemas/index';
import { expressPath } from '../../api/src/validation';
import { testDatabases } from '../support/databases';
import { processXml, useApi } from './harness';

function expectProblem(res: { status: number; headers: Headers; body: any; text: string }, status: number, code?: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, type: expect.stringMatching(/^https:\/\//), title: expect.any(String) });
  if (code) expect(res.body.code).toBe(code);
  expect(res.text).not.toMatch(/\n\s+at /); // no stack trace
  expect(res.text).not.toMatch(/node_modules|\.ts:\d+/);
}

describe.each(testDatabases())('api server on $name', (target) => {
  const api = useApi(target);

  describe('health', () => {
    it('should answer ok with the version and a reachable database', async () => {
      // when
      const res = await api.as('anonymous').get('/api/health');

      // then
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'ok', version: expect.any(String), database: { reachable: true, embedded: target.embedded } });
      expect(res.headers.get('x-request-id')).toBeTruthy();
    });
  });

  describe('metrics', () => {
    it('should expose request durations by route, engine commands and process metrics', async () => {
      // given
      await api.as('anonymous').get('/api/health');
      await api.as('adminA').post('/api/instances', { processId: 'nothing-deployed' });

      // when
      const res = await api.as('anonymous').get('/metrics');

      // then
      expect(res.status).toBe(200);
      expect(res.text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/api\/health",status_code="200"\} \d+/);
      expect(res.text).toMatch(/motcua_engine_commands_total\{command="startInstance",outcome="NOT_FOUND"\} 1/);
      expect(res.text).toMatch(/process_cpu_user_seconds_total/);
    });
  });

  describe('errors', () => {
    it('should answer an unknown route with a 404 problem', async () => {
      const res = await api.as('officialA').get('/api/nothing-here');
      expectProblem(res, 404, 'NOT_FOUND');
      expect(res.body.instance).toBe('/api/nothing-here');
    });

    it('should answer malformed JSON with a 400 problem', async () => {
      const res = await api.as('officialA').post('/api/instances', undefined, { raw: '{"processId": ', headers: { 'content-type': 'application/json' } });
      expectProblem(res, 400, 'MALFORMED_REQUEST');
    });

    it('should answer a JSON body over 1 MB with a 413 problem', async () => {
      const big = JSON.stringify({ processId: 'p', variables: { blob: 'x'.repeat(1024 * 1024 + 10) } });
      const res = await api.as('officialA').post('/api/instances', undefined, { raw: big, headers: { 'content-type': 'application/json' } });
      expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
    });

    it('should name each invalid field of body and query', async () => {
      // when
      const body = await api.as('officialA').post('/api/instances', { processId: 7, variables: [], extra: true });
      const query = await api.as('officialA').get('/api/instances?limit=0&status=sleeping');

      // then
      expectProblem(body, 400, 'INVALID_INPUT');
      expect(body.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'body.processId', message: 'must be string' },
          { field: 'body.variables', message: 'must be object' },
          { field: 'body.extra', message: 'is not allowed' },
        ]),
      );
      expectProblem(query, 400, 'INVALID_INPUT');
      expect(query.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['query.limit', 'query.status']);
    });

    it('should refuse a request without a token with 401 and WWW-Authenticate', async () => {
      const res = await api.as('anonymous').get('/api/tasks');
      expectProblem(res, 401, 'UNAUTHORIZED');
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
    });

    it('should answer an unexpected failure with a 500 problem and no detail of it', async () => {
      // given: the engine breaks in a way nobody planned for
      const original = api.engine.startInstance;
      api.engine.startInstance = async () => {
        throw new TypeError('secret internal detail at line 42');
      };
      try {
        // when
        const res = await api.as('officialA').post('/api/instances', { processId: 'x' });

        // then
        expectProblem(res, 500, 'INTERNAL');
        expect(res.text).not.toContain('secret internal detail');
      } finally {
        api.engine.startInstance = original;
      }
    });
  });

  describe('OpenAPI document', () => {
    it('should list every route with its schemas', async () => {
      // when
      const res = await api.as('anonymous').get('/api/openapi.json');

      // then
      expect(res.status).toBe(200);
      const doc = res.body;
      expect(doc.openapi).toBe('3.1.0');
      expect(doc.info).toMatchObject({ title: 'motcua', version: expect.any(String) });
      for (const op of API_OPERATIONS) {
        const entry = doc.paths[`/api${op.path}`]?.[op.method];
        expect({ op: op.operationId, found: !!entry }).toEqual({ op: op.operationId, found: true });
        expect(entry.operationId).toBe(op.operationId);
        expect(Object.keys(entry.responses).length).toBeGreaterThan(0);
      }
      expect(doc.paths['/api/auth/login'].post).toBeDefined();
      expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['Problem', 'Task', 'Instance', 'StartInstanceBody', 'DeployResult']));
    });

    it('should have only $refs that resolve and schemas that compile as JSON Schema 2020-12', async () => {
      // given
      const doc = (await api.as('anonymous').get('/api/openapi.json')).body;
      const refs: string[] = [];
      const walk = (v: unknown): void => {
        if (Array.isArray(v)) v.forEach(walk);
        else if (v && typeof v === 'object') {
          for (const [k, x] of Object.entries(v)) {
            if (k === '$ref' && typeof x === 'string') refs.push(x);
            else walk(x);
          }
        }
      };
      walk(doc.paths);
      walk(doc.components);

      // then
      for (const ref of refs) {
        expect(ref).toMatch(/^#\/components\/schemas\//);
        expect(doc.components.schemas[ref.split('/').pop()!]).toBeDefined();
      }
      const ajv = new Ajv2020({ strict: false });
      addFormats(ajv);
      ajv.addSchema({ $id: 'doc', components: doc.components });
      for (const [name] of Object.entries(doc.components.schemas)) {
        expect(() => ajv.getSchema(`doc#/components/schemas/${name}`)).not.toThrow();
      }
    });

    it('should document the same paths the server routes', async () => {
      // every documented operation answers something other than the 404 of an unknown route
      for (const op of API_OPERATIONS) {
        const path = expressPath(op.path).replace(/:([A-Za-z]+)/g, 'x');
        const res = await api.as('analyst').request(op.method.toUpperCase(), `/api${path}`);
        expect({ op: op.operationId, unknownRoute: res.status === 404 && /no route/.test(res.body?.detail ?? '') }).toEqual({ op: op.operationId, unknownRoute: false });
      }
    });
  });

  describe('responses match their documented schemas', () => {
    it('should answer a started instance and a task page as documented', async () => {
      // given
      const ajv = new Ajv2020({ strict: false });
      addFormats(ajv);
      const doc = (await api.as('anonymous').get('/api/openapi.json')).body;
      ajv.addSchema({ $id: 'doc', components: doc.components });
      const check = (name: string, value: unknown) => {
        const validate = ajv.getSchema(`doc#/components/schemas/${name}`)!;
        expect({ name, valid: validate(value), errors: validate.errors ?? null }).toEqual({ name, valid: true, errors: null });
      };
      await api.as('adminA').request('POST', '/api/deployments', {
        raw: processXml({ id: 'schema-check', agency: 'A', tasks: [{ id: 'examine', groups: 'desk', due: 'P2D' }] }),
        headers: { 'content-type': 'application/xml' },
      });

      // when
      const started = await api.as('officialA').post('/api/instances', { processId: 'schema-check', businessKey: 'SC-1' });
      const page = await api.as('officialA').get(`/api/tasks?instanceId=${started.body.instanceId}`);
      const instance = await api.as('officialA').get(`/api/instances/${started.body.instanceId}`);

      // then
      check('StartedInstance', started.body);
      check('TaskPage', page.body);
      check('Instance', instance.body);
      expect(page.body.items[0]).toMatchObject({ elementId: 'examine', agency: 'A', overdue: false, dueAt: expect.any(String) });
    });
  });
});
