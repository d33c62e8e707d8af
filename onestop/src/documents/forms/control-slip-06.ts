/**
 * Mẫu 06 — Phiếu kiểm soát quá trình giải quyết hồ sơ: every hand-off of the dossier, who
 * handed it to whom and when, and whether each step finished early, on time or late, so
 * that responsibility for a delay can be traced. Filled from the audit trail.
 */
import type { DocumentLayout } from '../layout';
import type { ControlSlipData, HandOff } from '../document-data';
import { formatDateTimeVn, formatShortDateTimeVn } from '../vn-format';
import { field, frame, trackingBlock } from './common';

const RESULT: Record<NonNullable<HandOff['result']>, string> = { early: 'Trước hạn', 'on-time': 'Đúng hạn', late: 'Quá hạn' };

/** The layout of a dossier's control slip. */
export function controlSlipLayout(data: ControlSlipData): DocumentLayout {
  return frame(
    { formNumber: 'Mẫu số 06', title: 'Phiếu kiểm soát quá trình giải quyết hồ sơ', issuer: data.issuer, at: data.issuedAt, dossier: data },
    [
      { kind: 'paragraph', text: field('Cơ quan (bộ phận) giải quyết hồ sơ', data.issuer.parentName ?? data.issuer.name) },
      { kind: 'paragraph', text: field('Người nộp hồ sơ', data.applicant.name) },
      { kind: 'paragraph', text: field('Nội dung yêu cầu giải quyết', data.procedureName) },
      { kind: 'paragraph', text: field('Thời gian nhận hồ sơ', formatDateTimeVn(data.receivedAt)) },
      { kind: 'paragraph', text: field('Thời gian hẹn trả kết quả', formatDateTimeVn(data.appointmentAt)) },
      {
        kind: 'table',
        columns: [
          { header: 'TT', width: 1.2, align: 'center' },
          { header: 'Bên giao', width: 4.2 },
          { header: 'Bên nhận', width: 4.2 },
          { header: 'Thời gian giao, nhận', width: 3.7, align: 'center' },
          { header: 'Hạn xử lý', width: 3.7, align: 'center' },
          { header: 'Kết quả', width: 2.6, align: 'center' },
          { header: 'Ghi chú', width: 2.6 },
        ],
        rows: data.handOffs.map((h, i) => [
          String(i + 1),
          h.from,
          h.to,
          formatShortDateTimeVn(h.at),
          h.dueAt !== undefined ? formatShortDateTimeVn(h.dueAt) : '',
          h.result ? RESULT[h.result] : '',
          h.note ?? '',
        ]),
      },
      { kind: 'paragraph', text: [{ text: 'Kết quả: ', italic: true }, { text: 'trước hạn, đúng hạn hoặc quá hạn so với hạn xử lý của bước; bên giao và bên nhận ký xác nhận khi giao, nhận hồ sơ giấy.', italic: true }] },
      trackingBlock(data),
    ],
  );
}
