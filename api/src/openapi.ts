/**
 * The OpenAPI 3.1 document served at `/api/openapi.json`, built from the same
 * operation specs and JSON Schemas the routes validate with (`schemas/`), so
 * the document cannot drift from what the API accepts.
 */
import { version } from '../../package.json';
import { LOGIN_REQUEST_SCHEMA } from './routes/auth';
import { OAUTH_TOKEN_REQUEST_SCHEMA } from './routes/oauth';
import { componentName, IdempotencyKeyHeader, Problem } from './schemas/common';
import { API_OPERATIONS } from './schemas/index';
import { operation, type OperationSpec } from './schemas/operation';
import type { JsonSchema } from './validation';

/** Documentation of the auth routes (mounted by `routes/auth.ts`, which validates itself). */
const AUTH_OPERATIONS: OperationSpec[] = [
  operation({
    operationId: 'login',
    method: 'post',
    path: '/auth/login',
    summary: 'Sign in with a username and password; answers a bearer token',
    tag: 'auth',
    roles: ['anonymous'],
    body: LOGIN_REQUEST_SCHEMA as unknown as JsonSchema,
    responses: {
      200: {
        description: 'Signed in.',
        schema: {
          type: 'object',
          required: ['token', 'tokenType', 'expiresAt', 'expiresIn', 'principal'],
          properties: {
            token: { type: 'string' },
            tokenType: { const: 'Bearer' },
            expiresAt: { type: 'string', format: 'date-time' },
            expiresIn: { type: 'integer' },
            principal: { type: 'object' },
          },
        },
      },
    },
    errors: [401, 429],
  }),
  operation({
    operationId: 'me',
    method: 'get',
    path: '/auth/me',
    summary: 'Who am I: the principal of the bearer token',
    tag: 'auth',
    roles: ['analyst', 'agency-admin', 'official', 'citizen', 'worker'],
    responses: { 200: { description: 'The principal.', schema: { type: 'object' } } },
  }),
  operation({
    operationId: 'oauthToken',
    method: 'post',
    path: '/oauth/token',
    summary: "Exchange a service account's client id and secret for a job worker's token (OAuth 2.0 client credentials)",
    description:
      'RFC 6749 §4.4: `grant_type=client_credentials`, the client authenticated by HTTP Basic (client_secret_basic) or by `client_id` and ' +
      '`client_secret` in the body (client_secret_post), form-encoded or JSON. Errors are problem documents that carry RFC 6749 §5.2\'s `error` and `error_description` too.',
    tag: 'auth',
    roles: ['anonymous'],
    body: OAUTH_TOKEN_REQUEST_SCHEMA as unknown as JsonSchema,
    otherBodies: { 'application/x-www-form-urlencoded': { schema: OAUTH_TOKEN_REQUEST_SCHEMA as unknown as JsonSchema } },
    responses: {
      200: {
        description: 'A bearer token with the role `worker`, for the job routes of the account\'s agency.',
        schema: {
          type: 'object',
          required: ['access_token', 'token_type', 'expires_in'],
          properties: { access_token: { type: 'string' }, token_type: { const: 'Bearer' }, expires_in: { type: 'integer' } },
        },
      },
    },
    errors: [401],
  }),
];

/** Every documented operation: the REST API's and the auth router's. */
export const DOCUMENTED_OPERATIONS: readonly OperationSpec[] = [...API_OPERATIONS, ...AUTH_OPERATIONS];

const STATUS_TEXT: Record<number, string> = {
  400: 'Invalid request: `errors` names each field.',
  401: 'No valid bearer token.',
  403: 'Not allowed for this user.',
  404: 'Not found.',
  409: 'Conflict: the state changed (already claimed, completed, ended) or the idempotency key is in use.',
  413: 'The body is too large.',
  415: 'Unsupported content type.',
  422: 'Understood but refused: deployment problems, form errors, or an idempotency key reused with another body.',
  429: 'Too many requests.',
};

/** Replaces every registered schema object by a `$ref`, collecting the components. */
class Components {
  readonly schemas: Record<string, unknown> = {};

  ref(schema: unknown): unknown {
    return this.walk(schema);
  }

