/**
 * The API store port: the reads the REST API lists and pages (deployments,
 * definitions, instances, incidents), the forms deployed with a definition,
 * and the idempotency keys of the commands that create things. The engine's
 * commands never use it; `EngineStore` stays the engine's own port.
 *
 * ## Contract
 * - Lists page with an opaque cursor; an unreadable cursor throws
 *   `InvalidInputError` naming the field `cursor`.
 * - `reserveIdempotencyKey` is atomic: of two concurrent reservations of one
 *   key exactly one gets `reserved: true`. A reservation is held by its `owner` until
 *   its lease runs out (measured on the database's clock, the one clock all nodes
 *   share); the owner renews it; a reservation of the same request whose lease has run
 *   out and that holds no answer may be taken over (again by exactly one).
 * - Records are plain objects.
 */
import { type DefinitionRecord, type DefinitionSummary, type DeploymentRecord, type IncidentRow, type InstanceRecord, InvalidInputError, type Page, type ProcessOwnerRecord, type StoreTransaction } from '../../../engine/src/index';

export type { Page };

/** A deployment with the definitions it created. */
export interface DeploymentSummary extends DeploymentRecord {
  definitions: Array<{ id: string; processId: string; version: number }>;
  forms: string[];
}

/** An instance without its state: what a list shows. */
export type InstanceSummary = Omit<InstanceRecord, 'state' | 'revision'> & { version: number };

/** Filters and page of an instance list (newest first). */
export interface InstanceQuery {
  processId?: string;
  status?: InstanceRecord['status'];
  businessKey?: string;
  /**
   * Only instances the caller may see: of a definition of `agency` (its procedure is that
   * agency's) or with at least one task of it, or started by `startedBy` (any one
   * suffices; `visibleTo` given with none of them: nothing).
   */
  visibleTo?: { agency?: string; startedBy?: string };
  limit: number;
  cursor?: string;
}

/** What deciding who may see an instance needs. */
export interface InstanceAccess {
  /** The agency of its definition (its procedure's), if it has one. */
  procedureAgency?: string;
  /** Agencies of its tasks (the agencies that worked or work on it). */
  taskAgencies: string[];
  /** Who started it (the actor of its `instanceStarted` history row). */
  startedBy?: string;
}

/** Filters and page of a definition list (by process id, newest version first). */
export interface DefinitionQuery {
  processId?: string;
  /** Only the latest version of each process (default true). */
  latest?: boolean;
  limit: number;
  cursor?: string;
}

/** Filters and page of an incident list (newest first). */
export interface IncidentQuery {
  state?: IncidentRow['state'];
  instanceId?: string;
  /** Only incidents of instances with a task of one of `agencies`, or of a definition of one of them. */
  visibleTo?: { agencies: string[] };
  limit: number;
  cursor?: string;
}

/**
 * What a form is: a JSON Schema (`json-schema`), or a Camunda form, form-js JSON
 * (`camunda-form`), linked by its `id` (zeebe:formDefinition formId) or embedded in the
 * model (zeebe:userTaskForm, form key `camunda-forms:bpmn:<id>`).
 */
export type FormKind = 'json-schema' | 'camunda-form';

/** A form deployed with a definition. */
export interface FormRecord {
  deploymentId: string;
  formKey: string;
  kind: FormKind;
  schema: Record<string, unknown>;
  schemaHash: string;
  createdAt: number;
}

/** What a stored idempotency key holds: the request's fingerprint and, once done, the answer. */
export interface IdempotencyRecord {
  requestHash: string;
  /** `sealed`: the answer's secret fields, encrypted (see api/src/idempotency.ts); `body` is without them. */
  response?: { status: number; body: unknown; sealed?: string };
}

/** An analyst that the owning agency of a process id lets deploy new versions of it. */
export interface ProcessAnalystGrant {
  processId: string;
  userId: string;
  /** The owning agency that granted it (a grant counts only while it names the owner). */
  agency: string;
  grantedAt: number;
  grantedBy?: string;
}

/** Who holds an idempotency key's reservation, and for how long from now. */
export interface IdempotencyLease {
  /** A token unique to the holding request. */
  owner: string;
  ms: number;
}

