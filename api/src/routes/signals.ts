/**
 * `/api/signals`: broadcast a signal. Like a message, it reaches only the caller's
 * agency: its waiting instances and its processes' signal start events.
 */
import type { Router } from 'express';
import type { Variables } from '../../../engine/src/index';
import { canCorrelateMessage } from '../auth/policy';
import * as schemas from '../schemas/signals';
import type { ApiServices } from '../server';
import { mount } from '../validation';

/** Mounts `POST /api/signals` (agency admins and officials, as for messages). */
export function createSignalRoutes(router: Router, services: ApiServices): void {
  const { ctx, metrics } = services;
  mount<Record<string, string>, Record<string, never>, { name: string; variables?: Variables }>(
    router,
    schemas.broadcastSignal,
    services.mount,
    async ({ body, principal }) => {
      const result = await metrics.command('broadcastSignal', () =>
        ctx.engine.broadcastSignal(body.name, { variables: body.variables, actor: principal!.id, agency: principal!.agency! }),
      );
      return { status: 200, body: result };
    },
    { allow: canCorrelateMessage },
  );
}
