/**
 * What no input may do to the service (issue 12): multi-instance collections over the limit,
 * timer cycles faster than the minimum, models nested without end. Each is refused (a deploy
 * problem naming the element, or an incident), the work under the limits is done in bounded
 * commands, and the server keeps answering.
 */
import { DEFAULT_LIMITS } from '../../engine/src/limits';
import { JobExecutor } from '../../engine/src/jobs/job-executor';
import { testDatabases } from '../support/databases';
import { useApi } from './harness';

const xmlHeaders = { 'content-type': 'application/xml' };

const HEAD = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:motcua="http://motcua.vn/schema/bpmn/1.0" xmlns:vendor="http://vendor.example/x"
  id="defs" targetNamespace="http://motcua.vn/test">`;

function processOf(id: string, body: string): string {
  return `${HEAD}<bpmn:process id="${id}" isExecutable="true">
    <bpmn:extensionElements><motcua:facts agency="A" /></bpmn:extensionElements>${body}</bpmn:process></bpmn:definitions>`;
}

const loop = (extra = '') =>
  `<bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=items" inputElement="item"${extra} /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>`;

/** start → a script task per item (doubling it, outputs collected) → a user task `check` → end. */
const DOUBLE = processOf(
  'limits-double',
  `<bpmn:startEvent id="start" />
   <bpmn:scriptTask id="double"><bpmn:extensionElements><zeebe:script expression="=item * 2" resultVariable="d" /></bpmn:extensionElements>${loop(' outputCollection="results" outputElement="=d"')}</bpmn:scriptTask>
   <bpmn:userTask id="check"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="desk" /></bpmn:extensionElements></bpmn:userTask>
   <bpmn:endEvent id="end" />
   <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="double" />
   <bpmn:sequenceFlow id="f2" sourceRef="double" targetRef="check" />
   <bpmn:sequenceFlow id="f3" sourceRef="check" targetRef="end" />`,
);

/** start → a user task per item → end. */
const REVIEW = processOf(
  'limits-review',
  `<bpmn:startEvent id="start" />
   <bpmn:userTask id="review"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="desk" /></bpmn:extensionElements>${loop()}</bpmn:userTask>
   <bpmn:endEvent id="end" />
   <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
   <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" />`,
);

const cycle = (text: string) => `<bpmn:timerEventDefinition><bpmn:timeCycle xsi:type="bpmn:tFormalExpression">${text}</bpmn:timeCycle></bpmn:timerEventDefinition>`;

/** A timer start event and a non-interrupting boundary event, both every millisecond. */
const FAST_TIMERS = processOf(
  'limits-fast-timers',
  `<bpmn:startEvent id="everyMs">${cycle('R/PT0.001S')}</bpmn:startEvent>
   <bpmn:userTask id="work" />
   <bpmn:boundaryEvent id="nag" attachedToRef="work" cancelActivity="false">${cycle('R/PT0.001S')}</bpmn:boundaryEvent>
   <bpmn:endEvent id="end" /><bpmn:endEvent id="nagged" />
   <bpmn:sequenceFlow id="f1" sourceRef="everyMs" targetRef="work" />
   <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end" />
   <bpmn:sequenceFlow id="f3" sourceRef="nag" targetRef="nagged" />`,
);

