/** The audit trail: verification of the hash-chained log of dossier and task events (issue 16). */
import { named } from './common';
import { operation } from './operation';

export const AuditVerification = named('AuditVerification', {
  type: 'object',
  description: 'ok with the counts checked, or the first bad row: its dossier and sequence (or seal), the kind of problem and why.',
  required: ['ok'],
  properties: {
    ok: { type: 'boolean' },
    agency: { type: 'string', description: 'The agency whose dossiers were verified (absent: the whole trail).' },
    entries: { type: 'integer', description: 'Entries checked (of the agency\'s dossiers, when scoped).' },
    dossiers: { type: 'integer', description: 'Dossiers checked (of the agency, when scoped).' },
    seals: { type: 'integer', description: 'Seals in the seal chain; when scoped, those that recorded a head of one of the agency\'s dossiers.' },
    problem: {
      type: 'object',
      required: ['kind', 'reason'],
      properties: {
        kind: { type: 'string', enum: ['entry-changed', 'entry-deleted', 'entry-reordered', 'entry-inserted', 'chain-rewritten', 'dossier-missing', 'seal-changed', 'seal-missing'] },
        dossierId: { type: 'string' },
        sequence: { type: 'integer' },
        seal: { type: 'integer' },
        reason: { type: 'string' },
      },
    },
  },
});

export const verifyAudit = operation({
  operationId: 'verifyAudit',
  method: 'get',
  path: '/audit/verify',
  summary: 'Verify the audit trail (whole, or one agency\'s dossiers): the dossier chains and the seal chain; name the first bad row',
  description:
    'Reads the log in stored order. A row changed, deleted or reordered breaks its dossier chain; a chain rewritten or a dossier deleted whole ' +
    'no longer matches the seal that recorded its head. An analyst verifies the whole trail (it spans every agency; the operator has `motcua audit verify`), or one agency with `?agency=`. ' +
    'An agency admin verifies its own agency (the default; another agency is refused): the chains of the dossiers it is responsible for or took part in, their heads against the seals, ' +
    'and the seal chain; the counts and the bad row are of that agency\'s dossiers only (a seal problem names the seal). ' +
    'Answers 200 either way: `ok` says whether the log is intact. Dossier ids and sequences only, no personal data.',
  tag: 'audit',
  roles: ['analyst', 'agency-admin (own agency)'],
  query: {
    type: 'object',
    properties: { agency: { type: 'string', minLength: 1, maxLength: 100, description: 'Verify only the dossiers of this agency (its code); an agency admin may name only its own.' } },
    additionalProperties: false,
  },
  responses: { 200: { description: 'The outcome of the verification.', schema: AuditVerification } },
});

export const operations = [verifyAudit];
