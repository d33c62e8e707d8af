/**
 * Camunda forms through the API (issue 15): a `.form` deployed with its model and linked by
 * `formId`, a form embedded in the model (`zeebe:userTaskForm`), a linked form of an earlier
 * deployment, and the deploy problem of a linked form found nowhere; the task is served with
 * its form and kind, and a completion is checked as form-js checks it. Both databases.
 */
import { testDatabases } from '../support/databases';
import { useApi } from './harness';

/** A one-task process whose task names its form by `formDefinition` (and may embed it). */
function modelXml(id: string, formDefinition: string, embedded?: { id: string; form: unknown }): string {
  const body = embedded ? `<zeebe:userTaskForm id="${embedded.id}">${JSON.stringify(embedded.form).replace(/&/g, '&amp;').replace(/</g, '&lt;')}</zeebe:userTaskForm>` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:motcua="http://motcua.vn/schema/bpmn/1.0" id="defs-${id}" targetNamespace="http://motcua.vn/test">
  <bpmn:process id="${id}" isExecutable="true">
    <bpmn:extensionElements><motcua:facts agency="A" />${body}</bpmn:extensionElements>
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="apply" name="Apply">
      <bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="desk" />${formDefinition}</bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="apply" />
    <bpmn:sequenceFlow id="f2" sourceRef="apply" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;
}

const APPLICATION = {
  id: 'application',
  type: 'default',
  schemaVersion: 16,
  components: [
    { id: 'f1', type: 'textfield', key: 'applicant.name', label: 'Họ và tên', validate: { required: true, minLength: 2 } },
    { id: 'f2', type: 'select', key: 'office', label: 'Nơi nộp', values: [{ label: 'Hà Nội', value: 'hn' }], validate: { required: true } },
    { id: 'f3', type: 'number', key: 'copies', label: 'Số bản', validate: { min: 1 } },
  ],
};

