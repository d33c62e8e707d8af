/**
 * `/api/drafts`: the web modeler's drafts, kept per user on the server so that a
 * procedure being drawn survives a reload. Only the owner sees or changes a draft;
 * another user's draft answers 404 like a missing one. The XML is stored as sent
 * (a draft may be unfinished); it is checked when deployed.
 */
import express, { type RequestHandler, type Router } from 'express';
import { ConflictError, NotFoundError } from '../../../engine/src/index';
import type { DraftSummary } from '../store/draft-store';
import { canDeploy } from '../auth/policy';
import { UnsupportedMediaTypeError } from '../problem';
import * as schemas from '../schemas/drafts';
import type { ApiServices } from '../server';
import { iso, mount } from '../validation';

const XML_TYPES = ['application/xml', 'text/xml', 'application/bpmn+xml'];

function draftView(d: DraftSummary) {
  return { id: d.id, name: d.name, processId: d.processId, createdAt: iso(d.createdAt), updatedAt: iso(d.updatedAt) };
}

function xmlBody(maxXmlBytes: number): RequestHandler {
  const parse = express.text({ type: XML_TYPES, limit: maxXmlBytes });
  return (req, res, next) => {
    if (req.is(XML_TYPES)) return parse(req, res, next);
    next(new UnsupportedMediaTypeError(`save a draft as ${XML_TYPES.slice(0, 2).join(' or ')}`));
  };
}

/** Mounts the drafts routes (analysts and agency admins: those who may deploy). */
export function createDraftRoutes(router: Router, services: ApiServices): void {
  const { ctx } = services;
  const drafts = ctx.stores.drafts;
  const allow = canDeploy;

  mount(router, schemas.listDrafts, services.mount, async ({ principal }) => ({ status: 200, body: { items: (await drafts.list(principal!.id)).map(draftView) } }), { allow });

  mount<{ id: string }>(
    router,
    schemas.getDraft,
    services.mount,
    async ({ params, principal }) => {
      const draft = await drafts.get(principal!.id, params.id);
      if (!draft) throw new NotFoundError(`you have no draft '${params.id}'`, { field: 'params.id' });
      return { status: 200, body: { ...draftView(draft), xml: draft.xml } };
    },
    { allow },
  );

  mount<{ id: string }, { name?: string; processId?: string }>(
    router,
    schemas.saveDraft,
    services.mount,
    async ({ params, query, principal, req }) => {
      const xml = typeof req.body === 'string' ? req.body : '';
      const max = ctx.config.maxDraftsPerUser;
      const result = await drafts.save(principal!.id, { id: params.id, name: query.name, processId: query.processId, xml }, ctx.now(), max);
      if (!result.saved) throw new ConflictError(`you already keep ${max} drafts (MOTCUA_MAX_DRAFTS_PER_USER): delete one first`, { field: 'params.id' });
      return { status: 200, body: draftView(result.draft) };
    },
    { allow, parsers: [xmlBody(ctx.config.maxXmlBytes)] },
  );

  mount<{ id: string }>(
    router,
    schemas.deleteDraft,
    services.mount,
    async ({ params, principal }) => {
      if (!(await drafts.delete(principal!.id, params.id))) throw new NotFoundError(`you have no draft '${params.id}'`, { field: 'params.id' });
      return { status: 204 };
    },
    { allow },
  );
}
