/**
 * Refuses requests carrying text PostgreSQL cannot store (U+0000, lone UTF-16
 * surrogates), wherever it is: the path, the query string, the headers, the body (keys
 * and values, nested). One middleware for every route, so no route can forget it: such
 * text, once stored, fails every later read that casts it to jsonb (the push feed) or
 * every write that copies it into a jsonb column, long after the request that brought it.
 *
 * The answer is a 400 problem naming the field (`body.variables.name`, `query.assignee`,
 * `params[2]` for the third segment of the path, `headers.idempotency-key`). The engine
 * refuses the same text in its own input checks (`engine/src/runtime/storable-text.ts`),
 * for callers that do not come through HTTP.
 */
import type { RequestHandler } from 'express';
import { findUnstorableText, unstorableReason } from '../../engine/src/index';
import { RequestValidationError, type FieldError } from './problem';

/** The first unstorable text of the path: segments are decoded as express decodes parameters. */
function inPath(path: string): FieldError | undefined {
  const segments = path.split('/');
  for (let i = 1; i < segments.length; i++) {
    let segment: string;
    try {
      segment = decodeURIComponent(segments[i]);
    } catch {
      continue; // Not percent-encoding at all: the routes answer that themselves.
    }
    const reason = unstorableReason(segment);
    if (reason) return { field: `params[${i - 1}]`, message: `the path segment ${reason}` };
  }
  return undefined;
}

/** The first unstorable text of the request, as a field error. */
export function unstorableField(req: { path: string; query: unknown; headers: Record<string, unknown>; body?: unknown }): FieldError | undefined {
  const fromValue = (value: unknown, root: string): FieldError | undefined => {
    const found = findUnstorableText(value, root);
    return found ? { field: found.field, message: found.reason } : undefined;
  };
  return inPath(req.path) ?? fromValue(req.query, 'query') ?? fromValue(req.headers, 'headers') ?? (req.body === undefined ? undefined : fromValue(req.body, 'body'));
}

/**
 * The middleware: mount it before the routes and after the body parsers of the app (a
 * body parsed later by a route, XML or multipart, is checked where it is read: the
 * engine refuses such text in a BPMN document, the deploy route in a form).
 */
export function refuseUnstorableText(): RequestHandler {
  return (req, _res, next) => {
    const found = unstorableField(req);
    next(found ? new RequestValidationError([found]) : undefined);
  };
}
