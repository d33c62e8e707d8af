/**
 * Mẫu 03 — Phiếu từ chối tiếp nhận giải quyết hồ sơ (Decree 118/2025 art. 16): a dossier
 * the desk cannot accept (not within the agency's competence, not eligible), with every
 * reason in writing.
 */
import type { DocumentLayout } from '../layout';
import type { RefusalData } from '../document-data';
import { applicantLines, field, frame, trackingBlock } from './common';

/** The layout of a refusal at reception. */
export function refusalLayout(data: RefusalData): DocumentLayout {
  if (data.reasons.length === 0) throw new RangeError('a refusal must give at least one reason');
  return frame(
    { formNumber: 'Mẫu số 03', title: 'Phiếu từ chối tiếp nhận giải quyết hồ sơ', issuer: data.issuer, at: data.refusedAt, dossier: data },
    [
      { kind: 'paragraph', text: `${data.issuer.name} đã nhận hồ sơ đề nghị giải quyết thủ tục hành chính của:` },
      ...applicantLines(data),
      { kind: 'paragraph', text: field('Nội dung yêu cầu giải quyết', data.procedureName) },
      { kind: 'paragraph', text: 'Căn cứ quy định của pháp luật, cơ quan không tiếp nhận, giải quyết hồ sơ này vì các lý do sau:' },
      { kind: 'list', style: 'numbered', items: data.reasons },
      { kind: 'paragraph', indent: true, text: 'Xin thông báo để Ông/Bà (tổ chức) được biết và thực hiện.' },
      { kind: 'signatures', signatures: [{ title: '' }, { title: 'Người tiếp nhận hồ sơ', note: '(Ký và ghi rõ họ tên)', name: data.refusedBy }] },
      trackingBlock(data),
    ],
  );
}
