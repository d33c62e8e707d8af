/**
 * Row mappers shared by the stores of this folder: snake_case rows from
 * PostgreSQL in, the plain records of the store ports out (times as epoch ms,
 * SQL NULL as absent).
 */
import { ms } from '../dates';
import type { InstanceState } from '../runtime/state';
import type { DefinitionRecord, DefinitionSummary, IncidentRow, InstanceRecord, JobRow, MessageSubscriptionRow, TaskRow } from '../store/ports';

/** A row as pg returns it. */
export type Row = Record<string, any>;

/** A timestamp column as epoch milliseconds (the one helper: ../dates.ts). */
export { ms };
/** Epoch milliseconds as a value for a timestamptz column. */
export const date = (value: number | undefined): Date | null => (value === undefined ? null : new Date(value));
/** SQL NULL as absent. */
export const opt = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

/** The columns of `definitions` without the XML. */
export const SUMMARY_COLUMNS = 'id, process_id, version, version_tag, name, deployment_id, xml_hash, created_at, agency';



/** Maps a row (at least SUMMARY_COLUMNS) to a definition without its XML. */
export function toDefinitionSummary(row: Row): DefinitionSummary {
  return {
    id: row.id,
    processId: row.process_id,
    version: row.version,
    versionTag: opt(row.version_tag),
    name: opt(row.name),
    deploymentId: row.deployment_id,
    xmlHash: row.xml_hash,
    createdAt: ms(row.created_at)!,
    agency: opt(row.agency ?? null),
  };
}

/** Maps a row to its record. */
export function toDefinition(row: Row): DefinitionRecord {
  return { ...toDefinitionSummary(row), xml: row.xml };
}


/** Maps a row to its record. */
export function toInstance(row: Row): InstanceRecord {
  return {
    id: row.id,
    definitionId: row.definition_id,
    processId: row.process_id,
    businessKey: opt(row.business_key),
    status: row.status,
    state: row.state as InstanceState,
    revision: row.revision,
    parentInstanceId: opt(row.parent_instance_id),
    parentWaitId: opt(row.parent_wait_id),
    startedAt: ms(row.started_at)!,
    endedAt: ms(row.ended_at),
  };
}

/** Maps a row to its record. */
export function toTask(row: Row): TaskRow {
  return {
    id: row.id,
    instanceId: row.instance_id,
    processId: row.process_id,
    definitionId: row.definition_id,
    elementId: row.element_id,
    name: opt(row.name),
    assignee: opt(row.assignee),
    candidateGroups: row.candidate_groups ?? [],
    candidateUsers: row.candidate_users ?? [],
    agency: opt(row.agency),
    state: row.state,
    dueAt: ms(row.due_at),
    formKey: opt(row.form_key),
    createdAt: ms(row.created_at)!,
    completedAt: ms(row.completed_at),
    completedBy: opt(row.completed_by),
  };
}

/** Maps a row to its record. */
export function toJob(row: Row): JobRow {
  return {
    id: row.id,
    instanceId: opt(row.instance_id),
    definitionId: opt(row.definition_id),
    elementId: row.element_id,
    kind: row.kind,
    jobType: row.job_type,
    retries: row.retries,
    dueAt: ms(row.due_at)!,
    lockOwner: opt(row.lock_owner),
    lockExpiresAt: ms(row.lock_expires_at),
    errorMessage: opt(row.error_message),
    headers: row.headers ?? {},
    variables: row.variables ?? {},
    payload: opt(row.payload),
  };
}

/** Maps a row to its record. */
export function toIncident(row: Row): IncidentRow {
  return {
    id: row.id,
    instanceId: row.instance_id,
    elementId: row.element_id,
    kind: row.kind,
    cause: opt(row.cause),
    message: row.message,
    jobId: opt(row.job_id),
    state: row.state,
    createdAt: ms(row.created_at)!,
  };
}

/** Maps a row to its record. */
export function toSubscription(row: Row): MessageSubscriptionRow {
  return {
    id: row.id,
    instanceId: opt(row.instance_id),
    definitionId: row.definition_id,
    elementId: row.element_id,
    messageName: row.message_name,
    correlationKey: opt(row.correlation_key),
  };
}

