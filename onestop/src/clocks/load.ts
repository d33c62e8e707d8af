/**
 * Loads the clocks' data: the bundled year files and legal settings (imported,
 * so the build carries them), or a year file an administrator supplies. Each is
 * validated at load; an error names the file and the field.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import legalSettingsJson from './data/legal-settings.json';
import vn2025 from './data/vn-2025.json';
import vn2026 from './data/vn-2026.json';
import vn2027 from './data/vn-2027.json';
import { ClockDataError } from './errors';
import type { LegalSettings } from './legal-settings';
import { provisionalYear } from './provisional-year';
import { validateLegalSettings, validateYearData } from './validate';
import type { VnYearData } from './year-data';

/** The bundled legal settings (data/legal-settings.json), validated. */
export function bundledLegalSettings(): LegalSettings {
  return validateLegalSettings(structuredClone(legalSettingsJson), 'legal-settings.json');
}

/** The bundled years (data/vn-2025.json, vn-2026.json, vn-2027.json), validated, in year order. */
export function bundledYears(): VnYearData[] {
  const files: Array<[string, unknown]> = [
    ['vn-2025.json', vn2025],
    ['vn-2026.json', vn2026],
    ['vn-2027.json', vn2027],
  ];
  return files.map(([file, json]) => {
    const year = validateYearData(structuredClone(json), file);
    if (file !== `vn-${year.year}.json`) throw new ClockDataError(`${file}: /year is ${year.year}, but the file is named for another year`, { file, field: '/year' });
    return year;
  });
}

/** Reads and validates one year file (e.g. an administrator's replacement of a provisional year). */
export function readYearFile(filePath: string): VnYearData {
  const file = path.basename(filePath);
  let text: string;
  try {
    text = fs.readFileSync(filePath, 'utf8');
  } catch (error) {
    throw new ClockDataError(`${file}: cannot be read: ${(error as Error).message}`, { file });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ClockDataError(`${file}: is not JSON: ${(error as Error).message}`, { file });
  }
  return validateYearData(json, file);
}

/**
 * `years` followed by provisional years generated from `settings` up to
 * `lastYear`, so that deadlines can run past the last announced year.
 */
export function withProvisionalYears(years: readonly VnYearData[], settings: LegalSettings, lastYear: number): VnYearData[] {
  const out = [...years].sort((a, b) => a.year - b.year);
  for (let y = (out.at(-1)?.year ?? lastYear) + 1; y <= lastYear; y++) out.push(provisionalYear(y, settings));
  return out;
}
