/**
 * Forms 01–06 rendered to PDF, then read back as a person and a scanner would: the text
 * (pdftotext) must hold the Vietnamese names, dates and codes exactly, every page is
 * rendered to PNG (pdftoppm, saved in test-artifacts/documents/ to be looked at), and the
 * QR code on it must decode (jsQR) to the dossier's tracking address.
 *
 * Needs poppler-utils (pdftotext, pdftoppm); .ci/run installs it. Missing, the test fails.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { DOSSIER_DOCUMENT_KINDS, renderDossierDocument, type DossierDocumentKind } from '../../../onestop/src/documents';
import { CODE, SAMPLE, TRACKING_URL } from './sample-dossier';

const OUT = resolve(__dirname, '../../../test-artifacts/documents');

/** What each form must say (beyond the code, the applicant and the procedure every one names). */
const EXPECTED: Record<DossierDocumentKind, string[]> = {
  receipt: [
    'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ',
    '08 giờ 30 phút, ngày 23 tháng 11 năm 2026',
    '16 giờ 00 phút, ngày 26 tháng 11 năm 2026',
    'Giấy chứng sinh do cơ sở y tế cấp',
    '03 ngày làm việc',
    'Lê Quốc Việt',
    'Bắc Ninh, ngày 23 tháng 11 năm 2026',
    'Không thu phí, lệ phí',
  ],
  'supplement-request': ['PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ', 'không đọc được họ tên người mẹ', 'Văn bản ủy quyền có chứng thực', 'yêu cầu bổ sung duy nhất', '15 ngày'],
  refusal: ['PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ', 'không thuộc địa bàn phường Vũ Ninh', 'số định danh cá nhân đã có'],
  apology: ['VĂN BẢN XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ', 'Bệnh viện Sản – Nhi tỉnh Bắc Ninh', '16 giờ 00 phút, ngày 30 tháng 11 năm 2026', 'Trịnh Thị Ngọc Ánh', 'chỉ được hẹn lại một lần'],
  'stop-notice': ['THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ', 'ngày 24 tháng 11 năm 2026', 'Đặng Hữu Phước', 'Bắc Ninh, ngày 10 tháng 12 năm 2026'],
  'control-slip': ['PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ', 'Võ Thị Hằng', 'Trước hạn', 'Đúng hạn', 'Quá hạn', 'Chờ ký số', '26/11/2026 17:30', 'Hạn xử lý'],
};

function tool(name: string): string {
  try {
    execFileSync(name, ['-v'], { stdio: 'ignore' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`${name} is missing: apt-get install -y poppler-utils`);
  }
  return name;
}

/** Text of a PDF as pdftotext reads it, whitespace runs folded (lines wrap where the layout wraps them). */
function textOf(pdfPath: string): string {
  return execFileSync(tool('pdftotext'), ['-enc', 'UTF-8', pdfPath, '-'], { encoding: 'utf8' }).normalize('NFC').replace(/\s+/g, ' ');
}

function pagesAsPng(pdfPath: string, prefix: string): string[] {
  execFileSync(tool('pdftoppm'), ['-r', '110', '-png', pdfPath, prefix]);
  const dir = resolve(prefix, '..');
  const base = prefix.slice(dir.length + 1);
  return readdirSync(dir)
    .filter((f) => f.startsWith(`${base}-`) && f.endsWith('.png'))
    .sort()
    .map((f) => join(dir, f));
}

function decodeQr(pngPath: string): string | undefined {
  const png = PNG.sync.read(readFileSync(pngPath));
  return jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height)?.data;
}

describe('onestop/documents', () => {
  beforeAll(() => {
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
  });

  it.each(DOSSIER_DOCUMENT_KINDS)('should render %s with its Vietnamese text and a QR code to the tracking page', async (kind) => {
    // given
    const data = SAMPLE[kind];

    // when
    const pdf = await renderDossierDocument(kind, data as never);
    const pdfPath = join(OUT, `${kind}.pdf`);
    writeFileSync(pdfPath, pdf);

    // then: the text reads back exactly, diacritics included
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = textOf(pdfPath);
    for (const expected of [CODE, 'Nguyễn Thị Thuỳ Dương', 'Đăng ký khai sinh', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc', ...EXPECTED[kind]]) {
      expect(text).toContain(expected);
    }
    // and: the QR code on the printed page leads to the tracking page
    const pages = pagesAsPng(pdfPath, join(OUT, kind));
    expect(pages.length).toBeGreaterThanOrEqual(1);
    const decoded = pages.map(decodeQr).filter((d): d is string => d !== undefined);
    expect(decoded).toEqual([TRACKING_URL]);
  });

  it('should refuse a supplement request that names no item', async () => {
    await expect(renderDossierDocument('supplement-request', { ...SAMPLE['supplement-request'], items: [] })).rejects.toThrow('at least one item');
  });

  it('should refuse an apology whose new appointment is not later than the first', async () => {
    const apology = SAMPLE.apology;
    await expect(renderDossierDocument('apology', { ...apology, newAppointmentAt: apology.originalAppointmentAt })).rejects.toThrow('later');
  });

  it('should continue a long table on a next page, repeating its header', async () => {
    // given a control slip with 40 hand-offs
    const slip = SAMPLE['control-slip'];
    const handOffs = Array.from({ length: 40 }, (_, i) => ({ ...slip.handOffs[i % slip.handOffs.length], note: `Bước ${i + 1}` }));

    // when
    const pdfPath = join(OUT, 'control-slip-long.pdf');
    writeFileSync(pdfPath, await renderDossierDocument('control-slip', { ...slip, handOffs }));

    // then
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdfPath, '-'], { encoding: 'utf8' });
    const pages = text.split('\f').filter((p) => p.trim() !== '');
    expect(pages.length).toBeGreaterThan(1);
    expect(pages[1]).toContain('Bên giao');
    expect(text).toContain('Bước 40');
    expect(text).toContain('Trang 2/');
  });
});
