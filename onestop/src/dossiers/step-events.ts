/**
 * From the engine's step effects to the dossier: which dossier status the process has
 * reached and which hand-offs happened, read from the `motcua:facts` of the nodes
 * (`dossierStatus`, `agency`) and the tasks of the step. The dossier layer's
 * StepListener calls these inside the command's transaction (engine/src/engine.ts), so
 * a dossier never disagrees with its process; the control slip (mẫu 06) and the
 * inter-agency shares are filled from the hand-offs.
 *
 * Two steps, both pure: `dossierEventsOfStep` reads the step (what happened in the
 * process), `applyStepToDossier` turns it into lifecycle operations through `decide`, so
 * the legal guards hold for the process as for an official.
 */
import { ROOT, type Effect, type InstanceState, type OneStopShopFacts, type ProcessGraph, type TaskRecord } from '../../../engine/src/pure';
import { DOSSIER_STATUSES, type Dossier, type DossierStatus } from './dossier';
import type { DossierEvent } from './dossier-events';
import { decide, type DecisionContext, type DossierOperation, type Refusal } from './lifecycle';

/** A step as a StepListener sees it (engine `ListenedStep`), reduced to what is read here. */
export interface StepForDossier {
  effects: readonly Effect[];
  /** The instance as the step left it; its root variables carry {@link E_RESULT_VARIABLE}. */
  instance: { id: string; processId: string; businessKey?: string; state?: Pick<InstanceState, 'elements'> };
  now: number;
  actor?: string;
}

/** What a task says about who holds it. */
export type TaskHolderFacts = Pick<TaskRecord, 'elementId' | 'candidateGroups'> & { assignee?: string; facts?: OneStopShopFacts; dueAt?: number };

/** The graph's facts, and (from the task table) the tasks open before the step. */
export interface StepGraphFacts {
  /** The one-stop-shop facts of a node: its own `dossierStatus`; its agency, or the procedure's. */
  factsOf(elementId: string): OneStopShopFacts | undefined;
  /** A task open before the step, by id: who held a task the step completed. Without it, the completed node's facts are used. */
  taskOf?(taskId: string): TaskHolderFacts | undefined;
}

/** A status the process reached: a task opened at a node carrying `dossierStatus`. */
export interface ReachedStatus {
  status: DossierStatus;
  elementId: string;
  taskId?: string;
  /** Who holds the new task. */
  holder: string;
  dueAt?: number;
  /** `result-ready`: the result was issued electronically (the instance's {@link E_RESULT_VARIABLE}). */
  eResult?: boolean;
}

/**
 * The process variable that says a result was issued electronically (a signed electronic
 * result, Decree 118/2025 art. 22; indicators 4.1 and 4.2 of Decision 766): `true` when
 * the process reaches `result-ready`. The official who issues the result sets it when
 * completing the step (`completeTask(…, { variables: { eResult: true } })`), or the model
 * sets it (an output mapping, e.g. from the way of receiving the result the applicant
 * chose). Absent or false: a paper result.
 */
export const E_RESULT_VARIABLE = 'eResult';

/** One hand-off: a task of A completed and a task of B opened in the same step. */
export interface StepHandOff {
  from: string;
  to: string;
  at: number;
  actor?: string;
  fromElementId: string;
  toElementId: string;
  toTaskId: string;
  /** The new task's due date, when the model gives one. */
  dueAt?: number;
}

/** What a step means for its dossier. */
export interface DossierStepOutcome {
  dossierKey: { instanceId: string; businessKey?: string };
  statuses: ReachedStatus[];
  handOffs: StepHandOff[];
  /** Facts that could not be read (an unknown dossierStatus), for the deploy-time lint and the logs. */
  problems: Array<{ elementId: string; reason: string }>;
}

/** The facts of a compiled graph's nodes: the node's own over the procedure's, but `dossierStatus` only from the node. */
export function graphFacts(graph: ProcessGraph): StepGraphFacts['factsOf'] {
  return (elementId) => {
    const node = graph.nodes[elementId];
    if (!node) return undefined;
    if (!node.facts && !graph.facts) return undefined;
    const { dossierStatus: _procedureStatus, ...procedure } = graph.facts ?? {};
    return { ...procedure, ...node.facts };
  };
}

/** "resultReady", "result_ready", "Result-Ready" → "result-ready"; undefined when it names no status. */
export function dossierStatusOf(text: string): DossierStatus | undefined {
  const kebab = text.trim().replace(/([a-z])([A-Z])/g, '$1-$2').replace(/[_\s]+/g, '-').toLowerCase();
  return (DOSSIER_STATUSES as readonly string[]).includes(kebab) ? (kebab as DossierStatus) : undefined;
}

