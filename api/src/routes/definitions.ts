/** `/api/definitions`: the deployed process versions, with their diagram XML. */
import type { Router } from 'express';
import { type DefinitionSummary, NotFoundError } from '../../../engine/src/index';
import type { Principal } from '../auth/principal';
import * as schemas from '../schemas/definitions';
import type { ApiServices } from '../server';
import { iso, mount } from '../validation';

/** Staff read the catalogue of procedures; citizens look their dossier up elsewhere. */
const isStaff = (p: Principal): boolean => p.roles.some((r) => r === 'analyst' || r === 'agency-admin' || r === 'official');

export function definitionView(d: DefinitionSummary) {
  return { id: d.id, processId: d.processId, version: d.version, versionTag: d.versionTag, name: d.name, deploymentId: d.deploymentId, createdAt: iso(d.createdAt), agency: d.agency };
}

export function createDefinitionRoutes(router: Router, services: ApiServices): void {
  const { apiStore } = services;

  mount<Record<string, string>, { processId?: string; latest: boolean; limit: number; cursor?: string }>(
    router,
    schemas.listDefinitions,
    services.mount,
    async ({ query }) => {
      const page = await apiStore.definitions(query);
      return { status: 200, body: { items: page.items.map(definitionView), nextCursor: page.nextCursor } };
    },
    { allow: isStaff },
  );

  const load = async (id: string) => {
    const definition = await apiStore.definition(id);
    if (!definition) throw new NotFoundError(`definition '${id}' does not exist`, { field: 'params.id' });
    return definition;
  };

  mount<{ id: string }>(
    router,
    schemas.getDefinition,
    services.mount,
    async ({ params }) => {
      const definition = await load(params.id);
      return { status: 200, body: { ...definitionView(definition), xml: definition.xml } };
    },
    { allow: isStaff },
  );

  mount<{ id: string }>(
    router,
    schemas.getDefinitionXml,
    services.mount,
    async ({ params }) => ({ status: 200, body: (await load(params.id)).xml, contentType: 'application/xml; charset=utf-8' }),
    { allow: isStaff },
  );
}
