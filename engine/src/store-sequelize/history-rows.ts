/**
 * History rows (migration 0006): one row per command, its events in order in
 * `events` (a JSON array), the row's `type` and `element_id` those of the first
 * event, `push` set when some event is one the live inboxes hear about. The events
 * and the row's columns come from the producers of history/events.ts; readers get
 * one entry per event back ({@link historyEntries}), through its parser.
 */
import { elementOfEvent, parseStoredEvents } from '../history/events';
import type { HistoryRow } from '../store/ports';

export { PUSH_EVENT_TYPES, elementOfEvent, historyRecord, type HistoryEvent, type HistoryRecord } from '../history/events';

/** A history row as read from the database (snake_case columns). */
interface StoredRow {
  id: string | number;
  instance_id: string;
  at: Date | string;
  actor: string | null;
  element_id: string | null;
  events: unknown;
}

/**
 * Flattens history rows (in order) into one entry per event; rows that are not a list of
 * events and malformed events (history/events.ts's parser) are left out, never a failed read.
 */
export function historyEntries(rows: readonly StoredRow[]): HistoryRow[] {
  const entries: HistoryRow[] = [];
  for (const row of rows) {
    const { events } = parseStoredEvents(row.events);
    if (!events) continue;
    const at = new Date(row.at).getTime();
    for (const parsed of events) {
      if (!parsed.ok) continue;
      const { type, ...data } = parsed.event;
      entries.push({
        id: `${row.id}.${parsed.seq}`,
        instanceId: row.instance_id,
        at,
        actor: row.actor ?? undefined,
        type,
        // Rows written before every event named its element have it only in the column.
        elementId: elementOfEvent(parsed.event) ?? (parsed.seq === 0 ? row.element_id ?? undefined : undefined),
        data,
      });
    }
  }
  return entries;
}
