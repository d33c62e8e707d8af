/**
 * Notice rows to mail: the message a notice row becomes, for whatever sends mail (the
 * composition root gives nodemailer's SMTP transport). The Message-ID is the row's, the same on
 * every try, so a repeat after a crash between send and mark is recognisable.
 */
import type { OutboxRow } from '../outbox/outbox-store';
import type { Notice } from './notices';

/** What a mail sender is given (a subset of nodemailer's message options). */
export interface NoticeMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  messageId: string;
  headers: Record<string, string>;
  /** The form of the notice as a PDF (nodemailer attachment shape). */
  attachments?: NoticeAttachment[];
}

/** A file attached to a notice mail. */
export interface NoticeAttachment {
  filename: string;
  content: Buffer;
  contentType: string;
}

/** The stable Message-ID of a notice row: `<notice-{row}.{dossier}@{domain of the sender address}>`. */
export function noticeMessageId(row: Pick<OutboxRow, 'id' | 'dossierId'>, from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'motcua.invalid';
  return `<notice-${row.id}.${row.dossierId.replace(/[^A-Za-z0-9.-]/g, '-')}@${domain}>`;
}

/** The transport of the notice outbox over a mail sender. */
export function mailNoticeTransport(options: {
  from: string;
  sendMail: (mail: NoticeMail) => Promise<unknown>;
  /** The files to attach (the notice's form as a PDF: notice-attachments.ts); a throw leaves the row for the next try. */
  attachments?: (row: OutboxRow, notice: Notice) => Promise<NoticeAttachment[]>;
}) {
  return async (row: OutboxRow): Promise<void> => {
    const notice = row.payload as unknown as Notice;
    const attachments = options.attachments ? await options.attachments(row, notice) : [];
    await options.sendMail({
      from: options.from,
      to: notice.to,
      subject: notice.subject,
      text: notice.text,
      messageId: noticeMessageId(row, options.from),
      headers: { 'X-Motcua-Notice': notice.kind, 'X-Motcua-Dossier': row.dossierId },
      ...(attachments.length > 0 ? { attachments } : {}),
    });
  };
}
