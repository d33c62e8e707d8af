/**
 * The REST client of the browser apps: the bearer token kept in sessionStorage (gone
 * when the tab closes), JSON in and out, and `application/problem+json` errors turned
 * into an `ApiError` that carries the problem (title, detail, the elements' problems).
 */

/** One problem of a rejected deployment, naming the element. */
export interface ElementProblem {
  elementId: string;
  reason: string;
}

/** An RFC 9457 problem as the API sends it. */
export interface Problem {
  status: number;
  title?: string;
  detail?: string;
  code?: string;
  problems?: ElementProblem[];
  /** The invalid fields of a refused request (`body.variables.childName`, `query.limit`). */
  errors?: Array<{ field: string; message: string }>;
}

/** A request the API refused, with its problem. */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
    this.name = 'ApiError';
  }
}

/** A deployed process version, as `GET /api/definitions` lists it. */
export interface DefinitionSummary {
  id: string;
  processId: string;
  version: number;
  versionTag?: string;
  name?: string;
  deploymentId: string;
  createdAt: string;
}

/** The signed-in user. */
export interface Principal {
  id: string;
  username?: string;
  name?: string;
  roles: string[];
  agency?: string;
}

const TOKEN_KEY = 'motcua.token';
const PRINCIPAL_KEY = 'motcua.principal';

/** The token of this tab's session, if signed in. */
export function token(): string | undefined {
  return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

/** The signed-in user of this tab, if any. */
export function principal(): Principal | undefined {
  const text = sessionStorage.getItem(PRINCIPAL_KEY);
  return text ? (JSON.parse(text) as Principal) : undefined;
}

/** Forgets the session. */
export function signOut(): void {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(PRINCIPAL_KEY);
}

/** Called when the API answers 401 (the session expired): the app goes back to sign-in. */
let onUnauthorized: () => void = () => undefined;
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

/** One request to the API (bearer token, JSON), an ApiError on refusal: the apps' pages' REST modules build on it. */
export async function request<T>(method: string, path: string, body?: { json?: unknown; xml?: string; form?: FormData; headers?: Record<string, string> }): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...body?.headers };
  const bearer = token();
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  let payload: string | undefined;
  if (body?.json !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body.json);
  } else if (body?.xml !== undefined) {
    headers['content-type'] = 'application/xml';
    payload = body.xml;
  }
  // A multipart body sets its own content type (with the boundary).
  const res = await fetch(path, { method, headers, body: body?.form ?? payload });
  const type = res.headers.get('content-type') ?? '';
  const parsed: unknown = /json/.test(type) ? await res.json() : await res.text();
  if (!res.ok) {
    if (res.status === 401 && bearer) {
      signOut();
      onUnauthorized();
    }
    const problem = (typeof parsed === 'object' && parsed ? parsed : { detail: String(parsed) }) as Problem;
    throw new ApiError({ ...problem, status: res.status });
  }
  return parsed as T;
}

