/** The simulation's error: parameters or a model it cannot run, named by field or element. */
import { InvalidInputError } from '../../../engine/src/pure';

/**
 * Parameters refused (the message names the field: `durations.examine.mean must be > 0`),
 * a model element the simulation cannot run (named by id), or a run that left the
 * calendar's covered days. `details.field` or `details.elementId` names the culprit.
 */
export class SimulationInputError extends InvalidInputError {
  constructor(message: string, details: { field?: string; elementId?: string } = {}) {
    super(message, details);
  }
}
