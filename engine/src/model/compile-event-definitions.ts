/**
 * Event definitions (`bpmn:messageEventDefinition`, `bpmn:timerEventDefinition`...)
 * into graph `EventDefinition`s, and which kinds are allowed where.
 *
 * One file per concern: this one knows the definitions, `compile-events.ts`
 * knows the events that carry them.
 */
import type { CompileContext } from './compile-context';
import type { EventDefinition, MessageDefinition, TimerDefinition } from './graph';
import { type BpmnElement, bodyOf, describeElement, extensionOf, stringAttribute } from './moddle-element';

/** Every kind of BPMN event definition, including those the engine does not run. */
export type DefinitionKind =
  | 'message' | 'timer' | 'signal' | 'error' | 'escalation' | 'terminate' | 'link'
  | 'conditional' | 'compensation' | 'cancel' | 'unknown';

const KINDS: Record<string, DefinitionKind> = {
  'bpmn:MessageEventDefinition': 'message',
  'bpmn:TimerEventDefinition': 'timer',
  'bpmn:SignalEventDefinition': 'signal',
  'bpmn:ErrorEventDefinition': 'error',
  'bpmn:EscalationEventDefinition': 'escalation',
  'bpmn:TerminateEventDefinition': 'terminate',
  'bpmn:LinkEventDefinition': 'link',
  'bpmn:ConditionalEventDefinition': 'conditional',
  'bpmn:CompensateEventDefinition': 'compensation',
  'bpmn:CancelEventDefinition': 'cancel',
};

/** Kinds the engine never runs, wherever they appear. */
export const UNSUPPORTED_KINDS: ReadonlySet<DefinitionKind> = new Set(['conditional', 'compensation', 'cancel', 'unknown']);

/** The kind of an event definition element. */
export function kindOf(definition: BpmnElement): DefinitionKind {
  return KINDS[definition.$type] ?? 'unknown';
}

/** The event definitions of an event: inline ones and those referenced with `eventDefinitionRef`. */
export function eventDefinitionsOf(event: BpmnElement): BpmnElement[] {
  return [...(event.eventDefinitions ?? []), ...(event.eventDefinitionRef ?? [])];
}

/** How an event uses its definition: to wait for it, or to throw it. */
export type EventRole = 'catch' | 'throw';

/** Options of {@link compileEventDefinition}. */
export interface DefinitionOptions {
  role: EventRole;
  /** Message catches need a correlation key except on the start events of a process. */
  needsCorrelationKey?: boolean;
  /** Which timer types are allowed here, and why, when restricted. */
  timerTypes?: { allowed: readonly TimerDefinition['timerType'][]; where: string };
}

/**
 * Compiles one supported event definition; reports what is missing (message
 * name, signal name, error code on a throw...). Returns undefined after
 * reporting when the definition cannot be compiled.
 */
export function compileEventDefinition(
  ctx: CompileContext,
  event: BpmnElement,
  definition: BpmnElement,
  options: DefinitionOptions,
): EventDefinition | undefined {
  const eventId = event.id!;
  switch (kindOf(definition)) {
    case 'message':
      return options.role === 'throw'
        ? { kind: 'message', messageName: stringAttribute(definition.messageRef, 'name') ?? '' }
        : compileMessageCatch(ctx, event, definition.messageRef, options.needsCorrelationKey ?? true);
    case 'timer':
      return compileTimer(ctx, event, definition, options.timerTypes);
    case 'signal': {
      const signal = definition.signalRef;
      const signalName = stringAttribute(signal, 'name');
      if (!signal) {
        ctx.report(eventId, `${describeElement(event)} has no signal (signalRef${missing(ctx, definition, 'signalRef')})`);
        return undefined;
      }
      if (signalName === undefined) {
        ctx.report(eventId, `signal '${signal.id}' of ${describeElement(event)} has no name`);
        return undefined;
      }
      return { kind: 'signal', signalName };
    }
    case 'error': {
      const error = definition.errorRef;
      const errorCode = stringAttribute(error, 'errorCode');
      if (options.role === 'throw') {
        if (!error) {
          ctx.report(eventId, `${describeElement(event)} has no error (errorRef${missing(ctx, definition, 'errorRef')}): an error end event must name the error it throws`);
          return undefined;
        }
        if (errorCode === undefined) {
          ctx.report(eventId, `error '${error.id}' thrown by ${describeElement(event)} has no errorCode`);
          return undefined;
        }
      }
      return errorCode === undefined ? { kind: 'error' } : { kind: 'error', errorCode };
    }
    case 'escalation': {
      const escalation = definition.escalationRef;
      const escalationCode = stringAttribute(escalation, 'escalationCode');
      if (options.role === 'throw') {
        if (!escalation) {
          ctx.report(eventId, `${describeElement(event)} has no escalation (escalationRef${missing(ctx, definition, 'escalationRef')}): an escalation throw event must name the escalation it throws`);
          return undefined;
        }
        if (escalationCode === undefined) {
          ctx.report(eventId, `escalation '${escalation.id}' thrown by ${describeElement(event)} has no escalationCode`);
          return undefined;
        }
      }
      return escalationCode === undefined ? { kind: 'escalation' } : { kind: 'escalation', escalationCode };
    }
    case 'terminate':
      return { kind: 'terminate' };
    case 'link': {
      const linkName = stringAttribute(definition, 'name');
      if (linkName === undefined) {
        ctx.report(eventId, `${describeElement(event)} has a link event definition without a name`);
        return undefined;
      }
      return { kind: 'link', linkName };
    }
    default:
      ctx.report(eventId, `${describeElement(event)}: ${kindOf(definition)} event definitions are not supported`);
      return undefined;
  }
}

