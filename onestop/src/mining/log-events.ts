/**
 * The atomic events of a mining log, as both exports (XES and OCEL) write them: one
 * list, so the two files always hold the same events.
 *
 * Per step (gateways are routing, not work, and are left out):
 * - a user task: `schedule` when it landed in the inbox, `start` when first claimed,
 *   `complete` when completed (or `ate_abort` when terminated: cancelled, interrupted);
 * - any other element: `start` when entered, `complete` (or `ate_abort`) when left.
 * The names are those of the XES standard lifecycle model (IEEE 1849, lifecycle extension).
 */
import type { MiningCase, MiningLog, MiningStep } from './event-log';

/** A lifecycle transition of the XES standard model that mining writes. */
export type LifecycleTransition = 'schedule' | 'start' | 'complete' | 'ate_abort';

export interface LogEvent {
  /** Stable within a log: `<case id>/<element instance key>/<transition>`. */
  id: string;
  case: MiningCase;
  step: MiningStep;
  lifecycle: LifecycleTransition;
  at: number;
  /** The official who claimed, completed or holds the task (user tasks only; never on `schedule`). */
  resource?: string;
}

/** Whether a step is exported (everything but gateways). */
export function isExportedStep(step: MiningStep): boolean {
  return !/Gateway$/.test(step.elementType);
}

/** The events of one case in time order (ties keep the order of the steps). */
export function caseEvents(c: MiningCase): LogEvent[] {
  const events: LogEvent[] = [];
  // A task in the inbox has nobody yet: the official is the resource of its start and end.
  const add = (step: MiningStep, lifecycle: LifecycleTransition, at: number) =>
    events.push({ id: `${c.id}/${step.key}/${lifecycle}`, case: c, step, lifecycle, at, ...(step.taskId !== undefined && step.resource !== undefined && lifecycle !== 'schedule' ? { resource: step.resource } : {}) });
  for (const step of c.steps) {
    if (!isExportedStep(step)) continue;
    if (step.taskId !== undefined) {
      add(step, 'schedule', step.readyAt);
      if (step.startedAt !== undefined) add(step, 'start', step.startedAt);
    } else {
      add(step, 'start', step.readyAt);
    }
    if (step.endedAt !== undefined) add(step, step.outcome === 'terminated' ? 'ate_abort' : 'complete', step.endedAt);
  }
  // Stable sort: events of one moment keep the order their steps were entered in.
  return events.sort((a, b) => a.at - b.at);
}

/** Every event of the log, case by case. */
export function logEvents(log: MiningLog): LogEvent[] {
  return log.cases.flatMap(caseEvents);
}
