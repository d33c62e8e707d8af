/**
 * Mẫu 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Circular 03/2025/TT-VPCP, Annex I;
 * Decree 118/2025 art. 16–17): issued when a complete, valid dossier is received. It names
 * the dossier code, the documents received, the statutory time, when the clock started
 * (the receipt) and the appointment for the result.
 */
import type { Block, DocumentLayout } from '../layout';
import type { ReceiptData } from '../document-data';
import { formatDateTimeVn, formatFeeVn } from '../vn-format';
import { applicantLines, field, frame, trackingBlock } from './common';

/** The documents received: originals and paper copies (the form's columns), and electronic files in a column of their own when there are any. */
function documentsTable(data: ReceiptData): Block {
  const electronic = data.documents.some((d) => (d.electronic ?? 0) > 0);
  return {
    kind: 'table',
    columns: [
      { header: 'TT', width: 1, align: 'center' },
      { header: 'Tên giấy tờ', width: electronic ? 8 : 9 },
      { header: 'Bản chính', width: 2, align: 'center' },
      { header: 'Bản sao', width: 2, align: 'center' },
      ...(electronic ? [{ header: 'Bản điện tử', width: 2, align: 'center' as const }] : []),
    ],
    rows: data.documents.map((d, i) => [String(i + 1), d.name, String(d.originals ?? 0), String(d.copies ?? 0), ...(electronic ? [String(d.electronic ?? 0)] : [])]),
  };
}

/** The layout of a receipt with its appointment. */
export function receiptLayout(data: ReceiptData): DocumentLayout {
  return frame(
    { formNumber: 'Mẫu số 01', title: 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả', issuer: data.issuer, at: data.receivedAt, dossier: data },
    [
      { kind: 'paragraph', text: [{ text: `${data.issuer.name} tiếp nhận hồ sơ của:` }] },
      ...applicantLines(data),
      { kind: 'paragraph', text: field('Nội dung yêu cầu giải quyết', data.procedureName) },
      { kind: 'paragraph', text: [{ text: '1. Thành phần hồ sơ nộp gồm:', bold: true }] },
      documentsTable(data),
      { kind: 'paragraph', text: [{ text: '2. Số lượng hồ sơ: ', bold: true }, { text: `${String(data.sets ?? 1).padStart(2, '0')} bộ.` }] },
      { kind: 'paragraph', text: [{ text: '3. Thời gian giải quyết hồ sơ theo quy định: ', bold: true }, { text: `${data.statutoryTime}.` }] },
      { kind: 'paragraph', text: [{ text: '4. Thời gian nhận hồ sơ: ', bold: true }, { text: `${formatDateTimeVn(data.receivedAt)}.` }] },
      { kind: 'paragraph', text: [{ text: '5. Thời gian trả kết quả giải quyết hồ sơ: ', bold: true }, { text: `${formatDateTimeVn(data.appointmentAt)}.` }] },
      { kind: 'paragraph', text: [{ text: '6. Đăng ký nhận kết quả tại: ', bold: true }, { text: `${data.returnPlace}.` }] },
      { kind: 'paragraph', text: [{ text: '7. Phí, lệ phí: ', bold: true }, { text: `${formatFeeVn(data.fee)}.` }] },
      ...(data.register
        ? [{ kind: 'paragraph' as const, text: `Vào Sổ theo dõi hồ sơ, quyển số: ${data.register.book}, số thứ tự: ${data.register.number}.` }]
        : []),
      // The tracking block before the signatures: a long list of documents pushes the signatures (as on paper), never leaves the QR code alone on a page.
      trackingBlock(data),
      {
        kind: 'signatures',
        signatures: [
          { title: 'Người nộp hồ sơ', note: '(Ký và ghi rõ họ tên)', name: data.applicant.name },
          { title: 'Người tiếp nhận hồ sơ', note: '(Ký và ghi rõ họ tên)', name: data.receivedBy },
        ],
      },
    ],
  );
}
