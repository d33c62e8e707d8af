/**
 * Mẫu 05 — Thông báo dừng giải quyết hồ sơ (Decree 118/2025 art. 19(5), 21): the dossier is
 * stopped without a result, because the supplement did not come within its time or because
 * the applicant withdrew it. Every status up to here is kept.
 */
import type { DocumentLayout } from '../layout';
import type { StopNoticeData } from '../document-data';
import { formatDateTimeVn, formatDateVn } from '../vn-format';
import { applicantLines, field, frame, trackingBlock } from './common';

function causeText(cause: StopNoticeData['cause']): string {
  switch (cause.kind) {
    case 'no-supplement':
      return `Ông/Bà (tổ chức) đã được yêu cầu bổ sung, hoàn thiện hồ sơ ${formatDateVn(cause.requestedAt)} nhưng không bổ sung đầy đủ trong thời hạn ${cause.supplementDays} ngày theo quy định.`;
    case 'withdrawn':
      return `Ông/Bà (tổ chức) đã đề nghị dừng giải quyết (rút) hồ sơ vào ${formatDateTimeVn(cause.requestedAt)}, trước khi có kết quả giải quyết.`;
    case 'other':
      return cause.text;
  }
}

/** The layout of the notice that a dossier is stopped. */
export function stopNoticeLayout(data: StopNoticeData): DocumentLayout {
  return frame(
    { formNumber: 'Mẫu số 05', title: 'Thông báo dừng giải quyết hồ sơ', issuer: data.issuer, at: data.stoppedAt, dossier: data },
    [
      { kind: 'paragraph', text: `${data.issuer.name} thông báo dừng giải quyết hồ sơ của:` },
      ...applicantLines(data),
      { kind: 'paragraph', text: field('Nội dung yêu cầu giải quyết', data.procedureName) },
      { kind: 'paragraph', text: field('Thời gian tiếp nhận hồ sơ', formatDateTimeVn(data.receivedAt)) },
      { kind: 'paragraph', text: [{ text: 'Lý do dừng giải quyết: ', bold: true }, { text: causeText(data.cause) }] },
      {
        kind: 'paragraph',
        indent: true,
        text: 'Hồ sơ và toàn bộ quá trình xử lý được lưu giữ theo quy định. Ông/Bà (tổ chức) có thể nộp hồ sơ mới khi có nhu cầu.',
      },
      { kind: 'signatures', signatures: [{ title: '' }, { title: data.signer.title, note: '(Ký, ghi rõ họ tên và đóng dấu)', name: data.signer.name }] },
      trackingBlock(data),
    ],
  );
}
