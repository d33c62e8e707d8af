/**
 * Times as officials read and enter them, in Vietnam's time (Asia/Ho_Chi_Minh) whatever the
 * browser's own zone, because due times and appointments are moments of the legal clock, which
 * counts in Vietnamese working time (the public tracking page does the same).
 */
const PARTS = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** A moment's date and time in Vietnam, as two-digit parts. */
function vnParts(at: string | number | Date): Record<'year' | 'month' | 'day' | 'hour' | 'minute', string> {
  return Object.fromEntries(PARTS.formatToParts(new Date(at)).map((p) => [p.type, p.value])) as Record<'year' | 'month' | 'day' | 'hour' | 'minute', string>;
}

/** "08/12/2026 08:30" for an ISO time (or epoch ms). */
export function formatVnTime(at: string | number): string {
  const p = vnParts(at);
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

/** A moment as a datetime-local field's value in Vietnam's time ("2026-12-16T17:00"). */
export function vnLocalInput(at: string | number): string {
  const p = vnParts(at);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** Today in Vietnam, YYYY-MM-DD. */
export function vnToday(): string {
  const p = vnParts(Date.now());
  return `${p.year}-${p.month}-${p.day}`;
}

/** A local date or month as people here write it: "2026-12-07" → "07/12/2026", "2026-12" → "12/2026". */
export function formatVnDate(ymd: string): string {
  return ymd.split('-').reverse().join('/');
}
