/**
 * The analysts' modeler in Chromium against a real server (embedded PostgreSQL):
 * sign in, open a procedure, edit a one-stop-shop fact and watch the lint finding
 * come and go, deploy and see the new version, open a broken model from disk and see
 * the deployment's problems on its elements. No console error, no serious axe finding.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { addUser } from '../../api/src/auth/auth-service';
import { agencyAdmin, grantAnalyst, openEditor, PASSWORD, screenshot, seriousAxeViolations, signIn as signInAs, useChromium, useEmbeddedApi } from './browser';

jest.setTimeout(120_000);

const REFERENCE = readFileSync(path.join(__dirname, '..', '..', 'processes', 'reference', 'to-be.bpmn'), 'utf8');
const BROKEN = readFileSync(path.join(__dirname, 'fixtures', 'broken.bpmn'));

/** The lint finding of our rule on an element (bpmn-js-bpmnlint's overlay). */
const statutoryTimeFinding = (page: Page, elementId: string) => page.locator(`.djs-overlays[data-container-id="${elementId}"] .bjsl-overlay`, { hasText: 'thời hạn' });

describe('modeler (Chromium)', () => {
  const api = useEmbeddedApi();
  const expectedFailures = { current: [] as RegExp[] };
  let page: Page;
  useChromium({ viewport: { width: 1440, height: 900 }, expectedFailures }, (p) => (page = p));

  beforeAll(async () => {
    const analyst = await addUser(api.auth.users, { username: 'analyst.web', password: PASSWORD, roles: ['analyst'], name: 'Nguyễn Thị Phân Tích' });
    const deployed = await api.as('analyst').request('POST', '/api/deployments?resourceName=to-be.bpmn', { raw: REFERENCE, headers: { 'content-type': 'application/xml' } });
    expect(deployed.status).toBe(201);
    // The procedure belongs to its agency: its admin lets the analyst deploy new versions of it.
    const owner = await agencyAdmin(api, 'admin.h29.web', '000.00.15.H29');
    await grantAnalyst(api, owner.token, 'reference', analyst.id);
  });

  const signIn = () => signInAs(page, api.url, 'analyst.web');

  it('should edit a step, show and clear its lint finding, deploy and list the new version', async () => {
    // given the sign-in page
    await page.goto(api.url);
    await page.getByRole('heading', { name: 'Đăng nhập' }).waitFor();
    await screenshot(page, '01-login');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // when a wrong password is typed, the page says so (the 401 is expected)
    expectedFailures.current = [/\/api\/auth\/login/];
    await page.getByLabel('Tên đăng nhập').fill('analyst.web');
    await page.getByLabel('Mật khẩu').fill('not-the-password');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'Đăng nhập không thành công' }).waitFor();
    expectedFailures.current = [];

    // when the analyst signs in
    await signIn();
    const row = page.locator('tr[data-process-id="reference"]');
    await row.waitFor();
    await screenshot(page, '02-procedures');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // and opens the reference procedure (no diagram in its XML: laid out on opening)
    const examine = await openEditor(page, { processId: 'reference', name: 'Quy trình tham chiếu (mẫu)' }, 'examine');

    // then our rule reports the step without a statutory time
    await statutoryTimeFinding(page, 'examine').waitFor({ state: 'attached' });

    // when the step is selected by clicking it and its statutory time is set in "Một cửa"
    await examine.click();
    await page.locator('.bio-properties-panel-group-header', { hasText: 'Một cửa' }).click();
    const statutoryTime = page.locator('#bio-properties-panel-motcua-statutoryTime');
    await statutoryTime.fill('1.5');

    // then the finding disappears
    await statutoryTimeFinding(page, 'examine').waitFor({ state: 'detached' });
    await screenshot(page, '03-editor-fact-set');

    // when the value is cleared, it comes back; undo (keyboard) restores the value and clears it again
    await statutoryTime.fill('');
    await statutoryTimeFinding(page, 'examine').waitFor({ state: 'attached' });
    await examine.click();
    await page.getByRole('button', { name: 'Hoàn tác' }).click();
    await statutoryTimeFinding(page, 'examine').waitFor({ state: 'detached' });
    await examine.click();
    await expect(statutoryTime.inputValue()).resolves.toBe('1.5');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // when the analyst deploys (from the keyboard)
    await page.getByTestId('deploy').focus();
    await page.keyboard.press('Enter');

    // then version 2 is deployed with the fact, and listed
    await page.getByRole('status').filter({ hasText: 'phiên bản 2' }).waitFor();
    await page.locator('[data-testid="versions"] li[data-version="2"]').waitFor();
    await screenshot(page, '04-editor-deployed');
    const latest = await api.as('analyst').get('/api/definitions?processId=reference');
    expect(latest.body.items[0].version).toBe(2);
    const xml = await api.as('analyst').get(`/api/definitions/${latest.body.items[0].id}/xml`);
    expect(xml.text).toMatch(/<motcua:facts statutoryTime="1.5"/);

    // and the diagram downloads as BPMN, SVG and PNG
    const downloaded = async (label: string) => {
      const event = page.waitForEvent('download');
      await page.getByRole('button', { name: label }).click();
      const file = await event;
      return { name: file.suggestedFilename(), content: readFileSync((await file.path())!) };
    };
    const bpmn = await downloaded('Tải BPMN');
    expect(bpmn.name).toBe('reference.bpmn');
    expect(bpmn.content.toString('utf8')).toMatch(/<bpmndi:BPMNShape id="examine_di"/);
    const svg = await downloaded('Tải SVG');
    expect(svg.content.toString('utf8')).toMatch(/^<\?xml[\s\S]*<svg/);
    const png = await downloaded('Tải PNG');
    expect(png.content.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  });

  it('should show the problems of a refused deployment on the elements they name', async () => {
    // given a broken model opened from disk
    await signIn();
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('link', { name: 'Mở tệp .bpmn…' }).click();
    await (await chooser).setFiles({ name: 'broken.bpmn', mimeType: 'application/xml', buffer: BROKEN });
    await page.locator('.djs-element[data-element-id="check"]').waitFor();

    // when it is deployed (the refusal is an expected HTTP 422)
    expectedFailures.current = [/\/api\/deployments/];
    await page.getByTestId('deploy').click();

    // then each problem is marked on its element and listed
    await page.locator('.djs-element.motcua-problem[data-element-id="check"]').waitFor();
    await page.locator('.djs-element.motcua-problem[data-element-id="notify"]').waitFor();
    const listed = await page.locator('[data-testid="problems"] li').evaluateAll((items) => items.map((li) => li.getAttribute('data-element-id')));
    expect(listed).toEqual(expect.arrayContaining(['check', 'notify']));
    await expect(page.locator('[data-testid="problems"]').textContent()).resolves.toMatch(/without a target variable/);
    await screenshot(page, '05-editor-problems');
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('should serve the app with revalidated HTML, immutable bundles and a strict CSP', async () => {
    // when the page and its bundle are fetched
    const index = await fetch(`${api.url}/`);
    const html = await index.text();
    const bundle = /src="\/(main-[A-Z0-9]{8}\.js)"/.exec(html)?.[1];
    const script = await fetch(`${api.url}/${bundle}`);
    const missing = await api.as('anonymous').get('/no-such-file.js');

    // then
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toMatch(/script-src 'self'[;]/);
    expect(index.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(script.status).toBe(200);
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('should start a new procedure from the one-stop-shop template and keep it as a draft across a reload', async () => {
    await signIn();
    await page.getByRole('link', { name: 'Tạo thủ tục mới từ mẫu' }).click();
    for (const id of ['receive', 'process', 'sign', 'returnResult']) await page.locator(`.djs-element[data-element-id="${id}"]`).waitFor();
    await page.locator('.djs-element[data-element-id="lane_unit"]').waitFor();

    // the properties panel speaks Vietnamese too
    await page.locator('.djs-element[data-element-id="process"]').click();
    await page.locator('.bio-properties-panel-group-header', { hasText: 'Phân công' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);

    // when a fact is edited and the draft saved, then the page reloaded
    await page.locator('.bio-properties-panel-group-header', { hasText: 'Một cửa' }).click();
    await page.locator('#bio-properties-panel-motcua-dossierStatus').fill('appraising');
    await page.locator('.djs-element[data-element-id="sign"]').click();
    await page.getByTestId('save-draft').click();
    await page.getByRole('status').filter({ hasText: 'Đã lưu nháp' }).waitFor();
    await page.reload();
    await page.getByRole('link', { name: 'Danh sách thủ tục' }).click();

    // then the draft is listed, and opens with the edit
    const draftLink = page.locator('[data-testid="drafts"] li a', { hasText: 'Thủ tục mới' });
    await draftLink.waitFor();
    await screenshot(page, '07-procedures-with-draft');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await draftLink.click();
    await page.locator('.djs-element[data-element-id="process"]').click();
    await page.locator('.bio-properties-panel-group-header', { hasText: 'Một cửa' }).click();
    await expect(page.locator('#bio-properties-panel-motcua-dossierStatus').inputValue()).resolves.toBe('appraising');
    await screenshot(page, '06-editor-template');
  });
});
