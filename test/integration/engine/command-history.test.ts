/**
 * What a command leaves behind besides its state: history events that name the element they
 * concern (also those the runtime's effects name by id only), and the executor's log lines
 * about it, through a child logger carrying the command, its instance and its task.
 */
import { Engine } from '../../../engine/src/engine';
import type { Logger } from '../../../engine/src/logger';
import { createSequelizeEngineStore } from '../../../engine/src/store-sequelize/sequelize-engine-store';
import type { EngineStore } from '../../../engine/src/store/ports';
import { openTestDatabase, testDatabases } from '../../support/databases';

const TWO_STEPS = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="two-steps" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="first" />
    <bpmn:userTask id="second" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="first" />
    <bpmn:sequenceFlow id="f2" sourceRef="first" targetRef="second" />
    <bpmn:sequenceFlow id="f3" sourceRef="second" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

const TWO_AT_ONCE = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d2" targetNamespace="t">
  <bpmn:process id="two-at-once" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:parallelGateway id="fork" />
    <bpmn:userTask id="first" />
    <bpmn:userTask id="second" />
    <bpmn:parallelGateway id="join" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="fork" />
    <bpmn:sequenceFlow id="f2" sourceRef="fork" targetRef="first" />
    <bpmn:sequenceFlow id="f3" sourceRef="fork" targetRef="second" />
    <bpmn:sequenceFlow id="f4" sourceRef="first" targetRef="join" />
    <bpmn:sequenceFlow id="f5" sourceRef="second" targetRef="join" />
    <bpmn:sequenceFlow id="f6" sourceRef="join" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

interface Line {
  level: string;
  bindings: Record<string, unknown>;
  fields: object;
  message?: string;
}

/** A logger that keeps its lines, each with the bindings of the child that wrote it. */
function recordingLogger(lines: Line[], bindings: Record<string, unknown> = {}): Logger {
  const write = (level: string) => (fields: object | string, message?: string) => {
    lines.push(typeof fields === 'string' ? { level, bindings, fields: {}, message: fields } : { level, bindings, fields, message });
  };
  return {
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: write('debug'),
    child: (more) => recordingLogger(lines, { ...bindings, ...more }),
  } as Logger;
}

describe.each(testDatabases())('engine commands on $name', ({ name }) => {
  let store: EngineStore;

  beforeAll(async () => {
    store = createSequelizeEngineStore(await openTestDatabase(name));
  });

  afterAll(async () => {
    await store.close();
  });

  it('should name the element of every task event in history, on the optimistic and the locking path', async () => {
    // given
    const engine = new Engine({ store });
    await engine.deploy(TWO_STEPS);
    const { instanceId } = await engine.startInstance({ processId: 'two-steps' });

    // when: the first completion steps the remembered state, the second the locked row
    const first = (await store.tasks({ instanceId, state: 'open' }))[0];
    await engine.completeTask(first.id, {});
    const second = (await store.tasks({ instanceId, state: 'open' }))[0];
    await new Engine({ store }).completeTask(second.id, {});

    // then
    const history = await store.history(instanceId);
    expect(history.filter((e) => e.type.startsWith('task')).map((e) => [e.type, e.elementId, e.data.elementId ?? e.data.task])).toEqual([
      ['taskOpened', 'first', expect.objectContaining({ elementId: 'first' })],
      ['taskCompleted', 'first', 'first'],
      ['taskOpened', 'second', expect.objectContaining({ elementId: 'second' })],
      ['taskCompleted', 'second', 'second'],
    ]);
  });

  it('should log about a command through a child carrying its kind, instance and task, only when there is something to say', async () => {
    // given: engine A remembers the instance waiting for both tasks; engine B moves it on
    const lines: Line[] = [];
    const a = new Engine({ store, logger: recordingLogger(lines) });
    const b = new Engine({ store });
    await a.deploy(TWO_AT_ONCE);
    const { instanceId } = await a.startInstance({ processId: 'two-at-once' });
    expect(lines).toEqual([]);
    const [first, second] = await store.tasks({ instanceId, state: 'open' });
    await b.completeTask(first.id, {});

    // when: A's remembered state is stale
    await a.completeTask(second.id, {});

    // then: A took the locking path, and said so about that command
    expect(await store.tasks({ instanceId, state: 'open' })).toEqual([]);
    expect(lines).toEqual([
      expect.objectContaining({ level: 'debug', bindings: { component: 'executor', command: 'completeTask', instanceId, taskId: second.id } }),
    ]);
  });
});
