/**
 * `POST /v2/incidents/search` (to find a key: by `processInstanceKey`, `state` ACTIVE or
 * RESOLVED) and `POST /v2/incidents/{incidentKey}/resolution`. The same rules as
 * `/api/incidents`: agency admins, the incidents of their agency. Resolving a job's incident
 * gives the job one retry (Camunda asks the client to update the retries first; here the
 * resolution does both).
 */
import type { Router } from 'express';
import { type IncidentRow, InvalidInputError, NotFoundError } from '../../../../engine/src/index';
import { canResolveIncident } from '../../auth/policy';
import type { Principal } from '../../auth/principal';
import type { ApiServices } from '../../server';
import { compileValidator } from '../../validation';
import { instanceFacts } from '../instances';
import { definitionParts, gate, handle, keysOf, TENANT } from './common';

const STATE_OUT: Record<IncidentRow['state'], string> = { open: 'ACTIVE', resolved: 'RESOLVED' };
const STATE_IN: Record<string, IncidentRow['state']> = { ACTIVE: 'open', RESOLVED: 'resolved' };
const eq = { anyOf: [{ type: 'string', maxLength: 200 }, { type: 'object', required: ['$eq'], properties: { $eq: { type: 'string', maxLength: 200 } }, additionalProperties: false }] };
type Eq = string | { $eq: string };
const eqValue = (v: Eq | undefined): string | undefined => (v === undefined ? undefined : typeof v === 'string' ? v : v.$eq);

const searchBody = compileValidator<{ filter?: { processInstanceKey?: Eq; state?: Eq }; page?: { limit?: number; after?: string } }>('body', {
  type: 'object',
  properties: {
    filter: { type: 'object', properties: { processInstanceKey: eq, state: eq, tenantId: eq }, additionalProperties: false },
    page: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 1000 }, after: { type: 'string', maxLength: 2000 } } },
    sort: { type: 'array' },
  },
});

/** Only agency admins handle incidents, those of their own agency. */
const handlesIncidents = (p: Principal): boolean => canResolveIncident(p, { agency: p.agency });

export function mountIncidentRoutes(router: Router, services: ApiServices): void {
  const { ctx, apiStore, metrics } = services;
  const keys = keysOf(services);
  const allowed = gate(services, handlesIncidents, 'only agency admins handle incidents');

  router.post(
    '/incidents/search',
    ...allowed,
    handle(async (req, res) => {
      const body = searchBody(req.body ?? {});
      const f = body.filter ?? {};
      const stateName = eqValue(f.state);
      if (stateName !== undefined && !STATE_IN[stateName]) throw new InvalidInputError(`filter.state '${stateName}' is not one of ACTIVE, RESOLVED`, { field: 'body.filter.state' });
      let instanceId: string | undefined;
      if (f.processInstanceKey !== undefined) {
        instanceId = await keys.find('instance', eqValue(f.processInstanceKey)!);
        if (!instanceId) return void res.status(200).json({ items: [], page: { totalItems: 0, startCursor: null, endCursor: null, hasMoreTotalItems: false } });
      }
      const page = await apiStore.incidents({
        state: stateName ? STATE_IN[stateName] : 'open',
        instanceId,
        limit: body.page?.limit ?? 100,
        cursor: body.page?.after,
        visibleTo: { agencies: [req.principal!.agency!] },
      });
      const items = [];
      for (const i of page.items) {
        const instance = await ctx.store.instance(i.instanceId);
        items.push({
          incidentKey: await keys.key('incident', i.id),
          processInstanceKey: await keys.key('instance', i.instanceId),
          processDefinitionKey: instance ? await keys.key('definition', instance.definitionId) : null,
          processDefinitionId: instance ? definitionParts(instance.definitionId).processDefinitionId : null,
          errorType: i.jobId ? 'JOB_NO_RETRIES' : 'UNKNOWN',
          errorMessage: i.message,
          elementId: i.elementId,
          elementInstanceKey: null,
          jobKey: null,
          creationTime: new Date(i.createdAt).toISOString(),
          state: STATE_OUT[i.state],
          tenantId: TENANT,
        });
      }
      res.status(200).json({ items, page: { totalItems: items.length, startCursor: null, endCursor: page.nextCursor ?? null, hasMoreTotalItems: page.nextCursor !== undefined } });
    }),
  );

  router.post(
    '/incidents/:incidentKey/resolution',
    ...allowed,
    handle(async (req, res) => {
      const key = String(req.params.incidentKey);
      const id = await keys.id('incident', key, 'params.incidentKey');
      const incident = await apiStore.incident(id);
      const instance = incident && (await ctx.store.instance(incident.instanceId));
      const facts = instance ? await instanceFacts(services, instance) : { agencies: [] };
      if (!incident || !facts.agencies.some((agency) => canResolveIncident(req.principal!, { agency }))) {
        throw new NotFoundError(`incident with key '${key}' not found`, { field: 'params.incidentKey' });
      }
      await metrics.command('resolveIncident', () => ctx.engine.resolveIncident(id, { retries: 1, actor: req.principal!.id }));
      res.status(204).end();
    }),
  );
}
