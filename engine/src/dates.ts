/**
 * The two conversions between the engine's times (epoch milliseconds) and their text and column
 * forms, so that routes, adapters and exports do not each keep a copy.
 *
 * Pure: they convert the values given and never read the clock.
 */

/**
 * Epoch ms → ISO 8601 text; undefined stays undefined (so JSON omits it).
 *
 * @example iso(0) // '1970-01-01T00:00:00.000Z'
 */
export function iso(ms: number): string;
export function iso(ms: number | undefined): string | undefined;
export function iso(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

/**
 * A time as a database driver returns it (a Date, or ISO text from the embedded database) →
 * epoch ms; SQL NULL (null or undefined) gives undefined.
 */
export function ms(value: unknown): number | undefined {
  if (value == null) return undefined;
  return value instanceof Date ? value.getTime() : new Date(value as string).getTime();
}
