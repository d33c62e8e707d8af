/**
 * The built-in HTTP connector: a job handler that calls a JSON HTTP endpoint.
 * Registered for the job type `http` and for Camunda's REST connector type
 * `io.camunda:http-json:1`, whose basic fields it honours, so Camunda Modeler
 * connector tasks (element template "REST Outbound Connector") run unchanged.
 *
 * Inputs, from the job's variables (map them with zeebe:input; a field may be a
 * nested object `authentication: {type: …}` or a flat name `authentication.type`):
 * - `url` (required, http/https), `method` (default GET), `headers` (object),
 *   `queryParameters` (object, appended to the URL), `body` (JSON; a string is sent as is);
 * - `authentication.type`: `noAuth`, `basic` (`authentication.username`, `authentication.password`),
 *   `bearer` (`authentication.token`), `apiKey` (`authentication.apiKeyLocation` `headers` or
 *   `query`, `authentication.name`, `authentication.value`). OAuth client credentials: not provided;
 * - `connectionTimeoutInSeconds` (default 20: until the answer's headers arrive, together with the
 *   read timeout), `readTimeoutInSeconds` (default 20: reading the answer); `timeoutMs` (older
 *   motcua field) sets both at once.
 *
 * Task headers (zeebe:taskHeaders, as Camunda's template writes them):
 * - `resultVariable` (default `response`): gets `{ status, body, headers }`;
 * - `resultExpression`: FEEL over `response` (also `status`, `body`, `headers` by themselves);
 *   the context it yields is merged into the variables;
 * - `errorExpression`: FEEL over `response`, `error` (`{code, message}` when the call failed: code
 *   is the status as text, or the failure's name) and the job's variables; `bpmnError(code,
 *   message[, variables])` raises a BPMN error, `jobError(message[, variables[, retries[,
 *   retryBackoff]]])` fails the job, null goes on as without it;
 * - `retryBackoff`: ISO 8601 duration before the next attempt of a failed call (e.g. `PT10S`).
 *
 * Secrets: `{{secrets.NAME}}` in any string of these inputs is replaced, just before the call, by the
 * configured secret NAME (an unknown name fails the job, naming the name). The job's stored
 * variables keep the placeholder, so a secret is never in variables or history, and every message
 * this connector reports (incidents, failures, BPMN errors) has each secret replaced by `***`.
 *
 * Without an error expression: status 5xx, timeouts and network errors fail the job (retried);
 * 4xx raises the BPMN error `HTTP_<status>` so a process can model it.
 */
import { BpmnError, JobFailure, type ActivatedJob, type JobHandler } from './job-executor';
import { evaluate } from '../expressions';
import type { Json, Variables } from '../runtime/state';

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']);
const SECRET = /\{\{\s*secrets\.([A-Za-z0-9_\-.]+)\s*\}\}/g;
const DEFAULT_TIMEOUT_S = 20;

/** Options of {@link httpConnector}. */
export interface HttpConnectorOptions {
  /** The fetch to use (tests, proxies); default the platform's. */
  fetch?: typeof fetch;
  /** Looks a configured secret up by name; undefined: not configured. */
  secrets?: (name: string) => string | undefined;
}

/** Creates the HTTP connector handler. */
export function httpConnector(options: HttpConnectorOptions | typeof fetch = {}): JobHandler {
  const { fetch: fetchImpl = fetch, secrets = () => undefined } = typeof options === 'function' ? { fetch: options } : options;
  return async (job) => {
    const used = new Set<string>();
    const redact = (text: string): string => {
      let out = text;
      for (const value of used) if (value) out = out.split(value).join('***');
      return out;
    };
    const reveal = <T>(value: T, where: string): T => substitute(value, where, secrets, used);
    try {
      return await call(job, fetchImpl, reveal, redact);
    } catch (error) {
      if (error instanceof BpmnError) throw new BpmnError(error.errorCode, redact(error.message), error.variables);
      if (error instanceof JobFailure) throw new JobFailure(redact(error.message), { retries: error.retries, retryBackoff: error.retryBackoff, variables: error.variables });
      const message = error instanceof Error ? error.message : String(error);
      throw new JobFailure(redact(message), { retryBackoff: job.headers.retryBackoff || undefined });
    }
  };
}

type Reveal = <T>(value: T, where: string) => T;

