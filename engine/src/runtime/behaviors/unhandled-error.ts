/**
 * A BPMN error that nothing in this instance catches: in a child of a call
 * activity it escapes to the parent (the child ends `terminated`); at the top
 * it becomes an incident on the element that threw, as in Zeebe.
 */
import type { Execution } from '../execution';
import type { ElementInstance, Variables } from '../state';
import { ROOT } from '../state';

/** Handles an uncaught error thrown at `element`. */
export function unhandledError(execution: Execution, element: ElementInstance, code: string, message: string, variables: Variables | undefined): void {
  if (execution.state.parent) {
    execution.emit({ type: 'errorEscaped', errorCode: code, errorMessage: message, variables: variables ?? {} });
    execution.terminate(ROOT);
    execution.state.status = 'terminated';
    execution.state.endedAt = execution.now;
    execution.emit({ type: 'instanceEnded', status: 'terminated', variables: { ...(execution.state.elements[ROOT].vars ?? {}) } });
    return;
  }
  execution.closeWaits(element);
  execution.raiseIncident(element, 'unhandledError', 'unhandledError', message, { op: 'enter', key: element.key });
}
