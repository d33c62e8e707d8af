/**
 * One dossier of birth registration at a commune desk, with the data each form needs.
 * Names and places carry every kind of Vietnamese diacritic (stacked marks included),
 * so the text check sees any glyph the font or the extraction would lose.
 */
import type { DossierDocuments } from '../../../onestop/src/documents';

/** 2026-11-23 08:30 in Vietnam (UTC+7). */
export const RECEIVED_AT = Date.UTC(2026, 10, 23, 1, 30);
/** 2026-11-26 16:00 in Vietnam. */
export const APPOINTMENT_AT = Date.UTC(2026, 10, 26, 9, 0);
export const CODE = '000.00.15.H29-261123-0001';
export const TRACKING_URL = 'https://dichvucong.example.vn/tra-cuu/000.00.15.H29-261123-0001#k=7Qm3xT';

const issuer = { parentName: 'Ủy ban nhân dân phường Vũ Ninh', name: 'Bộ phận Một cửa', place: 'Bắc Ninh' };
const applicant = { name: 'Nguyễn Thị Thuỳ Dương', address: 'Số 18 ngõ 3 phố Nguyễn Trãi, phường Vũ Ninh, tỉnh Bắc Ninh', phone: '0912 345 678', email: 'duong.ntt@example.vn' };
const dossier = { code: CODE, procedureName: 'Đăng ký khai sinh', applicant, trackingUrl: TRACKING_URL };

export const SAMPLE: DossierDocuments = {
  receipt: {
    ...dossier,
    issuer,
    receivedAt: RECEIVED_AT,
    receivedBy: 'Lê Quốc Việt',
    documents: [
      { name: 'Tờ khai đăng ký khai sinh', originals: 1, copies: 0 },
      { name: 'Giấy chứng sinh do cơ sở y tế cấp', originals: 1, copies: 0 },
      { name: 'Giấy tờ chứng minh nơi cư trú (trường hợp chưa có dữ liệu trên Cơ sở dữ liệu quốc gia về dân cư)', originals: 0, copies: 1 },
    ],
    sets: 1,
    statutoryTime: '03 ngày làm việc',
    appointmentAt: APPOINTMENT_AT,
    returnPlace: 'Bộ phận Một cửa phường Vũ Ninh',
    fee: 0,
    register: { book: '01/2026', number: 1427 },
  },
  'supplement-request': {
    ...dossier,
    issuer,
    receivedAt: RECEIVED_AT,
    requestedAt: Date.UTC(2026, 10, 24, 2, 15),
    requestedBy: 'Lê Quốc Việt',
    items: [
      { name: 'Giấy chứng sinh do cơ sở y tế cấp', reason: 'Bản đã nộp bị rách, không đọc được họ tên người mẹ' },
      { name: 'Văn bản ủy quyền có chứng thực', reason: 'Người đi đăng ký không phải cha, mẹ của trẻ' },
    ],
    supplementDays: 15,
    contact: 'Lê Quốc Việt, 0222 3 456 789',
  },
  refusal: {
    ...dossier,
    issuer,
    refusedAt: RECEIVED_AT,
    refusedBy: 'Lê Quốc Việt',
    reasons: ['Nơi cư trú của người mẹ không thuộc địa bàn phường Vũ Ninh; đề nghị nộp tại Ủy ban nhân dân xã, phường nơi cư trú.', 'Trẻ đã được đăng ký khai sinh tại nơi khác (số định danh cá nhân đã có).'],
  },
  apology: {
    ...dossier,
    issuer,
    issuedAt: Date.UTC(2026, 10, 25, 8, 0),
    receivedAt: RECEIVED_AT,
    originalAppointmentAt: APPOINTMENT_AT,
    newAppointmentAt: Date.UTC(2026, 10, 30, 9, 0),
    reason: 'Cần xác minh thông tin về nơi sinh với Bệnh viện Sản – Nhi tỉnh Bắc Ninh',
    signer: { title: 'Phó Chủ tịch', name: 'Trịnh Thị Ngọc Ánh' },
  },
  'stop-notice': {
    ...dossier,
    issuer,
    stoppedAt: Date.UTC(2026, 11, 10, 2, 0),
    receivedAt: RECEIVED_AT,
    cause: { kind: 'no-supplement', requestedAt: Date.UTC(2026, 10, 24, 2, 15), supplementDays: 15 },
    signer: { title: 'Chủ tịch', name: 'Đặng Hữu Phước' },
  },
  'control-slip': {
    ...dossier,
    issuer,
    issuedAt: RECEIVED_AT,
    receivedAt: RECEIVED_AT,
    appointmentAt: APPOINTMENT_AT,
    handOffs: [
      { from: 'Bộ phận Một cửa – Lê Quốc Việt', to: 'Công chức tư pháp – hộ tịch – Võ Thị Hằng', at: Date.UTC(2026, 10, 23, 2, 0), dueAt: Date.UTC(2026, 10, 23, 10, 0), result: 'early' },
      { from: 'Công chức tư pháp – hộ tịch – Võ Thị Hằng', to: 'Lãnh đạo UBND phường – Trịnh Thị Ngọc Ánh', at: Date.UTC(2026, 10, 25, 3, 0), dueAt: Date.UTC(2026, 10, 25, 10, 0), result: 'on-time' },
      { from: 'Lãnh đạo UBND phường – Trịnh Thị Ngọc Ánh', to: 'Bộ phận Một cửa – Lê Quốc Việt', at: Date.UTC(2026, 10, 26, 10, 30), dueAt: Date.UTC(2026, 10, 26, 8, 0), result: 'late', note: 'Chờ ký số' },
    ],
  },
};
