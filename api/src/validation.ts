/**
 * Request validation with ajv (JSON Schema 2020-12, the dialect of OpenAPI 3.1).
 *
 * Bodies are validated as sent (no type coercion); query strings and path
 * parameters arrive as text, so their validator coerces (`"20"` → 20) and fills
 * defaults. Every ajv error becomes `{ field, message }` with the field named
 * from the request's root: `body.variables.amount`, `query.limit`, `params.id`.
 *
 * Task forms (JSON Schemas deployed with a definition) are compiled by a third,
 * lenient instance: they come from procedure authors, in draft-07 or 2020-12.
 */
import { createHash } from 'node:crypto';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { FormValidationError, RequestValidationError, type FieldError } from './problem';

export type JsonSchema = Record<string, unknown>;

/** Where a value comes from in the request; the first segment of every field name. */
export type Location = 'body' | 'query' | 'params' | 'headers';

function newAjv2020(options: { coerceTypes: boolean | 'array'; useDefaults: boolean }): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true, coerceTypes: options.coerceTypes, useDefaults: options.useDefaults, allowUnionTypes: true });
  addFormats(ajv);
  // OpenAPI annotations that are not JSON Schema vocabulary.
  ajv.addKeyword({ keyword: 'example' });
  return ajv;
}

const bodyAjv = newAjv2020({ coerceTypes: false, useDefaults: true });
const textAjv = newAjv2020({ coerceTypes: 'array', useDefaults: true });

/** JSON pointer (`/variables/amount`) → dotted path (`variables.amount`); array indexes as `[0]`. */
function dotted(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment), '');
}

/** Turns ajv's errors into field errors rooted at `root` (e.g. `body`, `body.variables`). */
export function fieldErrors(errors: ErrorObject[] | null | undefined, root: string): FieldError[] {
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const error of errors ?? []) {
    let path = dotted(error.instancePath);
    let message = error.message ?? 'is invalid';
    const params = error.params as Record<string, unknown>;
    if (error.keyword === 'required') path = path ? `${path}.${params.missingProperty}` : String(params.missingProperty);
    if (error.keyword === 'additionalProperties') {
      path = path ? `${path}.${params.additionalProperty}` : String(params.additionalProperty);
      message = 'is not allowed';
    }
    if (error.keyword === 'enum') message = `must be one of: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    const field = path ? `${root}.${path}` : root;
    const key = `${field}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ field, message });
  }
  return out;
}

/** A compiled validator of one part of a request: returns the (coerced, defaulted) value or throws. */
export type Validator<T> = (value: unknown) => T;

/** Compiles `schema` for `location`; the validator throws RequestValidationError naming each field. */
export function compileValidator<T = unknown>(location: Location, schema: JsonSchema): Validator<T> {
  const ajv = location === 'body' ? bodyAjv : textAjv;
  const validate = ajv.compile(schema);
  return (value: unknown): T => {
    if (validate(value)) return value as T;
    throw new RequestValidationError(fieldErrors(validate.errors, location));
  };
}

/** Compiles every schema once to find authoring mistakes early (used by the OpenAPI test). */
export function assertSchemaCompiles(schema: JsonSchema, location: Location): void {
  (location === 'body' ? bodyAjv : textAjv).compile(schema);
}

// ------------------------------------------------------------------ task forms

const formAjv2020 = new Ajv2020({ allErrors: true, strict: false, coerceTypes: false, useDefaults: false, allowUnionTypes: true });
addFormats(formAjv2020);
const formAjv07 = new Ajv({ allErrors: true, strict: false, coerceTypes: false, useDefaults: false, allowUnionTypes: true });
addFormats(formAjv07);

const compiledForms = new Map<string, ValidateFunction>();

function formAjvFor(schema: JsonSchema): Ajv | Ajv2020 {
  const dialect = typeof schema.$schema === 'string' ? schema.$schema : '';
  return /draft-0[467]/.test(dialect) ? formAjv07 : formAjv2020;
}

/** A stable hash of a form schema (what the forms table stores beside it). */
export function formSchemaHash(schema: JsonSchema): string {
  return createHash('sha256').update(JSON.stringify(schema)).digest('hex');
}

/**
 * Compiles a task form (cached by its hash). Throws the ajv error when the schema is
 * not a valid JSON Schema: deploy turns that into a problem of the deployment.
 */
export function compileForm(schema: JsonSchema, hash = formSchemaHash(schema)): ValidateFunction {
  let validate = compiledForms.get(hash);
  if (!validate) {
    // Without $id (two deployments may carry one: ajv refuses a second schema with it) and
    // without $schema (the dialect picked the instance; an unknown one would be refused).
    const { $id: _id, $schema: _dialect, ...body } = schema;
    validate = formAjvFor(schema).compile(body);
    compiledForms.set(hash, validate);
  }
  return validate;
}

/** Validates task variables against a form; throws FormValidationError naming `body.variables.<field>`. */
export function validateForm(formKey: string, schema: JsonSchema, hash: string, variables: unknown): void {
  const validate = compileForm(schema, hash);
  if (!validate(variables)) throw new FormValidationError(formKey, fieldErrors(validate.errors, 'body.variables'));
}