async function call(job: ActivatedJob, fetchImpl: typeof fetch, reveal: Reveal, redact: (text: string) => string): Promise<Variables> {
  const vars = job.variables;
  const rawUrl = reveal(field(vars, 'url'), 'url');
  if (typeof rawUrl !== 'string' || !/^https?:\/\//i.test(rawUrl)) throw new Error(`http connector: input 'url' must be an http(s) URL (got ${redact(JSON.stringify(rawUrl ?? null))})`);
  const method = typeof field(vars, 'method') === 'string' ? String(field(vars, 'method')).toUpperCase() : 'GET';
  if (!METHODS.has(method)) throw new Error(`http connector: method '${method}' is not supported (one of ${[...METHODS].join(', ')})`);
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new Error(`http connector: input 'url' is not a valid URL (got ${redact(JSON.stringify(rawUrl))})`);
  }
  const query = reveal(field(vars, 'queryParameters'), 'queryParameters');
  if (query !== undefined && query !== null) {
    if (!isObject(query)) throw new Error(`http connector: input 'queryParameters' must be an object of names to values`);
    for (const [k, v] of Object.entries(query)) if (v !== null && v !== undefined) url.searchParams.append(k, typeof v === 'string' ? v : JSON.stringify(v));
  }
  const headers: Record<string, string> = { accept: 'application/json' };
  const given = reveal(field(vars, 'headers'), 'headers');
  if (given !== undefined && given !== null) {
    if (!isObject(given)) throw new Error(`http connector: input 'headers' must be an object of names to values`);
    for (const [k, v] of Object.entries(given)) if (v !== null && v !== undefined) headers[k.toLowerCase()] = String(v);
  }
  authenticate(vars, reveal, headers, url);
  let body: string | undefined;
  const rawBody = reveal(field(vars, 'body'), 'body');
  if (rawBody !== undefined && rawBody !== null && method !== 'GET' && method !== 'HEAD') {
    body = typeof rawBody === 'string' ? rawBody : JSON.stringify(rawBody);
    headers['content-type'] ??= 'application/json';
  }

  const legacy = typeof vars.timeoutMs === 'number' && vars.timeoutMs > 0 ? vars.timeoutMs / 1000 : undefined;
  const connectS = seconds(field(vars, 'connectionTimeoutInSeconds'), 'connectionTimeoutInSeconds') ?? legacy ?? DEFAULT_TIMEOUT_S;
  const readS = seconds(field(vars, 'readTimeoutInSeconds'), 'readTimeoutInSeconds') ?? legacy ?? DEFAULT_TIMEOUT_S;

  const where = `${method} ${url.origin}${url.pathname}`;
  let result: { status: number; body: Json; headers: Record<string, string> } | undefined;
  let failure: { code: string; message: string } | undefined;
  const controller = new AbortController();
  let timer = setTimeout(() => controller.abort(), (connectS + readS) * 1000);
  try {
    const response = await fetchImpl(url, { method, headers, body, signal: controller.signal });
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), readS * 1000);
    const text = await response.text();
    let parsed: Json = text;
    if ((response.headers.get('content-type') ?? '').includes('json') && text) {
      try {
        parsed = JSON.parse(text) as Json;
      } catch {
        parsed = text;
      }
    }
    result = { status: response.status, body: parsed, headers: Object.fromEntries(response.headers.entries()) };
    if (response.status >= 400) failure = { code: String(response.status), message: `${where} answered ${response.status}` };
  } catch (error) {
    const timedOut = controller.signal.aborted;
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    failure = timedOut
      ? { code: 'TIMEOUT', message: `${where} did not answer within ${result ? readS : connectS + readS} s` }
      : { code: error instanceof Error ? error.name : 'ERROR', message: `${where} failed: ${error instanceof Error ? error.message : String(error)}${cause}` };
  } finally {
    clearTimeout(timer);
  }

  const resultVariable = job.headers.resultVariable || 'response';
  let output: Variables = result ? { [resultVariable]: result } : {};
  const resultExpression = job.headers.resultExpression;
  if (result && !failure && resultExpression) {
    const mapped = evaluateHeader(resultExpression, { ...result, response: result }, 'resultExpression');
    if (mapped !== null) {
      if (!isObject(mapped)) throw new Error(`http connector: resultExpression must give a context (an object of variables), got ${typeof mapped}`);
      output = { ...output, ...(mapped as Variables) };
    }
  }
  const errorExpression = job.headers.errorExpression;
  if (errorExpression) {
    const context = { ...vars, ...output, response: result ?? null, error: failure ? { ...failure, message: redact(failure.message), response: result ?? null } : null };
    const verdict = evaluateHeader(errorExpression, context, 'errorExpression');
    if (isObject(verdict) && verdict.errorType === 'bpmnError') {
      throw new BpmnError(String(verdict.code ?? ''), typeof verdict.message === 'string' ? verdict.message : undefined, isObject(verdict.variables) ? (verdict.variables as Variables) : undefined);
    }
    if (isObject(verdict) && verdict.errorType === 'jobError') {
      throw new JobFailure(typeof verdict.message === 'string' ? verdict.message : `${where}: job error`, {
        retries: typeof verdict.retries === 'number' ? verdict.retries : undefined,
        retryBackoff: typeof verdict.retryBackoff === 'string' ? verdict.retryBackoff : job.headers.retryBackoff || undefined,
        variables: isObject(verdict.variables) ? (verdict.variables as Variables) : undefined,
      });
    }
    if (verdict !== null) throw new Error(`http connector: errorExpression must give bpmnError(…), jobError(…) or null (got ${JSON.stringify(verdict).slice(0, 80)})`);
  }
  if (failure) {
    if (result && result.status >= 400 && result.status < 500) throw new BpmnError(`HTTP_${result.status}`, failure.message, output);
    throw new Error(`http connector: ${failure.message}`);
  }
  return output;
}

