/**
 * The tamper-evident audit trail, pure: per-dossier hash chains over canonical JSON and
 * periodic seals of the new heads (see hash-chain.ts). The dossier listener appends
 * entries under the dossier's row lock; a job seals off the command path; `verify` checks
 * a whole log, or the dossiers of one agency.
 */
export { canonicalJson, CanonicalJsonError } from './canonical-json';
export { appendEntry, chainEntry, entryHash, GENESIS_HASH, LogVerifier, newHeads, sealHeads, verify, type AuditEntry, type AuditEntryContent, type ChainedEntry, type AuditProblem, type AuditProblemKind, type AuditScope, type AuditSeal, type AuditVerification, type SealedHead, type SealLink } from './hash-chain';
export { AuditTrail, taskEntryContents, type AuditLogRow, type AuditLogScope, type AuditStore, type RunTransaction } from './audit-trail';
