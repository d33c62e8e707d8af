/**
 * `/api/processes/{processId}/analysts`: which analysts may deploy new versions of a
 * process id. A process id belongs to the agency that first deployed it; that agency's
 * admins grant and revoke (see `canDeployProcess` in the policy for how deploy uses it).
 */
import type { Router } from 'express';
import { ConflictError, NotFoundError } from '../../../engine/src/index';
import type { ProcessAnalystGrant } from '../store/api-store';
import { ForbiddenError, IneligibleUserError } from '../auth/errors';
import { canGrantAnalysts } from '../auth/policy';
import type { Principal } from '../auth/principal';
import * as schemas from '../schemas/processes';
import type { ApiServices } from '../server';
import { iso, mount } from '../validation';

function grantView(g: ProcessAnalystGrant) {
  return { processId: g.processId, userId: g.userId, agency: g.agency, grantedAt: iso(g.grantedAt), grantedBy: g.grantedBy };
}

/** Agency admins may call these at all (whose process id it is comes next). */
const isAgencyAdmin = (p: Principal): boolean => canGrantAnalysts(p, { owner: p.agency });

/** Mounts the grant routes. */
export function createProcessRoutes(router: Router, services: ApiServices): void {
  const { apiStore, users } = services;

  /** The owner of a process id, when the caller is one of its agency admins (404 unknown, 409 unowned, 403 another's). */
  const ownedByCaller = async (processId: string, p: Principal): Promise<string> => {
    const owner = await apiStore.processOwner(processId);
    if (!owner) {
      const deployed = await apiStore.definitions({ processId, latest: true, limit: 1 });
      if (deployed.items.length === 0) throw new NotFoundError(`process '${processId}' is not deployed`, { field: 'params.processId' });
      throw new ConflictError(`process '${processId}' belongs to no agency yet: nobody grants its deployment`, { processId });
    }
    if (!canGrantAnalysts(p, { owner: owner.agency })) throw new ForbiddenError(`process '${processId}' belongs to agency '${owner.agency}': only its agency admins grant it`, { processId, owner: owner.agency });
    return owner.agency;
  };

  mount<{ processId: string }>(
    router,
    schemas.listProcessAnalysts,
    services.mount,
    async ({ params, principal }) => {
      const owner = await ownedByCaller(params.processId, principal!);
      const items = (await apiStore.processAnalysts(params.processId)).filter((g) => g.agency === owner);
      return { status: 200, body: { processId: params.processId, owner, items: items.map(grantView) } };
    },
    { allow: isAgencyAdmin },
  );

  mount<{ processId: string; userId: string }>(
    router,
    schemas.grantProcessAnalyst,
    services.mount,
    async ({ params, principal }) => {
      const owner = await ownedByCaller(params.processId, principal!);
      const user = await users.byId(params.userId);
      const why = !user ? 'there is no such user' : user.disabled ? 'the user is disabled' : !user.roles.includes('analyst') ? 'the user is not an analyst' : undefined;
      if (why) throw new IneligibleUserError(`'${params.userId}' cannot deploy process '${params.processId}': ${why}`, { field: 'params.userId', reason: why });
      const grant = await apiStore.grantProcessAnalyst({ processId: params.processId, userId: params.userId, agency: owner, grantedAt: services.ctx.now(), grantedBy: principal!.id });
      return { status: 200, body: grantView(grant) };
    },
    { allow: isAgencyAdmin },
  );

  mount<{ processId: string; userId: string }>(
    router,
    schemas.revokeProcessAnalyst,
    services.mount,
    async ({ params, principal }) => {
      await ownedByCaller(params.processId, principal!);
      await apiStore.revokeProcessAnalyst(params.processId, params.userId);
      return { status: 204 };
    },
    { allow: isAgencyAdmin },
  );
}
