/**
 * The server's request log: every request gets a child logger carrying its request id
 * (`reqId`, the same as the `X-Request-Id` answered), and the routes add the instance and
 * task ids they know, so that the access line and any line logged for the request name them.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { testDatabases } from '../support/databases';
import { processXml, useApi } from './harness';

/** A pino logger at info whose JSON lines are kept in `lines`. */
function memoryLogger(): { logger: pino.Logger; lines: Array<Record<string, any>> } {
  const lines: Array<Record<string, any>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines };
}

describe.each(testDatabases())('request log on $name', (target) => {
  const log = memoryLogger();
  const api = useApi(target, { logger: log.logger });

  beforeAll(async () => {
    const xml = processXml({ id: 'logged', agency: 'A', tasks: [{ id: 'examine', groups: 'desk' }] });
    expect((await api.as('analyst').request('POST', '/api/deployments', { raw: xml, headers: { 'content-type': 'application/xml' } })).status).toBe(201);
  });

  /** The access line of the request with this id (the server writes it as the answer is sent). */
  async function accessLine(reqId: string): Promise<Record<string, any>> {
    for (let i = 0; i < 50; i++) {
      const line = log.lines.find((l) => l.reqId === reqId && l.msg === 'request completed');
      if (line) return line;
      await new Promise((resolve) => setImmediate(resolve));
    }
    throw new Error(`no access line for request ${reqId}`);
  }

  it('should write one access line per request with its request id, the caller and the task and instance ids', async () => {
    // given
    const started = await api.as('officialA').post('/api/instances', { processId: 'logged' });
    expect(started.status).toBe(201);
    const [task] = await api.openTasks(started.body.instanceId);

    // when
    const done = await api.as('officialA').request('POST', `/api/tasks/${task.id}/complete`, { json: {}, headers: { 'x-request-id': 'req-complete-1' } });

    // then
    expect(done.status).toBe(200);
    expect(done.headers.get('x-request-id')).toBe('req-complete-1');
    const line = await accessLine('req-complete-1');
    expect(line).toMatchObject({
      level: 30,
      reqId: 'req-complete-1',
      taskId: task.id,
      instanceId: started.body.instanceId,
      user: api.ids.officialA,
      req: { method: 'POST', url: `/api/tasks/${task.id}/complete` },
      res: { statusCode: 200 },
    });
    expect(typeof line.responseTime).toBe('number');
    expect(log.lines.filter((l) => l.reqId === 'req-complete-1')).toHaveLength(1);
  });

  it('should name the instance of an instance route, and log a refusal (another agency) at warn with a request id of its own when the caller gave none', async () => {
    // given
    const started = await api.as('officialA').post('/api/instances', { processId: 'logged' });

    // when
    const seen = await api.as('officialB').get(`/api/instances/${started.body.instanceId}`);

    // then
    // another agency's instance is answered as one that does not exist (docs/conventions.md)
    expect(seen.status).toBe(404);
    const reqId = seen.headers.get('x-request-id')!;
    expect(reqId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await accessLine(reqId)).toMatchObject({ level: 40, reqId, instanceId: started.body.instanceId, req: { url: `/api/instances/${started.body.instanceId}` }, res: { statusCode: 404 } });
  });

  it('should not take a malformed request id from the caller', async () => {
    // when
    const res = await api.as('officialA').request('GET', '/api/tasks?limit=5', { headers: { 'x-request-id': 'bad id with spaces' } });

    // then
    expect(res.status).toBe(200);
    const reqId = res.headers.get('x-request-id')!;
    expect(reqId).not.toBe('bad id with spaces');
    expect((await accessLine(reqId)).req.url).toBe('/api/tasks');
  });
});
