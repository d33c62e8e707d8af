/**
 * What the dossier suites of test/api share (and the tracking page's browser test).
 *
 * Set-up: users signed in by a short name, the library's procedures deployed and loaded (its
 * demo officials signed in on first use), a dossier received with the procedure's required
 * documents, and tasks worked from an inbox.
 *
 * Checks after every stage: the agency's Decision 766 figures flattened (every count and every
 * indicator's numerator and denominator) and what moved between two snapshots, the audit chain
 * verified whole with the dossier's entries, the public tracking answer free of personal data,
 * and the receipt (mẫu 01) read back with pdftotext.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { principalOf } from '../../api/src/auth/auth-service';
import { LIBRARY_OFFICIALS } from '../../api/src/auth/demo-users';
import type { Role } from '../../api/src/auth/principal';
import type { ReceivedDocument } from '../../onestop/src/dossiers/dossier-store';
import { readProcedureLibrary } from '../../onestop/src/procedures/procedure';
import { Client, type ApiHarness } from './harness';
import { pdfText } from './outbox-support';

// ------------------------------------------------------------------ users signed in

/** A user of a suite, signed in: its id, its bearer token and a client sending it. */
export interface SignedIn {
  id: string;
  token: string;
  client: Client;
}

/** Creates a user (no password: the auth service issues its token) and signs it in. */
export async function signIn(api: ApiHarness, user: { username: string; name?: string; roles: readonly string[]; agency?: string; groups?: readonly string[] }): Promise<SignedIn> {
  const record = await api.auth.users.create({ ...user, roles: [...user.roles], groups: [...(user.groups ?? [])], passwordHash: 'scrypt$unused' });
  const { token } = await api.auth.issueToken(principalOf(record));
  return { id: record.id, token, client: new Client(() => api.url, () => token) };
}

/** The users of a suite by short name, each created as `<name>-<suffix>` (the suffix keeps databases and suites apart) and signed in. */
export class SuiteUsers {
  private readonly users: Record<string, SignedIn> = {};

  constructor(
    private readonly api: ApiHarness,
    private readonly suffix: string,
  ) {}

  async add(name: string, roles: Role[], agency: string | undefined, groups: string[], displayName?: string): Promise<SignedIn> {
    this.users[name] = await signIn(this.api, { username: this.username(name), ...(displayName ? { name: displayName } : {}), roles, ...(agency ? { agency } : {}), groups });
    return this.users[name];
  }

  /** The username `name` signs in with. */
  username(name: string): string {
    return `${name}-${this.suffix}`;
  }

  as(name: string): Client {
    return this.users[name].client;
  }

  id(name: string): string {
    return this.users[name].id;
  }

  token(name: string): string {
    return this.users[name].token;
  }

  /** Every user's id: what a public answer must never show. */
  ids(): string[] {
    return Object.values(this.users).map((u) => u.id);
  }

  /** A dossier's operation (`POST /api/dossiers/:id/operations`) as `who`. */
  operate(who: string, dossierId: string, body: unknown) {
    return this.as(who).post(`/api/dossiers/${dossierId}/operations`, body);
  }

  /** The open task at `elementId` of an instance, through the inbox of `who`. */
  async taskOf(who: string, instanceId: string, elementId: string): Promise<{ id: string }> {
    const inbox = await this.as(who).get('/api/tasks');
    expect(inbox.status).toBe(200);
    const task = (inbox.body.items as Array<{ id: string; instanceId: string; elementId: string }>).find((t) => t.instanceId === instanceId && t.elementId === elementId);
    if (!task) throw new Error(`${who} has no open task ${elementId} of ${instanceId}`);
    return task;
  }

  /** Claims and completes the task at `elementId` through the API, as `who`. */
  async work(who: string, instanceId: string, elementId: string): Promise<void> {
    const task = await this.taskOf(who, instanceId, elementId);
    expect((await this.as(who).post(`/api/tasks/${task.id}/claim`, {})).status).toBe(200);
    const done = await this.as(who).post(`/api/tasks/${task.id}/complete`, {});
    expect([done.status, done.body?.detail]).toEqual([200, undefined]);
  }
}

// ------------------------------------------------------------------ dossiers

/** Receives (or submits) a dossier through the API as `client`: it must be taken; the dossier as answered. */
export async function receiveDossier(client: Client, body: Record<string, unknown>): Promise<any> {
  const res = await client.post('/api/dossiers', body);
  expect([res.status, res.body.detail]).toEqual([201, undefined]);
  return res.body;
}

