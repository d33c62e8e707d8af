/**
 * Extension elements shared by many node types: `zeebe:ioMapping`,
 * `zeebe:taskDefinition` + `zeebe:taskHeaders` (jobs), our `motcua:facts`, and
 * the Zeebe extensions we knowingly do not run (listeners).
 */
import { isFeel } from '../expressions';
import type { CompileContext } from './compile-context';
import type { JobDefinition, ListenerDefinition, Mapping, OneStopShopFacts, StatutoryTime, TaskListenerEvent } from './graph';
import { type BpmnElement, describeElement, extensionOf, extensionsOf, stringAttribute } from './moddle-element';

/** Retries of a job when `zeebe:taskDefinition` does not say, as in Zeebe. */
export const DEFAULT_JOB_RETRIES = '3';

const TIME_UNITS = ['workingDays', 'workingHours', 'hours', 'calendarDays', 'sameDay', 'days'] as const;
type TimeUnit = (typeof TIME_UNITS)[number];
const CUTOFF = /^(legal|none|([01]\d|2[0-3]):[0-5]\d)$/;

/** The `zeebe:input` and `zeebe:output` mappings of an element, in document order. */
export function compileIoMapping(ctx: CompileContext, element: BpmnElement): { inputs: Mapping[]; outputs: Mapping[] } {
  const inputs: Mapping[] = [];
  const outputs: Mapping[] = [];
  for (const ioMapping of extensionsOf(element, 'zeebe:IoMapping')) {
    for (const [kind, parameters, into] of [
      ['input', ioMapping.inputParameters, inputs],
      ['output', ioMapping.outputParameters, outputs],
    ] as const) {
      for (const parameter of (parameters as BpmnElement[] | undefined) ?? []) {
        const mapping = compileMapping(ctx, element, kind, parameter);
        if (mapping) into.push(mapping);
      }
    }
  }
  return { inputs, outputs };
}

function compileMapping(ctx: CompileContext, element: BpmnElement, kind: string, parameter: BpmnElement): Mapping | undefined {
  const source = stringAttribute(parameter, 'source');
  const target = stringAttribute(parameter, 'target');
  if (target === undefined) {
    ctx.report(element.id!, `${describeElement(element)} has a zeebe:${kind} mapping without a target variable`);
    return undefined;
  }
  if (source === undefined) {
    ctx.report(element.id!, `${describeElement(element)} has a zeebe:${kind} mapping to '${target}' without a source`);
    return undefined;
  }
  if (isFeel(target)) {
    ctx.report(element.id!, `${describeElement(element)} has a zeebe:${kind} mapping whose target '${target}' is an expression; it must be a variable name`);
    return undefined;
  }
  // `customer.name` writes the entry `name` of the variable `customer` (as Zeebe does): every part needs a name.
  if (target.split('.').some((part) => part.trim() === '')) {
    ctx.report(element.id!, `${describeElement(element)} has a zeebe:${kind} mapping whose target '${target}' has an empty part; write a variable name or a path such as 'customer.name'`);
    return undefined;
  }
  return { source, target };
}

/**
 * The job of `zeebe:taskDefinition` (type, retries) with `zeebe:taskHeaders`,
 * or undefined (no problem reported) when the element has no task definition.
 */
export function compileJob(ctx: CompileContext, element: BpmnElement): JobDefinition | undefined {
  const definition = extensionOf(element, 'zeebe:TaskDefinition');
  if (!definition) return undefined;
  const type = stringAttribute(definition, 'type');
  if (type === undefined) return undefined;
  const retries = stringAttribute(definition, 'retries') ?? DEFAULT_JOB_RETRIES;
  if (!isFeel(retries) && !/^\d+$/.test(retries.trim())) {
    ctx.report(element.id!, `${describeElement(element)} has job retries '${retries}', which is not a non-negative integer`);
  }
  const headers: Record<string, string> = {};
  for (const taskHeaders of extensionsOf(element, 'zeebe:TaskHeaders')) {
    for (const header of taskHeaders.values ?? []) {
      const key = stringAttribute(header, 'key');
      if (key === undefined) {
        ctx.report(element.id!, `${describeElement(element)} has a zeebe:header without a key`);
        continue;
      }
      if (key in headers) ctx.report(element.id!, `${describeElement(element)} has the task header '${key}' twice`);
      headers[key] = typeof header.value === 'string' ? header.value : '';
    }
  }
  return { type, retries, headers };
}

