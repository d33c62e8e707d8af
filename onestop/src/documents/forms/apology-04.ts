/**
 * Mẫu 04 — Văn bản xin lỗi và hẹn lại ngày trả kết quả (Decree 118/2025 art. 19(6)): sent at
 * the latest one working day before a dossier falls due, with the reason and the one new
 * appointment the law allows. The dossier still counts as late.
 */
import type { DocumentLayout } from '../layout';
import type { ApologyData } from '../document-data';
import { formatDateTimeVn, formatDateVn } from '../vn-format';
import { field, frame, trackingBlock } from './common';

/** The layout of the apology with the new appointment. */
export function apologyLayout(data: ApologyData): DocumentLayout {
  if (!(data.newAppointmentAt > data.originalAppointmentAt)) throw new RangeError('the new appointment must be later than the one it replaces');
  return frame(
    {
      formNumber: 'Mẫu số 04',
      title: 'Văn bản xin lỗi và hẹn lại ngày trả kết quả',
      subtitle: `Kính gửi: ${data.applicant.name}`,
      issuer: data.issuer,
      at: data.issuedAt,
      dossier: data,
    },
    [
      {
        kind: 'paragraph',
        indent: true,
        text: [
          { text: `Ngày ${formatDateVn(data.receivedAt).replace(/^ngày /, '')}, ${data.issuer.name} đã tiếp nhận hồ sơ ` },
          { text: data.procedureName, bold: true },
          { text: ` của Ông/Bà (tổ chức), mã hồ sơ ` },
          { text: `${data.code},`, bold: true },
          { text: ` hẹn trả kết quả vào ${formatDateTimeVn(data.originalAppointmentAt)}.` },
        ],
      },
      { kind: 'paragraph', indent: true, text: [{ text: 'Đến nay hồ sơ chưa giải quyết xong đúng hạn. Lý do: ' }, { text: `${data.reason.replace(/[.\s]+$/, '')}.`, italic: true }] },
      {
        kind: 'paragraph',
        indent: true,
        text: [
          { text: `${data.issuer.name} trân trọng xin lỗi Ông/Bà (tổ chức) vì sự chậm trễ này và hẹn lại thời gian trả kết quả vào ` },
          { text: formatDateTimeVn(data.newAppointmentAt), bold: true },
          { text: '.' },
        ],
      },
      { kind: 'paragraph', text: field('Thời hạn trả kết quả đã hẹn trước đây', formatDateTimeVn(data.originalAppointmentAt)) },
      { kind: 'paragraph', indent: true, text: 'Thời hạn mới chỉ được hẹn lại một lần. Rất mong nhận được sự thông cảm của Ông/Bà (tổ chức).' },
      { kind: 'signatures', signatures: [{ title: '' }, { title: data.signer.title, note: '(Ký, ghi rõ họ tên và đóng dấu)', name: data.signer.name }] },
      trackingBlock(data),
    ],
  );
}
