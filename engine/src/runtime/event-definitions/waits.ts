/**
 * Opening waits for timer, message and signal event definitions. Shared by
 * intermediate catch events, boundary events, event sub-process starts,
 * receive tasks and the targets of event-based gateways (one file per event
 * definition kind would be three near-copies; the differences are small).
 */
import { ExpressionError, evaluateString } from '../../expressions';
import type { MessageDefinition, SignalDefinition, TimerDefinition } from '../../model/graph';
import { LIMIT_SETTINGS, LimitExceededError, formatMs } from '../../limits';
import { TimerError, firstDue, nextDue, parseTimer, shortestIntervalMs, type ParsedTimer } from '../../timer';
import type { Execution } from '../execution';
import type { ElementInstance, Wait } from '../state';
import { visibleVariables } from '../variables';
import { agencyOf, statutoryTimerDueAt, withWorkingTime } from '../working-time';
import { userTaskDueAt } from '../behaviors/task-due';

export type WaitableDefinition = TimerDefinition | MessageDefinition | SignalDefinition;

/**
 * Opens the wait for one event definition, owned by `owner`, triggering
 * `elementId` (the catch event, boundary event, start event or gateway target).
 * Throws ExpressionError/TimerError for the caller to turn into an incident.
 */
export function openEventWait(execution: Execution, owner: ElementInstance, elementId: string, definition: WaitableDefinition): Wait {
  const context = visibleVariables(execution.state, owner.key);
  const id = execution.nextId();
  let wait: Wait;
  switch (definition.kind) {
    case 'timer': {
      // A statutory time in the event's motcua:facts counts in working time; the timer's
      // own expression (the Camunda 8 fallback) is still evaluated and checked.
      const node = execution.node(elementId);
      const text = evaluateString(definition.expression, withWorkingTime(definition.expression, context, execution.options, agencyOf(execution.graph, node), execution.now));
      const timer = parseTimer(definition.timerType, text);
      checkCycleInterval(timer, elementId, execution.limits.minTimerCycleMs);
      const statutory = timer.kind === 'cycle' ? undefined : statutoryTimerDueAt(execution.graph, node, execution.options, execution.now, () => attachedTaskDueAt(execution, owner));
      const dueAt = statutory ?? firstDue(timer, execution.now);
      wait = { id, kind: 'timer', owner: owner.key, elementId, dueAt };
      if (timer.kind === 'cycle') {
        wait.interval = timer.interval;
        wait.repetitions = timer.repetitions === null ? -1 : timer.repetitions - 1;
      }
      execution.emit({ type: 'timerScheduled', timer: { id, elementId, elementInstanceKey: owner.key, dueAt } });
      break;
    }
    case 'message': {
      const messageName = evaluateString(definition.messageName, context);
      if (!definition.correlationKey) throw new ExpressionError('', `message '${messageName}' has no correlation key`, 'modelGap');
      const correlationKey = evaluateString(definition.correlationKey, context);
      wait = { id, kind: 'message', owner: owner.key, elementId, messageName, correlationKey };
      execution.emit({ type: 'messageSubscribed', subscription: { id, elementId, elementInstanceKey: owner.key, messageName, correlationKey } });
      break;
    }
    case 'signal': {
      const signalName = evaluateString(definition.signalName, context);
      wait = { id, kind: 'signal', owner: owner.key, elementId, signalName };
      execution.emit({ type: 'signalSubscribed', subscription: { id, elementId, elementInstanceKey: owner.key, signalName } });
      break;
    }
  }
  execution.openWait(owner, wait);
  return wait;
}

/** The due date of the user task that owns a boundary timer (undefined for any other owner). */
function attachedTaskDueAt(execution: Execution, owner: ElementInstance): number | undefined {
  const node = execution.node(owner.elementId);
  if (node.type !== 'userTask') return undefined;
  return userTaskDueAt(execution, node, visibleVariables(execution.state, owner.key));
}

/**
 * Refuses a cycle that would fire more often than `minMs` allows (a cycle
 * computed by FEEL at run time; static ones were refused at deploy). A cycle
 * of one repetition never repeats, so it passes.
 */
export function checkCycleInterval(timer: ParsedTimer, elementId: string, minMs: number): void {
  if (timer.kind !== 'cycle' || timer.repetitions === 1 || minMs <= 0) return;
  const gap = shortestIntervalMs(timer.interval);
  if (gap >= minMs) return;
  throw new LimitExceededError(
    'minTimerCycleMs',
    `the timer cycle '${timer.interval}' of '${elementId}' fires every ${formatMs(gap)}, more often than the minimum interval of ${formatMs(minMs)} (${LIMIT_SETTINGS.minTimerCycleMs})`,
  );
}

/**
 * After a repeating timer fired without ending its owner (non-interrupting
 * boundary or event sub-process): schedule the next repetition, if any.
 */
export function rearmTimer(execution: Execution, fired: Extract<Wait, { kind: 'timer' }>): void {
  if (!fired.interval || fired.repetitions === undefined || fired.repetitions === 0) return;
  const owner = execution.state.elements[fired.owner];
  if (!owner) return;
  const id = execution.nextId();
  // A cycle opened before the minimum existed (or was raised) fires no more often than the minimum now.
  const dueAt = Math.max(nextDue(fired.interval, fired.dueAt), fired.dueAt + execution.limits.minTimerCycleMs);
  const repetitions = fired.repetitions < 0 ? -1 : fired.repetitions - 1;
  const wait: Wait = { id, kind: 'timer', owner: owner.key, elementId: fired.elementId, dueAt, interval: fired.interval, repetitions };
  execution.emit({ type: 'timerScheduled', timer: { id, elementId: fired.elementId, elementInstanceKey: owner.key, dueAt } });
  execution.openWait(owner, wait);
}

/**
 * After a non-interrupting boundary event or event sub-process start fired:
 * keep listening, as Zeebe does. A timer cycle schedules its next repetition
 * (if any); a message or signal subscription is opened again under a new id
 * (the fired one was consumed, and the shell dropped it on `messageReceived`).
 */
export function reopenWait(execution: Execution, fired: Wait): void {
  switch (fired.kind) {
    case 'timer':
      return rearmTimer(execution, fired);
    case 'message':
    case 'signal': {
      const owner = execution.state.elements[fired.owner];
      if (!owner) return;
      const id = execution.nextId();
      const { elementId } = fired;
      if (fired.kind === 'message') {
        const { messageName, correlationKey } = fired;
        execution.openWait(owner, { id, kind: 'message', owner: owner.key, elementId, messageName, correlationKey });
        execution.emit({ type: 'messageSubscribed', subscription: { id, elementId, elementInstanceKey: owner.key, messageName, correlationKey } });
      } else {
        const { signalName } = fired;
        execution.openWait(owner, { id, kind: 'signal', owner: owner.key, elementId, signalName });
        execution.emit({ type: 'signalSubscribed', subscription: { id, elementId, elementInstanceKey: owner.key, signalName } });
      }
      return;
    }
    default:
      return;
  }
}

/** True when the error is a modelling/data problem that should become an incident, not a crash. */
export function isIncidentCause(error: unknown): error is ExpressionError | TimerError | LimitExceededError {
  return error instanceof ExpressionError || error instanceof TimerError || error instanceof LimitExceededError;
}