/** A dossier's history as `client` reads it, oldest first. */
export async function historyOf(client: Client, dossierId: string): Promise<Array<{ type: string; at: string; actor: string; from?: string; to: string; event: Record<string, any> }>> {
  return (await client.get(`/api/dossiers/${dossierId}/history`)).body.items;
}

// ------------------------------------------------------------------ the library (processes/)

export const LIBRARY = join(__dirname, '../../processes');

/** A library procedure's procedure.json. */
export const libraryProcedure = (code: string): Record<string, any> => JSON.parse(readFileSync(join(LIBRARY, code, 'procedure.json'), 'utf8'));

/** Every required document of a library procedure that the national databases do not hold, one of each, in `form`. */
export function requiredDocuments(code: string, form: ReceivedDocument['form'] = 'original'): ReceivedDocument[] {
  return (libraryProcedure(code).documents as Array<{ code: string; name: string; required: boolean; fromDatabase?: boolean }>).filter((d) => d.required && !d.fromDatabase).map((d) => ({ code: d.code, name: d.name, form, copies: 1 }));
}

/** A multipart deployment of a library procedure's to-be with all its forms. */
export function libraryDeployment(code: string): FormData {
  const form = new FormData();
  form.append('bpmn', new Blob([readFileSync(join(LIBRARY, code, 'to-be.bpmn'), 'utf8')], { type: 'application/xml' }), `${code}/to-be.bpmn`);
  for (const file of readdirSync(join(LIBRARY, code, 'forms'))) form.append('forms', new Blob([readFileSync(join(LIBRARY, code, 'forms', file), 'utf8')]), file);
  return form;
}

/** Deploys a library procedure with its forms through the API, as an analyst: taken, without a warning. */
export async function deployLibraryProcedure(api: ApiHarness, code: string): Promise<void> {
  const res = await api.as('analyst').request('POST', '/api/deployments', { raw: libraryDeployment(code) });
  expect({ code, status: res.status, warnings: res.body.warnings }).toEqual({ code, status: 201, warnings: [] });
}

/** Loads the library's procedures into the dossier layer's catalogue, as `serve` does (those of `codes` only, when given). */
export async function loadLibrary(api: ApiHarness, codes?: readonly string[]): Promise<void> {
  const library = readProcedureLibrary(LIBRARY);
  await api.server.app.locals.services.ctx.dossiers!.loadLibrary(codes ? library.filter((p) => codes.includes(p.code)) : library);
}

/** Deploys a library procedure's to-be model straight to the engine (no forms) and loads the whole library. */
export async function deployLibraryModel(api: ApiHarness, code: string): Promise<void> {
  await api.engine.deploy(readFileSync(join(LIBRARY, code, 'to-be.bpmn'), 'utf8'));
  await loadLibrary(api);
}

/** The library's demo officials (api/src/auth/demo-users.ts) of the procedures' agencies, each signed in on first use. */
export class LibraryOfficials {
  private readonly signedIn = new Map<string, SignedIn>();

  constructor(private readonly api: ApiHarness) {}

  /** The demo official of `agency` in `group`. */
  async of(agency: string, group: string): Promise<SignedIn & { username: string }> {
    const demo = LIBRARY_OFFICIALS.find((u) => u.agency === agency && (u.groups ?? []).includes(group) && u.roles.includes('official'));
    if (!demo) throw new Error(`no demo official of ${agency} in group ${group}`);
    let user = this.signedIn.get(demo.username);
    if (!user) {
      user = await signIn(this.api, demo);
      this.signedIn.set(demo.username, user);
    }
    return { ...user, username: demo.username };
  }

  /**
   * Completes the open task at `elementId` of an instance with `variables`, from the inbox of the
   * demo official of the task's agency (else `agency`) and first group; the answer.
   */
  async complete(instanceId: string, elementId: string, variables: Record<string, unknown>, agency: string): Promise<{ status: number; body: any }> {
    const open = (await this.api.openTasks(instanceId)).find((t) => t.elementId === elementId);
    expect({ elementId, open: open !== undefined }).toEqual({ elementId, open: true });
    const who = await this.of(open!.agency ?? agency, open!.candidateGroups[0]);
    const inbox = await who.client.get(`/api/tasks?instanceId=${encodeURIComponent(instanceId)}`);
    const task = inbox.body.items.find((t: { elementId: string }) => t.elementId === elementId);
    expect({ elementId, user: who.username, inInbox: task !== undefined }).toEqual({ elementId, user: who.username, inInbox: true });
    return who.client.post(`/api/tasks/${task.id}/complete`, { variables });
  }
}

