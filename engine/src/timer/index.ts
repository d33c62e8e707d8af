/**
 * Timers: parsing BPMN timeDate / timeDuration / timeCycle texts and computing due times.
 *
 * Pure functions of epoch milliseconds; the engine passes "now" in.
 */
export { addDuration, firstDue, nextDue, parseTimer, shortestIntervalMs, TimerError } from './iso8601';
export type { ParsedTimer } from './iso8601';
export { DEFAULT_TIME_ZONE } from './zone';
