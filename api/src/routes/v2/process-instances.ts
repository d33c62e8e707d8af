/**
 * `POST /v2/process-instances` (start by `processDefinitionId` (the BPMN id) with an optional
 * `processDefinitionVersion`, or by `processDefinitionKey`; `variables`; `awaitCompletion`
 * must be false) and `POST /v2/process-instances/{processInstanceKey}/cancellation`. The same
 * rules as `/api/instances`: the process's own agency starts it, an agency admin of an agency
 * involved cancels it.
 */
import type { Router } from 'express';
import { InvalidInputError, NotFoundError, type Variables } from '../../../../engine/src/index';
import { ForbiddenError } from '../../auth/errors';
import { canStartInstance } from '../../auth/policy';
import type { ApiServices } from '../../server';
import { compileValidator } from '../../validation';
import { instanceFacts, mayAdministerInstance, maySeeInstance } from '../instances';
import { gate, handle, keysOf, TENANT } from './common';

const variables = { type: 'object', propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$', maxLength: 200 } } as const;

const createBody = compileValidator<{
  processDefinitionId?: string;
  processDefinitionVersion?: number;
  processDefinitionKey?: string;
  variables?: Variables;
  awaitCompletion?: boolean;
  businessId?: string;
}>('body', {
  type: 'object',
  properties: {
    processDefinitionId: { type: 'string', minLength: 1, maxLength: 200 },
    processDefinitionVersion: { type: 'integer', minimum: -1 },
    processDefinitionKey: { type: 'string', pattern: '^[0-9]{1,25}$' },
    variables: { ...variables, type: ['object', 'null'] },
    awaitCompletion: { type: 'boolean' },
    businessId: { type: 'string', maxLength: 200 },
    tenantId: { type: 'string' },
    operationReference: {},
    startInstructions: { type: 'array', maxItems: 0 },
    runtimeInstructions: { type: 'array', maxItems: 0 },
    tags: { type: 'array' },
    fetchVariables: { type: 'array' },
    requestTimeout: { type: 'integer' },
  },
});

export function mountProcessInstanceRoutes(router: Router, services: ApiServices): void {
  const { ctx, metrics } = services;
  const keys = keysOf(services);

  router.post(
    '/process-instances',
    ...gate(services, (p) => canStartInstance(p, { agency: p.agency }), 'only officials and agency admins start instances, of their own agency'),
    handle(async (req, res) => {
      const body = createBody(req.body ?? {});
      if (body.awaitCompletion) throw new InvalidInputError('awaitCompletion is not supported here: start with awaitCompletion false and follow the instance', { field: 'body.awaitCompletion' });
      if ((body.processDefinitionId === undefined) === (body.processDefinitionKey === undefined)) {
        throw new InvalidInputError('name the process by exactly one of processDefinitionId and processDefinitionKey', { field: 'body.processDefinitionId' });
      }
      const definitionId = body.processDefinitionKey !== undefined ? await keys.id('definition', body.processDefinitionKey, 'body.processDefinitionKey') : undefined;
      const version = body.processDefinitionVersion !== undefined && body.processDefinitionVersion > 0 ? body.processDefinitionVersion : undefined;
      const p = req.principal!;
      const checkDefinition = (d: { processId: string; agency?: string }) => {
        if (!canStartInstance(p, { agency: d.agency })) {
          throw new ForbiddenError(`process '${d.processId}' belongs to ${d.agency ? `agency '${d.agency}'` : 'no agency'}: only its own agency starts it`, { processId: d.processId });
        }
      };
      const started = await metrics.command('startInstance', () =>
        ctx.engine.startInstance({
          ...(definitionId ? { definitionId } : { processId: body.processDefinitionId, version }),
          variables: body.variables ?? {},
          businessKey: body.businessId,
          actor: p.id,
          checkDefinition,
        }),
      );
      const processId = definitionId ? (await ctx.store.instance(started.instanceId))?.processId : body.processDefinitionId;
      res.status(200).json({
        processDefinitionId: processId,
        processDefinitionVersion: started.version,
        tenantId: TENANT,
        variables: {},
        processDefinitionKey: await keys.key('definition', started.definitionId),
        processInstanceKey: await keys.key('instance', started.instanceId),
        tags: [],
        businessId: body.businessId ?? null,
      });
    }),
  );

  router.post(
    '/process-instances/:processInstanceKey/cancellation',
    ...gate(services, (p) => p.roles.includes('agency-admin'), 'only agency admins cancel instances'),
    handle(async (req, res) => {
      const id = await keys.id('instance', String(req.params.processInstanceKey), 'params.processInstanceKey');
      const instance = await ctx.store.instance(id);
      if (!instance) throw new NotFoundError(`process instance with key '${req.params.processInstanceKey}' not found`, { field: 'params.processInstanceKey' });
      const facts = await instanceFacts(services, instance);
      const p = req.principal!;
      if (!maySeeInstance(p, facts)) throw new NotFoundError(`process instance with key '${req.params.processInstanceKey}' not found`, { field: 'params.processInstanceKey' });
      if (!mayAdministerInstance(p, facts)) throw new ForbiddenError('only an agency admin of an agency involved may cancel this instance');
      await metrics.command('cancelInstance', () => ctx.engine.cancelInstance(id, { actor: p.id }));
      res.status(204).end();
    }),
  );
}
