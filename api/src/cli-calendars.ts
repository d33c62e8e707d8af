/**
 * `motcua calendar …`: the working calendars from the command line.
 *
 *   motcua calendar years                       the years known, with status and documents
 *   motcua calendar show <year>                 a year's schedule (JSON)
 *   motcua calendar load <file> [--actor <who>] load or replace a year (the year inside the file)
 *   motcua calendar agency <id> [<file>]        an agency's own hours: show, or replace from a JSON file
 *   motcua calendar changes                     the change record, newest first
 *
 * A change is validated, stored with its record, and open task due dates are
 * counted again (MOTCUA_RECOMPUTE_DUE_DATES): dossiers' steps on their legal
 * clock (the dossier layer is opened for it, as in a server), never after an
 * appointment. Running servers read stored calendar data at start: restart them
 * after a change made here (a change made through the API applies at once in the
 * server that receives it).
 *
 * Exit codes: 0 done, 1 refused or failed (message on stderr), 2 usage error.
 */
import { createSequelizeCalendarDataStore } from '../../engine/src/store-sequelize/calendar-store';
import { readFileSync } from 'node:fs';
import { Engine, InvalidInputError, type TaskWarning } from '../../engine/src/index';
import type { Database } from '../../engine/src/store-sequelize/connect';
import { createSequelizeEngineStore } from '../../engine/src/store-sequelize/sequelize-engine-store';
import { CalendarService } from './calendars/calendar-service';
import { openDossierLayer } from './dossier-layer';

export const CALENDAR_USAGE = `usage: motcua calendar <command>
  years                        the years known
  show <year>                  a year's schedule (JSON)
  load <file> [--actor <who>]  load or replace the year in <file>
  agency <id> [<file>]         an agency's own hours: show, or replace from <file>
  changes                      the change record, newest first`;

/** What `runCalendarCommand` works with. */
export interface CalendarCommandContext {
  /** The migrated database. */
  db: Database;
  recomputeDueDates?: boolean;
  taskWarning?: TaskWarning;
  now?: () => number;
  out?: (line: string) => void;
  err?: (line: string) => void;
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InvalidInputError(`${file}: cannot be read: ${(error as Error).message}`, { field: 'file' });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(`${file}: is not JSON: ${(error as Error).message}`, { field: 'file' });
  }
}

/** Runs one `calendar` command; resolves with the exit code. */
export async function runCalendarCommand(args: string[], ctx: CalendarCommandContext): Promise<number> {
  const out = ctx.out ?? ((line: string) => console.log(line));
  const err = ctx.err ?? ((line: string) => console.error(line));
  const now = ctx.now ?? Date.now;
  const usage = (why: string): number => {
    err(`motcua calendar: ${why}\n${CALENDAR_USAGE}`);
    return 2;
  };
  const [command, ...rest] = args;
  const actorAt = rest.indexOf('--actor');
  const actor = actorAt >= 0 ? rest[actorAt + 1] : 'cli';
  if (actorAt >= 0 && (actor === undefined || actor.startsWith('--'))) return usage('--actor needs a name');
  const positionals = actorAt >= 0 ? [...rest.slice(0, actorAt), ...rest.slice(actorAt + 2)] : rest;
  const unknownFlag = positionals.find((p) => p.startsWith('--'));
  if (unknownFlag) return usage(`unknown option ${unknownFlag}`);

  try {
    const service = await CalendarService.open({ store: createSequelizeCalendarDataStore(ctx.db), now, recomputeDueDates: ctx.recomputeDueDates });
    /** Runs a change with an engine and the dossier layer over it, as a server has them (dossiers' steps on their legal clock, in their audit trail). */
    const withEngine = async <T>(work: (engine: Engine) => Promise<T>): Promise<T> => {
      const store = createSequelizeEngineStore(ctx.db);
      const engine = new Engine({ store, now, calendars: service.registry.provider, taskWarning: ctx.taskWarning });
      const layer = openDossierLayer({ engine, store, db: ctx.db, calendars: service, now });
      try {
        return await work(engine);
      } finally {
        layer.closeLayer();
      }
    };
    switch (command) {
      case 'years':
        for (const y of service.years()) out(`${y.year}\t${y.status}\t${y.documents.map((d) => d.number).join(', ') || '-'}`);
        return 0;
      case 'show': {
        if (positionals.length !== 1 || !/^\d{4}$/.test(positionals[0])) return usage('show needs a year, e.g. 2027');
        const year = service.year(Number(positionals[0]));
        if (!year) {
          err(`motcua calendar: no year ${positionals[0]}`);
          return 1;
        }
        out(JSON.stringify(year, null, 2));
        return 0;
      }
      case 'load': {
        if (positionals.length !== 1) return usage('load needs one file');
        const data = readJson(positionals[0]);
        const year = (data as { year?: unknown } | null)?.year;
        if (typeof year !== 'number') throw new InvalidInputError(`${positionals[0]}: /year must be a number`, { field: 'year' });
        const change = await withEngine((engine) => service.replaceYear(engine, year, data, actor));
        out(`year ${year} loaded (change ${change.id}); ${change.recomputedTasks} open task due date(s) counted again`);
        return 0;
      }
      case 'agency': {
        if (positionals.length < 1 || positionals.length > 2) return usage('agency needs an agency id, and a file to replace its hours');
        const [agency, file] = positionals;
        if (file === undefined) {
          out(JSON.stringify(service.agency(agency), null, 2));
          return 0;
        }
        const change = await withEngine((engine) => service.replaceAgency(engine, agency, readJson(file), actor));
        out(`agency ${agency}: hours replaced (change ${change.id}); ${change.recomputedTasks} open task due date(s) counted again`);
        return 0;
      }
      case 'changes':
        for (const c of await service.changes()) out(`${c.id}\t${new Date(c.at).toISOString()}\t${c.actor ?? '-'}\t${c.kind} ${c.key}\t${c.recomputedTasks} task(s)`);
        return 0;
      default:
        return usage(command === undefined ? 'a command is needed' : `unknown command '${command}'`);
    }
  } catch (error) {
    if (error instanceof InvalidInputError) {
      err(`motcua calendar: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
