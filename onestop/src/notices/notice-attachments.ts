/**
 * The form a notice mail carries: the PDF of mẫu 01–06 (onestop/src/documents) filled from the
 * dossier as it is when the mail is sent and the event the notice answers (kept in the notice
 * row). Rendered at send time, outside the dossier's transaction, so a step never waits for a
 * PDF; a failure to render leaves the row for the outbox's next try, like a failed send.
 */
import type { TransactionSql } from '../../../engine/src/index';
import { renderDossierDocument } from '../documents/index';
import type { DossierStore } from '../dossiers/dossier-store';
import type { OutboxRow } from '../outbox/outbox-store';
import type { NoticeAttachment } from './notice-transport';
import { followUpOf, type Notice } from './notices';

/** The attachment file name of a form: `mau-01-<dossier code>.pdf`. */
export function noticeAttachmentName(form: string, code: string): string {
  return `mau-${form}-${code.replace(/[^A-Za-z0-9.-]/g, '-')}.pdf`;
}

/** Builds the `attachments` function of the notice transport. */
export function noticeAttachments(deps: {
  dossiers: DossierStore;
  /** Runs a read in one transaction (the engine store's). */
  read: <T>(work: (sql: TransactionSql) => Promise<T>) => Promise<T>;
  /** The public tracking page of a dossier code (the QR code's address). */
  trackingUrl: (code: string) => string;
  /** Officials' display names by id (absent: the forms show the id). */
  names?: (ids: string[]) => Promise<ReadonlyMap<string, string>>;
}): (row: OutboxRow, notice: Notice) => Promise<NoticeAttachment[]> {
  return async (row, notice) => {
    const followUp = notice.event && followUpOf(notice.event);
    if (!followUp) return [];
    const loaded = await deps.read(async (sql) => {
      const record = await deps.dossiers.byId(sql, row.dossierId);
      if (!record) return undefined;
      const procedure = await deps.dossiers.procedure(sql, record.procedureCode);
      const history = await deps.dossiers.history(sql, record.dossier.id);
      return procedure ? { record, procedure, history: history.map((h) => h.event) } : undefined;
    });
    // A dossier or procedure gone is not worth retrying: the mail goes without its form.
    if (!loaded) return [];
    // Everyone the form may name: the receiver, the event's actor, and who handed the dossier on (mẫu 06).
    const ids = [...new Set([loaded.record.details.receivedBy, notice.event.actor, ...loaded.history.map((e) => e.actor)].filter((id): id is string => typeof id === 'string'))];
    const names = deps.names ? await deps.names(ids) : undefined;
    // The table pairs each event type with the builder of its own events: `notice.event` is one of them.
    const data = followUp.formData({ ...loaded, trackingUrl: deps.trackingUrl(loaded.record.dossier.code), ...(names ? { names } : {}) }, notice.event as never);
    const content = await renderDossierDocument(followUp.form, data as never);
    return [{ filename: noticeAttachmentName(notice.form, loaded.record.dossier.code), content, contentType: 'application/pdf' }];
  };
}
