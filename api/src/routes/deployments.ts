/**
 * `/api/deployments`: deploy BPMN documents (raw XML, or multipart with their task
 * forms), list deployments, read back their XML and forms.
 */
import express, { type RequestHandler, type Router } from 'express';
import multer from 'multer';
import { DeploymentRejectedError, type DeployOptions, findUnstorableText, NotFoundError, type ProcessOwnershipFacts, unservedJobTypeWarnings } from '../../../engine/src/index';
import { IN_PROCESS_JOB_TYPES } from '../job-handlers';
import { ForbiddenError } from '../auth/errors';
import { canDeploy, canDeployProcess, type ProcessDeployFacts } from '../auth/policy';
import type { Principal } from '../auth/principal';
import { UnsupportedMediaTypeError } from '../problem';
import * as schemas from '../schemas/deployments';
import type { ApiServices } from '../server';
import { MAX_FORMS, formsOfModel, type DeploymentForm, type UploadedFile } from '../forms/deploy-forms';
import { compileValidator, iso, mount } from '../validation';
import type { ApiStore, DeploymentSummary } from '../store/api-store';

const XML_TYPES = ['application/xml', 'text/xml', 'application/bpmn+xml'];

export function deploymentView(d: DeploymentSummary) {
  return { id: d.id, name: d.name, resourceName: d.resourceName, createdAt: iso(d.createdAt), createdBy: d.createdBy, definitions: d.definitions, forms: d.forms };
}

/** Reads the body by its content type: the XML as text, or multipart into files and fields. */
function deployBodyParser(maxXmlBytes: number): RequestHandler {
  const xml = express.text({ type: XML_TYPES, limit: maxXmlBytes });
  const multipart = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxXmlBytes, files: MAX_FORMS + 1, fields: 20, fieldSize: 64 * 1024, parts: MAX_FORMS + 21 },
  }).fields([
    { name: 'bpmn', maxCount: 1 },
    { name: 'forms', maxCount: MAX_FORMS },
  ]);
  return (req, res, next) => {
    if (req.is(XML_TYPES)) return xml(req, res, next);
    if (req.is('multipart/form-data')) {
      // multer reads the bytes as they come: a compressed multipart body would be read as garbage.
      const encoding = req.get('content-encoding')?.trim().toLowerCase();
      if (encoding && encoding !== 'identity') {
        return next(new UnsupportedMediaTypeError(`a multipart body cannot have a content encoding (Content-Encoding: ${encoding}); send it uncompressed`, { field: 'headers.content-encoding' }));
      }
      return multipart(req, res, next);
    }
    next(new UnsupportedMediaTypeError(`deploy a BPMN document as ${XML_TYPES.slice(0, 2).join(' or ')}, or as multipart/form-data`));
  };
}

/**
 * What a deployment's forms add to `engine.deploy`: they count in its identity (the same
 * XML with other forms is a new version, so running dossiers keep the forms they started
 * with) and are stored in its transaction.
 */
export function formsOfDeployment(
  apiStore: ApiStore,
  forms: DeploymentForm[],
  now: () => number,
): Pick<DeployOptions, 'fingerprint' | 'within'> {
  if (forms.length === 0) return {};
  const fingerprint = forms.map((f) => `${f.formKey}=${f.kind === 'camunda-form' ? 'camunda:' : ''}${f.schemaHash}`).sort().join('\n');
  return { fingerprint, within: (tx, result) => apiStore.saveForms(tx, result.deploymentId, forms, now()) };
}

/** Why `p` may not deploy over `processId`, in words for the 403 (the policy said no). */
function deployRefusal(p: Principal, processId: string, f: ProcessDeployFacts): string {
  const admin = p.roles.includes('agency-admin');
  if (f.owner !== undefined && !(admin ? p.agency === f.owner : f.analystGranted)) {
    return `process '${processId}' belongs to agency '${f.owner}': only its agency admins, and the analysts it authorizes, deploy new versions of it`;
  }
  const expected = f.owner ?? (admin ? p.agency : f.requestAgency);
  if (f.modelAgency !== undefined && f.modelAgency !== expected) {
    return `process '${processId}' names agency '${f.modelAgency}' (motcua:facts agency), but is deployed for agency '${expected ?? '(none)'}'`;
  }
  return `the request names agency '${f.requestAgency}', but process '${processId}' is deployed for agency '${expected ?? '(none)'}'`;
}

/**
 * The ownership check a deploy by `p` runs inside its transaction, for each process of
 * the document: the policy's `canDeployProcess` over the id's owner and the model's agency.
 */
export async function ownershipCheck(services: ApiServices, p: Principal, requestAgency: string | undefined): Promise<(facts: ProcessOwnershipFacts) => void> {
  // Read before the deploy's transaction (on the embedded database nothing may be read beside it).
  const grants = p.roles.includes('analyst') ? await services.apiStore.analystGrants(p.id) : [];
  const grantedBy = new Map(grants.map((g) => [g.processId, g.agency]));
  return ({ processId, owner, modelAgency }) => {
    const facts: ProcessDeployFacts = { owner: owner?.agency, modelAgency, requestAgency, analystGranted: owner !== undefined && grantedBy.get(processId) === owner.agency };
    if (!canDeployProcess(p, facts)) throw new ForbiddenError(deployRefusal(p, processId, facts), { processId, owner: owner?.agency });
  };
}