/** Who holds a task: its agency and groups ("000.00.15.H29 / chuyen-vien"), else its assignee, else its element. */
export function holderOf(task: { elementId: string; candidateGroups?: readonly string[]; assignee?: string }, facts: OneStopShopFacts | undefined): string {
  const parts = [facts?.agency, (task.candidateGroups ?? []).join(', ')].filter((part): part is string => !!part);
  return parts.length ? parts.join(' / ') : (task.assignee ?? task.elementId);
}

/**
 * Reads a step: the dossier statuses its opened tasks represent, and the hand-offs from
 * each completed task to each opened one of another holder (a parallel opening, the
 * electronic inter-agency case, gives one hand-off per agency).
 */
export function dossierEventsOfStep(step: StepForDossier, facts: StepGraphFacts): DossierStepOutcome {
  const outcome: DossierStepOutcome = { dossierKey: { instanceId: step.instance.id, ...(step.instance.businessKey ? { businessKey: step.instance.businessKey } : {}) }, statuses: [], handOffs: [], problems: [] };
  const completed: Array<{ holder: string; elementId: string }> = [];
  const opened: Array<{ holder: string; task: TaskRecord }> = [];
  const effects = step.effects;
  for (let i = 0; i < effects.length; i++) {
    const effect = effects[i];
    if (effect.type === 'taskCompleted') {
      const known = facts.taskOf?.(effect.taskId);
      if (known) {
        completed.push({ holder: holderOf(known, known.facts ?? facts.factsOf(known.elementId)), elementId: known.elementId });
      } else {
        // The runtime completes the task's element right after: its node names the holder.
        const element = effects.slice(i + 1).find((e): e is Extract<Effect, { type: 'elementCompleted' }> => e.type === 'elementCompleted');
        if (element) completed.push({ holder: holderOf({ elementId: element.elementId }, facts.factsOf(element.elementId)), elementId: element.elementId });
      }
    } else if (effect.type === 'elementCompleted' && STATUS_EVENTS.has(effect.elementType)) {
      // An event that happened (a supplement message caught, an end reached) is a status the process reached.
      const nodeFacts = facts.factsOf(effect.elementId);
      const declared = nodeFacts?.dossierStatus;
      if (declared !== undefined) {
        const status = dossierStatusOf(declared);
        if (status) outcome.statuses.push({ status, elementId: effect.elementId, holder: holderOf({ elementId: effect.elementId }, nodeFacts), ...resultFacts(status, step, effect.elementId, outcome) });
        else outcome.problems.push({ elementId: effect.elementId, reason: `motcua:facts dossierStatus ${JSON.stringify(declared)} names no dossier status (expected one of ${DOSSIER_STATUSES.join(', ')})` });
      }
    } else if (effect.type === 'taskOpened') {
      const { task } = effect;
      const nodeFacts = facts.factsOf(task.elementId);
      const holder = holderOf(task, { ...task.facts, ...nodeFacts });
      opened.push({ holder, task });
      const declared = nodeFacts?.dossierStatus;
      if (declared !== undefined) {
        const status = dossierStatusOf(declared);
        if (status) outcome.statuses.push({ status, elementId: task.elementId, taskId: task.id, holder, ...(task.dueAt !== undefined ? { dueAt: task.dueAt } : {}), ...resultFacts(status, step, task.elementId, outcome) });
        else outcome.problems.push({ elementId: task.elementId, reason: `motcua:facts dossierStatus ${JSON.stringify(declared)} names no dossier status (expected one of ${DOSSIER_STATUSES.join(', ')})` });
      }
    }
  }
  for (const from of completed) {
    for (const to of opened) {
      if (from.holder === to.holder) continue;
      outcome.handOffs.push({
        from: from.holder,
        to: to.holder,
        at: step.now,
        ...(step.actor ? { actor: step.actor } : {}),
        fromElementId: from.elementId,
        toElementId: to.task.elementId,
        toTaskId: to.task.id,
        ...(to.task.dueAt !== undefined ? { dueAt: to.task.dueAt } : {}),
      });
    }
  }
  return outcome;
}

/** At `result-ready`: whether the result is electronic, from the instance's root variable (anything but a boolean is a problem, read as false). */
function resultFacts(status: DossierStatus, step: StepForDossier, elementId: string, outcome: DossierStepOutcome): { eResult?: boolean } {
  if (status !== 'result-ready') return {};
  const value = step.instance.state?.elements[ROOT]?.vars?.[E_RESULT_VARIABLE];
  if (value === undefined || value === null) return {};
  if (typeof value === 'boolean') return { eResult: value };
  outcome.problems.push({ elementId, reason: `the process variable ${E_RESULT_VARIABLE} is ${JSON.stringify(value)}; expected true (the result is issued electronically) or false` });
  return {};
}

