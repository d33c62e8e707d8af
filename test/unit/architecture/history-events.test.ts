/**
 * One place writes history events: the producers of engine/src/history/events.ts. Every
 * source file that inserts history rows must take their events from there, and no SQL that
 * inserts into `history` may build an event itself (the adapter binds what the producer
 * made). Migrations are frozen records and left out. A failure names the file and the line.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const SOURCE_ROOTS = ['engine/src', 'onestop/src', 'api/src'];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(ROOT, dir))) {
    const rel = `${dir}/${entry}`;
    if (statSync(path.join(ROOT, rel)).isDirectory()) {
      if (entry !== 'migrations') out.push(...sourceFiles(rel));
    } else if (/\.ts$/.test(entry) && !entry.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

/** What builds JSON (an event) in SQL. */
const BUILDS_JSON = /\b(jsonb?_build_(object|array)|jsonb?_object|row_to_json|to_jsonb?)\s*\(|'\{"type"/i;

/** `file:line: reason` for every history insert of `text` whose SQL builds its events. */
export function eventsBuiltInSql(file: string, text: string): string[] {
  const problems: string[] = [];
  const insert = /INSERT\s+INTO\s+history\b/gi;
  for (let match = insert.exec(text); match; match = insert.exec(text)) {
    // The statement: up to the end of its template literal (SQL is written in them here).
    const end = text.indexOf('`', match.index);
    const statement = text.slice(match.index, end < 0 ? undefined : end);
    const built = BUILDS_JSON.exec(statement);
    if (built) {
      const line = text.slice(0, match.index).split('\n').length;
      problems.push(`${file}:${line}: a history insert builds its event in SQL (${built[0]}); bind what a producer of engine/src/history/events.ts made`);
    }
  }
  return problems;
}

/** Does the file write history rows? */
const writesHistory = (text: string) => /INSERT\s+INTO\s+history\b/i.test(text) || /insert\(\s*'history'/.test(text);

/** Does the file take events from the history module (engine relative path or the public surface)? */
const usesProducer = (text: string) => /from '[./]*(history\/events|(\.\.\/)+engine\/src\/(index|pure))'/.test(text);

const FILES = SOURCE_ROOTS.flatMap(sourceFiles).filter((file) => !file.startsWith('engine/src/history/'));
const TEXTS = new Map(FILES.map((file) => [file, readFileSync(path.join(ROOT, file), 'utf8')]));

describe('architecture: one place writes history events', () => {
  it('should build no history event in the SQL of any history insert', () => {
    expect(FILES.flatMap((file) => eventsBuiltInSql(file, TEXTS.get(file)!))).toEqual([]);
  });

  it('should take the events of every history insert from the history module', () => {
    const writers = FILES.filter((file) => writesHistory(TEXTS.get(file)!));
    expect(writers.length).toBeGreaterThan(0);
    expect(writers.filter((file) => !usesProducer(TEXTS.get(file)!)).map((file) => `${file}: writes history without the producers of engine/src/history/events.ts`)).toEqual([]);
  });

  it('should catch an event built in SQL, as the overdue scan and the task store once did', () => {
    // given: the history insert of the overdue scan before the producer existed
    const before = `const REPORT_SQL = \`
      WITH logged AS (
        INSERT INTO history (instance_id, at, actor, type, element_id, push, events)
        SELECT instance_id, $1::timestamptz, NULL, 'taskOverdue', element_id, true,
               json_build_array(json_build_object('type', 'taskOverdue', 'taskId', id, 'assignee', assignee))
        FROM marked
        RETURNING 1
      )
      SELECT count(*)::int AS reported FROM logged\`;`;
    const bound = `const HISTORY_SQL = \`
      INSERT INTO history (instance_id, at, actor, type, element_id, push, events)
      VALUES ($1, $2::timestamptz, $3::text, $4, $5, $6, $7::json)\`;`;

    // then
    expect(eventsBuiltInSql('passed-dates.ts', before)).toEqual([expect.stringMatching(/^passed-dates\.ts:3: a history insert builds its event in SQL \(json_build_array\(/)]);
    expect(eventsBuiltInSql('task-store.ts', bound)).toEqual([]);
  });
});
