/**
 * No task or incident is invisible to every user: a plain Camunda model (no motcua facts) deployed
 * by an analyst who names no agency belongs to the default agency (`MOTCUA_DEFAULT_AGENCY`), whose
 * officials see and complete its tasks and whose agency admins see its incidents. Without a default
 * agency such a deploy is refused (deployments.test.ts).
 */
import { testDatabases } from '../support/databases';
import { useApi } from './harness';

const PLAIN_CAMUNDA_MODEL = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  id="defs-plain" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="plain-camunda" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="approve" name="Approve"><bpmn:extensionElements><zeebe:userTask /></bpmn:extensionElements></bpmn:userTask>
    <bpmn:exclusiveGateway id="decide" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="approve" />
    <bpmn:sequenceFlow id="f2" sourceRef="approve" targetRef="decide" />
    <bpmn:sequenceFlow id="f3" sourceRef="decide" targetRef="end"><bpmn:conditionExpression>=approved = true</bpmn:conditionExpression></bpmn:sequenceFlow>
  </bpmn:process>
</bpmn:definitions>`;

describe.each(testDatabases())('the default agency on $name', (target) => {
  const api = useApi(target, { config: { defaultAgency: 'A' } });

  it('should give a model that names no agency to the default agency, whose staff see and work its tasks and incidents', async () => {
    // given: an analyst deploys a plain Camunda model, naming no agency
    const deployed = await api.as('analyst').request('POST', '/api/deployments', { raw: PLAIN_CAMUNDA_MODEL, headers: { 'content-type': 'application/xml' } });
    expect(deployed.status).toBe(201);
    expect(deployed.body.warnings).toEqual([expect.stringContaining("belongs to the default agency 'A'")]);

    // when: an official of the default agency starts two instances and completes their tasks
    const ids: string[] = [];
    for (const approved of [true, false]) {
      const started = await api.as('officialA').post('/api/instances', { processId: 'plain-camunda' });
      expect(started.status).toBe(201);
      const inbox = await api.as('officialA').get(`/api/tasks?instanceId=${started.body.instanceId}`);
      const task = (inbox.body.items as Array<{ id: string; instanceId: string }>).find((t) => t.instanceId === started.body.instanceId);
      expect(task).toBeDefined();
      expect((await api.as('officialA').post(`/api/tasks/${task!.id}/complete`, { variables: { approved } })).status).toBe(200);
      ids.push(started.body.instanceId);
    }

    // then: the first ends; the second stops on an incident its agency admin sees, another agency's does not
    expect((await api.store.instance(ids[0]))?.status).toBe('completed');
    const incidents = await api.as('adminA').get('/api/incidents');
    expect((incidents.body.items as Array<{ instanceId: string }>).map((i) => i.instanceId)).toContain(ids[1]);
    const elsewhere = await api.as('officialB').get('/api/tasks');
    expect(elsewhere.body.items).toEqual([]);
  });
});
