/**
 * Tracking from the receipt (QA findings 13 and 26): the receipt's QR code and address lead to
 * the public tracking page at MOTCUA_PUBLIC_URL (never the request's Host), the applicant's
 * copy carries the tracking secret, the page is served without login, and the receipt names
 * the agency by its proper name on one page, an electronic document in a column of its own.
 * On both databases.
 */
import { request } from 'node:http';
import { testDatabases } from '../support/databases';
import { deployLibraryModel, receiveDossier, signIn } from './dossier-e2e-support';
import { useApi, type Client } from './harness';
import { pdfText, vn } from './outbox-support';

const COMMUNE = '000.01.00.H29';
const PUBLIC_URL = 'https://dichvucong.minhan.example.vn';

/** GET with a Host header of our choosing (fetch may not set it). */
function getWithHost(url: string, host: string, token: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host, authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.each(testDatabases())('the receipt leads to the public tracking page on $name', (target) => {
  const clock = vn('2026-12-07', '14:34');
  const api = useApi(target, { now: () => clock, config: { publicUrl: PUBLIC_URL } });
  let desk: Client;
  let token: string;
  let dossier: { id: string; code: string; trackingSecret: string };

  beforeAll(async () => {
    ({ token, client: desk } = await signIn(api, { username: `commune-desk-${target.name}`, name: 'Nguyễn Văn An', roles: ['official'], agency: COMMUNE, groups: ['desk', 'specialist', 'head'] }));
    await deployLibraryModel(api, 'birth-registration');
    dossier = await receiveDossier(desk, {
      procedureCode: 'birth-registration',
      channel: 'desk',
      applicant: { name: 'Lê Thị Mai', kind: 'citizen', address: 'Thôn Đông, xã Minh An, tỉnh H29', phone: '0912345678', email: 'mai@example.vn' },
      documents: [
        { code: 'KS.TOKHAI', name: 'Tờ khai đăng ký khai sinh', form: 'original', copies: 1 },
        { code: 'KS.CHUNGSINH', name: 'Giấy chứng sinh', form: 'electronic', copies: 1 },
      ],
    });
  });

  it("should print the public tracking address and the secret on the applicant's copy, whatever the Host header", async () => {
    // when the desk prints the receipt with the secret the receipt answered, through a forged Host
    const res = await getWithHost(`${api.url}/api/dossiers/${dossier.id}/receipt.pdf?secret=${encodeURIComponent(dossier.trackingSecret)}`, 'evil.example', token);

    // then the address is the configured one, with the code, and the secret is printed
    expect(res.status).toBe(200);
    const text = pdfText(res.body);
    expect(text.replace(/\s+/g, '')).toContain(`${PUBLIC_URL}/tracking/${dossier.code}`);
    expect(text).toContain(dossier.trackingSecret);
    expect(text).not.toContain('evil.example');
    // the agency by its proper name (no list of roles), one page, the electronic file not a copy
    expect(text).toContain('UBND XÃ MINH AN');
    expect(text).not.toContain('(Bộ phận Một cửa, công chức');
    expect(text).toContain('UBND xã Minh An, ngày 07 tháng 12 năm 2026');
    expect(text).toContain('Bản điện tử');
    expect(text).toMatch(/Giấy chứng sinh 0 0 1/);
    expect(text).not.toMatch(/Trang 2/);
  });

  it('should refuse a secret that is not the dossier’s, naming it', async () => {
    const res = await desk.get(`/api/dossiers/${dossier.id}/receipt.pdf?secret=not-the-secret`);
    expect(res.status).toBe(400);
    expect(res.text).toContain('query.secret');
  });

  it('should serve the tracking page without login, and the tracking API the step’s agency by name', async () => {
    // when anyone opens the receipt's address
    const page = await fetch(`${api.url}/tracking/${encodeURIComponent(dossier.code)}`);
    const html = await page.text();
    const script = /<script src="([^"]+)"/.exec(html)?.[1];
    const style = /<link rel="stylesheet" href="([^"]+)"/.exec(html)?.[1];

    // then it is a page naming the code, with its script and style sheet
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html).toContain(dossier.code);
    expect((await fetch(`${api.url}${script}`)).status).toBe(200);
    expect((await fetch(`${api.url}${style}`)).status).toBe(200);
    const view = await fetch(`${api.url}/api/tracking/${encodeURIComponent(dossier.code)}?secret=${encodeURIComponent(dossier.trackingSecret)}`).then((r) => r.json() as Promise<any>);
    expect(view.currentStep).toEqual(expect.objectContaining({ agency: COMMUNE, agencyName: 'UBND xã Minh An' }));
    expect(JSON.stringify(view)).not.toContain('Lê Thị Mai');
  });

  it('should refuse a code that is no dossier code with a 400, never a page', async () => {
    const res = await fetch(`${api.url}/tracking/${encodeURIComponent('<script>x</script>')}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).not.toMatch(/html/);
  });
});
