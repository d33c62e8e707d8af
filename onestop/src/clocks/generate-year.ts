/**
 * Prints a provisional year file generated from the bundled legal settings:
 * `node dist/onestop/src/clocks/generate-year.js 2028 > onestop/src/clocks/data/vn-2028.json`
 * (then add it to load.ts's bundled years). vn-2027.json was made this way; a
 * test keeps it equal to the generator's output.
 */
import { bundledLegalSettings } from './load';
import { provisionalYear } from './provisional-year';
import type { VnYearData } from './year-data';

/** The file content for `year`: the generated data with the schema reference first. */
export function provisionalYearFile(year: number): VnYearData {
  return { $schema: './vn-year.schema.json', ...provisionalYear(year, bundledLegalSettings()) };
}

if (require.main === module) {
  const year = Number(process.argv[2]);
  if (!Number.isInteger(year)) {
    process.stderr.write('usage: generate-year <year>\n');
    process.exit(2);
  }
  process.stdout.write(JSON.stringify(provisionalYearFile(year), null, 2) + '\n');
}
