/**
 * The API's own error classes for authentication and authorization. They extend the
 * engine's `MotcuaError`, so the one error middleware maps them by `code` like every
 * other error: `UNAUTHORIZED` → 401 (with `WWW-Authenticate: Bearer`), `FORBIDDEN` → 403,
 * `RATE_LIMITED` → 429 (with `Retry-After`), `USER_NOT_ELIGIBLE` → 422. Messages never
 * contain tokens or passwords.
 */
import { MotcuaError } from '../../../engine/src/index';

/**
 * The caller is not authenticated: no bearer token, or one that is malformed, expired,
 * not ours, or belongs to a disabled user; also wrong credentials at login.
 * `details.reason` says which, in words safe to show the caller.
 */
export class UnauthorizedError extends MotcuaError {
  constructor(message = 'Authentication required', details: Record<string, unknown> = {}) {
    super('UNAUTHORIZED', message, details);
  }
}

/**
 * The caller is authenticated but may not do this. `details.requiredRoles` lists the
 * roles that would have been enough, when the refusal is about roles.
 */
export class ForbiddenError extends MotcuaError {
  constructor(message = 'Not allowed', details: Record<string, unknown> = {}) {
    super('FORBIDDEN', message, details);
  }
}

/**
 * Too many requests from one client (login attempts, public look-ups).
 * `details.retryAfterSeconds` says when to try again; the limiter has already set
 * the `Retry-After` header.
 */
export class RateLimitedError extends MotcuaError {
  constructor(message = 'Too many requests; try again later', details: Record<string, unknown> = {}) {
    super('RATE_LIMITED', message, details);
  }
}

/**
 * A user named in a request cannot take the part asked of it: an assignee that does not
 * exist, is disabled, is not an official or works for another agency; an analyst granted
 * a process id who is none. `details.field` names the field, `details.reason` says why.
 */
export class IneligibleUserError extends MotcuaError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('USER_NOT_ELIGIBLE', message, details);
  }
}
