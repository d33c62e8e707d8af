/**
 * The rules of the dossier lifecycle (data/dossier-rules.json): every rule of Decree
 * 118/2025 that a later text could change (one supplement request, 15 days to supplement,
 * 3 working days for the processing unit to ask, 8 working hours for online dossiers, the
 * late apology and its one re-dated appointment, restart or pause after a supplement, the
 * 15:00 transfer cut-off, the dossier code pattern) is data with an effective date and its
 * legal source. A dossier keeps the version in force at its receipt: look it up with
 * {@link rulesInForce} on the receipt's local date and keep `effectiveFrom` on the dossier.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import rulesJson from './data/dossier-rules.json';
import rulesSchema from './data/dossier-rules.schema.json';
import { parseCodePattern } from './dossier-code';
import { DossierCodeError, DossierRulesError } from './errors';

/** A unit of a legal duration (the engine's units; `sameDay` is a deadline rule, never a duration). */
export type DurationUnit = 'workingDays' | 'workingHours' | 'hours' | 'calendarDays';

/** An amount of time in a unit, e.g. 15 calendar days. */
export interface LegalDuration {
  amount: number;
  unit: DurationUnit;
}

/** What becomes of the statutory time after a complete supplement during processing. */
export type ClockAfterSupplement = 'restart' | 'pause';

/** One complete version of the dossier rules, in force from `effectiveFrom` until the next version. */
export interface DossierRulesVersion {
  /** Local date "YYYY-MM-DD". */
  effectiveFrom: string;
  sources: string[];
  note?: string;
  timeZone: string;
  /** The zone's offset from UTC in minutes (420 for Vietnam); receipt dates are read in it. */
  utcOffsetMinutes: number;
  /** How many supplement requests a dossier may get. */
  supplementRequests: { max: number; ground: string };
  /** How long the applicant has to supplement before the dossier is stopped. */
  supplementDeadline: LegalDuration & { ground: string };
  /** How long after receiving the dossier the processing unit may still ask for a supplement. */
  processingSupplementWindow: LegalDuration & { ground: string };
  /** The time the desk has to accept or send back an online dossier, and when to warn before it runs out. */
  onlineAcceptance: LegalDuration & { warningBefore: LegalDuration; ground: string; note?: string };
  /** How long before the appointment the apology must be sent, and how many times the appointment may be re-dated. */
  lateApology: { noticeBefore: LegalDuration; maxRedates: number; ground: string; note?: string; warningBefore?: LegalDuration };
  /** The default clock rule after a complete supplement; a procedure may choose the other. */
  clockAfterSupplement: { default: ClockAfterSupplement; ground: string };
  /** "HH:MM": a paper dossier received after it goes to the processing unit at the next working day's opening. */
  transferCutoff: { time: string; ground: string };
  /** The dossier code: pattern (see dossier-code.ts) and the regular expression of an agency identifier. */
  dossierCode: { pattern: string; agencyIdentifier: string; ground: string; unconfirmed?: boolean; note?: string };
}

/** The rules file: versions in increasing `effectiveFrom` order. */
export interface DossierRules {
  $schema?: string;
  description?: string;
  versions: DossierRulesVersion[];
}

let validator: ValidateFunction | undefined;

function compiled(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv({ allErrors: false, strict: true });
    addFormats(ajv, ['date']);
    validator = ajv.compile(rulesSchema);
  }
  return validator;
}

function fail(file: string, field: string, message: string): never {
  throw new DossierRulesError(`${file}: ${field} ${message}`, { file, field });
}

function schemaError(file: string, error: ErrorObject | undefined): never {
  const field = error?.instancePath || '(root)';
  const params = error?.params as { additionalProperty?: string; allowedValues?: unknown[]; missingProperty?: string } | undefined;
  const extra = params?.additionalProperty !== undefined ? ` (${JSON.stringify(params.additionalProperty)})` : params?.allowedValues ? ` (${JSON.stringify(params.allowedValues)})` : '';
  fail(file, field, `${error?.message ?? 'is invalid'}${extra}`);
}

