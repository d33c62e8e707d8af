/**
 * `/api/audit/verify`: verification of the audit trail (issue 16). Analysts and agency
 * admins; the answer names only dossier ids and sequences.
 */
import type { Router } from 'express';
import { InvariantError } from '../../../engine/src/index';
import * as schemas from '../schemas/audit';
import type { ApiServices } from '../server';
import { mount } from '../validation';

export function createAuditRoutes(router: Router, services: ApiServices): void {
  const { ctx } = services;
  mount(
    router,
    schemas.verifyAudit,
    services.mount,
    async () => {
      if (!ctx.audit) throw new InvariantError('this server has no audit trail');
      return { status: 200, body: await ctx.audit.verify() };
    },
    { allow: (p) => p.roles.includes('analyst') || p.roles.includes('agency-admin') },
  );
}
