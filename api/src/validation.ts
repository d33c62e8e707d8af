/**
 * Request validation with ajv (JSON Schema 2020-12, the dialect of OpenAPI 3.1).
 *
 * Bodies are validated as sent (no type coercion); query strings and path
 * parameters arrive as text, so their validator types them first by the schema with
 * one strict grammar (`"20"` → 20, never `"Infinity"`; `request-syntax.ts`) and fills
 * defaults. Every ajv error becomes `{ field, message }` with the field named
 * from the request's root: `body.variables.amount`, `query.limit`, `params.id`.
 *
 * Task forms (JSON Schemas deployed with a definition) are compiled by a third,
 * lenient instance: they come from procedure authors, in draft-07 or 2020-12.
 */
import { createHash } from 'node:crypto';
import Ajv, { type ErrorObject, type FormatDefinition, type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats';
import type { Request, RequestHandler, Response, Router } from 'express';
import { ForbiddenError } from './auth/errors';
import type { Principal } from './auth/principal';
import type { Idempotency } from './idempotency';
import { FormValidationError, RequestValidationError, UnsupportedMediaTypeError, type FieldError } from './problem';
import { coerceTextValues } from './request-syntax';
import type { OperationSpec } from './schemas/operation';

export type JsonSchema = Record<string, unknown>;

/** Where a value comes from in the request; the first segment of every field name. */
export type Location = 'body' | 'query' | 'params' | 'headers';

function newAjv2020(options: { coerceTypes: boolean | 'array'; useDefaults: boolean }): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true, coerceTypes: options.coerceTypes, useDefaults: options.useDefaults, allowUnionTypes: true });
  addFormats(ajv);
  // A date or moment of a request is one the database and the calendars can hold: years 1900–9999.
  for (const name of ['date', 'date-time'] as const) {
    const base = fullFormats[name] as FormatDefinition<string>;
    const valid = base.validate as (value: string) => boolean;
    ajv.addFormat(name, { ...base, validate: (value: string) => inYears(value) && valid(value) });
  }
  // OpenAPI annotations that are not JSON Schema vocabulary.
  ajv.addKeyword({ keyword: 'example' });
  return ajv;
}

/** The years a date or date-time of a request may name (PostgreSQL, JavaScript and the calendars all hold them). */
export const REQUEST_YEARS = { min: 1900, max: 9999 } as const;
const DATE_MESSAGE = { date: 'must be a date YYYY-MM-DD', 'date-time': 'must be an ISO 8601 date-time with a time zone, e.g. 2026-03-02T08:00:00+07:00' } as const;

function inYears(value: string): boolean {
  const year = /^(\d{4})-/.exec(value)?.[1];
  return year !== undefined && Number(year) >= REQUEST_YEARS.min && Number(year) <= REQUEST_YEARS.max;
}

