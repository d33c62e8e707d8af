/**
 * Boundary events of an activity that reached a wait state: timer, message and
 * signal boundaries open their waits now (error and escalation boundaries are
 * found by propagation when something is thrown, and need no wait).
 */
import type { Execution } from '../execution';
import { openEventWait } from '../event-definitions/waits';
import type { ElementInstance } from '../state';

/** Opens the waits of the waitable boundary events attached to the element's activity. */
export function openBoundaryWaits(execution: Execution, element: ElementInstance): void {
  if (element.loopIndex !== undefined) return; // boundaries belong to the multi-instance body
  const node = execution.node(element.elementId);
  for (const boundaryId of node.boundaryEvents) {
    const boundary = execution.node(boundaryId);
    if (boundary.type !== 'boundaryEvent') continue;
    const definition = boundary.eventDefinition;
    if (definition.kind === 'timer' || definition.kind === 'message' || definition.kind === 'signal') {
      openEventWait(execution, element, boundaryId, definition);
    }
  }
}

/** Opens the waits of timer, message and signal starts of the event sub-processes of a scope. */
export function openEventSubProcessWaits(execution: Execution, scope: ElementInstance, scopeId: string): void {
  const info = execution.graph.scopes[scopeId];
  if (!info) return;
  for (const subProcessId of info.eventSubProcesses) {
    const startId = execution.graph.scopes[subProcessId]?.children.find((id) => execution.graph.nodes[id].type === 'startEvent');
    if (!startId) continue;
    const start = execution.node(startId);
    if (start.type !== 'startEvent' || !start.eventDefinition) continue;
    const definition = start.eventDefinition;
    if (definition.kind === 'timer' || definition.kind === 'message' || definition.kind === 'signal') {
      openEventWait(execution, scope, startId, definition);
    }
  }
}
