/**
 * JSON Schemas shared by the routes, and the one registry that names them.
 *
 * Routes validate with these objects as they are (nested, no `$ref`); the OpenAPI
 * builder replaces every object registered with {@link named} by a `$ref` to
 * `#/components/schemas/<Name>`. One source for validation and documentation.
 */
import type { JsonSchema } from '../validation';

const names = new Map<object, string>();

/** Registers `schema` as the component `name` of the OpenAPI document; returns it unchanged. */
export function named<T extends JsonSchema>(name: string, schema: T): T {
  names.set(schema, name);
  return schema;
}

/** The component name of a registered schema object. */
export function componentName(schema: object): string | undefined {
  return names.get(schema);
}

// ------------------------------------------------------------------ building blocks

export const Id = { type: 'string', minLength: 1, maxLength: 200 } as const;

export const Timestamp = { type: 'string', format: 'date-time' } as const;

export const Variables = named('Variables', {
  type: 'object',
  description: 'Process variables: a JSON object whose keys are variable names.',
  propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$', maxLength: 200 },
  additionalProperties: true,
});

export const FieldError = named('FieldError', {
  type: 'object',
  required: ['field', 'message'],
  properties: {
    field: { type: 'string', description: 'Where in the request: `body.variables.amount`, `query.limit`, `params.id`.' },
    message: { type: 'string' },
  },
});

export const Problem = named('Problem', {
  type: 'object',
  description: 'An error (RFC 9457 problem details), served as application/problem+json.',
  required: ['type', 'title', 'status', 'code'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', description: 'Stable machine-readable code, e.g. NOT_FOUND, CONFLICT, INVALID_INPUT.' },
    instance: { type: 'string' },
    requestId: { type: 'string' },
    errors: { type: 'array', items: FieldError },
    problems: {
      type: 'array',
      description: 'For DEPLOYMENT_REJECTED: every problem of the BPMN document.',
      items: { type: 'object', required: ['elementId', 'reason'], properties: { elementId: { type: 'string' }, reason: { type: 'string' } } },
    },
  },
});

/** `limit` and `cursor` of every list. */
export const pageQuery = {
  limit: { type: 'integer', minimum: 1, maximum: 200, default: 50, description: 'Largest number of items in the page.' },
  cursor: { type: 'string', minLength: 1, maxLength: 1000, pattern: '^[A-Za-z0-9_-]+$', description: 'The `nextCursor` of the previous page.' },
} as const;

/** A page of `items`. */
export function pageOf(name: string, items: JsonSchema): JsonSchema {
  return named(name, {
    type: 'object',
    required: ['items'],
    properties: {
      items: { type: 'array', items },
      nextCursor: { type: 'string', description: 'Pass as `cursor` for the next page; absent on the last page.' },
    },
  });
}

/** Path parameters `{ id }`. */
export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: Id },
  additionalProperties: false,
} as const;

export const IdempotencyKeyHeader = {
  name: 'Idempotency-Key',
  description:
    'Makes the command safe to retry: a repeated request with the same key (by the same user) returns the stored answer and creates nothing; the same key with another body is refused (422).',
  schema: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' },
} as const;