const bodyAjv = newAjv2020({ coerceTypes: false, useDefaults: true });
// Text values are typed by `coerceTextValues` (one strict grammar), never by ajv.
const textAjv = newAjv2020({ coerceTypes: false, useDefaults: true });

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
    // `if`/`then`: the error of the `then` branch (a missing field) says it all; "must match then schema" names nothing.
    if (error.keyword === 'if') continue;
    let path = dotted(error.instancePath);
    let message = error.message ?? 'is invalid';
    const params = error.params as Record<string, unknown>;
    if (error.keyword === 'required') path = path ? `${path}.${params.missingProperty}` : String(params.missingProperty);
    const propertyName = (error as { propertyName?: string }).propertyName ?? (error.keyword === 'propertyNames' ? (params.propertyName as string) : undefined);
    if (propertyName !== undefined) {
      path = path ? `${path}.${propertyName}` : propertyName;
      message = error.keyword === 'propertyNames' ? 'is not a valid name' : `name ${message}`;
    }
    if (error.keyword === 'additionalProperties') {
      path = path ? `${path}.${params.additionalProperty}` : String(params.additionalProperty);
      message = 'is not allowed';
    }
    if (error.keyword === 'format' && (params.format === 'date' || params.format === 'date-time')) {
      message = `${DATE_MESSAGE[params.format]}, in the years ${REQUEST_YEARS.min}–${REQUEST_YEARS.max}`;
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
    if (location !== 'body' && value && typeof value === 'object') coerceTextValues(schema, value as Record<string, unknown>, location);
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

// ------------------------------------------------------------------ mounting operations

/** What a route handler gets: the validated inputs, who calls, and the raw request. */
export interface RouteInput<P = Record<string, string>, Q = Record<string, unknown>, B = unknown> {
  params: P;
  query: Q;
  body: B;
  /** The caller; undefined only on anonymous operations. */
  principal: Principal | undefined;
  req: Request;
  res: Response;
}

/**
 * What a route handler answers; `mount` writes it (JSON unless `contentType` says otherwise).
 * A body that is an async iterable of strings is streamed chunk by chunk ({@link streamAnswer}).
 */
export interface Answer {
  status: number;
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  /** Secret top-level fields of `body`: an idempotent operation stores them only encrypted (api/src/idempotency.ts). */
  sealed?: readonly string[];
}

/** What `mount` needs from the server. */
export interface MountDeps {
  /** Requires a bearer token (`auth/middleware.ts`). */
  authenticate: RequestHandler;
  /** Replays commands sent again with the same Idempotency-Key. */
  idempotency: Idempotency;
}

export interface MountOptions {
  /** Middleware that reads the body before validation (XML, multipart); default: the JSON parser of the app. */
  parsers?: RequestHandler[];
  /** A check of the caller alone (roles), before anything is validated: refusing early tells nothing about inputs. */
  allow?: (principal: Principal) => boolean;
}

/** `/instances/{id}` → `/instances/:id`. */
export function expressPath(path: string): string {
  return path.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');
}

/** The log field of a path's `{id}`, by the collection it is the id of (`/tasks/{id}` → `taskId`). */
const LOG_ID_FIELDS: Readonly<Record<string, string>> = { tasks: 'taskId', instances: 'instanceId', dossiers: 'dossierId', incidents: 'incidentId', deployments: 'deploymentId', definitions: 'definitionId' };

/** Which path parameters a route's log lines carry, and under which field: `{id}` by its collection, `{processId}` as is. */
function logIdsOf(path: string): [param: string, field: string][] {
  const out: [string, string][] = [];
  const segments = path.split('/');
  for (let i = 1; i < segments.length; i++) {
    const param = /^\{([A-Za-z0-9_]+)\}$/.exec(segments[i])?.[1];
    if (param === undefined) continue;
    const field = param === 'id' ? LOG_ID_FIELDS[segments[i - 1]] : param === 'processId' || param === 'instanceId' || param === 'taskId' ? param : undefined;
    if (field) out.push([param, field]);
  }
  return out;
}

/**
 * Adds ids to the request's logger (`req.log`), so that every later line of the request,
 * its access line included, carries them: the routes call it with the ids they learn
 * (a task's instance), `mount` with those of the path.
 */
export function bindLogIds(req: Request, ids: Record<string, string | undefined>): void {
  const bindings: Record<string, string> = {};
  let any = false;
  for (const key in ids) {
    const value = ids[key];
    if (value !== undefined) {
      bindings[key] = value;
      any = true;
    }
  }
  if (any) req.log?.setBindings(bindings);
}

/** Whether a request carries a body (a positive Content-Length, or chunks). */
const ROLE_WORDS: Readonly<Record<string, [one: string, many: string]>> = {
  analyst: ['an analyst', 'analysts'],
  'agency-admin': ['an agency admin', 'agency admins'],
  official: ['an official', 'officials'],
  citizen: ['a citizen', 'citizens'],
  worker: ['a worker (service account)', 'workers (service accounts)'],
};

/** "an official" for `official`. */
function roleInWords(role: string): string {
  return ROLE_WORDS[role]?.[0] ?? role;
}

/** "officials and agency admins" for the x-roles `official (own agency)`, `agency-admin (own agency)`. */
function rolesInWords(roles: readonly string[]): string {
  const words = [...new Set(roles.map((r) => r.split(' ')[0]))].map((r) => ROLE_WORDS[r]?.[1] ?? r);
  return words.length <= 1 ? (words[0] ?? 'nobody') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json\b/i;

/**
 * Mounts one operation on a router: authenticate (unless anonymous), check roles,
 * validate path parameters, query and JSON body against the operation's schemas,
 * then run the handler (through the idempotency store when the operation takes a
 * key) and write its answer. Every failure goes to the error middleware.
 */
export function mount<P = Record<string, string>, Q = Record<string, unknown>, B = unknown>(
  router: Router,
  spec: OperationSpec,
  deps: MountDeps,
  handler: (input: RouteInput<P, Q, B>) => Promise<Answer>,
  options: MountOptions = {},
): void {
  const anonymous = spec.roles.includes('anonymous');
  const params = spec.params ? compileValidator<P>('params', spec.params) : (v: unknown) => v as P;
  const query = compileValidator<Q>('query', spec.query ?? { type: 'object', additionalProperties: false });
  const body = spec.body ? compileValidator<B>('body', spec.body) : undefined;
  const route = `/api${spec.path}`;
  const logIds = logIdsOf(spec.path);

  const chain: RequestHandler[] = [
    (_req, res, next) => {
      res.locals.route = route;
      next();
    },
  ];
  if (!anonymous) chain.push(deps.authenticate);
  // A worker (service account) uses only the operations that name it: every other one is refused, whatever its rules say.
  const forWorkers = spec.roles.some((role) => role.split(' ')[0] === 'worker');
  if (!forWorkers) {
    chain.push((req, _res, next) => next(req.principal?.roles.includes('worker') ? new ForbiddenError(`a worker (service account) may use the job routes only, not ${spec.method.toUpperCase()} ${route}`) : undefined));
  }
  if (options.allow) {
    const allow = options.allow;
    const refusal = (p: Principal) => `${spec.method.toUpperCase()} ${route} is for ${rolesInWords(spec.roles)}; this user is ${p.roles.length > 0 ? p.roles.map(roleInWords).join(' and ') : 'without a role'}`;
    chain.push((req, _res, next) => next(req.principal && !allow(req.principal) ? new ForbiddenError(refusal(req.principal)) : undefined));
  }
  chain.push(...(options.parsers ?? []));
  chain.push((req, res, next) => {
    const run = async (): Promise<void> => {
      let parsedBody: unknown = req.body;
      if (!body && !options.parsers && (spec.method === 'get' || spec.method === 'delete') && hasBody(req)) {
        throw new RequestValidationError([{ field: 'body', message: `must be absent: ${spec.method.toUpperCase()} ${route} reads no body` }]);
      }
      if (body) {
        const type = req.headers['content-type'];
        if (type !== undefined && !JSON_TYPE.test(type) && Number(req.headers['content-length'] ?? 0) > 0) {
          throw new UnsupportedMediaTypeError(`this operation reads application/json, not ${type}`);
        }
        parsedBody = body(req.body === undefined ? {} : req.body);
      }
      const validParams = params({ ...req.params });
      if (logIds.length > 0) {
        const ids: Record<string, string> = {};
        for (const [param, field] of logIds) ids[field] = (validParams as Record<string, string>)[param];
        bindLogIds(req, ids);
      }
      const input: RouteInput<P, Q, B> = {
        params: validParams,
        query: query({ ...(req.query as Record<string, unknown>) }),
        body: parsedBody as B,
        principal: req.principal,
        req,
        res,
      };
      let answer: Answer;
      if (spec.idempotent && req.principal) {
        type File = { fieldname: string; originalname: string; buffer: Buffer };
        const uploaded = (req as Request & { files?: File[] | Record<string, File[]> }).files;
        const files = uploaded === undefined ? undefined : Array.isArray(uploaded) ? uploaded : Object.values(uploaded).flat();
        const replayable = await deps.idempotency.run(
          {
            key: req.get('idempotency-key'),
            // Who asks: the user and the agency it acts for (an answer is replayed only to them).
            principal: `${req.principal.id}\u0000${req.principal.agency ?? ''}`,
            scope: spec.operationId,
            content: { query: input.query, body: input.body ?? null, files: files?.map((f) => [f.fieldname, f.originalname, f.buffer]) ?? null },
          },
          async () => {
            const a = await handler(input);
            return { status: a.status, body: a.body, ...(a.sealed ? { sealed: a.sealed } : {}) };
          },
        );
        answer = { status: replayable.status, body: replayable.body, headers: replayable.replayed ? { 'Idempotent-Replayed': 'true' } : undefined };
      } else {
        answer = await handler(input);
      }
      if (answer.headers) res.set(answer.headers);
      if (isChunks(answer.body)) await streamAnswer(req, res, answer.status, answer.contentType ?? 'text/plain; charset=utf-8', answer.body);
      else if (answer.body === undefined) res.status(answer.status).end();
      else if (answer.contentType) res.status(answer.status).type(answer.contentType).send(answer.body);
      else if (spec.method === 'get') res.status(answer.status).json(answer.body);
      else sendCommandAnswer(res, answer.status, answer.body);
    };
    run().catch(next);
  });
  router[spec.method](expressPath(spec.path), ...chain);
}

function isChunks(body: unknown): body is AsyncIterable<string> {
  return typeof body === 'object' && body !== null && typeof (body as AsyncIterable<string>)[Symbol.asyncIterator] === 'function';
}

/**
 * Streams an answer: the first chunk is read before anything is written, so a failure to read
 * it (a refused input, the database) is still a problem answer; then each chunk as it comes,
 * waiting while the client's socket is full, and stopping (the source closed) when the client
 * goes away. A failure after the first chunk can no longer change the status: it is logged and
 * the connection is cut, so the client sees a truncated answer, never a complete-looking one.
 */
async function streamAnswer(req: Request, res: Response, status: number, contentType: string, body: AsyncIterable<string>): Promise<void> {
  const chunks = body[Symbol.asyncIterator]();
  let next = await chunks.next();
  res.status(status).type(contentType);
  try {
    while (!next.done) {
      if (!res.write(next.value)) await drained(res);
      if (res.destroyed) {
        await chunks.return?.();
        return;
      }
      next = await chunks.next();
    }
    res.end();
  } catch (error) {
    req.log?.error({ err: error }, 'a streamed answer failed after it started');
    res.destroy();
  }
}

/** Resolves when the response can take more, or is closed. */
function drained(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * The JSON answer of a command (POST, PUT, PATCH, DELETE): what `res.json` writes, without
 * the ETag, which means nothing to a cache for these methods and costs a hash of the body.
 */
function sendCommandAnswer(res: Response, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.status(status);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/** Epoch ms → ISO 8601 (undefined stays undefined, so JSON omits it): the engine's one helper. */
export { iso } from '../../engine/src/index';

/** ISO 8601 → epoch ms (the schema has checked the format). */
export function epoch(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Date.parse(value);
}
