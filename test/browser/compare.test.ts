/**
 * The compare page in Chromium against a real server (embedded PostgreSQL): an analyst
 * opens the comparison of the birth group from the procedures page and sees the figures
 * of the as-is and the to-be with the diagrams side by side; then compares two deployed
 * versions from the keyboard and sees the changed step highlighted on both diagrams.
 * No console error, no serious axe finding; screenshots in test-artifacts/.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { addUser } from '../../api/src/auth/auth-service';
import { agencyAdmin, deployAs, openEditor, PASSWORD, screenshot, seriousAxeViolations, signIn as signInAs, useChromium, useEmbeddedApi } from './browser';

jest.setTimeout(120_000);

const TO_BE = readFileSync(path.join(__dirname, '..', '..', 'processes', 'birth-group-63-301', 'to-be.bpmn'), 'utf8');
/** Version 2: the examination takes 8 hours instead of 16. */
const TO_BE_V2 = TO_BE.replace('statutoryTime="16" timeUnit="hours"', 'statutoryTime="8" timeUnit="hours"');

/** The cells of one figure's row: label, before, after, change. */
async function figure(page: Page, key: string): Promise<string[]> {
  return page.locator(`[data-testid="figures"] tr[data-figure="${key}"]`).locator('th, td').allInnerTexts();
}

describe('compare page (Chromium)', () => {
  const api = useEmbeddedApi();
  let page: Page;
  useChromium({ viewport: { width: 1440, height: 900 } }, (p) => (page = p));

  beforeAll(async () => {
    await addUser(api.auth.users, { username: 'analyst.compare', password: PASSWORD, roles: ['analyst'], name: 'Trần Thị So Sánh' });
    // Two versions deployed by the admin of the commune the model names (who owns the process id).
    const owner = await agencyAdmin(api, 'admin.h29.compare', '000.01.00.H29');
    for (const xml of [TO_BE, TO_BE_V2]) await deployAs(api, owner.token, xml);
  });

  const signIn = () => signInAs(page, api.url, 'analyst.compare');

  it("should open the comparison from the procedures page and show the as-is and the to-be's figures beside both diagrams", async () => {
    // given the procedures page
    await signIn();

    // when the analyst opens the comparison of the birth group, then chooses the library's to-be
    await page.locator('tr[data-process-id="birth-group-63-301"]').getByRole('link', { name: 'So sánh' }).click();
    await page.getByRole('heading', { name: /^So sánh mô hình: Liên thông khai sinh/ }).waitFor();
    await page.locator('tr[data-figure="steps"]').waitFor();
    await page.getByLabel('Sau', { exact: true }).selectOption('to-be');
    await page.getByRole('button', { name: 'So sánh', exact: true }).click();
    await page.getByRole('heading', { name: 'Sau: birth-group-63-301 to-be' }).waitFor();

    // then the figures are the as-is → to-be ones, in Vietnamese
    expect(await figure(page, 'criticalPathDays')).toEqual(['Ngày làm việc theo luật trên đường găng', '13', '3', '-76,9 %']);
    expect(await figure(page, 'deskVisits')).toEqual(['Số lần đến nơi tiếp nhận', '6', '0', '-100 %']);
    expect(await figure(page, 'documents')).toEqual(['Giấy tờ yêu cầu người dân', '9', '2', '-77,8 %']);
    expect(await figure(page, 'agencyHandOffs')).toEqual(['Chuyển giao giữa các cơ quan', '2', '4', '+100 %']);
    // both diagrams are drawn, the as-is steps marked removed and the to-be steps added
    await page.locator('[data-testid="canvas-before"] .djs-element.compare-removed[data-element-id="b1"]').waitFor({ state: 'attached' });
    await page.locator('[data-testid="canvas-after"] .djs-element.compare-added[data-element-id="handoffFork"]').waitFor({ state: 'attached' });
    await expect(page.getByRole('status').innerText()).resolves.toContain('không có mã phần tử chung');
    expect(page.url()).toContain('#/compare/birth-group-63-301?before=as-is&after=to-be');
    await screenshot(page, 'compare-01-as-is-to-be');
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('should open the comparison from the editor, compare two deployed versions from the keyboard and highlight the changed step on both diagrams, in English', async () => {
    // given the compare page in English
    await signIn();
    await page.getByLabel('Ngôn ngữ').selectOption('en');
    // reached from the editor of the procedure: its versions end with a link to compare them
    await openEditor(page, { processId: 'birth-group-63-301' }, 'examine');
    await page.getByTestId('compare-link').click();
    await page.locator('tr[data-figure="steps"]').waitFor();

    // when version 1 is chosen before (version 2, the latest, is after by default) with the keyboard
    const before = page.getByLabel('Before', { exact: true });
    await before.focus();
    const options = await before.locator('option').allInnerTexts();
    const v1 = options.findIndex((o) => o.startsWith('Version v1'));
    for (let i = 0; i < v1; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab'); // to "After"
    await page.keyboard.press('Tab'); // to "Compare"
    await expect(page.evaluate('document.activeElement.textContent')).resolves.toBe('Compare');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Before: birth-group-63-301 v1' }).waitFor();
    await page.getByRole('heading', { name: 'After: birth-group-63-301 v2' }).waitFor();

    // then the examination is the one change, marked on both diagrams and listed
    for (const side of ['before', 'after']) await page.locator(`[data-testid="canvas-${side}"] .djs-element.compare-changed[data-element-id="examine"]`).waitFor({ state: 'attached' });
    expect(await figure(page, 'elementsChanged')).toEqual(['Elements changed', '', '1', '']);
    expect(await figure(page, 'criticalPathDays')).toEqual(['Statutory working days on the critical path', '3', '2.67', '-11.1 %']);
    await expect(page.locator('[data-testid="elements"] li[data-element-id="examine"]').innerText()).resolves.toContain('facts.statutoryTime: 16 → 8');
    await screenshot(page, 'compare-02-versions');
    expect(await seriousAxeViolations(page)).toEqual([]);
  });
});