function isRealDate(date: string): boolean {
  const [y, m, d] = date.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/**
 * Checks a rules file's content and returns it typed: first against its JSON Schema
 * (ajv), then what a schema cannot say (versions in date order, real dates, a code
 * pattern that parses, an agency-identifier expression that compiles). `file` names it
 * in errors; every error names the field.
 */
export function validateDossierRules(data: unknown, file: string): DossierRules {
  const validate = compiled();
  if (!validate(data)) schemaError(file, validate.errors?.[0]);
  const rules = data as DossierRules;
  rules.versions.forEach((version, i) => {
    const at = `/versions/${i}`;
    if (!isRealDate(version.effectiveFrom)) fail(file, `${at}/effectiveFrom`, `(${version.effectiveFrom}) is not a real date`);
    if (i > 0 && version.effectiveFrom <= rules.versions[i - 1].effectiveFrom) {
      fail(file, `${at}/effectiveFrom`, `(${version.effectiveFrom}) must be after the previous version's (${rules.versions[i - 1].effectiveFrom})`);
    }
    try {
      new RegExp(version.dossierCode.agencyIdentifier);
    } catch (error) {
      fail(file, `${at}/dossierCode/agencyIdentifier`, `is not a regular expression: ${(error as Error).message}`);
    }
    try {
      parseCodePattern(version.dossierCode.pattern);
    } catch (error) {
      if (error instanceof DossierCodeError) fail(file, `${at}/dossierCode/pattern`, error.message);
      throw error;
    }
    const { warningBefore, amount, unit } = version.onlineAcceptance;
    if (warningBefore.unit === unit && warningBefore.amount >= amount) {
      fail(file, `${at}/onlineAcceptance/warningBefore`, `(${warningBefore.amount} ${warningBefore.unit}) must be shorter than the limit (${amount} ${unit})`);
    }
  });
  return rules;
}

/** The bundled rules (data/dossier-rules.json), validated. */
export function bundledDossierRules(): DossierRules {
  return validateDossierRules(structuredClone(rulesJson), 'dossier-rules.json');
}

/** The local date "YYYY-MM-DD" of epoch ms `at` at a fixed UTC offset. */
export function localDateOf(at: number, utcOffsetMinutes: number): string {
  return new Date(at + utcOffsetMinutes * 60_000).toISOString().slice(0, 10);
}

/**
 * The version in force on a local date "YYYY-MM-DD" (the last one whose effectiveFrom is
 * on or before it). Throws DossierRulesError when the date precedes every version.
 */
export function rulesInForce(rules: DossierRules, date: string): DossierRulesVersion {
  let found: DossierRulesVersion | undefined;
  for (const version of rules.versions) {
    if (version.effectiveFrom <= date) found = version;
    else break;
  }
  if (!found) throw new DossierRulesError(`no dossier rules in force on ${date}: the first version starts ${rules.versions[0]?.effectiveFrom}`, { field: 'effectiveFrom' });
  return found;
}

/**
 * The version a dossier runs under: the one it was received under (`rulesFrom`, the
 * effectiveFrom kept on the dossier), else the one in force at `at` (its receipt) in
 * the zone of the rules. A dossier keeps the rules in force at its receipt even when a
 * later version comes into force while it is processed.
 */
export function rulesForDossier(rules: DossierRules, dossier: { rulesFrom?: string }, at: number): DossierRulesVersion {
  if (dossier.rulesFrom !== undefined) {
    const kept = rules.versions.find((version) => version.effectiveFrom === dossier.rulesFrom);
    if (!kept) throw new DossierRulesError(`the dossier was received under the rules of ${dossier.rulesFrom}, which are no longer listed: keep every version that dossiers still use`, { field: 'rulesFrom' });
    return kept;
  }
  const first = rules.versions[0];
  return rulesInForce(rules, localDateOf(at, first.utcOffsetMinutes));
}
