/**
 * The public tracking page from a receipt (QA finding 13), in Chromium against a real server
 * (embedded PostgreSQL): a desk receives a birth registration and prints the applicant's
 * receipt; the QR code read from the printed page leads to `{MOTCUA_PUBLIC_URL}/tracking/<code>#<secret>`;
 * a citizen opens it with no login and sees the status, the current step with its agency,
 * the appointment and the history; without the secret the page asks for it. No console
 * error, no serious axe finding; screenshots in test-artifacts/.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import jsQR from 'jsqr';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { deployLibraryModel, receiveDossier, requiredDocuments, signIn } from '../api/dossier-e2e-support';
import { screenshot, seriousAxeViolations, useChromium, useEmbeddedApi } from './browser';

jest.setTimeout(180_000);

/** The public address the receipts print; the browser's requests to it are served by the test server. */
const PUBLIC_URL = 'https://dichvucong.minhan.test';

/** The QR code of the first page of a PDF, as text. */
function qrOfPdf(pdf: Buffer): string | undefined {
  const dir = mkdtempSync(path.join(tmpdir(), 'motcua-qr-'));
  try {
    writeFileSync(path.join(dir, 'receipt.pdf'), pdf);
    execFileSync('pdftoppm', ['-r', '110', '-png', '-f', '1', '-l', '1', path.join(dir, 'receipt.pdf'), path.join(dir, 'page')]);
    const png = PNG.sync.read(readFileSync(path.join(dir, readdirSync(dir).find((f) => f.endsWith('.png'))!)));
    return jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height)?.data;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the public tracking page from a receipt (Chromium)', () => {
  const clock = Date.parse('2026-12-07T14:34:00+07:00');
  const api = useEmbeddedApi({ now: () => clock, config: { publicUrl: PUBLIC_URL } });
  // The tracking page is the server's own (api/src/routes/tracking-page.ts), not one of the built apps; its tests check the errors themselves.
  let page: Page;
  let errors: string[];
  useChromium({ viewport: { width: 412, height: 915 }, deviceScaleFactor: 1, build: false, errorsAfterEach: false }, (p, e) => {
    page = p;
    errors = e;
  });
  let receiptUrl: string;
  let code: string;

  beforeAll(async () => {
    const desk = await signIn(api, { username: 'desk.tracking', name: 'Nguyễn Văn An', roles: ['official'], agency: '000.01.00.H29', groups: ['desk'] });
    await deployLibraryModel(api, 'birth-registration');
    const received = await receiveDossier(desk.client, { procedureCode: 'birth-registration', channel: 'desk', applicant: { name: 'Lê Thị Mai', kind: 'citizen' }, documents: requiredDocuments('birth-registration') });
    code = received.code;
    const pdf = Buffer.from(await (await fetch(`${api.url}/api/dossiers/${received.id}/receipt.pdf?secret=${encodeURIComponent(received.trackingSecret)}`, { headers: { authorization: `Bearer ${desk.token}` } })).arrayBuffer());
    receiptUrl = qrOfPdf(pdf) ?? '';
  });

  beforeEach(async () => {
    // The public address is served by the test server (as a reverse proxy would).
    await page.route(`${PUBLIC_URL}/**`, async (route) => route.fulfill({ response: await route.fetch({ url: route.request().url().replace(PUBLIC_URL, api.url) }) }));
  });

  it("should show the dossier from the receipt's QR code, with no login", async () => {
    // given the address the receipt's QR code holds
    expect(receiptUrl).toMatch(new RegExp(`^${PUBLIC_URL}/tracking/${code.replace(/\./g, '\\.')}#.+`));

    // when a citizen opens it
    await page.goto(receiptUrl);
    await page.getByRole('heading', { name: /Tình trạng/ }).waitFor();

    // then the status, the current step with its agency, the appointment and the history show
    const text = await page.locator('main').innerText();
    expect(text).toContain(code);
    expect(text).toContain('Đăng ký khai sinh');
    expect(text).toMatch(/Đang ở bước[\s\S]*UBND xã Minh An/);
    expect(text).toMatch(/Hẹn trả kết quả[\s\S]*17:00/);
    expect(text).toContain('Tiếp nhận hồ sơ');
    expect(text).not.toContain('Lê Thị Mai');
    await screenshot(page, 'tracking-page');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('should ask for the secret when the address has none, and say when it is wrong', async () => {
    // given the page without the secret
    await page.goto(`${PUBLIC_URL}/tracking/${encodeURIComponent(code)}`);
    const secret = page.getByLabel(/Mã bí mật tra cứu/);
    await secret.waitFor();
    await screenshot(page, 'tracking-page-ask');

    // when a wrong secret is typed, then the right one
    await secret.fill('not-the-secret');
    await page.getByRole('button', { name: /Tra cứu/ }).click();
    await page.getByRole('alert').waitFor();
    const refused = await page.getByRole('alert').innerText();
    await secret.fill(decodeURIComponent(receiptUrl.split('#')[1]));
    await page.getByRole('button', { name: /Tra cứu/ }).click();
    await page.getByRole('heading', { name: /Tình trạng/ }).waitFor();

    // then the wrong one was refused in words, the right one shows the dossier
    expect(refused).toContain('Không tìm thấy hồ sơ');
    expect(await page.locator('.badge').innerText()).toBe('Đã tiếp nhận');
    expect(errors.filter((e) => !/404/.test(e))).toEqual([]);
  });
});