// ------------------------------------------------------------------ what each stage checks

/** Every number of a statistics group, flattened: `counts.received`, `counts.finished766.early`, `2.1.numerator`… */
export type Figures = Record<string, number>;

export function flatten(value: unknown, prefix: string, into: Figures): Figures {
  if (typeof value === 'number') into[prefix] = value;
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, into);
  return into;
}

/** What moved between two snapshots (keys of either; absent counts as 0). */
export function moved(before: Figures, after: Figures): Figures {
  const diff: Figures = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const d = (after[key] ?? 0) - (before[key] ?? 0);
    if (Math.abs(d) > 1e-9) diff[key] = Math.round(d * 1000) / 1000;
  }
  return diff;
}

/** The figures of `agency` for `period` (a query string), flattened, as `client` reads them. */
export async function figuresOf(client: Client, agency: string, period: string): Promise<Figures> {
  const res = await client.get(`/api/statistics?agency=${agency}&${period}`);
  expect(res.status).toBe(200);
  const group = res.body.groups[0];
  if (!group) return {};
  const out = flatten(group.counts, 'counts', {});
  for (const i of group.indicators as Array<{ code: string; numerator?: number; denominator?: number }>) {
    if (typeof i.numerator === 'number') out[`${i.code}.numerator`] = i.numerator;
    if (typeof i.denominator === 'number') out[`${i.code}.denominator`] = i.denominator;
  }
  return out;
}

/** A snapshot of the figures, and a step that checks exactly what moved since the last one. */
export async function figureSteps(read: () => Promise<Figures>): Promise<(expected: Figures) => Promise<void>> {
  let before = await read();
  return async (expected: Figures) => {
    const after = await read();
    expect(moved(before, after)).toEqual(expected);
    before = after;
  };
}

/** What one dossier received at the desk (fee-bearing, paid there) and in processing moves: received at the desk, in progress on time by both measures. */
export const RECEIVED_AT_DESK: Figures = {
  'counts.dossiers': 1,
  'counts.received': 1,
  'counts.desk': 1,
  'counts.inProgress766.onTime': 1,
  'counts.inProgressLegal.onTime': 1,
  'counts.feeBearing': 1,
  '2.1.numerator': 1,
  '2.1.denominator': 1,
  '2.1-legal.numerator': 1,
  '2.1-legal.denominator': 1,
  '3.3.denominator': 1,
  '3.3-desk.numerator': 1,
  '3.3-desk.denominator': 1,
  '3.3-post.denominator': 1,
  '3.6.denominator': 1,
  '5.4.denominator': 1,
};

export interface AuditEntry {
  type: string;
  actor: string;
  data: Record<string, any>;
}

/** The dossier's audit entries in chain order (gapless), after `GET /api/audit/verify` said the whole chain is sound. */
export async function auditOf(api: ApiHarness, verifier: Client, dossierId: string): Promise<AuditEntry[]> {
  const verify = await verifier.get('/api/audit/verify');
  expect(verify.status).toBe(200);
  expect(verify.body).toMatchObject({ ok: true });
  const rows = await api.sql<{ seq: number; type: string; actor: string; content: unknown }>('SELECT seq, type, actor, content FROM audit_entries WHERE dossier_id = $1 ORDER BY seq', [dossierId]);
  expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i + 1));
  return rows.map((r) => ({ type: r.type, actor: r.actor, data: (typeof r.content === 'string' ? JSON.parse(r.content) : r.content) as Record<string, any> }));
}

/** The public tracking answer, after checking it holds none of `secrets` (personal data, officials' ids). */
export async function trackedOf(api: ApiHarness, code: string, secret: string, secrets: readonly string[]): Promise<Record<string, any>> {
  const res = await api.as('anonymous').get(`/api/tracking/${encodeURIComponent(code)}?secret=${encodeURIComponent(secret)}`);
  expect(res.status).toBe(200);
  for (const word of secrets) expect(res.text).not.toContain(word);
  return res.body;
}

/** The receipt (mẫu 01) of a dossier as pdftotext reads it, fetched with `token`. */
export async function receiptTextOf(api: ApiHarness, token: string, dossierId: string): Promise<string> {
  const res = await fetch(`${api.url}/api/dossiers/${dossierId}/receipt.pdf`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/pdf/);
  const pdf = Buffer.from(await res.arrayBuffer());
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  return pdfText(pdf);
}
