/**
 * The control slip (mẫu 06) and the inter-agency shares from a dossier's events: each
 * hand-off with its due date and result (early, on time, late), and how much working time
 * each holder (unit or agency) used (Decree 118/2025 art. 20: each agency has its own
 * share of the time, and the product shows who used how much).
 */
import type { HandOff } from '../documents/document-data';
import type { DossierClock } from './dossier-clock';
import type { DossierEvent } from './dossier-events';
import { timelinessOf } from './timeliness';

type HandedOff = Extract<DossierEvent, { type: 'dossierHandedOff' }>;

/** Events after which no holder works on the dossier any more. */
const CLOSING: ReadonlySet<DossierEvent['type']> = new Set(['resultReady', 'dossierRejected', 'dossierStopped', 'dossierWithdrawn']);

/** When the holder a hand-off gave the dossier to was done with it: its own next hand-off, or the dossier's closing; undefined while it still holds it. */
function doneAt(events: readonly DossierEvent[], index: number): number | undefined {
  const handOff = events[index] as HandedOff;
  for (let i = index + 1; i < events.length; i++) {
    const e = events[i];
    if (e.type === 'dossierHandedOff' && e.fromHolder === handOff.toHolder) return e.at;
    if (CLOSING.has(e.type)) return e.at;
  }
  return undefined;
}

/** How the slip writes a holder ("<agency id> / <groups>") and an official (a user id); absent: as recorded. */
export interface ControlSlipNames {
  holder?(holder: string): string;
  official?(id: string): string;
}

/**
 * The rows of the control slip, in order: who handed the dossier to whom, when, the
 * step's due date, and whether the receiving holder finished early, on time or late (a
 * step still open at `asOf` past its due date is late already). Holders and officials are
 * written by `names` (the printed form's agency and people's names), else as recorded.
 */
export function controlSlipHandOffs(events: readonly DossierEvent[], options: { asOf: number; utcOffsetMinutes?: number }, names: ControlSlipNames = {}): HandOff[] {
  const holder = (h: string) => names.holder?.(h) ?? h;
  const official = (id: string) => names.official?.(id) ?? id;
  const rows: HandOff[] = [];
  events.forEach((event, index) => {
    if (event.type !== 'dossierHandedOff') return;
    const row: HandOff = { from: event.fromHolder ? `${holder(event.fromHolder)} (${official(event.actor)})` : official(event.actor), to: holder(event.toHolder), at: event.at };
    if (event.dueAt !== undefined) {
      row.dueAt = event.dueAt;
      const done = doneAt(events, index);
      if (done !== undefined) row.result = timelinessOf(done, event.dueAt, options.utcOffsetMinutes ?? 420);
      else if (options.asOf > event.dueAt) row.result = 'late';
    }
    if (event.note) row.note = event.note;
    rows.push(row);
  });
  return rows;
}

/** The working time one holder used. */
export interface HolderShare {
  holder: string;
  workingDays: number;
  /** Hand-offs it received. */
  handOffs: number;
  /** Whether it still holds the dossier at `asOf`. */
  open: boolean;
}

/**
 * The working days each holder used, from each hand-off to it until it handed the
 * dossier on (or the dossier closed, or `asOf`), summed per holder in order of first
 * appearance. Holders working in parallel (agencies receiving at once) each count their
 * own time.
 */
export function holderShares(events: readonly DossierEvent[], clock: DossierClock, asOf: number): HolderShare[] {
  const shares = new Map<string, HolderShare>();
  events.forEach((event, index) => {
    if (event.type !== 'dossierHandedOff') return;
    const done = doneAt(events, index);
    const share = shares.get(event.toHolder) ?? { holder: event.toHolder, workingDays: 0, handOffs: 0, open: false };
    share.workingDays += clock.between(event.at, done ?? Math.max(asOf, event.at), 'workingDays');
    share.handOffs++;
    share.open = share.open || done === undefined;
    shares.set(event.toHolder, share);
  });
  return [...shares.values()];
}
