/**
 * What the officials' inbox asks of the API: the tasks it may see (`/api/tasks`, each with the
 * code and status of its dossier), the work on one task (claim, give back, complete with its
 * form), and the dossier a task belongs to (`/api/dossiers/{id}`, a logged read).
 */
import { request } from './api';

/** A task as `/api/tasks` gives it. */
export interface InboxTask {
  id: string;
  instanceId: string;
  processId: string;
  definitionId: string;
  elementId: string;
  name?: string;
  assignee?: string;
  candidateGroups: string[];
  candidateUsers: string[];
  agency?: string;
  state: 'open' | 'completed' | 'cancelled';
  dueAt?: string;
  overdue: boolean;
  formKey?: string;
  createdAt: string;
  completedAt?: string;
  completedBy?: string;
  /** The dossier the task's instance runs, if any. */
  dossier?: { id: string; code: string; status: string; received: boolean };
}

/** A task's form: a JSON Schema, or a Camunda form (form-js JSON). */
export interface TaskForm {
  formKey: string;
  kind: 'json-schema' | 'camunda-form';
  schema: Record<string, unknown>;
}

/** The inbox's views: mine (claimed), offered to me and free, overdue, all. */
export type InboxView = 'mine' | 'offered' | 'overdue' | 'all';

const QUERY_OF_VIEW: Record<InboxView, Record<string, string>> = {
  mine: { scope: 'assigned' },
  offered: { scope: 'candidate' },
  overdue: { scope: 'all', overdue: 'true' },
  all: { scope: 'all' },
};

/** One page of a view, soonest due first. */
export function inboxPage(view: InboxView, cursor?: string, limit = 50, instanceId?: string): Promise<{ items: InboxTask[]; nextCursor?: string }> {
  const query = new URLSearchParams({ ...QUERY_OF_VIEW[view], limit: String(limit) });
  if (cursor) query.set('cursor', cursor);
  if (instanceId) query.set('instanceId', instanceId);
  return request('GET', `/api/tasks?${query}`);
}

/** One task with its form. */
export function inboxTask(id: string): Promise<InboxTask & { form?: TaskForm }> {
  return request('GET', `/api/tasks/${encodeURIComponent(id)}`);
}

export function claimTask(id: string): Promise<InboxTask> {
  return request('POST', `/api/tasks/${encodeURIComponent(id)}/claim`);
}

export function unclaimTask(id: string): Promise<InboxTask> {
  return request('POST', `/api/tasks/${encodeURIComponent(id)}/unclaim`);
}

export function completeTask(id: string, variables: Record<string, unknown>): Promise<InboxTask> {
  return request('POST', `/api/tasks/${encodeURIComponent(id)}/complete`, { json: { variables } });
}

/** A dossier as an official of its agency sees it (the applicant included: the read is logged). */
export interface InboxDossier {
  id: string;
  code: string;
  status: string;
  channel: 'desk' | 'post' | 'online';
  procedureCode: string;
  receivedAt?: string;
  appointmentAt?: string;
  originalAppointmentAt?: string;
  late?: boolean;
  instanceId?: string;
  currentStep?: { agency?: string; name?: string };
  documents: Array<{ code: string; name: string; form: string; copies: number }>;
  applicant?: { name: string; kind: string };
}

/** A dossier's history entry. */
export interface DossierHistoryItem {
  at: string;
  type: string;
  from: string;
  to: string;
  actor: string;
}

/** A dossier with its history (the applicant's data in it: the read is logged by the server). */
export async function dossierWithHistory(dossierId: string): Promise<{ dossier: InboxDossier; history: DossierHistoryItem[] }> {
  const id = encodeURIComponent(dossierId);
  const [dossier, history] = await Promise.all([request<InboxDossier>('GET', `/api/dossiers/${id}`), request<{ items: DossierHistoryItem[] }>('GET', `/api/dossiers/${id}/history`)]);
  return { dossier, history: history.items };
}

/** A dossier operation of an official (`accept`, `refuse` with reasons, …): the dossier after it. */
export type DossierOperation =
  | { type: 'accept' }
  | { type: 'refuse'; reasons: string[] }
  | { type: 'request-supplement'; items: Array<{ name: string; reason: string }> }
  | { type: 'apologize'; reason: string; newAppointmentAt: string };

export function operateDossier(dossierId: string, operation: DossierOperation): Promise<InboxDossier> {
  return request('POST', `/api/dossiers/${encodeURIComponent(dossierId)}/operations`, { json: operation });
}

/** A note officials leave on a task. */
export interface TaskComment {
  id: string;
  author: string;
  text: string;
  createdAt: string;
}

export async function taskComments(taskId: string): Promise<TaskComment[]> {
  return (await request<{ items: TaskComment[] }>('GET', `/api/tasks/${encodeURIComponent(taskId)}/comments`)).items;
}

export function addTaskComment(taskId: string, text: string): Promise<TaskComment> {
  return request('POST', `/api/tasks/${encodeURIComponent(taskId)}/comments`, { json: { text } });
}
