/**
 * `/api/audit/verify`: verification of the whole audit trail (issue 16). Analysts only
 * (`canVerifyAuditTrail`): the counts and the dossier ids of a bad row span every agency,
 * so an agency admin is refused (QA finding 5). The answer names only dossier ids and sequences.
 */
import type { Router } from 'express';
import { InvariantError } from '../../../engine/src/index';
import { canVerifyAuditTrail } from '../auth/policy';
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
    { allow: canVerifyAuditTrail },
  );
}
