/**
 * Every expression of a compiled graph, checked once at deploy time: FEEL
 * must parse, static timer texts must be valid ISO 8601 (or cron) and cycles
 * must not repeat more often than `limits.minTimerCycleMs`, and
 * conditions must be FEEL (a literal condition would never be a boolean).
 *
 * The walk over a node's expressions ({@link expressionsOf}) is the single
 * list of "where expressions live" in the graph.
 */
import { checkExpression, isFeel, unknownFunctions } from '../expressions';
import { LIMIT_SETTINGS, formatMs } from '../limits';
import { TimerError, parseTimer, shortestIntervalMs } from '../timer';
import type { CompileContext } from './compile-context';
import type { EventDefinition, FlowNode, TimerDefinition } from './graph';
import { describeType } from './moddle-element';

/** One expression of a node: what it is for (`job type`, `input mapping 'x'`...) and its text. */
export interface NodeExpression {
  what: string;
  expression: string;
  /** True when a static literal makes no sense here (it must be FEEL). */
  mustBeFeel?: boolean;
}

/** The expressions of a node, except timer texts (see {@link timerOf}). */
export function expressionsOf(node: FlowNode): NodeExpression[] {
  const found: NodeExpression[] = [];
  const add = (what: string, expression: string | undefined, mustBeFeel = false) => {
    if (expression !== undefined) found.push({ what, expression, ...(mustBeFeel ? { mustBeFeel } : {}) });
  };
  for (const mapping of node.inputs) add(`input mapping '${mapping.target}'`, mapping.source);
  for (const mapping of node.outputs) add(`output mapping '${mapping.target}'`, mapping.source);
  if (node.multiInstance) {
    add('multi-instance input collection', node.multiInstance.inputCollection, true);
    add('multi-instance output element', node.multiInstance.outputElement);
    add('multi-instance completion condition', node.multiInstance.completionCondition, true);
  }
  if ('job' in node && node.job) {
    add('job type', node.job.type);
    add('job retries', node.job.retries);
  }
  if ('eventDefinition' in node && node.eventDefinition) addDefinition(add, node.eventDefinition);
  switch (node.type) {
    case 'userTask':
      add('assignee', node.assignee);
      add('candidate groups', node.candidateGroups);
      add('candidate users', node.candidateUsers);
      add('due date', node.dueDate);
      add('follow-up date', node.followUpDate);
      break;
    case 'receiveTask':
      addDefinition(add, node.message);
      break;
    case 'scriptTask':
      add('script expression', node.expression);
      break;
    case 'callActivity':
      add('called process id', node.calledElement);
      break;
  }
  return found;
}

function addDefinition(add: (what: string, expression: string | undefined) => void, definition: EventDefinition): void {
  if (definition.kind === 'message') {
    add('message name', definition.messageName || undefined);
    add('correlation key', definition.correlationKey);
  } else if (definition.kind === 'signal') {
    add('signal name', definition.signalName);
  }
}

/** The timer definition of a node, if it has one. */
export function timerOf(node: FlowNode): TimerDefinition | undefined {
  const definition = 'eventDefinition' in node ? node.eventDefinition : undefined;
  return definition?.kind === 'timer' ? definition : undefined;
}

