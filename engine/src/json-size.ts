/**
 * The size of a JSON value as stored: the UTF-8 bytes of its JSON text, measured without building
 * that text.
 *
 * Why: size limits on variables, instance state and FEEL results must be cheap enough for the
 * command path (about 2,000 commands a second), and must stop early on a value far over the limit
 * instead of walking all of it. Escapes inside strings (`\"`, `\n`, `\u0000`) are not counted, so
 * the figure is at most a little low for text full of quotes or control characters.
 */

/**
 * The UTF-8 size of `JSON.stringify(value)`, or the first running total above `limit` (so a
 * result greater than `limit` means "too big", not the exact size).
 *
 * @example jsonSize({ a: 'é' }, 1024) // 10: {"a":"é"}
 */
export function jsonSize(value: unknown, limit = Infinity): number {
  const state = { total: 0, limit };
  measure(value, state);
  return state.total;
}

function measure(value: unknown, state: { total: number; limit: number }): void {
  if (state.total > state.limit) return;
  switch (typeof value) {
    case 'string':
      state.total += utf8Length(value) + 2;
      return;
    case 'number':
      state.total += Number.isFinite(value) ? String(value).length : 4;
      return;
    case 'boolean':
      state.total += value ? 4 : 5;
      return;
    case 'object':
      if (value === null) {
        state.total += 4;
        return;
      }
      if (Array.isArray(value)) {
        state.total += 2 + Math.max(0, value.length - 1);
        for (const item of value) {
          measure(item === undefined ? null : item, state);
          if (state.total > state.limit) return;
        }
        return;
      }
      state.total += 2;
      {
        let first = true;
        for (const key in value) {
          const item = (value as Record<string, unknown>)[key];
          if (item === undefined || typeof item === 'function') continue;
          state.total += utf8Length(key) + 3 + (first ? 0 : 1);
          first = false;
          measure(item, state);
          if (state.total > state.limit) return;
        }
      }
      return;
    default:
      return;
  }
}

/** UTF-8 length of a string: counted in place when short (most keys and values), natively when long. */
function utf8Length(text: string): number {
  if (text.length > 256) return Buffer.byteLength(text, 'utf8');
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // a surrogate pair is 2 code units and 4 bytes: +1 per unit
    if (code >= 0x80) bytes += code < 0x800 ? 1 : code >= 0xd800 && code <= 0xdfff ? 1 : 2;
  }
  return bytes;
}
