/**
 * Early, on time or late (trước hạn / đúng hạn / quá hạn): one definition for the
 * lifecycle, the control slip and the statistics.
 */

/** A finish against its due time. */
export type Timeliness = 'early' | 'on-time' | 'late';

/**
 * `late` when `end` is after `due`; `early` when it is on an earlier local day than `due`
 * (in the zone at `utcOffsetMinutes`, Vietnam's 420 by default); otherwise `on-time`.
 * A day-based "early" matches how the desk reads the appointment printed on the receipt.
 */
export function timelinessOf(end: number, due: number, utcOffsetMinutes = 420): Timeliness {
  if (end > due) return 'late';
  const day = (t: number) => Math.floor((t + utcOffsetMinutes * 60_000) / 86_400_000);
  return day(end) < day(due) ? 'early' : 'on-time';
}
