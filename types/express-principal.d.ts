/**
 * `req.principal`: who is calling, set by `authenticate` / `optionalAuthenticate`
 * (api/src/auth/middleware.ts); undefined on anonymous requests.
 */
import type { Principal } from '../api/src/auth/principal';

declare global {
  namespace Express {
    interface Request {
      principal?: Principal;
    }
  }
}

export {};
