/**
 * `/api/analysis`: re-engineering analysis. `POST /api/analysis/compare` puts two models
 * of a procedure side by side (`onestop/src/procedures/compare`): each side is an XML
 * document sent in the body, a deployed version, or a model of the procedure library.
 * Answers JSON (what the modeler's compare page draws) or CSV of the figures.
 */
import type { Router } from 'express';
import { NotFoundError } from '../../../engine/src/index';
import { compareBpmn, formatCsv, type ComparedDocument } from '../../../onestop/src/procedures/compare';
import { canAnalyse } from '../auth/policy';
import { readLibraryModel, type LibraryModel } from '../library-models';
import * as schemas from '../schemas/analysis';
import type { ApiServices } from '../server';
import { mount } from '../validation';

/** One side of a comparison, as the body names it. */
type ModelSource = { xml: string; label?: string } | { definitionId: string; label?: string } | { procedure: string; model: LibraryModel; label?: string };

interface CompareBody {
  before: ModelSource;
  after: ModelSource;
  includeXml?: boolean;
}

export function createAnalysisRoutes(router: Router, services: ApiServices): void {
  const { ctx, apiStore } = services;

  const load = async (source: ModelSource, side: 'before' | 'after'): Promise<ComparedDocument> => {
    if ('xml' in source) return { label: source.label ?? side, xml: source.xml };
    if ('definitionId' in source) {
      const definition = await apiStore.definition(source.definitionId);
      if (!definition) throw new NotFoundError(`definition '${source.definitionId}' does not exist`, { field: `body.${side}.definitionId` });
      return { label: source.label ?? `${definition.processId} v${definition.version}`, xml: definition.xml };
    }
    return { label: source.label ?? `${source.procedure} ${source.model}`, xml: await readLibraryModel(ctx.config.processesDir, source.procedure, source.model, `body.${side}.procedure`) };
  };

  mount<Record<string, string>, { format?: 'json' | 'csv' }, CompareBody>(
    router,
    schemas.compareModels,
    services.mount,
    async ({ query, body, req }) => {
      const [before, after] = await Promise.all([load(body.before, 'before'), load(body.after, 'after')]);
      const comparison = await compareBpmn(before, after, { maxBytes: ctx.config.maxXmlBytes, maxNestingDepth: ctx.config.limits?.maxNestingDepth });
      const format = query.format ?? (req.accepts(['application/json', 'text/csv']) === 'text/csv' ? 'csv' : 'json');
      if (format === 'csv') return { status: 200, body: formatCsv(comparison), contentType: 'text/csv; charset=utf-8' };
      if (!body.includeXml) return { status: 200, body: comparison };
      return { status: 200, body: { ...comparison, before: { ...comparison.before, xml: before.xml }, after: { ...comparison.after, xml: after.xml } } };
    },
    { allow: canAnalyse },
  );
}
