/**
 * The built-in HTTP connector: a job handler that calls a JSON HTTP endpoint.
 * Register it for the job type `http` (and Camunda's `io.camunda:http-json:1`,
 * so Camunda Modeler connector tasks run unchanged in their basic form).
 *
 * Inputs, from the job's variables (map them with zeebe:input):
 * `url` (required, http/https), `method` (default GET), `headers` (object),
 * `body` (JSON), `timeoutMs` (default 10 s). Output: `{ status, body, headers }`
 * in the variable named by the task header `resultVariable` (default `response`).
 * Status 5xx and network errors fail the job (retried); 4xx raises the BPMN error
 * `HTTP_<status>` so a process can model it.
 */
import { BpmnError, type JobHandler } from './job-executor';
import type { Json } from '../runtime/state';

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']);

/** Creates the HTTP connector handler. `fetchImpl` is injectable for tests. */
export function httpConnector(fetchImpl: typeof fetch = fetch): JobHandler {
  return async (job) => {
    const vars = job.variables;
    const url = typeof vars.url === 'string' ? vars.url : '';
    if (!/^https?:\/\//.test(url)) throw new Error(`http connector: variable 'url' must be an http(s) URL (got ${JSON.stringify(vars.url ?? null)})`);
    const method = typeof vars.method === 'string' ? vars.method.toUpperCase() : 'GET';
    if (!METHODS.has(method)) throw new Error(`http connector: method '${method}' is not supported`);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (vars.headers && typeof vars.headers === 'object' && !Array.isArray(vars.headers)) {
      for (const [k, v] of Object.entries(vars.headers)) headers[k.toLowerCase()] = String(v);
    }
    let body: string | undefined;
    if (vars.body !== undefined && vars.body !== null && method !== 'GET' && method !== 'HEAD') {
      body = typeof vars.body === 'string' ? vars.body : JSON.stringify(vars.body);
      headers['content-type'] ??= 'application/json';
    }
    const timeoutMs = typeof vars.timeoutMs === 'number' ? vars.timeoutMs : 10_000;
    const response = await fetchImpl(url, { method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    let parsed: Json = text;
    if ((response.headers.get('content-type') ?? '').includes('json') && text) {
      try {
        parsed = JSON.parse(text) as Json;
      } catch {
        parsed = text;
      }
    }
    const result = { status: response.status, body: parsed, headers: Object.fromEntries(response.headers.entries()) };
    if (response.status >= 500) throw new Error(`http connector: ${method} ${url} answered ${response.status}`);
    if (response.status >= 400) throw new BpmnError(`HTTP_${response.status}`, `${method} ${url} answered ${response.status}`, { [job.headers.resultVariable || 'response']: result });
    return { [job.headers.resultVariable || 'response']: result };
  };
}
