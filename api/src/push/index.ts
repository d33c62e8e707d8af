/**
 * Live inboxes: the socket.io gateway that tells officials, as soon as a command
 * has committed, about the tasks they may see (and agency admins about incidents).
 *
 * ## What a client does
 *
 *     const socket = io(url, { auth: (cb) => cb({ token, lastEventId }) });
 *     socket.on('task.created', (event) => { lastEventId = event.id; ... });
 *     socket.on('ready', ({ lastEventId: id }) => { lastEventId = id; });   // live from here
 *
 * The handshake carries the access token (`auth.token`, or an `Authorization:
 * Bearer` header); a missing or bad one fails with a `connect_error` saying why.
 * With `auth.lastEventId` (or later by emitting `replay` with an event id) the
 * client first receives every event after that id that it may see, in order, then
 * `ready`, then live events: nothing is lost across a disconnect, a server restart
 * or a switch to another API process. Keep the id of the last event, or of `ready`
 * (which also covers events the client was not shown). Events: `task.created`,
 * `task.claimed`, `task.completed`, `task.updated` (with `change`: unclaimed,
 * assigned, commented, cancelled, changed: its due date moved), `task.overdue`, `task.followUp`, `incident.created`; see
 * `events.ts` for the payloads. A client too far behind (more than
 * `maxReplayEvents` events to scan) gets `resync` instead: reload the inbox
 * over REST and continue from the id it carries.
 *
 * ## Where events come from
 *
 * Only from committed history rows (`feed.ts`): the engine's task and incident
 * effects, the task store's claims and comments, the overdue scanner's
 * `taskOverdue` rows (`overdue.ts`). Live and replay read the same rows through
 * the same mapping, so they send the same thing.
 *
 * ## Who receives what
 *
 * Sockets join `user:<id>`, `agency:<agency>:group:<group>` per group,
 * `agency:<agency>:admins` (agency admins), and `agency:<agency>` (everyone of the
 * agency, for tasks offered to no one in particular). The rooms narrow the
 * candidates (policy's `taskAudience`); every single delivery, live or replayed,
 * is then checked with `canSeeTask` (incidents: `canResolveIncident`) for that
 * socket's principal. A claim, unclaim or assignment also goes to whoever could
 * see the task just before it, so their inbox can drop it.
 *
 * ## Several API processes: each process tails the feed
 *
 * Chosen over "the committing process emits to rooms through the adapter", because:
 *  1. every delivery must pass `canSeeTask` for the receiving socket's principal, and
 *     per-socket cursors decide what a replaying or reconnecting socket still needs;
 *     only the process that holds the socket knows both;
 *  2. exactly once per client falls out: a socket lives on one process, and that
 *     process sends each event to it at most once (its cursor only moves forward),
 *     whatever number of processes committed or read the row;
 *  3. commits by processes that have no push gateway (a job executor, the CLI)
 *     reach the inboxes too.
 * So each process reads history itself, woken by its own engine's `committed` /
 * `task-event` and overdue reports (at once), by the other API processes through the
 * socket.io adapter (`serverSideEmit('motcua:history')` after each of their commits
 * that wrote push rows, coalesced per event-loop turn: postgres adapter = one NOTIFY,
 * redis adapter = one PUBLISH), and by a poll (`pollMs`, default 2 s) as a safety
 * net. The cost is one history read per process per wake-up, not per client. The adapter carries these wake-ups
 * and any other broadcast (`io.to(room).emit`) between processes; task events
 * themselves are never broadcast through it (`io.local`), so no client gets one twice.
 *
 * Adapter (`adapters.ts`): memory on the embedded database (PGlite is one session,
 * one process), postgres on a real server, redis when `MOTCUA_REDIS_URL` is set.
 */
import type http from 'node:http';
import { Server, type Socket } from 'socket.io';
import { type CommittedEvent, type Logger, MotcuaError, silentLogger, TASK_EVENT } from '../../../engine/src/index';
import { canResolveIncident, canSeeTask, taskAudience } from '../auth/policy';
import type { Principal } from '../auth/principal';
import type { AppContext } from '../context';
import {
  comparePositions,
  type FeedEvent,
  type FeedPosition,
  formatEventId,
  laterOf,
  parseEventId,
  type IncidentEventPayload,
  type TaskEventPayload,
} from './events';
import type { PushAdapterKind, SkippedRow } from './sources';
import { OverdueScanner } from '../../../onestop/src/inbox/overdue-scanner';
import { forwardDossierUpdates, type DossierUpdatedPayload } from './dossier-updates';

