/**
 * Sequelize models of the engine's tables (created by migration 0001).
 *
 * Models are defined per Sequelize instance (`sequelize.define`, not classes, so several
 * Databases can live in one process, as in the tests). They never leave
 * `store-sequelize/`: repositories turn rows into plain objects (`row.get({ plain: true })`
 * or `raw: true`). Attributes are camelCase; `underscored` maps them to the snake_case
 * columns. No sequelize timestamps: every time column is written by the engine.
 *
 * Types: `timestamptz` -> Date, `jsonb` -> parsed JSON, `text[]` -> string[], `bigserial`
 * (history.id) -> string (pg returns int8 as text to keep it exact).
 */
import { DataTypes, type Model, type ModelAttributes, type ModelStatic, type Optional, type Sequelize } from 'sequelize';

/** A JSON value as stored in a jsonb column. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Row of `deployments`: one upload of one or more BPMN resources. */
export interface DeploymentRow {
  id: string;
  name: string | null;
  resourceName: string | null;
  createdAt: Date;
  createdBy: string | null;
}

/** Row of `definitions`: one immutable version of one process. */
export interface DefinitionRow {
  id: string;
  processId: string;
  version: number;
  versionTag: string | null;
  name: string | null;
  deploymentId: string;
  xml: string;
  xmlHash: string;
  facts: JsonValue | null;
  createdAt: Date;
}

/** Row of `instances`: one running or ended process instance (one dossier). */
export interface InstanceRow {
  id: string;
  definitionId: string;
  processId: string;
  businessKey: string | null;
  status: string;
  state: JsonValue;
  parentInstanceId: string | null;
  parentWaitId: string | null;
  revision: number;
  startedAt: Date;
  endedAt: Date | null;
  updatedAt: Date;
}

/** State of a user task. */
export type TaskState = 'open' | 'completed' | 'cancelled';

/** Row of `tasks`: a user task in the officials' inboxes. */
export interface TaskRow {
  id: string;
  instanceId: string;
  definitionId: string;
  processId: string;
  elementId: string;
  elementInstanceKey: number | null;
  name: string | null;
  assignee: string | null;
  candidateGroups: string[];
  candidateUsers: string[];
  agency: string | null;
  state: TaskState;
  dueAt: Date | null;
  followUpAt: Date | null;
  formKey: string | null;
  facts: JsonValue | null;
  createdAt: Date;
  completedAt: Date | null;
  completedBy: string | null;
}

/** What a job stands for. */
export type JobKind = 'task' | 'timer' | 'start-timer' | 'signal' | 'continuation';

/** Row of `jobs`: a service task job or a timer, claimed by the job executor. */
export interface JobRow {
  id: string;
  instanceId: string | null;
  definitionId: string | null;
  elementId: string;
  elementInstanceKey: number | null;
  kind: JobKind;
  jobType: string;
  retries: number;
  dueAt: Date;
  lockOwner: string | null;
  lockExpiresAt: Date | null;
  errorMessage: string | null;
  headers: JsonValue;
  variables: JsonValue;
  payload: JsonValue | null;
  createdAt: Date;
}

/** Row of `message_subscriptions` (instance null: a message start event). */
export interface MessageSubscriptionRow {
  id: string;
  instanceId: string | null;
  definitionId: string;
  elementId: string;
  messageName: string;
  correlationKey: string | null;
  createdAt: Date;
}

/** Row of `signal_subscriptions` (instance null: a signal start event). */
export interface SignalSubscriptionRow {
  id: string;
  instanceId: string | null;
  definitionId: string;
  elementId: string;
  signalName: string;
  createdAt: Date;
}

/** Row of `buffered_messages`: a message published before anyone waited for it. */
export interface BufferedMessageRow {
  id: string;
  messageName: string;
  correlationKey: string | null;
  variables: JsonValue;
  messageId: string | null;
  expiresAt: Date;
  createdAt: Date;
}

/** State of an incident. */
export type IncidentState = 'open' | 'resolved';

/** Row of `incidents`: something an operator must look at (retries exhausted, bad expression...). */
export interface IncidentRow {
  id: string;
  instanceId: string | null;
  elementId: string | null;
  elementInstanceKey: number | null;
  kind: string;
  message: string | null;
  jobId: string | null;
  state: IncidentState;
  createdAt: Date;
  resolvedAt: Date | null;
}

