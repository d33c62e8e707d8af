/**
 * The token walk from the keyboard only, in Chromium against a real server (embedded
 * PostgreSQL): an analyst creates a procedure from the one-stop-shop template, tabs to the
 * toolbar's "Đi từng bước" and presses Enter (the token simulation's chunk loads and is drawn
 * over the canvas), finds every control of the simulation named in Vietnamese, tabs to the
 * gateway's branch button and to the start event's ▶ and presses Enter, watches the legal clock
 * move, pauses and resumes with P, opens the log with L, resets with R and leaves with Esc;
 * switched to English, finds the same controls named in English. No pointer event is used
 * for the walk (the language is chosen with selectOption). No console error, no serious axe finding with the simulation on;
 * screenshots in test-artifacts/.
 */
import type { Locator, Page } from 'playwright-core';
import { addUser } from '../../api/src/auth/auth-service';
import { PASSWORD, screenshot, seriousAxeViolations, useChromium, useEmbeddedApi } from './browser';

jest.setTimeout(180_000);

describe('token walk from the keyboard (Chromium)', () => {
  const api = useEmbeddedApi();
  let page: Page;
  useChromium({ viewport: { width: 1440, height: 1000 } }, (p) => (page = p));

  beforeAll(async () => {
    await addUser(api.auth.users, { username: 'analyst.keyboard', password: PASSWORD, roles: ['analyst'], agency: '000.01.00.H29', name: 'Trần Văn Bàn Phím' });
  });

  /** Presses Tab until `target` has the focus (fails after `max` presses): how a keyboard user gets there. */
  async function tabTo(target: Locator, max = 150): Promise<void> {
    const handle = await target.elementHandle();
    for (let presses = 0; presses < max; presses++) {
      if (await handle!.evaluate((element: unknown) => (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement === element)) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`${target} was not reached with ${max} presses of Tab`);
  }

  // (page code as strings: the tests compile without the DOM's types)
  const focusedName = () => page.evaluate(`document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent?.trim() ?? ''`);
  const inert = (selector: string) => page.evaluate(`document.querySelector(${JSON.stringify(selector)}).inert`);

  it('should walk a procedure token by token with the keyboard only, every control named in Vietnamese', async () => {
    // given an analyst signed in, on a new procedure from the template (all from the keyboard)
    await page.goto(api.url);
    await page.getByLabel('Tên đăng nhập').focus();
    await page.keyboard.type('analyst.keyboard');
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Thủ tục' }).waitFor();
    await tabTo(page.getByRole('link', { name: 'Tạo thủ tục mới từ mẫu' }));
    await page.keyboard.press('Enter');
    await page.locator('.djs-element[data-element-id="requestSupplement"]').waitFor({ state: 'attached' });
    await page.locator('.bjsl-button.bjsl-button-success').waitFor();

    // when the analyst tabs to "Đi từng bước" and presses Enter
    const toggle = page.getByRole('button', { name: 'Đi từng bước', exact: true });
    await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('false');
    await tabTo(toggle);
    await page.keyboard.press('Enter');

    // then the simulation is drawn over the canvas, has the focus, and the toolbar button is pressed
    const simulation = page.getByRole('region', { name: 'Sơ đồ mô phỏng đi từng bước' });
    await simulation.locator('.bts-context-pad').first().waitFor();
    await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('true');
    await expect(page.evaluate(`Boolean(document.activeElement?.closest('[data-testid="token-simulation"]'))`)).resolves.toBe(true);
    // and the editor under it cannot be reached meanwhile (its canvas and properties panel are inert)
    await expect(inert('.canvas > .bjs-container')).resolves.toBe(true);
    await expect(inert('aside.properties')).resolves.toBe(true);

    // and every control says in Vietnamese what it does, and on which step
    await simulation.getByRole('button', { name: 'Thoát chế độ đi từng bước' }).waitFor();
    await expect(simulation.getByRole('button', { name: 'Thoát chế độ đi từng bước' }).innerText()).resolves.toContain('Đi từng bước');
    for (const name of ['Chạy tiếp', 'Đặt lại', 'Nhật ký mô phỏng', 'Tốc độ: chậm', 'Tốc độ: vừa', 'Tốc độ: nhanh', 'Cho một hồ sơ vào tại “Tiếp nhận hồ sơ”', 'Đổi nhánh đi tiếp tại “Cần bổ sung?”', 'Đặt điểm dừng tại “Kiểm tra, tiếp nhận hồ sơ”']) {
      await expect(simulation.getByRole('button', { name, exact: true }).count()).resolves.toBeGreaterThan(0);
    }
    await page.getByRole('button', { name: '▶ Cho một hồ sơ vào tại “Tiếp nhận hồ sơ”' }).waitFor();
    // (nothing of the package's English is left in a name or a tooltip, and every button has a name)
    const leftovers = await page.evaluate(`[...document.querySelectorAll('[data-testid="token-simulation"] :is(button, [role="button"], [title], [aria-label])')]
      .map((e) => (e.getAttribute('aria-label') ?? '') + ' ' + (e.getAttribute('title') ?? '') + (e.matches('button, [role="button"]') && !e.getAttribute('aria-label') && !e.getAttribute('title') && !e.textContent.trim() ? ' (no name)' : ''))
      .filter((text) => /Trigger|Sequence Flow|pause point|Simulation|Token|animation speed|Close|[(]no name[)]/.test(text))`);
    expect(leftovers).toEqual([]);
    await screenshot(page, 'token-walk-keyboard-01-on');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // when the analyst tabs to the examination gateway's branch button and presses Enter (the supplement branch),
    await tabTo(simulation.getByRole('button', { name: 'Đổi nhánh đi tiếp tại “Cần bổ sung?”' }));
    await page.keyboard.press('Enter');
    // then tabs to the start event's ▶ and presses Enter
    await tabTo(simulation.getByRole('button', { name: 'Cho một hồ sơ vào tại “Tiếp nhận hồ sơ”', exact: true }));
    await expect(focusedName()).resolves.toBe('Cho một hồ sơ vào tại “Tiếp nhận hồ sơ”');
    await page.keyboard.press('Enter');

    // then the token walks: the legal clock moves as it leaves the desk's receipt step
    const steps = page.getByTestId('legal-steps');
    await steps.locator('li[data-step="receive"]').waitFor({ timeout: 60_000 });
    await expect(steps.locator('li[data-step="receive"]').innerText()).resolves.toMatch(/Kiểm tra, tiếp nhận hồ sơ: 0,5 ngày làm việc, đến hạn/);
    await steps.locator('li[data-step="requestSupplement"]').waitFor({ timeout: 60_000 });

    // when P is pressed: the walk pauses (the palette's button now offers to resume, the panel's too)
    await page.keyboard.press('p');
    await simulation.getByRole('button', { name: 'Chạy tiếp', exact: true }).waitFor();
    await expect(page.getByTestId('walk-pause').innerText()).resolves.toBe('Chạy tiếp');
    await simulation.locator('.bts-notification').filter({ hasText: 'Đã tạm dừng' }).first().waitFor();
    // and P again resumes it
    await page.keyboard.press('p');
    await simulation.getByRole('button', { name: 'Tạm dừng', exact: true }).waitFor();

    // when L is pressed: the log opens, in Vietnamese
    await page.keyboard.press('l');
    const log = simulation.locator('.bts-log');
    await expect(log.isVisible()).resolves.toBe(true);
    await expect(log.locator('.bts-header').innerText()).resolves.toContain('Nhật ký mô phỏng');
    await expect(log.innerText()).resolves.toContain('Hồ sơ bắt đầu');
    await expect(log.innerText()).resolves.toContain('Kiểm tra, tiếp nhận hồ sơ');
    await log.getByRole('button', { name: 'Đóng nhật ký' }).waitFor();
    await screenshot(page, 'token-walk-keyboard-02-walking-log');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // when R is pressed: the walk starts over (no step on the legal clock, no dossier on the diagram)
    await page.keyboard.press('r');
    await page.waitForFunction(`document.querySelectorAll('[data-testid="legal-steps"] li').length === 0`);
    await simulation.locator('.bts-notification').filter({ hasText: 'Đã đặt lại' }).first().waitFor();
    await expect(simulation.locator('.bts-token-count').count()).resolves.toBe(0);

    // when Esc is pressed: the walk ends, the editor is back and the focus returns to the toolbar button
    await page.keyboard.press('Escape');
    await simulation.waitFor({ state: 'detached' });
    await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('false');
    await expect(focusedName()).resolves.toBe('Đi từng bước');
    await expect(inert('.canvas > .bjs-container')).resolves.toBe(false);
    await expect(page.getByTestId('token-walk').isHidden()).resolves.toBe(true);
    await expect(page.getByRole('status').first().innerText()).resolves.toBe('Đã thoát chế độ đi từng bước: có thể soạn thảo tiếp.');
    await screenshot(page, 'token-walk-keyboard-03-back-to-editing');

    // when the app is switched to English (its second language) and the walk opened again
    await page.getByLabel('Ngôn ngữ').selectOption('en');
    await page.locator('.djs-element[data-element-id="requestSupplement"]').waitFor({ state: 'attached' });
    const english = page.getByRole('button', { name: 'Walk step by step', exact: true });
    await tabTo(english);
    await page.keyboard.press('Enter');

    // then the simulation's controls speak English
    const region = page.getByRole('region', { name: 'Step-by-step simulation diagram' });
    await region.locator('.bts-context-pad').first().waitFor();
    for (const name of ['Leave the step-by-step walk', 'Resume', 'Reset', 'Simulation log', 'Speed: slow', 'Let a dossier in at “Dossier received”', 'Change the branch taken at “Supplement needed?”']) {
      await expect(region.getByRole('button', { name, exact: true }).count()).resolves.toBeGreaterThan(0);
    }
    await page.keyboard.press('Escape');
    await region.waitFor({ state: 'detached' });
  });
});
