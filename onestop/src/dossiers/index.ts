/**
 * The dossier layer's pure core: the legal lifecycle of a dossier (hồ sơ) under Decree
 * 118/2025, its rules as dated data, its code, and how the engine's steps move it. No I/O,
 * no clock reads: the database adapter, the engine listener and the API call these next.
 *
 * ## Design
 * - **Rules are data with dates** (data/dossier-rules.json, validated with ajv at load):
 *   one supplement request, 15 days to supplement, 3 working days for the processing unit
 *   to ask, 8 working hours for online dossiers (and the warning before), the apology 1 day
 *   before the due date with one re-dated appointment, restart or pause after a
 *   supplement, the 15:00 transfer cut-off, the code pattern. A dossier keeps the version
 *   in force at its receipt (`rulesFrom`).
 * - **One decision function**, xstate's `transition` in spirit:
 *   `decide(dossier, operation, { now, actor, rules, clock })` → the dossier after, the
 *   changed fields and the past-tense events to record, or a refusal with a stable code
 *   and the article (`SUPPLEMENT_ALREADY_REQUESTED`: "… (Decree 118/2025/NĐ-CP art.
 *   11(2)(c), 16(3): one supplement request per dossier)"). The calendar comes in as a
 *   `DossierClock` (addWorkingTime / workingTimeBetween over the agency's calendar).
 * - **Appointments are stored, never recomputed**: the one printed on the receipt
 *   (`receiptAppointmentAt`) stays when calendar data changes; the legal one moves only on
 *   a complete supplement (restart from zero, or pause: the remaining time resumes) and on
 *   the one re-dating after an apology, which leaves the dossier late for good.
 * - **The process drives the dossier through the same guards**: `dossierEventsOfStep`
 *   reads a step's effects (the `motcua:facts dossierStatus` of an opened task's node, the
 *   hand-offs between holders with the new task's due date); `applyStepToDossier` turns
 *   them into operations for `decide`. A StepListener runs both inside the command's
 *   transaction and writes the dossier row, the audit entries (onestop/src/audit) and the
 *   projections the statistics read (onestop/src/statistics).
 * - **The dossier code** is formatted and parsed from the pattern setting; its daily
 *   sequence will be a counter row incremented in the receipt's transaction (see
 *   dossier-code.ts).
 */
export { submittedDossier, DOSSIER_STATUSES, FINAL_STATUSES, type Dossier, type DossierChannel, type DossierProcedure, type DossierStatus, type DossierSupplement, type SupplementItem, type SupplementStage } from './dossier';
export { dossierClockOf, type DossierClock } from './dossier-clock';
export { formatDossierCode, parseCodePattern, parseDossierCode, type CodePattern, type CodePatternPart, type DossierCodeFields, type DossierCodeOptions } from './dossier-code';
export type { DossierEvent, DossierEventBase, DossierEventType, OnlineAcceptance } from './dossier-events';
export { bundledDossierRules, localDateOf, rulesForDossier, rulesInForce, validateDossierRules, type ClockAfterSupplement, type DossierRules, type DossierRulesVersion, type DurationUnit, type LegalDuration } from './dossier-rules';
export { DossierCodeError, DossierRulesError } from './errors';
export { decide, onlineAcceptanceDeadline, processingSupplementDeadline, transferDeadline, type DecisionContext, type Decision, type DossierOperation, type DossierOperationType, type Refusal, type RefusalCode } from './lifecycle';
export { applyStepToDossier, DOSSIER_VARIABLES, dossierEventsOfStep, dossierVariableWritten, dossierStatusOf, graphFacts, holderOf, type DossierStepOutcome, type ReachedStatus, type StepForDossier, type StepGraphFacts, type StepHandOff, type TaskHolderFacts } from './step-events';
export type { DossierChange, DossierChangeFacts, DossierSink } from './dossier-sink';
export { timelinessOf, type Timeliness } from './timeliness';
export { controlSlipHandOffs, holderShares, type HolderShare } from './control-slip';