/** Row of `history`: a run of audit events of one instance, in order (append-only; migration 0006). */
export interface HistoryRow {
  /** bigserial, as a string. */
  id: string;
  instanceId: string;
  at: Date;
  actor: string | null;
  /** Type and element of the first event. */
  type: string;
  elementId: string | null;
  /** The events: `{ type, ...data }` each. */
  events: JsonValue[];
  /** Some event is one the live inboxes hear about (`history_push_idx`). */
  push: boolean;
}

/** Row of `idempotency_keys`: the stored answer to an API request with an Idempotency-Key. */
export interface IdempotencyKeyRow {
  key: string;
  scope: string | null;
  response: JsonValue | null;
  createdAt: Date;
}

/** Attributes that may be left out on create: nullable columns and columns with a database default. */
type Creation<Row, Keys extends keyof Row> = Optional<Row, Keys>;
type NullableKeys<Row> = { [K in keyof Row]-?: null extends Row[K] ? K : never }[keyof Row];

/** Models returned by {@link defineModels}, one per table. */
export interface Models {
  Deployment: ModelStatic<Model<DeploymentRow, Creation<DeploymentRow, NullableKeys<DeploymentRow> | 'createdAt'>>>;
  Definition: ModelStatic<Model<DefinitionRow, Creation<DefinitionRow, NullableKeys<DefinitionRow> | 'createdAt'>>>;
  Instance: ModelStatic<Model<InstanceRow, Creation<InstanceRow, NullableKeys<InstanceRow> | 'revision'>>>;
  Task: ModelStatic<Model<TaskRow, Creation<TaskRow, NullableKeys<TaskRow> | 'candidateGroups' | 'candidateUsers'>>>;
  Job: ModelStatic<Model<JobRow, Creation<JobRow, NullableKeys<JobRow> | 'headers' | 'variables'>>>;
  MessageSubscription: ModelStatic<
    Model<MessageSubscriptionRow, Creation<MessageSubscriptionRow, NullableKeys<MessageSubscriptionRow> | 'createdAt'>>
  >;
  SignalSubscription: ModelStatic<
    Model<SignalSubscriptionRow, Creation<SignalSubscriptionRow, NullableKeys<SignalSubscriptionRow> | 'createdAt'>>
  >;
  BufferedMessage: ModelStatic<
    Model<BufferedMessageRow, Creation<BufferedMessageRow, NullableKeys<BufferedMessageRow> | 'variables' | 'createdAt'>>
  >;
  Incident: ModelStatic<Model<IncidentRow, Creation<IncidentRow, NullableKeys<IncidentRow> | 'state' | 'createdAt'>>>;
  History: ModelStatic<Model<HistoryRow, Creation<HistoryRow, NullableKeys<HistoryRow> | 'id' | 'push'>>>;
  IdempotencyKey: ModelStatic<Model<IdempotencyKeyRow, Creation<IdempotencyKeyRow, NullableKeys<IdempotencyKeyRow> | 'createdAt'>>>;
}

// Factories, not shared objects: sequelize writes into attribute definitions (their
// `field`, for one), so one object used for two columns maps both to the same column.
const text = (allowNull = true) => ({ type: DataTypes.TEXT, allowNull });
const id = () => ({ type: DataTypes.TEXT, primaryKey: true, allowNull: false });
const int = (allowNull = true) => ({ type: DataTypes.INTEGER, allowNull });
const time = (allowNull = true) => ({ type: DataTypes.DATE, allowNull });
const json = (allowNull = true) => ({ type: DataTypes.JSONB, allowNull });
const textArray = () => ({ type: DataTypes.ARRAY(DataTypes.TEXT), allowNull: false, defaultValue: [] });
/** A NOT NULL time column that may be left out on create: sequelize then writes the current time. */
const createdAtDefault = () => ({ type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW });

function define<M extends Model>(sequelize: Sequelize, modelName: string, tableName: string, attributes: ModelAttributes<M>) {
  return sequelize.define<M>(modelName, attributes, {
    tableName,
    underscored: true,
    timestamps: false,
    freezeTableName: true,
  }) as ModelStatic<M>;
}

/**
 * Defines the engine's models on `sequelize` and returns them.
 *
 * Call once per Database (repositories receive the result). The tables themselves
 * come from the migrations, never from `sync()`.
 */
