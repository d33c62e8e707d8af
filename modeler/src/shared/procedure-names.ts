/**
 * The names officials know processes by: a process id → its procedure's name in the
 * catalogue (`GET /api/procedures`), in the current language, read once per page load. A
 * process the catalogue does not name (or a catalogue that cannot be read) keeps its id.
 */
import { catalogue } from './api';
import { currentLocale } from './i18n';

let names: Promise<Map<string, string>> | undefined;

/** Process id → procedure name. */
export function procedureNames(): Promise<Map<string, string>> {
  names ??= catalogue().then(
    (items) => new Map(items.filter((p) => p.document.processId).map((p) => [p.document.processId!, (currentLocale() === 'en' ? p.document.name?.en : undefined) ?? p.document.name?.vi ?? p.code])),
    () => {
      names = undefined;
      return new Map();
    },
  );
  return names;
}
