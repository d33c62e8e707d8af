/**
 * Simulation and the token walk in the editor, in Chromium against a real server (embedded
 * PostgreSQL): an analyst opens a deployed procedure, runs a simulation, reads its figures and
 * sees the heat overlay of waiting time on the diagram (then the overlay from real history);
 * creates a procedure from the one-stop-shop template, which lints clean, and walks it token
 * by token with the appointment on the legal clock. No console error, no serious axe finding;
 * screenshots in test-artifacts/.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { addUser } from '../../api/src/auth/auth-service';
import { agencyAdmin, deployAs, openEditor, PASSWORD, screenshot, seriousAxeViolations, signIn as signInAs, useChromium, useEmbeddedApi } from './browser';

jest.setTimeout(180_000);

const TO_BE = readFileSync(path.join(__dirname, '..', '..', 'processes', 'birth-group-63-301', 'to-be.bpmn'), 'utf8');

describe('simulation and token walk (Chromium)', () => {
  const api = useEmbeddedApi();
  let page: Page;
  useChromium({ viewport: { width: 1440, height: 1000 } }, (p) => (page = p));

  beforeAll(async () => {
    // An analyst of a commune: the template's steps take the analyst's agency.
    await addUser(api.auth.users, { username: 'analyst.simulate', password: PASSWORD, roles: ['analyst'], agency: '000.01.00.H29', name: 'Phạm Thị Mô Phỏng' });
    const owner = await agencyAdmin(api, 'admin.h29.simulate', '000.01.00.H29');
    await deployAs(api, owner.token, TO_BE);
  });

  const signIn = () => signInAs(page, api.url, 'analyst.simulate');

  it('should run a simulation of a deployed procedure, show its figures and a heat overlay of waiting time, then the overlay from history', async () => {
    // given the editor of the deployed birth group
    await signIn();
    await openEditor(page, { processId: 'birth-group-63-301' }, 'birth-group-63-301-pool', 'attached');

    // when the analyst opens the simulation panel and runs it from the keyboard with 100 dossiers
    await page.getByTestId('simulate').click();
    await page.getByLabel('Số hồ sơ').fill('100');
    await page.getByLabel('Số hồ sơ').press('Enter');

    // then the figures are shown: cycle time, on-time shares, utilisation
    const figures = page.getByTestId('simulate-figures');
    await figures.locator('tr[data-figure="cycleMean"]').waitFor();
    await expect(figures.locator('caption').innerText()).resolves.toBe('Kết quả mô phỏng (100 hồ sơ)');
    await expect(figures.locator('tr[data-figure="cycleMean"] td').innerText()).resolves.toMatch(/^\d+(,\d)? ngày làm việc$/);
    await expect(figures.locator('tr[data-figure="onTimeLegal"] td').innerText()).resolves.toMatch(/^\d+(,\d)? %$/);
    expect(await figures.locator('tr[data-figure^="pool-"]').count()).toBeGreaterThan(0);
    await expect(page.locator('.simulate-plots img').count()).resolves.toBe(3);
    // and the heat overlay colours the steps, with its legend
    const overlays = page.locator('.heat-overlay');
    expect(await overlays.count()).toBeGreaterThan(0);
    const waits = (await overlays.evaluateAll((nodes) => nodes.map((n) => Number(n.getAttribute('data-wait-hours'))))) as number[];
    expect(waits.every((w) => Number.isFinite(w) && w >= 0)).toBe(true);
    await expect(page.getByTestId('heat-legend').innerText()).resolves.toContain('theo mô phỏng');
    await screenshot(page, 'simulate-01-report-heat');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // when the overlay is switched to real history (the procedure is deployed; no dossier yet)
    await page.getByLabel('theo dữ liệu thực tế').check();

    // then the legend names the history and its number of dossiers
    await page.getByTestId('heat-legend').getByText('theo dữ liệu thực tế (0 hồ sơ)', { exact: false }).waitFor();
  });

  it('should create a procedure from the template that lints clean, and walk it token by token with the appointment on the legal clock', async () => {
    // given a new procedure from the one-stop-shop template
    await signIn();
    await page.getByRole('link', { name: 'Tạo thủ tục mới từ mẫu' }).click();
    await page.locator('.djs-element[data-element-id="requestSupplement"]').waitFor({ state: 'attached' });

    // then the lint finds nothing (bpmn-js-bpmnlint's button says success)
    await page.locator('.bjsl-button.bjsl-button-success').waitFor();
    expect(await page.locator('.bjsl-overlay').count()).toBe(0);
    await screenshot(page, 'simulate-02-template');

    // when the analyst starts the token walk (its chunk loads, drawn over the canvas) and sends a dossier from the start event
    await page.getByTestId('token-walk-toggle').click();
    await page.locator('[data-testid="token-simulation"] .bts-context-pad').first().waitFor();
    const clock = page.getByTestId('legal-clock');
    await page.waitForFunction(`/\\d/.test(document.querySelector('[data-testid="legal-clock"] dd[data-figure="appointment"]')?.textContent ?? '')`);
    const appointment = await clock.locator('dd[data-figure="appointment"]').innerText();
    const receivedAt = await clock.locator('dd[data-figure="received"]').innerText();
    expect(appointment).not.toBe(receivedAt);
    // (the examination will ask for a supplement: its gateway's branch chosen on the canvas beforehand)
    await page.getByRole('button', { name: 'Đổi nhánh đi tiếp tại “Cần bổ sung?”' }).click();
    await page.getByRole('button', { name: 'Cho một hồ sơ vào tại “Tiếp nhận hồ sơ”', exact: true }).click();

    // then the legal clock moves as the token leaves the desk's receipt step
    await page.locator('[data-testid="legal-steps"] li[data-step="receive"]').waitFor({ timeout: 60_000 });
    await expect(page.locator('[data-testid="legal-steps"] li[data-step="receive"]').innerText()).resolves.toMatch(/Kiểm tra, tiếp nhận hồ sơ: 0,5 ngày làm việc, đến hạn/);
    await page.waitForFunction(`document.querySelector('[data-testid="legal-clock"] dd[data-figure="clock"]')?.textContent !== ${JSON.stringify(receivedAt)}`);
    await screenshot(page, 'simulate-03-token-walk');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // when the examination asks for a supplement and the supplement comes
    await page.locator('[data-testid="legal-steps"] li[data-step="requestSupplement"]').waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Cho hồ sơ đi tiếp tại “Nhận hồ sơ bổ sung”' }).click();

    // then the procedure's time counts anew: the appointment moves later, the former one is shown
    await page.locator('[data-testid="legal-steps"] li.moved[data-step="supplementReceived"]').waitFor({ timeout: 60_000 });
    await expect(clock.locator('dd[data-figure="moved"]').innerText()).resolves.toBe(appointment);
    const moved = await clock.locator('dd[data-figure="appointment"]').innerText();
    expect(moved).not.toBe(appointment);
    await screenshot(page, 'simulate-04-appointment-moved');
  });
});
