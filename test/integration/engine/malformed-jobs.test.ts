/**
 * The job executor against malformed jobs and values it cannot store: a job row written
 * badly into the database, an orphan job, a handler that throws synchronously, a result
 * (from a handler or a remote server) holding text PostgreSQL cannot store, a FEEL
 * mapping that produces such text. Each ends as an incident or a set-aside job with a
 * clear message; no poison row is stored; the other jobs of the same round run.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Engine } from '../../../engine/src/engine';
import { InvalidInputError } from '../../../engine/src/errors';
import { httpConnector } from '../../../engine/src/jobs/http-connector';
import { JobExecutor, type JobHandler } from '../../../engine/src/jobs/job-executor';
import type { Database } from '../../../engine/src/store-sequelize/connect';
import { createSequelizeEngineStore } from '../../../engine/src/store-sequelize/sequelize-engine-store';
import type { Logger } from '../../../engine/src/logger';
import type { Variables } from '../../../engine/src/runtime/state';
import type { EngineStore } from '../../../engine/src/store/ports';
import { openTestDatabase, testDatabases } from '../../support/databases';

/** A service task of job type `type` (retries 1), then the end; an optional output mapping. */
function serviceProcess(id: string, type: string, extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs-${id}" targetNamespace="http://motcua.vn/test">
  <bpmn:process id="${id}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:serviceTask id="work">
      <bpmn:extensionElements><zeebe:taskDefinition type="${type}" retries="1" />${extra}</bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;
}

