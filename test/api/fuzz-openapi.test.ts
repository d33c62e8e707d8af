/**
 * Every operation of the served OpenAPI document, fuzzed: requests generated from the
 * document's own schemas (valid values, invalid ones, hostile strings) in path
 * parameters, query, headers and body, sent by callers of every role to a running
 * server. No answer may be a 5xx, and every refusal is a problem document.
 *
 * Bounded by MOTCUA_FUZZ_RUNS requests per operation (default 25); a failure prints
 * the request and fast-check's seed (replay with MOTCUA_FUZZ_SEED, and
 * MOTCUA_FUZZ_ONLY='POST /api/instances' to run that operation alone).
 */
import http from 'node:http';
import zlib from 'node:zlib';
import fc from 'fast-check';
import { testDatabases } from '../support/databases';
import { fuzzValue, hostileString, percentEncode, RAW_URL_GARBAGE, validValue, type RefResolver, type Schema } from '../support/schema-arbitrary';
import { processXml, useApi, type Caller } from './harness';

const RUNS = Number(process.env.MOTCUA_FUZZ_RUNS ?? 25);
const SEED = process.env.MOTCUA_FUZZ_SEED === undefined ? undefined : Number(process.env.MOTCUA_FUZZ_SEED);
/** Only the operations whose `METHOD /path` matches (when debugging one). */
const ONLY = process.env.MOTCUA_FUZZ_ONLY === undefined ? undefined : new RegExp(process.env.MOTCUA_FUZZ_ONLY);
const CALLERS: Caller[] = ['analyst', 'adminA', 'officialA', 'officialB', 'citizen', 'anonymous'];

/** A body: bytes with their headers, or a multipart deployment built at send time. */
type BodySpec =
  | { kind: 'bytes'; body?: Buffer; headers: Record<string, string> }
  | { kind: 'multipart'; xml: string | null; forms: Array<{ name: string; content: string }>; name: string | null };

/** One generated request. */
interface FuzzRequest {
  method: string;
  path: string;
  caller: Caller;
  headers: Record<string, string>;
  body: BodySpec;
}

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: Schema;
}

interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  content: Record<string, { schema: Schema }>;
}

/** 4 MB of spaces, deflated to a few kB: must be refused by its inflated size. */
const DEFLATE_BOMB = zlib.deflateSync(Buffer.alloc(4 * 1024 * 1024, 32));

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

async function send(baseUrl: string, token: string | undefined, request: FuzzRequest): Promise<Answer> {
  const { hostname, port } = new URL(baseUrl);
  const { body, headers: bodyHeaders } = await bytesOf(request.body);
  const headers: Record<string, string> = { ...request.headers, ...bodyHeaders };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body) headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, method: request.method, path: request.path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A value as the text of a URL or header. */
function asText(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined ? '' : typeof value === 'number' ? String(value) : JSON.stringify(value);
}

/** Text for a URL: percent-encoded, or raw percent-garbage. */
function urlText(value: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  return fc.oneof({ weight: 6, arbitrary: value.map((v) => percentEncode(asText(v))) }, { weight: 1, arbitrary: fc.constantFrom(...RAW_URL_GARBAGE) });
}

function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** BPMN documents: deployable ones with hostile names and documentation, broken ones, garbage. */
const bpmnXml: fc.Arbitrary<string> = fc.oneof(
  fc
    .record({
      id: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,20}$/),
      name: hostileString,
      agency: fc.oneof(fc.constantFrom('A', 'B'), hostileString),
      tasks: fc.array(fc.record({ id: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,10}$/), groups: fc.constantFrom('desk', 'head', ''), formKey: fc.option(fc.constantFrom('apply', 'other')) }), { maxLength: 3 }),
      message: fc.boolean(),
    })
    .map(({ id, name, agency, tasks, message }) => {
      const unique = [...new Map(tasks.map((t) => [t.id, t])).values()].filter((t) => !['start', 'end', 'lookup', 'supplement'].includes(t.id));
      const xml = processXml({ id, agency: xmlEscape(agency), tasks: unique.map((t) => ({ id: t.id, groups: t.groups || undefined, formKey: t.formKey ?? undefined })), message });
      return xml.replace(`name="${id}"`, `name="${xmlEscape(name)}"`).replace('<bpmn:startEvent id="start" />', `<bpmn:startEvent id="start"><bpmn:documentation>${xmlEscape(name)}</bpmn:documentation></bpmn:startEvent>`);
    }),
  hostileString,
  fc.constantFrom('<?xml version="1.0"?><x/>', '<bpmn:definitions', '<!DOCTYPE x><x/>', ''),
);

