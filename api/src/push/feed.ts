/**
 * The push feed: reads the history table in commit-safe order and turns the rows
 * that matter to inboxes (task and incident facts) into {@link FeedEvent}s, for
 * live fan-out and for replays. Live and replayed events come from the same rows
 * through the same mapping, so they are identical.
 *
 * ## Why (tx, id) and not the history id
 * `history.id` is a bigserial taken at INSERT, not at COMMIT: a reader can see row
 * 105 (committed) while 104 (inserted earlier by a slower transaction) is still
 * invisible; a cursor "last id = 105" would skip 104 for ever. Migration 0003 stamps
 * every row with its transaction id (`tx xid8 DEFAULT pg_current_xact_id()`), and
 * the feed reads only rows whose `tx` is below `pg_snapshot_xmin(pg_current_snapshot())`
 * — the oldest transaction still running — in (tx, id) order. Every transaction
 * below that horizon has ended, and every row written from now on gets a larger tx,
 * so nothing can appear behind the cursor later. Rows already visible but above the
 * horizon are "pending": the feed re-reads shortly (5 ms, doubling to 250 ms) until
 * they pass it. On PGlite (one session) a read runs only between transactions, so
 * nothing is ever pending there.
 *
 * ## Transactions of other applications
 * Transaction ids are server-wide: a big write in another schema or database (a
 * bulk import, someone's test seeding 100,000 rows) holds xmin back and, with it,
 * every push, for as long as it runs. So when rows are pending on a real PostgreSQL,
 * the re-read uses a finer horizon: the oldest running transaction that holds a
 * lock on a table of this schema (every writer of history touches the schema
 * before it gets its transaction id: the engine locks an instance row, the task
 * store and the overdue scanner write in one statement), or that has committed
 * since the snapshot; transactions of others are passed over. Nothing is skipped
 * either way: a transaction of ours is never passed over, and one that commits
 * meanwhile holds the horizon until a new snapshot sees it. A transaction of ours
 * left open still delays pushes (never loses them): the feed reports a stall after
 * 10 s, and the server's `idle_in_transaction_session_timeout` bounds it.
 *
 * ## The buffer
 * The last `bufferSize` events are kept in memory (loaded from the database at
 * start, so a restarted process has them too): reconnecting clients, the common
 * case, replay from memory without a query, and the switch from replay to live
 * happens in one synchronous step.
 *
 * SQL goes through the open Database's sequelize instance (raw SQL, bind
 * parameters): the same pool and, on PGlite, the same single connection as the engine.
 */
import type { Engine } from '../../../engine/src/engine';
import { NotFoundError } from '../../../engine/src/errors';
import type { Database } from '../../../engine/src/store-sequelize/connect';
import type { TaskAccessFacts } from '../auth/policy';
import {
  comparePositions,
  EVENT_OF_HISTORY_TYPE,
  FEED_START,
  type FeedEvent,
  type FeedPosition,
  formatEventId,
  PUSH_HISTORY_TYPES,
  type PushTask,
  ROW_END,
} from './events';

/** One history event as the read query returns it (JSON, from `json_agg`). */
interface FeedRow {
  tx: string;
  id: string;
  /** Place of the event in its row's `events`. */
  seq: number;
  type: string;
  instanceId: string;
  at: string;
  actor: string | null;
  processId: string | null;
  definitionId: string | null;
  // task events
  taskId: string | null;
  elementId: string | null;
  name: string | null;
  assignee: string | null;
  previousAssignee: string | null;
  candidateGroups: string[] | null;
  candidateUsers: string[] | null;
  agency: string | null;
  dueAt: string | null;
  state: PushTask['state'] | null;
  // incident events
  incident: { id?: string; elementId?: string; kind?: string; message?: string; jobId?: string } | null;
}

const TYPE_LIST = PUSH_HISTORY_TYPES.map((t) => `'${t}'`).join(', ');
const ASSIGNMENT_TYPES = `'taskOpened', 'taskClaimed', 'taskUnclaimed', 'taskAssigned'`;

