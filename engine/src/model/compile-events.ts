/**
 * Start, end, intermediate and boundary events: which event definitions each
 * position allows, and the node each becomes.
 *
 * What runs where (as in Camunda 8, minus compensation and conditions):
 *
 * | position                     | allowed event definitions                          |
 * |------------------------------|----------------------------------------------------|
 * | start of a process           | none, message, timer (date, cycle), signal         |
 * | start of an event sub-process| message, timer, signal, error, escalation          |
 * | start of an embedded sub-process | none                                           |
 * | end                          | none, terminate, error, escalation, message (job), signal |
 * | intermediate catch           | message, timer (date, duration), signal, link      |
 * | intermediate throw           | none, message (job), signal, escalation, link      |
 * | boundary                     | message, timer, signal, error, escalation          |
 */
import type { CompileContext } from './compile-context';
import {
  type DefinitionKind,
  type DefinitionOptions,
  UNSUPPORTED_KINDS,
  compileEventDefinition,
  eventDefinitionsOf,
  kindOf,
} from './compile-event-definitions';
import { compileJob } from './compile-extensions';
import { nodeBase, standIn } from './compile-node-base';
import type {
  BoundaryEventNode,
  EndEventNode,
  EventDefinition,
  FlowNode,
  IntermediateCatchEventNode,
  IntermediateThrowEventNode,
  StartEventNode,
} from './graph';
import { type BpmnElement, article, describeElement } from './moddle-element';

/** Where a start event sits: it decides which start events are allowed. */
export type StartPosition = 'process' | 'subProcess' | 'eventSubProcess';

interface Position {
  /** Allowed kinds; `none` for an event without definition. */
  allowed: readonly (DefinitionKind | 'none')[];
  /** "a start event of a process", for problems. */
  where: string;
}

const POSITIONS = {
  processStart: { allowed: ['none', 'message', 'timer', 'signal'], where: 'the start event of a process' },
  eventSubProcessStart: {
    allowed: ['message', 'timer', 'signal', 'error', 'escalation'],
    where: 'the start event of an event sub-process',
  },
  subProcessStart: { allowed: ['none'], where: 'the start event of an embedded sub-process (not an event sub-process)' },
  end: { allowed: ['none', 'terminate', 'error', 'escalation', 'message', 'signal'], where: 'an end event' },
  intermediateCatch: { allowed: ['message', 'timer', 'signal', 'link'], where: 'an intermediate catch event' },
  intermediateThrow: { allowed: ['none', 'message', 'signal', 'escalation', 'link'], where: 'an intermediate throw event' },
  boundary: { allowed: ['message', 'timer', 'signal', 'error', 'escalation'], where: 'a boundary event' },
} satisfies Record<string, Position>;

/**
 * The single event definition of an event, checked against its position.
 * `undefined` definition means a none event (when allowed); `false` means a
 * problem was reported and the event becomes a stand-in.
 */
function definitionAt(
  ctx: CompileContext,
  event: BpmnElement,
  position: Position,
  options: DefinitionOptions,
): EventDefinition | undefined | false {
  const definitions = eventDefinitionsOf(event);
  if (definitions.length > 1) {
    const kinds = definitions.map(kindOf).join(', ');
    ctx.report(event.id!, `${describeElement(event)} has ${definitions.length} event definitions (${kinds}): multiple events on one event are not supported`);
    return false;
  }
  const kind = definitions.length === 0 ? 'none' : kindOf(definitions[0]);
  if (kind !== 'none' && UNSUPPORTED_KINDS.has(kind)) {
    const name = kind === 'unknown' ? definitions[0].$type : `${kind} events`;
    ctx.report(event.id!, `${describeElement(event)}: ${name} are not supported`);
    return false;
  }
  if (!position.allowed.includes(kind)) {
    const label = kind === 'none' ? 'an event definition is required' : `${article(kind)} event definition is not allowed`;
    ctx.report(event.id!, `${describeElement(event)}: ${label} on ${position.where} (allowed: ${position.allowed.join(', ')})`);
    return false;
  }
  if (kind === 'none') return undefined;
  return compileEventDefinition(ctx, event, definitions[0], options) ?? false;
}

