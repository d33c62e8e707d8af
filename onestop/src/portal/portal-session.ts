/**
 * How the requests to the national portal are authenticated: a fixed bearer token, or a session
 * token the gateway hands out.
 *
 * The portal and the provincial integration gateways (LGSP) in front of it authenticate each call
 * with a token obtained from a login/token endpoint, sent in a header and valid for a while. The
 * specification is handed to each agency and not public (docs/one-stop-shop-rules.md, "National
 * portal synchronisation"), so what differs between gateways is configuration:
 *  - the token request: `client-credentials` (OAuth 2.0, RFC 6749 §4.4: a form
 *    `grant_type=client_credentials` with the account in HTTP Basic, as API gateways take it) or
 *    `json` (a login: `{ "username", "password" }` as JSON);
 *  - where the answer carries the token (`access_token`, or a dotted path such as `data.session`)
 *    and for how long (`expires_in` seconds at the answer's top level, else a configured lifetime);
 *  - the header it goes in (`Authorization: Bearer <token>`, or any other header with the bare token).
 *
 * A token is renewed before it expires (within a tenth of its lifetime, at most 30 s before), and
 * when the portal answers 401 to it: the request is sent once more with a fresh token, never more
 * (a portal that refuses every token fails the row, which the outbox retries with back-off).
 * Concurrent senders share one token request. The password and the tokens never appear in an
 * error message (they end in the outbox's last error and in the logs): replaced by `***`.
 */

/** The headers that authenticate the next request, and what to do when the portal refuses them. */
export interface PortalAuth {
  /** The headers of the next request (a token obtained or renewed first when needed). */
  headers(): Promise<Record<string, string>>;
  /** The portal answered 401 to `headers`: the next `headers()` brings a fresh token. */
  refused(headers: Record<string, string>): void;
  /** Whether a refusal can be answered with other headers (false for a fixed token). */
  readonly renewable: boolean;
  /** Replaces the secrets in a text (an error message) by `***`. */
  redact(text: string): string;
}

/** The fixed bearer token of `MOTCUA_PORTAL_TOKEN` (absent: no header). */
export function fixedPortalAuth(token?: string): PortalAuth {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  return { headers: async () => headers, refused: () => undefined, renewable: false, redact: (text) => (token ? text.split(token).join('***') : text) };
}

export interface PortalSessionOptions {
  /** The login/token endpoint. */
  tokenUrl: string;
  username: string;
  password: string;
  request: 'client-credentials' | 'json';
  /** Where the answer carries the token: a field name, or a dotted path (`data.session`). */
  tokenField: string;
  /** The header the token is sent in; `Authorization` carries `Bearer <token>`, any other the bare token. */
  header: string;
  /** A token's lifetime when the answer has no `expires_in`, ms. */
  defaultTtlMs: number;
  now: () => number;
  timeoutMs?: number;
}

/** The longest a token is renewed before its expiry. */
const MAX_RENEW_MARGIN_MS = 30_000;

/** Session tokens from the portal's token endpoint (see the module's comment). */
export function sessionPortalAuth(options: PortalSessionOptions): PortalAuth {
  let current: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;
  /** The last tokens obtained (kept out of error messages; a few, not every token of months). */
  const issued: string[] = [];
  const bearer = options.header.toLowerCase() === 'authorization';
  const headersOf = (token: string): Record<string, string> => ({ [options.header.toLowerCase()]: bearer ? `Bearer ${token}` : token });
  const tokenOf = (headers: Record<string, string>): string | undefined => {
    const value = headers[options.header.toLowerCase()];
    return bearer ? value?.replace(/^Bearer /, '') : value;
  };
  const where = shownUrl(options.tokenUrl);

  const redact = (text: string): string => {
    let out = text;
    for (const secret of [options.password, ...issued]) if (secret) out = out.split(secret).join('***');
    return out;
  };

  async function obtain(): Promise<string> {
    const requestedAt = options.now();
    const init: RequestInit =
      options.request === 'client-credentials'
        ? {
            method: 'POST',
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              accept: 'application/json',
              // RFC 6749 §2.3.1: the client id and secret form-urlencoded, then HTTP Basic.
              authorization: `Basic ${Buffer.from(`${encodeURIComponent(options.username)}:${encodeURIComponent(options.password)}`).toString('base64')}`,
            },
            body: 'grant_type=client_credentials',
          }
        : { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ username: options.username, password: options.password }) };
    let response: Response;
    try {
      response = await fetch(options.tokenUrl, { ...init, signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
    } catch (error) {
      throw new Error(redact(`the portal's token endpoint ${where} cannot be reached: ${(error as Error).message}`));
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) throw new Error(redact(`the portal's token endpoint answered ${response.status} at ${where}${text ? `: ${text.slice(0, 300)}` : ''}`));
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch {
      throw new Error(`the portal's token endpoint at ${where} answered ${response.status} with no JSON`);
    }
    const token = fieldAt(answer, options.tokenField);
    if (typeof token !== 'string' || token === '') {
      const fields = answer !== null && typeof answer === 'object' ? Object.keys(answer).join(', ') : typeof answer;
      throw new Error(`the portal's token endpoint at ${where} answered without a token at '${options.tokenField}' (its fields: ${fields || 'none'})`);
    }
    issued.unshift(token);
    issued.length = Math.min(issued.length, 4);
    const expiresIn = Number((answer as Record<string, unknown>).expires_in);
    const lifetime = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : options.defaultTtlMs;
    current = { token, renewAt: requestedAt + lifetime - Math.min(MAX_RENEW_MARGIN_MS, lifetime / 10) };
    return token;
  }

  return {
    renewable: true,
    redact,
    async headers() {
      if (current && options.now() < current.renewAt) return headersOf(current.token);
      // One token request for every sender that needs one now.
      pending ??= obtain().finally(() => (pending = undefined));
      return headersOf(await pending);
    },
    refused(headers) {
      // Only the token refused: another sender may have renewed it already.
      if (current && tokenOf(headers) === current.token) current = undefined;
    },
  };
}

/** The value at a dotted path of a JSON value. */
function fieldAt(value: unknown, path: string): unknown {
  let at = value;
  for (const part of path.split('.')) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

/** A URL as an error message shows it: without user information or query. */
function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(the token URL)';
  }
}
