/**
 * The dossier code (Decree 118/2025 art. 28): one code per dossier, printed on the
 * receipt, used for tracking. It is made from a pattern (a setting: dossier-rules.json
 * `dossierCode.pattern`) of literal text and three fields:
 *
 * - `{agency}`: the electronic identifier of the competent agency (Decision 20/2020/QĐ-TTg,
 *   e.g. `000.00.15.H29`), checked against the setting's `agencyIdentifier` expression;
 * - `{yymmdd}` or `{yyyymmdd}`: the receipt date in Vietnam's time zone;
 * - `{seq:N}`: the dossier's sequence number that day, zero-padded to N digits.
 *
 * The default `{agency}-{yymmdd}-{seq:4}` gives `000.00.15.H29-261123-0001`.
 *
 * ## The daily sequence (database, later)
 * "No gap, no duplicate" under concurrency is one counter row per (agency, local day),
 * incremented inside the receipt's own transaction, so a rolled-back receipt gives its
 * number back and two concurrent receipts queue on the row lock:
 *
 * ```sql
 * INSERT INTO dossier_code_counters (agency, day, last) VALUES ($1, $2, 1)
 * ON CONFLICT (agency, day) DO UPDATE SET last = dossier_code_counters.last + 1
 * RETURNING last;
 * ```
 *
 * (`day` is the local receipt date; the table is keyed by agency, so it shards with it.)
 */
import { DossierCodeError } from './errors';

/** One piece of a parsed pattern. */
export type CodePatternPart =
  | { kind: 'literal'; text: string }
  | { kind: 'agency' }
  | { kind: 'date'; digits: 6 | 8 }
  | { kind: 'sequence'; width: number };

/** A checked pattern: its parts in order. */
export interface CodePattern {
  source: string;
  parts: CodePatternPart[];
  /** The width of `{seq:N}`: the largest daily sequence is 10^N − 1. */
  sequenceWidth: number;
}

/** What a dossier code says. */
export interface DossierCodeFields {
  /** The agency's electronic identifier. */
  agency: string;
  /** The local receipt date, "YYYY-MM-DD". */
  date: string;
  /** The sequence number that day, from 1. */
  sequence: number;
}

/** Options of formatting and parsing. */
export interface DossierCodeOptions {
  /** The pattern, e.g. "{agency}-{yymmdd}-{seq:4}". */
  pattern: string;
  /** A regular expression (source) an agency identifier must match in full; none: any non-empty text without the pattern's separators is taken. */
  agencyIdentifier?: string;
  /** The zone of the receipt date, minutes from UTC; default 420 (Asia/Ho_Chi_Minh, no daylight saving). */
  utcOffsetMinutes?: number;
}

const VIETNAM_OFFSET_MINUTES = 420;
const MAX_WIDTH = 9;

/**
 * Parses and checks a pattern: exactly one `{agency}`, one date field and one `{seq:N}`
 * (N from 1 to 9), literal text elsewhere, no other braces. Throws DossierCodeError
 * naming what is wrong.
 */
export function parseCodePattern(pattern: string): CodePattern {
  if (typeof pattern !== 'string' || pattern.length === 0) throw new DossierCodeError('the dossier code pattern must be a non-empty string', { field: 'pattern', value: pattern });
  const parts: CodePatternPart[] = [];
  const seen = { agency: 0, date: 0, sequence: 0 };
  let sequenceWidth = 0;
  const token = /\{([^{}]*)\}/g;
  let last = 0;
  for (let m = token.exec(pattern); m; m = token.exec(pattern)) {
    if (m.index > last) parts.push({ kind: 'literal', text: pattern.slice(last, m.index) });
    last = m.index + m[0].length;
    const name = m[1];
    const seq = /^seq:(\d+)$/.exec(name);
    if (name === 'agency') {
      seen.agency++;
      parts.push({ kind: 'agency' });
    } else if (name === 'yymmdd' || name === 'yyyymmdd') {
      seen.date++;
      parts.push({ kind: 'date', digits: name === 'yymmdd' ? 6 : 8 });
    } else if (seq) {
      const width = Number(seq[1]);
      if (width < 1 || width > MAX_WIDTH) throw new DossierCodeError(`the dossier code pattern ${JSON.stringify(pattern)}: {seq:N} needs N from 1 to ${MAX_WIDTH}, got ${width}`, { field: 'pattern', value: pattern });
      seen.sequence++;
      sequenceWidth = width;
      parts.push({ kind: 'sequence', width });
    } else {
      throw new DossierCodeError(`the dossier code pattern ${JSON.stringify(pattern)} has an unknown field {${name}}; the fields are {agency}, {yymmdd}, {yyyymmdd} and {seq:N}`, { field: 'pattern', value: pattern });
    }
  }
  if (last < pattern.length) parts.push({ kind: 'literal', text: pattern.slice(last) });
  for (const part of parts) {
    if (part.kind === 'literal' && /[{}]/.test(part.text)) throw new DossierCodeError(`the dossier code pattern ${JSON.stringify(pattern)} has an unmatched brace`, { field: 'pattern', value: pattern });
  }
  for (const [what, count] of Object.entries(seen)) {
    const field = what === 'date' ? '{yymmdd} or {yyyymmdd}' : what === 'agency' ? '{agency}' : '{seq:N}';
    if (count !== 1) throw new DossierCodeError(`the dossier code pattern ${JSON.stringify(pattern)} must have ${field} exactly once (Decree 118/2025 art. 28: agency, receipt date, daily sequence), found ${count}`, { field: 'pattern', value: pattern });
  }
  for (let i = 1; i < parts.length; i++) {
    if (parts[i].kind !== 'literal' && parts[i - 1].kind === 'agency') {
      throw new DossierCodeError(`the dossier code pattern ${JSON.stringify(pattern)} needs a literal separator after {agency}, or the code cannot be read back`, { field: 'pattern', value: pattern });
    }
  }
  return { source: pattern, parts, sequenceWidth };
}

