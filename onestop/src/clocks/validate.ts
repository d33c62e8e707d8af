/**
 * Checks the clocks' data at load: first against its JSON Schema (ajv), then the
 * facts a schema cannot say (dates inside the year, one entry per date, swapped
 * days pointing at each other, versions in date order). Every error names the
 * file and the field.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parseClockTime, parseLocalDate } from '../../../engine/src/pure';
import settingsSchema from './data/legal-settings.schema.json';
import yearSchema from './data/vn-year.schema.json';
import { ClockDataError } from './errors';
import type { LegalSettings } from './legal-settings';
import type { VnYearData } from './year-data';

let validators: { year: ValidateFunction; settings: ValidateFunction } | undefined;

function compiled(): { year: ValidateFunction; settings: ValidateFunction } {
  if (!validators) {
    const ajv = new Ajv({ allErrors: false, strict: true });
    addFormats(ajv, ['date']);
    validators = { year: ajv.compile(yearSchema), settings: ajv.compile(settingsSchema) };
  }
  return validators;
}

function schemaError(file: string, error: ErrorObject | undefined): never {
  const field = error?.instancePath || '(root)';
  const extra = error?.keyword === 'additionalProperties' ? ` (${JSON.stringify((error.params as { additionalProperty: string }).additionalProperty)})` : error?.keyword === 'enum' ? ` (${JSON.stringify((error.params as { allowedValues: unknown[] }).allowedValues)})` : '';
  throw new ClockDataError(`${file}: ${field} ${error?.message ?? 'is invalid'}${extra}`, { file, field });
}

function fail(file: string, field: string, message: string): never {
  throw new ClockDataError(`${file}: ${field} ${message}`, { file, field });
}

/** Weekday (0 = Sunday) of "YYYY-MM-DD". */
export function weekdayOf(date: string): number {
  return (((parseLocalDate(date)! + 4) % 7) + 7) % 7;
}

/**
 * Checks one year file's content and returns it typed. `file` names it in errors
 * (e.g. "vn-2026.json"); `weeklyRestDays` (from the legal settings) is where a
 * swapped working day must fall.
 */
export function validateYearData(data: unknown, file: string, weeklyRestDays: readonly number[] = [0, 6]): VnYearData {
  const { year: validate } = compiled();
  if (!validate(data)) schemaError(file, validate.errors?.[0]);
  const year = data as VnYearData;
  const seen = new Map<string, string>();
  const check = (date: string, field: string) => {
    if (!date.startsWith(`${year.year}-`)) fail(file, field, `(${date}) is not in ${year.year}`);
    const before = seen.get(date);
    if (before) fail(file, field, `(${date}) is already listed at ${before}: one entry per date`);
    seen.set(date, field);
  };
  year.holidays.forEach((h, i) => check(h.date, `/holidays/${i}/date`));
  year.daysOff.forEach((d, i) => {
    check(d.date, `/daysOff/${i}/date`);
    if (weeklyRestDays.includes(weekdayOf(d.date))) fail(file, `/daysOff/${i}/date`, `(${d.date}) is a weekly rest day already`);
    if (d.kind === 'compensatory') {
      const holiday = year.holidays.find((h) => h.date === d.for);
      if (!holiday) fail(file, `/daysOff/${i}/for`, `must name a holiday of the year, got ${JSON.stringify(d.for)}`);
      if (!weeklyRestDays.includes(weekdayOf(holiday.date))) fail(file, `/daysOff/${i}/for`, `(${holiday.date}) is not on a weekly rest day: nothing to compensate`);
    } else if (!year.workingDays.some((w) => w.date === d.workedOn && w.replaces === d.date)) {
      fail(file, `/daysOff/${i}/workedOn`, `must name a day of workingDays that replaces ${d.date}, got ${JSON.stringify(d.workedOn)}`);
    }
  });
  year.workingDays.forEach((w, i) => {
    check(w.date, `/workingDays/${i}/date`);
    if (!weeklyRestDays.includes(weekdayOf(w.date))) fail(file, `/workingDays/${i}/date`, `(${w.date}) is not a weekly rest day: it is worked anyway`);
    if (!year.daysOff.some((d) => d.kind === 'swapped' && d.date === w.replaces && d.workedOn === w.date)) {
      fail(file, `/workingDays/${i}/replaces`, `must name a swapped day of daysOff worked on ${w.date}, got ${JSON.stringify(w.replaces)}`);
    }
  });
  (year.breaks ?? []).forEach((b, i) => {
    const at = `/breaks/${i}`;
    if (!b.from.startsWith(`${year.year}-`)) fail(file, `${at}/from`, `(${b.from}) is not in ${year.year}`);
    if (!b.to.startsWith(`${year.year}-`)) fail(file, `${at}/to`, `(${b.to}) is not in ${year.year}`);
    if (b.to < b.from) fail(file, `${at}/to`, `(${b.to}) is before from (${b.from})`);
    const worked = year.workingDays.find((w) => w.date >= b.from && w.date <= b.to);
    if (worked) fail(file, `${at}`, `contains ${worked.date}, a working day of workingDays`);
  });
  if (year.status === 'official' && year.documents.length === 0) fail(file, '/documents', 'must name the announcing documents of an official year');
  return year;
}

/** Checks the legal settings file and returns it typed; `file` names it in errors. */
export function validateLegalSettings(data: unknown, file: string): LegalSettings {
  const { settings: validate } = compiled();
  if (!validate(data)) schemaError(file, validate.errors?.[0]);
  const settings = data as LegalSettings;
  settings.versions.forEach((version, i) => {
    const at = `/versions/${i}`;
    if (i > 0 && version.effectiveFrom <= settings.versions[i - 1].effectiveFrom) fail(file, `${at}/effectiveFrom`, `(${version.effectiveFrom}) must be after the previous version's (${settings.versions[i - 1].effectiveFrom})`);
    if (parseLocalDate(version.effectiveFrom) === undefined) fail(file, `${at}/effectiveFrom`, `(${version.effectiveFrom}) is not a real date`);
    let previousEnd = -1;
    version.workingHours.blocks.forEach((block, j) => {
      const start = parseClockTime(block.start)!;
      const end = parseClockTime(block.end)!;
      if (end <= start || start < previousEnd) fail(file, `${at}/workingHours/blocks/${j}`, 'must end after it starts and after the previous block');
      previousEnd = end;
    });
    const keys = new Set<string>();
    version.holidays.forEach((rule, j) => {
      if (keys.has(rule.holiday)) fail(file, `${at}/holidays/${j}/holiday`, `(${rule.holiday}) is listed twice`);
      keys.add(rule.holiday);
    });
    if (keys.has('national-day-second') && !keys.has('national-day')) fail(file, `${at}/holidays`, 'national-day-second needs national-day');
  });
  return settings;
}
