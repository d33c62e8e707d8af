/**
 * Called instances started in a later transaction. A call activity's child is
 * normally started in the transaction of the step that entered it; but a
 * multi-instance of call activities whose children again fan out would start
 * (chunk size)^(depth) instances in one transaction. Past `multiInstanceChunk`
 * instances in one transaction the engine writes the start as a `continuation`
 * job instead: it is claimed by the job executor like a timer and starts the
 * child in a transaction of its own, once, if the call activity still waits.
 */
import type { ChildRequest } from './runtime/effects';
import type { JobRow } from './store/ports';

/** Job type of a deferred child start (a `continuation` job). */
export const DEFERRED_CALL = 'call';

/** What a deferred child start needs besides the job's variables. */
export interface DeferredCall {
  definitionId: string;
  waitId: string;
  depth?: number;
}

/** The jobs row that starts the child of `request` later (for the parent instance `parentId`). */
export function deferredCallJob(parentId: string, definitionId: string, request: ChildRequest, now: number): JobRow {
  const payload: DeferredCall = { definitionId, waitId: request.waitId, ...(request.depth === undefined ? {} : { depth: request.depth }) };
  return {
    id: `${request.waitId}-call`,
    instanceId: parentId,
    elementId: request.elementId,
    kind: 'continuation',
    jobType: DEFERRED_CALL,
    retries: 3,
    dueAt: now,
    headers: {},
    variables: request.variables,
    payload: { ...payload },
  };
}

/** The deferred start a job holds, if it is one. */
export function deferredCallOf(job: JobRow): DeferredCall | undefined {
  if (job.kind !== 'continuation' || job.jobType !== DEFERRED_CALL) return undefined;
  const payload = job.payload as Partial<DeferredCall> | undefined;
  if (!payload?.definitionId || !payload.waitId) return undefined;
  return { definitionId: payload.definitionId, waitId: payload.waitId, depth: payload.depth };
}