/** The horizon: rows of transactions below it are all visible (or were rolled back). */
const XMIN_HORIZON = 'pg_snapshot_xmin(pg_current_snapshot())';

/**
 * The finer horizon (real PostgreSQL; see "Transactions of other applications"): the
 * oldest transaction of the snapshot's running list that is ours (holds a lock on a
 * relation of this schema: `current_schema()`, the feed connection's search_path) or
 * that has committed since; none: one past the newest completed transaction.
 */
const SCHEMA_HORIZON = `coalesce(
    (SELECT min(x) FROM pg_snapshot_xip(pg_current_snapshot()) AS x
     WHERE pg_xact_status(x) = 'committed'
        OR (pg_xact_status(x) = 'in progress' AND x::xid IN (
              SELECT t.transactionid FROM pg_locks t
              WHERE t.locktype = 'transactionid' AND t.mode = 'ExclusiveLock' AND t.granted
                AND t.pid IN (
                  SELECT r.pid FROM pg_locks r
                  WHERE r.locktype = 'relation'
                    AND r.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                    AND r.relation IN (SELECT c.oid FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace))))),
    pg_snapshot_xmax(pg_current_snapshot()))`;

/**
 * Is a committed row waiting above the horizon (`pending`), or above xmin (`lagging`)?
 * Asked as "is the newest row's tx at or above it", a one-row backward scan of the
 * partial index (an EXISTS over `tx >= xmin` gets a sequential scan: the planner
 * cannot know how recent xmin is).
 */
const NEWEST = `(SELECT p.tx FROM history p WHERE p.push ORDER BY p.tx DESC, p.id DESC LIMIT 1)`;
const PENDING = `coalesce(${NEWEST} >= (SELECT xmin FROM snap), false) AS pending, coalesce(${NEWEST} >= ${XMIN_HORIZON}, false) AS lagging`;

/**
 * The read: `push` rows after $1/$2 (tx, id) (from that row itself with `fromRow`: a
 * replay from the middle of a row), below the running-transaction horizon, optionally up
 * to $4/$5, at most $3 rows; then their events of the feed's types, with their task (or
 * incident) and instance. Also answers how many rows were read and the last one.
 *
 * The assignee is the one right after the event: from the row itself where it
 * says (opened, claimed, unclaimed, assigned, overdue), the final one for a closed
 * task (closed tasks never change hands), else the last assignment row before it.
 */
