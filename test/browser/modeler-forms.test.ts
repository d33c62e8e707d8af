/**
 * Forms in the modeler (issue 18), in Chromium against a real server (embedded PostgreSQL):
 * select a user task, open the form-js editor, add a field from the keyboard, preview and
 * check it, apply, deploy; then the task the API serves carries that form, and a completion
 * without the field is refused by the server as form-js refuses it in the preview.
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { addUser, principalOf } from '../../api/src/auth/auth-service';
import { processXml } from '../api/harness';
import { agencyAdmin, grantAnalyst, openEditor, PASSWORD, screenshot, seriousAxeViolations, signIn, useChromium, useEmbeddedApi } from './browser';

jest.setTimeout(180_000);

const REFERENCE = readFileSync(path.join(__dirname, '..', '..', 'processes', 'reference', 'to-be.bpmn'), 'utf8');

describe('modeler forms (Chromium)', () => {
  const api = useEmbeddedApi();
  let page: Page;
  useChromium({ viewport: { width: 1440, height: 900 } }, (p) => (page = p));
  let analystToken: string;

  let grant: (processId: string) => Promise<void>;
  beforeAll(async () => {
    const analyst = await addUser(api.auth.users, { username: 'analyst.forms', password: PASSWORD, roles: ['analyst'], name: 'Nguyễn Thị Biểu Mẫu' });
    const deployed = await api.as('analyst').request('POST', '/api/deployments?resourceName=to-be.bpmn', { raw: REFERENCE, headers: { 'content-type': 'application/xml' } });
    expect(deployed.status).toBe(201);
    const owner = await agencyAdmin(api, 'admin.h29.forms', '000.00.15.H29');
    analystToken = (await api.auth.issueToken(principalOf(analyst))).token;
    grant = (processId: string) => grantAnalyst(api, owner.token, processId, analyst.id);
    await grant('reference');
  });

  it('should design a user task form, preview it, deploy it with the model, and have the API serve and enforce it', async () => {
    // given the reference procedure open in the editor
    await signIn(page, api.url, 'analyst.forms');
    const examine = await openEditor(page, { processId: 'reference', name: 'Quy trình tham chiếu (mẫu)' }, 'examine');

    // when the user task is selected and its form opened
    await examine.click();
    await page.getByTestId('edit-form').click();
    const dialog = page.getByRole('dialog', { name: 'Biểu mẫu của bước “Examine dossier”' });
    await dialog.waitFor();
    await dialog.locator('.fjs-palette-field[data-field-type="textfield"]').waitFor();

    // and a text field is added from the keyboard (palette entry + Enter), then made required
    await dialog.locator('.fjs-palette-field[data-field-type="textfield"]').focus();
    await page.keyboard.press('Enter');
    const field = dialog.locator('.fjs-editor-container .fjs-form-field-textfield');
    await field.first().waitFor();
    await field.first().click();
    const required = dialog.locator('.fjs-properties-container input[type="checkbox"][name="required"]');
    if (!(await required.isVisible())) await dialog.locator('.fjs-properties-container .bio-properties-panel-group-header', { hasText: 'Kiểm tra hợp lệ' }).click();
    await required.check();
    expect(await required.isChecked()).toBe(true);
    await screenshot(page, 'forms-01-editor');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // and previewed: checking the empty form shows form-js's error
    await dialog.getByRole('tab', { name: 'Xem trước' }).click();
    await dialog.getByTestId('form-preview').locator('.fjs-form-field-textfield input').waitFor();
    await dialog.getByTestId('form-preview-check').click();
    await dialog.getByRole('status').filter({ hasText: 'Có 1 trường chưa hợp lệ.' }).waitFor();
    await screenshot(page, 'forms-02-preview');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // and applied, then the model deployed
    await dialog.getByTestId('form-apply').click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: 'Examine dossier' }).waitFor();

    // and reopened from the keyboard (the task is still selected): the form is there; Escape closes it unchanged
    await page.locator('.properties .bio-properties-panel-header-label', { hasText: 'Examine dossier' }).waitFor();
    await page.getByTestId('edit-form').focus();
    await page.keyboard.press('Enter');
    await dialog.locator('.fjs-editor-container .fjs-form-field-textfield').waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // and the draft keeps the form (embedded in the model)
    await page.getByTestId('save-draft').click();
    await page.getByRole('status').filter({ hasText: 'Đã lưu nháp' }).waitFor();
    const drafts = (await (await fetch(`${api.url}/api/drafts`, { headers: { authorization: `Bearer ${analystToken}` } })).json()) as any;
    const draft = (await (await fetch(`${api.url}/api/drafts/${drafts.items[0].id}`, { headers: { authorization: `Bearer ${analystToken}` } })).json()) as any;
    expect(draft.xml).toMatch(/<zeebe:userTaskForm id="UserTaskForm_examine">[^<]*textfield/);
    expect(draft.xml).toMatch(/<zeebe:formDefinition formKey="camunda-forms:bpmn:UserTaskForm_examine"/);
    await page.getByTestId('deploy').click();
    await page.getByRole('status').filter({ hasText: 'phiên bản 2' }).waitFor();

    // then the new version's task is served with the form, and the server enforces it
    const official = await addUser(api.auth.users, { username: 'desk.h29.forms', password: PASSWORD, roles: ['official'], agency: '000.00.15.H29', groups: ['desk'], name: 'Phạm Thu Hà' });
    const { token } = await api.auth.issueToken(principalOf(official));
    const asOfficial = (path: string, init: RequestInit = {}) =>
      fetch(`${api.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers as Record<string, string>) } });
    const { instanceId } = await api.engine.startInstance({ processId: 'reference' });
    const task = (await api.openTasks(instanceId)).find((t) => t.elementId === 'examine')!;
    const served = (await (await asOfficial(`/api/tasks/${task.id}`)).json()) as any;
    expect(served.form).toMatchObject({ formKey: 'camunda-forms:bpmn:UserTaskForm_examine', kind: 'camunda-form' });
    const [textfield] = served.form.schema.components;
    expect(textfield).toMatchObject({ type: 'textfield', validate: { required: true } });
    const refused = await asOfficial(`/api/tasks/${task.id}/complete`, { method: 'POST', body: JSON.stringify({ variables: {} }) });
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as any).errors).toEqual([{ field: `body.variables.${textfield.key}`, message: `must have required property '${textfield.key}'` }]);
  });

  it('should edit a linked form of a deployed version and deploy the .form file with the model', async () => {
    // given a process whose task links a Camunda form, deployed with its .form file
    const form = { id: 'examine-form', type: 'default', schemaVersion: 16, components: [{ id: 'name', type: 'textfield', key: 'name', label: 'Họ và tên' }] };
    const xml = processXml({ id: 'linked-form', agency: '000.00.15.H29', tasks: [{ id: 'examine', groups: 'desk' }] }).replace(
      '<zeebe:assignmentDefinition candidateGroups="desk" />',
      '<zeebe:assignmentDefinition candidateGroups="desk" /><zeebe:formDefinition formId="examine-form" />',
    );
    const body = new FormData();
    body.append('bpmn', new Blob([xml]), 'linked-form.bpmn');
    body.append('forms', new Blob([JSON.stringify(form)]), 'examine-form.form');
    const first = await api.as('analyst').request('POST', '/api/deployments', { raw: body });
    expect(first.status).toBe(201);
    // the process belongs to the agency named in its model; its admin lets the analyst deploy new versions
    await grant('linked-form');

    // when the analyst opens it, adds a number field to the linked form and deploys
    await signIn(page, api.url, 'analyst.forms');
    const examine = await openEditor(page, { url: api.url, definitionId: first.body.definitions[0].id }, 'examine');
    await examine.click();
    // (this time from the properties panel's form group)
    await page.locator('.properties .bio-properties-panel-group-header', { hasText: 'Biểu mẫu' }).click();
    await page.getByTestId('panel-edit-form').waitFor();
    await screenshot(page, 'forms-03-panel-button');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByTestId('panel-edit-form').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Biểu mẫu liên kết “examine-form”').waitFor();
    await dialog.locator('.fjs-editor-container .fjs-form-field-textfield').waitFor();
    await dialog.locator('.fjs-palette-field[data-field-type="number"]').focus();
    await page.keyboard.press('Enter');
    await dialog.locator('.fjs-editor-container .fjs-form-field-number').waitFor();
    await dialog.getByTestId('form-apply').click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('deploy').click();
    await page.getByRole('status').filter({ hasText: 'phiên bản 2' }).waitFor();
    await screenshot(page, 'forms-04-linked-deployed');

    // then the new deployment carries the edited .form
    const latest = (await api.as('analyst').get('/api/definitions?processId=linked-form')).body.items[0];
    expect(latest.version).toBe(2);
    const deployed = await api.as('analyst').get(`/api/deployments/${latest.deploymentId}/forms/examine-form`);
    expect(deployed.body).toMatchObject({ formKey: 'examine-form', kind: 'camunda-form' });
    expect(deployed.body.schema.components.map((c: { type: string }) => c.type)).toEqual(['textfield', 'number']);
  });
});
