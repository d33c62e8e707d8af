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
import { apologyDataOf, controlSlipDataOf, receiptDataOf, refusalDataOf, stopNoticeDataOf, supplementRequestDataOf, type DossierFormSource } from '../documents/dossier-forms';
import { DOSSIER_FORM_NUMBERS, type DossierDocumentKind, type DossierDocuments, type DossierFormNumber } from '../documents/index';
import { formatDateTimeVn, formatDateVn } from '../documents/vn-format';

export type NoticeKind = 'receipt' | 'supplement-request' | 'refusal' | 'late-apology' | 'stop' | 'result-ready';

/** A notice, ready to send. */
export interface Notice {
  kind: NoticeKind;
  /** The form attached to the mail, by its number in Circular 03/2025 (mẫu 01–06). */
  form: DossierFormNumber;
  to: string;
  subject: string;
  text: string;
  /** The dossier event the notice answers: the attached form is filled from it when the mail is sent. */
  event: DossierEvent;
}

type Of<T extends DossierEvent['type']> = Extract<DossierEvent, { type: T }>;

/** What an event of type `T` calls for: the notice to the applicant, and the form it carries (mẫu 01–06) with how its data is filled from the dossier and the event. */
export type FollowUp<T extends DossierEvent['type'] = DossierEvent['type']> = {
  [K in DossierDocumentKind]: { notice: NoticeKind; form: K; formData: (source: DossierFormSource, event: Of<T>) => DossierDocuments[K] };
}[DossierDocumentKind];

/** What follows from each dossier event: the notice to the applicant and its form. An event not named here makes neither. */
export const EVENT_FOLLOW_UPS = {
  dossierReceived: { notice: 'receipt', form: 'receipt', formData: receiptDataOf },
  supplementRequested: { notice: 'supplement-request', form: 'supplement-request', formData: supplementRequestDataOf },
  dossierRefused: { notice: 'refusal', form: 'refusal', formData: refusalDataOf },
  dossierRejected: { notice: 'refusal', form: 'refusal', formData: refusalDataOf },
  appointmentRedated: { notice: 'late-apology', form: 'apology', formData: apologyDataOf },
  dossierStopped: { notice: 'stop', form: 'stop-notice', formData: stopNoticeDataOf },
  dossierWithdrawn: { notice: 'stop', form: 'stop-notice', formData: stopNoticeDataOf },
  resultReady: { notice: 'result-ready', form: 'control-slip', formData: (source, event) => controlSlipDataOf(source, event.at) },
} satisfies { [T in DossierEvent['type']]?: FollowUp<T> };

/** The dossier events that make a notice: those of {@link EVENT_FOLLOW_UPS}. */
export const NOTICE_EVENTS: ReadonlySet<DossierEvent['type']> = new Set(Object.keys(EVENT_FOLLOW_UPS) as Array<keyof typeof EVENT_FOLLOW_UPS>);

/** What follows from a dossier event (see {@link EVENT_FOLLOW_UPS}); undefined when nothing does. */
export function followUpOf(event: DossierEvent): FollowUp | undefined {
  return NOTICE_EVENTS.has(event.type) ? (EVENT_FOLLOW_UPS[event.type as keyof typeof EVENT_FOLLOW_UPS] as FollowUp) : undefined;
}

const greeting = (name: string | undefined): string => `Kính gửi: ${name ?? 'Ông/Bà'},`;
const SIGNATURE = '\n\nĐây là thư tự động của Bộ phận Một cửa; vui lòng không trả lời thư này.';

/** The notices of one dossier change for an applicant with an email address (none without one). */
export function noticesOf(change: DossierChange, contact: { name?: string; email?: string } | undefined): Notice[] {
  if (!contact?.email) return [];
  const code = change.dossier.code ?? change.dossier.id;
  const notices: Notice[] = [];
  for (const event of change.events) {
    const followUp = followUpOf(event);
    if (!followUp) continue;
    notices.push({ kind: followUp.notice, form: DOSSIER_FORM_NUMBERS[followUp.form], ...noticeText(event, code, contact.name), to: contact.email, event });
  }
  return notices;
}

