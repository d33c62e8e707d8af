/**
 * The engine's limits with the job executor and the database:
 *  - continuations of a large multi-instance run exactly once, whoever runs them: two engine
 *    processes (two Engine objects with their own job executors) share one database, and every
 *    item gets exactly one inner instance;
 *  - called instances that fan out again start at most a chunk per transaction;
 *  - a self-calling process stops at the nesting limit with an incident instead of starting
 *    instances without end in one transaction;
 *  - a timer start event deployed with a cycle now under the minimum is refused when due.
 */
import { Engine } from '../../../engine/src/engine';
import { LimitExceededError } from '../../../engine/src/limits';
import { JobExecutor } from '../../../engine/src/jobs/job-executor';
import { createSequelizeEngineStore } from '../../../engine/src/store-sequelize/sequelize-engine-store';
import type { EngineStore } from '../../../engine/src/store/ports';
import { openTestDatabase, testDatabases } from '../../support/databases';

const REVIEW = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="t">
  <bpmn:process id="mi-continuations" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="review"><bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements>
      <zeebe:loopCharacteristics inputCollection="=items" inputElement="item" />
    </bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

/** A task, then a multi-instance of user tasks, each item in a subprocess with a 3-day boundary timer. */
const PREPARE_THEN_REVIEW = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="t">
  <bpmn:process id="prepare-then-review" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="prepare" />
    <bpmn:subProcess id="item"><bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements>
        <zeebe:loopCharacteristics inputCollection="=items" inputElement="item" />
      </bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>
      <bpmn:startEvent id="item-start" /><bpmn:userTask id="review" /><bpmn:endEvent id="item-end" />
      <bpmn:boundaryEvent id="late" attachedToRef="review"><bpmn:timerEventDefinition><bpmn:timeDuration>P3D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      <bpmn:endEvent id="late-end" />
      <bpmn:sequenceFlow id="i1" sourceRef="item-start" targetRef="review" />
      <bpmn:sequenceFlow id="i2" sourceRef="review" targetRef="item-end" />
      <bpmn:sequenceFlow id="i3" sourceRef="late" targetRef="late-end" />
    </bpmn:subProcess>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="prepare" />
    <bpmn:sequenceFlow id="f2" sourceRef="prepare" targetRef="item" />
    <bpmn:sequenceFlow id="f3" sourceRef="item" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

const SELF_CALL = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="t">
  <bpmn:process id="self-call" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:callActivity id="again"><bpmn:extensionElements><zeebe:calledElement processId="self-call" /></bpmn:extensionElements></bpmn:callActivity>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="again" />
    <bpmn:sequenceFlow id="f2" sourceRef="again" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

/** A fans out to five B, each B to five C (a user task): call activities in parallel multi-instances. */
const FAN_OUT = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="t">
  ${['fan-a:fan-b', 'fan-b:fan-c'].map((pair) => {
    const [id, called] = pair.split(':');
    return `<bpmn:process id="${id}" isExecutable="true">
    <bpmn:startEvent id="${id}-start" />
    <bpmn:callActivity id="${id}-call"><bpmn:extensionElements><zeebe:calledElement processId="${called}" /></bpmn:extensionElements>
      <bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=[1, 2, 3, 4, 5]" inputElement="n" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>
    </bpmn:callActivity>
    <bpmn:endEvent id="${id}-end" />
    <bpmn:sequenceFlow id="${id}-f1" sourceRef="${id}-start" targetRef="${id}-call" />
    <bpmn:sequenceFlow id="${id}-f2" sourceRef="${id}-call" targetRef="${id}-end" />
  </bpmn:process>`;
  }).join('\n')}
  <bpmn:process id="fan-c" isExecutable="true">
    <bpmn:startEvent id="c-start" /><bpmn:userTask id="c-work" /><bpmn:endEvent id="c-end" />
    <bpmn:sequenceFlow id="c-f1" sourceRef="c-start" targetRef="c-work" /><bpmn:sequenceFlow id="c-f2" sourceRef="c-work" targetRef="c-end" />
  </bpmn:process>
