/**
 * `POST /api/oauth/token`: the OAuth 2.0 token endpoint of the client credentials grant
 * (RFC 6749 §4.4), for external job workers signing in as service accounts.
 *
 *   grant_type=client_credentials, the client authenticated by HTTP Basic
 *   (`client_secret_basic`) or by client_id + client_secret in the body
 *   (`client_secret_post`); form-encoded (as the RFC says) or JSON.
 *   → 200 {access_token, token_type: "Bearer", expires_in}
 *
 * Errors are problem documents, as everywhere in the API, that also carry RFC 6749 §5.2's
 * members (`error`, `error_description`), which OAuth clients read: `invalid_request` (400), `unsupported_grant_type` (400),
 * `invalid_client` (401, with `WWW-Authenticate: Basic` when Basic was tried). Failed
 * attempts are rate limited per client address.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { AuthService } from '../auth/auth-service';
import { UnauthorizedError } from '../auth/errors';
import { createRateLimit } from '../auth/middleware';
import type { AppContext } from '../context';
import { RateLimitedError } from '../auth/errors';
import { problemType, sendProblem, type Problem } from '../problem';

/** JSON Schema of a token request (documentation; the route checks the fields itself, naming each). */
export const OAUTH_TOKEN_REQUEST_SCHEMA = {
  type: 'object',
  required: ['grant_type'],
  properties: {
    grant_type: { const: 'client_credentials' },
    client_id: { type: 'string', description: 'With client_secret, unless the client authenticates by HTTP Basic.' },
    client_secret: { type: 'string' },
    audience: { type: 'string', description: 'Accepted and ignored (some clients send it).' },
    scope: { type: 'string', description: 'Accepted and ignored.' },
  },
} as const;

class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    description: string,
    readonly basic = false,
  ) {
    super(description);
  }
}

/** The client's id and secret from a Basic header (each form-urlencoded, RFC 6749 §2.3.1), undefined without one. */
function basicCredentials(req: Request): { id: string; secret: string } | undefined {
  const header = req.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Basic +([A-Za-z0-9+/]+=*) *$/i.exec(header);
  if (!match) throw new OAuthError(401, 'invalid_client', 'The Authorization header must be "Basic <base64 of client_id:client_secret>"', true);
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new OAuthError(401, 'invalid_client', 'The Basic credentials must be client_id:client_secret', true);
  const unescape = (text: string) => {
    try {
      return decodeURIComponent(text.replace(/\+/g, ' '));
    } catch {
      throw new OAuthError(401, 'invalid_client', 'The Basic credentials are not form-urlencoded', true);
    }
  };
  return { id: unescape(decoded.slice(0, colon)), secret: unescape(decoded.slice(colon + 1)) };
}

function field(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new OAuthError(400, 'invalid_request', `${name} must be a string`);
  return value;
}

/**
 * The token router, mounted by the server at `/api/oauth` before the API's JSON parser.
 *
 * @example
 *   app.use('/api/oauth', createOAuthRouter(ctx, auth));
 */
export function createOAuthRouter(ctx: AppContext, auth: AuthService): Router {
  const router = express.Router();
  const limit = createRateLimit({ windowMs: 60_000, limit: 100, onlyFailures: true, message: 'Too many failed token requests from this address; try again later' });
  router.post(
    '/token',
    limit,
    express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 20 }),
    express.json({ limit: '8kb' }),
    (req: Request, res: Response, next: NextFunction) => {
      const run = async () => {
        if (!req.is('application/x-www-form-urlencoded') && !req.is('application/json')) {
          throw new OAuthError(400, 'invalid_request', 'The token request must be application/x-www-form-urlencoded (or application/json)');
        }
        const body = (req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? req.body : {}) as Record<string, unknown>;
        const grant = field(body, 'grant_type');
        if (grant === undefined) throw new OAuthError(400, 'invalid_request', 'grant_type is required (client_credentials)');
        if (grant !== 'client_credentials') throw new OAuthError(400, 'unsupported_grant_type', `grant_type '${grant}' is not supported: only client_credentials`);
        const basic = basicCredentials(req);
        const postId = field(body, 'client_id');
        const postSecret = field(body, 'client_secret');
        if (basic && (postSecret !== undefined || (postId !== undefined && postId !== basic.id))) {
          throw new OAuthError(400, 'invalid_request', 'The client authenticates one way only: HTTP Basic or client_id and client_secret in the body');
        }
        const id = basic?.id ?? postId;
        const secret = basic?.secret ?? postSecret;
        if (!id || !secret) throw new OAuthError(401, 'invalid_client', 'client_id and client_secret are required (HTTP Basic or in the body)');
        try {
          const issued = await auth.clientCredentials(id, secret);
          res.set('Cache-Control', 'no-store');
          res.set('Pragma', 'no-cache');
          res.json({ access_token: issued.token, token_type: 'Bearer', expires_in: Math.max(0, Math.round((issued.expiresAt - ctx.now()) / 1000)) });
        } catch (error) {
          if (error instanceof UnauthorizedError) throw new OAuthError(401, 'invalid_client', 'Unknown client, wrong client secret, or revoked service account', basic !== undefined);
          throw error;
        }
      };
      run().catch(next);
    },
    (error: unknown, req: Request, res: Response, next: NextFunction) => {
      if (error instanceof RateLimitedError) return next(error);
      let oauth: OAuthError | undefined = error instanceof OAuthError ? error : undefined;
      const status = (error as { status?: number; type?: string } | null)?.status;
      // A body the parsers could not read (bad JSON, too large): still the RFC's shape.
      if (!oauth && typeof status === 'number' && status >= 400 && status < 500) oauth = new OAuthError(400, 'invalid_request', `The token request body could not be read: ${(error as Error).message}`);
      if (!oauth) return next(error);
      if (oauth.basic) res.set('WWW-Authenticate', 'Basic realm="motcua", charset="UTF-8"');
      res.set('Cache-Control', 'no-store');
      // A problem document (as every refusal of the API) that carries RFC 6749's members too.
      const code = oauth.status === 401 ? 'UNAUTHORIZED' : 'INVALID_INPUT';
      const problem = {
        type: problemType(code),
        title: oauth.status === 401 ? 'Authentication required' : 'Invalid request',
        status: oauth.status,
        code,
        detail: oauth.message,
        instance: req.originalUrl.split('?')[0],
        error: oauth.error,
        error_description: oauth.message,
      };
      sendProblem(res, problem as Problem);
    },
  );
  return router;
}