/**
 * `zeebe:executionListeners` of a flow node (start and end, in document order), or undefined.
 * Each listener needs a job type; retries default to 3, as in Zeebe.
 */
export function compileExecutionListeners(ctx: CompileContext, element: BpmnElement): { start: ListenerDefinition[]; end: ListenerDefinition[] } | undefined {
  const container = extensionOf(element, 'zeebe:ExecutionListeners');
  if (!container) return undefined;
  const result: { start: ListenerDefinition[]; end: ListenerDefinition[] } = { start: [], end: [] };
  for (const listener of (container.listeners as BpmnElement[] | undefined) ?? []) {
    const eventType = stringAttribute(listener, 'eventType');
    const type = stringAttribute(listener, 'type');
    const retries = stringAttribute(listener, 'retries') ?? DEFAULT_JOB_RETRIES;
    if (eventType !== 'start' && eventType !== 'end') {
      ctx.report(element.id!, `${describeElement(element)} has an execution listener with eventType '${eventType ?? ''}'; expected 'start' or 'end'`);
      continue;
    }
    if (type === undefined || type.trim() === '') {
      ctx.report(element.id!, `${describeElement(element)} has a ${eventType} execution listener without a job type`);
      continue;
    }
    if (!isFeel(retries) && !/^\d+$/.test(retries.trim())) {
      ctx.report(element.id!, `${describeElement(element)} has a ${eventType} execution listener with retries '${retries}', which is not a non-negative integer`);
      continue;
    }
    result[eventType].push({ type, retries });
  }
  return result.start.length + result.end.length > 0 ? result : undefined;
}

/**
 * Camunda's task listener event types, with the names earlier Camunda releases (8.6, 8.7 alphas)
 * wrote in models, so that those models deploy too.
 */
const TASK_LISTENER_EVENTS: Readonly<Record<string, TaskListenerEvent>> = {
  creating: 'creating',
  create: 'creating',
  assigning: 'assigning',
  assignment: 'assigning',
  updating: 'updating',
  update: 'updating',
  completing: 'completing',
  complete: 'completing',
  canceling: 'canceling',
  cancel: 'canceling',
};

/**
 * `zeebe:taskListeners` of a user task (per event, in document order), or undefined. Each
 * listener needs a job type; retries default to 3, as in Zeebe.
 */
export function compileTaskListeners(ctx: CompileContext, element: BpmnElement): Partial<Record<TaskListenerEvent, ListenerDefinition[]>> | undefined {
  const container = extensionOf(element, 'zeebe:TaskListeners');
  if (!container) return undefined;
  const result: Partial<Record<TaskListenerEvent, ListenerDefinition[]>> = {};
  let count = 0;
  for (const listener of (container.listeners as BpmnElement[] | undefined) ?? []) {
    const written = stringAttribute(listener, 'eventType');
    const eventType = written === undefined ? undefined : TASK_LISTENER_EVENTS[written];
    const type = stringAttribute(listener, 'type');
    const retries = stringAttribute(listener, 'retries') ?? DEFAULT_JOB_RETRIES;
    if (eventType === undefined) {
      ctx.report(element.id!, `${describeElement(element)} has a task listener with eventType '${written ?? ''}'; expected one of creating, assigning, updating, completing, canceling`);
      continue;
    }
    if (type === undefined || type.trim() === '') {
      ctx.report(element.id!, `${describeElement(element)} has a ${eventType} task listener without a job type`);
      continue;
    }
    if (!isFeel(retries) && !/^\d+$/.test(retries.trim())) {
      ctx.report(element.id!, `${describeElement(element)} has a ${eventType} task listener with retries '${retries}', which is not a non-negative integer`);
      continue;
    }
    (result[eventType] ??= []).push({ type, retries });
    count += 1;
  }
  return count > 0 ? result : undefined;
}

