/**
 * `/api/messages`: correlate (publish) a message. It reaches only instances (and message
 * start events) of the caller's agency; another agency's waiting instance is as if it did
 * not exist, and a buffered message is taken only by the caller's agency's instances.
 */
import type { Router } from 'express';
import type { Variables } from '../../../engine/src/index';
import { canCorrelateMessage } from '../auth/policy';
import * as schemas from '../schemas/messages';
import type { ApiServices } from '../server';
import { mount } from '../validation';

interface CorrelateBody {
  name: string;
  correlationKey?: string;
  variables?: Variables;
  timeToLive?: number;
  messageId?: string;
}

export function createMessageRoutes(router: Router, services: ApiServices): void {
  const { ctx, metrics } = services;
  mount<Record<string, string>, Record<string, never>, CorrelateBody>(
    router,
    schemas.correlateMessage,
    services.mount,
    async ({ body, principal }) => {
      const result = await metrics.command('correlateMessage', () =>
        ctx.engine.correlateMessage({
          messageName: body.name,
          correlationKey: body.correlationKey,
          variables: body.variables,
          timeToLiveMs: body.timeToLive,
          messageId: body.messageId,
          actor: principal!.id,
          agency: principal!.agency!,
        }),
      );
      return { status: 200, body: result };
    },
    { allow: canCorrelateMessage },
  );
}
