/**
 * `/api/instances`: start, list, read, cancel instances (dossiers); their
 * variables, history, and position on the diagram.
 */
import type { Router } from 'express';
import { type InstanceRecord, NotFoundError, ROOT } from '../../../engine/src/index';
import type { InstanceQuery, InstanceSummary } from '../store/api-store';
import { ForbiddenError } from '../auth/errors';
import { canReadInstanceData, canResolveIncident, canSeeInstance, canStartInstance } from '../auth/policy';
import type { Principal } from '../auth/principal';
import * as schemas from '../schemas/instances';
import type { ApiServices } from '../server';
import { iso, mount } from '../validation';

/** Who may see an instance: the agencies involved and who started it. */
export interface InstanceFacts {
  /** The procedure's agency and the agencies of its tasks. */
  agencies: string[];
  startedBy?: string;
}

/** Facts of an instance for the policy (one query: its definition's agency, its tasks' agencies, who started it). */
export async function instanceFacts(services: ApiServices, instance: Pick<InstanceRecord, 'id' | 'definitionId'>): Promise<InstanceFacts> {
  const access = await services.apiStore.instanceAccess(instance.id);
  const agencies = [...new Set([access.procedureAgency, ...access.taskAgencies].filter((a): a is string => typeof a === 'string' && a !== ''))];
  return { agencies, startedBy: access.startedBy };
}

/** canSeeInstance over every agency involved. */
export function maySeeInstance(p: Principal, facts: InstanceFacts): boolean {
  const agencies = facts.agencies.length > 0 ? facts.agencies : [undefined];
  return agencies.some((agency) => canSeeInstance(p, { agency, startedBy: facts.startedBy }));
}

/** canReadInstanceData over every agency involved; a ForbiddenError in plain words otherwise. */
function assertMayReadData(p: Principal, facts: InstanceFacts, what: string): void {
  if (facts.agencies.some((agency) => canReadInstanceData(p, { agency, startedBy: facts.startedBy }))) return;
  throw new ForbiddenError(`only the staff of an agency involved may read the ${what} of an instance; an applicant follows its dossier with GET /api/dossiers/{id} and the tracking`);
}

/**
 * Cancelling a dossier or changing its data is an intervention of an agency admin of
 * an agency involved: the same rule as resolving its incidents (until the policy names
 * its own rule).
 */
export function mayAdministerInstance(p: Principal, facts: InstanceFacts): boolean {
  return facts.agencies.some((agency) => canResolveIncident(p, { agency }));
}

/**
 * The list counterpart of canSeeInstance: staff of an agency see the instances of their
 * agency's procedures and those with a task of their agency; citizens those they
 * started; analysts none (they work on models, not dossiers).
 */
function instanceVisibility(p: Principal): NonNullable<InstanceQuery['visibleTo']> | 'none' {
  const staff = p.agency !== undefined && p.agency !== '' && canSeeInstance(p, { agency: p.agency });
  const starter = canSeeInstance(p, { startedBy: p.id });
  if (!staff && !starter) return 'none';
  return { ...(staff ? { agency: p.agency } : {}), ...(starter ? { startedBy: p.id } : {}) };
}

export function instanceView(i: InstanceSummary | (InstanceRecord & { version?: number }), extra: { agencies?: string[]; version?: number } = {}) {
  return {
    id: i.id,
    processId: i.processId,
    definitionId: i.definitionId,
    version: extra.version ?? (i as { version?: number }).version,
    businessKey: i.businessKey,
    status: i.status,
    parentInstanceId: i.parentInstanceId,
    startedAt: iso(i.startedAt),
    endedAt: iso(i.endedAt),
    agencies: extra.agencies,
    suspended: 'state' in i && i.state.status === 'active' ? Boolean(i.state.suspended) : undefined,
  };
}