/** Form files of a multipart deployment: schemas, broken JSON, hostile names. */
const formFile = fc.record({
  name: fc.oneof(fc.constantFrom('apply.schema.json', 'other.json', '.json', ''), hostileString),
  content: fc.oneof(
    fc.constant('{"type":"object","properties":{"approved":{"type":"boolean"}}}'),
    fc.constant('{"type":"no-such-type"}'),
    fc.constant('{"$ref":"#/x"}'),
    hostileString,
    fc.dictionary(hostileString, hostileString, { maxKeys: 2 }).map((d) => JSON.stringify(d)),
  ),
});

/** The bytes and headers of a body. */
async function bytesOf(spec: BodySpec): Promise<{ body?: Buffer; headers: Record<string, string> }> {
  if (spec.kind === 'bytes') return spec;
  const form = new FormData();
  if (spec.xml !== null) form.append('bpmn', new Blob([spec.xml]), 'fuzz.bpmn');
  for (const f of spec.forms) form.append('forms', new Blob([f.content]), f.name);
  if (spec.name !== null) form.append('name', spec.name);
  const response = new Response(form);
  return { body: Buffer.from(await response.arrayBuffer()), headers: { 'content-type': response.headers.get('content-type')! } };
}

/** Bodies of an operation: what its document says (fuzzed), plus broken framings of it. */
function bodyOf(op: Operation, resolve: RefResolver): fc.Arbitrary<BodySpec> {
  const bytes = (body: Buffer | undefined, headers: Record<string, string>): BodySpec => ({ kind: 'bytes', body, headers });
  const none = fc.constant(bytes(undefined, {}));
  const brokenFramings = fc.oneof(
    fc.constantFrom('{"a":', 'null', '[]', '1', '"x"', '\u0000', '{"variables":' + '['.repeat(3000)).map((t) => bytes(Buffer.from(t), { 'content-type': 'application/json' })),
    hostileString.map((t) => bytes(Buffer.from(t), { 'content-type': 'application/json' })),
    fc.constant(bytes(Buffer.from('{"processId":"x"}'), { 'content-type': 'application/json', 'content-encoding': 'gzip' })),
    fc.constant(bytes(DEFLATE_BOMB, { 'content-type': 'application/json', 'content-encoding': 'deflate' })),
    fc.constantFrom('br', 'zstd', 'gzip, gzip', 'identity').map((e) => bytes(Buffer.from('{}'), { 'content-type': 'application/json', 'content-encoding': e })),
    fc.constantFrom('application/json; charset=bogus', 'application/json; charset=utf-16', 'text/plain', ';;;', 'multipart/form-data', 'application/xml').map((type) => bytes(Buffer.from('{}'), { 'content-type': type })),
  );
  const json = op.content['application/json'];
  const xml = op.content['application/xml'];
  const multipart = op.content['multipart/form-data'];
  const variants: Array<{ weight: number; arbitrary: fc.Arbitrary<BodySpec> }> = [
    { weight: 1, arbitrary: none },
    { weight: 2, arbitrary: brokenFramings },
  ];
  if (json) {
    variants.push({ weight: 8, arbitrary: fuzzValue(json.schema, resolve).map((v) => bytes(Buffer.from(JSON.stringify(v) ?? 'null'), { 'content-type': 'application/json' })) });
  }
  if (xml) {
    variants.push({ weight: 4, arbitrary: fc.tuple(bpmnXml, fc.constantFrom('application/xml', 'text/xml; charset=utf-8', 'application/bpmn+xml')).map(([x, type]) => bytes(Buffer.from(x), { 'content-type': type })) });
  }
  if (multipart) {
    variants.push({
      weight: 4,
      arbitrary: fc
        .tuple(fc.option(bpmnXml, { freq: 5 }), fc.array(formFile, { maxLength: 3 }), fc.option(hostileString))
        .map(([xml, forms, name]): BodySpec => ({ kind: 'multipart', xml, forms, name })),
    });
  }
  return fc.oneof(...variants);
}

/** Requests for one operation, from its parameters and request bodies. */
function requestsOf(op: Operation, resolve: RefResolver, known: Record<string, string[]>): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const headerParams = op.parameters.filter((p) => p.in === 'header');

  const pathValues = fc.record(
    Object.fromEntries(
      pathParams.map((p) => [p.name, fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...(known[p.name] ?? ['x'])).map(encodeURIComponent) }, { weight: 3, arbitrary: urlText(fuzzValue(p.schema, resolve)) })]),
    ),
  );
  const queryValues = fc.tuple(
    fc.record(Object.fromEntries(queryParams.map((p) => [p.name, fc.oneof(urlText(fuzzValue(p.schema, resolve)), urlText(validValue(p.schema, resolve)).map((t) => [t, t]))])), { requiredKeys: [] }),
    fc.option(fc.tuple(urlText(hostileString), urlText(hostileString)), { freq: 5 }),
  );
  const headerValues = fc.record(
    Object.fromEntries(
      headerParams.map((p) => [p.name.toLowerCase(), fc.oneof(fc.stringMatching(/^[\x21-\x7e]{1,40}$/), fc.constantFrom('a b', 'x'.repeat(300), 'é', '-', '\t'))]),
    ),
    { requiredKeys: [] },
  );

  return fc.tuple(fc.constantFrom(...CALLERS), pathValues, queryValues, headerValues, bodyOf(op, resolve)).map(([caller, params, [query, extra], headers, body]) => {
    const path = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => (params as Record<string, string>)[name]);
    const pairs: string[] = [];
    for (const [name, value] of Object.entries(query)) {
      for (const v of Array.isArray(value) ? value : [value]) pairs.push(`${encodeURIComponent(name)}=${v}`);
    }
    if (extra) pairs.push(`${extra[0]}=${extra[1]}`);
    return { method: op.method.toUpperCase(), path: pairs.length > 0 ? `${path}?${pairs.join('&')}` : path, caller, headers: headers as Record<string, string>, body };
  });
}

