/**
 * The names officials know processes by: a process id (or a procedure code) → its procedure's name in the
 * catalogue (`GET /api/procedures`), in the current language, read once per page load. A
 * process the catalogue does not name (or a catalogue that cannot be read) keeps its id.
 */
import { catalogue } from './api';
import { currentLocale } from './i18n';
import { procedureName } from './procedure-facts';

let names: Promise<{ byProcess: Map<string, string>; byCode: Map<string, string> }> | undefined;
let namesLocale: string | undefined;

function read() {
  // Read again in another language (the names are the catalogue's, in the current one).
  if (namesLocale !== currentLocale()) names = undefined;
  namesLocale = currentLocale();
  names ??= catalogue().then(
    (items) => {
      const named = items.map((p) => ({ code: p.code, processId: p.document.processId, name: procedureName(p) }));
      return { byProcess: new Map(named.filter((p) => p.processId).map((p) => [p.processId!, p.name])), byCode: new Map(named.map((p) => [p.code, p.name])) };
    },
    () => {
      names = undefined;
      return { byProcess: new Map(), byCode: new Map() };
    },
  );
  return names;
}

/** Process id → procedure name. */
export async function procedureNames(): Promise<Map<string, string>> {
  return (await read()).byProcess;
}

/** Procedure code → procedure name. */
export async function procedureNamesByCode(): Promise<Map<string, string>> {
  return (await read()).byCode;
}