</bpmn:definitions>`;

describe.each(testDatabases())('engine limits on $name', ({ name }) => {
  let store: EngineStore;

  beforeAll(async () => {
    store = createSequelizeEngineStore(await openTestDatabase(name));
  });

  afterAll(async () => {
    await store.close();
  });

  it('should start every item exactly once with two engines running the continuations at once', async () => {
    // given
    const limits = { maxMultiInstance: 500, multiInstanceChunk: 20 };
    const one = new Engine({ store, limits });
    const two = new Engine({ store, limits });
    await one.deploy(REVIEW);
    const items = Array.from({ length: 500 }, (_, i) => `item-${i}`);
    const { instanceId } = await one.startInstance({ processId: 'mi-continuations', variables: { items } });
    const executors = [one, two].map((engine) => new JobExecutor({ engine, batchSize: 4, onError: (error) => { throw error; } }));

    // when: both claim and run continuations until neither finds any
    const drain = async (executor: JobExecutor) => {
      for (let round = 0; round < 200 && (await executor.runOnce()) > 0; round++);
    };
    await Promise.all(executors.map(drain));
    await Promise.all(executors.map(drain));

    // then
    const tasks = await store.tasks({ instanceId, state: 'open' });
    expect(tasks).toHaveLength(items.length);
    const instance = await store.instance(instanceId);
    const inner = tasks.map((task) => instance!.state.elements[instance!.state.waits[task.id].owner]?.vars?.item);
    expect([...inner].sort()).toEqual([...items].sort());
    const body = Object.values(instance!.state.elements).find((e) => e.mi);
    expect(body?.mi).toMatchObject({ next: items.length, active: items.length });
    expect(Object.values(instance!.state.waits).filter((w) => w.kind === 'continuation')).toEqual([]);
  });

  it('should start called instances that fan out again at most a chunk per transaction, every one of them once', async () => {
    // given
    const chunk = 3;
    const engine = new Engine({ store, limits: { multiInstanceChunk: chunk } });
    await engine.deploy(FAN_OUT);
    // Events of one transaction are published together, in one synchronous burst.
    const startedPerTransaction: number[] = [];
    let open = false;
    engine.events.on('committed', (event: { effects: Array<{ type: string }> }) => {
      if (!open) {
        open = true;
        startedPerTransaction.push(0);
        queueMicrotask(() => (open = false));
      }
      startedPerTransaction[startedPerTransaction.length - 1] += event.effects.filter((e) => e.type === 'instanceStarted').length;
    });
    const executor = new JobExecutor({ engine, onError: (error) => { throw error; } });

    // when
    const { instanceId } = await engine.startInstance({ processId: 'fan-a' });
    for (let round = 0; round < 200 && (await executor.runOnce()) > 0; round++);

    // then
    expect(Math.max(...startedPerTransaction)).toBeLessThanOrEqual(chunk);
    expect(startedPerTransaction.reduce((a, b) => a + b, 0)).toBe(1 + 5 + 25);
    const bs = [];
    const a = (await store.instance(instanceId))!;
    for (const wait of Object.values(a.state.waits).filter((w) => w.kind === 'child')) bs.push(await store.transaction((tx) => tx.childInstance(a.id, wait.id)));
    expect(bs.filter(Boolean)).toHaveLength(5);
    let tasks = 0;
    for (const b of bs) {
      for (const wait of Object.values(b!.state.waits).filter((w) => w.kind === 'child')) {
        const c = await store.transaction((tx) => tx.childInstance(b!.id, wait.id));
        tasks += (await store.tasks({ instanceId: c!.id, state: 'open' })).length;
      }
    }
    expect(tasks).toBe(25);
    expect(await store.jobs({ kind: 'continuation' })).toEqual([]);
  });

  it('should open a chunk of 1,000 items (a task and a timer each) in one command, by an engine that never saw the instance', async () => {
    // given: the instance started and remembered by one engine; another (fresh, as after a restart or on another server) continues it
    const limits = { maxMultiInstance: 1_000, multiInstanceChunk: 1_000 };
    const starter = new Engine({ store, limits });
    await starter.deploy(PREPARE_THEN_REVIEW);
    const items = Array.from({ length: 1_000 }, (_, i) => `item-${i}`);
    const { instanceId } = await starter.startInstance({ processId: 'prepare-then-review', variables: { items } });
    const [prepare] = await store.tasks({ instanceId, state: 'open' });
    const fresh = new Engine({ store, limits });

    // when: one command opens every item: some 32,000 bound values, in one batch (the step writer splits them into statements under the bind limit)
    await fresh.completeTask(prepare.id, { actor: 'desk' });

    // then
    const open = await store.tasks({ instanceId, state: 'open' });
    expect(open).toHaveLength(items.length);
    expect(open.every((task) => task.elementId === 'review')).toBe(true);
    expect(await store.jobs({ instanceId, kind: 'timer' })).toHaveLength(items.length);
  });

  it('should refuse to fire a start timer whose cycle is under the minimum now, and start nothing', async () => {
    // given: deployed while no minimum applied
    const before = new Engine({ store, limits: { minTimerCycleMs: 0 } });
    await before.deploy(`<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="d" targetNamespace="t">
  <bpmn:process id="every-second" isExecutable="true">
    <bpmn:startEvent id="tick"><bpmn:timerEventDefinition><bpmn:timeCycle xsi:type="bpmn:tFormalExpression">R/PT1S</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
    <bpmn:endEvent id="end" /><bpmn:sequenceFlow id="f" sourceRef="tick" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`);
    const [job] = await store.jobs({ kind: 'start-timer' });
    const now = new Engine({ store });

    // when / then
    await expect(now.fireStartTimer(job.id)).rejects.toThrow(LimitExceededError);
    await expect(now.fireStartTimer(job.id)).rejects.toThrow(/fires every 1 s, more often than the minimum interval of 1 min \(MOTCUA_MIN_TIMER_CYCLE_MS\)/);
    expect(await store.jobs({ kind: 'start-timer' })).toEqual([expect.objectContaining({ id: job.id, dueAt: job.dueAt })]);
    const started = await store.transaction((tx) => tx.latestDefinition('every-second'));
    expect(started).toBeDefined();
  });

  it('should stop a process calling itself at the nesting limit with an incident', async () => {
    // given
    const engine = new Engine({ store, limits: { maxNestingDepth: 5 } });
    await engine.deploy(SELF_CALL);

    // when
    const { instanceId } = await engine.startInstance({ processId: 'self-call' });

    // then: the top-level instance and five called ones; the fifth cannot call a sixth
    let depth = 0;
    let current = instanceId;
    for (;;) {
      const state = (await store.instance(current))!.state;
      const wait = Object.values(state.waits).find((w) => w.kind === 'child');
      const child = wait && (await store.transaction((tx) => tx.childInstance(current, wait.id)));
      if (!child) break;
      depth++;
      current = child.id;
    }
    expect(depth).toBe(5);
    const last = await store.instance(current);
    expect(Object.values(last!.state.incidents)).toEqual([
      expect.objectContaining({ elementId: 'again', kind: 'limitExceeded', message: expect.stringContaining('more than the limit of 5 (MOTCUA_MAX_NESTING_DEPTH)') }),
    ]);
  });
});
