/**
 * National portal synchronisation (pure, but for the HTTP transport at the end): every dossier
 * event becomes a portal outbox row; when sent, it becomes two requests in the shape the national
 * public service portal's integration services take: the dossier record (service `DongBoHoSoMC`)
 * and then its progress step (service `CapNhatTienDoHoSoMC`), with the local status mapped to the
 * portal's code through an editable mapping.
 *
 * Source of the shape. The integration specification itself is handed to agencies by the portal's
 * operator and is not public; no published text of it was found. The service names, the field
 * names, the date format (yyyyMMddHHmmss in Vietnamese time) and the status code list 1–10 below
 * are those that open-source systems integrating with the portal use, consistently, e.g.
 * github.com/VietOpenCPS/opencps-v2 (DVCQGIntegrationActionTerm.java, DVCQGIntegrationActionImpl.java)
 * and a Hà Giang enrolment system (`HsDongBo`, `DongBoHoSoMC`); see docs/one-stop-shop-rules.md,
 * "National portal synchronisation". Because they were not read from the specification, the
 * status codes, the service names and every field name are data an agency can change (PUT
 * /api/portal/status-mapping) to match the specification it receives. Only this file knows them.
 */
import Ajv from 'ajv';
import type { DossierStatus } from '../dossiers/dossier';
import { DOSSIER_STATUSES } from '../dossiers/dossier';
import type { DossierEvent } from '../dossiers/dossier-events';
import type { DossierChange } from '../dossiers/dossier-sink';
import type { OutboxMessage, OutboxRow } from '../outbox/outbox-store';
import bundledMapping from './data/status-mapping.json';
import { fixedPortalAuth, type PortalAuth } from './portal-session';

/** The names the requests use, by default (the keys of `fields` in the mapping document). */
export const PORTAL_FIELDS = {
  /** The envelope of each request. */
  envelope: ['service', 'isUpdating', 'madonvi', 'data'],
  /** The dossier record (`DongBoHoSoMC`). */
  record: ['MaHoSo', 'MaTTHC', 'NgayTiepNhan', 'NgayHenTra', 'TrangThaiHoSo', 'NgayKetThucXuLy', 'NgayTra'],
  /** The progress step (`CapNhatTienDoHoSoMC`). */
  progress: ['MaHoSo', 'NguoiXuLy', 'PhongBanXuLy', 'ThoiDiemXuLy', 'NoiDungXuLy', 'TrangThai'],
} as const;
const ALL_FIELDS = [...new Set(Object.values(PORTAL_FIELDS).flat())];
type FieldName = (typeof ALL_FIELDS)[number];

/** The default service names of the two requests. */
export const PORTAL_SERVICES = { record: 'DongBoHoSoMC', progress: 'CapNhatTienDoHoSoMC' } as const;

/**
 * The mapping document: local status → the portal's status code and name; optionally other
 * service names and other field names (default name → the name the agency's specification uses).
 */
export interface StatusMapping {
  version?: number;
  statuses: Record<DossierStatus, { code: string; name: string }>;
  services?: Partial<Record<keyof typeof PORTAL_SERVICES, string>>;
  fields?: Partial<Record<FieldName, string>>;
}

/** A mapping document that is not valid; `details` names each wrong place. */
export class StatusMappingError extends Error {
  constructor(
    message: string,
    readonly details: string[],
  ) {
    super(message);
    this.name = 'StatusMappingError';
  }
}

