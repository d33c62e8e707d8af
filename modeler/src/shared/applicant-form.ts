/**
 * The applicant's part of a receipt or a submission, as a JSON Schema for schema-form.ts: the
 * fields and limits of the API's `Applicant` (api/src/schemas/dossiers.ts; Law 91/2025: only
 * what the procedure needs), so what the page accepts the server accepts too.
 */
import { t } from './i18n';

/** `name`: filled in; `withKind`: ask whether a citizen or an organisation applies (the desk asks, the portal knows). */
export function applicantSchema(options: { name?: string; withKind: boolean }): Record<string, unknown> {
  return {
    type: 'object',
    required: options.withKind ? ['name', 'kind'] : ['name'],
    properties: {
      ...(options.withKind
        ? { kind: { type: 'string', title: t('applicant.kind'), oneOf: [{ const: 'citizen', title: t('applicant.citizen') }, { const: 'organisation', title: t('applicant.organisation') }] } }
        : {}),
      name: { type: 'string', title: t('portal.name'), maxLength: 200, ...(options.name ? { default: options.name } : {}), 'x-autocomplete': 'name' },
      idNumber: { type: 'string', title: t('portal.idNumber'), pattern: '^[0-9A-Za-z]{6,20}$', maxLength: 20 },
      phone: { type: 'string', title: t('portal.phone'), pattern: '^[0-9+ ]{6,20}$', maxLength: 20, 'x-autocomplete': 'tel' },
      email: { type: 'string', title: t('portal.email'), format: 'email', maxLength: 200, 'x-autocomplete': 'email' },
      address: { type: 'string', title: t('portal.address'), maxLength: 500 },
    },
  };
}
