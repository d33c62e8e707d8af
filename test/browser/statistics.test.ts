/**
 * The statistics page in Chromium against a real server (embedded PostgreSQL, the dossier
 * layer on, a clock the test moves): dossiers of the library's birth registration received in
 * October, November and December, the older ones left open past their appointment. The
 * agency's admin sees the indicators (2.1 with its numerator and denominator), the chart of the
 * months drawn by vega-lite under the page's script policy, the table per procedure, the
 * dossiers overdue now, and downloads the CSV; anyone, without signing in, sees the agency's
 * public results (aggregates, nothing personal); another agency's admin sees none of it. No
 * console error, no serious axe finding; screenshot test-artifacts/statistics-01.png.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { addUser } from '../../api/src/auth/auth-service';
import { deployLibraryModel, receiveDossier, requiredDocuments, signIn as signInApi } from '../api/dossier-e2e-support';
import { PASSWORD, screenshot, seriousAxeViolations, useChromium, useEmbeddedApi } from './browser';

jest.setTimeout(180_000);

const AGENCY = '000.01.00.H29';
const vn = (date: string, time = '09:00'): number => Date.parse(`${date}T${time}:00+07:00`);

describe('the statistics page (Chromium, 1366×768)', () => {
  let clock = vn('2026-10-12');
  const api = useEmbeddedApi({ now: () => clock });
  let page: Page;
  useChromium({ viewport: { width: 1366, height: 768 } }, (p) => {
    page = p;
  });
  const codes: string[] = [];

  beforeAll(async () => {
    await deployLibraryModel(api, 'birth-registration');
    await addUser(api.auth.users, { username: 'xa.admin.stats', password: PASSWORD, roles: ['agency-admin'], agency: AGENCY, name: 'Vũ Đức Thắng' });
    await addUser(api.auth.users, { username: 'other.admin.stats', password: PASSWORD, roles: ['agency-admin'], agency: '000.02.00.H29', name: 'Đặng Thị Ngọc' });
    const desk = await signInApi(api, { username: 'xa.desk.stats', roles: ['official'], agency: AGENCY, groups: ['desk'] });
    // two dossiers in October, one in November, one in December: by 7 December the first three are past their appointment
    for (const day of ['2026-10-12', '2026-10-20', '2026-11-16', '2026-12-07']) {
      clock = vn(day);
      const received = await receiveDossier(desk.client, { procedureCode: 'birth-registration', channel: 'desk', applicant: { name: 'Lê Thị Mai', kind: 'citizen' }, documents: requiredDocuments('birth-registration') });
      codes.push(received.code);
    }
    clock = vn('2026-12-07', '15:00');
  });

  const signIn = async (username: string) => {
    await page.goto(api.url);
    await page.getByLabel('Tên đăng nhập').fill(username);
    await page.getByLabel('Mật khẩu').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Hộp việc', exact: true }).waitFor();
    await page.getByRole('link', { name: 'Thống kê' }).click();
    await page.getByRole('heading', { name: 'Thống kê hồ sơ một cửa' }).waitFor();
    // the period of the test's clock (the page's default period follows the browser's own date)
    await page.getByLabel('Từ ngày').fill('2026-01-01');
    await page.getByLabel('Đến ngày').fill('2026-12-07');
    await page.getByRole('button', { name: 'Xem' }).click();
    await page.waitForURL(/from=2026-01-01&to=2026-12-07/);
  };

  it('shows the agency’s indicators, the months’ chart, the table, the overdue dossiers and the CSV', async () => {
    // when the agency's admin opens the statistics of the year
    await signIn('xa.admin.stats');
    await page.locator('[data-testid="stats-table"]').waitFor();

    // then 2.1 counts one dossier on time of four
    const onTime = page.locator('.indicator[data-code="2.1"]');
    await expect(onTime.locator('.indicator-value').innerText()).resolves.toBe('25 %');
    await expect(onTime.locator('p.muted').innerText()).resolves.toBe('1/4 hồ sơ');
    // the table has the procedure's row: four received at the desk, three overdue now
    const row = page.locator('[data-testid="stats-table"] tbody tr');
    await expect(row.count()).resolves.toBe(1);
    const cells = await row.locator('th, td').allInnerTexts();
    expect(cells.slice(0, 3)).toEqual(['Đăng ký khai sinh', '4', '4 / 0 / 0']);
    expect(cells[6]).toBe('3');
    // the overdue list names the three older dossiers
    const overdue = await page.locator('[data-testid="overdue-table"] tbody th').allInnerTexts();
    expect(overdue.sort()).toEqual(codes.slice(0, 3).sort());
    // the chart is drawn, one band per month, under the page's script policy
    const chart = page.locator('[data-testid="stats-chart"] svg[role="img"]');
    await chart.waitFor();
    const labels = await page.locator('[data-testid="stats-chart"] svg text').evaluateAll((texts) => texts.map((text) => text.textContent ?? ''));
    for (const month of ['10/2026', '11/2026', '12/2026']) expect(labels).toContain(month);
    expect(labels).toContain('Đang giải quyết, quá hạn');
    await screenshot(page, 'statistics-01');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // when grouped by month, then a row per month
    await page.getByLabel('Chia theo').selectOption('month');
    await page.getByRole('button', { name: 'Xem' }).click();
    await page.locator('[data-testid="stats-table"] tbody tr[data-group="2026-11"]').waitFor();
    await expect(page.locator('[data-testid="stats-table"] tbody tr').count()).resolves.toBe(3);
    expect(page.url()).toContain('groupBy=month');

    // when the CSV is asked for, then it is the server's report of the same period
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Tải CSV' }).click()]);
    const csv = readFileSync((await file.path())!, 'utf8');
    expect(file.suggestedFilename()).toMatch(/^thong-ke-2026-01-01-2026-12-07-month\.csv$/);
    expect(csv.split('\n')[0]).toMatch(/^group,indicator,name,numerator,denominator,value,unit,formula/);
    expect(csv).toContain('2026-10');
  });

  it('shows anyone, without signing in, the agency’s public results and nothing personal', async () => {
    // when someone follows the login page's link to the public results and picks the commune for the year
    await page.goto(`${api.url}/#/login`);
    await page.getByRole('link', { name: 'Xem kết quả giải quyết hồ sơ công khai' }).click();
    await page.getByRole('heading', { name: 'Công khai kết quả giải quyết thủ tục hành chính' }).waitFor();
    await page.getByLabel('Cơ quan').selectOption(AGENCY);
    await page.getByLabel('Từ ngày').fill('2026-01-01');
    await page.getByLabel('Đến ngày').fill('2026-12-07');
    await page.getByRole('button', { name: 'Xem' }).click();
    await page.waitForURL(/agency=000\.01\.00\.H29/);

    // then the commune's figures: four received, 2.1 at 25 %, the birth registration online with its four dossiers
    await page.locator('[data-testid="public-received"]', { hasText: 'Hồ sơ tiếp nhận trong kỳ: 4' }).waitFor();
    await expect(page.locator('.indicator[data-code="2.1"] .indicator-value').innerText()).resolves.toBe('25 %');
    const birth = await page.locator('[data-testid="public-procedures"] tr[data-procedure="birth-registration"]').locator('th, td').allInnerTexts();
    expect(birth).toEqual(['Đăng ký khai sinh', 'Trực tuyến toàn trình', '4']);
    // and nothing personal, no dossier code
    const text = await page.locator('main').innerText();
    expect(text).not.toContain('Lê Thị Mai');
    for (const code of codes) expect(text).not.toContain(code);
    await screenshot(page, 'statistics-02-public');
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('shows another agency’s admin nothing of these dossiers', async () => {
    await signIn('other.admin.stats');
    await page.locator('[data-testid="stats-empty"]').waitFor();
    await page.locator('[data-testid="overdue-none"]').waitFor();
    await expect(page.locator('[data-testid="indicators"]').innerText()).resolves.toBe('Không có hồ sơ nào được tiếp nhận trong kỳ này.');
    await expect(page.locator('.indicator').count()).resolves.toBe(0);
  });
});
