/** `/api/portal`, `/api/notices`: the outboxes of the dossier layer (onestop/src/outbox/outboxes.ts) over HTTP. */
import type { Router } from 'express';
import { InvalidInputError, InvariantError, NotFoundError } from '../../../engine/src/index';
import type { Outboxes } from '../../../onestop/src/outbox/outboxes';
import type { UnsentDossier } from '../../../onestop/src/outbox/outbox-store';
import { StatusMappingError } from '../../../onestop/src/portal/portal-sync';
import type { Principal } from '../auth/principal';
import * as schemas from '../schemas/portal';
import type { ApiServices } from '../server';
import { iso, mount } from '../validation';

const isStaff = (p: Principal): boolean => p.roles.includes('official') || p.roles.includes('agency-admin');
const isAdmin = (p: Principal): boolean => p.roles.includes('agency-admin');
const agencies = (p: Principal): string[] => (p.agency ? [p.agency] : []);

function unsentView(u: UnsentDossier) {
  return { dossierId: u.dossierId, agency: u.agency, pending: u.pending, attempts: u.attempts, firstCreatedAt: iso(u.firstCreatedAt), nextAt: iso(u.nextAt), ...(u.lastError ? { lastError: u.lastError } : {}) };
}

export function createPortalRoutes(router: Router, services: ApiServices): void {
  const { ctx } = services;
  const outboxes = (): Outboxes => {
    if (!ctx.outboxes) throw new InvariantError('this server has no dossier outboxes');
    return ctx.outboxes;
  };

  mount<Record<string, string>, { limit: number }>(
    router,
    schemas.listUnsynchronisedDossiers,
    services.mount,
    async ({ query, principal }) => ({
      status: 200,
      body: { configured: outboxes().portal.configured, items: (await outboxes().unsent('portal', { agencies: agencies(principal!), limit: query.limit ?? 100 })).map(unsentView) },
    }),
    { allow: isStaff },
  );

  mount<{ id: string }>(
    router,
    schemas.resendDossierToPortal,
    services.mount,
    async ({ params, principal }) => {
      const rows = await outboxes().rows('portal', params.id);
      // Another agency's dossier answers as if it had nothing to send.
      if (!rows.some((r) => r.sentAt === undefined && r.agency === principal!.agency)) throw new NotFoundError(`dossier '${params.id}' has no portal record waiting to be sent`, { field: 'params.id' });
      return { status: 200, body: await outboxes().resend('portal', params.id) };
    },
    { allow: isAdmin },
  );

  mount(router, schemas.getPortalStatusMapping, services.mount, async () => {
    const m = await outboxes().statusMapping();
    return { status: 200, body: { mapping: m.mapping, version: m.version, ...(m.updatedAt !== undefined ? { updatedAt: iso(m.updatedAt) } : {}), ...(m.updatedBy ? { updatedBy: m.updatedBy } : {}) } };
  }, { allow: isStaff });

  mount<Record<string, string>, Record<string, never>, unknown>(
    router,
    schemas.replacePortalStatusMapping,
    services.mount,
    async ({ body, principal }) => {
      try {
        return { status: 200, body: { version: await outboxes().replaceStatusMapping(body, principal!.id) } };
      } catch (error) {
        if (error instanceof StatusMappingError) throw new InvalidInputError(error.message, { field: 'body', problems: error.details });
        throw error;
      }
    },
    { allow: isAdmin },
  );

  mount<Record<string, string>, { limit: number }>(
    router,
    schemas.listUnsentNotices,
    services.mount,
    async ({ query, principal }) => ({
      status: 200,
      body: { configured: outboxes().notices.configured, items: (await outboxes().unsent('notice', { agencies: agencies(principal!), limit: query.limit ?? 100 })).map(unsentView) },
    }),
    { allow: isStaff },
  );
}
