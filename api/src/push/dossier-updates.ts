/**
 * `dossier.updated`: after each commit that changed a dossier (a receipt, an operation, a step
 * of its process), the process that committed it tells the rooms allowed to see it: every
 * member of each agency that holds or held a step of it (`agency:<id>`), and the citizen who
 * submitted it (`user:<id>`). Through the socket.io adapter, so sockets on other API processes
 * get it too, once. The payload carries no personal data: a client that wants more reads the
 * dossier over REST, where the personal-data rules and the read log apply. Not replayed on
 * reconnect: a reconnecting client reloads its dossier list.
 */
import type { DossierService, DossierUpdated } from '../../../onestop/src/dossiers/dossier-service';

/** What a client receives. */
export interface DossierUpdatedPayload {
  id: string;
  code: string;
  status: DossierUpdated['status'];
  revision: number;
  events: DossierUpdated['events'];
}

/** The rooms of a change. */
export function dossierRooms(change: Pick<DossierUpdated, 'agency' | 'agencies' | 'applicantUser'>): string[] {
  const rooms = new Set([change.agency, ...change.agencies].map((agency) => `agency:${agency}`));
  if (change.applicantUser) rooms.add(`user:${change.applicantUser}`);
  return [...rooms];
}

/** Forwards the service's changes to the rooms; returns what stops it. */
export function forwardDossierUpdates(io: { to(rooms: string[]): { emit(event: 'dossier.updated', payload: DossierUpdatedPayload): unknown } }, dossiers: DossierService): () => void {
  const onUpdated = (change: DossierUpdated): void => {
    io.to(dossierRooms(change)).emit('dossier.updated', { id: change.dossierId, code: change.code, status: change.status, revision: change.revision, events: change.events });
  };
  dossiers.events.on('dossier.updated', onUpdated);
  return () => dossiers.events.off('dossier.updated', onUpdated);
}