/** Checks every expression, timer and condition of the graph being compiled. */
export function validateExpressions(ctx: CompileContext): void {
  const { graph } = ctx;
  for (const node of Object.values(graph.nodes)) {
    if (ctx.standIns.has(node.id)) continue;
    const label = `${describeType(ctx.elements.get(node.id)?.$type ?? node.type)} '${node.id}'`;
    for (const { what, expression, mustBeFeel } of expressionsOf(node)) {
      if (mustBeFeel && !isFeel(expression)) {
        ctx.report(node.id, `the ${what} of ${label} must be a FEEL expression starting with '=' (got '${expression}')`);
        continue;
      }
      const error = checkExpression(expression);
      if (error !== undefined) ctx.report(node.id, `the ${what} of ${label} is not a valid FEEL expression (${expression}): ${error}`);
      else reportUnknownFunctions(ctx, node.id, `the ${what} of ${label}`, expression);
    }
    const timer = timerOf(node);
    if (timer) validateTimer(ctx, node.id, label, timer);
    if (node.type === 'userTask') {
      validateStaticDate(ctx, node.id, `due date of ${label}`, node.dueDate);
      validateStaticDate(ctx, node.id, `follow-up date of ${label}`, node.followUpDate);
    }
    if ('eventDefinition' in node && node.eventDefinition && node.type !== 'boundaryEvent' && node.type !== 'startEvent') {
      const definition = node.eventDefinition;
      const code = definition.kind === 'error' ? definition.errorCode : definition.kind === 'escalation' ? definition.escalationCode : undefined;
      if (code !== undefined && isFeel(code)) {
        ctx.report(node.id, `the ${definition.kind} code of ${label} is an expression (${code}); thrown codes must be static`);
      }
    }
  }
  for (const flow of Object.values(graph.flows)) {
    if (flow.condition === undefined) continue;
    if (!isFeel(flow.condition)) {
      ctx.report(flow.id, `the condition of sequence flow '${flow.id}' must be a FEEL expression starting with '=' (got '${flow.condition}')`);
      continue;
    }
    const error = checkExpression(flow.condition);
    if (error !== undefined) ctx.report(flow.id, `the condition of sequence flow '${flow.id}' is not a valid FEEL expression (${flow.condition}): ${error}`);
    else reportUnknownFunctions(ctx, flow.id, `the condition of sequence flow '${flow.id}'`, flow.condition);
  }
}

/**
 * A call of a function that exists nowhere (a typo, a Camunda 7 or Java name) would read as null
 * at run time and pick the wrong branch or store null: refused at deploy, naming the function.
 */
function reportUnknownFunctions(ctx: CompileContext, elementId: string, what: string, expression: string): void {
  for (const name of unknownFunctions(expression)) {
    ctx.report(elementId, `${what} calls the unknown function '${name}' (${expression}): not a FEEL or Camunda 8 built-in function, nor defined in the expression`);
  }
}

/** A static due or follow-up date: an ISO 8601 date-time, or a duration from the task's creation (as the runtime reads it). */
function validateStaticDate(ctx: CompileContext, nodeId: string, what: string, text: string | undefined): void {
  if (text === undefined || isFeel(text)) return;
  try {
    parseTimer(text.trim().startsWith('P') ? 'duration' : 'date', text);
  } catch (error) {
    const reason = error instanceof TimerError ? error.reason : String((error as Error)?.message ?? error);
    ctx.report(nodeId, `the ${what} '${text}' is not an ISO 8601 date-time or duration: ${reason}`);
  }
}

function validateTimer(ctx: CompileContext, nodeId: string, label: string, timer: TimerDefinition): void {
  const what = `time ${timer.timerType} of ${label}`;
  if (isFeel(timer.expression)) {
    const error = checkExpression(timer.expression);
    if (error !== undefined) ctx.report(nodeId, `the ${what} is not a valid FEEL expression (${timer.expression}): ${error}`);
    else reportUnknownFunctions(ctx, nodeId, `the ${what}`, timer.expression);
    return;
  }
  let parsed;
  try {
    parsed = parseTimer(timer.timerType, timer.expression);
  } catch (error) {
    const reason = error instanceof TimerError ? error.reason : String((error as Error)?.message ?? error);
    ctx.report(nodeId, `the ${what} is not a valid timer '${timer.expression}': ${reason}`);
    return;
  }
  // A cycle that repeats (one repetition never does) must not fire more often than the minimum.
  const min = ctx.document.limits.minTimerCycleMs;
  if (parsed.kind !== 'cycle' || parsed.repetitions === 1 || min <= 0) return;
  const gap = shortestIntervalMs(parsed.interval);
  if (gap < min) {
    ctx.report(
      nodeId,
      `the ${what} '${timer.expression}' fires every ${formatMs(gap)}, more often than the minimum interval of ${formatMs(min)} (${LIMIT_SETTINGS.minTimerCycleMs})`,
    );
  }
}