/** Our `motcua:facts` of a flow node or process, if any. */
export function compileFacts(ctx: CompileContext, element: BpmnElement): OneStopShopFacts | undefined {
  const all = extensionsOf(element, 'motcua:Facts');
  if (all.length === 0) return undefined;
  const elementId = element.id ?? ctx.graph.processId;
  if (all.length > 1) ctx.report(elementId, `${describeElement(element)} has ${all.length} motcua:facts elements; at most one is allowed`);
  const source = all[0];
  const facts: OneStopShopFacts = {};
  const agency = stringAttribute(source, 'agency');
  if (agency !== undefined) facts.agency = agency;
  const dossierStatus = stringAttribute(source, 'dossierStatus');
  if (dossierStatus !== undefined) facts.dossierStatus = dossierStatus;
  const unit = (stringAttribute(source, 'timeUnit') ?? 'workingDays') as TimeUnit;
  if (!TIME_UNITS.includes(unit)) {
    ctx.report(elementId, `${describeElement(element)} has motcua:facts timeUnit '${unit}'; expected one of ${TIME_UNITS.join(', ')}`);
  }
  const amount = source.statutoryTime;
  if (amount !== undefined) {
    if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) {
      const value = typeof amount === 'number' && !Number.isNaN(amount) ? ` (${amount})` : '';
      ctx.report(elementId, `${describeElement(element)} has a motcua:facts statutoryTime${value} that is not a non-negative number`);
    } else if (unit === 'sameDay' && (!Number.isInteger(amount) || amount < 1)) {
      ctx.report(elementId, `${describeElement(element)} has motcua:facts statutoryTime ${amount} sameDay; sameDay takes a whole number ≥ 1 (1 = the same working day)`);
    } else if (TIME_UNITS.includes(unit)) {
      const time: StatutoryTime = { amount, unit: unit === 'days' ? 'calendarDays' : unit };
      const cutoff = stringAttribute(source, 'cutoff');
      if (cutoff !== undefined) {
        if (CUTOFF.test(cutoff)) time.cutoff = cutoff;
        else ctx.report(elementId, `${describeElement(element)} has motcua:facts cutoff '${cutoff}'; expected 'legal', 'none' or a time "HH:MM"`);
      }
      if (source.beforeDue === true || source.beforeDue === 'true') {
        const attached = (element as { attachedToRef?: BpmnElement }).attachedToRef;
        if (element.$type === 'bpmn:BoundaryEvent' && attached?.$type === 'bpmn:UserTask') time.beforeDue = true;
        else ctx.report(elementId, `${describeElement(element)} has motcua:facts beforeDue, which only a boundary timer event attached to a user task can have`);
      }
      const timer = ((element as { eventDefinitions?: BpmnElement[] }).eventDefinitions ?? []).find((d) => d.$type === 'bpmn:TimerEventDefinition');
      if (timer && (timer as { timeCycle?: unknown }).timeCycle) {
        ctx.report(elementId, `${describeElement(element)} has a timer cycle and a motcua:facts statutoryTime; a statutory time replaces a duration or a date, not a cycle`);
      }
      facts.statutoryTime = time;
    }
  } else if (stringAttribute(source, 'cutoff') !== undefined || source.beforeDue !== undefined) {
    ctx.report(elementId, `${describeElement(element)} has motcua:facts cutoff or beforeDue without a statutoryTime`);
  }
  const documents = ((source.documents as BpmnElement[] | undefined) ?? [])
    .map((document) => stringAttribute(document, 'name'))
    .filter((name): name is string => name !== undefined);
  if (documents.length > 0) facts.documents = documents;
  return facts;
}

/**
 * Zeebe extensions that change behaviour and that this engine does not run:
 * ignoring them silently would run the model differently from Camunda 8.
 */
export function checkUnsupportedExtensions(ctx: CompileContext, element: BpmnElement): void {
  const elementId = element.id ?? ctx.graph.processId;
  if (element.$type !== 'bpmn:UserTask' && extensionOf(element, 'zeebe:TaskListeners')) {
    ctx.report(elementId, `${describeElement(element)} has zeebe:taskListeners, which only a user task can have`);
  }
}
