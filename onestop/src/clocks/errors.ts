/** The error of the clocks' data: a year file or the settings file that cannot be used. */

/**
 * Calendar data or legal settings refused at load; the message names the file and
 * the field (`vn-2026.json: /holidays/3/date must match format "date"`), and
 * `details` carries both for callers.
 */
export class ClockDataError extends Error {
  /** Stable machine-readable code. */
  readonly code = 'CLOCK_DATA_INVALID';
  readonly details: { file?: string; field?: string };

  constructor(message: string, details: { file?: string; field?: string } = {}) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}
