/**
 * Mẫu 02 — Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Decree 118/2025 art. 16(3), 19(5)):
 * lists every missing or wrong item with its reason, once — a dossier gets one supplement
 * request only — and the time the applicant has before the dossier is stopped.
 */
import type { DocumentLayout } from '../layout';
import type { SupplementRequestData } from '../document-data';
import { formatDateTimeVn } from '../vn-format';
import { applicantLines, field, frame, trackingBlock } from './common';

/** The layout of the (single) supplement request of a dossier. */
export function supplementRequestLayout(data: SupplementRequestData): DocumentLayout {
  if (data.items.length === 0) throw new RangeError('a supplement request must name at least one item');
  return frame(
    { formNumber: 'Mẫu số 02', title: 'Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ', issuer: data.issuer, at: data.requestedAt, dossier: data },
    [
      { kind: 'paragraph', text: [{ text: `Ngày ${formatDateTimeVn(data.receivedAt).replace(/^.*ngày /, '')}, ${data.issuer.name} đã tiếp nhận hồ sơ của:` }] },
      ...applicantLines(data),
      { kind: 'paragraph', text: field('Nội dung yêu cầu giải quyết', data.procedureName) },
      { kind: 'paragraph', text: 'Sau khi xem xét, hồ sơ chưa đầy đủ, hợp lệ. Đề nghị Ông/Bà (tổ chức) bổ sung, hoàn thiện các nội dung sau:', align: 'justify' },
      {
        kind: 'table',
        columns: [
          { header: 'TT', width: 1, align: 'center' },
          { header: 'Giấy tờ, nội dung cần bổ sung, hoàn thiện', width: 7 },
          { header: 'Lý do', width: 6 },
        ],
        rows: data.items.map((item, i) => [String(i + 1), item.name, item.reason ?? '']),
      },
      {
        kind: 'paragraph',
        indent: true,
        text: [
          { text: 'Đây là yêu cầu bổ sung duy nhất đối với hồ sơ này. Thời hạn bổ sung: ' },
          { text: `${data.supplementDays} ngày`, bold: true },
          { text: ' kể từ ngày nhận phiếu này; quá thời hạn trên mà hồ sơ chưa được bổ sung đầy đủ, cơ quan giải quyết sẽ dừng giải quyết hồ sơ và thông báo cho Ông/Bà (tổ chức).' },
        ],
      },
      {
        kind: 'paragraph',
        indent: true,
        text: 'Khi hồ sơ được bổ sung đầy đủ, thời hạn giải quyết được tính lại từ đầu theo quy định và ghi trên giấy hẹn mới.',
      },
      ...(data.contact ? [{ kind: 'paragraph' as const, text: field('Mọi vướng mắc xin liên hệ', data.contact) }] : []),
      { kind: 'signatures', signatures: [{ title: 'Người nộp hồ sơ', note: '(Ký và ghi rõ họ tên)', name: data.applicant.name }, { title: 'Người hướng dẫn', note: '(Ký và ghi rõ họ tên)', name: data.requestedBy }] },
      trackingBlock(data),
    ],
  );
}
