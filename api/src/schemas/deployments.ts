/** Deployments: BPMN documents (and their task forms) uploaded as new definition versions. */
import { Id, idParams, named, pageOf, pageQuery, Timestamp } from './common';
import { operation } from './operation';

export const DeploymentDefinitionRef = named('DeploymentDefinitionRef', {
  type: 'object',
  required: ['id', 'processId', 'version'],
  properties: { id: { type: 'string' }, processId: { type: 'string' }, version: { type: 'integer' } },
});

export const Deployment = named('Deployment', {
  type: 'object',
  required: ['id', 'createdAt', 'definitions', 'forms'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    resourceName: { type: 'string' },
    createdAt: Timestamp,
    createdBy: { type: 'string' },
    definitions: { type: 'array', items: DeploymentDefinitionRef },
    forms: { type: 'array', items: { type: 'string' }, description: 'Form keys of the JSON Schema forms deployed with it.' },
  },
});

export const DeployResult = named('DeployResult', {
  type: 'object',
  required: ['deploymentId', 'definitions', 'warnings', 'forms'],
  properties: {
    deploymentId: { type: 'string' },
    definitions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'processId', 'version', 'duplicate'],
        properties: {
          id: { type: 'string' },
          processId: { type: 'string' },
          version: { type: 'integer' },
          duplicate: { type: 'boolean', description: 'True when the XML equals the latest version: no new version was made.' },
        },
      },
    },
    warnings: { type: 'array', items: { type: 'string' } },
    forms: { type: 'array', items: { type: 'string' } },
  },
});

export const DeployQuery = {
  type: 'object',
  properties: {
    name: { type: 'string', maxLength: 200, description: 'A name for the deployment (raw XML uploads).' },
    resourceName: { type: 'string', maxLength: 500, description: 'The file name of the BPMN document (raw XML uploads).' },
    agency: {
      type: 'string',
      minLength: 1,
      maxLength: 200,
      description: 'The agency the procedure is deployed for, when its model names none (analysts; an agency admin deploys for its own agency only).',
    },
  },
  additionalProperties: false,
} as const;

/** The text fields of a multipart deployment. */
export const DeployMultipartFields = {
  type: 'object',
  properties: {
    name: { type: 'string', maxLength: 200 },
    agency: { type: 'string', minLength: 1, maxLength: 200 },
  },
  additionalProperties: false,
} as const;

export const FormDocument = named('FormDocument', {
  type: 'object',
  required: ['formKey', 'kind', 'schema'],
  properties: {
    formKey: { type: 'string' },
    kind: { type: 'string', enum: ['json-schema', 'camunda-form'], description: 'A JSON Schema, or a Camunda form (form-js JSON).' },
    schema: { type: 'object', description: 'The JSON Schema of the form, or the form-js JSON of a Camunda form.' },
  },
});

const bpmnXml = { type: 'string', contentMediaType: 'application/xml', description: 'A BPMN 2.0 XML document.' };

export const deploy = operation({
  operationId: 'deploy',
  method: 'post',
  path: '/deployments',
  summary: 'Deploy a BPMN document (a new version of each changed process)',
  description:
    'The body is the BPMN XML itself (`application/xml` or `text/xml`, at most MOTCUA_MAX_XML_BYTES), or `multipart/form-data` ' +
    'with one file `bpmn` and any number of files `forms` (Camunda forms as `.form` files, keyed by their `id`, which zeebe:formDefinition formId names; or JSON Schemas; a form key is its file name without `.schema.json`/`.json`, ' +
    'matched with the `formKey`/`formId` of `zeebe:formDefinition`). A document the engine cannot run answers 422 with every problem. ' +
    'A process id belongs to the agency that first deployed it (its `motcua:facts agency`, else the deploying agency): a new version of it ' +
    'by another agency, or whose model names another agency, or by an analyst the owner has not authorized, is refused with 403 and stores nothing.',
  tag: 'deployments',
  roles: ['analyst', 'agency-admin'],
  query: DeployQuery,
  otherBodies: {
    'application/xml': { schema: bpmnXml },
    'text/xml': { schema: bpmnXml },
    'multipart/form-data': {
      schema: {
        type: 'object',
        required: ['bpmn'],
        properties: {
          bpmn: { type: 'string', contentMediaType: 'application/xml' },
          forms: { type: 'array', items: { type: 'string', contentMediaType: 'application/schema+json' } },
          name: { type: 'string' },
          agency: { type: 'string' },
        },
      },
    },
  },
  idempotent: true,
  responses: { 201: { description: 'Deployed (or, for identical XML, the existing versions).', schema: DeployResult } },
  errors: [409, 413, 415, 422],
});

export const listDeployments = operation({
  operationId: 'listDeployments',
  method: 'get',
  path: '/deployments',
  summary: 'List deployments, newest first',
  tag: 'deployments',
  roles: ['analyst', 'agency-admin'],
  query: { type: 'object', properties: { ...pageQuery }, additionalProperties: false },
  responses: { 200: { description: 'A page of deployments.', schema: pageOf('DeploymentPage', Deployment) } },
});

export const getDeployment = operation({
  operationId: 'getDeployment',
  method: 'get',
  path: '/deployments/{id}',
  summary: 'Get a deployment',
  tag: 'deployments',
  roles: ['analyst', 'agency-admin'],
  params: idParams,
  responses: { 200: { description: 'The deployment.', schema: Deployment } },
  errors: [404],
});

export const getDeploymentXml = operation({
  operationId: 'getDeploymentXml',
  method: 'get',
  path: '/deployments/{id}/xml',
  summary: 'Get the BPMN XML of a deployment',
  tag: 'deployments',
  roles: ['analyst', 'agency-admin'],
  params: idParams,
  responses: { 200: { description: 'The BPMN document as deployed.', content: { 'application/xml': { schema: bpmnXml } } } },
  errors: [404],
});

export const getDeploymentForm = operation({
  operationId: 'getDeploymentForm',
  method: 'get',
  path: '/deployments/{id}/forms/{formKey}',
  summary: 'Get a form deployed with a deployment',
  tag: 'deployments',
  roles: ['analyst', 'agency-admin'],
  params: { type: 'object', required: ['id', 'formKey'], properties: { id: Id, formKey: Id }, additionalProperties: false },
  responses: { 200: { description: 'The form.', schema: FormDocument } },
  errors: [404],
});

export const operations = [deploy, listDeployments, getDeployment, getDeploymentXml, getDeploymentForm];
