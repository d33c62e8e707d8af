/**
 * What the push gateway needs of the database, as ports: the history feed it follows and
 * replays from, and the socket.io adapter that carries emits between processes. The
 * sequelize adapter implements them (api/src/store-sequelize/push-feed.ts,
 * push-adapters.ts); the composition root hands them to the gateway through `ctx.stores.push`.
 * This folder keeps sockets, rooms, replay and policy only.
 */
import type { ServerOptions } from 'socket.io';
import type { Engine } from '../../../engine/src/index';
import type { FeedEvent, FeedPosition } from './events';

export type PushAdapterKind = 'memory' | 'postgres' | 'redis';

/** An adapter and how to release what it holds (after `io` is closed). */
export interface PushAdapter {
  kind: PushAdapterKind;
  /** Undefined for `memory` (socket.io's default). */
  adapter?: NonNullable<ServerOptions['adapter']>;
  /** True when server-side emits reach other processes. */
  clustered: boolean;
  close(): Promise<void>;
}

/** A history row the feed could not read or map, and skipped. */
export interface SkippedRow {
  /** The event id right after the row (or of the event) that was skipped: its place in the feed. */
  position: string;
  tx: string;
  id: string;
  reason: string;
}

/** Options of a {@link HistoryFeed}. */
export interface HistoryFeedOptions {
  /** For the agency of an incident's element (compiled graphs, cached by the engine). */
  engine: Engine;
  /** Rows per query (default 500). */
  pageSize?: number;
  /** Events kept in memory for replays (default 10,000; 0: replays always query). */
  bufferSize?: number;
  /** Re-read at least this often, for commits of processes that cannot wake this one (default 2,000 ms). */
  pollMs?: number;
  /** Receives each batch of new events, in order, synchronously with the position moving past them. */
  onEvents: (events: FeedEvent[]) => void;
  onError: (error: unknown) => void;
  /** A malformed row was skipped: the feed goes on with the next one. Default: `onError`. */
  onSkipped?: (row: SkippedRow) => void;
}

/**
 * The durable history as an ordered feed of push events: live (following the commit horizon,
 * so no event is ever passed over) and by range (replays for reconnecting clients).
 *
 * ## Contract
 * - Events come in history order, each exactly once, with a position that orders them.
 * - A row that cannot be read is skipped and reported (`onSkipped`), never a stopped feed.
 * - `readRange(after, upTo)` answers the events after one position up to another, in pages.
 */
export interface HistoryFeed {
  /** Reads the position to start from (the end of history now). */
  start(): Promise<void>;
  /** Starts following new events (calls `onEvents`). */
  follow(): void;
  /** Reads now (history grew in this process). */
  wake(): void;
  /** Resolves when no read is in progress or asked for. */
  settled(): Promise<void>;
  /** The feed's position: every event up to it has been delivered. */
  readonly position: FeedPosition;
  /** The oldest position the memory buffer holds: replays read the database up to it. */
  readonly bufferStart: FeedPosition;
  /** The events after a position still kept in memory, or undefined when it is older than the buffer. */
  bufferedAfter(after: FeedPosition): FeedEvent[] | undefined;
  readRange(after: FeedPosition, upTo: FeedPosition): Promise<{ events: FeedEvent[]; until: FeedPosition; complete: boolean }>;
  close(): Promise<void>;
}

/** The push gateway's sources over the database. */
export interface PushSources {
  /** The adapter to use when none is configured: Redis when a URL is given, else PostgreSQL's (or in-memory on the embedded database). */
  defaultAdapterKind(redisUrl: string | undefined): PushAdapterKind;
  createAdapter(kind: PushAdapterKind, options: { redisUrl?: string; onError: (error: unknown) => void }): Promise<PushAdapter>;
  createFeed(options: HistoryFeedOptions): HistoryFeed;
}
