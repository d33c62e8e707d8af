/**
 * The late apology from the task page (Decree 118/2025 art. 19(6)) in Chromium against a real
 * server (embedded PostgreSQL, the dossier layer on, a fixed clock): a permanent-residence
 * dossier received at the commune police's desk; its official asks for a new appointment
 * earlier than the current one and is told why not in Vietnamese (the lifecycle's refusal), then
 * sends a valid one: the dossier shows the new appointment, the history the re-dating, and the
 * page offers no second apology. Screenshot test-artifacts/apology-01.png.
 */
import type { Page } from 'playwright-core';
import { addUser } from '../../api/src/auth/auth-service';
import { deployLibraryModel, receiveDossier, requiredDocuments, signIn as signInApi } from '../api/dossier-e2e-support';
import { PASSWORD, screenshot, seriousAxeViolations, useChromium, useEmbeddedApi } from './browser';

jest.setTimeout(180_000);

const POLICE = '000.02.00.H29';
const vn = (date: string, time = '09:00'): number => Date.parse(`${date}T${time}:00+07:00`);

describe('the late apology from the task page (Chromium, 1366×768)', () => {
  const clock = vn('2026-12-07');
  const api = useEmbeddedApi({ now: () => clock });
  let page: Page;
  // The refused operation's 409 is logged by Chromium as a failed resource: expected here.
  const expectedFailures = { current: [] as RegExp[] };
  useChromium({ viewport: { width: 1366, height: 768 }, expectedFailures }, (p) => {
    page = p;
  });
  let dossier: { id: string; code: string; instanceId: string; appointmentAt: string };

  beforeAll(async () => {
    await deployLibraryModel(api, 'permanent-residence');
    await addUser(api.auth.users, { username: 'caxa.motcua.apology', password: PASSWORD, roles: ['official'], agency: POLICE, groups: ['desk'], name: 'Đặng Thị Ngọc' });
    const desk = await signInApi(api, { username: 'caxa.desk.apology', roles: ['official'], agency: POLICE, groups: ['desk'] });
    dossier = await receiveDossier(desk.client, { procedureCode: 'permanent-residence', channel: 'desk', applicant: { name: 'Lê Thị Mai', kind: 'citizen' }, documents: requiredDocuments('permanent-residence') });
  });

  it('refuses an earlier appointment in Vietnamese, takes a later one once', async () => {
    // given the official on the dossier's task page
    await page.goto(api.url);
    await page.getByLabel('Tên đăng nhập').fill('caxa.motcua.apology');
    await page.getByLabel('Mật khẩu').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Hộp việc', exact: true }).waitFor();
    const [task] = await api.openTasks(dossier.instanceId);
    await page.goto(`${api.url}/#/inbox/task/${task.id}`);
    await page.locator('[data-testid="apology"]').waitFor();

    // when it asks for a new appointment before the current one
    expectedFailures.current = [/\/api\/dossiers\/[^/]+\/operations$/];
    await page.locator('[data-testid="apology"] summary').click();
    await page.getByLabel('Ngày giờ hẹn trả mới').fill('2026-12-08T17:00');
    await page.getByLabel('Lý do chậm trễ').fill('Chờ kết quả xác minh nơi cư trú từ Công an tỉnh');
    await page.locator('[data-testid="apology-send"]').click();
    // then the law's refusal is said in Vietnamese, and nothing changed
    await page.locator('[data-testid="apology-message"]', { hasText: 'Ngày hẹn mới phải sau ngày hẹn hiện tại.' }).waitFor();
    await expect(page.locator('[data-testid="apology-message"] .error-detail').textContent()).resolves.toContain('NEW_APPOINTMENT_NOT_LATER');

    // when it gives one two days after the current appointment
    const later = new Date(Date.parse(dossier.appointmentAt) + 2 * 86_400_000);
    const local = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(later).replace(' ', 'T');
    await page.getByLabel('Ngày giờ hẹn trả mới').fill(local);
    await page.locator('[data-testid="apology-send"]').click();

    // then the dossier has the new appointment, the history says so, and no second apology is offered
    await page.locator('[data-testid="redated"]').waitFor();
    const facts = await page.locator('.dossier-card').innerText();
    const [date, time] = local.split('T');
    expect(facts).toContain(`${date.split('-').reverse().join('/')} ${time}`);
    expect(facts).toContain('Hẹn lại ngày trả kết quả');
    await expect(page.locator('[data-testid="apology-send"]').count()).resolves.toBe(0);
    const stored = await api.sql<{ appointment_at: Date }>('SELECT appointment_at FROM dossiers WHERE id = $1', [dossier.id]);
    expect(stored[0].appointment_at.getTime()).toBe(later.getTime());
    await screenshot(page, 'apology-01');
    expect(await seriousAxeViolations(page)).toEqual([]);
  });
});
