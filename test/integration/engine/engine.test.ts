import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../../engine/src/engine';
import { ConflictError, DeploymentRejectedError, MessageNotCorrelatedError } from '../../../engine/src/errors';
import { JobExecutor } from '../../../engine/src/jobs/job-executor';
import { createSequelizeEngineStore } from '../../../engine/src/store-sequelize/sequelize-engine-store';
import type { EngineStore } from '../../../engine/src/store/ports';
import { openTestDatabase, testDatabases } from '../../support/databases';

const fixture = (name: string) => readFileSync(join(__dirname, '../../fixtures/engine', name), 'utf8');

describe.each(testDatabases())('engine on $name', ({ name }) => {
  let store: EngineStore;
  let engine: Engine;
  let clock: number;

  beforeAll(async () => {
    const db = await openTestDatabase(name);
    store = createSequelizeEngineStore(db);
  });

  afterAll(async () => {
    await store.close();
  });

  beforeEach(() => {
    clock = Date.parse('2026-11-23T08:00:00+07:00');
    engine = new Engine({ store, now: () => clock });
  });

  async function openTask(instanceId: string, elementId: string) {
    const tasks = await store.tasks({ instanceId, state: 'open' });
    const task = tasks.find((t) => t.elementId === elementId);
    if (!task) throw new Error(`no open task '${elementId}' in ${instanceId}; open: ${tasks.map((t) => t.elementId).join(', ')}`);
    return task;
  }

  describe('deploy', () => {
    it('should version each changed deploy and return the existing version for identical XML', async () => {
      // given
      const xml = fixture('reference.bpmn');

      // when
      const first = await engine.deploy(xml, { name: 'reference' });
      const again = await engine.deploy(xml);
      const changed = await engine.deploy(xml.replace('Reference procedure', 'Reference procedure v2'));

      // then
      expect(first.definitions[0]).toMatchObject({ processId: 'reference', duplicate: false });
      expect(again.definitions[0]).toEqual({ ...first.definitions[0], duplicate: true });
      expect(again.deploymentId).toBe(first.deploymentId);
      expect(changed.definitions[0].version).toBe(first.definitions[0].version + 1);
      const stored = await store.definitions('reference');
      expect(stored.find((d) => d.id === first.definitions[0].id)?.xml).toBe(xml);
    });

    it('should accept a call activity to a process deployed earlier and refuse one to an unknown process', async () => {
      // given: a caller in its own document
      const caller = (called: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="t">
  <bpmn:process id="caller-of-${called}" isExecutable="true">
    <bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="call" />
    <bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="${called}" /></bpmn:extensionElements></bpmn:callActivity>
    <bpmn:sequenceFlow id="f2" sourceRef="call" targetRef="e" /><bpmn:endEvent id="e" />
  </bpmn:process>
</bpmn:definitions>`;
      await engine.deploy(fixture('service.bpmn'));

      // when
      const known = await engine.deploy(caller('service'));
      const unknown = engine.deploy(caller('never-deployed'));

      // then
      expect(known.definitions[0]).toMatchObject({ processId: 'caller-of-service', duplicate: false });
      await expect(unknown).rejects.toMatchObject({ problems: [expect.objectContaining({ elementId: 'call' })] });
      expect(await store.definitions('caller-of-never-deployed')).toEqual([]);
    });

    it('should reject a document with problems and store nothing', async () => {
      // given
      const bad = fixture('service.bpmn').replace('id="service"', 'id="broken"').replace(' type="lookup-citizen"', '');

      // when
      const attempt = engine.deploy(bad);

      // then
      await expect(attempt).rejects.toBeInstanceOf(DeploymentRejectedError);
      await expect(attempt).rejects.toMatchObject({ problems: [expect.objectContaining({ elementId: 'lookup' })] });
      expect(await store.definitions('broken')).toEqual([]);
    });
  });

  describe('instances', () => {
    it('should run the reference procedure to completion with a full history', async () => {
      // given
      await engine.deploy(fixture('reference.bpmn'));
      const { instanceId } = await engine.startInstance({ processId: 'reference', businessKey: 'H29-261123-0001', actor: 'desk-1' });

      // when
      await engine.completeTask((await openTask(instanceId, 'examine')).id, { variables: { approved: true }, actor: 'desk-1' });
      await engine.completeTask((await openTask(instanceId, 'verifyA')).id, { actor: 'police-1' });
      await engine.completeTask((await openTask(instanceId, 'verifyB')).id, { actor: 'tax-1' });
      await engine.completeTask((await openTask(instanceId, 'sign')).id, { actor: 'head-1' });

      // then
      const instance = await store.instance(instanceId);
      expect(instance?.status).toBe('completed');
      expect(await store.tasks({ instanceId, state: 'open' })).toEqual([]);
      expect(await store.jobs({ instanceId })).toEqual([]); // the boundary timer was cancelled
      const history = await store.history(instanceId);
      expect(history[0].type).toBe('instanceStarted');
      expect(history.at(-1)?.type).toBe('instanceEnded');
      expect(history.filter((h) => h.type === 'taskCompleted').map((h) => h.actor)).toEqual(['desk-1', 'police-1', 'tax-1', 'head-1']);
    });

    it('should let exactly one of two concurrent completions of a task succeed', async () => {
      // given
      await engine.deploy(fixture('reference.bpmn'));
      const { instanceId } = await engine.startInstance({ processId: 'reference' });
      const task = await openTask(instanceId, 'examine');

      // when
      const results = await Promise.allSettled([
        engine.completeTask(task.id, { variables: { approved: true }, actor: 'a' }),
        engine.completeTask(task.id, { variables: { approved: false }, actor: 'b' }),
      ]);

      // then
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(rejected.reason).toBeInstanceOf(ConflictError);
      const completions = (await store.history(instanceId)).filter((h) => h.type === 'taskCompleted');
      expect(completions).toHaveLength(1);
    });

    it("should run the caller's checks on the task row read under the lock: a refusal writes nothing, a pass answers the task as it was", async () => {
      // given
      await engine.deploy(fixture('reference.bpmn'));
      const { instanceId } = await engine.startInstance({ processId: 'reference' });
      const task = await openTask(instanceId, 'examine');
      const seen: unknown[] = [];

      // when: refused by authorize, then by validate, then let through
      const refused = engine.completeTask(task.id, {
        variables: { approved: true },
        authorize: (row) => {
          seen.push(row);
          throw new ConflictError('not yours');
        },
      });
      await expect(refused).rejects.toThrow('not yours');
      const invalid = engine.completeTask(task.id, {
        variables: { approved: 'maybe' },
        authorize: () => undefined,
        validate: (_row, variables) => {
          if (typeof variables.approved !== 'boolean') throw new ConflictError('approved must be a boolean');
        },
      });
      await expect(invalid).rejects.toThrow('approved must be a boolean');
      const unknown = engine.completeTask(`${instanceId}-nope`, { authorize: (row) => seen.push(row ?? 'none') });

      // then
      await expect(unknown).rejects.toThrow(/does not exist/);
      expect(seen).toEqual([task, 'none']);
      expect((await store.history(instanceId)).filter((h) => h.type === 'taskCompleted')).toEqual([]);
      const done = await engine.completeTask(task.id, { variables: { approved: true }, actor: 'a', authorize: () => undefined });
      expect(done).toEqual({ taskId: task.id, completedAt: clock, task });
      expect((await store.history(instanceId)).filter((h) => h.type === 'taskCompleted')).toHaveLength(1);
    });

    it('should start on the newest version even when another engine process deployed it after this one last looked', async () => {
      // given: engine A starts (and remembers version n as the latest); engine B deploys version n+1
      const other = new Engine({ store, now: () => clock });
      const xml = fixture('reference.bpmn').replace('Reference procedure', `Reference procedure ${Date.now()}`);
      const first = await engine.deploy(xml);
      const before = await engine.startInstance({ processId: 'reference' });
      const again = await engine.startInstance({ processId: 'reference' });
      const newer = await other.deploy(xml.replace('Reference procedure', 'Reference procedure newer'));

      // when
      const after = await engine.startInstance({ processId: 'reference' });
      const next = await engine.startInstance({ processId: 'reference' });

      // then
      expect([before.definitionId, again.definitionId]).toEqual([first.definitions[0].id, first.definitions[0].id]);
      expect([after.definitionId, next.definitionId]).toEqual([newer.definitions[0].id, newer.definitions[0].id]);
      expect(after.version).toBe(first.definitions[0].version + 1);
      expect((await store.instance(after.instanceId))?.definitionId).toBe(newer.definitions[0].id);
      expect((await store.history(after.instanceId))[0]).toMatchObject({ type: 'instanceStarted', data: { definitionId: newer.definitions[0].id } });
      expect((await openTask(next.instanceId, 'examine')).definitionId).toBe(newer.definitions[0].id);
      for (const started of [before, again, after, next]) await engine.cancelInstance(started.instanceId); // their timers are not the next tests'
    });

    it('should notice a state moved on by another engine process and still complete exactly once', async () => {
      // given: engine A remembers the instance after the first task; engine B then moves it on
      const other = new Engine({ store, now: () => clock });
      await engine.deploy(fixture('reference.bpmn'));
      const { instanceId } = await engine.startInstance({ processId: 'reference' });
      await engine.completeTask((await openTask(instanceId, 'examine')).id, { variables: { approved: true } });
      const verifyA = await openTask(instanceId, 'verifyA');
      const verifyB = await openTask(instanceId, 'verifyB');
      await other.completeTask(verifyA.id, { actor: 'node-b' });

      // when: A completes the other branch from its stale memory, and retries B's task
      await engine.completeTask(verifyB.id, { actor: 'node-a' });
      const again = engine.completeTask(verifyA.id, { actor: 'node-a' });

      // then
      await expect(again).rejects.toBeInstanceOf(ConflictError);
      expect((await openTask(instanceId, 'sign')).state).toBe('open');
      const history = await store.history(instanceId);
      expect(history.filter((h) => h.type === 'taskCompleted').map((h) => h.actor)).toEqual([undefined, 'node-b', 'node-a']);
      expect(history.filter((h) => h.type === 'elementActivated' && h.elementId === 'join')).toHaveLength(1);
      expect((await store.instance(instanceId))?.revision).toBe(4);
    });

    it('should fire a boundary timer through the job executor exactly once', async () => {
      // given
      await engine.deploy(fixture('reference.bpmn'));
      const { instanceId } = await engine.startInstance({ processId: 'reference' });
      const executor = new JobExecutor({ engine, now: () => clock, onError: (e) => { throw e; } });

      // when
      expect(await executor.runOnce()).toBe(0);
      clock += 3 * 24 * 3600 * 1000;
      const fired = await executor.runOnce();
      const again = await executor.runOnce();

      // then
      expect(fired).toBe(1);
      expect(again).toBe(0);
      const history = await store.history(instanceId);
      expect(history.filter((h) => h.type === 'timerFired')).toHaveLength(1);
      expect(history.filter((h) => h.type === 'elementCompleted' && h.elementId === 'lateEnd')).toHaveLength(1);
      expect((await openTask(instanceId, 'examine')).state).toBe('open'); // non-interrupting
    });
  });

  describe('messages', () => {
    it('should correlate by name and key, reject a message nobody waits for, and buffer one with a time to live', async () => {
      // given
      await engine.deploy(fixture('messages.bpmn'));
      const { instanceId } = await engine.startInstance({ processId: 'messages', variables: { dossierCode: 'D-1' } });

      // when / then
      await expect(engine.correlateMessage({ messageName: 'supplement', correlationKey: 'D-2' })).rejects.toBeInstanceOf(MessageNotCorrelatedError);
      const delivered = await engine.correlateMessage({ messageName: 'supplement', correlationKey: 'D-1', variables: { supplemented: true } });
      expect(delivered.instanceIds).toEqual([instanceId]);
      expect((await engine.variables(instanceId)).supplemented).toBe(true);

      const buffered = await engine.correlateMessage({ messageName: 'supplement', correlationKey: 'D-3', timeToLiveMs: 60_000, variables: { early: true } });
      expect(buffered).toEqual({ instanceIds: [], buffered: true });
      const late = await engine.startInstance({ processId: 'messages', variables: { dossierCode: 'D-3' } });
      expect((await engine.variables(late.instanceId)).early).toBe(true);
      expect((await store.history(late.instanceId)).some((h) => h.type === 'messageReceived')).toBe(true);
    });

    it('should start an instance from a message start event', async () => {
      // given
      await engine.deploy(fixture('messages.bpmn'));

      // when
      const { instanceIds } = await engine.correlateMessage({ messageName: 'apply', variables: { dossierCode: 'D-9' } });

      // then
      expect(instanceIds).toHaveLength(1);
      const instance = await store.instance(instanceIds[0]);
      expect(instance?.state.elements[0].vars?.dossierCode).toBe('D-9');
    });
  });

  describe('call activities', () => {
    it('should complete the parent with the child variables, and propagate a BPMN error to a boundary', async () => {
      // given
      await engine.deploy(fixture('call.bpmn'));
      const ok = await engine.startInstance({ processId: 'parent' });
      const refused = await engine.startInstance({ processId: 'parent' });
      const childTask = async (parentId: string) => {
        const all = await store.tasks({ state: 'open' });
        for (const task of all) {
          const child = await store.instance(task.instanceId);
          if (child?.parentInstanceId === parentId) return task;
        }
        throw new Error('no child task');
      };

      // when
      await engine.completeTask((await childTask(ok.instanceId)).id, { variables: { result: 'issued' } });
      await engine.completeTask((await childTask(refused.instanceId)).id, { variables: { refuse: true } });

      // then
      expect((await store.instance(ok.instanceId))?.status).toBe('completed');
      expect((await engine.variables(ok.instanceId)).result).toBe('issued');
      const refusedHistory = await store.history(refused.instanceId);
      expect((await store.instance(refused.instanceId))?.status).toBe('completed');
      expect(refusedHistory.some((h) => h.type === 'elementCompleted' && h.elementId === 'p-refused')).toBe(true);
    });
  });

  describe('call activities with escalations', () => {
    it('should pass an uncaught escalation of the child to a non-interrupting boundary of the call activity', async () => {
      // given
      await engine.deploy(fixture('call-escalation.bpmn'));

      // when
      const { instanceId } = await engine.startInstance({ processId: 'esc-parent' });

      // then: the parent reacts while the child goes on
      const apologise = await openTask(instanceId, 'apologise');
      const childTask = (await store.tasks({ state: 'open' })).find((t) => t.elementId === 'ec-work');
      expect(childTask).toBeDefined();
      await engine.completeTask(apologise.id);
      await engine.completeTask(childTask!.id);
      expect((await store.instance(instanceId))?.status).toBe('completed');
      expect((await store.instance(childTask!.instanceId))?.status).toBe('completed');
    });
  });

  describe('jobs', () => {
    it('should retry a failing handler, raise an incident when retries run out, and complete after the incident is resolved', async () => {
      // given
      await engine.deploy(fixture('service.bpmn'));
      const { instanceId } = await engine.startInstance({ processId: 'service' });
      let failures = 2;
      const executor = new JobExecutor({
        engine,
        now: () => clock,
        backoff: () => 1000,
        handlers: {
          'lookup-citizen': async () => {
            if (failures-- > 0) throw new Error('registry unavailable');
            return { citizen: { name: 'Nguyễn Văn A' } };
          },
        },
      });

      // when
      await executor.runOnce(); // attempt 1 fails, retries 2 -> 1
      clock += 1000;
      await executor.runOnce(); // attempt 2 fails, retries 1 -> 0: incident
      const incidents = await store.incidents({ instanceId, state: 'open' });
      clock += 1000;
      const idle = await executor.runOnce();
      await engine.resolveIncident(incidents[0].id, { retries: 1 });
      await executor.runOnce();

      // then
      expect(incidents).toHaveLength(1);
      expect(incidents[0].message).toContain('registry unavailable');
      expect(idle).toBe(0);
      expect((await store.instance(instanceId))?.status).toBe('completed');
      expect((await engine.variables(instanceId)).citizen).toEqual({ name: 'Nguyễn Văn A' });
    });
  });
});