const entry = { type: 'object', required: ['code', 'name'], additionalProperties: false, properties: { code: { type: 'string', minLength: 1, maxLength: 20 }, name: { type: 'string', minLength: 1, maxLength: 200 } } };
const identifier = { type: 'string', minLength: 1, maxLength: 60, pattern: '^[A-Za-z_][A-Za-z0-9_]*$' };
const SCHEMA = {
  type: 'object',
  required: ['statuses'],
  additionalProperties: false,
  properties: {
    $comment: { type: 'string' },
    version: { type: 'integer', minimum: 1 },
    statuses: { type: 'object', required: [...DOSSIER_STATUSES], additionalProperties: false, properties: Object.fromEntries(DOSSIER_STATUSES.map((s) => [s, entry])) },
    services: { type: 'object', additionalProperties: false, properties: { record: identifier, progress: identifier } },
    fields: { type: 'object', additionalProperties: false, properties: Object.fromEntries(ALL_FIELDS.map((f) => [f, identifier])) },
  },
};
const validate = new Ajv({ allErrors: true, strict: true }).compile(SCHEMA);

/** Checks a mapping document; throws StatusMappingError naming every wrong place. */
export function parseStatusMapping(document: unknown): StatusMapping {
  if (!validate(document)) {
    const details = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` ('${String(e.params.additionalProperty)}')` : ''}`);
    throw new StatusMappingError(`the portal status mapping is not valid: ${details.join('; ')}`, details);
  }
  const mapping = document as unknown as StatusMapping;
  // two fields of one request may not end up with the same name
  const details: string[] = [];
  for (const [part, names] of Object.entries(PORTAL_FIELDS)) {
    const seen = new Map<string, string>();
    for (const name of names) {
      const renamed = mapping.fields?.[name] ?? name;
      const other = seen.get(renamed);
      if (other) details.push(`/fields ${other} and ${name} would both be sent as '${renamed}' in the ${part}`);
      seen.set(renamed, name);
    }
  }
  if (details.length) throw new StatusMappingError(`the portal status mapping is not valid: ${details.join('; ')}`, details);
  return mapping;
}

/** The mapping shipped in data/status-mapping.json. */
export function bundledStatusMapping(): StatusMapping {
  return parseStatusMapping(bundledMapping);
}

/** The portal rows of one dossier change: one per event (deadline warnings stay local). */
export function portalMessagesOf(change: DossierChange): OutboxMessage[] {
  const d = change.dossier;
  return change.events
    .filter((event) => event.type !== 'deadlineWarned')
    .map((event) => ({
      channel: 'portal' as const,
      dossierId: d.id,
      agency: change.facts.agency,
      kind: event.type,
      payload: {
        record: {
          code: d.code ?? null,
          procedureCode: change.facts.procedureCode,
          agency: change.facts.agency,
          channel: d.channel,
          status: d.status,
          submittedAt: d.submittedAt,
          receivedAt: d.receivedAt ?? null,
          appointmentAt: d.appointmentAt ?? null,
          finishedAt: d.finishedAt ?? null,
          returnedAt: d.returnedAt ?? null,
          holder: d.holder ?? null,
          late: d.late,
          paidOnline: change.facts.paidOnline ?? false,
        },
        step: { type: event.type, at: event.at, from: event.from, to: event.to, note: stepNote(event) },
      },
    }));
}

function stepNote(event: DossierEvent): string | null {
  switch (event.type) {
    case 'dossierRefused':
    case 'dossierRejected':
      return event.reasons.join('; ');
    case 'supplementRequested':
      return event.items.map((i) => `${i.name}: ${i.reason}`).join('; ');
    case 'appointmentRedated':
      return event.reason;
    case 'dossierWithdrawn':
      return event.reason ?? null;
    case 'dossierHandedOff':
      return event.note ?? null;
    default:
      return null;
  }
}

const VIETNAM_OFFSET_MS = 7 * 3_600_000;

/** A time as the portal's integrations write it: yyyyMMddHHmmss in Vietnamese time (UTC+7, no daylight saving); '' when absent. */
export function portalTime(ms: unknown): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '';
  return new Date(ms + VIETNAM_OFFSET_MS).toISOString().slice(0, 19).replace(/\D/g, '');
}

function renamed(values: Record<string, unknown>, fields: StatusMapping['fields']): Record<string, unknown> {
  if (!fields) return values;
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [fields[k as FieldName] ?? k, v]));
}

/** The first event of a dossier creates its record on the portal; every later one updates it. */
const CREATES_RECORD = 'dossierSubmitted';

/**
 * The two request bodies the portal receives for one outbox row, in order, under the mapping in
 * force when it is sent: the dossier record, then the progress step. No personal data: the
 * applicant's name, identity number and contacts (optional in the portal's record) and the
 * official's name (`NguoiXuLy`, sent empty) stay local.
 */
export function portalRequests(row: OutboxRow, mapping: StatusMapping): [Record<string, unknown>, Record<string, unknown>] {
  const record = row.payload.record as Record<string, any>;
  const step = row.payload.step as Record<string, any>;
  const status = (s: DossierStatus) => mapping.statuses[s];
  const rename = (values: Record<string, unknown>) => renamed(values, mapping.fields);
  const dossierRecord = rename({
    MaHoSo: record.code ?? '',
    MaTTHC: record.procedureCode,
    NgayTiepNhan: portalTime(record.receivedAt),
    NgayHenTra: portalTime(record.appointmentAt),
    // the status the step led to: when one change has several events (a desk dossier is submitted
    // and received at once), each record carries its own step's status, not the final one
    TrangThaiHoSo: status(step.to ?? record.status).code,
    NgayKetThucXuLy: portalTime(record.finishedAt),
    NgayTra: portalTime(record.returnedAt),
  });
  const progress = rename({
    MaHoSo: record.code ?? '',
    NguoiXuLy: '',
    PhongBanXuLy: record.holder ?? '',
    ThoiDiemXuLy: portalTime(step.at),
    NoiDungXuLy: step.note ?? status(step.to).name,
    TrangThai: status(step.to).code,
  });
  return [
    rename({ service: mapping.services?.record ?? PORTAL_SERVICES.record, isUpdating: row.kind === CREATES_RECORD ? 'False' : 'True', madonvi: record.agency, data: [dossierRecord] }),
    rename({ service: mapping.services?.progress ?? PORTAL_SERVICES.progress, madonvi: record.agency, data: [progress] }),
  ];
}

/**
 * Sends portal rows over HTTP: POST {url}/dossiers, authenticated by `auth` (a fixed bearer token
 * or a session token, portal-session.ts), the record then the progress step; a non-2xx answer to
 * either is a failure (the row is retried whole: the record is an update by then, and the portal
 * keys both by MaHoSo). A 401 to a session token is answered once with a fresh token, never more.
 */
export function httpPortalTransport(options: { url: string; auth?: PortalAuth; mapping: () => Promise<StatusMapping>; timeoutMs?: number }) {
  const endpoint = `${options.url.replace(/\/+$/, '')}/dossiers`;
  const auth = options.auth ?? fixedPortalAuth();
  return async (row: OutboxRow): Promise<void> => {
    const [record, progress] = portalRequests(row, await options.mapping());
    await post(record, `portal-${row.id}-record`);
    await post(progress, `portal-${row.id}-progress`);
  };
  async function post(body: Record<string, unknown>, messageId: string): Promise<void> {
    const send = async (headers: Record<string, string>) => {
      try {
        return await fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-motcua-message-id': messageId, ...headers },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
        });
      } catch (error) {
        throw new Error(auth.redact(`the portal cannot be reached at ${endpoint}: ${(error as Error).message}`));
      }
    };
    const first = await auth.headers();
    let response = await send(first);
    if (response.status === 401 && auth.renewable) {
      // The session ended on the portal's side (expired, revoked): one more try with a fresh token.
      auth.refused(first);
      await response.body?.cancel();
      const fresh = await auth.headers();
      response = await send(fresh);
      if (response.status === 401) auth.refused(fresh);
    }
    if (!response.ok) {
      const text = (await response.text().catch(() => '')).slice(0, 500);
      throw new Error(auth.redact(`the portal answered ${response.status} at ${endpoint}${text ? `: ${text}` : ''}`));
    }
    await response.body?.cancel();
  }
}
