/**
 * The procedure catalogue (thủ tục hành chính): national code, name, field, competent agency
 * and level, legal basis, statutory time, fee, required documents with their document-type
 * codes, online level, the process that runs it, and the dates it is in force. The entries
 * come from processes/<code>/procedure.json (validated against processes/procedure.schema.json)
 * and are edited by the competent agency's admin; each change is a new version, and a dossier
 * keeps the version in force at its receipt.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { InvalidInputError } from '../../../engine/src/pure';
import type { DossierProcedure } from '../dossiers/dossier';
import procedureSchema from '../../../processes/procedure.schema.json';

/** A procedure as processes/<code>/procedure.json describes it (the fields the dossier layer reads are typed). */
export interface ProcedureDocument {
  code: string;
  nationalCode: string[];
  name: { vi: string; en: string };
  field: { vi: string; en: string };
  competentAgency: { kind: string; level: 'commune' | 'province'; agency: string };
  legalBasis: Array<{ document: string; articles: string[]; note?: string }>;
  statutoryTime: {
    amount: number;
    unit: 'workingDays' | 'workingHours' | 'hours' | 'days' | 'calendarDays';
    sameDay?: boolean;
    cutoff?: string;
    afterSupplement: 'restart' | 'pause';
    supplementDeadline: { amount: number; unit: string };
  };
  fee: { amount: number; currency: 'VND'; onlineAmount?: number };
  documents: Array<{ code: string; name: string; required: boolean; fromDatabase?: boolean }>;
  onlineLevel: 'full' | 'partial';
  agencies: Array<{ id: string; name: string; nameEn?: string; shortName?: string; level: string; role: 'lead' | 'participant' }>;
  processId: string;
  [more: string]: unknown;
}

/** A catalogue entry as stored. */
export interface ProcedureRecord {
  code: string;
  document: ProcedureDocument;
  /** Local dates "YYYY-MM-DD"; absent: no bound. */
  effectiveFrom?: string;
  effectiveTo?: string;
  version: number;
  updatedAt: number;
  updatedBy?: string;
  /** The digest of the library file (processes/<code>/procedure.json) this entry last loaded; see ProcedureCatalogue.loadLibrary. */
  librarySource?: string;
}

/** A procedure document or its dates were refused; `field` is a JSON pointer into it. */
export class ProcedureError extends InvalidInputError {
  constructor(message: string, details: { field?: string; file?: string } = {}) {
    super(message, details);
  }
}

let validator: ValidateFunction | undefined;

/** Checks a procedure document against processes/procedure.schema.json; the error names the field. */
export function validateProcedure(data: unknown, source = 'procedure'): ProcedureDocument {
  validator ??= new Ajv({ allErrors: false, strict: false }).compile(procedureSchema);
  if (!validator(data)) {
    const error = validator.errors?.[0];
    const extra = (error?.params as { additionalProperty?: string } | undefined)?.additionalProperty;
    const field = error?.instancePath || '(root)';
    throw new ProcedureError(`${source}: ${field} ${error?.message ?? 'is invalid'}${extra ? ` (${JSON.stringify(extra)})` : ''}`, { field, file: source });
  }
  const document = data as ProcedureDocument;
  if (!document.agencies.some((a) => a.id === document.competentAgency.agency)) {
    throw new ProcedureError(`${source}: /competentAgency/agency ${document.competentAgency.agency} is not one of /agencies`, { field: '/competentAgency/agency', file: source });
  }
  return document;
}

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Checks the dates a catalogue entry is in force. */
export function validateEffectiveDates(from: unknown, to: unknown): { effectiveFrom?: string; effectiveTo?: string } {
  for (const [name, value] of [
    ['effectiveFrom', from],
    ['effectiveTo', to],
  ] as const) {
    if (value !== undefined && value !== null && (typeof value !== 'string' || !LOCAL_DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)))) {
      throw new ProcedureError(`${name} must be a date "YYYY-MM-DD", got ${JSON.stringify(value)}`, { field: `/${name}` });
    }
  }
  if (typeof from === 'string' && typeof to === 'string' && to < from) throw new ProcedureError(`effectiveTo (${to}) is before effectiveFrom (${from})`, { field: '/effectiveTo' });
  return { ...(typeof from === 'string' ? { effectiveFrom: from } : {}), ...(typeof to === 'string' ? { effectiveTo: to } : {}) };
}

/** Whether a catalogue entry is in force on a local date. */
export function inForce(procedure: Pick<ProcedureRecord, 'effectiveFrom' | 'effectiveTo'>, date: string): boolean {
  return (procedure.effectiveFrom === undefined || procedure.effectiveFrom <= date) && (procedure.effectiveTo === undefined || date <= procedure.effectiveTo);
}

/**
 * An agency's proper name as documents print it: its `shortName`, else its `name` without a
 * trailing parenthetical ("UBND xã Minh An (Bộ phận Một cửa, …)" → "UBND xã Minh An"); an
 * agency the procedure does not list: its id.
 */
export function agencyProperName(document: Pick<ProcedureDocument, 'agencies'>, agencyId: string): string {
  const agency = document.agencies.find((a) => a.id === agencyId);
  if (!agency) return agencyId;
  return agency.shortName ?? (agency.name.replace(/\s*\([^()]*\)\s*$/, '').trim() || agency.name);
}

/** What the lifecycle needs of a procedure, copied onto the dossier at submission. */
export function dossierProcedureOf(record: ProcedureRecord): DossierProcedure {
  const time = record.document.statutoryTime;
  const unit = time.sameDay ? 'sameDay' : time.unit === 'days' ? 'calendarDays' : time.unit;
  return {
    id: `${record.code}@${record.version}`,
    statutoryTime: { amount: time.sameDay ? 1 : time.amount, unit },
    ...(time.cutoff ? { cutoff: time.cutoff } : {}),
    clockAfterSupplement: time.afterSupplement,
    supplementDeadline: { amount: time.supplementDeadline.amount, unit: time.supplementDeadline.unit === 'days' ? 'calendarDays' : (time.supplementDeadline.unit as 'workingDays' | 'workingHours' | 'hours') },
  };
}

/** The procedure documents of a processes/ folder (one per sub-folder with a procedure.json), validated. */
export function readProcedureLibrary(dir: string): ProcedureDocument[] {
  const found: ProcedureDocument[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const file = join(dir, entry, 'procedure.json');
    let text: string;
    try {
      if (!statSync(join(dir, entry)).isDirectory()) continue;
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new ProcedureError(`${file}: not JSON: ${(error as Error).message}`, { file });
    }
    found.push(validateProcedure(data, file));
  }
  return found;
}