/** Sets the headers (or query parameter) of `authentication.*`. */
function authenticate(vars: Variables, reveal: Reveal, headers: Record<string, string>, url: URL): void {
  const auth = (name: string): unknown => reveal(field(vars, `authentication.${name}`), `authentication.${name}`);
  const type = auth('type');
  if (type === undefined || type === null || type === 'noAuth') return;
  const text = (name: string): string => {
    const value = auth(name);
    if (typeof value !== 'string' || value === '') throw new Error(`http connector: authentication type '${String(type)}' needs the input 'authentication.${name}' (a non-empty string)`);
    return value;
  };
  switch (type) {
    case 'basic': {
      const password = auth('password');
      headers.authorization = `Basic ${Buffer.from(`${text('username')}:${typeof password === 'string' ? password : ''}`, 'utf8').toString('base64')}`;
      return;
    }
    case 'bearer':
      headers.authorization = `Bearer ${text('token')}`;
      return;
    case 'apiKey': {
      const location = auth('apiKeyLocation') ?? 'headers';
      if (location === 'headers') headers[text('name').toLowerCase()] = text('value');
      else if (location === 'query') url.searchParams.append(text('name'), text('value'));
      else throw new Error(`http connector: 'authentication.apiKeyLocation' must be 'headers' or 'query' (got ${JSON.stringify(location)})`);
      return;
    }
    default:
      throw new Error(`http connector: authentication type ${JSON.stringify(type)} is not supported (noAuth, basic, bearer, apiKey)`);
  }
}

/** A field by dotted name: nested (`a: {b}`) or flat (`"a.b"`). */
function field(vars: Variables, name: string): unknown {
  if (name in vars) return vars[name];
  let current: unknown = vars;
  for (const part of name.split('.')) {
    if (!isObject(current)) return undefined;
    current = current[part];
  }
  return current;
}

function seconds(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) throw new Error(`http connector: input '${name}' must be a positive number of seconds (got ${JSON.stringify(value)})`);
  return n;
}

function evaluateHeader(expression: string, context: Record<string, unknown>, header: string): Json {
  const expr = expression.trim().startsWith('=') ? expression : `=${expression}`;
  try {
    return evaluate(expr, context);
  } catch (error) {
    throw new Error(`http connector: task header '${header}' could not be evaluated: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Replaces `{{secrets.NAME}}` in every string of a value; remembers the values used (to redact them). */
function substitute<T>(value: T, where: string, secrets: (name: string) => string | undefined, used: Set<string>): T {
  if (typeof value === 'string') {
    return value.replace(SECRET, (_, name: string) => {
      const secret = secrets(name);
      if (secret === undefined) throw new Error(`http connector: input '${where}' names the secret '${name}', which is not configured`);
      used.add(secret);
      return secret;
    }) as T;
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, where, secrets, used)) as T;
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, where, secrets, used)])) as T;
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
