/**
 * Errors as `application/problem+json` (RFC 9457): the one place that knows HTTP
 * status codes. Routes throw the engine's and the API's error classes; the error
 * middleware maps their stable `code` to a status and a problem document naming the
 * field (`errors: [{ field, message }]`, e.g. `body.variables.amount`,
 * `query.limit`). Anything else is a 500 whose details go to the log, never to the
 * client.
 */
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { MotcuaError } from '../../engine/src/index';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** One invalid field of a request: `body.x.y`, `query.limit`, `params.id`, `headers.idempotency-key`. */
export interface FieldError {
  field: string;
  message: string;
}

/** The problem document of every error answer. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  instance?: string;
  requestId?: string;
  errors?: FieldError[];
  /** For a rejected deployment: every problem of the BPMN document. */
  problems?: Array<{ elementId: string; reason: string }>;
}

/** Stable error code → HTTP status. Codes not listed are 500. */
export const STATUS_OF_CODE: Readonly<Record<string, number>> = {
  INVALID_INPUT: 400,
  MALFORMED_REQUEST: 400,
  MODEL_PARSE_ERROR: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  MESSAGE_NOT_CORRELATED: 404,
  REQUEST_TIMEOUT: 408,
  CONFLICT: 409,
  DOSSIER_OPERATION_REFUSED: 409,
  IDEMPOTENCY_KEY_IN_USE: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  DEPLOYMENT_REJECTED: 422,
  FORM_INVALID: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  USER_NOT_ELIGIBLE: 422,
  RATE_LIMITED: 429,
  HEADERS_TOO_LARGE: 431,
  INVARIANT: 500,
  INTERNAL: 500,
  RETRYABLE: 503,
};

const TITLE_OF_CODE: Readonly<Record<string, string>> = {
  INVALID_INPUT: 'Invalid request',
  MALFORMED_REQUEST: 'Malformed request',
  MODEL_PARSE_ERROR: 'The BPMN document cannot be read',
  UNAUTHORIZED: 'Authentication required',
  FORBIDDEN: 'Forbidden',
  NOT_FOUND: 'Not found',
  MESSAGE_NOT_CORRELATED: 'Message not correlated',
  REQUEST_TIMEOUT: 'Request timeout',
  CONFLICT: 'Conflict',
  DOSSIER_OPERATION_REFUSED: 'Refused by the dossier rules',
  IDEMPOTENCY_KEY_IN_USE: 'Idempotency key in use',
  PAYLOAD_TOO_LARGE: 'Payload too large',
  UNSUPPORTED_MEDIA_TYPE: 'Unsupported media type',
  DEPLOYMENT_REJECTED: 'Deployment rejected',
  FORM_INVALID: 'Form data invalid',
  IDEMPOTENCY_KEY_REUSED: 'Idempotency key reused with another request',
  USER_NOT_ELIGIBLE: 'User not eligible',
  RATE_LIMITED: 'Too many requests',
  HEADERS_TOO_LARGE: 'Request headers too large',
  INVARIANT: 'Internal error',
  INTERNAL: 'Internal error',
  RETRYABLE: 'Busy: try again',
};

/** A request that does not match its JSON Schema (body, query, path parameters, headers). */
export class RequestValidationError extends MotcuaError {
  readonly errors: FieldError[];
  constructor(errors: FieldError[], message = errors.map((e) => `${e.field}: ${e.message}`).join('; ')) {
    super('INVALID_INPUT', message, { errors });
    this.errors = errors;
  }
}

/** Form data that does not satisfy the task's JSON Schema form. */
export class FormValidationError extends MotcuaError {
  readonly errors: FieldError[];
  constructor(formKey: string, errors: FieldError[]) {
    super('FORM_INVALID', `the data does not satisfy form '${formKey}': ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`, { formKey, errors });
    this.errors = errors;
  }
}

/** The request cannot be read at all (malformed JSON, a broken multipart body). */
export class MalformedRequestError extends MotcuaError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('MALFORMED_REQUEST', message, details);
  }
}

/** The body is larger than the route accepts. */
export class PayloadTooLargeError extends MotcuaError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('PAYLOAD_TOO_LARGE', message, details);
  }
}

/** The body's content type is not one the route reads. */
export class UnsupportedMediaTypeError extends MotcuaError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('UNSUPPORTED_MEDIA_TYPE', message, details);
  }
}

