/**
 * National portal synchronisation (pure, but for the HTTP transport at the end): every dossier
 * event becomes a portal outbox row; when sent, it becomes the dossier record plus its progress
 * step, with the local status mapped to the portal's code through an editable mapping.
 *
 * Field names: no public specification of the national portal's dossier-sync API was found in
 * the reference corpus (searched "Cổng Dịch vụ công quốc gia đồng bộ hồ sơ"); the names below
 * follow the Vietnamese PascalCase the portal's published integrations use for these facts
 * (MaHoSo, MaTTHC, TrangThaiHoSo, NgayTiepNhan, NgayHenTra, ...) and must be checked against
 * the specification an agency receives. Only this file knows them.
 */
import Ajv from 'ajv';
import type { DossierStatus } from '../dossiers/dossier';
import { DOSSIER_STATUSES } from '../dossiers/dossier';
import type { DossierEvent } from '../dossiers/dossier-events';
import type { DossierChange } from '../dossiers/dossier-sink';
import type { OutboxMessage, OutboxRow } from '../outbox/outbox-store';
import bundledMapping from './data/status-mapping.json';

/** Local status → the portal's status code and name. */
export interface StatusMapping {
  version?: number;
  statuses: Record<DossierStatus, { code: string; name: string }>;
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
const SCHEMA = {
  type: 'object',
  required: ['statuses'],
  additionalProperties: false,
  properties: {
    $comment: { type: 'string' },
    version: { type: 'integer', minimum: 1 },
    statuses: { type: 'object', required: [...DOSSIER_STATUSES], additionalProperties: false, properties: Object.fromEntries(DOSSIER_STATUSES.map((s) => [s, entry])) },
  },
};
const validate = new Ajv({ allErrors: true, strict: true }).compile(SCHEMA);

/** Checks a mapping document; throws StatusMappingError naming every wrong place. */
export function parseStatusMapping(document: unknown): StatusMapping {
  if (validate(document)) return document as unknown as StatusMapping;
  const details = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` ('${String(e.params.additionalProperty)}')` : ''}`);
  throw new StatusMappingError(`the portal status mapping is not valid: ${details.join('; ')}`, details);
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
    default:
      return null;
  }
}

const isoOrNull = (ms: unknown): string | null => (typeof ms === 'number' ? new Date(ms).toISOString() : null);

/** The request body the portal receives for one outbox row, under the mapping in force when it is sent. */
export function portalPayload(row: OutboxRow, mapping: StatusMapping): Record<string, unknown> {
  const record = row.payload.record as Record<string, any>;
  const step = row.payload.step as Record<string, any>;
  const map = (status: DossierStatus) => mapping.statuses[status];
  return {
    MaHoSo: record.code,
    MaTTHC: record.procedureCode,
    MaCoQuan: record.agency,
    KenhNopHoSo: record.channel,
    TrangThaiHoSo: map(record.status).code,
    TenTrangThaiHoSo: map(record.status).name,
    NgayNopHoSo: isoOrNull(record.submittedAt),
    NgayTiepNhan: isoOrNull(record.receivedAt),
    NgayHenTra: isoOrNull(record.appointmentAt),
    QuaHan: record.late,
    ThanhToanTrucTuyen: record.paidOnline,
    TienTrinhXuLy: {
      BuocXuLy: step.type,
      ThoiGian: isoOrNull(step.at),
      TrangThaiTruoc: map(step.from).code,
      TrangThaiSau: map(step.to).code,
      GhiChu: step.note,
    },
  };
}

/** Sends portal rows over HTTP: POST {url}/dossiers with a bearer token; a non-2xx answer is a failure. */
export function httpPortalTransport(options: { url: string; token?: string; mapping: () => Promise<StatusMapping>; timeoutMs?: number }) {
  const endpoint = `${options.url.replace(/\/+$/, '')}/dossiers`;
  return async (row: OutboxRow): Promise<void> => {
    const body = portalPayload(row, await options.mapping());
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-motcua-message-id': `portal-${row.id}`, ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
    if (!response.ok) {
      const text = (await response.text().catch(() => '')).slice(0, 500);
      throw new Error(`the portal answered ${response.status} at ${endpoint}${text ? `: ${text}` : ''}`);
    }
  };
}