function checkAgency(agency: unknown, expression: string | undefined): string {
  if (typeof agency !== 'string' || agency.length === 0) throw new DossierCodeError(`the agency identifier must be a non-empty string, got ${JSON.stringify(agency)}`, { field: 'agency', value: agency });
  if (expression !== undefined && !new RegExp(`^(?:${expression})$`).test(agency)) {
    throw new DossierCodeError(`the agency identifier ${JSON.stringify(agency)} is not in the format of Decision 20/2020/QĐ-TTg (expected to match /${expression}/, e.g. "000.00.15.H29")`, { field: 'agency', value: agency });
  }
  return agency;
}

/**
 * The code of a dossier received at `receivedAt` (epoch ms) as the `sequence`-th
 * dossier of `agency` that local day. Throws DossierCodeError on a bad pattern or agency
 * identifier, and on a sequence that is not a whole number from 1 to the pattern's
 * largest (a 10,000th dossier of a day under `{seq:4}`): widening the pattern is an
 * administrator's decision, never a silent overflow.
 *
 * @example
 * formatDossierCode({ agency: '000.00.15.H29', receivedAt, sequence: 1 }, { pattern: '{agency}-{yymmdd}-{seq:4}' });
 * // '000.00.15.H29-261123-0001'
 */
export function formatDossierCode(fields: { agency: string; receivedAt: number; sequence: number }, options: DossierCodeOptions): string {
  const pattern = parseCodePattern(options.pattern);
  const agency = checkAgency(fields.agency, options.agencyIdentifier);
  if (typeof fields.receivedAt !== 'number' || !Number.isFinite(fields.receivedAt)) throw new DossierCodeError(`the receipt time must be epoch milliseconds, got ${JSON.stringify(fields.receivedAt)}`, { field: 'receivedAt', value: fields.receivedAt });
  const max = 10 ** pattern.sequenceWidth - 1;
  const { sequence } = fields;
  if (!Number.isInteger(sequence) || sequence < 1) throw new DossierCodeError(`the daily sequence must be a whole number from 1, got ${JSON.stringify(sequence)}`, { field: 'sequence', value: sequence });
  if (sequence > max) {
    throw new DossierCodeError(`the daily sequence ${sequence} does not fit the pattern's ${pattern.sequenceWidth} digits (at most ${max} dossiers a day): widen {seq:${pattern.sequenceWidth}} in the dossier code setting`, { field: 'sequence', value: sequence });
  }
  const local = new Date(fields.receivedAt + (options.utcOffsetMinutes ?? VIETNAM_OFFSET_MINUTES) * 60_000).toISOString();
  const yyyymmdd = `${local.slice(0, 4)}${local.slice(5, 7)}${local.slice(8, 10)}`;
  return pattern.parts
    .map((part) => {
      switch (part.kind) {
        case 'literal':
          return part.text;
        case 'agency':
          return agency;
        case 'date':
          return part.digits === 8 ? yyyymmdd : yyyymmdd.slice(2);
        case 'sequence':
          return String(sequence).padStart(part.width, '0');
      }
    })
    .join('');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Reads a dossier code back into its fields. Two-digit years are 20yy. Throws
 * DossierCodeError when the code does not match the pattern, names an unreal date,
 * has sequence 0, or (with `agencyIdentifier`) names an agency not in its format.
 */
export function parseDossierCode(code: string, options: DossierCodeOptions): DossierCodeFields {
  const pattern = parseCodePattern(options.pattern);
  if (typeof code !== 'string') throw new DossierCodeError(`a dossier code must be a string, got ${JSON.stringify(code)}`, { field: 'code', value: code });
  const source = pattern.parts
    .map((part) => {
      switch (part.kind) {
        case 'literal':
          return escapeRegExp(part.text);
        case 'agency':
          return '(.+)';
        case 'date':
          return `(\\d{${part.digits}})`;
        case 'sequence':
          return `(\\d{${part.width}})`;
      }
    })
    .join('');
  const match = new RegExp(`^${source}$`).exec(code);
  if (!match) throw new DossierCodeError(`${JSON.stringify(code)} is not a dossier code of the pattern ${JSON.stringify(pattern.source)}`, { field: 'code', value: code });
  const fields: Partial<DossierCodeFields> = {};
  let group = 1;
  for (const part of pattern.parts) {
    if (part.kind === 'literal') continue;
    const text = match[group++];
    if (part.kind === 'agency') fields.agency = checkAgency(text, options.agencyIdentifier);
    else if (part.kind === 'sequence') fields.sequence = Number(text);
    else {
      const full = part.digits === 8 ? text : `20${text}`;
      const date = `${full.slice(0, 4)}-${full.slice(4, 6)}-${full.slice(6, 8)}`;
      const [y, m, d] = [Number(full.slice(0, 4)), Number(full.slice(4, 6)), Number(full.slice(6, 8))];
      const t = new Date(Date.UTC(y, m - 1, d));
      if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) throw new DossierCodeError(`${JSON.stringify(code)} names an unreal date (${date})`, { field: 'code', value: code });
      fields.date = date;
    }
  }
  if (fields.sequence === 0) throw new DossierCodeError(`${JSON.stringify(code)} has sequence 0; daily sequences start at 1`, { field: 'code', value: code });
  return fields as DossierCodeFields;
}