export function createInstanceRoutes(router: Router, services: ApiServices): void {
  const { ctx, apiStore, metrics } = services;

  /**
   * The instance, when the caller may see it; one it may not see gets the answer of one that
   * does not exist (404), so that another agency's instance ids cannot be probed
   * (docs/conventions.md). What it sees but may not do is a 403 of each route.
   */
  const visible = async (id: string, p: Principal) => {
    const notFound = () => new NotFoundError(`instance '${id}' does not exist`, { field: 'params.id' });
    const instance = await ctx.store.instance(id);
    if (!instance) throw notFound();
    const facts = await instanceFacts(services, instance);
    if (!maySeeInstance(p, facts)) throw notFound();
    return { instance, facts };
  };
  const versionOf = async (definitionId: string) => (await apiStore.definition(definitionId))?.version;

  mount<Record<string, string>, Record<string, never>, { processId?: string; version?: number; definitionId?: string; businessKey?: string; variables?: Record<string, never> }>(
    router,
    schemas.startInstance,
    services.mount,
    async ({ body, principal }) => {
      const p = principal!;
      const checkDefinition = (d: { processId: string; agency?: string }) => {
        if (!canStartInstance(p, { agency: d.agency })) {
          throw new ForbiddenError(`process '${d.processId}' belongs to ${d.agency ? `agency '${d.agency}'` : 'no agency'}: only its own agency starts it`, { processId: d.processId });
        }
      };
      const started = await metrics.command('startInstance', () => ctx.engine.startInstance({ ...body, actor: p.id, checkDefinition }));
      return { status: 201, body: started };
    },
    { allow: (p) => canStartInstance(p, { agency: p.agency }) },
  );

  mount<Record<string, string>, Omit<InstanceQuery, 'visibleTo'>>(
    router,
    schemas.listInstances,
    services.mount,
    async ({ query, principal }) => {
      const visibleTo = instanceVisibility(principal!);
      if (visibleTo === 'none') throw new ForbiddenError('this user sees no instances');
      const page = await apiStore.instances({ ...query, visibleTo });
      return { status: 200, body: { items: page.items.map((i) => instanceView(i)), nextCursor: page.nextCursor } };
    },
  );

  mount<{ id: string }>(router, schemas.getInstance, services.mount, async ({ params, principal }) => {
    const { instance, facts } = await visible(params.id, principal!);
    return { status: 200, body: instanceView(instance, { agencies: facts.agencies, version: await versionOf(instance.definitionId) }) };
  });

  mount<{ id: string }, Record<string, never>, { reason?: string }>(router, schemas.cancelInstance, services.mount, async ({ params, body, principal }) => {
    const { facts } = await visible(params.id, principal!);
    if (!mayAdministerInstance(principal!, facts)) throw new ForbiddenError('only an agency admin of an agency involved may cancel this instance');
    await metrics.command('cancelInstance', () => ctx.engine.cancelInstance(params.id, { actor: principal!.id, reason: body.reason }));
    const after = (await ctx.store.instance(params.id))!;
    return { status: 200, body: instanceView(after, { agencies: facts.agencies, version: await versionOf(after.definitionId) }) };
  });

  // Suspend and resume: the same rule as cancel (an agency admin of an agency involved).
  mount<{ id: string }, Record<string, never>, { reason?: string }>(router, schemas.suspendInstance, services.mount, async ({ params, body, principal }) => {
    const { facts } = await visible(params.id, principal!);
    if (!mayAdministerInstance(principal!, facts)) throw new ForbiddenError('only an agency admin of an agency involved may suspend this instance');
    await metrics.command('suspendInstance', () => ctx.engine.suspendInstance(params.id, { actor: principal!.id, reason: body.reason }));
    const after = (await ctx.store.instance(params.id))!;
    return { status: 200, body: instanceView(after, { agencies: facts.agencies, version: await versionOf(after.definitionId) }) };
  });

  mount<{ id: string }>(router, schemas.resumeInstance, services.mount, async ({ params, principal }) => {
    const { facts } = await visible(params.id, principal!);
    if (!mayAdministerInstance(principal!, facts)) throw new ForbiddenError('only an agency admin of an agency involved may resume this instance');
    await metrics.command('resumeInstance', () => ctx.engine.resumeInstance(params.id, { actor: principal!.id }));
    const after = (await ctx.store.instance(params.id))!;
    return { status: 200, body: instanceView(after, { agencies: facts.agencies, version: await versionOf(after.definitionId) }) };
  });

  mount<{ id: string }>(router, schemas.getInstanceVariables, services.mount, async ({ params, principal }) => {
    const { facts } = await visible(params.id, principal!);
    assertMayReadData(principal!, facts, 'variables');
    return { status: 200, body: { variables: await ctx.engine.variables(params.id) } };
  });

  mount<{ id: string }, Record<string, never>, { variables: Record<string, never> }>(
    router,
    schemas.setInstanceVariables,
    services.mount,
    async ({ params, body, principal }) => {
      const { facts } = await visible(params.id, principal!);
      if (!mayAdministerInstance(principal!, facts)) throw new ForbiddenError('only an agency admin of an agency involved may change these variables');
      await metrics.command('setVariables', () => ctx.engine.setVariables(params.id, body.variables, { actor: principal!.id }));
      return { status: 200, body: { variables: await ctx.engine.variables(params.id) } };
    },
  );

  mount<{ id: string }>(router, schemas.getInstanceHistory, services.mount, async ({ params, principal }) => {
    const { facts } = await visible(params.id, principal!);
    assertMayReadData(principal!, facts, 'history');
    const rows = await ctx.store.history(params.id);
    return {
      status: 200,
      body: { items: rows.map((h) => ({ id: h.id, at: iso(h.at), actor: h.actor, type: h.type, elementId: h.elementId, data: h.data })) },
    };
  });

  mount<{ id: string }>(router, schemas.getInstancePosition, services.mount, async ({ params, principal }) => {
    const { instance } = await visible(params.id, principal!);
    const active = new Set<string>();
    for (const element of Object.values(instance.state.elements)) if (element.key !== ROOT) active.add(element.elementId);
    const completed = new Set<string>();
    const flows = new Set<string>();
    for (const row of await ctx.store.history(params.id)) {
      if (row.type === 'elementCompleted' && typeof row.data.elementId === 'string') completed.add(row.data.elementId);
      else if (row.type === 'flowTaken' && typeof row.data.flowId === 'string') flows.add(row.data.flowId);
    }
    return {
      status: 200,
      body: {
        instanceId: instance.id,
        definitionId: instance.definitionId,
        status: instance.status,
        activeElementIds: [...active],
        completedElementIds: [...completed],
        takenFlowIds: [...flows],
        incidentElementIds: [...new Set(Object.values(instance.state.incidents).map((i) => i.elementId))],
      },
    };
  });
}
