/**
 * `POST /v2/messages/publication` and `POST /v2/messages/correlation`, and
 * `POST /v2/signals/broadcast`. The same rules as `/api/messages` and `/api/signals`
 * (officials and agency admins, reaching only their agency's instances). Publication is
 * Camunda's fire-and-forget: buffered for `timeToLive` ms when nothing waits, dropped when
 * nothing waits and there is no time to live. Correlation reaches a waiting instance or a
 * message start event, else answers 404.
 */
import { randomUUID } from 'node:crypto';
import type { Router } from 'express';
import { MotcuaError, type Variables } from '../../../../engine/src/index';
import { canCorrelateMessage } from '../../auth/policy';
import type { Principal } from '../../auth/principal';
import type { ApiServices } from '../../server';
import { compileValidator } from '../../validation';
import { gate, handle, keysOf, TENANT } from './common';

const variables = { type: ['object', 'null'], propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$', maxLength: 200 } } as const;

type MessageBody = { name: string; correlationKey?: string; variables?: Variables | null; timeToLive?: number; messageId?: string };
const messageBody = compileValidator<MessageBody>('body', {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    correlationKey: { type: 'string', maxLength: 200 },
    variables,
    timeToLive: { type: 'integer', minimum: 0, maximum: 365 * 24 * 3600 * 1000 },
    messageId: { type: 'string', maxLength: 200 },
    tenantId: { type: 'string' },
  },
});
const signalBody = compileValidator<{ signalName: string; variables?: Variables | null }>('body', {
  type: 'object',
  required: ['signalName'],
  properties: { signalName: { type: 'string', minLength: 1, maxLength: 200 }, variables, tenantId: { type: 'string' } },
});

export function mountMessageRoutes(router: Router, services: ApiServices): void {
  const { ctx, metrics } = services;
  const keys = keysOf(services);
  const allowed = gate(services, canCorrelateMessage, 'only officials and agency admins of an agency publish messages and broadcast signals');

  const correlate = (body: MessageBody, principal: Principal, timeToLiveMs?: number) =>
    metrics.command('correlateMessage', () =>
      ctx.engine.correlateMessage({
        messageName: body.name,
        correlationKey: body.correlationKey ?? '',
        variables: body.variables ?? {},
        timeToLiveMs,
        messageId: body.messageId,
        actor: principal.id,
        agency: principal.agency!,
      }),
    );

  router.post(
    '/messages/publication',
    ...allowed,
    handle(async (req, res) => {
      const body = messageBody(req.body ?? {});
      try {
        await correlate(body, req.principal!, body.timeToLive);
      } catch (error) {
        // Camunda publishes whether or not anything waits.
        if (!(error instanceof MotcuaError && error.code === 'MESSAGE_NOT_CORRELATED')) throw error;
      }
      res.status(200).json({ tenantId: TENANT, messageKey: await keys.key('message', body.messageId ? `id:${body.messageId}` : randomUUID()) });
    }),
  );

  router.post(
    '/messages/correlation',
    ...allowed,
    handle(async (req, res) => {
      const body = messageBody(req.body ?? {});
      const result = await correlate(body, req.principal!);
      const [first] = result.instanceIds;
      res.status(200).json({ tenantId: TENANT, messageKey: await keys.key('message', randomUUID()), processInstanceKey: first ? await keys.key('instance', first) : null });
    }),
  );

  router.post(
    '/signals/broadcast',
    ...allowed,
    handle(async (req, res) => {
      const body = signalBody(req.body ?? {});
      const p = req.principal!;
      await metrics.command('broadcastSignal', () => ctx.engine.broadcastSignal(body.signalName, { variables: body.variables ?? {}, actor: p.id, agency: p.agency! }));
      res.status(200).json({ tenantId: TENANT, signalKey: await keys.key('signal', randomUUID()) });
    }),
  );
}
