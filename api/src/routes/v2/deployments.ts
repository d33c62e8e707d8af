/**
 * `POST /v2/deployments`: Camunda's deploy, multipart with files in `resources` (and a
 * `tenantId` field, ignored: one tenant). One BPMN document (`.bpmn`, `.xml`) per
 * deployment, with its Camunda forms (`.form`) or JSON Schema forms (`.schema.json`);
 * decisions (`.dmn`) and more BPMN files are refused (400); a model that does not deploy is
 * 422 with its problems, as on `/api` (Camunda answers 400). The same rules as
 * `/api/deployments` (canDeploy, the process id's owner, the model's agency), the same
 * warnings (logged here: Camunda's answer has no place for them).
 */
import type { Router } from 'express';
import multer from 'multer';
import { InvalidInputError } from '../../../../engine/src/index';
import { canDeploy } from '../../auth/policy';
import { formsOfModel, MAX_FORMS, type UploadedFile } from '../../forms/deploy-forms';
import { UnsupportedMediaTypeError } from '../../problem';
import type { ApiServices } from '../../server';
import { formsOfDeployment, ownershipCheck } from '../deployments';
import { gate, handle, keysOf, TENANT } from './common';

const BPMN_FILE = /\.(bpmn|xml)$/i;
const FORM_FILE = /\.(form|json)$/i;

export function mountDeploymentRoutes(router: Router, services: ApiServices): void {
  const { ctx, apiStore, metrics } = services;
  const keys = keysOf(services);
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: ctx.config.maxXmlBytes, files: MAX_FORMS + 1, fields: 5, fieldSize: 1024, parts: MAX_FORMS + 6 },
  }).array('resources', MAX_FORMS + 1);

  router.post(
    '/deployments',
    ...gate(services, canDeploy, 'only analysts and agency admins deploy'),
    (req, res, next) => (req.is('multipart/form-data') ? upload(req, res, next) : next(new UnsupportedMediaTypeError('deploy as multipart/form-data, the files in `resources` (as Camunda does)'))),
    handle(async (req, res) => {
      const files = (req.files ?? []) as UploadedFile[];
      const bpmn = files.filter((f) => BPMN_FILE.test(f.originalname));
      const others = files.filter((f) => !BPMN_FILE.test(f.originalname) && !FORM_FILE.test(f.originalname));
      const problems = [
        ...(bpmn.length === 0 ? [{ elementId: '', reason: 'no BPMN resource (a file named *.bpmn in `resources`)' }] : []),
        ...bpmn.slice(1).map((f) => ({ elementId: f.originalname, reason: 'one BPMN resource per deployment here: deploy the others separately' })),
        ...others.map((f) => ({ elementId: f.originalname, reason: 'only BPMN models (*.bpmn) and forms (*.form, *.schema.json) are deployed here (no DMN, no other resources)' })),
      ];
      if (problems.length > 0) throw new InvalidInputError(problems.map((p) => `${p.elementId || 'resources'}: ${p.reason}`).join('; '), { field: 'body.resources', problems });
      const xml = bpmn[0].buffer.toString('utf8');
      const { forms } = await formsOfModel(apiStore, xml, files.filter((f) => FORM_FILE.test(f.originalname)), { maxXmlBytes: ctx.config.maxXmlBytes });
      const p = req.principal!;
      const checkOwnership = await ownershipCheck(services, p, undefined);
      const agency = p.roles.includes('agency-admin') ? p.agency : undefined;
      const result = await metrics.command('deploy', () =>
        ctx.engine.deploy(xml, { resourceName: bpmn[0].originalname, actor: p.id, agency, defaultAgency: ctx.config.defaultAgency, requireAgency: true, checkOwnership, ...formsOfDeployment(apiStore, forms, ctx.now) }),
      );
      if (result.warnings.length > 0) services.logger.info({ deploymentId: result.deploymentId, warnings: result.warnings }, 'deployed through /v2 with warnings');
      const deployments: unknown[] = [];
      for (const d of result.definitions) {
        deployments.push({
          processDefinition: { processDefinitionId: d.processId, processDefinitionVersion: d.version, resourceName: bpmn[0].originalname, tenantId: TENANT, processDefinitionKey: await keys.key('definition', d.id) },
        });
      }
      for (const f of forms) {
        deployments.push({ form: { formId: f.formKey, version: 1, resourceName: f.formKey, tenantId: TENANT, formKey: await keys.key('form', `${result.deploymentId}:${f.formKey}`) } });
      }
      res.status(200).json({ deploymentKey: await keys.key('deployment', result.deploymentId), tenantId: TENANT, deployments });
    }),
  );
}
