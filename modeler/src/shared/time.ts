/**
 * Times as officials read them: "dd/mm/yyyy hh:mm" in Vietnam's time (Asia/Ho_Chi_Minh),
 * whatever the browser's own zone, because due times and appointments are moments of the
 * legal clock, which counts in Vietnamese working time (the public tracking page does the same).
 */
const PARTS = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** "08/12/2026 08:30" for an ISO time (or epoch ms). */
export function formatVnTime(at: string | number): string {
  const parts = Object.fromEntries(PARTS.formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}`;
}
