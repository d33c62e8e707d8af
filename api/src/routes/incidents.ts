/** `/api/incidents`: technical failures waiting for an agency admin; retry them. */
import type { Router } from 'express';
import { type IncidentRow, NotFoundError } from '../../../engine/src/index';
import { canResolveIncident } from '../auth/policy';
import type { Principal } from '../auth/principal';
import * as schemas from '../schemas/incidents';
import type { ApiServices } from '../server';
import { iso, mount } from '../validation';
import { instanceFacts } from './instances';

function incidentView(i: IncidentRow) {
  return { id: i.id, instanceId: i.instanceId, elementId: i.elementId, kind: i.kind, cause: i.cause, message: i.message, jobId: i.jobId, state: i.state, createdAt: iso(i.createdAt) };
}

/** Only agency admins handle incidents, those of their own agency. */
const handlesIncidents = (p: Principal): boolean => canResolveIncident(p, { agency: p.agency });

export function createIncidentRoutes(router: Router, services: ApiServices): void {
  const { ctx, apiStore, metrics } = services;

  mount<Record<string, string>, { state: IncidentRow['state']; instanceId?: string; limit: number; cursor?: string }>(
    router,
    schemas.listIncidents,
    services.mount,
    async ({ query, principal }) => {
      const agency = principal!.agency!;
      const page = await apiStore.incidents({ ...query, visibleTo: { agencies: [agency] } });
      return { status: 200, body: { items: page.items.map(incidentView), nextCursor: page.nextCursor } };
    },
    { allow: handlesIncidents },
  );

  mount<{ id: string }, Record<string, never>, { retries?: number }>(
    router,
    schemas.retryIncident,
    services.mount,
    async ({ params, body, principal }) => {
      // An incident of another agency gets the answer of one that does not exist (docs/conventions.md).
      const notFound = () => new NotFoundError(`incident '${params.id}' does not exist`, { field: 'params.id' });
      const incident = await apiStore.incident(params.id);
      if (!incident) throw notFound();
      const instance = await ctx.store.instance(incident.instanceId);
      const facts = instance ? await instanceFacts(services, instance) : { agencies: [] };
      if (!facts.agencies.some((agency) => canResolveIncident(principal!, { agency }))) throw notFound();
      await metrics.command('resolveIncident', () => ctx.engine.resolveIncident(params.id, { retries: body.retries ?? 1, actor: principal!.id }));
      return { status: 200, body: incidentView((await apiStore.incident(params.id))!) };
    },
    { allow: handlesIncidents },
  );
}
