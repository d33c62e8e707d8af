/**
 * What the live inboxes send: event ids (feed positions) and payloads, and what
 * deciding an event's audience needs. Pure data and functions, no I/O.
 *
 * An event id is its position in the feed: `<tx>-<id>-<n>`, the writing
 * transaction's id (`history.tx`, xid8), the history row id and the place of the
 * event in the row's `events` (migration 0006: one row per command), decimal.
 * Positions are totally ordered by (tx, id, n), which is the order events are
 * delivered in, live and on replay alike (see `feed.ts` for why not the id alone).
 * `<tx>-<id>` (the form before migration 0006, when a row was one event) means
 * "after every event of that row".
 */
import type { EngineHistoryEventType } from '../../../engine/src/pure';
import type { IncidentAccessFacts, TaskAccessFacts } from '../auth/policy';

/** A place in the feed: the (transaction id, history id) of a history row and the place of an event in it. */
export interface FeedPosition {
  readonly tx: bigint;
  readonly id: bigint;
  /** From 0; {@link ROW_END}: after every event of the row. */
  readonly seq: number;
}

/** The `seq` of a position after every event of its row. */
export const ROW_END = 2 ** 31 - 1;

/** Before every event. */
export const FEED_START: FeedPosition = Object.freeze({ tx: 0n, id: 0n, seq: ROW_END });

const MAX_XID8 = (1n << 64n) - 1n;
const MAX_BIGINT = (1n << 63n) - 1n;
const EVENT_ID = /^(\d{1,20})-(\d{1,19})(?:-(\d{1,10}))?$/;

/** Negative, zero or positive as `a` is before, at or after `b`. */
export function comparePositions(a: FeedPosition, b: FeedPosition): number {
  if (a.tx !== b.tx) return a.tx < b.tx ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return a.seq - b.seq;
}

/** The later of two positions. */
export function laterOf(a: FeedPosition, b: FeedPosition): FeedPosition {
  return comparePositions(a, b) >= 0 ? a : b;
}

/** The event id of a position: `<tx>-<id>-<n>`, or `<tx>-<id>` after a whole row. */
export function formatEventId(position: FeedPosition): string {
  return position.seq === ROW_END ? `${position.tx}-${position.id}` : `${position.tx}-${position.id}-${position.seq}`;
}

/** Reads an event id made by {@link formatEventId}; undefined when it is not one. */
export function parseEventId(value: unknown): FeedPosition | undefined {
  if (typeof value !== 'string') return undefined;
  const match = EVENT_ID.exec(value);
  if (!match) return undefined;
  const tx = BigInt(match[1]);
  const id = BigInt(match[2]);
  const seq = match[3] === undefined ? ROW_END : Number(match[3]);
  if (tx > MAX_XID8 || id > MAX_BIGINT || seq > ROW_END) return undefined;
  return { tx, id, seq };
}

/** The socket.io event names, dotted lowercase. */
export type PushEventType = 'task.created' | 'task.claimed' | 'task.completed' | 'task.updated' | 'task.overdue' | 'task.followUp' | 'incident.created';

/** What changed, on a `task.updated` event. */
export type TaskUpdate = 'unclaimed' | 'assigned' | 'commented' | 'cancelled' | 'changed';

/** A user task as an event shows it: as it was right after the event. */
export interface PushTask {
  id: string;
  instanceId: string;
  processId: string;
  elementId: string;
  name: string | null;
  assignee: string | null;
  candidateGroups: string[];
  agency: string | null;
  /** ISO 8601, or null when the task has no due date. */
  dueAt: string | null;
  state: 'open' | 'completed' | 'cancelled';
}

/** An incident as `incident.created` shows it. */
export interface PushIncident {
  id: string;
  instanceId: string;
  processId: string | null;
  elementId: string | null;
  kind: string;
  /** What was wrong (see the engine's IncidentCause); null for incidents raised before causes were recorded. */
  cause: string | null;
  message: string | null;
  jobId: string | null;
  /** The agency of the element (or of its procedure), when the model names one. */
  agency: string | null;
}

interface PayloadBase {
  /** The event id: give it back as `lastEventId` to resume after it. */
  id: string;
  /** ISO 8601 time of the fact. */
  at: string;
  /** Who did it (user id), when someone did. */
  actor: string | null;
}

/** A task event's payload. */
export interface TaskEventPayload extends PayloadBase {
  type: Exclude<PushEventType, 'incident.created'>;
  /** On `task.updated` only. */
  change?: TaskUpdate;
  task: PushTask;
}

/** An incident event's payload. */
export interface IncidentEventPayload extends PayloadBase {
  type: 'incident.created';
  incident: PushIncident;
}

/** What a client receives, under the event name `payload.type`. */
export type PushPayload = TaskEventPayload | IncidentEventPayload;

/**
 * One event of the feed: its position, its payload, and the facts that decide who
 * may receive it (never sent). A task event whose change moved the task between
 * people (claim, unclaim, assign) carries the task as it was before too: whoever
 * could see it before is told it is gone from their inbox.
 */
export type FeedEvent =
  | { position: FeedPosition; payload: TaskEventPayload; access: { kind: 'task'; after: TaskAccessFacts; before?: TaskAccessFacts } }
  | { position: FeedPosition; payload: IncidentEventPayload; access: { kind: 'incident'; incident: IncidentAccessFacts } };

/** History event types (the engine's vocabulary, history/events.ts) and the events they become. */
export const EVENT_OF_HISTORY_TYPE: Readonly<Record<string, { type: PushEventType; change?: TaskUpdate; state?: PushTask['state'] }>> = Object.freeze({
  taskOpened: { type: 'task.created', state: 'open' },
  taskClaimed: { type: 'task.claimed', state: 'open' },
  taskUnclaimed: { type: 'task.updated', change: 'unclaimed', state: 'open' },
  taskAssigned: { type: 'task.updated', change: 'assigned', state: 'open' },
  taskCommented: { type: 'task.updated', change: 'commented' },
  taskCompleted: { type: 'task.completed', state: 'completed' },
  taskCancelled: { type: 'task.updated', change: 'cancelled', state: 'cancelled' },
  // Its due date moved (with the dossier's appointment) or a task listener corrected it: the task shows it as it is now.
  taskUpdated: { type: 'task.updated', change: 'changed' },
  taskOverdue: { type: 'task.overdue', state: 'open' },
  taskFollowUp: { type: 'task.followUp', state: 'open' },
  incidentRaised: { type: 'incident.created' },
} satisfies Partial<Record<EngineHistoryEventType, { type: PushEventType; change?: TaskUpdate; state?: PushTask['state'] }>>);

/** The history event types the feed reads (a subset of the engine's PUSH_EVENT_TYPES, history/events.ts). */
export const PUSH_HISTORY_TYPES: readonly string[] = Object.keys(EVENT_OF_HISTORY_TYPE);
