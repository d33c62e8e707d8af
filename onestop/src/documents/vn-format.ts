/**
 * Dates and times as Vietnamese administrative documents write them, always in
 * Vietnam's time zone whatever the server's: "08 giờ 30 phút, ngày 23 tháng 11 năm 2026".
 * Pure: the instant comes in as epoch milliseconds.
 */

/** The zone every one-stop-shop document is dated in. */
export const VIETNAM_TIME_ZONE = 'Asia/Ho_Chi_Minh';

const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: VIETNAM_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** Year, month, day, hour and minute of an instant in Vietnam. */
export interface VietnamTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** Splits an instant into its Vietnamese calendar fields. */
export function vietnamTime(at: number): VietnamTime {
  if (!Number.isFinite(at)) throw new RangeError(`not a time: ${at}`);
  const fields: Record<string, string> = {};
  for (const part of parts.formatToParts(new Date(at))) fields[part.type] = part.value;
  return { year: Number(fields.year), month: Number(fields.month), day: Number(fields.day), hour: Number(fields.hour), minute: Number(fields.minute) };
}

const two = (n: number): string => String(n).padStart(2, '0');

/** "ngày 23 tháng 11 năm 2026". */
export function formatDateVn(at: number): string {
  const t = vietnamTime(at);
  return `ngày ${two(t.day)} tháng ${two(t.month)} năm ${t.year}`;
}

/** "08 giờ 30 phút, ngày 23 tháng 11 năm 2026". */
export function formatDateTimeVn(at: number): string {
  const t = vietnamTime(at);
  return `${two(t.hour)} giờ ${two(t.minute)} phút, ${formatDateVn(at)}`;
}

/** "23/11/2026 08:30", for tables. */
export function formatShortDateTimeVn(at: number): string {
  const t = vietnamTime(at);
  return `${two(t.day)}/${two(t.month)}/${t.year} ${two(t.hour)}:${two(t.minute)}`;
}

/** "Hà Nội, ngày 23 tháng 11 năm 2026": the place and date line under the national motto. */
export function placeAndDate(place: string, at: number): string {
  return `${place}, ${formatDateVn(at)}`;
}

/** A number with a decimal comma and dot thousands, as Vietnamese text writes it: 1.234.567,5. */
export function formatNumberVn(value: number): string {
  return new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 }).format(value);
}

/** An amount of đồng: "50.000 đồng"; zero: "Không thu phí". */
export function formatFeeVn(amount: number | undefined): string {
  if (amount === undefined || amount === 0) return 'Không thu phí, lệ phí';
  return `${formatNumberVn(amount)} đồng`;
}