/** A start event of a process, an embedded sub-process or an event sub-process. */
export function compileStartEvent(ctx: CompileContext, event: BpmnElement, scope: string, where: StartPosition): FlowNode {
  const interrupting = event.isInterrupting ?? true;
  const position =
    where === 'process' ? POSITIONS.processStart : where === 'subProcess' ? POSITIONS.subProcessStart : POSITIONS.eventSubProcessStart;
  const definition = definitionAt(ctx, event, position, {
    role: 'catch',
    needsCorrelationKey: where !== 'process',
    timerTypes:
      where === 'process'
        ? { allowed: ['date', 'cycle'], where: 'a timer start event of a process' }
        : interrupting
          ? { allowed: ['date', 'duration'], where: 'an interrupting timer start event' }
          : undefined,
  });
  if (definition === false) return standIn(ctx, event, scope);
  if (definition?.kind === 'error' && !interrupting) {
    ctx.report(event.id!, `${describeElement(event)}: error start events are always interrupting (isInterrupting="false" is not allowed)`);
    return standIn(ctx, event, scope);
  }
  const node: StartEventNode = {
    ...nodeBase(ctx, event, scope),
    type: 'startEvent',
    interrupting: where === 'eventSubProcess' ? interrupting : true,
  };
  if (definition) node.eventDefinition = definition;
  return node;
}

/** An end event; a message end event runs as a job, like a send task. */
export function compileEndEvent(ctx: CompileContext, event: BpmnElement, scope: string): FlowNode {
  const definition = definitionAt(ctx, event, POSITIONS.end, { role: 'throw' });
  if (definition === false) return standIn(ctx, event, scope);
  const node: EndEventNode = { ...nodeBase(ctx, event, scope), type: 'endEvent' };
  if (definition) node.eventDefinition = definition;
  if (definition?.kind === 'message') {
    const job = messageThrowJob(ctx, event);
    if (!job) return standIn(ctx, event, scope);
    node.job = job;
  }
  return node;
}

/** An intermediate catch event: message, timer, signal or link. */
export function compileIntermediateCatchEvent(ctx: CompileContext, event: BpmnElement, scope: string): FlowNode {
  const definition = definitionAt(ctx, event, POSITIONS.intermediateCatch, {
    role: 'catch',
    timerTypes: { allowed: ['date', 'duration'], where: 'a timer intermediate catch event' },
  });
  if (!definition) return standIn(ctx, event, scope);
  const node: IntermediateCatchEventNode = {
    ...nodeBase(ctx, event, scope),
    type: 'intermediateCatchEvent',
    eventDefinition: definition as IntermediateCatchEventNode['eventDefinition'],
  };
  return node;
}

/** An intermediate throw event: none, message (a job), signal, escalation or link. */
export function compileIntermediateThrowEvent(ctx: CompileContext, event: BpmnElement, scope: string): FlowNode {
  const definition = definitionAt(ctx, event, POSITIONS.intermediateThrow, { role: 'throw' });
  if (definition === false) return standIn(ctx, event, scope);
  const node: IntermediateThrowEventNode = { ...nodeBase(ctx, event, scope), type: 'intermediateThrowEvent' };
  if (definition) node.eventDefinition = definition as IntermediateThrowEventNode['eventDefinition'];
  if (definition?.kind === 'message') {
    const job = messageThrowJob(ctx, event);
    if (!job) return standIn(ctx, event, scope);
    node.job = job;
  }
  return node;
}

/** A boundary event; `attachedTo` is checked against the graph later (it must be an activity of the same scope). */
export function compileBoundaryEvent(ctx: CompileContext, event: BpmnElement, scope: string): FlowNode {
  const cancelActivity = event.cancelActivity ?? true;
  const attachedTo = event.attachedToRef?.id;
  if (attachedTo === undefined) {
    const reference = ctx.unresolvedReference(event, 'attachedToRef');
    ctx.report(
      event.id!,
      `${describeElement(event)} is not attached to an activity (attachedToRef ${reference === undefined ? 'is missing' : `'${reference}' does not exist`})`,
    );
  }
  const definition = definitionAt(ctx, event, POSITIONS.boundary, {
    role: 'catch',
    timerTypes: cancelActivity ? { allowed: ['date', 'duration'], where: 'an interrupting timer boundary event' } : undefined,
  });
  if (!definition || attachedTo === undefined) return standIn(ctx, event, scope);
  if (definition.kind === 'error' && !cancelActivity) {
    ctx.report(event.id!, `${describeElement(event)}: error boundary events are always interrupting (cancelActivity="false" is not allowed)`);
    return standIn(ctx, event, scope);
  }
  const node: BoundaryEventNode = {
    ...nodeBase(ctx, event, scope),
    type: 'boundaryEvent',
    attachedTo,
    cancelActivity,
    eventDefinition: definition as BoundaryEventNode['eventDefinition'],
  };
  return node;
}

function messageThrowJob(ctx: CompileContext, event: BpmnElement) {
  const job = compileJob(ctx, event);
  if (!job) {
    ctx.report(event.id!, `message ${describeElement(event)} has no job type (zeebe:taskDefinition type): message throw events run as jobs, like send tasks`);
  }
  return job;
}