describe.each(testDatabases())('Camunda forms on $name', (target) => {
  const api = useApi(target);

  function multipart(xml: string, name: string, forms: Array<[string, unknown]>): FormData {
    const form = new FormData();
    form.append('bpmn', new Blob([xml], { type: 'application/xml' }), name);
    for (const [file, content] of forms) form.append('forms', new Blob([typeof content === 'string' ? content : JSON.stringify(content)]), file);
    return form;
  }

  async function openTask(processId: string) {
    const started = await api.as('officialA').post('/api/instances', { processId, variables: {} });
    expect(started.status).toBe(201);
    const [task] = await api.openTasks(started.body.instanceId);
    return task;
  }

  it('should deploy a linked .form with its model, serve it with the task and check a completion as form-js does', async () => {
    // given
    const xml = modelXml('cf-linked', '<zeebe:formDefinition formId="application" />');
    const deployed = await api.as('adminA').request('POST', '/api/deployments', { raw: multipart(xml, 'cf-linked.bpmn', [['application.form', APPLICATION]]) });
    expect(deployed.status).toBe(201);
    expect(deployed.body.forms).toEqual(['application']);
    const task = await openTask('cf-linked');

    // when
    const served = await api.as('officialA').get(`/api/tasks/${task.id}`);
    const bad = await api.as('officialA').post(`/api/tasks/${task.id}/complete`, { variables: { applicant: { name: ' A ' }, office: 'hcm', copies: 0 } });
    const good = await api.as('officialA').post(`/api/tasks/${task.id}/complete`, { variables: { applicant: { name: 'Trần Văn An' }, office: 'hn', copies: 2 } });

    // then
    expect(served.body.form).toEqual({ formKey: 'application', kind: 'camunda-form', schema: APPLICATION });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('FORM_INVALID');
    expect(bad.body.errors).toEqual([
      { field: 'body.variables.applicant.name', message: 'must have at least 2 characters (not counting spaces at either end)' },
      { field: 'body.variables.office', message: 'must be one of: "hn"' },
      { field: 'body.variables.copies', message: 'must be >= 1' },
    ]);
    expect(good.status).toBe(200);
  });

  it('should serve and check a form embedded in the model (zeebe:userTaskForm)', async () => {
    // given
    const form = { ...APPLICATION, id: undefined };
    const xml = modelXml('cf-embedded', '<zeebe:formDefinition formKey="camunda-forms:bpmn:userTaskForm_1" />', { id: 'userTaskForm_1', form });
    const deployed = await api.as('adminA').request('POST', '/api/deployments', { raw: xml, headers: { 'content-type': 'application/xml' } });
    expect(deployed.status).toBe(201);
    const task = await openTask('cf-embedded');

    // when
    const served = await api.as('officialA').get(`/api/tasks/${task.id}`);
    const missing = await api.as('officialA').post(`/api/tasks/${task.id}/complete`, { variables: { office: 'hn' } });

    // then
    expect(served.body.form).toMatchObject({ formKey: 'camunda-forms:bpmn:userTaskForm_1', kind: 'camunda-form', schema: { components: APPLICATION.components } });
    expect(missing.status).toBe(422);
    expect(missing.body.errors).toEqual([{ field: 'body.variables.applicant', message: "must have required property 'applicant'" }]);
  });

  it('should refuse a model whose linked form is deployed nowhere, naming the user task', async () => {
    // given
    const xml = modelXml('cf-missing', '<zeebe:formDefinition formId="no-such-form" />');
    // a form of an earlier deployment does not satisfy a binding to the model's own deployment
    expect((await api.as('adminA').request('POST', '/api/deployments', { raw: multipart(modelXml('cf-earlier', '<zeebe:formDefinition formId="earlier" />'), 'e.bpmn', [['earlier.form', { ...APPLICATION, id: 'earlier' }]]) })).status).toBe(201);
    const bound = modelXml('cf-bound', '<zeebe:formDefinition formId="earlier" bindingType="deployment" />');

    // when
    const res = await api.as('adminA').request('POST', '/api/deployments', { raw: xml, headers: { 'content-type': 'application/xml' } });
    const boundRes = await api.as('adminA').request('POST', '/api/deployments', { raw: bound, headers: { 'content-type': 'application/xml' } });

    // then
    expect(res.status).toBe(422);
    expect(res.body.problems).toEqual([{ elementId: 'apply', reason: expect.stringContaining("'no-such-form'") }]);
    expect((await api.as('adminA').get('/api/definitions?processId=cf-missing')).body.items).toEqual([]);
    expect(boundRes.status).toBe(422);
    expect(boundRes.body.problems).toEqual([{ elementId: 'apply', reason: expect.stringContaining("binding 'deployment'") }]);
  });

  it('should resolve a linked form of an earlier deployment, the latest one at the time of deploy', async () => {
    // given a form deployed with one model, then a newer version of it with another
    const first = { ...APPLICATION, id: 'shared' };
    const newer = { ...APPLICATION, id: 'shared', components: [{ id: 'x', type: 'checkbox', key: 'confirmed', label: 'Xác nhận', validate: { required: true } }] };
    expect((await api.as('adminA').request('POST', '/api/deployments', { raw: multipart(modelXml('cf-owner', '<zeebe:formDefinition formId="shared" />'), 'o.bpmn', [['shared.form', first]]) })).status).toBe(201);
    expect((await api.as('adminA').request('POST', '/api/deployments', { raw: multipart(modelXml('cf-owner2', '<zeebe:formDefinition formId="shared" />'), 'o2.bpmn', [['shared.form', newer]]) })).status).toBe(201);

    // when a model links it without the file
    const res = await api.as('adminA').request('POST', '/api/deployments', { raw: modelXml('cf-user', '<zeebe:formDefinition formId="shared" />'), headers: { 'content-type': 'application/xml' } });
    const task = await openTask('cf-user');
    const served = await api.as('officialA').get(`/api/tasks/${task.id}`);
    const refused = await api.as('officialA').post(`/api/tasks/${task.id}/complete`, { variables: { confirmed: false } });

    // then
    expect(res.status).toBe(201);
    expect(res.body.warnings).toEqual([]);
    expect(served.body.form).toEqual({ formKey: 'shared', kind: 'camunda-form', schema: newer });
    expect(refused.body.errors).toEqual([{ field: 'body.variables.confirmed', message: 'is required (must be checked)' }]);
  });

  it('should refuse an unusable Camunda form, all problems at once', async () => {
    // given
    const xml = modelXml('cf-bad', '<zeebe:formDefinition formId="bad" />');
    const files: Array<[string, unknown]> = [
      ['bad.form', { id: 'bad', components: [{ type: 'signature', key: 's' }] }],
      ['noid.form', { components: [] }],
    ];

    // when
    const res = await api.as('adminA').request('POST', '/api/deployments', { raw: multipart(xml, 'cf-bad.bpmn', files) });

    // then
    expect(res.status).toBe(422);
    expect(res.body.problems).toEqual([
      { elementId: 'bad', reason: "form 'bad': 's': the component type 'signature' is not supported" },
      { elementId: 'noid.form', reason: expect.stringContaining('must have an `id`') },
    ]);
  });
});
