/**
 * The executor's log lines about one command carry the command's kind, its instance and,
 * where the command names one, its task or job: a child of the engine's logger with those
 * bindings. Built only when a line is written (the path of a command that logs nothing
 * allocates nothing for logging).
 */
import type { Logger } from '../logger';

/** What a log line can say about the command it is about. */
export interface LoggedCommand {
  type: string;
  taskId?: string;
  jobId?: string;
}

/** A child of `logger` carrying the command's kind, instance and task or job id. */
export function commandLogger(logger: Logger, command: LoggedCommand | undefined, instanceId: string | undefined): Logger {
  const bindings: Record<string, unknown> = {};
  if (command) bindings.command = command.type;
  if (instanceId !== undefined) bindings.instanceId = instanceId;
  if (typeof command?.taskId === 'string') bindings.taskId = command.taskId;
  if (typeof command?.jobId === 'string') bindings.jobId = command.jobId;
  return logger.child(bindings);
}
