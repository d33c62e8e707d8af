/**
 * Receiving a dossier at the one-stop desk in Chromium against a real server (embedded
 * PostgreSQL, the dossier layer on, the library's birth registration deployed and in the
 * catalogue): the desk official picks the procedure, is told what is missing, enters the
 * applicant and the documents checked (form, copies), receives it; the page shows the code, the
 * appointment and the tracking secret, prints the applicant's receipt (mẫu 01, the server's
 * PDF naming the dossier and the applicant), and the dossier's first step is in the inbox. No
 * console error, no serious axe finding; screenshots test-artifacts/desk-*.png.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { addUser } from '../../api/src/auth/auth-service';
import { deployLibraryProcedure, loadLibrary } from '../api/dossier-e2e-support';
import { pdfText } from '../api/outbox-support';
import { PASSWORD, screenshot, seriousAxeViolations, useChromium, useEmbeddedApi } from './browser';

jest.setTimeout(180_000);

describe('receiving a dossier at the desk (Chromium, 1366×768)', () => {
  const api = useEmbeddedApi();
  let page: Page;
  useChromium({ viewport: { width: 1366, height: 768 } }, (p) => {
    page = p;
  });

  beforeAll(async () => {
    await deployLibraryProcedure(api, 'birth-registration');
    await loadLibrary(api, ['birth-registration', 'permanent-residence']);
    await addUser(api.auth.users, { username: 'xa.motcua.desk', password: PASSWORD, roles: ['official'], agency: '000.01.00.H29', groups: ['desk'], name: 'Nguyễn Thị Hồng' });
  });

  it('receives a birth registration, prints the receipt, and finds its first step in the inbox', async () => {
    // given the desk official on the desk page: only the agency's procedures are offered
    await page.goto(api.url);
    await page.getByLabel('Tên đăng nhập').fill('xa.motcua.desk');
    await page.getByLabel('Mật khẩu').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Hộp việc', exact: true }).waitFor();
    await page.getByRole('link', { name: 'Tiếp nhận hồ sơ' }).click();
    await page.locator('[data-procedure="birth-registration"]').waitFor();
    await expect(page.locator('[data-procedure="permanent-residence"]').count()).resolves.toBe(0);

    // when it opens the birth registration and sends at once, then the applicant's name and the documents are asked for
    await page.locator('[data-procedure="birth-registration"]').getByRole('link', { name: 'Tiếp nhận' }).click();
    await page.getByRole('heading', { name: 'Đăng ký khai sinh' }).waitFor();
    await page.locator('[data-testid="send"]').click();
    await expect(page.locator('.form-error[role="alert"]').last().innerText()).resolves.toBe('Còn thiếu giấy tờ bắt buộc: Tờ khai đăng ký khai sinh; Giấy chứng sinh.');
    await expect(page.locator('.form-field[data-key="name"] .field-error').innerText()).resolves.toBe('Bắt buộc nhập.');
    await screenshot(page, 'desk-01-receipt-form');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // when filled in: the applicant, the declaration as an original, two copies of the birth certificate
    await page.getByLabel('Họ, chữ đệm và tên').fill('Lê Thị Mai');
    await page.getByLabel('Số định danh cá nhân').fill('001190012345');
    await page.getByLabel('Tờ khai đăng ký khai sinh (bắt buộc)', { exact: true }).check();
    await page.getByLabel('Giấy chứng sinh (bắt buộc)', { exact: true }).check();
    await page.getByLabel('Hình thức: Giấy chứng sinh').selectOption('certified-copy');
    await page.getByLabel('Số bản: Giấy chứng sinh').fill('2');
    await page.locator('[data-testid="send"]').click();

    // then the dossier is received: its code, appointment and tracking secret
    await page.locator('[data-testid="received"]').waitFor();
    const code = await page.locator('[data-testid="code"]').innerText();
    expect(code).toMatch(/^000\.01\.00\.H29-\d{6}-\d{4}$/);
    await expect(page.locator('[data-testid="appointment"]').innerText()).resolves.toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
    await screenshot(page, 'desk-02-received');
    const stored = await api.sql<{ channel: string; details: { documents: Array<{ code: string; form: string; copies: number }> } }>('SELECT channel, details FROM dossiers WHERE code = $1', [code]);
    expect(stored[0].channel).toBe('desk');
    expect(stored[0].details.documents.map((d) => [d.code, d.form, d.copies])).toEqual([['KS.TOKHAI', 'original', 1], ['KS.CHUNGSINH', 'certified-copy', 2]]);

    // and the applicant's receipt is the server's PDF, naming the dossier and the applicant
    const [receipt] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="print-receipt"]').click()]);
    const text = pdfText(readFileSync((await receipt.path())!)).replace(/\s+/g, ' ');
    expect(text).toContain(code);
    expect(text).toContain('Lê Thị Mai');

    // and its first step is in the inbox
    await page.getByRole('link', { name: 'Hộp việc' }).last().click();
    await page.locator('td.dossier-code', { hasText: code }).waitFor();

    // and it is found by its code among the agency's dossiers, with its open step and its process
    await page.getByRole('link', { name: 'Hồ sơ', exact: true }).click();
    await page.getByLabel('Mã hồ sơ').fill(code);
    await page.getByRole('button', { name: 'Tìm' }).click();
    await page.waitForURL(/code=/);
    const row = page.locator(`[data-testid="dossier-list"] tr[data-dossier="${code}"]`);
    await row.waitFor();
    await expect(page.locator('[data-testid="dossier-list"] tbody tr').count()).resolves.toBe(1);
    await row.getByRole('link', { name: code }).click();
    await page.locator('[data-testid="open-steps"]').waitFor();
    await expect(page.locator('[data-testid="current-step"]').innerText()).resolves.toBe('Đang ở bước: Tiếp nhận, kiểm tra hồ sơ (mẫu 01).');
    await expect(page.locator('[data-testid="open-steps"]').innerText()).resolves.toContain('Tiếp nhận, kiểm tra hồ sơ (mẫu 01)');
    await page.locator('.djs-element.position-current[data-element-id="receive"]').waitFor();
    await expect(page.locator('[data-testid="dossier-code"]').innerText()).resolves.toBe(code);
    await screenshot(page, 'desk-03-dossier');
    expect(await seriousAxeViolations(page)).toEqual([]);
    // and a code of no dossier finds nothing
    await page.goto(`${api.url}/#/dossiers?code=000.01.00.H29-000000-9999`);
    await page.locator('[data-testid="dossiers-none"]').waitFor();
  });
});