export type { HistoryFeed, PushAdapterKind, PushSources, SkippedRow } from './sources';
export * from './events';

/** Options of {@link attachPush}. */
export interface PushOptions {
  /** Where push logs its errors (the server passes its logger; default: nowhere). */
  logger?: Logger;
  /** Default: redis when a Redis URL is set, else memory on the embedded database, postgres on a real one. */
  adapter?: PushAdapterKind;
  /** Default `MOTCUA_REDIS_URL`. */
  redisUrl?: string;
  /** Overdue scan interval in ms (default `MOTCUA_OVERDUE_SCAN_MS`, else 60,000; 0: only `scanOverdue()`). */
  overdueScanMs?: number;
  /** Safety-net re-read of history in ms (default 2,000). */
  pollMs?: number;
  /** Events kept in memory for replays (default 10,000). */
  bufferSize?: number;
  /** Most events a replay scans before answering `resync` instead (default 100,000). */
  maxReplayEvents?: number;
  /**
   * Each socket's token is verified again this often (default 300,000 ms, with jitter;
   * 0: never): an expired token or a disabled user is then disconnected with `unauthorized`.
   */
  reverifyMs?: number;
  /** socket.io path (default `/socket.io`). */
  path?: string;
  /** Where errors of the background work go (default: stderr). */
  onError?: (error: unknown) => void;
  /** A malformed history row was skipped (the feed goes on); default: `onError`. */
  onSkippedRow?: (row: SkippedRow) => void;
}

/** A running push gateway. */
export interface PushServer {
  io: PushIo;
  /** Reports overdue tasks now (also runs on its timer); resolves with how many were reported. */
  scanOverdue(): Promise<number>;
  /** Disconnects this process's clients (they reconnect elsewhere and replay), stops the background work. The http server stays open. */
  close(): Promise<void>;
}

/** What `ready` and a `replay` acknowledgement carry. */
export interface ReadyInfo {
  /** The position the client is at now: give it back as `lastEventId` to resume. */
  lastEventId: string;
  /** Events sent by the replay that just ended. */
  replayed: number;
}

/** Events a client may send. */
export interface ClientToServerEvents {
  replay: (request: string | { lastEventId?: string }, ack?: (answer: ReadyInfo | { error: string }) => void) => void;
}

/** Events the server sends. */
export interface ServerToClientEvents {
  'task.created': (event: TaskEventPayload) => void;
  'task.claimed': (event: TaskEventPayload) => void;
  'task.completed': (event: TaskEventPayload) => void;
  'task.updated': (event: TaskEventPayload) => void;
  'task.overdue': (event: TaskEventPayload) => void;
  /** The task's follow-up date came: for a task due by its statutory time, the warning before due (MOTCUA_TASK_WARNING). */
  'task.followUp': (event: TaskEventPayload) => void;
  'incident.created': (event: IncidentEventPayload) => void;
  /** A dossier of the socket's agency (or its own, for a citizen) changed (`dossier-updates.ts`). */
  'dossier.updated': (event: DossierUpdatedPayload) => void;
  ready: (info: ReadyInfo) => void;
  resync: (info: { lastEventId: string; reason: string }) => void;
  /** Sent just before the server disconnects a socket whose token is no longer accepted. */
  unauthorized: (info: { message: string }) => void;
}

/** Between API processes. */
export interface InterServerEvents {
  'motcua:history': () => void;
}

/** Per socket. */
export interface SocketData {
  principal: Principal;
  /** The handshake's token, verified again every `reverifyMs`. */
  token: string;
  /** Where to resume from, as the handshake asked. */
  resumeFrom?: FeedPosition;
  /** The last position this socket has been brought to (sent or judged invisible). */
  cursor: FeedPosition;
  /** False while a replay runs: live events then wait for the replay to reach them. */
  live: boolean;
  /** Replays of this socket, one after the other. */
  chain: Promise<void>;
  /** Replays running or waiting (at most 2: a client cannot queue up work). */
  queued: number;
}

export type PushIo = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type PushSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** Engine effects that write rows the feed reads. */
const PUSH_EFFECTS = new Set(['taskOpened', 'taskCompleted', 'taskCancelled', 'incidentRaised']);

