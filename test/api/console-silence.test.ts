/**
 * The server logs only through its injected logger: a run of API calls, refused ones and a
 * failing job among them, writes nothing to the process's stdout or stderr (the harness gives
 * the server a silent pino logger, so any line seen here came from console or a direct write).
 */
import { JobExecutor } from '../../engine/src/index';
import { testDatabases } from '../support/databases';
import { processXml, useApi } from './harness';

describe.each(testDatabases())('server output on $name', (target) => {
  const api = useApi(target);

  it('should write nothing to stdout or stderr while serving calls, refusals and a failing job', async () => {
    // given
    const deployed = await api.as('analyst').request('POST', '/api/deployments', { raw: processXml({ id: 'quiet', agency: 'A', serviceTask: true }), headers: { 'content-type': 'application/xml' } });
    expect(deployed.status).toBe(201);
    const written: string[] = [];
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(`stdout: ${String(chunk)}`), true));
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(`stderr: ${String(chunk)}`), true));
    const executor = new JobExecutor({ engine: api.engine, handlers: { lookup: async () => { throw new Error('the registry did not answer'); } } });

    // when
    try {
      const started = await api.as('officialA').post('/api/instances', { processId: 'quiet' });
      expect(started.status).toBe(201);
      await executor.runOnce();
      expect((await api.as('officialA').post('/api/instances', { processId: 'no-such-process' })).status).toBe(404);
      expect((await api.as('adminA').post('/api/incidents/nope/retry')).status).toBe(404);
      expect((await api.as('anonymous').get('/api/tasks')).status).toBe(401);
      expect((await api.as('analyst').request('POST', '/api/deployments', { raw: '<not-bpmn', headers: { 'content-type': 'application/xml' } })).status).toBeGreaterThanOrEqual(400);
      expect((await api.as('adminA').get(`/api/incidents?instanceId=${started.body.instanceId}`)).status).toBe(200);
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
      await executor.stop();
    }

    // then
    expect(written).toEqual([]);
  });
});
