/**
 * `/api/analysis/mining`: dossiers run through the API (one with a step done again, one
 * late), then the summary and both exports read back: the XES document parsed and the
 * OCEL document's events counted against what happened, the applicant never in clear.
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { testDatabases } from '../support/databases';
import { childrenNamed, parseXml, xesValue } from '../support/xml-tree';
import { processXml, useApi } from './harness';

/** examine → ok? → (approved) sign → end, or back to examine; sign was due long ago. */
const LOOP_XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:motcua="http://motcua.vn/schema/bpmn/1.0" id="defs-mining" targetNamespace="http://motcua.vn/test">
  <bpmn:process id="mining-loop" name="Mining loop" isExecutable="true">
    <bpmn:extensionElements><motcua:facts agency="A" /></bpmn:extensionElements>
    <bpmn:startEvent id="start" name="Received" />
    <bpmn:userTask id="examine" name="Thẩm định &amp; &quot;kiểm tra&quot;">
      <bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="desk" /></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:exclusiveGateway id="ok" name="Approved?" default="to-examine" />
    <bpmn:userTask id="sign" name="Sign">
      <bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="head" /><zeebe:taskSchedule dueDate="2026-01-05T03:00:00Z" /></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:endEvent id="end" name="Returned" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="examine" />
    <bpmn:sequenceFlow id="f2" sourceRef="examine" targetRef="ok" />
    <bpmn:sequenceFlow id="to-sign" sourceRef="ok" targetRef="sign"><bpmn:conditionExpression>=approved = true</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="to-examine" sourceRef="ok" targetRef="examine" />
    <bpmn:sequenceFlow id="f3" sourceRef="sign" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

