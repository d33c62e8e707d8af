/**
 * Builds the mining event log from what the database holds, read as plain records by
 * an adapter (onestop/src/store-sequelize/mining-log-reader.ts): the cases, their history
 * events in order, and their user tasks. Pure: the same records give the same log.
 *
 * ## Which events count
 * - `elementActivated` opens a step (by element instance key); `elementCompleted` and
 *   `elementTerminated` close it.
 * - `taskOpened` ties a user task to its step; `taskClaimed` marks the step started (the
 *   first claim: an unclaim and a new claim do not move it); `taskCompleted` names the
 *   official who completed it (the row's actor).
 * - The tasks table then gives what may have changed since the events were written: the
 *   task's agency, its due time (recomputed when a calendar changes), its holder while open.
 * Anything else (flows, variables, jobs, timers) is not a step of its own.
 */
import type { MiningCase, MiningLog, MiningStep } from './event-log';

/** A case as read from the database, the applicant already a pseudonym. */
export type MiningSourceCase = Omit<MiningCase, 'steps'>;

/** One history event of a case, in the order of the case's history. */
export interface MiningSourceEvent {
  caseId: string;
  at: number;
  /** The user id of whoever ran the command that wrote it. */
  actor?: string;
  type: string;
  data: Record<string, unknown>;
}

/** A user task row. */
export interface MiningSourceTask {
  id: string;
  caseId: string;
  elementId: string;
  elementInstanceKey?: number;
  name?: string;
  agency?: string;
  assignee?: string;
  state: 'open' | 'completed' | 'cancelled';
  dueAt?: number;
  completedBy?: string;
}

/** What the adapter reads: cases, their events (grouped by case, each case's in order), their tasks. */
export interface MiningSource {
  cases: MiningSourceCase[];
  events: MiningSourceEvent[];
  tasks: MiningSourceTask[];
}

/** Names of elements per definition id (from the compiled models), for steps that are not user tasks. */
export type ElementNames = (definitionId: string, elementId: string) => string | undefined;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const integer = (value: unknown): number | undefined => (typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined);
const epoch = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** The mining log of `source` at `asOf`; events of unknown cases and malformed events are left out. */
export function buildMiningLog(source: MiningSource, asOf: number, names: ElementNames = () => undefined): MiningLog {
  const cases = new Map<string, MiningCase>();
  for (const c of source.cases) cases.set(c.id, { ...c, steps: [] });
  const byKey = new Map<string, Map<number, MiningStep>>();
  const byTask = new Map<string, MiningStep>();
  const keysOf = (caseId: string): Map<number, MiningStep> => {
    let keys = byKey.get(caseId);
    if (!keys) byKey.set(caseId, (keys = new Map()));
    return keys;
  };

  for (const event of source.events) {
    const owner = cases.get(event.caseId);
    if (!owner) continue;
    const keys = keysOf(event.caseId);
    const d = event.data;
    switch (event.type) {
      case 'elementActivated': {
        const elementId = text(d.elementId);
        const key = integer(d.key);
        if (elementId === undefined || key === undefined) break;
        const step: MiningStep = {
          key,
          elementId,
          name: names(owner.definitionId, elementId) ?? elementId,
          elementType: text(d.elementType) ?? 'unknown',
          readyAt: event.at,
          outcome: 'open',
          agency: owner.agency,
        };
        keys.set(key, step);
        owner.steps.push(step);
        break;
      }
      case 'elementCompleted':
      case 'elementTerminated': {
        const step = keys.get(integer(d.key) ?? NaN);
        if (!step || step.outcome !== 'open') break;
        step.endedAt = event.at;
        step.outcome = event.type === 'elementCompleted' ? 'completed' : 'terminated';
        break;
      }
      case 'taskOpened': {
        const task = (d.task ?? {}) as Record<string, unknown>;
        const step = keys.get(integer(task.elementInstanceKey) ?? NaN);
        const id = text(task.id);
        if (!step || id === undefined) break;
        step.taskId = id;
        step.name = text(task.name) ?? step.name;
        step.dueAt = epoch(task.dueAt);
        step.resource = text(task.assignee);
        byTask.set(id, step);
        break;
      }
      case 'taskClaimed': {
        const step = byTask.get(text(d.taskId) ?? '');
        if (!step) break;
        step.startedAt ??= event.at;
        step.resource = text(d.assignee) ?? event.actor;
        break;
      }
      case 'taskAssigned':
      case 'taskUnclaimed': {
        const step = byTask.get(text(d.taskId) ?? '');
        if (step) step.resource = text(d.assignee);
        break;
      }
      case 'taskCompleted': {
        const step = byTask.get(text(d.taskId) ?? '');
        if (step && event.actor !== undefined) step.resource = event.actor;
        break;
      }
      default:
        break;
    }
  }

  for (const task of source.tasks) {
    const step = byTask.get(task.id);
    if (!step) continue;
    if (task.agency !== undefined) step.agency = task.agency;
    if (task.dueAt !== undefined) step.dueAt = task.dueAt;
    if (task.state === 'open') step.resource = task.assignee;
    else if (task.completedBy !== undefined) step.resource = task.completedBy;
    if (task.name !== undefined && step.name === step.elementId) step.name = task.name;
  }
  return { asOf, cases: [...cases.values()] };
}
