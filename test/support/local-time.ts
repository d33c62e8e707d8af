/** Local wall times (UTC+7, Asia/Ho_Chi_Minh) to and from epoch ms, so calendar tests read like the notices they check. */
const OFFSET_MS = 7 * 3_600_000;

/** Epoch ms of a UTC+7 wall time "YYYY-MM-DD HH:MM[:SS[.mmm]]" (or a date alone: midnight). */
export function at(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{3}))?)?)?$/.exec(text);
  if (!m) throw new Error(`at(): bad local time ${JSON.stringify(text)}`);
  const [, y, mo, d, h = '0', mi = '0', s = '0', ms = '0'] = m;
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(ms)) - OFFSET_MS;
}

/** The UTC+7 wall time of epoch ms as "YYYY-MM-DD HH:MM" (with ":SS.mmm" when not on a whole minute). */
export function local(ms: number): string {
  const iso = new Date(ms + OFFSET_MS).toISOString();
  const whole = ms % 60_000 === 0;
  return `${iso.slice(0, 10)} ${whole ? iso.slice(11, 16) : iso.slice(11, 23)}`;
}