function readSql(options: { bounded: boolean; pending: boolean; horizon?: string; fromRow?: boolean }): string {
  return `
WITH snap AS MATERIALIZED (SELECT ${options.horizon ?? XMIN_HORIZON} AS xmin),
page AS (
  SELECT h.tx, h.id, h.instance_id, h.at, h.actor, h.events
  FROM history h
  WHERE h.push
    AND (h.tx, h.id) ${options.fromRow ? '>=' : '>'} ($1::xid8, $2::bigint)
    AND h.tx < (SELECT xmin FROM snap)
    ${options.bounded ? 'AND (h.tx, h.id) <= ($4::xid8, $5::bigint)' : ''}
  ORDER BY h.tx, h.id
  LIMIT $3
),
ev AS (
  -- jsonb: each event is parsed once here, not again by every operator below.
  SELECT p.tx, p.id, (e.n - 1)::int AS seq, p.instance_id, p.at, p.actor, e.event ->> 'type' AS type, e.event AS data,
         coalesce(e.event #>> '{task,id}', e.event ->> 'taskId') AS task_id
  FROM page p
  CROSS JOIN LATERAL jsonb_array_elements(p.events::jsonb) WITH ORDINALITY AS e(event, n)
  WHERE e.event ->> 'type' IN (${TYPE_LIST})
)
SELECT
  ${options.pending ? PENDING : 'false AS pending, false AS lagging'},
  (SELECT xmin FROM snap)::text AS horizon,
  (SELECT count(*)::int FROM page) AS page_rows,
  (SELECT json_build_object('tx', p.tx::text, 'id', p.id::text) FROM page p ORDER BY p.tx DESC, p.id DESC LIMIT 1) AS page_last,
  (SELECT coalesce(json_agg(json_build_object(
      'tx', ev.tx::text, 'id', ev.id::text, 'seq', ev.seq, 'type', ev.type, 'instanceId', ev.instance_id, 'at', ev.at, 'actor', ev.actor,
      'processId', i.process_id, 'definitionId', i.definition_id,
      'taskId', t.id, 'elementId', t.element_id, 'name', t.name,
      'assignee', CASE
          WHEN t.id IS NULL THEN NULL
          WHEN ev.type = 'taskOpened' THEN ev.data #>> '{task,assignee}'
          WHEN ev.type IN ('taskClaimed', 'taskUnclaimed', 'taskAssigned') OR ev.data -> 'assignee' IS NOT NULL THEN ev.data ->> 'assignee'
          WHEN ev.type IN ('taskCompleted', 'taskCancelled') THEN t.assignee
          ELSE (SELECT CASE WHEN pe.event ->> 'type' = 'taskOpened' THEN pe.event #>> '{task,assignee}' ELSE pe.event ->> 'assignee' END
                FROM history p
                CROSS JOIN LATERAL jsonb_array_elements(p.events::jsonb) WITH ORDINALITY AS pe(event, n)
                WHERE p.instance_id = ev.instance_id AND p.push AND pe.event ->> 'type' IN (${ASSIGNMENT_TYPES})
                  AND coalesce(pe.event #>> '{task,id}', pe.event ->> 'taskId') = t.id
                  AND (p.tx, p.id, pe.n - 1) < (ev.tx, ev.id, ev.seq)
                ORDER BY p.tx DESC, p.id DESC, pe.n DESC LIMIT 1)
        END,
      'previousAssignee', CASE WHEN ev.type IN ('taskClaimed', 'taskUnclaimed', 'taskAssigned') THEN ev.data ->> 'previousAssignee' END,
      'candidateGroups', t.candidate_groups, 'candidateUsers', t.candidate_users, 'agency', t.agency, 'dueAt', t.due_at,
      'state', CASE WHEN t.state <> 'open' AND t.completed_at <= ev.at THEN t.state ELSE 'open' END,
      'incident', CASE WHEN ev.type = 'incidentRaised' THEN ev.data -> 'incident' END
    ) ORDER BY ev.tx, ev.id, ev.seq), '[]'::json)
   FROM ev
   LEFT JOIN tasks t ON ev.type <> 'incidentRaised' AND t.id = ev.task_id
   LEFT JOIN instances i ON i.id = ev.instance_id
  ) AS rows`;
}

const READ_LIVE_SQL = readSql({ bounded: false, pending: true });
const READ_LIVE_SCHEMA_HORIZON_SQL = readSql({ bounded: false, pending: true, horizon: SCHEMA_HORIZON });
const READ_RANGE_SQL = readSql({ bounded: true, pending: false });
const READ_RANGE_FROM_ROW_SQL = readSql({ bounded: true, pending: false, fromRow: true });

/** The newest row below the horizon (a new feed starts after it). */
const FRONTIER_SQL = `
SELECT h.tx::text AS tx, h.id::text AS id FROM history h
WHERE h.push AND h.tx < pg_snapshot_xmin(pg_current_snapshot())
ORDER BY h.tx DESC, h.id DESC LIMIT 1`;

/** The newest $3 rows at or before $1/$2, newest first. */
const TAIL_SQL = `
SELECT h.tx::text AS tx, h.id::text AS id FROM history h
WHERE h.push AND (h.tx, h.id) <= ($1::xid8, $2::bigint)
ORDER BY h.tx DESC, h.id DESC LIMIT $3`;

/** After every event of a row. */
const afterRow = (row: { tx: string; id: string }): FeedPosition => ({ tx: BigInt(row.tx), id: BigInt(row.id), seq: ROW_END });

/** How long rows may wait above the horizon before the feed reports it. */
const STALL_REPORT_MS = 10_000;

const iso = (value: string | null): string | null => (value === null ? null : new Date(value).toISOString());
const optional = (value: string | null | undefined): string | undefined => (value === null || value === undefined || value === '' ? undefined : value);

