/**
 * An operation of the REST API as data: method, path, who may call it, and the
 * JSON Schemas of its inputs and outputs. The routes validate with these
 * schemas and `openapi.ts` documents them: one source.
 */
import type { JsonSchema } from '../validation';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ResponseSpec {
  description: string;
  /** JSON body schema (omitted: no body, or `content` says what). */
  schema?: JsonSchema;
  /** Non-JSON bodies: media type → schema. */
  content?: Record<string, { schema: JsonSchema }>;
}

export interface OperationSpec {
  operationId: string;
  method: HttpMethod;
  /** OpenAPI-style path below `/api`, e.g. `/instances/{id}`. */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  /**
   * Who may call it, in words (documented as `x-roles`); the policy in `auth/policy.ts`
   * decides. `anonymous` means no token is needed.
   */
  roles: string[];
  /** Path parameters: an object schema whose properties are the `{names}` of the path. */
  params?: JsonSchema;
  /** Query string: an object schema (values coerced from text). */
  query?: JsonSchema;
  /** JSON body. */
  body?: JsonSchema;
  /** Other request media types (documentation; the route reads them itself). */
  otherBodies?: Record<string, { schema: JsonSchema }>;
  /** Accepts an `Idempotency-Key` header. */
  idempotent?: boolean;
  /** Success answers by status. Error answers (problem+json) are added for `errors`. */
  responses: Record<number, ResponseSpec>;
  /** Error statuses this operation may answer (besides 401/403 when not anonymous, and 400 when it has inputs). */
  errors?: number[];
}

/** Declares an operation (identity function that checks the shape). */
export function operation(spec: OperationSpec): OperationSpec {
  return spec;
}