/** The message a catch (event or receive task) waits for: name and, unless a process start, correlation key. */
export function compileMessageCatch(
  ctx: CompileContext,
  element: BpmnElement,
  message: BpmnElement | undefined,
  needsCorrelationKey: boolean,
): MessageDefinition | undefined {
  const elementId = element.id!;
  if (!message) {
    const holder = element.$type === 'bpmn:ReceiveTask' ? element : (element.eventDefinitions ?? [])[0] ?? element;
    ctx.report(elementId, `${describeElement(element)} has no message (messageRef${missing(ctx, holder, 'messageRef')})`);
    return undefined;
  }
  const messageName = stringAttribute(message, 'name');
  if (messageName === undefined) {
    ctx.report(elementId, `message '${message.id}' of ${describeElement(element)} has no name`);
    return undefined;
  }
  if (!needsCorrelationKey) return { kind: 'message', messageName };
  const correlationKey = stringAttribute(extensionOf(message, 'zeebe:Subscription'), 'correlationKey');
  if (correlationKey === undefined) {
    ctx.report(elementId, `message '${message.id}' of ${describeElement(element)} has no correlation key (zeebe:subscription correlationKey)`);
    return undefined;
  }
  return { kind: 'message', messageName, correlationKey };
}

function compileTimer(
  ctx: CompileContext,
  event: BpmnElement,
  definition: BpmnElement,
  restriction: DefinitionOptions['timerTypes'],
): TimerDefinition | undefined {
  const present = (
    [
      ['date', bodyOf(definition.timeDate)],
      ['duration', bodyOf(definition.timeDuration)],
      ['cycle', bodyOf(definition.timeCycle)],
    ] as const
  ).filter((entry): entry is readonly [TimerDefinition['timerType'], string] => entry[1] !== undefined);
  if (present.length === 0) {
    const empty = (['timeDate', 'timeDuration', 'timeCycle'] as const).filter((name) => definition[name] !== undefined);
    const detail = empty.length > 0 ? ` with a value (its ${empty.join(', ')} is empty)` : '';
    ctx.report(event.id!, `timer ${describeElement(event)} has none of timeDate, timeDuration, timeCycle${detail}`);
    return undefined;
  }
  if (present.length > 1) {
    ctx.report(event.id!, `timer ${describeElement(event)} has more than one of timeDate, timeDuration, timeCycle`);
    return undefined;
  }
  const [timerType, expression] = present[0];
  if (restriction && !restriction.allowed.includes(timerType)) {
    ctx.report(
      event.id!,
      `${describeElement(event)}: a time ${timerType} is not allowed on ${restriction.where} (allowed: time ${restriction.allowed.join(', time ')})`,
    );
    return undefined;
  }
  return { kind: 'timer', timerType, expression };
}

function missing(ctx: CompileContext, element: BpmnElement, property: string): string {
  const id = ctx.unresolvedReference(element, property);
  return id === undefined ? ' is missing' : ` '${id}' does not exist`;
}
