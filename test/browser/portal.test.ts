/**
 * The citizens' portal in Chromium against a real server (embedded PostgreSQL, the dossier
 * layer on, the library's birth registration deployed with its forms and in the catalogue):
 *
 * - a citizen signs in and lands on the portal; the birth registration is offered online with
 *   its agency, time and fee; the submission says what is missing (required documents, a
 *   malformed e-mail address) in Vietnamese, then sends: the dossier's code, its tracking
 *   secret and the tracking page's address are shown; meanwhile the commune's desk official,
 *   on the inbox, sees the dossier's first task arrive without a reload; the citizen's list
 *   shows the dossier waiting for reception; the desk, opening the task, must accept (or send
 *   back) the online dossier before the step's form opens; the citizen then sees it received;
 * - the citizen withdraws it, with a reason: the list says so and offers no second withdrawal;
 * - no console error, no serious axe finding; screenshots test-artifacts/portal-*.png.
 */
import type { Page } from 'playwright-core';
import { addUser } from '../../api/src/auth/auth-service';
import { deployLibraryProcedure, loadLibrary } from '../api/dossier-e2e-support';
import { PASSWORD, screenshot, seriousAxeViolations, useChromium, useEmbeddedApi } from './browser';

jest.setTimeout(180_000);

describe('the citizens’ portal (Chromium, 1366×768)', () => {
  const api = useEmbeddedApi();
  let page: Page;
  useChromium({ viewport: { width: 1366, height: 768 } }, (p) => {
    page = p;
  });
  let code: string;

  beforeAll(async () => {
    await deployLibraryProcedure(api, 'birth-registration');
    await loadLibrary(api, ['birth-registration']);
    await addUser(api.auth.users, { username: 'dan.portal', password: PASSWORD, roles: ['citizen'], name: 'Đỗ Thị Mai (công dân)' });
    await addUser(api.auth.users, { username: 'xa.motcua.portal', password: PASSWORD, roles: ['official'], agency: '000.01.00.H29', groups: ['desk'], name: 'Nguyễn Thị Hồng' });
  });

  const signIn = async (on: Page, username: string, heading: string) => {
    await on.goto(`${api.url}/#/login`);
    await on.getByLabel('Tên đăng nhập').fill(username);
    await on.getByLabel('Mật khẩu').fill(PASSWORD);
    await on.keyboard.press('Enter');
    await on.getByRole('heading', { name: heading, exact: true }).waitFor();
  };

  it('submits a birth registration online; the desk sees it arrive; the citizen sees it waiting', async () => {
    // given the desk official on the inbox, live
    const desk = await page.context().browser()!.newPage({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN' });
    try {
      await signIn(desk, 'xa.motcua.portal', 'Hộp việc');
      await desk.locator('[data-testid="live"][data-state="on"]').waitFor();

      // when the citizen signs in, then the portal offers the birth registration online
      await signIn(page, 'dan.portal', 'Hồ sơ của tôi');
      const card = page.locator('[data-procedure="birth-registration"]');
      await card.waitFor();
      const facts = await card.innerText();
      expect(facts).toContain('Đăng ký khai sinh');
      expect(facts).toContain('UBND xã Minh An');
      expect(facts).toContain('8 giờ làm việc (trong ngày)');
      expect(facts).toContain('Miễn phí');
      await screenshot(page, 'portal-01-home');
      expect(await seriousAxeViolations(page)).toEqual([]);

      // when the citizen opens it and sends at once, then the missing required documents are named
      await card.getByRole('link', { name: 'Nộp hồ sơ' }).click();
      await page.getByRole('heading', { name: 'Đăng ký khai sinh' }).waitFor();
      await expect(page.getByLabel('Họ, chữ đệm và tên').inputValue()).resolves.toBe('Đỗ Thị Mai');
      await page.locator('[data-testid="send"]').click();
      await expect(page.locator('.form-error[role="alert"]').last().innerText()).resolves.toBe('Còn thiếu giấy tờ bắt buộc: Tờ khai đăng ký khai sinh; Giấy chứng sinh.');
      // and with the documents ticked but a malformed e-mail address, that field says so
      await page.getByLabel('Tờ khai đăng ký khai sinh').check();
      await page.getByLabel('Giấy chứng sinh').check();
      await page.getByLabel('Thư điện tử').fill('mai@');
      await page.locator('[data-testid="send"]').click();
      await expect(page.locator('.form-field[data-key="email"] .field-error').innerText()).resolves.toBe('Địa chỉ thư điện tử không hợp lệ.');
      await screenshot(page, 'portal-02-submission');
      expect(await seriousAxeViolations(page)).toEqual([]);

      // when corrected and sent
      await page.getByLabel('Thư điện tử').fill('mai@example.vn');
      await page.getByLabel('Số định danh cá nhân').fill('001190012345');
      await page.locator('[data-testid="send"]').click();

      // then the dossier's code and tracking secret are shown, with the tracking page's address
      await page.locator('[data-testid="sent"]').waitFor();
      code = await page.locator('[data-testid="code"]').innerText();
      expect(code).toMatch(/^000\.01\.00\.H29-\d{6}-\d{4}$/);
      const secret = await page.locator('[data-testid="secret"]').innerText();
      expect(secret.length).toBeGreaterThan(10);
      await expect(page.locator('[data-testid="track-link"]').getAttribute('href')).resolves.toBe(`${api.url}/tracking/${encodeURIComponent(code)}#${encodeURIComponent(secret)}`);
      await screenshot(page, 'portal-03-sent');

      // and the desk's inbox shows its first task without a reload
      const task = desk.locator('tr', { has: desk.locator('td.dossier-code', { hasText: code }) });
      await task.waitFor();

      // and the citizen's list shows it waiting for reception
      await page.getByRole('link', { name: '← Dịch vụ công' }).first().click();
      const row = page.locator(`tr[data-dossier="${code}"]`);
      await row.waitFor();
      await expect(row.locator('[data-testid="status"]').innerText()).resolves.toBe('Chờ tiếp nhận');
      await expect(row.locator('td').nth(3).innerText()).resolves.toBe('—');

      // when the desk claims and opens the task, then it is asked to accept or send back the dossier first: no form yet
      await task.locator('[data-testid="claim"]').click();
      await task.locator('[data-testid="holder"]', { hasText: 'Tôi' }).waitFor();
      await task.locator('[data-testid="open"]').click();
      await desk.locator('[data-testid="online-acceptance"]').waitFor();
      await expect(desk.locator('.schema-form').count()).resolves.toBe(0);
      await expect(desk.locator('.refuse-form:visible').count()).resolves.toBe(0);
      await desk.locator('[data-testid="dossier-code"]').waitFor();
      await screenshot(desk, 'portal-04-desk-accepts');
      expect(await seriousAxeViolations(desk)).toEqual([]);
      // when it accepts, then the dossier is received and the step's form opens
      await desk.locator('[data-testid="accept"]').click();
      await desk.locator('.schema-form').waitFor();
      await desk.locator('[data-testid="dossier-status"]', { hasText: 'Đã tiếp nhận' }).waitFor();
      // and the citizen sees it received, with its appointment
      await page.reload();
      await row.locator('[data-testid="status"]', { hasText: 'Đã tiếp nhận' }).waitFor();
      await expect(row.locator('td').nth(3).innerText()).resolves.toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
      // what the server holds: an online dossier of this citizen, with the applicant as given
      const stored = await api.sql<{ channel: string; applicant: { name: string; email: string } }>('SELECT channel, applicant FROM dossiers WHERE code = $1', [code]);
      expect(stored.map((d) => ({ channel: d.channel ?? 'online', name: d.applicant.name, email: d.applicant.email }))).toEqual([{ channel: 'online', name: 'Đỗ Thị Mai', email: 'mai@example.vn' }]);
    } finally {
      await desk.close();
    }
  });

  it('lets the desk send an online dossier back, with a reason the citizen then sees', async () => {
    // given a second online dossier of the citizen
    await signIn(page, 'dan.portal', 'Hồ sơ của tôi');
    await page.locator('[data-procedure="birth-registration"]').getByRole('link', { name: 'Nộp hồ sơ' }).click();
    await page.getByLabel('Tờ khai đăng ký khai sinh').check();
    await page.getByLabel('Giấy chứng sinh').check();
    await page.locator('[data-testid="send"]').click();
    const second = await page.locator('[data-testid="code"]').innerText();

    // when the desk opens its task and sends it back with a reason
    await signIn(page, 'xa.motcua.portal', 'Hộp việc');
    const task = page.locator('tr', { has: page.locator('td.dossier-code', { hasText: second }) });
    await task.locator('[data-testid="claim"]').click();
    await task.locator('[data-testid="holder"]', { hasText: 'Tôi' }).waitFor();
    await task.locator('[data-testid="open"]').click();
    await page.locator('[data-testid="refuse"]').click();
    await page.getByLabel('Lý do trả lại (gửi cho người nộp)').fill('Tờ khai thiếu chữ ký của người đi đăng ký');
    await page.locator('[data-testid="refuse-confirm"]').click();

    // then the dossier is refused at reception, and the citizen sees it so
    await page.locator('[data-testid="dossier-status"]', { hasText: 'Từ chối tiếp nhận' }).waitFor();
    await signIn(page, 'dan.portal', 'Hồ sơ của tôi');
    await page.locator(`tr[data-dossier="${second}"] [data-testid="status"]`, { hasText: 'Từ chối tiếp nhận' }).waitFor();
    await expect(page.locator(`tr[data-dossier="${second}"] [data-testid="withdraw"]`).count()).resolves.toBe(0);
  });

  it('lets the desk ask for a supplement at reception, the citizen supplement it, and the desk then accept it', async () => {
    // given a third online dossier of the citizen
    await signIn(page, 'dan.portal', 'Hồ sơ của tôi');
    await page.locator('[data-procedure="birth-registration"]').getByRole('link', { name: 'Nộp hồ sơ' }).click();
    await page.getByLabel('Tờ khai đăng ký khai sinh').check();
    await page.getByLabel('Giấy chứng sinh').check();
    await page.locator('[data-testid="send"]').click();
    const third = await page.locator('[data-testid="code"]').innerText();

    // when the desk asks for a supplement from the task page, one item with its reason
    const desk = await page.context().browser()!.newPage({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN' });
    try {
      await signIn(desk, 'xa.motcua.portal', 'Hộp việc');
      const task = desk.locator('tr', { has: desk.locator('td.dossier-code', { hasText: third }) });
      await task.locator('[data-testid="claim"]').click();
      await task.locator('[data-testid="holder"]', { hasText: 'Tôi' }).waitFor();
      await task.locator('[data-testid="open"]').click();
      await desk.locator('[data-testid="request-supplement"]').click();
      await desk.locator('[data-testid="supplement-confirm"]').click();
      await expect(desk.locator('[data-testid="supplement-form"] .form-error').innerText()).resolves.toBe('Mỗi giấy tờ cần bổ sung phải có tên và lý do.');
      await desk.getByLabel('Giấy tờ 1').fill('Giấy chứng sinh');
      await desk.getByLabel('Lý do 1').fill('Bản chụp mờ, không đọc được số giấy');
      await desk.locator('[data-testid="supplement-confirm"]').click();
      // then the step waits for the supplement: no form
      await desk.locator('[data-testid="awaiting-supplement"]').waitFor();
      await expect(desk.locator('.schema-form').count()).resolves.toBe(0);

      // when the citizen opens the list, then the request is there with its item, and the citizen supplements it
      await page.getByRole('link', { name: '← Dịch vụ công' }).first().click();
      const row = page.locator(`tr[data-dossier="${third}"]`);
      await row.locator('[data-testid="status"]', { hasText: 'Chờ bổ sung' }).waitFor();
      await row.locator('[data-testid="supplement"]').click();
      await expect(row.locator('[data-testid="supplement-answer"]').innerText()).resolves.toContain('Giấy chứng sinh — Bản chụp mờ, không đọc được số giấy');
      await screenshot(page, 'portal-05-supplement');
      expect(await seriousAxeViolations(page)).toEqual([]);
      await row.getByLabel('Tôi đã bổ sung đủ các giấy tờ trên').check();
      await row.locator('[data-testid="supplement-confirm"]').click();
      await row.locator('[data-testid="status"]', { hasText: 'Đã bổ sung' }).waitFor();

      // and the desk, on the task page again, is asked to accept it: accepted, the step's form opens
      await desk.reload();
      await desk.locator('[data-testid="online-acceptance"]').waitFor();
      await expect(desk.locator('[data-testid="request-supplement"]').count()).resolves.toBe(0);
      await desk.locator('[data-testid="accept"]').click();
      await desk.locator('.schema-form').waitFor();
      await desk.locator('[data-testid="dossier-status"]', { hasText: 'Đã tiếp nhận' }).waitFor();
    } finally {
      await desk.close();
    }
  });

  it('fits a phone: no sideways scrolling, one card per dossier', async () => {
    await page.setViewportSize({ width: 412, height: 915 });
    await signIn(page, 'dan.portal', 'Hồ sơ của tôi');
    await page.locator('[data-testid="my-dossier-table"]').waitFor();
    await page.locator('[data-procedure="birth-registration"]').waitFor();
    await expect(page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(412);
    // each dossier's status is labelled on its card
    const row = page.locator(`tr[data-dossier="${code}"]`);
    await expect(row.locator('td').nth(2).evaluate((cell) => (globalThis as any).getComputedStyle(cell, '::before').content)).resolves.toBe('"Trạng thái: "');
    await screenshot(page, 'portal-06-phone');
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('withdraws the dossier with a reason', async () => {
    await signIn(page, 'dan.portal', 'Hồ sơ của tôi');
    const row = page.locator(`tr[data-dossier="${code}"]`);
    await row.locator('[data-testid="withdraw"]').click();
    await row.getByLabel('Lý do rút hồ sơ').fill('Nộp nhầm thủ tục');
    await row.getByRole('button', { name: 'Xác nhận rút hồ sơ' }).click();
    await page.locator('.status', { hasText: `Đã rút hồ sơ ${code}.` }).waitFor();
    await expect(page.locator(`tr[data-dossier="${code}"] [data-testid="status"]`).innerText()).resolves.toBe('Đã rút');
    await expect(page.locator(`tr[data-dossier="${code}"] [data-testid="withdraw"]`).count()).resolves.toBe(0);
  });
});
