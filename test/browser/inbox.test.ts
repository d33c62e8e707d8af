/**
 * The officials' inbox in Chromium against a real server (embedded PostgreSQL, the dossier
 * layer on, the library's birth registration deployed with its JSON Schema forms):
 *
 * - an official signs in and lands on the inbox; a dossier received at the desk by a colleague
 *   appears without a reload, marked new, with its dossier code and procedure name; an
 *   official of another agency sees nothing of it;
 * - the official claims it, opens it, sees the dossier (code, status, applicant, history) and
 *   the form's fields in the order the form gives them, is told in Vietnamese what is missing
 *   or malformed, completes it, and the dossier moves on;
 * - a task claimed by someone else leaves the "to claim" view without a reload, and a task
 *   taken away from the official while open disappears from under the form;
 * - no console error and no serious axe finding; screenshots in test-artifacts/inbox-*.png.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { addUser } from '../../api/src/auth/auth-service';
import { deployLibraryProcedure, loadLibrary, receiveDossier, requiredDocuments, signIn as signInApi, type SignedIn } from '../api/dossier-e2e-support';
import { pdfText } from '../api/outbox-support';
import { PASSWORD, screenshot, seriousAxeViolations, useChromium, useEmbeddedApi } from './browser';

jest.setTimeout(180_000);

const AGENCY = '000.01.00.H29';
const OTHER_AGENCY = '000.02.00.H29';
/** The titles of the receipt form's fields, in the order of processes/birth-registration/forms/receive.schema.json. */
const RECEIVE_FIELDS = ['Kết quả kiểm tra', 'Lý do từ chối tiếp nhận', 'Họ, chữ đệm và tên của trẻ', 'Ngày sinh', 'Giới tính', 'Nơi sinh', 'Số định danh cá nhân của mẹ', 'Số định danh cá nhân của cha'];

