/** `/api/service-accounts`: an agency admin issues, lists and revokes its agency's job workers' OAuth clients. */
import type { Router } from 'express';
import { NotFoundError } from '../../../engine/src/index';
import { canManageServiceAccounts } from '../auth/policy';
import type { Principal } from '../auth/principal';
import { issueServiceAccount, revokeServiceAccount, serviceAccountView } from '../auth/service-accounts';
import * as schemas from '../schemas/service-accounts';
import type { ApiServices } from '../server';
import { mount } from '../validation';

const ownAgency = (p: Principal): boolean => canManageServiceAccounts(p, { agency: p.agency });

export function createServiceAccountRoutes(router: Router, services: ApiServices): void {
  const { ctx } = services;
  const store = ctx.stores.serviceAccounts;
  const accounts = () => store;

  mount<Record<string, string>, Record<string, never>, { name: string }>(
    router,
    schemas.createServiceAccount,
    services.mount,
    async ({ body, principal }) => {
      const { account, clientSecret } = await issueServiceAccount(accounts(), { name: body.name, agency: principal!.agency!, createdBy: principal!.id, now: ctx.now() });
      return { status: 201, headers: { 'Cache-Control': 'no-store' }, body: { ...serviceAccountView(account), clientSecret, tokenUrl: '/api/oauth/token' } };
    },
    { allow: ownAgency },
  );

  mount(
    router,
    schemas.listServiceAccounts,
    services.mount,
    async ({ principal }) => ({ status: 200, body: { items: (await accounts().list({ agency: principal!.agency })).map(serviceAccountView) } }),
    { allow: ownAgency },
  );

  mount<{ clientId: string }>(
    router,
    schemas.revokeServiceAccount,
    services.mount,
    async ({ params, principal }) => {
      const account = await accounts().byId(params.clientId);
      // Another agency's account gets the answer of one that does not exist (docs/conventions.md).
      if (account && !canManageServiceAccounts(principal!, { agency: account.agency })) throw new NotFoundError(`service account '${params.clientId}' does not exist`, { field: 'clientId' });
      const revoked = await revokeServiceAccount(accounts(), params.clientId, { at: ctx.now(), by: principal!.id });
      return { status: 200, body: serviceAccountView(revoked) };
    },
    { allow: ownAgency },
  );
}
