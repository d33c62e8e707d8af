/** The calendar's two errors: a definition that cannot be built, and a computation that leaves the covered days. */
import { MotcuaError } from '../errors';

/** A calendar definition was refused; `details.field` names the field (e.g. `exceptions[3].hours[0].end`). */
export class CalendarDefinitionError extends MotcuaError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('CALENDAR_DEFINITION_INVALID', message, details);
  }
}

/**
 * A computation needed a day the calendar does not cover (or a bad argument: a
 * negative amount, an unknown unit). Thrown rather than guessed, because a
 * deadline computed past the known holidays would be silently wrong.
 */
export class CalendarRangeError extends MotcuaError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('CALENDAR_RANGE', message, details);
  }
}

/** A bad argument to a calendar function (unknown unit, negative or non-finite amount, bad cut-off). */
export class CalendarArgumentError extends MotcuaError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('INVALID_INPUT', message, details);
  }
}