  private walk(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.walk(v));
    if (!value || typeof value !== 'object') return value;
    const name = componentName(value);
    if (name !== undefined) {
      if (!(name in this.schemas)) {
        this.schemas[name] = {}; // placeholder against cycles
        this.schemas[name] = this.inline(value as Record<string, unknown>);
      }
      return { $ref: `#/components/schemas/${name}` };
    }
    return this.inline(value as Record<string, unknown>);
  }

  private inline(value: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = this.walk(v);
    return out;
  }
}

function parameters(spec: OperationSpec, components: Components): unknown[] {
  const list: unknown[] = [];
  const add = (where: 'path' | 'query', schema: JsonSchema | undefined) => {
    if (!schema) return;
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((schema.required ?? []) as string[]);
    for (const [name, property] of Object.entries(properties)) {
      const description = property.description as string | undefined;
      list.push({ name, in: where, required: where === 'path' || required.has(name), description, schema: components.ref(property) });
    }
  };
  add('path', spec.params);
  add('query', spec.query);
  if (spec.idempotent) list.push({ name: IdempotencyKeyHeader.name, in: 'header', required: false, description: IdempotencyKeyHeader.description, schema: IdempotencyKeyHeader.schema });
  return list;
}

function operationObject(spec: OperationSpec, components: Components): Record<string, unknown> {
  const anonymous = spec.roles.includes('anonymous');
  const responses: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(spec.responses)) {
    const content = response.content
      ? Object.fromEntries(Object.entries(response.content).map(([type, c]) => [type, { schema: components.ref(c.schema) }]))
      : response.schema
        ? { 'application/json': { schema: components.ref(response.schema) } }
        : undefined;
    responses[status] = { description: response.description, ...(content ? { content } : {}) };
  }
  const errors = new Set<number>(spec.errors ?? []);
  if (spec.params || spec.query || spec.body || spec.otherBodies) errors.add(400);
  if (!anonymous) {
    errors.add(401);
    errors.add(403);
  }
  for (const status of [...errors].sort()) {
    responses[String(status)] = { description: STATUS_TEXT[status] ?? 'Error.', content: { 'application/problem+json': { schema: components.ref(Problem) } } };
  }
  responses.default = { description: 'Unexpected error.', content: { 'application/problem+json': { schema: components.ref(Problem) } } };

  const content: Record<string, unknown> = {};
  if (spec.body) content['application/json'] = { schema: components.ref(spec.body) };
  for (const [type, c] of Object.entries(spec.otherBodies ?? {})) content[type] = { schema: components.ref(c.schema) };

  const params = parameters(spec, components);
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: [spec.tag],
    'x-roles': spec.roles,
    security: anonymous ? [] : [{ bearerAuth: [] }],
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(Object.keys(content).length > 0 ? { requestBody: { required: spec.body ? !!(spec.body.required as string[] | undefined)?.length : true, content } } : {}),
    responses,
  };
}

/** Builds the OpenAPI 3.1 document of the API. */
export function buildOpenApiDocument(): Record<string, unknown> {
  const components = new Components();
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of DOCUMENTED_OPERATIONS) {
    const path = `/api${spec.path}`;
    (paths[path] ??= {})[spec.method] = operationObject(spec, components);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'motcua',
      version,
      summary: 'BPMN workflow engine for one-stop-shop (một cửa) administrative procedures',
      description:
        'Deploy procedures as BPMN, run one instance per dossier, work the officials’ inboxes. Errors are application/problem+json ' +
        '(RFC 9457) with `code` and, for invalid input, `errors: [{field, message}]`. Lists page with an opaque `cursor`.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: '/' }],
    tags: [
      { name: 'service' },
      { name: 'auth' },
      { name: 'deployments' },
      { name: 'definitions' },
      { name: 'instances' },
      { name: 'tasks' },
      { name: 'messages' },
      { name: 'signals' },
      { name: 'incidents' },
      { name: 'processes' },
      { name: 'drafts' },
      { name: 'calendars' },
      { name: 'analysis' },
      { name: 'jobs' },
      { name: 'service-accounts' },
      { name: 'dossiers' },
      { name: 'portal' },
      { name: 'audit' },
      { name: 'statistics' },
    ],
    paths,
    components: {
      schemas: components.schemas,
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}