/** Options of {@link PushFeed}. */
export interface PushFeedOptions {
  db: Database;
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
}

/** Reads history into events: live (following the horizon) and by range (replays). */
export class PushFeed {
  private positionValue: FeedPosition = FEED_START;
  private buffer: FeedEvent[] = [];
  /** Every event after this position and up to `position` is in `buffer`. */
  private bufferFrom: FeedPosition = FEED_START;
  private readonly pageSize: number;
  private readonly bufferSize: number;
  private readonly pollMs: number;
  private running = false;
  private again = false;
  private closed = false;
  private retryMs = 0;
  /** Since when rows have waited above the horizon (0: they do not). */
  private pendingSince = 0;
  private stallReported = false;
  /** The last read left rows pending: the next one uses the finer horizon (real PostgreSQL only). */
  private refine = false;
  private retryTimer?: NodeJS.Timeout;
  private pollTimer?: NodeJS.Timeout;
  private idle?: Promise<void>;
  private readonly agencies = new Map<string, Promise<string | undefined>>();

  constructor(private readonly options: PushFeedOptions) {
    this.pageSize = options.pageSize ?? 500;
    this.bufferSize = options.bufferSize ?? 10_000;
    this.pollMs = options.pollMs ?? 2_000;
  }

  /** Where the feed is: every event up to here has been handed to `onEvents`. */
  get position(): FeedPosition {
    return this.positionValue;
  }

  /** Finds the frontier and fills the buffer with the events before it; reads nothing new until {@link follow}. */
  async start(): Promise<void> {
    const frontier = await this.select<{ tx: string; id: string }>(FRONTIER_SQL, []);
    const position = frontier[0] ? afterRow(frontier[0]) : FEED_START;
    if (this.bufferSize > 0 && frontier[0]) {
      const tail = await this.select<{ tx: string; id: string }>(TAIL_SQL, [frontier[0].tx, frontier[0].id, this.bufferSize + 1]);
      // The (bufferSize+1)th newest row, if any, is where the buffer starts (exclusive).
      // (Rows, not events: a row may hold several events, so the buffer may start fuller.)
      const from = tail.length > this.bufferSize ? tail[this.bufferSize] : undefined;
      this.bufferFrom = from ? afterRow(from) : FEED_START;
      const loaded: FeedEvent[] = [];
      let after = this.bufferFrom;
      for (;;) {
        const page = await this.readRange(after, position);
        loaded.push(...page.events);
        after = page.until;
        if (page.complete) break;
      }
      this.buffer = loaded;
    } else {
      this.bufferFrom = position;
    }
    this.positionValue = position;
  }

  /** Starts polling (wake-ups work from `start` on; the poll is the safety net). */
  follow(): void {
    if (this.closed || this.pollTimer) return;
    this.pollTimer = setInterval(() => this.wake(), this.pollMs);
    this.pollTimer.unref();
    this.wake();
  }

  /** Asks for a read: now if none is running, else right after it (wake-ups coalesce). */
  wake(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.idle = this.pump();
  }