/** A file the API answers (a PDF), with the bearer token: the Blob, or an ApiError. */
export async function requestBlob(path: string): Promise<Blob> {
  const bearer = token();
  const res = await fetch(path, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
  if (!res.ok) {
    const type = res.headers.get('content-type') ?? '';
    const problem = (/json/.test(type) ? await res.json() : { detail: await res.text() }) as Problem;
    if (res.status === 401 && bearer) {
      signOut();
      onUnauthorized();
    }
    throw new ApiError({ ...problem, status: res.status });
  }
  return res.blob();
}

/** A procedure of the catalogue (`GET /api/procedures`), as much of it as the apps read. */
export interface CatalogueProcedure {
  code: string;
  version: number;
  document: {
    code: string;
    name: { vi: string; en?: string };
    processId?: string;
    onlineLevel?: 'full' | 'partial' | 'none';
    statutoryTime?: { amount: number; unit: string; sameDay?: boolean };
    fee?: { amount: number; onlineAmount?: number; currency?: string; note?: string };
    documents: Array<{ code: string; name: string; nameEn?: string; required: boolean; fromDatabase?: boolean }>;
    competentAgency: { agency: string };
    agencies?: Array<{ id: string; name: string; nameEn?: string }>;
  };
}

/** `GET /api/procedures`: the catalogue (the library's procedures; each has its as-is model). */
export async function catalogue(): Promise<CatalogueProcedure[]> {
  return (await request<{ items: CatalogueProcedure[] }>('GET', '/api/procedures')).items;
}

/** `POST /api/auth/login`: keeps the token in sessionStorage. */
export async function signIn(username: string, password: string): Promise<Principal> {
  const result = await request<{ token: string; principal: Principal }>('POST', '/api/auth/login', { json: { username, password } });
  sessionStorage.setItem(TOKEN_KEY, result.token);
  sessionStorage.setItem(PRINCIPAL_KEY, JSON.stringify(result.principal));
  return result.principal;
}

/** The latest version of every process, or every version of one process. */
export async function definitions(options: { processId?: string; latest?: boolean } = {}): Promise<DefinitionSummary[]> {
  const items: DefinitionSummary[] = [];
  let cursor: string | undefined;
  do {
    const query = new URLSearchParams({ limit: '100', latest: String(options.latest ?? true) });
    if (options.processId) query.set('processId', options.processId);
    if (cursor) query.set('cursor', cursor);
    const page = await request<{ items: DefinitionSummary[]; nextCursor?: string }>('GET', `/api/definitions?${query}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/** One deployed version with its BPMN XML. */
export function definition(id: string): Promise<DefinitionSummary & { xml: string }> {
  return request('GET', `/api/definitions/${encodeURIComponent(id)}`);
}

/** What a deployment made. */
export interface DeploymentResult {
  deploymentId: string;
  definitions: Array<{ id: string; processId: string; version: number; duplicate: boolean }>;
  warnings: string[];
}

/**
 * `POST /api/deployments` with the BPMN XML, and the Camunda forms (`.form` files) it links
 * as a multipart body; a rejection is an ApiError with `problems`.
 */
export function deploy(xml: string, resourceName: string, forms: Array<{ name: string; content: string }> = []): Promise<DeploymentResult> {
  if (forms.length === 0) return request('POST', `/api/deployments?resourceName=${encodeURIComponent(resourceName)}`, { xml });
  const form = new FormData();
  form.append('bpmn', new Blob([xml], { type: 'application/xml' }), resourceName);
  for (const f of forms) form.append('forms', new Blob([f.content], { type: 'application/json' }), f.name);
  return request('POST', '/api/deployments', { form });
}

/** A form deployed with a deployment: a JSON Schema, or a Camunda form (form-js JSON). */
export interface DeployedForm {
  formKey: string;
  kind: 'json-schema' | 'camunda-form';
  schema: Record<string, unknown>;
}

/** The forms of a deployment. */
export async function deploymentForms(deploymentId: string): Promise<DeployedForm[]> {
  const deployment = await request<{ forms: string[] }>('GET', `/api/deployments/${encodeURIComponent(deploymentId)}`);
  return Promise.all(deployment.forms.map((key) => request<DeployedForm>('GET', `/api/deployments/${encodeURIComponent(deploymentId)}/forms/${encodeURIComponent(key)}`)));
}

/** A draft kept on the server for the signed-in user. */
export interface DraftSummary {
  id: string;
  name?: string;
  processId?: string;
  createdAt: string;
  updatedAt: string;
}

/** The signed-in user's drafts, most recently saved first. */
export async function drafts(): Promise<DraftSummary[]> {
  return (await request<{ items: DraftSummary[] }>('GET', '/api/drafts')).items;
}

/** One draft with its XML. */
export function draft(id: string): Promise<DraftSummary & { xml: string }> {
  return request('GET', `/api/drafts/${encodeURIComponent(id)}`);
}

/** Creates or replaces a draft. */
export function saveDraft(id: string, xml: string, about: { name?: string; processId?: string }): Promise<DraftSummary> {
  const query = new URLSearchParams();
  if (about.name) query.set('name', about.name.slice(0, 200));
  if (about.processId) query.set('processId', about.processId.slice(0, 200));
  return request('PUT', `/api/drafts/${encodeURIComponent(id)}?${query}`, { xml });
}

/** A draft id for a process id (the server accepts letters, digits, . _ -). */
export function draftIdFor(processId: string): string {
  return (processId.replace(/[^A-Za-z0-9._-]/g, '_') || 'draft').slice(0, 100);
}

/** One side of a comparison: a deployed version, or a model of the procedure library. */
export type ModelSource = { definitionId: string } | { procedure: string; model: 'as-is' | 'to-be' } | { xml: string; label?: string };

/** A figure before and after (`POST /api/analysis/compare`). */
export interface FigureRow {
  key: string;
  label: { vi: string; en: string };
  before: number;
  after: number;
  change: number;
  changePercent: number | null;
}

/** An element of the element diff. */
export interface DiffElement {
  id: string;
  type: string;
  name?: string;
  changes?: Array<{ property: string; before?: string; after?: string }>;
}

/** What the compare page draws: both models with their XML, the figures, the element diff. */
export interface Comparison {
  before: { label: string; xml: string; warnings: string[]; metrics: { criticalPath: string[] } };
  after: { label: string; xml: string; warnings: string[]; metrics: { criticalPath: string[] } };
  figures: FigureRow[];
  elements: { added: DiffElement[]; removed: DiffElement[]; changed: DiffElement[] };
}

/** Compares two models, with their XML to draw them. */
export function compare(before: ModelSource, after: ModelSource): Promise<Comparison> {
  return request('POST', '/api/analysis/compare', { json: { before, after, includeXml: true } });
}

/** The figures of a comparison as CSV (for a spreadsheet). */
export function compareCsv(before: ModelSource, after: ModelSource): Promise<string> {
  return request('POST', '/api/analysis/compare?format=csv', { json: { before, after } });
}

/** One element's waiting figures, from a simulation or from history (working hours). */
export interface ElementWait {
  name?: string;
  meanWaitHours: number;
  maxWaitHours: number;
}

/** What the modeler shows of `POST /api/analysis/simulate`'s report. */
export interface SimulationReport {
  toBe: {
    processId: string;
    dossiers: number;
    arrivalsPerWorkingDay: number;
    cycleTime: { unit: 'workingDays'; mean: number; p50: number; p90: number; max: number };
    onTime?: { legal: { share: number }; decision766: { share: number } };
    pools: Array<{ id: string; agency: string; role: string; staff: number; utilisation: number; meanQueue: number; meanWaitHours: number }>;
    elements: Record<string, ElementWait & { visits: number }>;
    assumptions: string[];
    warnings: string[];
  };
  plots: { cycleTimeHistogram: string; cycleTimeCdf: string; utilisation: string };
}

/** Parameters of a simulation the modeler's form sets (the rest default from the model). */
export interface SimulationParameters {
  seed?: number;
  dossiers?: number;
  start?: string;
  arrivals?: { perWorkingDay: number };
}

/** `POST /api/analysis/simulate` of one model. */
export function simulate(xml: string, parameters: SimulationParameters): Promise<SimulationReport> {
  return request('POST', '/api/analysis/simulate', { json: { model: { xml, parameters } } });
}

/** `GET /api/analysis/mining?processId=`: the per-element figures of the real history (working hours). */
export async function historyHeat(processId: string): Promise<{ cases: number; elements: Record<string, ElementWait> }> {
  const summary = await request<{ cases: number; heat: Record<string, Record<string, ElementWait>> }>('GET', `/api/analysis/mining?processId=${encodeURIComponent(processId)}`);
  return { cases: summary.cases, elements: summary.heat[processId] ?? {} };
}

/** A statutory time, as `motcua:facts` gives it. */
export interface StatutoryTimeInput {
  amount: number;
  unit: string;
  cutoff?: string;
}

/** `POST /api/analysis/legal-clock`: the due moment after each step, added one after another from `from`. */
export async function legalClock(from: string, steps: StatutoryTimeInput[], agency?: string): Promise<string[]> {
  const result = await request<{ dueAt: string[] }>('POST', '/api/analysis/legal-clock', { json: { from, steps, ...(agency ? { agency } : {}) } });
  return result.dueAt;
}