export function defineModels(sequelize: Sequelize): Models {
  return {
    Deployment: define(sequelize, 'Deployment', 'deployments', {
      id: id(),
      name: text(),
      resourceName: text(),
      createdAt: createdAtDefault(),
      createdBy: text(),
    }),
    Definition: define(sequelize, 'Definition', 'definitions', {
      id: id(),
      processId: text(false),
      version: int(false),
      versionTag: text(),
      name: text(),
      deploymentId: text(false),
      xml: text(false),
      xmlHash: text(false),
      facts: json(),
      createdAt: createdAtDefault(),
    }),
    Instance: define(sequelize, 'Instance', 'instances', {
      id: id(),
      definitionId: text(false),
      processId: text(false),
      businessKey: text(),
      status: text(false),
      state: { type: DataTypes.JSON, allowNull: false }, // json, not jsonb: migration 0008
      parentInstanceId: text(),
      parentWaitId: text(),
      revision: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      startedAt: time(false),
      endedAt: time(),
      updatedAt: time(false),
    }),
    Task: define(sequelize, 'Task', 'tasks', {
      id: id(),
      instanceId: text(false),
      definitionId: text(false),
      processId: text(false),
      elementId: text(false),
      elementInstanceKey: int(),
      name: text(),
      assignee: text(),
      candidateGroups: textArray(),
      candidateUsers: textArray(),
      agency: text(),
      state: { type: DataTypes.TEXT, allowNull: false, validate: { isIn: [['open', 'completed', 'cancelled']] } },
      dueAt: time(),
      followUpAt: time(),
      formKey: text(),
      facts: json(),
      createdAt: time(false),
      completedAt: time(),
      completedBy: text(),
    }),
    Job: define(sequelize, 'Job', 'jobs', {
      id: id(),
      instanceId: text(),
      definitionId: text(),
      elementId: text(false),
      elementInstanceKey: int(),
      kind: { type: DataTypes.TEXT, allowNull: false, validate: { isIn: [['task', 'timer', 'start-timer', 'signal', 'continuation']] } },
      jobType: text(false),
      retries: int(false),
      dueAt: time(false),
      lockOwner: text(),
      lockExpiresAt: time(),
      errorMessage: text(),
      headers: { type: DataTypes.JSONB, allowNull: false, defaultValue: {} },
      variables: { type: DataTypes.JSONB, allowNull: false, defaultValue: {} },
      payload: json(),
      createdAt: time(false),
    }),
    MessageSubscription: define(sequelize, 'MessageSubscription', 'message_subscriptions', {
      id: id(),
      instanceId: text(),
      definitionId: text(false),
      elementId: text(false),
      messageName: text(false),
      correlationKey: text(),
      createdAt: createdAtDefault(),
    }),
    SignalSubscription: define(sequelize, 'SignalSubscription', 'signal_subscriptions', {
      id: id(),
      instanceId: text(),
      definitionId: text(false),
      elementId: text(false),
      signalName: text(false),
      createdAt: createdAtDefault(),
    }),
    BufferedMessage: define(sequelize, 'BufferedMessage', 'buffered_messages', {
      id: id(),
      messageName: text(false),
      correlationKey: text(),
      variables: { type: DataTypes.JSONB, allowNull: false, defaultValue: {} },
      messageId: { type: DataTypes.TEXT, allowNull: true, unique: true },
      expiresAt: time(false),
      createdAt: createdAtDefault(),
    }),
    Incident: define(sequelize, 'Incident', 'incidents', {
      id: id(),
      instanceId: text(),
      elementId: text(),
      elementInstanceKey: int(),
      kind: text(false),
      message: text(),
      jobId: text(),
      state: { type: DataTypes.TEXT, allowNull: false, defaultValue: 'open', validate: { isIn: [['open', 'resolved']] } },
      createdAt: createdAtDefault(),
      resolvedAt: time(),
    }),
    History: define(sequelize, 'History', 'history', {
      id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
      instanceId: text(false),
      at: time(false),
      actor: text(),
      type: text(false),
      elementId: text(),
      events: { type: DataTypes.JSON, allowNull: false },
      push: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    }),
    IdempotencyKey: define(sequelize, 'IdempotencyKey', 'idempotency_keys', {
      key: { type: DataTypes.TEXT, primaryKey: true, allowNull: false },
      scope: text(),
      response: json(),
      createdAt: createdAtDefault(),
    }),
  };
}