/** `depth` sub-processes each inside the previous one, as compact as XML allows (ids s0, s1, ...). */
function nested(depth: number): string {
  return processOf('limits-deep', `<bpmn:startEvent id="start" />${Array.from({ length: depth }, (_, i) => `<bpmn:subProcess id="s${i}">`).join('')}${'</bpmn:subProcess>'.repeat(depth)}`);
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe.each(testDatabases())('limits through the API on $name', (target) => {
  const api = useApi(target, { maxXmlBytes: 8 * 1024 * 1024 });

  /** Runs due jobs (continuations among them) until none is left. */
  async function runJobs(): Promise<void> {
    const executor = new JobExecutor({ engine: api.engine, onError: (error) => { throw error; } });
    for (let round = 0; round < 100 && (await executor.runOnce()) > 0; round++);
  }

  async function deploy(xml: string) {
    return api.as('adminA').request('POST', '/api/deployments', { raw: xml, headers: xmlHeaders });
  }

  async function expectServerAnswers(): Promise<void> {
    const health = await api.as('anonymous').get('/api/health');
    expect(health.status).toBe(200);
  }

  describe('multi-instance', () => {
    it('should complete a collection of the limit, created in chunks of bounded commands', async () => {
      // given
      expect((await deploy(DOUBLE)).status).toBe(201);
      const items = range(DEFAULT_LIMITS.maxMultiInstance);

      // when
      const started = await api.as('adminA').post('/api/instances', { processId: 'limits-double', variables: { items } });
      await runJobs();

      // then
      expect(started.status).toBe(201);
      const { instanceId } = started.body;
      expect((await api.openTasks(instanceId)).map((t) => t.elementId)).toEqual(['check']);
      const variables = await api.as('adminA').get(`/api/instances/${instanceId}/variables`);
      expect(variables.body.variables.results).toEqual(items.map((n) => n * 2));
      // one history row per command: no command started more than a chunk of inner instances
      const rows = await api.sql<{ events: unknown }>('SELECT events FROM history WHERE instance_id = $1 ORDER BY id', [instanceId]);
      const perCommand = rows.map((row) => (typeof row.events === 'string' ? JSON.parse(row.events) : row.events) as Array<{ type: string; elementId?: string; elementType?: string }>)
        .map((events) => events.filter((e) => e.type === 'elementActivated' && e.elementId === 'double' && e.elementType === 'scriptTask').length);
      expect(Math.max(...perCommand)).toBe(DEFAULT_LIMITS.multiInstanceChunk);
      expect(perCommand.reduce((a, b) => a + b, 0)).toBe(items.length);
      expect(await api.sql("SELECT id FROM jobs WHERE kind = 'continuation'")).toEqual([]);
    });

    it('should write at most a chunk of task rows per transaction and open every task', async () => {
      // given
      expect((await deploy(REVIEW)).status).toBe(201);

      // when
      const started = await api.as('adminA').post('/api/instances', { processId: 'limits-review', variables: { items: range(DEFAULT_LIMITS.maxMultiInstance) } });
      const afterStart = await api.sql<{ n: number }>('SELECT count(*)::int AS n FROM tasks WHERE instance_id = $1', [started.body.instanceId]);
      await runJobs();

      // then
      expect(afterStart[0].n).toBe(DEFAULT_LIMITS.multiInstanceChunk);
      const opened = await api.sql<{ n: number }>("SELECT count(*)::int AS n FROM tasks WHERE instance_id = $1 AND state = 'open'", [started.body.instanceId]);
      expect(opened[0].n).toBe(DEFAULT_LIMITS.maxMultiInstance);
      const rows = await api.sql<{ events: unknown }>('SELECT events FROM history WHERE instance_id = $1', [started.body.instanceId]);
      const tasksPerCommand = rows.map((row) => ((typeof row.events === 'string' ? JSON.parse(row.events) : row.events) as Array<{ type: string }>).filter((e) => e.type === 'taskOpened').length);
      expect(Math.max(...tasksPerCommand)).toBeLessThanOrEqual(DEFAULT_LIMITS.multiInstanceChunk);
      expect(tasksPerCommand.filter((n) => n > 0)).toHaveLength(DEFAULT_LIMITS.maxMultiInstance / DEFAULT_LIMITS.multiInstanceChunk);
    });

    it('should raise an incident naming the count and the limit for a larger collection, create nothing, and keep answering', async () => {
      // given
      expect((await deploy(REVIEW)).status).toBeLessThan(300);

      // when
      const started = await api.as('adminA').post('/api/instances', { processId: 'limits-review', variables: { items: range(DEFAULT_LIMITS.maxMultiInstance + 1) } });

      // then
      expect(started.status).toBe(201);
      const incidents = await api.as('adminA').get(`/api/incidents?instanceId=${started.body.instanceId}`);
      expect(incidents.body.items).toEqual([
        expect.objectContaining({
          elementId: 'review',
          kind: 'limitExceeded',
          state: 'open',
          message: expect.stringContaining('has 1,001 items, more than the limit of 1,000 (MOTCUA_MAX_MULTI_INSTANCE)'),
        }),
      ]);
      expect(await api.openTasks(started.body.instanceId)).toEqual([]);
      await expectServerAnswers();
    });
  });

  describe('timer cycles', () => {
    it('should refuse cycles faster than the minimum with a problem naming each element', async () => {
      // when
      const res = await deploy(FAST_TIMERS);

      // then
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('DEPLOYMENT_REJECTED');
      expect(res.body.problems).toEqual([
        { elementId: 'everyMs', reason: expect.stringContaining('fires every 1 ms, more often than the minimum interval of 1 min (MOTCUA_MIN_TIMER_CYCLE_MS)') },
        { elementId: 'nag', reason: expect.stringContaining('fires every 1 ms') },
      ]);
      expect(await api.sql("SELECT id FROM jobs WHERE kind = 'start-timer'")).toEqual([]);
    });
  });

  describe('nesting', () => {
    it.each([10_000, 100_000])('should refuse %i nested sub-processes with a 4xx naming the first one too deep', async (depth) => {
      // when
      const res = await deploy(nested(depth));

      // then
      expect(res.status).toBe(422);
      expect(res.body.problems).toEqual([
        { elementId: 's32', reason: expect.stringContaining('is nested 33 sub-processes deep, more than the limit of 32 (MOTCUA_MAX_NESTING_DEPTH)') },
      ]);
      await expectServerAnswers();
    });

    it('should refuse 100,000 nested extension elements with a 4xx naming where', async () => {
      // given
      const xml = processOf('limits-deep-ext', `<bpmn:startEvent id="start"><bpmn:extensionElements>${'<vendor:a>'.repeat(100_000)}${'</vendor:a>'.repeat(100_000)}</bpmn:extensionElements></bpmn:startEvent>`);

      // when
      const res = await deploy(xml);

      // then
      expect(res.status).toBe(422);
      expect(res.body.problems).toEqual([{ elementId: expect.stringMatching(/^line \d+$/), reason: expect.stringContaining('<vendor:a> at line') }]);
      expect(res.body.problems[0].reason).toContain('XML elements deep, more than the limit of 96');
      await expectServerAnswers();
    });
  });
});
