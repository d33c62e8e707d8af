/**
 * Continuations of a large multi-instance run exactly once, whoever runs them: two engine
 * processes (two Engine objects with their own job executors) share one database, and every
 * item gets exactly one inner instance. Also: a self-calling process stops at the nesting
 * limit with an incident instead of starting instances without end in one transaction.
 */
import { Engine } from '../../../engine/src/engine';
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

describe.each(testDatabases())('multi-instance continuations on $name', ({ name }) => {
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
