/**
 * The syntax of a request, checked before any route reads it, so that no malformed
 * request reaches a route (or the database) and ends as a 500:
 *
 * - the path must be percent-encoded UTF-8 (express would throw a URIError while
 *   matching a route);
 * - the query string likewise, parsed by {@link parseQueryString} (the `query parser`
 *   of the app) instead of `querystring`, which keeps bad escapes as they are;
 *   (text that decodes well but cannot be stored, U+0000 or a lone surrogate, is the
 *   text guard's to refuse, `text-guard.ts`, wherever it is in the request);
 * - query and path values are typed by their schema with one strict grammar
 *   ({@link coerceTextValues}): decimal digits only, finite, safe integers, given once
 *   (ajv's own coercion takes `Infinity`, `1e309`, `0x10` and ` 5` for numbers);
 * - what the HTTP parser itself refuses (a bad request line or header, headers too
 *   large, a request that never finished) is answered as a problem document too
 *   ({@link answerClientErrors}), not Node's bare `400 Bad Request`.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { RequestHandler } from 'express';
import { MalformedRequestError, PROBLEM_CONTENT_TYPE, problemType, RequestValidationError, type FieldError } from './problem';

/** How much of a malformed input a message quotes. */
const QUOTE_LENGTH = 40;

function quote(text: string): string {
  return JSON.stringify(text.length > QUOTE_LENGTH ? `${text.slice(0, QUOTE_LENGTH)}…` : text);
}

/** Percent-decodes `text` (`+` as a space when `plus`); undefined when it is not UTF-8. */
function decode(text: string, plus: boolean): string | undefined {
  try {
    return decodeURIComponent(plus ? text.replace(/\+/g, ' ') : text);
  } catch {
    return undefined;
  }
}

/**
 * Parses a query string strictly: every key and value must be percent-encoded UTF-8.
 * A key given twice has an array of values (the schema then refuses it where one value
 * is expected). Throws MalformedRequestError naming the parameter.
 */
export function parseQueryString(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  if (!text) return out;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawKey = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1);
    const key = decode(rawKey, true);
    if (key === undefined) {
      throw new MalformedRequestError(`the query parameter name ${quote(rawKey)} is not percent-encoded UTF-8`, { errors: [{ field: 'query', message: 'is not percent-encoded UTF-8' }] });
    }
    const field = `query.${key}`;
    const value = decode(rawValue, true);
    if (value === undefined) {
      throw new MalformedRequestError(`${field}: ${quote(rawValue)} is not percent-encoded UTF-8`, { errors: [{ field, message: 'is not percent-encoded UTF-8' }] });
    }
    const before = out[key];
    out[key] = before === undefined ? value : Array.isArray(before) ? [...before, value] : [before, value];
  }
  return out;
}

/**
 * Refuses a path that is not percent-encoded UTF-8, before routing: each route's path
 * parameters are then decodable.
 */
export function checkPath(): RequestHandler {
  return (req, _res, next) => {
    const path = req.path;
    if (path.includes('%') && decode(path, false) === undefined) {
      return next(new MalformedRequestError(`the path ${quote(path)} is not percent-encoded UTF-8`, { errors: [{ field: 'path', message: 'is not percent-encoded UTF-8' }] }));
    }
    next();
  };
}

// ------------------------------------------------------------------ typed text values

const INTEGER = /^-?(0|[1-9][0-9]*)$/;
const NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

type Schema = Record<string, unknown>;

function typesOf(schema: Schema | undefined): string[] {
  const type = schema?.type;
  return Array.isArray(type) ? type.map(String) : typeof type === 'string' ? [type] : [];
}

/**
 * One text value typed by its schema; a FieldError when it is written like a number
 * of the right kind but is none that JSON can carry. Text that is not a number at all
 * stays text: the schema then says "must be integer".
 */
function coerceOne(text: string, types: string[], field: string, errors: FieldError[], schema: Schema = {}): unknown {
  if (types.includes('string') || types.length === 0) return text;
  if (types.includes('integer') && INTEGER.test(text)) {
    const n = Number(text);
    if (Number.isSafeInteger(n)) return n === 0 ? 0 : n;
    // The range the operation takes (its schema's bounds), else the integers JSON carries exactly.
    const min = typeof schema.minimum === 'number' ? schema.minimum : Number.MIN_SAFE_INTEGER;
    const max = typeof schema.maximum === 'number' ? schema.maximum : Number.MAX_SAFE_INTEGER;
    errors.push({ field, message: `must be an integer from ${min} to ${max}` });
    return text;
  }
  if (types.includes('number') && NUMBER.test(text)) {
    const n = Number(text);
    if (Number.isFinite(n)) return n === 0 ? 0 : n;
    errors.push({ field, message: 'must be a finite number' });
    return text;
  }
  if (types.includes('boolean') && (text === 'true' || text === 'false')) return text === 'true';
  if (types.includes('null') && text === '') return null;
  return text;
}

/**
 * Types the text values of a query string or of path parameters by the properties of
 * their object schema (in place): integers and numbers in decimal, finite and safe;
 * booleans `true`/`false`; a parameter given more than once where one is expected is
 * refused. Throws RequestValidationError naming each field (`query.limit`).
 */
export function coerceTextValues(schema: Schema, value: Record<string, unknown>, root: string): void {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const errors: FieldError[] = [];
  for (const key of Object.keys(value)) {
    const property = Object.hasOwn(properties, key) ? properties[key] : undefined;
    if (!property) continue;
    const types = typesOf(property);
    const field = `${root}.${key}`;
    const raw = value[key];
    if (types.includes('array')) {
      const items = typesOf(property.items as Schema | undefined);
      const list = Array.isArray(raw) ? raw : [raw];
      value[key] = list.map((v, i) => (typeof v === 'string' ? coerceOne(v, items, `${field}[${i}]`, errors, (property.items as Schema | undefined) ?? {}) : v));
    } else if (Array.isArray(raw)) {
      errors.push({ field, message: `must be given once (it was given ${raw.length} times)` });
    } else if (typeof raw === 'string') {
      value[key] = coerceOne(raw, types, field, errors, property);
    }
  }
  if (errors.length > 0) throw new RequestValidationError(errors);
}

// ------------------------------------------------------------------ the HTTP parser's refusals

/** Status of what the HTTP parser refused (Node's own choice, kept). */
function statusOfClientError(error: NodeJS.ErrnoException): number {
  if (error.code === 'HPE_HEADER_OVERFLOW') return 431;
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  return 400;
}

const CLIENT_ERROR_TEXT: Readonly<Record<number, { code: string; title: string; detail: string }>> = {
  400: { code: 'MALFORMED_REQUEST', title: 'Malformed request', detail: 'the request is not valid HTTP/1.1 (request line, a header, or the body framing)' },
  408: { code: 'REQUEST_TIMEOUT', title: 'Request timeout', detail: 'the request was not received completely in time' },
  431: { code: 'HEADERS_TOO_LARGE', title: 'Request headers too large', detail: 'the request line and headers are larger than the server accepts (a very long URL or header)' },
};

/**
 * Answers what Node's HTTP parser refuses with a problem document (400, 408, 431)
 * instead of a bare status line, then closes the connection. Nothing is written when a
 * response on that connection has already begun, as Node itself does.
 */
export function answerClientErrors(server: http.Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const status = statusOfClientError(error);
    const text = CLIENT_ERROR_TEXT[status];
    const body = JSON.stringify({ type: problemType(text.code), title: text.title, status, code: text.code, detail: text.detail });
    socket.end(
      `HTTP/1.1 ${status} ${text.title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