describe('the officials’ inbox (Chromium, 1366×768)', () => {
  const api = useEmbeddedApi();
  let page: Page;
  useChromium({ viewport: { width: 1366, height: 768 } }, (p) => {
    page = p;
  });
  let colleague: SignedIn;
  let admin: SignedIn;
  let officialId: string;

  beforeAll(async () => {
    await deployLibraryProcedure(api, 'birth-registration');
    await loadLibrary(api, ['birth-registration']);
    officialId = (await addUser(api.auth.users, { username: 'xa.motcua.inbox', password: PASSWORD, roles: ['official'], agency: AGENCY, groups: ['desk'], name: 'Nguyễn Thị Hồng' })).id;
    await addUser(api.auth.users, { username: 'caxa.motcua.inbox', password: PASSWORD, roles: ['official'], agency: OTHER_AGENCY, groups: ['desk'], name: 'Đặng Thị Ngọc' });
    colleague = await signInApi(api, { username: 'xa.motcua2.inbox', name: 'Trần Văn Nam', roles: ['official'], agency: AGENCY, groups: ['desk'] });
    admin = await signInApi(api, { username: 'xa.admin.inbox', roles: ['agency-admin'], agency: AGENCY });
  });

  /** A dossier received at the desk by the colleague: its id and code. */
  const receive = async (applicant = 'Lê Thị Mai'): Promise<{ id: string; code: string; instanceId: string }> =>
    receiveDossier(colleague.client, { procedureCode: 'birth-registration', channel: 'desk', applicant: { name: applicant, kind: 'citizen' }, documents: requiredDocuments('birth-registration') });

  /** Signs in on the login page and waits for the inbox, live. */
  const signIn = async (on: Page, username: string) => {
    await on.goto(api.url);
    await on.getByLabel('Tên đăng nhập').fill(username);
    await on.getByLabel('Mật khẩu').fill(PASSWORD);
    await on.keyboard.press('Enter');
    await on.getByRole('heading', { name: 'Hộp việc', exact: true }).waitFor();
    await on.locator('[data-testid="live"][data-state="on"]').waitFor();
  };

  const rowOf = (on: Page, code: string) => on.locator('tr', { has: on.locator('td.dossier-code', { hasText: code }) });

  it('shows a dossier received by a colleague without a reload, marked new; another agency sees nothing of it', async () => {
    // given the official on the inbox, and an official of another agency on theirs
    await signIn(page, 'xa.motcua.inbox');
    expect(page.url()).toMatch(/#\/inbox$|\/$/);
    const other = await page.context().browser()!.newPage({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN' });
    try {
      await signIn(other, 'caxa.motcua.inbox');

      // when a colleague receives a dossier at the desk
      const dossier = await receive();

      // then its task arrives in the official's inbox, with the dossier's code and the procedure's name, marked new
      const row = rowOf(page, dossier.code);
      await row.waitFor();
      await expect(row.locator('th').innerText()).resolves.toContain('Tiếp nhận, kiểm tra hồ sơ (mẫu 01)');
      await expect(row.locator('.badge.new').count()).resolves.toBe(1);
      await expect(row.locator('td').nth(1).innerText()).resolves.toBe('Đăng ký khai sinh');
      await expect(row.locator('[data-testid="holder"]').innerText()).resolves.toBe('Chưa ai nhận');
      await expect(row.locator('[data-due]').count()).resolves.toBe(1);
      await screenshot(page, 'inbox-01-live');

      // and the other agency's official, whose line is live too, still has an empty inbox
      await other.reload();
      await other.locator('[data-testid="inbox-empty"]').waitFor();
      await expect(rowOf(other, dossier.code).count()).resolves.toBe(0);
      expect(await seriousAxeViolations(page)).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('claims, reads the dossier, is told what is missing in Vietnamese, completes; the dossier moves on', async () => {
    // given a dossier waiting at the desk
    const dossier = await receive('Phạm Thu Hà');
    await signIn(page, 'xa.motcua.inbox');
    const row = rowOf(page, dossier.code);
    await row.waitFor();

    // when the official claims it from the list
    await row.locator('[data-testid="claim"]').click();
    await page.locator('.inbox .status', { hasText: 'Đã nhận việc “Tiếp nhận, kiểm tra hồ sơ (mẫu 01)”.' }).waitFor();
    await row.locator('[data-testid="holder"]', { hasText: 'Tôi' }).waitFor();
    // then it is under "Việc của tôi"
    await page.getByRole('link', { name: 'Việc của tôi' }).click();
    await rowOf(page, dossier.code).waitFor();

    // when it is opened
    await rowOf(page, dossier.code).locator('[data-testid="open"]').click();
    await page.locator('[data-testid="dossier-code"]').waitFor();
    // then the dossier is shown beside the task: its code, status, procedure, applicant and history
    await expect(page.locator('[data-testid="dossier-code"]').innerText()).resolves.toBe(dossier.code);
    await expect(page.locator('[data-testid="dossier-status"]').innerText()).resolves.toBe('Đã tiếp nhận');
    const facts = await page.locator('.dossier-card').innerText();
    expect(facts).toContain('Phạm Thu Hà');
    expect(facts).toContain('Đăng ký khai sinh');
    await expect(page.locator('[data-testid="dossier-history"]').innerText()).resolves.toContain('Tiếp nhận hồ sơ');
    // and its receipt (mẫu 01) is the server's PDF, naming the dossier
    const [receipt] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="receipt-pdf"]').click()]);
    expect(receipt.suggestedFilename()).toBe(`phieu-tiep-nhan-${dossier.code}.pdf`);
    const pdf = readFileSync((await receipt.path())!);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdfText(pdf).replace(/\s+/g, ' ')).toContain(dossier.code);
    // and the form's fields come in the form's own order
    await page.locator('.schema-form').waitFor();
    const labels = await page.locator('.schema-form .field-label').allInnerTexts();
    expect(labels.map((l) => l.replace(/\s*\*$/, ''))).toEqual(RECEIVE_FIELDS);
    // and the process is drawn with the reception step as the current one
    await page.locator('.djs-element.position-current[data-element-id="receive"]').waitFor();
    await expect(page.locator('.djs-element.position-current').count()).resolves.toBe(1);
    await screenshot(page, 'inbox-02-task');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // when the official leaves a note, then it is listed as its own; a colleague's note arrives without a reload
    await page.getByLabel('Thêm ghi chú (cán bộ cùng cơ quan đọc được)').fill('Đã gọi điện cho người nộp để hẹn bổ sung bản chính');
    await page.locator('[data-testid="comment-send"]').click();
    await page.locator('[data-testid="comments"] li', { hasText: 'Đã gọi điện cho người nộp' }).waitFor();
    await expect(page.locator('[data-testid="comments"] li', { hasText: 'Đã gọi điện cho người nộp' }).innerText()).resolves.toContain('Tôi');
    const [open] = await api.openTasks(dossier.instanceId);
    expect((await colleague.client.post(`/api/tasks/${open.id}/comments`, { text: 'Hồ sơ này có giấy chứng sinh bản sao' })).status).toBe(201);
    await page.locator('[data-testid="comments"] li', { hasText: 'Hồ sơ này có giấy chứng sinh bản sao' }).waitFor();

    // when it is sent empty, then each required field says so, and nothing went to the server
    await page.locator('[data-testid="complete"]').click();
    await expect(page.locator('.form-field.invalid').count()).resolves.toBe(4);
    await expect(page.locator('.form-field[data-key="childName"] .field-error').innerText()).resolves.toBe('Bắt buộc nhập.');
    await expect(page.locator('.task-card .status').innerText()).resolves.toBe('Biểu mẫu chưa hợp lệ: xem các ô được đánh dấu.');
    expect((await api.openTasks(dossier.instanceId)).map((t) => t.elementId)).toEqual(['receive']);

    // when filled in with a malformed id number, then that field says so
    await page.getByLabel('Tiếp nhận (mẫu 01)').check();
    await page.getByLabel('Họ, chữ đệm và tên của trẻ').fill('Phạm Minh Khang');
    await page.getByLabel('Ngày sinh').fill('2026-12-01');
    await page.getByLabel('Nam', { exact: true }).check();
    await page.getByLabel('Số định danh cá nhân của mẹ').fill('00119');
    await page.locator('[data-testid="complete"]').click();
    await expect(page.locator('.form-field[data-key="motherId"] .field-error').innerText()).resolves.toBe('Không đúng định dạng.');
    await expect(page.locator('.form-field.invalid').count()).resolves.toBe(1);
    await screenshot(page, 'inbox-03-form-errors');

    // when corrected and sent
    await page.getByLabel('Số định danh cá nhân của mẹ').fill('001190012345');
    await page.locator('[data-testid="complete"]').click();

    // then the official is told, is taken back to the inbox, where the task is gone, and the dossier moved on with the values sent
    await page.locator('[data-testid="completed"]').waitFor();
    await page.locator('[data-testid="inbox-list"]').waitFor();
    await page.locator('.inbox .status', { hasText: 'Đã hoàn thành “Tiếp nhận, kiểm tra hồ sơ (mẫu 01)”' }).waitFor();
    await expect(rowOf(page, dossier.code).count()).resolves.toBe(0);
    const after = await colleague.client.get(`/api/dossiers/${dossier.id}`);
    expect(after.body.status).toBe('processing');
    const variables = await admin.client.get(`/api/instances/${dossier.instanceId}/variables`);
    expect(variables.body.variables).toMatchObject({ decision: 'accept', childName: 'Phạm Minh Khang', childBirthDate: '2026-12-01', childSex: 'nam', motherId: '001190012345' });
  });

  it('drops a task claimed elsewhere from "to claim", and a task taken away from under the form, without a reload', async () => {
    // given two dossiers waiting, and the official on "Chờ nhận"
    const first = await receive('Đỗ Văn Long');
    const second = await receive('Vũ Thị Lan');
    await signIn(page, 'xa.motcua.inbox');
    await page.getByRole('link', { name: 'Chờ nhận' }).click();
    await rowOf(page, first.code).waitFor();
    await rowOf(page, second.code).waitFor();

    // when the colleague claims the first one
    const [firstTask] = await api.openTasks(first.instanceId);
    const claimed = await colleague.client.post(`/api/tasks/${firstTask.id}/claim`, {});
    expect(claimed.status).toBe(200);
    // then it leaves the official's view, the second stays
    await rowOf(page, first.code).waitFor({ state: 'detached' });
    await expect(rowOf(page, second.code).count()).resolves.toBe(1);

    // when the official claims and opens the second, and the agency's admin gives it to the colleague meanwhile
    await rowOf(page, second.code).locator('[data-testid="claim"]').click();
    await page.goto(`${api.url}/#/inbox/task/${(await api.openTasks(second.instanceId))[0].id}`);
    await page.locator('.schema-form').waitFor();
    await page.getByLabel('Họ, chữ đệm và tên của trẻ').fill('Vũ Minh Anh');
    const [secondTask] = await api.openTasks(second.instanceId);
    expect(secondTask.assignee).toBe(officialId);
    const assigned = await admin.client.post(`/api/tasks/${secondTask.id}/assign`, { assignee: 'xa.motcua2.inbox' });
    expect(assigned.status).toBe(200);

    // then the form goes, and the page says someone else holds the task
    await page.locator('[data-testid="claim-first"]').waitFor();
    await expect(page.locator('[data-testid="claim-first"]').innerText()).resolves.toBe('Việc này do người khác đang xử lý.');
    await expect(page.locator('.schema-form').count()).resolves.toBe(0);
    await screenshot(page, 'inbox-04-taken-away');
  });
});
