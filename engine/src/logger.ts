/**
 * The logger port: what the engine, its job executor and the layers above need from a logger,
 * so that one logger (pino, made by the composition root) is injected everywhere and the
 * engine itself imports no logging library.
 *
 * ## Contract
 * - pino's calling convention: `logger.error({ err, instanceId }, 'message')` or `logger.info('message')`;
 *   the object's fields become structured fields of the line.
 * - `child(bindings)` gives a logger whose lines all carry `bindings` (component, instance id, task id...).
 * - A logger never throws and never writes to the console on its own.
 */
export interface Logger {
  error(fields: object, message?: string): void;
  error(message: string): void;
  warn(fields: object, message?: string): void;
  warn(message: string): void;
  info(fields: object, message?: string): void;
  info(message: string): void;
  debug(fields: object, message?: string): void;
  debug(message: string): void;
  /** A logger whose every line carries `bindings`. */
  child(bindings: Record<string, unknown>): Logger;
}

/** A logger that drops everything: the default where no logger is injected (tests, tools). */
export const silentLogger: Logger = {
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
  child: () => silentLogger,
};
