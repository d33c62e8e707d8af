/**
 * Test scaffolding for the auth middleware and routes: an express app on 127.0.0.1,
 * port 0, with a stand-in for the server's error middleware (the real one lives in
 * api/src/problem.ts, written by the REST work) that maps error codes the way the
 * auth code expects: UNAUTHORIZED → 401 + WWW-Authenticate, FORBIDDEN → 403,
 * RATE_LIMITED → 429, INVALID_INPUT → 400.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { MotcuaError } from '../../../engine/src/errors';

const STATUS: Record<string, number> = { UNAUTHORIZED: 401, FORBIDDEN: 403, RATE_LIMITED: 429, INVALID_INPUT: 400, CONFLICT: 409, NOT_FOUND: 404 };

export const problemHandler: ErrorRequestHandler = (error, _req, res, _next) => {
  const known = error instanceof MotcuaError;
  const status = known ? (STATUS[error.code] ?? 500) : 500;
  if (status === 401) res.set('WWW-Authenticate', 'Bearer');
  res
    .status(status)
    .type('application/problem+json')
    .send(JSON.stringify({ status, title: known ? error.code : 'INTERNAL', detail: known ? error.message : 'internal error', ...(known ? error.details : {}) }));
};

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

/** Starts `configure`d express app (plus the problem handler) on a free port. */
export async function startApp(configure: (app: Express) => void): Promise<TestServer> {
  const app = express();
  configure(app);
  app.use(problemHandler);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
