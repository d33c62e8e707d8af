/**
 * What the dossier end-to-end suites check after every stage, shared by
 * dossier-lifecycle-e2e.test.ts and dossier-paths-e2e.test.ts: the agency's Decision 766
 * figures flattened (every count and every indicator's numerator and denominator) and what
 * moved between two snapshots, the audit chain verified whole with the dossier's entries, the
 * public tracking answer free of personal data, and the receipt (mẫu 01) read back with
 * pdftotext.
 */
import type { ApiHarness, Client } from './harness';
import { pdfText } from './outbox-support';

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