const HTTP_EVENTS = ['request', 'upgrade', 'close', 'listening'] as const;

/** A `connect_error` for the client: `message` says what to fix, `data.code` is stable. */
function handshakeError(code: string, message: string): Error & { data: { code: string } } {
  return Object.assign(new Error(message), { data: { code } });
}

function tokenOf(handshake: PushSocket['handshake']): string | undefined {
  const auth = handshake.auth as { token?: unknown } | undefined;
  if (typeof auth?.token === 'string' && auth.token !== '') return auth.token;
  const header = handshake.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

/** The rooms a principal's sockets join. */
export function roomsOf(principal: Principal): string[] {
  const rooms = [`user:${principal.id}`];
  const agency = principal.agency;
  if (agency) {
    rooms.push(`agency:${agency}`);
    for (const group of principal.groups) rooms.push(`agency:${agency}:group:${group}`);
    if (principal.roles.includes('agency-admin')) rooms.push(`agency:${agency}:admins`);
  }
  return rooms;
}

/** The rooms whose members may see an event (a superset; `canSee` decides). */
function candidateRooms(event: FeedEvent): string[] {
  if (event.access.kind === 'incident') {
    const agency = event.access.incident.agency;
    return agency ? [`agency:${agency}:admins`] : [];
  }
  const rooms = new Set<string>();
  for (const facts of [event.access.after, event.access.before]) {
    if (!facts) continue;
    const audience = taskAudience(facts);
    if (!audience.agency) continue;
    rooms.add(`agency:${audience.agency}:admins`);
    for (const user of audience.users) rooms.add(`user:${user}`);
    for (const group of audience.groups) rooms.add(`agency:${audience.agency}:group:${group}`);
    if (audience.allOfficials) rooms.add(`agency:${audience.agency}`);
  }
  return [...rooms];
}

/** May this principal receive this event? The policy decides, for every delivery. */
function canSee(principal: Principal, event: FeedEvent): boolean {
  if (event.access.kind === 'incident') return canResolveIncident(principal, event.access.incident);
  const { after, before } = event.access;
  return canSeeTask(principal, after) || (before !== undefined && canSeeTask(principal, before));
}

/** Sends an event under its type's name (one cast: the payload matches its type by construction). */
function emit(target: { emit(event: 'task.created', payload: TaskEventPayload): unknown }, event: FeedEvent): void {
  target.emit(event.payload.type as 'task.created', event.payload as TaskEventPayload);
}

/**
 * Attaches the push gateway to `server` (the API's http server) and starts
 * following history. Resolves once clients can connect.
 *
 * @example
 *   const push = await attachPush(server, ctx);
 *   // ... on shutdown:
 *   await push.close();
 *   server.close();
 */
export async function attachPush(server: http.Server, ctx: AppContext, options: PushOptions = {}): Promise<PushServer> {
  const logger = (options.logger ?? silentLogger).child({ component: 'push' });
  const onError = options.onError ?? ((error: unknown) => logger.error({ err: error }, 'push error'));
  const redisUrl = options.redisUrl ?? ctx.config.redisUrl;
  const sources = ctx.stores.push;
  const kind = options.adapter ?? sources.defaultAdapterKind(redisUrl);
  const overdueScanMs = options.overdueScanMs ?? ctx.config.overdueScanMs ?? 60_000;
  const maxReplayEvents = options.maxReplayEvents ?? 100_000;
  const reverifyMs = options.reverifyMs ?? 300_000;
  let closed = false;

  const adapter = await sources.createAdapter(kind, { redisUrl, onError });

  const feed = sources.createFeed({
    engine: ctx.engine,
    bufferSize: options.bufferSize,
    pollMs: options.pollMs,
    onEvents: (events) => deliverLive(events),
    onError,
    onSkipped: options.onSkippedRow,
  });
  try {
    await feed.start();
  } catch (error) {
    await feed.close();
    await adapter.close().catch(() => undefined);
    throw error;
  }

  const listenersBefore = Object.fromEntries(HTTP_EVENTS.map((event) => [event, server.listeners(event)])) as Record<(typeof HTTP_EVENTS)[number], Function[]>;
  const pushIo: PushIo = new Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>(server, {
    path: options.path,
    serveClient: false,
    ...(adapter.adapter ? { adapter: adapter.adapter } : {}),
  });
  const listenersAdded = Object.fromEntries(
    HTTP_EVENTS.map((event) => [event, server.listeners(event).filter((listener) => !listenersBefore[event].includes(listener))]),
  ) as Record<(typeof HTTP_EVENTS)[number], Function[]>;
  const namespace = pushIo.of('/');

  // ---------------------------------------------------------------- handshake

  pushIo.use((socket, next) => {
    const token = tokenOf(socket.handshake);
    if (!token) {
      next(handshakeError('UNAUTHORIZED', 'Authentication required: send the access token as auth: { token } or in an Authorization: Bearer header'));
      return;
    }
    const lastEventId = (socket.handshake.auth as { lastEventId?: unknown } | undefined)?.lastEventId;
    let resumeFrom: FeedPosition | undefined;
    if (lastEventId !== undefined && lastEventId !== null && lastEventId !== '') {
      resumeFrom = parseEventId(lastEventId);
      if (!resumeFrom) {
        next(handshakeError('INVALID_INPUT', `Invalid lastEventId ${JSON.stringify(lastEventId)}: expected the id of an event received earlier`));
        return;
      }
    }
    ctx.auth.verify(token).then(
      (principal) => {
        socket.data = { principal, token, resumeFrom, cursor: feed.position, live: false, chain: Promise.resolve(), queued: 0 };
        next();
      },
      (error: unknown) => {
        const reason = error instanceof MotcuaError && error.code === 'UNAUTHORIZED' ? error.message : 'the token is not valid';
        next(handshakeError('UNAUTHORIZED', `Authentication failed: ${reason}`));
      },
    );
  });

  pushIo.on('connection', (socket) => {
    void socket.join(roomsOf(socket.data.principal));
    if (reverifyMs > 0) keepVerifying(socket);
    // Fresh clients start at the feed's position now; either way, `ready` follows.
    resume(socket, socket.data.resumeFrom ?? feed.position);
    socket.on('replay', (request, ack) => {
      const raw = typeof request === 'string' ? request : request?.lastEventId;
      const from = parseEventId(raw);
      const answer = typeof ack === 'function' ? ack : undefined;
      if (!from) {
        answer?.({ error: `Invalid lastEventId ${JSON.stringify(raw)}: expected the id of an event received earlier` });
        return;
      }
      if (socket.data.queued >= 2) {
        answer?.({ error: 'A replay is already running and another one waits: ask again when they are done' });
        return;
      }
      resume(socket, from, answer);
    });
  });

  pushIo.on('motcua:history', () => feed.wake());

  /** Verifies the socket's token again now and then (jittered, so sockets do not all go at once). */
  function keepVerifying(socket: PushSocket): void {
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      timer = setTimeout(check, reverifyMs * (0.75 + Math.random() / 2));
      timer.unref();
    };
    const check = (): void => {
      if (closed || !socket.connected) return;
      ctx.auth.verify(socket.data.token).then(arm, (error: unknown) => {
        if (!socket.connected) return;
        const reason = error instanceof MotcuaError && error.code === 'UNAUTHORIZED' ? error.message : 'the token is not valid';
        socket.emit('unauthorized', { message: `Authentication failed: ${reason}; reconnect with a new token and your lastEventId` });
        socket.disconnect(true);
      });
    };
    arm();
    socket.once('disconnect', () => clearTimeout(timer));
  }

  // ---------------------------------------------------------------- delivery

  /** Live: each new event to the local sockets that are live, behind it, and may see it. */
  function deliverLive(events: FeedEvent[]): void {
    if (closed) return;
    const rooms = namespace.adapter.rooms;
    for (const event of events) {
      const targets: string[] = [];
      const seen = new Set<string>();
      for (const room of candidateRooms(event)) {
        for (const id of rooms.get(room) ?? []) {
          if (seen.has(id)) continue;
          seen.add(id);
          const socket = namespace.sockets.get(id);
          if (!socket) continue;
          const state = socket.data;
          if (!state.live || comparePositions(event.position, state.cursor) <= 0 || !canSee(state.principal, event)) continue;
          state.cursor = event.position;
          targets.push(id);
        }
      }
      // Never an empty list: `to([])` would mean everyone. `local`: this process's sockets only.
      if (targets.length > 0) emit(pushIo.local.to(targets), event);
    }
  }

  /** Replays from `from`, then goes live; replays of one socket run one after the other. */
  function resume(socket: PushSocket, from: FeedPosition, ack?: (answer: ReadyInfo) => void): void {
    socket.data.live = false;
    socket.data.queued += 1;
    socket.data.chain = socket.data.chain
      .then(() => replay(socket, from))
      .then(
        (info) => {
          if (!info) return;
          if (ack) ack(info);
          socket.emit('ready', info);
        },
        (error: unknown) => {
          // The client reconnects with its lastEventId and tries again.
          onError(error);
          socket.disconnect(true);
        },
      )
      .finally(() => {
        socket.data.queued -= 1;
      });
  }

  async function replay(socket: PushSocket, from: FeedPosition): Promise<ReadyInfo | undefined> {
    const state = socket.data;
    state.live = false;
    state.cursor = from;
    let replayed = 0;
    let scanned = 0;
    const send = (event: FeedEvent): void => {
      scanned += 1;
      if (!canSee(state.principal, event)) return;
      emit(socket, event);
      replayed += 1;
    };
    for (;;) {
      if (closed || !socket.connected) return undefined;
      const buffered = feed.bufferedAfter(state.cursor);
      if (buffered) {
        // Synchronously to the feed's position and live: no event can fall between.
        for (const event of buffered) send(event);
        state.cursor = laterOf(state.cursor, feed.position);
        state.live = true;
        return { lastEventId: formatEventId(state.cursor), replayed };
      }
      if (scanned >= maxReplayEvents) {
        state.cursor = feed.position;
        state.live = true;
        socket.emit('resync', { lastEventId: formatEventId(state.cursor), reason: `more than ${maxReplayEvents} events to replay: reload the inbox` });
        return { lastEventId: formatEventId(state.cursor), replayed };
      }
      const page = await feed.readRange(state.cursor, feed.bufferStart);
      if (closed || !socket.connected) return undefined;
      for (const event of page.events) send(event);
      state.cursor = page.until;
    }
  }

  // ---------------------------------------------------------------- wake-ups

  /**
   * History gained rows in this process (committed: every reader can see them now):
   * read them, and tell the other processes to read too (one NOTIFY or PUBLISH per
   * turn of the event loop, however many commits). Their feeds wait for the rows to
   * pass the horizon on their own.
   */
  let peersPending = false;
  function historyGrew(): void {
    feed.wake();
    if (!adapter.clustered || peersPending || closed) return;
    peersPending = true;
    setImmediate(() => {
      peersPending = false;
      if (!closed) pushIo.serverSideEmit('motcua:history');
    });
  }

  const onCommitted = (event: CommittedEvent): void => {
    if (event.effects.some((effect) => PUSH_EFFECTS.has(effect.type))) historyGrew();
  };
  const onTaskEvent = (): void => historyGrew();
  ctx.engine.events.on('committed', onCommitted);
  ctx.engine.events.on(TASK_EVENT, onTaskEvent);

  const scanner = new OverdueScanner({
    store: ctx.store,
    now: ctx.now,
    intervalMs: overdueScanMs,
    onReported: () => historyGrew(),
    onError,
  });
  scanner.start();
  feed.follow();
  const stopDossierUpdates = ctx.dossiers ? forwardDossierUpdates(pushIo, ctx.dossiers) : undefined;

  return {
    io: pushIo,
    scanOverdue: () => scanner.scan(),
    async close() {
      if (closed) return;
      closed = true;
      ctx.engine.events.off('committed', onCommitted);
      ctx.engine.events.off(TASK_EVENT, onTaskEvent);
      stopDossierUpdates?.();
      await scanner.close();
      await feed.close();
      // Like io.close(), but without closing the http server (the REST API keeps it):
      // closing the transports makes clients reconnect (reason "transport close").
      pushIo.engine.close();
      await namespace.adapter.close();
      for (const event of HTTP_EVENTS) for (const listener of listenersAdded[event]) server.removeListener(event, listener as (...args: unknown[]) => void);
      // engine.io took the http server's own request listeners; give them back.
      for (const listener of listenersBefore.request) {
        if (!server.listeners('request').includes(listener)) server.on('request', listener as (...args: unknown[]) => void);
      }
      await adapter.close();
    },
  };
}