/** A kebab-case problem type URI from a code. */
export function problemType(code: string): string {
  return `https://motcua.vn/problems/${code.toLowerCase().replace(/_/g, '-')}`;
}

const LOCATIONS = ['body.', 'query.', 'params.', 'headers.'];

/**
 * Names where an engine error's `details.field` is in the request: engine errors name
 * the argument (`variables.amount`); commands take their arguments from the body, lists
 * from the query string.
 */
function locate(field: string, req: Request): string {
  if (LOCATIONS.some((l) => field.startsWith(l))) return notation(field);
  const location = req.method === 'GET' || req.method === 'HEAD' || req.method === 'DELETE' ? 'query' : 'body';
  return notation(field ? `${location}.${field}` : location);
}

/**
 * One notation for every field (QA finding 18): `body.document.agencies[1].name`. A JSON
 * pointer (`body./agencies/1`), `(root)` and numeric segments (`documents.0.code`) as
 * other validators write them are rewritten.
 */
export function notation(field: string): string {
  const segments: string[] = [];
  for (const part of field.split('.')) {
    if (part === '(root)' || part === '') continue;
    // A JSON pointer: /a/1/b (escapes ~1 and ~0).
    const pieces = part.startsWith('/') ? part.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')) : [part];
    for (const piece of pieces) if (piece !== '') segments.push(piece);
  }
  return segments.reduce((path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment), '');
}

/** What the body parsers and multer throw: http-errors (`status`, `type`, `expose`) or zlib/busboy errors. */
interface ParserError {
  type?: string;
  status?: number;
  expose?: boolean;
  code?: string;
  name?: string;
  message?: string;
  limit?: number;
  field?: string;
  /** The text body-parser read (on a parse failure). */
  body?: unknown;
}

/** A JSON text that is a scalar (null, a number, a string, a boolean), as written (shortened); undefined otherwise. */
function jsonScalar(text: string): string | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object') return undefined;
    const written = JSON.stringify(value);
    return written.length > 40 ? `${written.slice(0, 40)}…` : written;
  } catch {
    return undefined;
  }
}

