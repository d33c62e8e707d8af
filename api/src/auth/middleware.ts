/**
 * Express middleware for authentication, role checks and rate limits. None of it
 * answers a request itself: every refusal is passed to `next(error)` as an
 * `UnauthorizedError`, `ForbiddenError` or `RateLimitedError`, and the one error
 * middleware turns it into `application/problem+json`.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { ForbiddenError, RateLimitedError, UnauthorizedError } from './errors';
import type { Role, TokenVerifier } from './principal';

/** The bearer token of a request: undefined without an Authorization header; throws when the header is not `Bearer <token>`. */
function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
  if (!match) throw new UnauthorizedError('The Authorization header must be "Bearer <token>"', { reason: 'malformed authorization header' });
  return match[1];
}

async function attachPrincipal(verifier: TokenVerifier, req: Request, required: boolean): Promise<void> {
  const token = bearerToken(req);
  if (token === undefined) {
    if (required) throw new UnauthorizedError('Authentication required', { reason: 'no bearer token' });
    return;
  }
  req.principal = await verifier.verify(token);
}

/**
 * Requires a valid bearer token and puts its principal on `req.principal`. A missing,
 * malformed or refused token goes to `next(UnauthorizedError)`; any other failure of
 * the verifier (database down) goes to `next` as it is.
 */
export function authenticate(verifier: TokenVerifier): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    attachPrincipal(verifier, req, true).then(() => next(), next);
  };
}

/**
 * Like {@link authenticate}, but a request without an Authorization header passes on
 * anonymously (`req.principal` undefined). A header that is present must be valid:
 * a bad token is refused, never silently ignored.
 */
export function optionalAuthenticate(verifier: TokenVerifier): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    attachPrincipal(verifier, req, false).then(() => next(), next);
  };
}

/**
 * Lets the request through when its principal has at least one of `roles`; otherwise
 * `ForbiddenError` naming the roles needed (`details.requiredRoles`), or
 * `UnauthorizedError` when nobody is signed in. Put it after {@link authenticate}.
 *
 * @example
 *   router.post('/deployments', authenticate(ctx.auth), requireRole('analyst', 'agency-admin'), deploy);
 */
export function requireRole(...roles: Role[]): RequestHandler {
  if (roles.length === 0) throw new Error('requireRole needs at least one role');
  return (req: Request, _res: Response, next: NextFunction) => {
    const principal = req.principal;
    if (!principal) return next(new UnauthorizedError('Authentication required', { reason: 'no bearer token' }));
    if (principal.roles.some((role) => roles.includes(role))) return next();
    next(new ForbiddenError(`This needs the role ${roles.join(' or ')}`, { requiredRoles: roles }));
  };
}

/** Options of {@link createRateLimit}. */
export interface RateLimitOptions {
  /** Length of the window, ms. */
  windowMs: number;
  /** Requests allowed per key and window. */
  limit: number;
  /**
   * The client key of a request (default: its IP address, IPv6 by /56 network).
   * Use {@link clientIp} inside a custom key to keep that IPv6 handling.
   */
  key?: (req: Request) => string;
  /** Count only requests that fail (status ≥ 400), e.g. login attempts (default false). */
  onlyFailures?: boolean;
  /** Message of the `RateLimitedError` (default: "Too many requests; try again later"). */
  message?: string;
}

/** The client's address as a rate-limit key: IPv4 as is, IPv6 by its /56 network (one household, one key). */
export function clientIp(req: Request): string {
  return ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown');
}

/**
 * A rate limiter (express-rate-limit, in-memory, per process) that refuses with
 * `next(RateLimitedError)` (`details.retryAfterSeconds`) after setting `Retry-After`
 * and the standard `RateLimit` headers. For login and the public endpoints
 * (dossier look-up by code). Behind a reverse proxy, set express's `trust proxy` so
 * that `req.ip` is the client's address.
 *
 * @example
 *   router.get('/public/dossiers/:code', createRateLimit({ windowMs: 60_000, limit: 30 }), lookUp);
 */
export function createRateLimit(options: RateLimitOptions): RequestHandler {
  const key = options.key ?? clientIp;
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    skipSuccessfulRequests: options.onlyFailures ?? false,
    keyGenerator: (req) => key(req),
    handler: (req, _res, next) => {
      const resetTime = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const retryAfterSeconds = resetTime ? Math.max(1, Math.ceil((resetTime.getTime() - Date.now()) / 1000)) : Math.ceil(options.windowMs / 1000);
      next(new RateLimitedError(options.message, { retryAfterSeconds }));
    },
  });
}
