/**
 * The engine's error hierarchy: each class has a stable `code` that the API
 * maps to an HTTP status and clients can switch on. Deploy problems, BPMN
 * errors and technical failures are *not* errors of this kind: they are
 * data (problems), process flow (error events) and incidents.
 */
import type { Problem } from './model/graph';

/** Base class of every error the engine raises on purpose. */
export class MotcuaError extends Error {
  /** Stable machine-readable code, e.g. `NOT_FOUND`. */
  readonly code: string;
  /** Extra facts for the caller (ids, field names); never secrets. */
  readonly details: Record<string, unknown>;

  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

/** The thing a command names does not exist (an instance, a task, a job, a definition). */
export class NotFoundError extends MotcuaError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('NOT_FOUND', message, details);
  }
}

/**
 * The command lost a race or no longer applies: the task was completed by
 * someone else, the instance has ended. Retrying the same command will not help.
 */
export class ConflictError extends MotcuaError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('CONFLICT', message, details);
  }
}

/** The input is wrong: bad variables, bad arguments. `details.field` names the culprit when known. */
export class InvalidInputError extends MotcuaError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('INVALID_INPUT', message, details);
  }
}

/** A BPMN document was refused at deploy: every problem is listed, nothing was stored. */
export class DeploymentRejectedError extends MotcuaError {
  readonly problems: Problem[];

  constructor(message: string, problems: Problem[]) {
    super('DEPLOYMENT_REJECTED', message, { problems });
    this.problems = problems;
  }
}

/** The XML itself could not be read (empty, too large, malformed, not BPMN, DOCTYPE). */
export class ModelParseError extends MotcuaError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('MODEL_PARSE_ERROR', message, details);
  }
}

/** A message was published that nothing waits for (and buffering was not asked). */
export class MessageNotCorrelatedError extends MotcuaError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('MESSAGE_NOT_CORRELATED', message, details);
  }
}

/** The runtime met a state it must never be in. A bug: reported as a 5xx. */
export class InvariantError extends MotcuaError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('INVARIANT', message, details);
  }
}

/**
 * The database asked for the transaction to be run again: a deadlock between instances
 * (parent ↔ child), a serialization failure, or a prepared statement lost when the embedded
 * database's one session was shared. Raised by the store adapter (the only code that knows
 * SQLSTATEs); the command executor runs the command again, a few times, before giving up.
 */
export class RetryableStoreError extends MotcuaError {
  constructor(message: string, options: { cause?: unknown; sqlState?: string } = {}) {
    super('RETRYABLE', message, options.sqlState ? { sqlState: options.sqlState } : {});
    if (options.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}