/** Events whose completion is a status reached (start events are the submission, recorded at receipt). */
const STATUS_EVENTS: ReadonlySet<string> = new Set(['intermediateCatchEvent', 'boundaryEvent', 'endEvent']);

/** The statuses a process reaches on its own; the others need an official's reasons or items (the dossier API). */
const PROCESS_OPERATIONS: Partial<Record<DossierStatus, (reached: ReachedStatus) => DossierOperation>> = {
  received: () => ({ type: 'receive' }),
  processing: (reached) => ({ type: 'handOff', to: reached.holder, ...(reached.dueAt !== undefined ? { dueAt: reached.dueAt } : {}) }),
  supplemented: () => ({ type: 'supplement' }),
  stopped: () => ({ type: 'stop' }),
  'result-ready': (reached) => ({ type: 'resultReady', eResult: reached.eResult === true }),
  returned: () => ({ type: 'return', method: 'desk' }),
};

/**
 * Applies what a step means to its dossier through `decide`, in order: each status
 * reached, then each hand-off not already recorded by a status. Returns the dossier, the
 * events to record, and every refusal (a process that would break a legal guard: the
 * listener decides whether that rolls the command back or raises a warning).
 */
export function applyStepToDossier(dossier: Dossier, outcome: DossierStepOutcome, context: DecisionContext): { dossier: Dossier; events: DossierEvent[]; refusals: Array<{ operation: DossierOperation | { type: 'reach'; status: DossierStatus }; refusal: Refusal }> } {
  let current = dossier;
  const events: DossierEvent[] = [];
  const refusals: Array<{ operation: DossierOperation | { type: 'reach'; status: DossierStatus }; refusal: Refusal }> = [];
  const handled = new Set<string>();
  const run = (operation: DossierOperation) => {
    const decision = decide(current, operation, context);
    if (decision.ok) {
      current = decision.dossier;
      events.push(...decision.events);
    } else {
      refusals.push({ operation, refusal: decision.refusal });
    }
  };
  const handOffOnce = (handOff: StepHandOff) => {
    if (handled.has(handOff.toTaskId) || current.status !== 'processing') return;
    handled.add(handOff.toTaskId);
    run({ type: 'handOff', to: handOff.to, from: handOff.from, ...(handOff.dueAt !== undefined ? { dueAt: handOff.dueAt } : {}) });
  };
  for (const reached of outcome.statuses) {
    // Already there (an official recorded it through the dossier API first): nothing to do.
    if (reached.status === current.status && reached.status !== 'processing') continue;
    const toOperation = PROCESS_OPERATIONS[reached.status];
    if (!toOperation) {
      refusals.push({
        operation: { type: 'reach', status: reached.status },
        refusal: { code: 'INVALID_OPERATION', reason: `the process reached ${reached.status} at ${reached.elementId}, which needs an official's decision with its reasons or items (record it through the dossier API)`, article: 'the dossier lifecycle' },
      });
      continue;
    }
    if (reached.status === current.status && reached.status !== 'processing') continue;
    // The hand-off into the task comes first (the result goes back to the desk, then it is ready); `processing` is itself a hand-off.
    if (reached.status !== 'processing') for (const handOff of outcome.handOffs) if (handOff.toTaskId === reached.taskId) handOffOnce(handOff);
    if (reached.taskId) handled.add(reached.taskId);
    const operation = toOperation(reached);
    // A hand-off into this task names who handed over (parallel agencies each hand over from the same holder).
    const into = outcome.handOffs.find((h) => h.toTaskId === reached.taskId);
    run(operation.type === 'handOff' && into ? { ...operation, from: into.from } : operation);
  }
  for (const handOff of outcome.handOffs) handOffOnce(handOff);
  return { dossier: current, events, refusals };
}

/**
 * The variables the dossier layer owns on a dossier's instance: set at receipt from the
 * dossier row (`receive`), read by the model (e.g. `correlationKey="=dossierCode"`), never
 * written by a task's form or a message from outside.
 */
export const DOSSIER_VARIABLES: readonly string[] = ['dossierId', 'dossierCode', 'channel', 'appointmentAt'];

/**
 * The first dossier variable a step would overwrite (a completed task's variables, or the
 * variables a correlated message brings), with where: undefined when there is none.
 */
export function dossierVariableWritten(effects: readonly Effect[]): { name: string; field: string } | undefined {
  const message = effects.some((e) => e.type === 'messageReceived');
  for (const effect of effects) {
    const variables = effect.type === 'taskCompleted' ? effect.variables : message && effect.type === 'variablesSet' ? effect.variables : undefined;
    if (!variables) continue;
    const name = DOSSIER_VARIABLES.find((n) => Object.prototype.hasOwnProperty.call(variables, n));
    if (name) return { name, field: `body.variables.${name}` };
  }
  return undefined;
}
