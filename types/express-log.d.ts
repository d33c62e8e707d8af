/**
 * `req.log`: the request's child logger (pino), carrying its request id, set by the
 * server's first middleware (api/src/server.ts); routes add the instance and task ids
 * they learn (`bindLogIds` in api/src/validation.ts), so every line of the request,
 * its access line included, names them.
 */
import type { Logger } from 'pino';

declare global {
  namespace Express {
    interface Request {
      log: Logger;
    }
  }
}

export {};