describe.each(testDatabases())('mining on $name', (target) => {
  const api = useApi(target, { config: { miningSecret: 'a-mining-secret-of-the-tests' } });
  /** Instance ids: the reworked and late dossier (started for the citizen), the finished one, and one of agency B. */
  const ids = { reworked: '', finished: '', otherAgency: '' };

  async function openTask(instanceId: string) {
    const [task] = await api.openTasks(instanceId);
    return task;
  }

  beforeAll(async () => {
    // given the procedure of agency A and one of agency B
    expect((await api.as('adminA').request('POST', '/api/deployments', { raw: LOOP_XML, headers: { 'content-type': 'application/xml' } })).status).toBe(201);
    const other = processXml({ id: 'mining-b', agency: 'B', tasks: [{ id: 'examine', groups: 'desk' }] });
    expect((await api.as('adminB').request('POST', '/api/deployments', { raw: other, headers: { 'content-type': 'application/xml' } })).status).toBe(201);

    // a dossier the citizen submitted: examined, sent back, examined again, then waiting for a signature past its due date
    ids.reworked = (await api.engine.startInstance({ processId: 'mining-loop', actor: api.ids.citizen })).instanceId;
    for (const approved of [false, true]) {
      const examine = await openTask(ids.reworked);
      expect((await api.as('officialA').post(`/api/tasks/${examine.id}/claim`)).status).toBe(200);
      expect((await api.as('officialA').post(`/api/tasks/${examine.id}/complete`, { variables: { approved } })).status).toBe(200);
    }
    expect((await openTask(ids.reworked)).elementId).toBe('sign');

    // a dossier received at the desk: examined without a claim, signed, returned
    ids.finished = (await api.as('officialA').post('/api/instances', { processId: 'mining-loop' })).body.instanceId;
    const examine = await openTask(ids.finished);
    expect((await api.as('officialA2').post(`/api/tasks/${examine.id}/complete`, { variables: { approved: true } })).status).toBe(200);
    const sign = await openTask(ids.finished);
    expect((await api.as('officialA').post(`/api/tasks/${sign.id}/claim`)).status).toBe(200);
    expect((await api.as('officialA').post(`/api/tasks/${sign.id}/complete`, { variables: {} })).status).toBe(200);
    expect(await api.openTasks(ids.finished)).toEqual([]);

    ids.otherAgency = (await api.as('officialB').post('/api/instances', { processId: 'mining-b' })).body.instanceId;
  });

  /**
   * Events per dossier as they happened (gateways are not exported):
   * reworked: start (start, complete), examine twice (schedule, start, complete), sign (schedule) = 9;
   * finished: start (2), examine (schedule, complete: no claim), sign (schedule, start, complete), end (start, complete) = 9.
   */
  const EXPECTED = () => ({ [ids.reworked]: 9, [ids.finished]: 9 });

  describe('GET /api/analysis/mining', () => {
    it('should give an agency admin its procedure: the rework loop, the late task and who worked on what', async () => {
      // when
      const res = await api.as('adminA').get('/api/analysis/mining?processId=mining-loop');

      // then
      expect(res.status).toBe(200);
      const summary = res.body;
      const ajv = new Ajv2020({ strict: false });
      addFormats(ajv);
      ajv.addSchema({ $id: 'doc', components: (await api.as('anonymous').get('/api/openapi.json')).body.components });
      const validate = ajv.getSchema('doc#/components/schemas/MiningSummary')!;
      expect({ valid: validate(summary), errors: validate.errors ?? null }).toEqual({ valid: true, errors: null });
      expect(summary).toMatchObject({ cases: 2, openCases: 1, unit: 'workingHours' });
      expect(summary.rework).toEqual([{ processId: 'mining-loop', elementId: 'examine', name: 'Thẩm định & "kiểm tra"', path: ['examine', 'ok', 'examine'], times: 1, cases: 1, caseIds: [ids.reworked] }]);
      expect(summary.lateHolders).toEqual([
        {
          holder: null,
          agency: 'A',
          cases: 1,
          oldestDueAt: '2026-01-05T03:00:00.000Z',
          tasks: [{ caseId: ids.reworked, processId: 'mining-loop', taskId: expect.any(String), elementId: 'sign', name: 'Sign', dueAt: '2026-01-05T03:00:00.000Z', lateHours: expect.any(Number) }],
        },
      ]);
      expect(summary.lateHolders[0].tasks[0].lateHours).toBeGreaterThan(8 * 200);
      expect(summary.byOfficial.map((o: { official: string; steps: number }) => [o.official, o.steps])).toEqual(
        [
          [api.ids.officialA, 3],
          [api.ids.officialA2, 1],
        ].sort(),
      );
      expect(summary.byProcedure).toEqual([expect.objectContaining({ processId: 'mining-loop', cases: 2 })]);
      expect(Object.keys(summary.heat['mining-loop']).sort()).toEqual(['end', 'examine', 'ok', 'sign', 'start']);
      expect(summary.heat['mining-loop'].examine).toMatchObject({ runs: 3, reworkEntries: 1, name: 'Thẩm định & "kiểm tra"' });
      // (the dossiers ran within seconds: their heat is measured, not compared, in test/unit/mining)
      expect(Object.values(summary.heat['mining-loop']).every((e: any) => e.heat >= 0 && e.heat <= 1)).toBe(true);
    });

    it("should show an agency admin nothing of another agency's procedures, and refuse it another agency's scope", async () => {
      // when
      const own = await api.as('adminB').get('/api/analysis/mining?processId=mining-loop');
      const other = await api.as('adminB').get('/api/analysis/mining?agency=A');
      const mine = await api.as('adminB').get('/api/analysis/mining');

      // then
      expect(own.status).toBe(200);
      expect(own.body.cases).toBe(0);
      expect(other.status).toBe(403);
      expect(mine.body.byProcedure.map((p: { processId: string }) => p.processId)).toEqual(['mining-b']);
    });

    it('should let an analyst read every agency, and refuse officials and citizens', async () => {
      // when
      const all = await api.as('analyst').get('/api/analysis/mining');
      const statuses = [(await api.as('officialA').get('/api/analysis/mining')).status, (await api.as('citizen').get('/api/analysis/mining')).status];

      // then
      expect(all.body.byProcedure.map((p: { processId: string }) => p.processId)).toEqual(['mining-b', 'mining-loop']);
      expect(statuses).toEqual([403, 403]);
    });

    it('should name the wrong input', async () => {
      // when
      const backwards = await api.as('analyst').get('/api/analysis/mining?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z');
      const format = await api.as('analyst').get('/api/analysis/mining/export?format=csv');

      // then
      expect([backwards.status, backwards.body.errors?.[0]?.field ?? backwards.body.detail]).toEqual([400, expect.stringContaining('from')]);
      expect(format.status).toBe(400);
      expect(JSON.stringify(format.body)).toContain('format');
    });
  });

  describe('GET /api/analysis/mining/export', () => {
    it('should export XES that parses back to one trace per dossier with every event that happened', async () => {
      // when
      const res = await api.as('adminA').get('/api/analysis/mining/export?format=xes&processId=mining-loop');

      // then
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
      const root = parseXml(res.text);
      const traces = childrenNamed(root, 'trace');
      expect(Object.fromEntries(traces.map((t) => [xesValue(t, 'concept:name'), childrenNamed(t, 'event').length]))).toEqual(EXPECTED());
      const reworked = traces.find((t) => xesValue(t, 'concept:name') === ids.reworked)!;
      const events = childrenNamed(reworked, 'event').map((e) => `${xesValue(e, 'elementId')} ${xesValue(e, 'lifecycle:transition')} ${xesValue(e, 'org:resource') ?? '-'}`);
      const a = api.ids.officialA;
      expect(events).toEqual(['start start -', 'start complete -', 'examine schedule -', `examine start ${a}`, `examine complete ${a}`, 'examine schedule -', `examine start ${a}`, `examine complete ${a}`, 'sign schedule -']);
      expect(xesValue(childrenNamed(reworked, 'event')[2], 'concept:name')).toBe('Thẩm định & "kiểm tra"');
      // the applicant: a pseudonym, the same in the summary's export as here, never the citizen's id or name
      expect(xesValue(reworked, 'applicant')).toMatch(/^applicant-[0-9a-f]{24}$/);
      expect(res.text).not.toContain(api.ids.citizen);
      expect(res.text).not.toContain('citizen');
      const finished = traces.find((t) => xesValue(t, 'concept:name') === ids.finished)!;
      expect(xesValue(finished, 'applicant')).toBeUndefined();
    });

    it('should export OCEL 2.0 with the same events, related to dossiers, tasks, officials and agencies', async () => {
      // when
      const res = await api.as('adminA').get('/api/analysis/mining/export?format=ocel&processId=mining-loop');
      const xes = parseXml((await api.as('adminA').get('/api/analysis/mining/export?format=xes&processId=mining-loop')).text);

      // then
      expect(res.status).toBe(200);
      const ocel = JSON.parse(res.text);
      const perDossier = Object.fromEntries(Object.keys(EXPECTED()).map((id) => [id, ocel.events.filter((e: any) => e.relationships.some((r: any) => r.objectId === `dossier:${id}`)).length]));
      expect(perDossier).toEqual(EXPECTED());
      expect(ocel.events).toHaveLength(18);
      const objectIds = new Set(ocel.objects.map((o: any) => o.id));
      expect(ocel.events.flatMap((e: any) => e.relationships.map((r: any) => r.objectId)).filter((id: string) => !objectIds.has(id))).toEqual([]);
      expect(objectIds).toEqual(new Set([`dossier:${ids.reworked}`, `dossier:${ids.finished}`, 'agency:A', `official:${api.ids.officialA}`, `official:${api.ids.officialA2}`, ...ocel.objects.filter((o: any) => o.type === 'task').map((o: any) => o.id)]));
      expect(ocel.objects.filter((o: any) => o.type === 'task')).toHaveLength(5);
      const applicant = ocel.objects.find((o: any) => o.id === `dossier:${ids.reworked}`).attributes.find((a: any) => a.name === 'applicant').value;
      expect(applicant).toBe(xesValue(childrenNamed(xes, 'trace').find((t) => xesValue(t, 'concept:name') === ids.reworked)!, 'applicant'));
      expect(res.text).not.toContain(api.ids.citizen);
    });

    it('should refuse an agency admin the export of another agency', async () => {
      expect((await api.as('adminA').get('/api/analysis/mining/export?format=ocel&agency=B')).status).toBe(403);
    });
  });
});

describe.each(testDatabases())('mining with a small MOTCUA_MINING_MAX_CASES on $name', (target) => {
  const api = useApi(target, { config: { miningMaxCases: 1 } });

  it('should refuse a request that selects more dossiers than allowed, naming the setting, rather than cut the log', async () => {
    // given two dossiers
    const xml = processXml({ id: 'mining-many', agency: 'A', tasks: [{ id: 'examine', groups: 'desk' }] });
    expect((await api.as('adminA').request('POST', '/api/deployments', { raw: xml, headers: { 'content-type': 'application/xml' } })).status).toBe(201);
    for (let i = 0; i < 2; i++) expect((await api.as('officialA').post('/api/instances', { processId: 'mining-many' })).status).toBe(201);

    // when
    const res = await api.as('adminA').get('/api/analysis/mining/export?format=ocel&processId=mining-many');

    // then
    expect(res.status).toBe(400);
    expect(res.body.detail).toContain('MOTCUA_MINING_MAX_CASES');
  });
});
