/**
 * `/api/health`: is every part of the service serving (for load balancers and
 * probes): the database reachable, and every part of `services.readiness` (the push
 * gateway attached, the job executor running). 503 names the parts that are not.
 */
import type { Router } from 'express';
import { version } from '../../../package.json';
import * as schemas from '../schemas/health';
import type { ApiServices } from '../server';
import { mount } from '../validation';

/** How long the database may take to answer before the service counts as unavailable. */
const PING_TIMEOUT_MS = 2000;

export function createHealthRoutes(router: Router, services: ApiServices): void {
  const { ctx, apiStore, logger } = services;
  mount(router, schemas.getHealth, services.mount, async ({ res }) => {
    res.set('Cache-Control', 'no-store');
    const start = process.hrtime.bigint();
    let timer: NodeJS.Timeout | undefined;
    try {
      const { serverVersion } = await Promise.race([
        apiStore.ping(),
        new Promise<never>((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS);
        }),
      ]);
      const latencyMs = Number(process.hrtime.bigint() - start) / 1e6;
      const { ready, parts } = services.readiness.report();
      const database = { reachable: true, embedded: ctx.store.embedded, serverVersion, latencyMs };
      return { status: ready ? 200 : 503, body: { status: ready ? 'ok' : 'unavailable', version, database, parts } };
    } catch (error) {
      logger.warn({ err: error }, 'health: database not reachable');
      const { parts } = services.readiness.report();
      return { status: 503, body: { status: 'unavailable', version, database: { reachable: false, embedded: ctx.store.embedded }, parts } };
    } finally {
      clearTimeout(timer);
    }
  });
}