function describeRequest(request: FuzzRequest): string {
  const spec = request.body;
  const body = spec.kind === 'multipart' ? `\n\nmultipart ${JSON.stringify(spec).slice(0, 2000)}` : spec.body === undefined ? '' : `\n\n${spec.body.toString('utf8').slice(0, 2000)}`;
  return `${request.method} ${request.path.slice(0, 2000)} as ${request.caller}\n${Object.entries(request.headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n')}${spec.kind === 'bytes' ? Object.entries(spec.headers).map(([k, v]) => `\n${k}: ${v}`).join('') : ''}${body}`;
}

describe.each(testDatabases())('every operation of the OpenAPI document, fuzzed, on $name', (target) => {
  const api = useApi(target, { publicRateLimit: 1_000_000 });
  const known: Record<string, string[]> = {};
  let operations: Operation[] = [];
  let resolve: RefResolver;

  beforeAll(async () => {
    const document = (await api.as('anonymous').get('/api/openapi.json')).body as {
      paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> } }>>;
      components: { schemas: Record<string, Schema> };
    };
    resolve = (ref) => {
      const name = ref.replace('#/components/schemas/', '');
      const schema = document.components.schemas[name];
      if (!schema) throw new Error(`unknown $ref ${ref}`);
      return schema;
    };
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ method, path, parameters: op.parameters ?? [], content: op.requestBody?.content ?? {} })),
    );

    // Real ids, so that valid requests reach the code behind the lookups.
    const form = new FormData();
    form.append('bpmn', new Blob([processXml({ id: 'fuzz-seed', agency: 'A', tasks: [{ id: 'review', groups: 'desk', formKey: 'apply' }], message: true })]), 'fuzz-seed.bpmn');
    form.append('forms', new Blob(['{"type":"object","properties":{"approved":{"type":"boolean"}}}']), 'apply.schema.json');
    const deployed = await api.as('adminA').request('POST', '/api/deployments', { raw: form });
    expect(deployed.status).toBe(201);
    const started = await api.as('officialA').post('/api/instances', { processId: 'fuzz-seed', businessKey: 'HS-1', variables: { dossierCode: 'HS-1' } });
    expect(started.status).toBe(201);
    const [task] = await api.openTasks(started.body.instanceId);
    known.id = [deployed.body.deploymentId, deployed.body.definitions[0].id, started.body.instanceId, task.id];
    known.formKey = ['apply'];
  });

  it('should answer every generated request below 500, every refusal as a problem document', async () => {
    expect(operations.length).toBeGreaterThan(20);
    expect(ONLY === undefined || operations.some((op) => ONLY.test(`${op.method.toUpperCase()} ${op.path}`))).toBe(true);
    const failures: string[] = [];
    for (const op of operations) {
      if (ONLY && !ONLY.test(`${op.method.toUpperCase()} ${op.path}`)) continue;
      const property = fc.asyncProperty(requestsOf(op, resolve, known), async (request) => {
        const answer = await send(api.url, api.token(request.caller), request);
        if (answer.status >= 500 || answer.status < 100) {
          throw new Error(`${answer.status} for\n${describeRequest(request)}\n→ ${answer.text.slice(0, 500)}`);
        }
        if (answer.status >= 400 && !answer.contentType.startsWith('application/problem+json')) {
          throw new Error(`${answer.status} without a problem document (${answer.contentType}) for\n${describeRequest(request)}`);
        }
      });
      const result = await fc.check(property, { numRuns: RUNS, endOnFailure: true, seed: SEED });
      if (result.failed) {
        failures.push(`${op.method.toUpperCase()} ${op.path} (seed ${result.seed}, MOTCUA_FUZZ_SEED replays it): ${(result.errorInstance as Error | undefined)?.message ?? 'failed'}`);
      }
    }
    expect(failures).toEqual([]);
  }, 600_000);
});
