/**
 * `/api/audit/verify`: verification of the audit trail (issue 16). The whole trail is for
 * analysts (`canVerifyAuditTrail`): its counts and the dossier ids of a bad row span every
 * agency (QA finding 5). An agency admin verifies its own agency's dossiers, and an analyst
 * may scope to one agency with `?agency=` (`canVerifyAgencyAuditTrail`): the answer then
 * counts and names that agency's dossiers only. The answer names only dossier ids and sequences.
 */
import type { Router } from 'express';
import { InvariantError } from '../../../engine/src/index';
import { ForbiddenError } from '../auth/errors';
import { canVerifyAgencyAuditTrail, canVerifyAuditTrail } from '../auth/policy';
import type { Principal } from '../auth/principal';
import * as schemas from '../schemas/audit';
import type { ApiServices } from '../server';
import { mount } from '../validation';

const isAnalyst = (p: Principal): boolean => p.roles.includes('analyst');

export function createAuditRoutes(router: Router, services: ApiServices): void {
  const { ctx } = services;
  mount<Record<string, string>, { agency?: string }>(
    router,
    schemas.verifyAudit,
    services.mount,
    async ({ query, principal }) => {
      if (!ctx.audit) throw new InvariantError('this server has no audit trail');
      const p = principal!;
      // Analysts verify the whole trail unless they name an agency; an agency admin its own agency.
      const agency = query.agency ?? (isAnalyst(p) ? undefined : p.agency || undefined);
      if (agency === undefined) {
        if (!canVerifyAuditTrail(p)) throw new ForbiddenError('the whole audit trail is verified by analysts; an agency admin verifies its own agency, and this one has none');
        return { status: 200, body: await ctx.audit.verify() };
      }
      if (!canVerifyAgencyAuditTrail(p, { agency })) {
        throw new ForbiddenError(`the audit trail of agency '${agency}' is verified by its own agency admins and by analysts; this agency admin belongs to ${p.agency ? `agency '${p.agency}'` : 'no agency'}`);
      }
      return { status: 200, body: { agency, ...(await ctx.audit.verify({ agency })) } };
    },
    { allow: (p) => isAnalyst(p) || p.roles.includes('agency-admin') },
  );
}
