/**
 * The notices to the applicant (pure): which dossier events make which notice, and the
 * Vietnamese text of each, as the one-stop-shop rules ask the agency to tell the applicant:
 * the receipt (mẫu 01: code and appointment), the supplement request (mẫu 02: every item with
 * its reason and the time to supplement), the refusal at reception or rejection after
 * examination (mẫu 03, with the reasons), the late apology (mẫu 04: the new appointment and
 * why), the stop for want of a supplement or on the applicant's withdrawal (mẫu 05) and the result being ready (with the control
 * slip, mẫu 06, of how it was handled). Each mail carries its form as a PDF (rendered when it is
 * sent: notice-transport.ts). Delivered by email when the applicant gave an address; the outbox
 * makes sure a notice is never lost.
 */
import type { DossierChange } from '../dossiers/dossier-sink';
import type { DossierEvent } from '../dossiers/dossier-events';
import { formatDateTimeVn, formatDateVn } from '../documents/vn-format';

export type NoticeKind = 'receipt' | 'supplement-request' | 'refusal' | 'late-apology' | 'stop' | 'result-ready';

/** A notice, ready to send. */
export interface Notice {
  kind: NoticeKind;
  /** The form attached to the mail, by its number in Circular 03/2025 (mẫu 01–06). */
  form: '01' | '02' | '03' | '04' | '05' | '06';
  to: string;
  subject: string;
  text: string;
  /** The dossier event the notice answers: the attached form is filled from it when the mail is sent. */
  event: DossierEvent;
}

/** The dossier events that make a notice. */
export const NOTICE_EVENTS: ReadonlySet<DossierEvent['type']> = new Set(['dossierReceived', 'supplementRequested', 'dossierRefused', 'dossierRejected', 'appointmentRedated', 'dossierStopped', 'dossierWithdrawn', 'resultReady']);

/** Which notice a dossier event makes, if any. */
export function noticeKindOf(event: DossierEvent): NoticeKind | undefined {
  switch (event.type) {
    case 'dossierReceived':
      return 'receipt';
    case 'supplementRequested':
      return 'supplement-request';
    case 'dossierRefused':
    case 'dossierRejected':
      return 'refusal';
    case 'appointmentRedated':
      return 'late-apology';
    case 'dossierStopped':
    case 'dossierWithdrawn':
      return 'stop';
    case 'resultReady':
      return 'result-ready';
    default:
      return undefined;
  }
}

const greeting = (name: string | undefined): string => `Kính gửi: ${name ?? 'Ông/Bà'},`;
const SIGNATURE = '\n\nĐây là thư tự động của Bộ phận Một cửa; vui lòng không trả lời thư này.';

/** The notices of one dossier change for an applicant with an email address (none without one). */
export function noticesOf(change: DossierChange, contact: { name?: string; email?: string } | undefined): Notice[] {
  if (!contact?.email) return [];
  const code = change.dossier.code ?? change.dossier.id;
  const notices: Notice[] = [];
  for (const event of change.events) {
    const kind = noticeKindOf(event);
    if (!kind) continue;
    notices.push({ ...noticeText(kind, event, code, contact.name), to: contact.email, event });
  }
  return notices;
}

function noticeText(kind: NoticeKind, event: DossierEvent, code: string, name: string | undefined): Omit<Notice, 'to' | 'event'> {
  const head = greeting(name);
  switch (event.type) {
    case 'dossierReceived':
      return {
        kind,
        form: '01',
        subject: `Tiếp nhận hồ sơ ${code}`,
        text: `${head}\n\nHồ sơ của Ông/Bà đã được tiếp nhận với mã số ${code} lúc ${formatDateTimeVn(event.at)}.\nNgày hẹn trả kết quả: ${formatDateVn(event.appointmentAt)}.\nÔng/Bà có thể tra cứu tình trạng hồ sơ bằng mã số hồ sơ và mã tra cứu ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả.${SIGNATURE}`,
      };
    case 'supplementRequested':
      return {
        kind,
        form: '02',
        subject: `Yêu cầu bổ sung, hoàn thiện hồ sơ ${code}`,
        text: `${head}\n\nHồ sơ ${code} cần được bổ sung, hoàn thiện các nội dung sau:\n${event.items.map((item, i) => `${i + 1}. ${item.name}: ${item.reason}`).join('\n')}\nĐề nghị Ông/Bà bổ sung, hoàn thiện hồ sơ trước ${formatDateVn(event.dueAt)}; quá thời hạn này hồ sơ sẽ bị dừng xử lý.${SIGNATURE}`,
      };
    case 'appointmentRedated':
      return {
        kind,
        form: '04',
        subject: `Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ ${code}`,
        text: `${head}\n\nCơ quan giải quyết thành thật xin lỗi Ông/Bà vì hồ sơ ${code} chưa có kết quả đúng hẹn ${formatDateVn(event.originalAppointmentAt)}.\nLý do: ${event.reason}\nNgày hẹn trả kết quả mới: ${formatDateVn(event.newAppointmentAt)}.${SIGNATURE}`,
      };
    case 'dossierRefused':
    case 'dossierRejected':
      return {
        kind,
        form: '03',
        subject: `Từ chối ${event.type === 'dossierRefused' ? 'tiếp nhận' : 'giải quyết'} hồ sơ ${code}`,
        text: `${head}\n\nHồ sơ ${code} ${event.type === 'dossierRefused' ? 'không được tiếp nhận' : 'không được giải quyết'} vì:\n${event.reasons.map((reason, i) => `${i + 1}. ${reason}`).join('\n')}${SIGNATURE}`,
      };
    case 'dossierStopped':
      return {
        kind,
        form: '05',
        subject: `Thông báo dừng giải quyết hồ sơ ${code}`,
        text: `${head}\n\nHồ sơ ${code} đã bị dừng giải quyết từ ${formatDateTimeVn(event.at)} vì không được bổ sung, hoàn thiện trước ${formatDateVn(event.supplementDueAt)}.${SIGNATURE}`,
      };
    case 'dossierWithdrawn':
      return {
        kind,
        form: '05',
        subject: `Thông báo dừng giải quyết hồ sơ ${code}`,
        text: `${head}\n\nTheo đề nghị rút hồ sơ của Ông/Bà, hồ sơ ${code} đã được dừng giải quyết từ ${formatDateTimeVn(event.at)}.${event.reason ? `\nLý do Ông/Bà nêu: ${event.reason}` : ''}${SIGNATURE}`,
      };
    case 'resultReady':
      return {
        kind,
        form: '06',
        subject: `Hồ sơ ${code} đã có kết quả`,
        text: `${head}\n\nHồ sơ ${code} đã có kết quả giải quyết từ ${formatDateTimeVn(event.at)}.\nMời Ông/Bà nhận kết quả theo hình thức đã đăng ký${event.eResult ? ' (có bản điện tử)' : ''}.${SIGNATURE}`,
      };
    default:
      throw new Error(`no notice for a dossier event of type '${event.type}'`);
  }
}
