/**
 * What the `/v2` route files share: the handler wrapper (route label for metrics, errors to
 * the problem handler, whose RFC 9457 documents are Camunda's `ProblemDetail`), the person
 * gate (the non-job routes are for people, under the same policy as `/api`), and the key
 * mapping between motcua's text ids and Camunda's numeric keys (`v2_keys`, migration 0023).
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { NotFoundError } from '../../../../engine/src/index';
import { ForbiddenError } from '../../auth/errors';
import type { Principal } from '../../auth/principal';
import type { ApiServices } from '../../server';
import type { V2KeyKind } from '../../store/v2-key-store';

/** Camunda's tenant of a single-tenant cluster. */
export const TENANT = '<default>';

/** Runs `run`, labels the route for the metrics and passes any error to the problem handler. */
export function handle(run: (req: Request, res: Response) => Promise<void>): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    res.locals.route = `/v2${req.route?.path ?? ''}`;
    run(req, res).catch(next);
  };
}

/** Authenticates, then lets through the principals `allow` accepts (403 with `why` otherwise). */
export function gate(services: ApiServices, allow: (p: Principal) => boolean, why: string): RequestHandler[] {
  return [services.mount.authenticate, (req, _res, next) => next(req.principal && !allow(req.principal) ? new ForbiddenError(why) : undefined)];
}

/** The key mapper of one request. */
export interface Keys {
  /** The numeric key of an id (given on first sight). */
  key(kind: V2KeyKind, id: string): Promise<string>;
  keys(kind: V2KeyKind, ids: readonly string[]): Promise<string[]>;
  /** The id a key names, or a 404 naming `field`. */
  id(kind: V2KeyKind, key: string, field: string): Promise<string>;
  /** The id a key names, if any. */
  find(kind: V2KeyKind, key: string): Promise<string | undefined>;
}

const WHAT: Record<V2KeyKind, string> = {
  instance: 'process instance',
  definition: 'process definition',
  deployment: 'deployment',
  task: 'user task',
  incident: 'incident',
  form: 'form',
  message: 'message',
  signal: 'signal',
  element: 'element instance',
};

export function keysOf(services: ApiServices): Keys {
  const store = services.ctx.stores.v2Keys;
  return {
    key: async (kind, id) => (await store.keysOf(kind, [id]))[0],
    keys: (kind, ids) => store.keysOf(kind, ids),
    find: (kind, key) => store.idOf(kind, key),
    async id(kind, key, field) {
      const id = await store.idOf(kind, key);
      if (id === undefined) throw new NotFoundError(`${WHAT[kind]} with key '${key}' not found`, { field });
      return id;
    },
  };
}

/** `<process id>:<version>:<hash>` -> its process id and version. */
export function definitionParts(definitionId: string): { processDefinitionId: string; processDefinitionVersion: number } {
  const parts = definitionId.split(':');
  const version = Number(parts[parts.length - 2]);
  return { processDefinitionId: parts.slice(0, -2).join(':') || definitionId, processDefinitionVersion: Number.isInteger(version) ? version : 0 };
}

/** Epoch ms -> ISO date, or null (Camunda's dates). */
export const isoOrNull = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());
