/**
 * Our own words for the server's refusals. The API answers in English (its problems are
 * for developers and logs); a page shows the person a sentence in their language for the
 * cases we know, and the server's text only as a detail beside it.
 */
import { ApiError } from './api';
import { h } from './dom';
import { isMessageKey, t, type MessageKey } from './i18n';

/** The known case an error is, as a message key of ours. */
export function knownCase(error: unknown, context: 'login' | 'compare' | 'general' = 'general'): MessageKey {
  if (!(error instanceof ApiError)) return 'error.network';
  const { status, detail = '' } = error.problem;
  // A dossier operation the law forbids: the refusal's code leads its detail ("APOLOGY_TOO_LATE: …").
  const refusal = error.problem.code === 'DOSSIER_OPERATION_REFUSED' ? `refusal.${/^([A-Z_]+):/.exec(detail)?.[1]}` : '';
  if (refusal && isMessageKey(refusal)) return refusal;
  if (context === 'login' && (status === 401 || status === 400)) return 'error.wrongCredentials';
  if (context === 'compare' && status === 404 && /as-is/.test(detail)) return 'error.noAsIs';
  if (context === 'compare' && status === 404 && /to-be/.test(detail)) return 'error.noToBe';
  if (status === 401) return 'error.sessionExpired';
  if (status === 403) return 'error.forbidden';
  if (status === 404) return 'error.notFound';
  if (status === 413) return 'error.tooLarge';
  if (status === 429) return 'error.tooMany';
  if (status >= 500) return 'error.server';
  return 'error.refused';
}

/** The server's own text of an error, if it has one (shown as a detail). */
export function serverDetail(error: unknown): string | undefined {
  if (error instanceof ApiError) return error.problem.detail ?? error.problem.title;
  return undefined;
}

/** Our sentence for an error (no server text in it). */
export function explain(error: unknown, context: 'login' | 'compare' | 'general' = 'general'): string {
  return t(knownCase(error, context));
}

/**
 * Fills `target` with our sentence for the error, framed by `frame` (e.g. "Không so sánh
 * được: …"), and the server's text in a small "Chi tiết từ máy chủ" disclosure, marked English.
 */
export function showError(target: HTMLElement, error: unknown, context: 'login' | 'compare' | 'general' = 'general', frame: (sentence: string) => string = (s) => s): void {
  const sentence = frame(explain(error, context));
  const detail = serverDetail(error);
  target.replaceChildren(
    h('span', { class: 'error-text' }, sentence),
    ...(detail ? [h('details', { class: 'error-detail' }, h('summary', {}, t('error.serverSaid')), h('span', { lang: 'en' }, detail))] : []),
  );
}