/** The subject and text of the notice `event` makes. */
function noticeText(event: DossierEvent, code: string, name: string | undefined): Pick<Notice, 'subject' | 'text'> {
  const head = greeting(name);
  switch (event.type) {
    case 'dossierReceived':
      return {
        subject: `Tiếp nhận hồ sơ ${code}`,
        text: `${head}\n\nHồ sơ của Ông/Bà đã được tiếp nhận với mã số ${code} lúc ${formatDateTimeVn(event.at)}.\nNgày hẹn trả kết quả: ${formatDateVn(event.appointmentAt)}.\nÔng/Bà có thể tra cứu tình trạng hồ sơ bằng mã số hồ sơ và mã tra cứu ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả.${SIGNATURE}`,
      };
    case 'supplementRequested':
      return {
        subject: `Yêu cầu bổ sung, hoàn thiện hồ sơ ${code}`,
        text: `${head}\n\nHồ sơ ${code} cần được bổ sung, hoàn thiện các nội dung sau:\n${event.items.map((item, i) => `${i + 1}. ${item.name}: ${item.reason}`).join('\n')}\nĐề nghị Ông/Bà bổ sung, hoàn thiện hồ sơ trước ${formatDateVn(event.dueAt)}; quá thời hạn này hồ sơ sẽ bị dừng xử lý.${SIGNATURE}`,
      };
    case 'appointmentRedated':
      return {
        subject: `Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ ${code}`,
        text: `${head}\n\nCơ quan giải quyết thành thật xin lỗi Ông/Bà vì hồ sơ ${code} chưa có kết quả đúng hẹn ${formatDateVn(event.originalAppointmentAt)}.\nLý do: ${event.reason}\nNgày hẹn trả kết quả mới: ${formatDateVn(event.newAppointmentAt)}.${SIGNATURE}`,
      };
    case 'dossierRefused':
    case 'dossierRejected':
      return {
        subject: `Từ chối ${event.type === 'dossierRefused' ? 'tiếp nhận' : 'giải quyết'} hồ sơ ${code}`,
        text: `${head}\n\nHồ sơ ${code} ${event.type === 'dossierRefused' ? 'không được tiếp nhận' : 'không được giải quyết'} vì:\n${event.reasons.map((reason, i) => `${i + 1}. ${reason}`).join('\n')}${SIGNATURE}`,
      };
    case 'dossierStopped':
      return {
        subject: `Thông báo dừng giải quyết hồ sơ ${code}`,
        text: `${head}\n\nHồ sơ ${code} đã bị dừng giải quyết từ ${formatDateTimeVn(event.at)} vì không được bổ sung, hoàn thiện trước ${formatDateVn(event.supplementDueAt)}.${SIGNATURE}`,
      };
    case 'dossierWithdrawn':
      return {
        subject: `Thông báo dừng giải quyết hồ sơ ${code}`,
        text: `${head}\n\nTheo đề nghị rút hồ sơ của Ông/Bà, hồ sơ ${code} đã được dừng giải quyết từ ${formatDateTimeVn(event.at)}.${event.reason ? `\nLý do Ông/Bà nêu: ${event.reason}` : ''}${SIGNATURE}`,
      };
    case 'resultReady':
      return {
        subject: `Hồ sơ ${code} đã có kết quả`,
        text: `${head}\n\nHồ sơ ${code} đã có kết quả giải quyết từ ${formatDateTimeVn(event.at)}.\nMời Ông/Bà nhận kết quả theo hình thức đã đăng ký${event.eResult ? ' (có bản điện tử)' : ''}.${SIGNATURE}`,
      };
    default:
      throw new Error(`no notice for a dossier event of type '${event.type}'`);
  }
}
