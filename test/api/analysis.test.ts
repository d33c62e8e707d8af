/** `POST /api/analysis/compare`: two models side by side, from the body, deployed versions or the library; JSON or CSV; who may. */
import { testDatabases } from '../support/databases';
import { processXml, useApi } from './harness';

describe.each(testDatabases())('analysis on $name', (target) => {
  const api = useApi(target);

  it("should compare a library procedure's as-is with its to-be, as JSON with the XML the modeler draws", async () => {
    // when
    const res = await api.as('analyst').post('/api/analysis/compare', {
      before: { procedure: 'birth-group-63-301', model: 'as-is' },
      after: { procedure: 'birth-group-63-301', model: 'to-be' },
      includeXml: true,
    });

    // then
    expect(res.status).toBe(200);
    expect(res.body.before).toMatchObject({ label: 'birth-group-63-301 as-is', warnings: [], metrics: { steps: 15, deskVisits: 6, criticalPathDays: 13, documents: 9 } });
    expect(res.body.after).toMatchObject({ label: 'birth-group-63-301 to-be', metrics: { steps: 9, deskVisits: 0, criticalPathDays: 3, documents: 2 } });
    expect(res.body.figures.find((f: { key: string }) => f.key === 'criticalPathDays')).toEqual({
      key: 'criticalPathDays',
      label: { vi: 'Ngày làm việc theo luật trên đường găng', en: 'Statutory working days on the critical path' },
      before: 13,
      after: 3,
      change: -10,
      changePercent: -76.9,
    });
    expect(res.body.before.xml).toContain('birth-group-birth-as-is');
    expect(res.body.elements.added.map((e: { id: string }) => e.id)).toContain('handoffFork');
  });

  it('should compare two deployed versions, naming them, and answer CSV by Accept or by format', async () => {
    // given two versions of one process: v2 adds a step of another agency
    const v1 = await api.as('adminA').request('POST', '/api/deployments', { raw: processXml({ id: 'compare-me', agency: 'A', tasks: [{ id: 'receive' }] }), headers: { 'content-type': 'application/xml' } });
    const v2 = await api.as('adminA').request('POST', '/api/deployments', { raw: processXml({ id: 'compare-me', agency: 'A', tasks: [{ id: 'receive' }, { id: 'confirm', agency: 'TAX' }] }), headers: { 'content-type': 'application/xml' } });
    expect([v1.status, v2.status]).toEqual([201, 201]);
    const body = { before: { definitionId: v1.body.definitions[0].id }, after: { definitionId: v2.body.definitions[0].id } };

    // when
    const json = await api.as('adminB').post('/api/analysis/compare', body);
    const csv = await api.as('analyst').post('/api/analysis/compare', body, { headers: { accept: 'text/csv' } });
    const byQuery = await api.as('analyst').post('/api/analysis/compare?format=csv', body);

    // then
    expect(json.status).toBe(200);
    expect([json.body.before.label, json.body.after.label]).toEqual(['compare-me v1', 'compare-me v2']);
    expect(json.body.elements).toEqual({
      added: [{ id: 'confirm', type: 'userTask', name: 'confirm' }, { id: 'f3', type: 'sequenceFlow' }],
      removed: [],
      changed: [{ id: 'f2', type: 'sequenceFlow', changes: [{ property: 'target', before: 'end', after: 'confirm' }] }],
    });
    expect(json.body.figures.find((f: { key: string }) => f.key === 'agencyHandOffs')).toMatchObject({ before: 0, after: 1, changePercent: null });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.text.split('\r\n')).toContain('steps,Số bước,Steps,1,2,1,100');
    expect(byQuery.text).toBe(csv.text);
  });

  it('should compare documents sent in the body', async () => {
    // when
    const res = await api.as('adminA').post('/api/analysis/compare', {
      before: { xml: processXml({ id: 'p', tasks: [{ id: 'a' }, { id: 'b' }] }), label: 'draft 1' },
      after: { xml: processXml({ id: 'p', tasks: [{ id: 'a' }] }) },
    });

    // then
    expect(res.status).toBe(200);
    expect([res.body.before.label, res.body.after.label]).toEqual(['draft 1', 'after']);
    expect(res.body.elements.removed.map((e: { id: string }) => e.id)).toEqual(['b', 'f3']);
  });

  it('should name what is wrong: an unknown procedure or version, an unreadable document, a bad body', async () => {
    const compare = (body: unknown) => api.as('analyst').post('/api/analysis/compare', body);
    const library = { procedure: 'birth-registration', model: 'to-be' };

    const unknown = await compare({ before: { procedure: 'no-such-procedure', model: 'as-is' }, after: library });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'NOT_FOUND', detail: "the procedure library has no as-is model of 'no-such-procedure'" });
    const version = await compare({ before: library, after: { definitionId: 'nope' } });
    expect(version.status).toBe(404);
    expect(version.body.detail).toBe("definition 'nope' does not exist");
    const unreadable = await compare({ before: library, after: { xml: '<bpmn:definitions', label: 'mine' } });
    expect(unreadable.status).toBe(400);
    expect(unreadable.body.detail).toMatch(/^mine: /);
    const traversal = await compare({ before: { procedure: '../api', model: 'as-is' }, after: library });
    expect(traversal.status).toBe(400);
    const missingSide = await compare({ before: library });
    expect(missingSide.status).toBe(400);
    expect(missingSide.body.errors).toEqual([{ field: 'body.after', message: "must have required property 'after'" }]);
  });

  it('should let analysts and agency admins compare, and nobody else', async () => {
    const body = { before: { procedure: 'judicial-record', model: 'as-is' }, after: { procedure: 'judicial-record', model: 'to-be' } };
    const statuses = [];
    for (const caller of ['analyst', 'adminA', 'officialA', 'citizen', 'anonymous'] as const) statuses.push((await api.as(caller).post('/api/analysis/compare', body)).status);
    expect(statuses).toEqual([200, 200, 403, 403, 401]);
  });
});