/** The API store (see the module comment for its contract). */
export interface ApiStore {
  /** Reaches the database; returns its server version. */
  ping(): Promise<{ serverVersion: string }>;

  deployments(query: { limit: number; cursor?: string }): Promise<Page<DeploymentSummary>>;
  deployment(id: string): Promise<DeploymentSummary | undefined>;

  definitions(query: DefinitionQuery): Promise<Page<DefinitionSummary>>;
  /** One definition with its XML. */
  definition(id: string): Promise<DefinitionRecord | undefined>;

  /** The owner of a process id (the agency that first deployed it), if one is recorded. */
  processOwner(processId: string): Promise<ProcessOwnerRecord | undefined>;
  /** The grants of a process id, by user id. */
  processAnalysts(processId: string): Promise<ProcessAnalystGrant[]>;
  /** Stores a grant; an existing one for the same process id and user is kept and returned. */
  grantProcessAnalyst(grant: ProcessAnalystGrant): Promise<ProcessAnalystGrant>;
  /** Deletes a grant; false when there was none. */
  revokeProcessAnalyst(processId: string, userId: string): Promise<boolean>;
  /** Every grant an analyst holds. */
  analystGrants(userId: string): Promise<ProcessAnalystGrant[]>;

  instances(query: InstanceQuery): Promise<Page<InstanceSummary>>;
  instanceAccess(instanceId: string): Promise<InstanceAccess>;

  incidents(query: IncidentQuery): Promise<Page<IncidentRow>>;
  incident(id: string): Promise<IncidentRow | undefined>;

  /**
   * Stores the forms of a new deployment, inside its deploy transaction (`tx`): a
   * deployment's forms are written once, with it, and never change afterwards.
   */
  saveForms(tx: StoreTransaction, deploymentId: string, forms: Array<{ formKey: string; kind: FormKind; schema: Record<string, unknown>; schemaHash: string }>, now: number): Promise<void>;
  /**
   * The form a task of `definitionId` with `formKey` is served with and validated against:
   * the one deployed with the definition, else (a linked Camunda form, which Camunda
   * resolves by id to its latest version) the latest Camunda form with that id deployed
   * up to the definition, so a running dossier keeps the form it started with.
   */
  formOfDefinition(definitionId: string, formKey: string): Promise<FormRecord | undefined>;
  /**
   * The form {@link formOfDefinition} answered before, if this process remembers it (no I/O):
   * for checks that run inside a command's transaction, where reading through another
   * connection could wait on the very lock the command holds (the embedded database has one).
   */
  rememberedFormOf?(definitionId: string, formKey: string): { form: FormRecord | undefined } | undefined;
  /** The latest deployed Camunda form with `formId` (what a deploy that links it without the file resolves to). */
  latestCamundaForm(formId: string): Promise<FormRecord | undefined>;
  forms(deploymentId: string): Promise<FormRecord[]>;

  /**
   * Reserves a key for one request (held by `lease.owner` for `lease.ms`), or takes over
   * an abandoned reservation of the same request; when the key is held or answered,
   * returns what it holds and how long its lease still runs (ms, 0 when answered).
   */
  reserveIdempotencyKey(
    key: string,
    scope: string,
    requestHash: string,
    now: number,
    lease: IdempotencyLease,
  ): Promise<{ reserved: true } | { reserved: false; record: IdempotencyRecord; leaseLeftMs: number }>;
  /** Extends the lease of a reservation its owner still holds; false when it no longer does. */
  renewIdempotencyKey(key: string, lease: IdempotencyLease): Promise<boolean>;
  /** Stores the answer of the request that holds the key; false when another took it over. */
  saveIdempotentResponse(key: string, owner: string, record: IdempotencyRecord): Promise<boolean>;
  /** Frees a key whose request failed (if `owner` still holds it), so that a retry runs again. */
  releaseIdempotencyKey(key: string, owner: string): Promise<void>;
  /** Deletes keys older than `before` (epoch ms); returns how many. */
  purgeIdempotencyKeys(before: number): Promise<number>;
}

/** Page cursors: the engine's one codec. */
export { decodeCursor, encodeCursor } from '../../../engine/src/index';
