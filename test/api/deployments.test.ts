/** `/api/deployments` and `/api/definitions`. */
import { testDatabases } from '../support/databases';
import { processXml, useApi } from './harness';

const xmlHeaders = { 'content-type': 'application/xml' };

describe.each(testDatabases())('deployments and definitions on $name', (target) => {
  const api = useApi(target, { maxXmlBytes: 64 * 1024 });

  describe('deploy raw XML', () => {
    it('should deploy, version a changed document, and return the existing version for identical XML', async () => {
      // given
      const xml = processXml({ id: 'dep-raw', agency: 'A', tasks: [{ id: 'examine', groups: 'desk' }] });

      // when
      const first = await api.as('analyst').request('POST', '/api/deployments?name=first&resourceName=dep-raw.bpmn', { raw: xml, headers: xmlHeaders });
      const again = await api.as('adminA').request('POST', '/api/deployments', { raw: xml, headers: { 'content-type': 'text/xml' } });
      const changed = await api.as('adminA').request('POST', '/api/deployments', { raw: processXml({ id: 'dep-raw', agency: 'A', tasks: [{ id: 'examine' }] }), headers: xmlHeaders });

      // then
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ deploymentId: expect.any(String), definitions: [{ processId: 'dep-raw', version: 1, duplicate: false }], warnings: [], forms: [] });
      expect(again.body.definitions[0]).toMatchObject({ version: 1, duplicate: true });
      expect(again.body.deploymentId).toBe(first.body.deploymentId);
      expect(changed.body.definitions[0]).toMatchObject({ version: 2, duplicate: false });

      const got = await api.as('analyst').get(`/api/deployments/${first.body.deploymentId}`);
      expect(got.body).toMatchObject({ id: first.body.deploymentId, name: 'first', resourceName: 'dep-raw.bpmn', definitions: [{ processId: 'dep-raw', version: 1 }] });
      const xmlBack = await api.as('analyst').get(`/api/deployments/${first.body.deploymentId}/xml`);
      expect(xmlBack.status).toBe(200);
      expect(xmlBack.headers.get('content-type')).toMatch(/^application\/xml/);
      expect(xmlBack.text).toBe(xml);
    });

    it('should reject a document the engine cannot run with 422 and every problem', async () => {
      // given: a service task without a job type, and a flow to nowhere
      const xml = processXml({ id: 'dep-bad', tasks: [{ id: 't' }] })
        .replace('<bpmn:endEvent id="end" />', '<bpmn:endEvent id="end" /><bpmn:serviceTask id="noType" />')
        .replace('targetRef="end"', 'targetRef="nowhere"');

      // when
      const res = await api.as('analyst').request('POST', '/api/deployments', { raw: xml, headers: xmlHeaders });

      // then
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('DEPLOYMENT_REJECTED');
      expect(res.body.problems.length).toBeGreaterThanOrEqual(2);
      expect(res.body.problems).toEqual(expect.arrayContaining([expect.objectContaining({ elementId: 'noType', reason: expect.any(String) })]));
      const defs = await api.as('analyst').get('/api/definitions?processId=dep-bad');
      expect(defs.body.items).toEqual([]);
    });

    it('should answer unreadable XML with 400, a DOCTYPE too', async () => {
      const malformed = await api.as('analyst').request('POST', '/api/deployments', { raw: '<bpmn:definitions', headers: xmlHeaders });
      const doctype = await api.as('analyst').request('POST', '/api/deployments', {
        raw: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>',
        headers: xmlHeaders,
      });
      const empty = await api.as('analyst').request('POST', '/api/deployments', { raw: '', headers: xmlHeaders });
      for (const res of [malformed, doctype, empty]) {
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('MODEL_PARSE_ERROR');
      }
    });

    it('should answer a document over the XML limit with 413, and JSON with 415', async () => {
      const big = processXml({ id: 'dep-big', variant: 'x'.repeat(70 * 1024) });
      const tooBig = await api.as('analyst').request('POST', '/api/deployments', { raw: big, headers: xmlHeaders });
      expect(tooBig.status).toBe(413);
      expect(tooBig.body.code).toBe('PAYLOAD_TOO_LARGE');

      const json = await api.as('analyst').post('/api/deployments', { xml: '<x/>' });
      expect(json.status).toBe(415);
      expect(json.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });

    it('should create nothing twice for a repeated Idempotency-Key, and refuse the key for another document', async () => {
      // given
      const xml = processXml({ id: 'dep-idem', tasks: [{ id: 'a' }] });
      const headers = { ...xmlHeaders, 'idempotency-key': 'deploy-1' };

      // when
      const first = await api.as('analyst').request('POST', '/api/deployments?agency=A', { raw: xml, headers });
      const replay = await api.as('analyst').request('POST', '/api/deployments?agency=A', { raw: xml, headers });
      const other = await api.as('analyst').request('POST', '/api/deployments?agency=A', { raw: processXml({ id: 'dep-idem', tasks: [{ id: 'b' }] }), headers });

      // then
      expect(first.status).toBe(201);
      expect(replay.status).toBe(201);
      expect(replay.body).toEqual(first.body);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(other.status).toBe(422);
      expect(other.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', errors: [{ field: 'headers.idempotency-key' }] });
      const versions = await api.as('analyst').get('/api/definitions?processId=dep-idem&latest=false');
      expect(versions.body.items.map((d: { version: number }) => d.version)).toEqual([1]);
    });
  });

  describe('deploy multipart with forms', () => {
    it('should store the forms with the deployment and warn of a form key it lacks', async () => {
      // given
      const xml = processXml({ id: 'dep-forms', agency: 'A', tasks: [{ id: 'examine', formKey: 'examine' }, { id: 'sign', formKey: 'sign' }] });
      const form = new FormData();
      form.append('bpmn', new Blob([xml], { type: 'application/xml' }), 'dep-forms.bpmn');
      form.append('forms', new Blob([JSON.stringify({ type: 'object', required: ['approved'], properties: { approved: { type: 'boolean' } } })]), 'examine.schema.json');
      form.append('name', 'with forms');

      // when
      const res = await api.as('adminA').request('POST', '/api/deployments', { raw: form });

      // then
      expect(res.status).toBe(201);
      expect(res.body.forms).toEqual(['examine']);
      expect(res.body.warnings).toEqual([expect.stringContaining("form 'sign'")]);
      const deployment = await api.as('adminA').get(`/api/deployments/${res.body.deploymentId}`);
      expect(deployment.body).toMatchObject({ name: 'with forms', resourceName: 'dep-forms.bpmn', forms: ['examine'] });
      const stored = await api.as('adminA').get(`/api/deployments/${res.body.deploymentId}/forms/examine`);
      expect(stored.body).toEqual({ formKey: 'examine', kind: 'json-schema', schema: expect.objectContaining({ required: ['approved'] }) });
      const missing = await api.as('adminA').get(`/api/deployments/${res.body.deploymentId}/forms/sign`);
      expect(missing.status).toBe(404);
    });

    it('should make identical XML with other forms a new version, and leave the forms of the first one as they were', async () => {
      // given a deployment with a form, and an instance of it
      const xml = processXml({ id: 'dep-forms-2', agency: 'A', tasks: [{ id: 'examine', formKey: 'examine' }] });
      const deploy = (schema: Record<string, unknown>) => {
        const form = new FormData();
        form.append('bpmn', new Blob([xml], { type: 'application/xml' }), 'dep-forms-2.bpmn');
        form.append('forms', new Blob([JSON.stringify(schema)]), 'examine.schema.json');
        return api.as('adminA').request('POST', '/api/deployments', { raw: form });
      };
      const first = await deploy({ type: 'object', required: ['approved'], properties: { approved: { type: 'boolean' } } });

      // when the same XML comes again with the same form, then with another one
      const same = await deploy({ type: 'object', required: ['approved'], properties: { approved: { type: 'boolean' } } });
      const other = await deploy({ type: 'object', required: ['note'], properties: { note: { type: 'string' } } });

      // then the same pair is a duplicate, another form a new version; the first deployment's form is unchanged
      expect(first.body.definitions).toEqual([expect.objectContaining({ version: 1, duplicate: false })]);
      expect(same.body).toMatchObject({ deploymentId: first.body.deploymentId, definitions: [expect.objectContaining({ version: 1, duplicate: true })] });
      expect(other.body).toMatchObject({ definitions: [expect.objectContaining({ version: 2, duplicate: false })], forms: ['examine'] });
      expect(other.body.deploymentId).not.toBe(first.body.deploymentId);
      const kept = await api.as('adminA').get(`/api/deployments/${first.body.deploymentId}/forms/examine`);
      expect(kept.body.schema).toMatchObject({ required: ['approved'] });
      const added = await api.as('adminA').get(`/api/deployments/${other.body.deploymentId}/forms/examine`);
      expect(added.body.schema).toMatchObject({ required: ['note'] });
    });

    it('should reject a form that is not a JSON Schema, and a multipart body without BPMN', async () => {
      // given
      const xml = processXml({ id: 'dep-badform', tasks: [{ id: 'a', formKey: 'a' }] });
      const withBadForm = new FormData();
      withBadForm.append('bpmn', new Blob([xml]), 'x.bpmn');
      withBadForm.append('forms', new Blob(['{"type": "no-such-type"}']), 'a.schema.json');
      withBadForm.append('forms', new Blob(['not json']), 'b.json');
      const withoutBpmn = new FormData();
      withoutBpmn.append('name', 'nothing');

      // when
      const bad = await api.as('analyst').request('POST', '/api/deployments', { raw: withBadForm });
      const none = await api.as('analyst').request('POST', '/api/deployments', { raw: withoutBpmn });

      // then
      expect(bad.status).toBe(422);
      expect(bad.body.problems.map((p: { elementId: string }) => p.elementId).sort()).toEqual(['a', 'b']);
      expect(none.status).toBe(422);
      expect((await api.as('analyst').get('/api/definitions?processId=dep-badform')).body.items).toEqual([]);
    });
  });

  describe('list', () => {
    it('should page deployments newest first with an opaque cursor', async () => {
      // given
      for (let i = 0; i < 3; i++) {
        await api.as('analyst').request('POST', '/api/deployments', { raw: processXml({ id: `dep-page-${i}`, tasks: [{ id: 'a' }] }), headers: xmlHeaders });
      }

      // when
      const first = await api.as('analyst').get('/api/deployments?limit=2');
      const second = await api.as('analyst').get(`/api/deployments?limit=2&cursor=${first.body.nextCursor}`);
      const bad = await api.as('analyst').get('/api/deployments?cursor=bm90LWEtY3Vyc29y');

      // then
      expect(first.body.items).toHaveLength(2);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const ids = [...first.body.items, ...second.body.items].map((d: { id: string }) => d.id);
      expect(new Set(ids).size).toBe(ids.length);
      const created = [...first.body.items, ...second.body.items].map((d: { createdAt: string }) => Date.parse(d.createdAt));
      expect([...created].sort((a, b) => b - a)).toEqual(created);
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual([{ field: 'query.cursor', message: expect.any(String) }]);
    });
  });

  describe('definitions', () => {
    it('should list the latest versions or all of them, and give one with its XML', async () => {
      // given
      const v1 = processXml({ id: 'def-a', tasks: [{ id: 'a' }] });
      await api.as('adminA').request('POST', '/api/deployments', { raw: v1, headers: xmlHeaders });
      const v2 = (await api.as('adminA').request('POST', '/api/deployments', { raw: processXml({ id: 'def-a', tasks: [{ id: 'b' }] }), headers: xmlHeaders })).body;

      // when
      const latest = await api.as('officialA').get('/api/definitions?processId=def-a');
      const all = await api.as('officialA').get('/api/definitions?processId=def-a&latest=false');
      const one = await api.as('officialA').get(`/api/definitions/${v2.definitions[0].id}`);
      const xml = await api.as('officialA').get(`/api/definitions/${v2.definitions[0].id}/xml`);
      const missing = await api.as('officialA').get('/api/definitions/nope:1:x');

      // then
      expect(latest.body.items.map((d: { version: number }) => d.version)).toEqual([2]);
      expect(all.body.items.map((d: { version: number }) => d.version)).toEqual([2, 1]);
      expect(one.body).toMatchObject({ id: v2.definitions[0].id, processId: 'def-a', version: 2, xml: expect.stringContaining('id="b"') });
      expect(xml.text).toBe(one.body.xml);
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe('NOT_FOUND');
    });

    it('should page the latest versions by process id', async () => {
      const page1 = await api.as('analyst').get('/api/definitions?limit=1');
      const page2 = await api.as('analyst').get(`/api/definitions?limit=1&cursor=${page1.body.nextCursor}`);
      expect(page1.body.items).toHaveLength(1);
      expect(page2.body.items[0].processId > page1.body.items[0].processId).toBe(true);
    });
  });

  describe('models that Camunda 8 runs', () => {
    it('should never deploy a process marked isExecutable="false": not beside an executable one, and refused alone', async () => {
      // given: version 1 of cam-doc, executable
      const deployed = await api.as('adminA').request('POST', '/api/deployments', { raw: processXml({ id: 'cam-doc', agency: 'A' }), headers: xmlHeaders });
      expect(deployed.status).toBe(201);
      const notExecutable = processXml({ id: 'cam-doc', agency: 'A', tasks: [{ id: 'changed' }] })
        .replace('isExecutable="true"', 'isExecutable="false"');
      const withRunnable = notExecutable.replace(
        '</bpmn:definitions>',
        `<bpmn:process id="cam-run" isExecutable="true">
          <bpmn:extensionElements><motcua:facts agency="A" /></bpmn:extensionElements>
          <bpmn:startEvent id="run-start" /><bpmn:endEvent id="run-end" />
          <bpmn:sequenceFlow id="run-flow" sourceRef="run-start" targetRef="run-end" />
        </bpmn:process>
      </bpmn:definitions>`,
      );

      // when
      const both = await api.as('adminA').request('POST', '/api/deployments', { raw: withRunnable, headers: xmlHeaders });
      const alone = await api.as('adminA').request('POST', '/api/deployments', { raw: notExecutable, headers: xmlHeaders });

      // then
      expect([both.status, both.body.problems]).toEqual([201, undefined]);
      expect(both.body.definitions).toEqual([expect.objectContaining({ processId: 'cam-run', version: 1 })]);
      expect([alone.status, alone.body.code]).toEqual([422, 'DEPLOYMENT_REJECTED']);
      expect(alone.body.problems).toEqual([{ elementId: 'cam-doc', reason: expect.stringContaining('marked isExecutable="false"') }]);
      const versions = await api.as('officialA').get('/api/definitions?processId=cam-doc&latest=false');
      expect(versions.body.items.map((d: { version: number }) => d.version)).toEqual([1]);
    });

    it('should build nested variables from mapping targets with a path', async () => {
      // given
      const xml = processXml({ id: 'cam-nested', agency: 'A', tasks: [{ id: 'review' }] }).replace(
        '<bpmn:userTask id="review" name="review"></bpmn:userTask>',
        `<bpmn:userTask id="review" name="review"><bpmn:extensionElements><zeebe:ioMapping>
          <zeebe:output source="=decision" target="dossier.review.decision" />
          <zeebe:output source="=upper case(note)" target="dossier.review.note" />
        </zeebe:ioMapping></bpmn:extensionElements></bpmn:userTask>`,
      );
      expect((await api.as('adminA').request('POST', '/api/deployments', { raw: xml, headers: xmlHeaders })).status).toBe(201);
      const started = await api.as('officialA').post('/api/instances', { processId: 'cam-nested', variables: { dossier: { code: 'HS-9' } } });
      const [task] = await api.openTasks(started.body.instanceId);

      // when
      const completed = await api.as('officialA').post(`/api/tasks/${task.id}/complete`, { variables: { decision: 'approve', note: 'ok' } });

      // then
      expect(completed.status).toBe(200);
      const vars = await api.as('officialA').get(`/api/instances/${started.body.instanceId}/variables`);
      expect(vars.body.variables.dossier).toEqual({ code: 'HS-9', review: { decision: 'approve', note: 'OK' } });
      expect(Object.keys(vars.body.variables)).not.toContain('dossier.review.decision');
    });

    it('should refuse a model that would belong to no agency (no default agency set), and record the agency an analyst names', async () => {
      // when
      const unnamed = await api.as('analyst').request('POST', '/api/deployments', { raw: processXml({ id: 'cam-no-agency' }), headers: xmlHeaders });
      const named = await api.as('analyst').request('POST', '/api/deployments?agency=B', { raw: processXml({ id: 'cam-named-agency' }), headers: xmlHeaders });
      const byAdmin = await api.as('adminA').request('POST', '/api/deployments', { raw: processXml({ id: 'cam-admin-agency' }), headers: xmlHeaders });

      // then
      expect([unnamed.status, named.status, byAdmin.status]).toEqual([422, 201, 201]);
      expect(JSON.stringify(unnamed.body)).toContain("process 'cam-no-agency' belongs to no agency");
      expect(JSON.stringify(unnamed.body)).toContain('MOTCUA_DEFAULT_AGENCY');
      expect(named.body.warnings).toEqual([]);
      expect(byAdmin.body.warnings).toEqual([]);
      expect(await api.sql(`SELECT process_id, agency FROM definitions WHERE process_id LIKE 'cam-%agency' ORDER BY process_id`)).toEqual([
        { process_id: 'cam-admin-agency', agency: 'A' },
        { process_id: 'cam-named-agency', agency: 'B' },
      ]);
    });

    it('should refuse at deploy a call of a function that does not exist, naming the element and the function', async () => {
      // given
      const xml = processXml({ id: 'cam-unknown-fn', agency: 'A', tasks: [{ id: 'review' }] }).replace(
        '<bpmn:userTask id="review" name="review"></bpmn:userTask>',
        '<bpmn:userTask id="review" name="review"><bpmn:extensionElements><zeebe:ioMapping><zeebe:output source="=isBlank(note)" target="empty" /></zeebe:ioMapping></bpmn:extensionElements></bpmn:userTask>',
      );

      // when
      const res = await api.as('adminA').request('POST', '/api/deployments', { raw: xml, headers: xmlHeaders });

      // then
      expect([res.status, res.body.code]).toEqual([422, 'DEPLOYMENT_REJECTED']);
      expect(res.body.problems).toEqual([{ elementId: 'review', reason: expect.stringContaining("calls the unknown function 'isBlank'") }]);
    });
  });
});