export function createDeploymentRoutes(router: Router, services: ApiServices): void {
  const { ctx, apiStore, metrics } = services;
  const allow = canDeploy;
  const multipartFields = compileValidator<{ name?: string; agency?: string }>('body', schemas.DeployMultipartFields);

  mount<Record<string, string>, { name?: string; resourceName?: string; agency?: string }, unknown>(
    router,
    schemas.deploy,
    services.mount,
    async ({ query, principal, req }) => {
      let xml: string;
      let name = query.name;
      let resourceName = query.resourceName;
      let requestAgency = query.agency;
      let formFiles: UploadedFile[] = [];
      if (req.is('multipart/form-data')) {
        const files = (req.files ?? {}) as Record<string, UploadedFile[]>;
        const fields = multipartFields({ ...(req.body as Record<string, unknown>) });
        const bpmn = files.bpmn?.[0];
        if (!bpmn) throw new DeploymentRejectedError('the multipart body has no file `bpmn`', [{ elementId: '', reason: 'no BPMN file (multipart field `bpmn`)' }]);
        xml = bpmn.buffer.toString('utf8');
        name = fields.name ?? name;
        requestAgency = fields.agency ?? requestAgency;
        resourceName = bpmn.originalname || resourceName;
        formFiles = files.forms ?? [];
      } else {
        xml = typeof req.body === 'string' ? req.body : '';
      }
      const { forms, warnings: formWarnings, linkedIds } = await formsOfModel(apiStore, xml, formFiles, { maxXmlBytes: ctx.config.maxXmlBytes });
      const p = principal!;
      const checkOwnership = await ownershipCheck(services, p, requestAgency);
      const agency = p.roles.includes('agency-admin') ? p.agency : requestAgency;
      const result = await metrics.command('deploy', () =>
        ctx.engine.deploy(xml, { name, resourceName, actor: p.id, agency, defaultAgency: ctx.config.defaultAgency, requireAgency: true, checkOwnership, ...formsOfDeployment(apiStore, forms, ctx.now) }),
      );
      const warnings = [...result.warnings, ...formWarnings];
      if (forms.length > 0) {
        const known = new Set([...forms.map((f) => f.formKey), ...linkedIds]);
        for (const definition of result.definitions) {
          const graph = await ctx.engine.graph(definition.id);
          for (const node of Object.values(graph.nodes)) {
            if (node.type === 'userTask' && node.formKey && !known.has(node.formKey)) {
              warnings.push(`user task '${node.id}' of '${definition.processId}' names form '${node.formKey}', which was not deployed with it`);
            }
          }
        }
      }
      const served = ctx.inProcessJobTypes ?? IN_PROCESS_JOB_TYPES;
      for (const definition of result.definitions) warnings.push(...unservedJobTypeWarnings(await ctx.engine.graph(definition.id), served));
      return { status: 201, body: { deploymentId: result.deploymentId, definitions: result.definitions, warnings, forms: forms.map((f) => f.formKey) } };
    },
    { allow, parsers: [deployBodyParser(ctx.config.maxXmlBytes)] },
  );

  mount<Record<string, string>, { limit: number; cursor?: string }>(
    router,
    schemas.listDeployments,
    services.mount,
    async ({ query }) => {
      const page = await apiStore.deployments(query);
      return { status: 200, body: { items: page.items.map(deploymentView), nextCursor: page.nextCursor } };
    },
    { allow },
  );

  mount<{ id: string }>(
    router,
    schemas.getDeployment,
    services.mount,
    async ({ params }) => {
      const deployment = await apiStore.deployment(params.id);
      if (!deployment) throw new NotFoundError(`deployment '${params.id}' does not exist`, { field: 'params.id' });
      return { status: 200, body: deploymentView(deployment) };
    },
    { allow },
  );

  mount<{ id: string }>(
    router,
    schemas.getDeploymentXml,
    services.mount,
    async ({ params }) => {
      const deployment = await apiStore.deployment(params.id);
      const first = deployment?.definitions[0];
      const definition = first && (await apiStore.definition(first.id));
      if (!definition) throw new NotFoundError(`deployment '${params.id}' does not exist`, { field: 'params.id' });
      return { status: 200, body: definition.xml, contentType: 'application/xml; charset=utf-8' };
    },
    { allow },
  );

  mount<{ id: string; formKey: string }>(
    router,
    schemas.getDeploymentForm,
    services.mount,
    async ({ params }) => {
      const form = (await apiStore.forms(params.id)).find((f) => f.formKey === params.formKey);
      if (!form) throw new NotFoundError(`deployment '${params.id}' has no form '${params.formKey}'`, { field: 'params.formKey' });
      return { status: 200, body: { formKey: form.formKey, kind: form.kind, schema: form.schema } };
    },
    { allow },
  );
}