/** A status of http-errors that we pass on, with our code for it. */
const CODE_OF_CLIENT_STATUS: Readonly<Record<number, string>> = { 400: 'MALFORMED_REQUEST', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE' };

/**
 * Translates errors thrown by express (the router's param decoding), its body parsers
 * and multer into our classes; undefined for anything else (a 500). The body's content
 * encoding names a body that does not inflate (`Content-Encoding: gzip` on plain text).
 */
function fromParser(error: unknown, req: Request): MotcuaError | undefined {
  const e = error as ParserError | undefined;
  if (e?.name === 'MulterError') {
    if (e.code === 'LIMIT_FILE_SIZE' || e.code === 'LIMIT_FIELD_VALUE' || e.code === 'LIMIT_PART_COUNT' || e.code === 'LIMIT_FILE_COUNT' || e.code === 'LIMIT_FIELD_COUNT') {
      return new PayloadTooLargeError(`the multipart body is too large (${e.code.toLowerCase().replace(/_/g, ' ')})`, { field: e.field ? `body.${e.field}` : undefined });
    }
    return new MalformedRequestError(`the multipart body cannot be read: ${e.message}`, { field: e.field ? `body.${e.field}` : undefined });
  }
  switch (e?.type) {
    case 'entity.too.large':
      return new PayloadTooLargeError(`the body is larger than ${e.limit} bytes`, { limit: e.limit });
    case 'entity.parse.failed': {
      // JSON, but not an object or array (the parser is strict): say what the body must be.
      const scalar = typeof e.body === 'string' ? jsonScalar(e.body) : undefined;
      if (scalar !== undefined) return new MalformedRequestError(`the body must be a JSON object, not ${scalar}`, { errors: [{ field: 'body', message: 'must be a JSON object' }] });
      return new MalformedRequestError(`the body is not valid JSON${typeof e.message === 'string' && e.message ? ` (${e.message.slice(0, 200)})` : ''}`);
    }
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new UnsupportedMediaTypeError(e.message ?? 'unsupported encoding');
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
    case 'stream.not.readable':
      return new MalformedRequestError('the body could not be read');
  }
  if (typeof e?.message === 'string' && /^(Unexpected end of form|Malformed part header|Multipart: Boundary not found)/.test(e.message)) {
    return new MalformedRequestError(`the multipart body cannot be read: ${e.message}`);
  }
  if (typeof e?.code === 'string' && (e.code.startsWith('Z_') || e.code.startsWith('ERR__ERROR') || e.code.startsWith('ERR_BROTLI'))) {
    const encoding = req.get('content-encoding') ?? 'compressed';
    return new MalformedRequestError(`the body is not valid ${encoding} data (it says Content-Encoding: ${encoding})`, { errors: [{ field: 'headers.content-encoding', message: `does not match the body` }] });
  }
  if (error instanceof URIError) {
    return new MalformedRequestError('the path is not percent-encoded UTF-8', { errors: [{ field: 'path', message: 'is not percent-encoded UTF-8' }] });
  }
  // Any other refusal of a body parser (http-errors, `expose`: the message is for the client).
  const status = e?.status;
  if (typeof status === 'number' && status >= 400 && status < 500 && e?.expose !== false) {
    const code = CODE_OF_CLIENT_STATUS[status] ?? 'MALFORMED_REQUEST';
    return new MotcuaError(code, typeof e?.message === 'string' && e.message ? e.message : TITLE_OF_CODE[code]);
  }
  return undefined;
}

/** Builds the problem document of an error (a 500 for anything not ours). */
export function toProblem(error: unknown, req: Request): Problem {
  const known = error instanceof MotcuaError ? error : fromParser(error, req);
  if (!known) {
    return { type: problemType('INTERNAL'), title: TITLE_OF_CODE.INTERNAL, status: 500, code: 'INTERNAL', detail: 'An unexpected error occurred; it has been logged.' };
  }
  const status = STATUS_OF_CODE[known.code] ?? 500;
  const problem: Problem = {
    type: problemType(known.code),
    title: TITLE_OF_CODE[known.code] ?? known.code,
    status,
    code: known.code,
    detail: status >= 500 ? 'An unexpected error occurred; it has been logged.' : known.message,
  };
  if (status >= 500) return problem;
  const details = known.details ?? {};
  const listed = (details as { errors?: FieldError[] }).errors;
  if (Array.isArray(listed)) problem.errors = listed.map((e) => ({ ...e, field: notation(e.field) }));
  else if (typeof details.field === 'string') problem.errors = [{ field: locate(details.field, req), message: known.message }];
  if (Array.isArray((details as { problems?: unknown }).problems)) problem.problems = (details as { problems: Problem['problems'] }).problems;
  return problem;
}

/** Writes a problem answer. */
export function sendProblem(res: Response, problem: Problem): void {
  res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}

/** The error middleware: every error of every route ends here. */
export function problemMiddleware(logger: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const problem = toProblem(error, req);
    problem.instance = req.originalUrl.split('?')[0];
    const requestId = res.getHeader('x-request-id');
    if (typeof requestId === 'string') problem.requestId = requestId;
    // The request's own logger (its id, and the instance and task ids the route bound) when the server gave it one.
    const log = (req.log as Logger | undefined) ?? logger;
    if (problem.status >= 500) {
      log.error({ err: error, requestId, method: req.method, url: req.originalUrl }, 'request failed');
    } else {
      log.debug({ code: problem.code, requestId, detail: problem.detail }, 'request refused');
    }
    if (problem.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
    if (problem.status < 500 && error instanceof MotcuaError && typeof error.details.retryAfterSeconds === 'number' && !res.getHeader('Retry-After')) {
      res.setHeader('Retry-After', String(error.details.retryAfterSeconds));
    }
    sendProblem(res, problem);
  };
}

/** The last route: anything unmatched is a 404 problem. */
export function notFoundHandler(): RequestHandler {
  return (req, res) => {
    const problem: Problem = {
      type: problemType('NOT_FOUND'),
      title: TITLE_OF_CODE.NOT_FOUND,
      status: 404,
      code: 'NOT_FOUND',
      detail: `no route ${req.method} ${req.path}`,
      instance: req.originalUrl.split('?')[0],
    };
    const requestId = res.getHeader('x-request-id');
    if (typeof requestId === 'string') problem.requestId = requestId;
    sendProblem(res, problem);
  };
}
