/**
 * The floors of the `http` bench mode: what completing a task over HTTP costs with no API
 * around the engine at all, so that the report shows how much of the gap to the in-process
 * engine is HTTP itself (the load generator, Node's http server, the second process) and how
 * much is the API (express, its middlewares, authentication, validation, the route's checks).
 *
 * Both serve only `POST /api/tasks/{id}/complete`, as the API does, over the same Engine and
 * pool: they parse the JSON body, take the actor from the bearer token's `sub` WITHOUT
 * verifying it, call `engine.completeTask` and answer a small JSON document. They check
 * nothing else and are never a product: yardsticks only.
 *  - `node`: a bare `node:http` server.
 *  - `express`: a bare express app (express.json, one route; no other middleware).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Engine } from '../../engine/src/engine';
import type { Variables } from '../../engine/src/index';

export type FloorKind = 'node' | 'express';

export interface FloorServer {
  url: string;
  close(): Promise<void>;
}

const COMPLETE = /^\/api\/tasks\/([^/?]+)\/complete$/;

/** The token's subject, decoded and NOT verified (a floor measures transport, not security). */
function actorOf(authorization: string | undefined): string {
  const payload = authorization?.split('.')[1];
  if (!payload) throw new Error('no bearer token');
  return String(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')).sub);
}

function answer(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

async function complete(engine: Engine, id: string, authorization: string | undefined, body: { variables?: Variables }) {
  const completion = await engine.completeTask(id, { variables: body.variables ?? {}, actor: actorOf(authorization) });
  return { id, state: 'completed', completedAt: new Date(completion.completedAt).toISOString() };
}

function nodeHandler(engine: Engine): http.RequestListener {
  return (req, res) => {
    const match = req.method === 'POST' ? COMPLETE.exec(req.url ?? '') : null;
    if (!match) return answer(res, 404, { title: 'Not Found' });
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      Promise.resolve()
        .then(() => complete(engine, decodeURIComponent(match[1]), req.headers.authorization, JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}')))
        .then(
          (body) => answer(res, 200, body),
          (error: unknown) => answer(res, 500, { title: String(error) }),
        );
    });
  };
}

function expressApp(engine: Engine): express.Express {
  const app = express();
  app.use('/api', express.json());
  app.post('/api/tasks/:id/complete', (req, res, next) => {
    complete(engine, String(req.params.id), req.headers.authorization, req.body ?? {}).then((body) => res.status(200).json(body), next);
  });
  return app;
}

/** Starts a floor server on a free port of 127.0.0.1. */
export async function startFloorServer(kind: FloorKind, engine: Engine): Promise<FloorServer> {
  const server = http.createServer(kind === 'node' ? nodeHandler(engine) : expressApp(engine));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