  /** Resolves once no read is running (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.running && this.idle) await this.idle;
  }

  /**
   * Buffered events after `after`, up to the feed's position, or undefined when the
   * buffer does not reach back that far (then read the gap with {@link readRange}).
   * Synchronous on purpose: a replay switches to live in the same step.
   */
  bufferedAfter(after: FeedPosition): FeedEvent[] | undefined {
    if (comparePositions(after, this.bufferFrom) < 0) return undefined;
    // Binary search for the first event after `after`.
    let lo = 0;
    let hi = this.buffer.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (comparePositions(this.buffer[mid].position, after) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return this.buffer.slice(lo);
  }

  /** Where the buffer starts (exclusive): replays from before it query up to here first. */
  get bufferStart(): FeedPosition {
    return this.bufferFrom;
  }

  /**
   * Events after `after` and at most `upTo` (a position the feed has passed), one page.
   * `until` is where the next page starts; `complete` when the range is exhausted.
   */
  async readRange(after: FeedPosition, upTo: FeedPosition): Promise<{ events: FeedEvent[]; until: FeedPosition; complete: boolean }> {
    if (comparePositions(after, upTo) >= 0) return { events: [], until: after, complete: true };
    // From the middle of a row (a client's last event id), that row is read again for its later events.
    const sql = after.seq === ROW_END ? READ_RANGE_SQL : READ_RANGE_FROM_ROW_SQL;
    const result = await this.read(sql, [after.tx.toString(), after.id.toString(), this.pageSize, upTo.tx.toString(), upTo.id.toString()]);
    const complete = result.pageRows < this.pageSize;
    const until = complete || !result.pageLast ? upTo : afterRow(result.pageLast);
    const events = (await this.decode(result.rows)).filter((e) => comparePositions(e.position, after) > 0 && comparePositions(e.position, upTo) <= 0);
    return { events, until, complete };
  }

  /** Stops reading and polling; a read in progress finishes (its events are dropped). */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.pollTimer);
    clearTimeout(this.retryTimer);
    await this.settled();
  }

  private async pump(): Promise<void> {
    this.running = true;
    try {
      do {
        this.again = false;
        const after = this.positionValue;
        const sql = this.refine ? READ_LIVE_SCHEMA_HORIZON_SQL : READ_LIVE_SQL;
        // The live position is always after a whole row.
        const result = await this.read(sql, [after.tx.toString(), after.id.toString(), this.pageSize]);
        // The finer horizon while xmin lags behind our rows; back to the cheap one after.
        this.refine = result.lagging && !this.options.db.embedded;
        const events = (await this.decode(result.rows)).filter((e) => comparePositions(e.position, after) > 0);
        if (this.closed) return;
        if (result.pageLast) {
          // From here to onEvents, nothing awaits: position, buffer and fan-out move together.
          this.positionValue = afterRow(result.pageLast);
          this.remember(events);
          if (events.length > 0) this.options.onEvents(events);
          if (result.pageRows === this.pageSize) this.again = true;
        }
        if (result.pending) {
          this.scheduleRetry();
          this.watchStall(result.horizon);
        } else {
          this.retryMs = 0;
          this.pendingSince = 0;
          this.stallReported = false;
        }
      } while (this.again && !this.closed);
    } catch (error) {
      // The database is unreachable or failing: report it, and let the poll try again.
      this.options.onError(error);
    } finally {
      this.running = false;
    }
  }

  /** Rows are visible but above the horizon: read again soon (5 ms, doubling up to 250 ms). */
  private scheduleRetry(): void {
    if (this.closed || this.retryTimer) return;
    this.retryMs = Math.min(this.retryMs === 0 ? 5 : this.retryMs * 2, 250, this.pollMs);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.wake();
    }, this.retryMs);
    this.retryTimer.unref();
  }

  /**
   * Rows wait behind a transaction that has been open for a long time somewhere on the
   * server (any database: transaction ids are cluster-wide). Say so once per stall:
   * pushes are late until it ends; `idle_in_transaction_session_timeout` bounds it.
   */
  private watchStall(horizon: string): void {
    const now = Date.now();
    if (this.pendingSince === 0) this.pendingSince = now;
    if (this.stallReported || now - this.pendingSince < STALL_REPORT_MS) return;
    this.stallReported = true;
    this.options.onError(
      new Error(
        `push: new history rows have waited ${Math.round((now - this.pendingSince) / 1000)} s behind transaction ${horizon}, ` +
          `still open on the PostgreSQL server; inbox events are late until it ends (see pg_stat_activity.backend_xid)`,
      ),
    );
  }

  private remember(events: FeedEvent[]): void {
    if (this.bufferSize === 0) {
      this.bufferFrom = this.positionValue;
      return;
    }
    this.buffer.push(...events);
    // Trim in batches (a quarter over the size) to keep appends cheap.
    if (this.buffer.length > this.bufferSize + (this.bufferSize >> 2)) {
      const dropped = this.buffer.length - this.bufferSize;
      this.bufferFrom = this.buffer[dropped - 1].position;
      this.buffer = this.buffer.slice(dropped);
    }
  }

  private async read(
    sql: string,
    bind: unknown[],
  ): Promise<{ pending: boolean; lagging: boolean; horizon: string; pageRows: number; pageLast: { tx: string; id: string } | null; rows: FeedRow[] }> {
    type Answer = { pending: boolean; lagging: boolean; horizon: string; page_rows: number; page_last: { tx: string; id: string } | string | null; rows: FeedRow[] | string };
    const [row] = await this.select<Answer>(sql, bind);
    const parse = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);
    return {
      pending: row.pending,
      lagging: row.lagging,
      horizon: row.horizon,
      pageRows: row.page_rows,
      pageLast: row.page_last === null ? null : parse(row.page_last),
      rows: parse(row.rows),
    };
  }

  private async select<T>(sql: string, bind: unknown[]): Promise<T[]> {
    return (await this.options.db.sequelize.query(sql, { bind, type: 'SELECT', raw: true })) as T[];
  }

  /** Rows to events; a row whose task is gone (never, in practice) gives none. */
  private async decode(rows: FeedRow[]): Promise<FeedEvent[]> {
    const events: FeedEvent[] = [];
    for (const row of rows) {
      const kind = EVENT_OF_HISTORY_TYPE[row.type];
      if (!kind) continue;
      const position: FeedPosition = { tx: BigInt(row.tx), id: BigInt(row.id), seq: row.seq };
      const base = { id: formatEventId(position), at: new Date(row.at).toISOString(), actor: row.actor };
      if (kind.type === 'incident.created') {
        const incident = row.incident ?? {};
        const agency = row.definitionId && incident.elementId ? await this.agencyOf(row.definitionId, incident.elementId) : undefined;
        events.push({
          position,
          payload: {
            ...base,
            type: 'incident.created',
            incident: {
              id: incident.id ?? '',
              instanceId: row.instanceId,
              processId: row.processId,
              elementId: incident.elementId ?? null,
              kind: incident.kind ?? 'unknown',
              message: incident.message ?? null,
              jobId: incident.jobId ?? null,
              agency: agency ?? null,
            },
          },
          access: { kind: 'incident', incident: { agency } },
        });
        continue;
      }
      if (!row.taskId || !row.elementId) continue;
      const candidateGroups = row.candidateGroups ?? [];
      const candidateUsers = row.candidateUsers ?? [];
      const after: TaskAccessFacts = { agency: optional(row.agency), assignee: optional(row.assignee), candidateGroups, candidateUsers };
      const movedHands = row.type === 'taskClaimed' || row.type === 'taskUnclaimed' || row.type === 'taskAssigned';
      const before = movedHands && optional(row.previousAssignee) !== after.assignee ? { ...after, assignee: optional(row.previousAssignee) } : undefined;
      events.push({
        position,
        payload: {
          ...base,
          type: kind.type,
          ...(kind.change ? { change: kind.change } : {}),
          task: {
            id: row.taskId,
            instanceId: row.instanceId,
            processId: row.processId ?? '',
            elementId: row.elementId,
            name: row.name,
            assignee: after.assignee ?? null,
            candidateGroups,
            agency: row.agency,
            dueAt: iso(row.dueAt),
            state: kind.state ?? row.state ?? 'open',
          },
        },
        access: { kind: 'task', after, before },
      });
    }
    return events;
  }

  /**
   * The agency of an element: its own facts, else its procedure's (as tasks get theirs).
   * A failure to load the definition fails the read (retried, nothing skipped) and is
   * not cached; a definition that does not exist has no agency.
   */
  private agencyOf(definitionId: string, elementId: string): Promise<string | undefined> {
    const key = `${definitionId}\u0000${elementId}`;
    let agency = this.agencies.get(key);
    if (!agency) {
      agency = this.options.engine.graph(definitionId).then(
        (graph) => optional(graph.nodes[elementId]?.facts?.agency) ?? optional(graph.facts?.agency),
        (error: unknown) => {
          this.agencies.delete(key);
          if (error instanceof NotFoundError) return undefined;
          throw error;
        },
      );
      this.agencies.set(key, agency);
    }
    return agency;
  }
}
