/**
 * `/api/auth`: sign-in against the built-in user store, and who am I.
 *
 *   POST /login  {username, password} → 200 {token, tokenType, expiresAt, expiresIn, principal}
 *   GET  /me     (Bearer)             → 200 principal
 *
 * Login attempts are rate limited twice over, counting failures only: per client IP
 * and username (default 10 a minute: guessing one account's password) and per client
 * IP (default 100 a minute: trying many accounts). Beyond either, `RateLimitedError`
 * (429 with `Retry-After`).
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import Ajv from 'ajv';
import { InvalidInputError } from '../../../engine/src/index';
import type { AuthService } from '../auth/auth-service';
import { authenticate, clientIp, createRateLimit } from '../auth/middleware';
import { MAX_PASSWORD_LENGTH } from '../auth/passwords';
import type { AppContext } from '../context';
import { refuseUnstorableText } from '../text-guard';

/** Body of `POST /login`. */
export interface LoginRequest {
  username: string;
  password: string;
}

/** JSON Schema of `POST /login` bodies. */
export const LOGIN_REQUEST_SCHEMA = {
  type: 'object',
  properties: {
    username: { type: 'string', minLength: 1, maxLength: 128 },
    password: { type: 'string', minLength: 1, maxLength: MAX_PASSWORD_LENGTH },
  },
  required: ['username', 'password'],
  additionalProperties: false,
} as const;

/** Options of {@link createAuthRouter}: the login limits (tests lower them). */
export interface AuthRouterOptions {
  /** Window of the login limits, ms (default 60 000). */
  loginWindowMs?: number;
  /** Failed logins per client IP and username per window (default 10). */
  loginLimitPerUsername?: number;
  /** Failed logins per client IP per window, whatever the username (default 100). */
  loginLimitPerIp?: number;
}

const ajv = new Ajv({ allErrors: false });
const validateLogin = ajv.compile<LoginRequest>(LOGIN_REQUEST_SCHEMA);

/** The first schema violation as `InvalidInputError`, naming the field. */
function invalidBody(): InvalidInputError {
  const error = validateLogin.errors?.[0];
  if (!error) return new InvalidInputError('The request body must be a JSON object', { field: '' });
  const field =
    error.keyword === 'required'
      ? String(error.params.missingProperty)
      : error.keyword === 'additionalProperties'
        ? String(error.params.additionalProperty)
        : error.instancePath.replace(/^\//, '');
  const what = error.keyword === 'additionalProperties' ? `unknown property '${field}'` : `${field || 'body'} ${error.message}`;
  return new InvalidInputError(`Invalid login request: ${what}`, { field });
}

/** Username from a not yet validated body, as the per-username limit counts it. */
function usernameOf(req: Request): string {
  const username = (req.body as { username?: unknown } | undefined)?.username;
  return typeof username === 'string' ? username.trim().toLowerCase().slice(0, 128) : '';
}

/**
 * The auth router, mounted by the server under `/api/auth`. Refusals go to
 * `next(error)`: `InvalidInputError` (400), `UnauthorizedError` (401),
 * `RateLimitedError` (429).
 *
 * @example
 *   app.use('/api/auth', createAuthRouter(ctx, auth));
 */
export function createAuthRouter(ctx: AppContext, auth: AuthService, options: AuthRouterOptions = {}): Router {
  const windowMs = options.loginWindowMs ?? 60_000;
  const perIp = createRateLimit({ windowMs, limit: options.loginLimitPerIp ?? 100, onlyFailures: true, message: 'Too many failed logins from this address; try again later' });
  const perUsername = createRateLimit({
    windowMs,
    limit: options.loginLimitPerUsername ?? 10,
    onlyFailures: true,
    key: (req) => `${clientIp(req)}|${usernameOf(req)}`,
    message: 'Too many failed logins for this username; try again later',
  });

  const router = express.Router();

  router.post('/login', express.json({ limit: '8kb' }), refuseUnstorableText(), perIp, perUsername, (req: Request, res: Response, next: NextFunction) => {
    if (!validateLogin(req.body)) return next(invalidBody());
    const { username, password } = req.body;
    auth.login(username, password).then((result) => {
      res.set('Cache-Control', 'no-store');
      res.json({
        token: result.token,
        tokenType: 'Bearer',
        expiresAt: new Date(result.expiresAt).toISOString(),
        expiresIn: Math.max(0, Math.round((result.expiresAt - ctx.now()) / 1000)),
        principal: result.principal,
      });
    }, next);
  });

  router.get('/me', authenticate(auth), (req: Request, res: Response) => {
    res.set('Cache-Control', 'no-store');
    res.json(req.principal);
  });

  return router;
}
