/**
 * What the citizens' portal asks of the API: the procedures of the catalogue that can be
 * submitted online, an online submission (`POST /api/dossiers`, channel `online`, with an
 * Idempotency-Key so that a retry after a lost answer gets the same dossier and its secret
 * again, never a second dossier), the citizen's own dossiers, and the withdrawal of one.
 */
import { catalogue, request, type CatalogueProcedure } from './api';

/** A procedure of the catalogue, as the portal and the desk show it. */
export type PortalProcedure = CatalogueProcedure;

export async function onlineProcedures(): Promise<PortalProcedure[]> {
  return (await catalogue()).filter((p) => p.document.onlineLevel === 'full' || p.document.onlineLevel === 'partial');
}

/** A dossier as its applicant sees it. */
export interface MyDossier {
  id: string;
  code: string;
  status: string;
  channel: string;
  procedureCode: string;
  submittedAt: string;
  receivedAt?: string;
  appointmentAt?: string;
  trackingSecret?: string;
  /** The supplement asked for, while the dossier waits for it. */
  supplement?: { dueAt: string; items: Array<{ name: string; reason: string }>; completedAt?: string };
}

export interface Submission {
  procedureCode: string;
  applicant: { name: string; kind: 'citizen'; idNumber?: string; phone?: string; email?: string; address?: string };
  documents: Array<{ code: string; form: 'electronic'; copies: number }>;
}

/** Submits online; `key` identifies this submission (the same key again: the same dossier). */
export function submitOnline(submission: Submission, key: string): Promise<MyDossier> {
  return request('POST', '/api/dossiers', { json: { ...submission, channel: 'online' }, headers: { 'idempotency-key': key } });
}

export async function myDossiers(): Promise<MyDossier[]> {
  return (await request<{ items: MyDossier[] }>('GET', '/api/dossiers?limit=100')).items;
}

export function withdraw(dossierId: string, reason: string): Promise<MyDossier> {
  return request('POST', `/api/dossiers/${encodeURIComponent(dossierId)}/operations`, { json: { type: 'withdraw', reason } });
}

/** Tells the agency the dossier was supplemented as asked (the documents brought or sent). */
export function supplement(dossierId: string): Promise<MyDossier> {
  return request('POST', `/api/dossiers/${encodeURIComponent(dossierId)}/operations`, { json: { type: 'supplement' } });
}
