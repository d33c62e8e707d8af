/**
 * ExternalJobs on both databases, without HTTP: concurrent activations never hand one
 * job to two workers (SKIP LOCKED on PostgreSQL; one session on the embedded database),
 * an aborted long poll hands nothing out, and the deploy warning names unserved types.
 */
import { Engine } from '../../../engine/src/engine';
import { ExternalJobs, unservedJobTypeWarnings } from '../../../engine/src/jobs/external-jobs';
import { JobExecutor } from '../../../engine/src/jobs/job-executor';
import { createSequelizeEngineStore } from '../../../engine/src/store-sequelize/sequelize-engine-store';
import { createSequelizeExternalJobStore } from '../../../engine/src/store-sequelize/sequelize-external-job-store';
import type { Database } from '../../../engine/src/store-sequelize/connect';
import { openTestDatabase, testDatabases } from '../../support/databases';

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:motcua="http://motcua.vn/schema/bpmn/1.0" id="defs" targetNamespace="http://motcua.vn/test">
  <bpmn:process id="ext-race" isExecutable="true">
    <bpmn:extensionElements><motcua:facts agency="A" /></bpmn:extensionElements>
    <bpmn:startEvent id="start" />
    <bpmn:serviceTask id="task"><bpmn:extensionElements><zeebe:taskDefinition type="ext-race" /></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:serviceTask id="call"><bpmn:extensionElements><zeebe:taskDefinition type="http" /></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="task" />
    <bpmn:sequenceFlow id="f2" sourceRef="task" targetRef="call" />
    <bpmn:sequenceFlow id="f3" sourceRef="call" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

describe.each(testDatabases())('jobs/external-jobs on $name', (target) => {
  let db: Database;
  let engine: Engine;
  let jobs: ExternalJobs;

  beforeAll(async () => {
    db = await openTestDatabase(target.name);
    engine = new Engine({ store: createSequelizeEngineStore(db) });
    jobs = new ExternalJobs({ engine, store: createSequelizeExternalJobStore(db), inProcessTypes: ['http'] });
    await engine.deploy(XML);
  });

  afterAll(async () => {
    if (db?.embedded) await db.sequelize.query('DEALLOCATE ALL').catch(() => undefined);
    await db?.close();
  });

  it('should never hand one job to two concurrent activations', async () => {
    // given
    const started = [];
    for (let n = 0; n < 12; n++) started.push((await engine.startInstance({ processId: 'ext-race' })).instanceId);

    // when eight workers activate at once, until nothing is left
    const got: string[] = [];
    for (;;) {
      const rounds = await Promise.all(Array.from({ length: 8 }, (_, w) => jobs.activate({ type: 'ext-race', worker: `w${w}`, maxJobs: 2, lockMs: 60_000, agency: 'A' })));
      const batch = rounds.flat();
      if (batch.length === 0) break;
      got.push(...batch.map((j) => j.instanceId));
    }

    // then
    expect(got.sort()).toEqual([...started].sort());
  });

  it('should keep the in-process executor and external workers to their own job types', async () => {
    // given an instance waiting at its external task, and an executor serving 'http'
    const { instanceId } = await engine.startInstance({ processId: 'ext-race' });
    const called: string[] = [];
    const executor = new JobExecutor({ engine, handlers: { http: async (job) => void called.push(job.elementId) } });

    // when the executor runs first: the external job is not its to claim
    const claimedBefore = await executor.runOnce();
    const [job] = await jobs.activate({ type: 'ext-race', worker: 'w', maxJobs: 1, lockMs: 60_000, agency: 'A' });
    const refused = await jobs.activate({ type: 'http', worker: 'w', maxJobs: 1, lockMs: 60_000, agency: 'A' }).catch((error: Error) => error.message);
    await jobs.complete(job.key, { variables: {} }, { agency: 'A' });
    // then the http job is the executor's, never the worker's
    const httpSeen = await jobs.activate({ type: 'ext-race', worker: 'w', maxJobs: 5, lockMs: 60_000, agency: 'A' });
    await executor.runOnce();

    // then
    expect(claimedBefore).toBe(0);
    expect(job.instanceId).toBe(instanceId);
    expect(refused).toContain("jobs of type 'http' are run by the engine itself");
    expect(httpSeen).toEqual([]);
    expect(called).toEqual(['call']);
    expect((await engine.store.instance(instanceId))?.status).toBe('completed');
  });

  it('should name the job types no in-process handler serves', async () => {
    // given
    const definition = (await engine.store.definitions('ext-race'))[0];

    // when
    const warnings = unservedJobTypeWarnings(await engine.graph(definition.id), ['http']);

    // then
    expect(warnings).toEqual([expect.stringContaining("job type 'ext-race' (element 'task' of 'ext-race')")]);
  });

  it('should hand nothing out to an activation whose caller went away', async () => {
    // given
    const gone = new AbortController();
    const waiting = jobs.activate({ type: 'ext-race', worker: 'gone', maxJobs: 5, lockMs: 60_000, agency: 'A', requestTimeoutMs: 30_000, signal: gone.signal });

    // when
    gone.abort();
    const { instanceId } = await engine.startInstance({ processId: 'ext-race' });

    // then
    expect(await waiting).toEqual([]);
    expect(await jobs.activate({ type: 'ext-race', worker: 'here', maxJobs: 5, lockMs: 60_000, agency: 'A' })).toEqual([expect.objectContaining({ instanceId })]);
  });
});
