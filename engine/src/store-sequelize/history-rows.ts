/**
 * History rows (migration 0006): one row per command, its events in order in
 * `events` (a JSON array), the row's `type` and `element_id` those of the first
 * event, `push` set when some event is one the live inboxes hear about. Readers
 * get one entry per event back ({@link historyEntries}).
 */
import type { HistoryRow } from '../store/ports';

/**
 * Event types that make a row `push` (migration 0006's `history_push_idx`). The
 * push feed (api/src/push/events.ts) reads these or a subset. The same list as
 * migration 0003's today, kept here on purpose: a migration is a frozen record,
 * this list may grow.
 */
export const PUSH_EVENT_TYPES: ReadonlySet<string> = new Set([
  'taskOpened',
  'taskClaimed',
  'taskUnclaimed',
  'taskAssigned',
  'taskCommented',
  'taskCompleted',
  'taskCancelled',
  'taskOverdue',
  'taskFollowUp',
  'incidentRaised',
]);

/** An event as history stores it: its type and its data, flat. */
export type HistoryEvent = { type: string } & Record<string, unknown>;

const nested = (key: string) => (e: Record<string, any>): unknown => e[key]?.elementId;

/** Where the element of an event is, for the types whose element is not `elementId` itself. */
const NESTED_ELEMENT: Readonly<Record<string, (e: Record<string, any>) => unknown>> = {
  taskOpened: nested('task'),
  jobCreated: nested('job'),
  timerScheduled: nested('timer'),
  continuationScheduled: nested('continuation'),
  messageSubscribed: nested('subscription'),
  signalSubscribed: nested('subscription'),
  incidentRaised: nested('incident'),
  childRequested: nested('request'),
};

/** The BPMN element an event is about, if it names one. */
export function elementOfEvent(event: HistoryEvent): string | undefined {
  const found = NESTED_ELEMENT[event.type]?.(event) ?? event.elementId;
  return typeof found === 'string' && found !== '' ? found : undefined;
}

/** The row one command writes, from its events (at least one). */
export interface HistoryRecord {
  type: string;
  elementId: string | undefined;
  push: boolean;
  events: readonly HistoryEvent[];
}

/** The history row of one command's events. */
export function historyRecord(events: readonly HistoryEvent[]): HistoryRecord {
  const first = events[0];
  return { type: first.type, elementId: elementOfEvent(first), push: events.some((e) => PUSH_EVENT_TYPES.has(e.type)), events };
}

/** A history row as read from the database (snake_case columns). */
interface StoredRow {
  id: string | number;
  instance_id: string;
  at: Date | string;
  actor: string | null;
  element_id: string | null;
  events: HistoryEvent[] | string;
}

/** Flattens history rows (in order) into one entry per event; malformed rows and events are left out. */
export function historyEntries(rows: readonly StoredRow[]): HistoryRow[] {
  const entries: HistoryRow[] = [];
  for (const row of rows) {
    const events = typeof row.events === 'string' ? (JSON.parse(row.events) as HistoryEvent[]) : row.events;
    // A row written by hand that is not a list of events has none to show (never a failed read).
    if (!Array.isArray(events)) continue;
    const at = new Date(row.at).getTime();
    events.forEach((event, seq) => {
      if (event === null || typeof event !== 'object' || Array.isArray(event)) return;
      const { type, ...data } = event;
      entries.push({
        id: `${row.id}.${seq}`,
        instanceId: row.instance_id,
        at,
        actor: row.actor ?? undefined,
        type,
        // Rows written by the task store and the overdue scanner name the element only in the column.
        elementId: elementOfEvent(event) ?? (seq === 0 ? row.element_id ?? undefined : undefined),
        data,
      });
    });
  }
  return entries;
}
