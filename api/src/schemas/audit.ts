/** The audit trail: verification of the hash-chained log of dossier and task events (issue 16). */
import { named } from './common';
import { operation } from './operation';

export const AuditVerification = named('AuditVerification', {
  type: 'object',
  description: 'ok with the counts checked, or the first bad row: its dossier and sequence (or seal), the kind of problem and why.',
  required: ['ok'],
  properties: {
    ok: { type: 'boolean' },
    entries: { type: 'integer' },
    dossiers: { type: 'integer' },
    seals: { type: 'integer' },
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
  summary: 'Verify the audit trail: every dossier chain and the seal chain; name the first bad row',
  description:
    'Reads the whole log in stored order. A row changed, deleted or reordered breaks its dossier chain; a chain rewritten or a dossier deleted whole ' +
    'no longer matches the seal that recorded its head. Analysts only: the trail spans every agency (an agency admin is refused; the operator has `motcua audit verify`). Answers 200 either way: `ok` says whether the log is intact. Dossier ids and sequences only, no personal data.',
  tag: 'audit',
  roles: ['analyst'],
  responses: { 200: { description: 'The outcome of the verification.', schema: AuditVerification } },
});

export const operations = [verifyAudit];