describe.each(testDatabases())('jobs/job-executor with malformed jobs on $name', ({ name }) => {
  let db: Database;
  let store: EngineStore;
  let engine: Engine;
  let server: Server;
  let baseUrl: string;
  const errors: unknown[] = [];
  const clock = Date.parse('2026-11-23T08:00:00+07:00');

  const handlers: Record<string, JobHandler> = {
    sound: async () => ({ done: true }),
    // Not async: it throws before any promise exists.
    'throws-at-once': (() => {
      throw new Error('no registry configured');
    }) as unknown as JobHandler,
    'returns-nul': async () => ({ name: 'Lan\u0000' }),
    'returns-array': async () => [1, 2] as never,
    http: httpConnector(),
  };
  const executor = () => new JobExecutor({ engine, now: () => clock, backoff: () => 1000, handlers, onError: (error) => errors.push(error) });

  const sql = async <T>(text: string, bind: unknown[] = []): Promise<T[]> => (await db.sequelize.query(text, { bind, type: 'SELECT', raw: true })) as T[];
  const jobOf = async (instanceId: string) => (await sql<{ id: string; retries: number; error_message: string | null; lock_owner: string | null }>('SELECT id, retries, error_message, lock_owner FROM jobs WHERE instance_id = $1', [instanceId]))[0];
  const incidentsOf = (instanceId: string) => store.incidents({ instanceId, state: 'open' });
  const start = async (processId: string, variables: Variables = {}) => (await engine.startInstance({ processId, variables })).instanceId;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"name":"Tr\\u0000n","note":"\\udc00"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    db = await openTestDatabase(name);
    store = createSequelizeEngineStore(db);
    engine = new Engine({ store, now: () => clock });
    for (const type of Object.keys(handlers)) await engine.deploy(serviceProcess(`p-${type.replace(/[^a-z]/g, '')}`, type));
    await engine.deploy(serviceProcess('p-mapping', 'sound', '<zeebe:ioMapping><zeebe:output source="=string join([&quot;a&quot;, &quot;b&quot;], &quot;\\u0000&quot;)" target="joined" /></zeebe:ioMapping>'));
  });

  afterAll(async () => {
    await store?.close();
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    errors.length = 0;
  });

  it('should open an incident for a job whose stored variables are not an object, and run the other jobs of the round', async () => {
    // given
    const bad = await start('p-sound');
    const good = await start('p-sound');
    await sql(`UPDATE jobs SET variables = '[1, 2]'::jsonb WHERE instance_id = $1`, [bad]);

    // when
    await executor().runOnce();

    // then
    expect((await store.instance(good))?.status).toBe('completed');
    expect(await incidentsOf(bad)).toEqual([expect.objectContaining({ kind: 'job', message: "the job's stored variables are not a JSON object" })]);
  });

  it('should fail the attempt of a handler that throws synchronously (an incident with no retries left)', async () => {
    // given
    const instanceId = await start('p-throwsatonce');
    const good = await start('p-sound');

    // when
    await executor().runOnce();

    // then
    expect(await incidentsOf(instanceId)).toEqual([expect.objectContaining({ kind: 'job', message: 'no registry configured' })]);
    expect((await store.instance(good))?.status).toBe('completed');
  });

  it('should turn a result holding U+0000, or not an object, into an incident naming the variable, storing nothing of it', async () => {
    // given
    const nul = await start('p-returnsnul');
    const array = await start('p-returnsarray');

    // when
    await executor().runOnce();

    // then
    expect(await incidentsOf(nul)).toEqual([expect.objectContaining({ kind: 'job', message: expect.stringMatching(/^the result of job type 'returns-nul' cannot be stored: variables\.name: contains the character U\+0000/) })]);
    expect(await incidentsOf(array)).toEqual([expect.objectContaining({ kind: 'job', message: expect.stringMatching(/^the result of job type 'returns-array' cannot be stored: variables must be a JSON object/) })]);
    expect(await engine.variables(nul)).toEqual({});
  });

  it("should turn the HTTP connector's answer holding U+0000 and a lone surrogate into an incident", async () => {
    // given
    const instanceId = await start('p-http', { url: `${baseUrl}/citizens/001` });

    // when
    await executor().runOnce();

    // then
    expect(await incidentsOf(instanceId)).toEqual([expect.objectContaining({ kind: 'job', message: expect.stringMatching(/cannot be stored: variables\.response\.body\.name: contains the character U\+0000/) })]);
  });

  it('should set aside a job whose instance is gone, so that it is never claimed again', async () => {
    // given: an orphan job and a timer job of no instance, both due
    const orphan = await start('p-sound');
    await sql('DELETE FROM instances WHERE id = $1', [orphan]);
    await sql(
      `INSERT INTO jobs (id, instance_id, element_id, kind, job_type, retries, due_at, created_at) VALUES ('orphan-timer', 'no-such-instance', 'wait', 'timer', '', 3, $1, $1)`,
      [new Date(clock - 1000)],
    );
    const good = await start('p-sound');

    // when
    const claimed = await executor().runOnce();
    const again = await executor().runOnce();

    // then
    expect(claimed).toBe(3);
    expect(again).toBe(0);
    expect((await store.instance(good))?.status).toBe('completed');
    expect(await jobOf(orphan)).toMatchObject({ retries: 0, lock_owner: null, error_message: expect.stringMatching(/^its instance cannot take it/) });
    expect((await sql<{ retries: number; error_message: string }>(`SELECT retries, error_message FROM jobs WHERE id = 'orphan-timer'`))[0]).toEqual({
      retries: 0,
      error_message: expect.stringMatching(/could not fire: its instance or definition does not exist/),
    });
    expect(errors.map(String).join('\n')).toMatch(/set aside/);
  });

  it('should log a job set aside on the injected logger with its job and instance ids, and write nothing to the console', async () => {
    // given: a job whose instance is gone, and a logger that keeps its lines
    const lines: Array<{ level: string; fields: Record<string, unknown>; message?: string }> = [];
    const capture = (bindings: Record<string, unknown>): Logger => {
      const at = (level: string) => (fields: object | string, message?: string) => {
        lines.push(typeof fields === 'string' ? { level, fields: bindings, message: fields } : { level, fields: { ...bindings, ...fields }, message });
      };
      return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug'), child: (more) => capture({ ...bindings, ...more }) };
    };
    const orphan = await start('p-sound');
    await sql('DELETE FROM instances WHERE id = $1', [orphan]);
    const consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);

    // when
    try {
      await new JobExecutor({ engine, now: () => clock, backoff: () => 1000, handlers, logger: capture({}) }).runOnce();
    } finally {
      consoleError.mockRestore();
    }

    // then
    const logged = lines.filter((line) => line.fields.instanceId === orphan);
    expect(logged).toEqual([
      {
        level: 'error',
        fields: expect.objectContaining({ component: 'job-executor', instanceId: orphan, jobId: (await jobOf(orphan)).id, jobType: 'sound', err: expect.any(Error) }),
        message: 'job failed outside its handler',
      },
    ]);
    expect(String(logged[0].fields.err)).toMatch(/set aside/);
    expect(consoleError).not.toHaveBeenCalled();
  });

  it('should open an expression incident when a FEEL mapping produces U+0000', async () => {
    // given
    const instanceId = await start('p-mapping');

    // when
    await executor().runOnce();

    // then
    expect(await incidentsOf(instanceId)).toEqual([expect.objectContaining({ kind: 'expression', message: expect.stringMatching(/cannot be stored: joined contains the character U\+0000/) })]);
    expect(await sql(`SELECT id FROM history WHERE instance_id = $1 AND history_events_jsonb(events) IS NULL`, [instanceId])).toEqual([]);
  });

  it('should open an expression incident when a multi-instance input collection holds U+0000', async () => {
    // given: items of a collection become local variables without a mapping
    await engine.deploy(`<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs-each" targetNamespace="http://motcua.vn/test">
  <bpmn:process id="p-each" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="each">
      <bpmn:multiInstanceLoopCharacteristics>
        <bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=[string join([&quot;a&quot;, &quot;b&quot;], &quot;\\u0000&quot;)]" inputElement="item" /></bpmn:extensionElements>
      </bpmn:multiInstanceLoopCharacteristics>
    </bpmn:userTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="each" />
    <bpmn:sequenceFlow id="f2" sourceRef="each" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`);

    // when
    const instanceId = await start('p-each');

    // then
    expect(await incidentsOf(instanceId)).toEqual([expect.objectContaining({ kind: 'expression', elementId: 'each', message: expect.stringMatching(/cannot be stored: result\[0\] contains the character U\+0000/) })]);
    expect(await sql(`SELECT state::jsonb IS NOT NULL AS castable FROM instances WHERE id = $1`, [instanceId])).toEqual([{ castable: true }]);
  });

  it('should refuse unstorable text in its own input checks, naming the field (for the CLI and job handlers)', async () => {
    await expect(engine.startInstance({ processId: 'p-sound', businessKey: 'H\u0000' })).rejects.toThrow(InvalidInputError);
    await expect(engine.startInstance({ processId: 'p-sound', variables: { a: { b: ['\ud800'] } } })).rejects.toMatchObject({ details: { field: 'variables.a.b[0]' } });
    await expect(engine.correlateMessage({ messageName: 'm\u0000' })).rejects.toMatchObject({ details: { field: 'messageName' } });
    await expect(engine.broadcastSignal('\udfff')).rejects.toMatchObject({ details: { field: 'signalName' } });
  });
});
