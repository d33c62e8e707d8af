/**
 * Tasks: pass-through (`task`, `manualTask`), user tasks, job tasks (service,
 * send, business rule), receive tasks and script tasks, in the Zeebe dialect.
 */
import type { CompileContext } from './compile-context';
import { activityBase } from './compile-activity';
import { compileMessageCatch } from './compile-event-definitions';
import { compileJob, compileTaskListeners } from './compile-extensions';
import { standIn } from './compile-node-base';
import type { FlowNode, JobTaskNode, ReceiveTaskNode, ScriptTaskNode, UserTaskNode } from './graph';
import { type BpmnElement, describeElement, extensionOf, stringAttribute } from './moddle-element';

/** `bpmn:task` and `bpmn:manualTask`: the token passes straight through. */
export function compilePassThroughTask(ctx: CompileContext, task: BpmnElement, scope: string): FlowNode {
  const { ok, base } = activityBase(ctx, task, scope);
  if (!ok) return standIn(ctx, task, scope);
  return { ...base, type: task.$type === 'bpmn:ManualTask' ? 'manualTask' : 'task' };
}

/** A user task with Zeebe assignment, schedule and form. */
export function compileUserTask(ctx: CompileContext, task: BpmnElement, scope: string): FlowNode {
  const { ok, base } = activityBase(ctx, task, scope);
  if (!ok) return standIn(ctx, task, scope);
  const node: UserTaskNode = { ...base, type: 'userTask' };
  const assignment = extensionOf(task, 'zeebe:AssignmentDefinition');
  const schedule = extensionOf(task, 'zeebe:TaskSchedule');
  const form = extensionOf(task, 'zeebe:FormDefinition');
  const fields = {
    assignee: stringAttribute(assignment, 'assignee'),
    candidateGroups: stringAttribute(assignment, 'candidateGroups'),
    candidateUsers: stringAttribute(assignment, 'candidateUsers'),
    dueDate: stringAttribute(schedule, 'dueDate'),
    followUpDate: stringAttribute(schedule, 'followUpDate'),
    formKey: stringAttribute(form, 'formKey') ?? stringAttribute(form, 'formId'),
  };
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) node[key as keyof typeof fields] = value;
  }
  const taskListeners = compileTaskListeners(ctx, task);
  if (taskListeners) node.taskListeners = taskListeners;
  return node;
}

/** Service, send and business rule tasks: each creates a job (`zeebe:taskDefinition`). */
export function compileJobTask(ctx: CompileContext, task: BpmnElement, scope: string): FlowNode {
  const { ok, base } = activityBase(ctx, task, scope);
  const types: Record<string, JobTaskNode['type']> = {
    'bpmn:ServiceTask': 'serviceTask',
    'bpmn:SendTask': 'sendTask',
    'bpmn:BusinessRuleTask': 'businessRuleTask',
  };
  const type = types[task.$type];
  if (type === 'businessRuleTask' && extensionOf(task, 'zeebe:CalledDecision')) {
    ctx.report(task.id!, `${describeElement(task)} calls a decision (zeebe:calledDecision): DMN decisions are not supported; use a job type (zeebe:taskDefinition type)`);
    return standIn(ctx, task, scope);
  }
  const job = compileJob(ctx, task);
  if (!job) {
    ctx.report(task.id!, `${describeElement(task)} has no job type (zeebe:taskDefinition type)`);
    return standIn(ctx, task, scope);
  }
  if (!ok) return standIn(ctx, task, scope);
  const node: JobTaskNode = { ...base, type, job };
  return node;
}

/** A receive task waits for a message, like a message intermediate catch event. */
export function compileReceiveTask(ctx: CompileContext, task: BpmnElement, scope: string): FlowNode {
  const { ok, base } = activityBase(ctx, task, scope);
  if (task.instantiate) {
    ctx.report(task.id!, `${describeElement(task)} instantiates the process (instantiate="true"), which is not supported; use a message start event`);
    return standIn(ctx, task, scope);
  }
  const message = compileMessageCatch(ctx, task, task.messageRef, true);
  if (!ok || !message) return standIn(ctx, task, scope);
  const node: ReceiveTaskNode = { ...base, type: 'receiveTask', message };
  return node;
}

/** A script task: a FEEL expression (`zeebe:script`) whose value lands in a result variable. */
export function compileScriptTask(ctx: CompileContext, task: BpmnElement, scope: string): FlowNode {
  const { ok, base } = activityBase(ctx, task, scope);
  const script = extensionOf(task, 'zeebe:Script');
  const expression = stringAttribute(script, 'expression');
  const resultVariable = stringAttribute(script, 'resultVariable');
  if (!script) {
    const instead = extensionOf(task, 'zeebe:TaskDefinition')
      ? ' (script tasks run as jobs are not supported)'
      : typeof task.script === 'string' && task.script.trim() !== ''
        ? ` (an inline <script>${task.scriptFormat ? ` in ${String(task.scriptFormat)}` : ''} is not supported)`
        : '';
    ctx.report(task.id!, `${describeElement(task)} needs a zeebe:script with a FEEL expression and a result variable${instead}`);
    return standIn(ctx, task, scope);
  }
  if (expression === undefined) ctx.report(task.id!, `${describeElement(task)} has a zeebe:script without an expression`);
  if (resultVariable === undefined) ctx.report(task.id!, `${describeElement(task)} has a zeebe:script without a result variable`);
  if (!ok || expression === undefined || resultVariable === undefined) return standIn(ctx, task, scope);
  const node: ScriptTaskNode = { ...base, type: 'scriptTask', expression, resultVariable };
  return node;
}
