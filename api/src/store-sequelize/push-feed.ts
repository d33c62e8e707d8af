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
 * 10 s, and the server's `idle_in_transaction_session_timeout` bounds it. A new feed
 * starts after the newest row below the same finer horizon, so another application's old
 * transaction does not make it hand out again what was delivered before it started.
 *
 * ## The buffer
 * The last `bufferSize` events are kept in memory (loaded from the database at
 * start, so a restarted process has them too): reconnecting clients, the common
 * case, replay from memory without a query, and the switch from replay to live
 * happens in one synchronous step.
 *
 * ## Malformed rows
 * A row written by hand or by another program may hold events jsonb refuses (`\u0000`,
 * a lone surrogate: the `json` column took them), or not be a list at all; a task row
 * may hold a time that is no time. Such a row must not stop the feed: a page whose read
 * fails is read again with the events through `history_events_jsonb` (migration 0012,
 * NULL for a bad row), then, should that fail too, row by row; an event that cannot be
 * mapped is left out. Each bad row or event is reported once (`onSkipped`: the server
 * logs it with its position and counts it in `motcua_malformed_rows_skipped_total`) and
 * the feed goes on, live, on replay and at start-up. A read that fails because the
 * database is failing (connection, timeout) is retried whole, never narrowed.
 *
 * SQL goes through the open Database's sequelize instance (raw SQL, bind
 * parameters): the same pool and, on PGlite, the same single connection as the engine.
 */
import { type Engine, MotcuaError, NotFoundError, parseHistoryEvent } from '../../../engine/src/index';
import type { Database } from '../../../engine/src/store-sequelize/connect';
import type { TaskAccessFacts } from '../auth/policy';
import type { HistoryFeed, HistoryFeedOptions, SkippedRow } from '../push/sources';
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
} from '../push/events';

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
  /** The event as stored, read through the engine's history parser (history/events.ts). */
  event: unknown;
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
 * A range read ends at $4/$5, a position the live read has passed: every transaction of
 * its rows had ended then, so no horizon applies. (The plain xmin would be wrong here:
 * on a busy server it can lag behind rows the live read delivered with the finer
 * horizon, and a replay would then miss them.)
 */
const BEHIND_POSITION = 'AND (h.tx, h.id) <= ($4::xid8, $5::bigint)';

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
function readSql(options: { bounded: boolean; pending: boolean; horizon?: string; fromRow?: boolean; safe?: boolean }): string {
  // Safe: events through history_events_jsonb (migration 0012), NULL for a row jsonb refuses.
  const events = (alias: string) => (options.safe ? `history_events_jsonb(${alias}.events)` : `${alias}.events::jsonb`);
  return `
WITH snap AS MATERIALIZED (SELECT ${options.horizon ?? XMIN_HORIZON} AS xmin),
page AS (
  SELECT h.tx, h.id, h.instance_id, h.at, h.actor, ${events('h')} AS events
  FROM history h
  WHERE h.push
    AND (h.tx, h.id) ${options.fromRow ? '>=' : '>'} ($1::xid8, $2::bigint)
    ${options.bounded ? BEHIND_POSITION : 'AND h.tx < (SELECT xmin FROM snap)'}
  ORDER BY h.tx, h.id
  LIMIT $3
),
ev AS (
  -- jsonb: each event is parsed once here, not again by every operator below.
  SELECT p.tx, p.id, (e.n - 1)::int AS seq, p.instance_id, p.at, p.actor, e.event ->> 'type' AS type, e.event AS data,
         coalesce(e.event #>> '{task,id}', e.event ->> 'taskId') AS task_id
  FROM page p
  CROSS JOIN LATERAL jsonb_array_elements(p.events) WITH ORDINALITY AS e(event, n)
  WHERE e.event ->> 'type' IN (${TYPE_LIST})
)
SELECT
  ${options.pending ? PENDING : 'false AS pending, false AS lagging'},
  (SELECT xmin FROM snap)::text AS horizon,
  (SELECT count(*)::int FROM page) AS page_rows,
  (SELECT json_build_object('tx', p.tx::text, 'id', p.id::text) FROM page p ORDER BY p.tx DESC, p.id DESC LIMIT 1) AS page_last,
  ${options.safe ? `(SELECT json_agg(json_build_object('tx', p.tx::text, 'id', p.id::text) ORDER BY p.tx, p.id) FROM page p WHERE p.events IS NULL)` : 'NULL::json'} AS bad_rows,
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
                CROSS JOIN LATERAL jsonb_array_elements(${events('p')}) WITH ORDINALITY AS pe(event, n)
                WHERE p.instance_id = ev.instance_id AND p.push AND pe.event ->> 'type' IN (${ASSIGNMENT_TYPES})
                  AND coalesce(pe.event #>> '{task,id}', pe.event ->> 'taskId') = t.id
                  AND (p.tx, p.id, pe.n - 1) < (ev.tx, ev.id, ev.seq)
                ORDER BY p.tx DESC, p.id DESC, pe.n DESC LIMIT 1)
        END,
      'previousAssignee', CASE WHEN ev.type IN ('taskClaimed', 'taskUnclaimed', 'taskAssigned') THEN ev.data ->> 'previousAssignee' END,
      'candidateGroups', t.candidate_groups, 'candidateUsers', t.candidate_users, 'agency', t.agency, 'dueAt', t.due_at,
      'state', CASE WHEN t.state <> 'open' AND t.completed_at <= ev.at THEN t.state ELSE 'open' END,
      'event', ev.data
    ) ORDER BY ev.tx, ev.id, ev.seq), '[]'::json)
   FROM ev
   LEFT JOIN tasks t ON ev.type <> 'incidentRaised' AND t.id = ev.task_id
   LEFT JOIN instances i ON i.id = ev.instance_id
  ) AS rows`;
}

/** The row keys a read covers, nothing else (when reading the page whole failed). */
function keysSql(options: { bounded: boolean; horizon?: string; fromRow?: boolean }): string {
  return `
WITH snap AS MATERIALIZED (SELECT ${options.horizon ?? XMIN_HORIZON} AS xmin)
SELECT h.tx::text AS tx, h.id::text AS id, (SELECT xmin FROM snap)::text AS horizon
FROM history h
WHERE h.push
  AND (h.tx, h.id) ${options.fromRow ? '>=' : '>'} ($1::xid8, $2::bigint)
  ${options.bounded ? BEHIND_POSITION : 'AND h.tx < (SELECT xmin FROM snap)'}
ORDER BY h.tx, h.id
LIMIT $3`;
}

/**
 * One kind of read: `fast` (every page), `safe` (the same page again when `fast` failed:
 * rows whose events jsonb refuses come back as `bad_rows` instead of an error), `keys`
 * (the page's rows, to read one by one when even `safe` failed).
 */
interface ReadQuery {
  /** Follows the horizon (the live read), else a range behind the feed's position. */
  live: boolean;
  fast: string;
  safe: string;
  keys: string;
}

function readQuery(options: { bounded: boolean; pending: boolean; horizon?: string; fromRow?: boolean }): ReadQuery {
  return { live: !options.bounded, fast: readSql(options), safe: readSql({ ...options, safe: true }), keys: keysSql(options) };
}

const READ_LIVE = readQuery({ bounded: false, pending: true });
const READ_LIVE_SCHEMA_HORIZON = readQuery({ bounded: false, pending: true, horizon: SCHEMA_HORIZON });
const READ_RANGE = readQuery({ bounded: true, pending: false });
const READ_RANGE_FROM_ROW = readQuery({ bounded: true, pending: false, fromRow: true });

/** A history row (tx, id) as the queries return it. */
type RowKey = { tx: string; id: string };

/** What one read answers. */
interface ReadResult {
  pending: boolean;
  lagging: boolean;
  horizon: string;
  pageRows: number;
  pageLast: RowKey | null;
  rows: FeedRow[];
  /** Rows of the page that could not be read (skipped and reported). */
  badRows: RowKey[];
}


/** Bad rows remembered so that replays over them do not report them again. */
const MAX_REPORTED_ROWS = 10_000;

/**
 * The newest row below the horizon (a new feed starts after it). On a real PostgreSQL the finer
 * horizon of this schema: with the plain xmin, a transaction of another application running
 * when the feed starts (a bulk import, another schema's work) would set it back before rows
 * delivered long ago, and the new feed would hand them out, and report their bad rows, again.
 */
const frontierSql = (horizon: string) => `
SELECT h.tx::text AS tx, h.id::text AS id FROM history h
WHERE h.push AND h.tx < ${horizon}
ORDER BY h.tx DESC, h.id DESC LIMIT 1`;
const FRONTIER_SQL = frontierSql(XMIN_HORIZON);
const FRONTIER_SCHEMA_HORIZON_SQL = frontierSql(SCHEMA_HORIZON);

/** The newest $3 rows at or before $1/$2, newest first. */
const TAIL_SQL = `
SELECT h.tx::text AS tx, h.id::text AS id FROM history h
WHERE h.push AND (h.tx, h.id) <= ($1::xid8, $2::bigint)
ORDER BY h.tx DESC, h.id DESC LIMIT $3`;

/** After every event of a row. */
const afterRow = (row: { tx: string; id: string }): FeedPosition => ({ tx: BigInt(row.tx), id: BigInt(row.id), seq: ROW_END });

/** How long rows may wait above the horizon before the feed reports it. */
const STALL_REPORT_MS = 10_000;

/**
 * SQLSTATE classes of failures that say nothing about the rows read: connection (08),
 * insufficient resources (53), operator intervention such as a statement timeout (57),
 * rollback (40), lock not available (55). Those fail the read, to be tried again; no
 * row is skipped for them. An error without a SQLSTATE (the socket closed) is one too.
 */
const TRANSIENT_CLASSES = new Set(['08', '40', '53', '55', '57']);

function isTransient(error: unknown): boolean {
  const e = error as { parent?: { code?: unknown }; original?: { code?: unknown }; code?: unknown } | undefined;
  const code = e?.parent?.code ?? e?.original?.code ?? e?.code;
  return typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code) || TRANSIENT_CLASSES.has(code.slice(0, 2));
}

/** A row the feed cannot map into an event (skipped and reported, never a stopped feed). */
class MalformedRowError extends Error {}

function malformedIfThrows<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    throw error instanceof MalformedRowError ? error : new MalformedRowError(`it cannot be mapped to an event: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** An ISO 8601 time from a timestamp column (`infinity` and the like are malformed). */
function isoOf(value: string, column: string): string {
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) throw new MalformedRowError(`its ${column} '${String(value)}' is not a time`);
  return time.toISOString();
}

/** A string from an event's JSON (anything else: undefined). */
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function textList(value: unknown, column: string): string[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new MalformedRowError(`its ${column} is not a list of strings`);
  return value as string[];
}

const optional = (value: string | null | undefined): string | undefined => (value === null || value === undefined || value === '' ? undefined : value);

/** Options of {@link PushFeed}. */
/** Options of the sequelize {@link PushFeed}: the port's, and the database it reads. */
export interface PushFeedOptions extends HistoryFeedOptions {
  db: Database;
}

/** Reads history into events: live (following the horizon) and by range (replays). */
export class PushFeed implements HistoryFeed {
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
  private readonly reported = new Set<string>();

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
    const frontier = await this.select<{ tx: string; id: string }>(this.options.db.embedded ? FRONTIER_SQL : FRONTIER_SCHEMA_HORIZON_SQL, []);
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
    const query = after.seq === ROW_END ? READ_RANGE : READ_RANGE_FROM_ROW;
    const result = await this.readPage(query, [after.tx.toString(), after.id.toString(), this.pageSize, upTo.tx.toString(), upTo.id.toString()]);
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
        const query = this.refine ? READ_LIVE_SCHEMA_HORIZON : READ_LIVE;
        // The live position is always after a whole row.
        const result = await this.readPage(query, [after.tx.toString(), after.id.toString(), this.pageSize]);
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

  /**
   * Reads one page. Should that fail, the page is read again with the bad rows turned
   * into `badRows` (migration 0012's function); should that fail too, row by row, and a
   * row whose read fails while the database answers is a bad row. Bad rows are
   * reported and skipped: one malformed row never stops the feed, a start-up or a replay.
   * A database that does not answer fails the read (the poll tries again).
   */
  private async readPage(query: ReadQuery, bind: unknown[]): Promise<ReadResult> {
    let result: ReadResult;
    try {
      return await this.read(query.fast, bind);
    } catch (error) {
      if (isTransient(error)) throw error;
      try {
        result = await this.read(query.safe, bind);
      } catch (safeError) {
        if (isTransient(safeError)) throw safeError;
        result = await this.readRowByRow(query, bind);
      }
    }
    for (const row of result.badRows) {
      this.skipped(row, afterRow(row), 'its events cannot be read: not a JSON array, or text PostgreSQL cannot hold in jsonb (U+0000, a lone surrogate)');
    }
    return result;
  }

  /** The page's rows one at a time (each with the safe read); a row whose read fails is bad. */
  private async readRowByRow(query: ReadQuery, bind: unknown[]): Promise<ReadResult> {
    const keys = await this.select<RowKey & { horizon: string }>(query.keys, bind);
    const rows: FeedRow[] = [];
    const badRows: RowKey[] = [];
    for (const key of keys) {
      try {
        const one = await this.read(READ_RANGE_FROM_ROW.safe, [key.tx, key.id, 1, key.tx, key.id]);
        rows.push(...one.rows);
        badRows.push(...one.badRows);
      } catch (error) {
        // Not the row's fault when the database is failing or has gone: fail the whole read then.
        if (isTransient(error)) throw error;
        await this.select('SELECT 1', []).catch(() => {
          throw error;
        });
        this.skipped(key, afterRow(key), `reading it failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const last = keys.at(-1);
    return {
      // Conservative: read again soon with the ordinary query, which computes it.
      pending: query.live,
      lagging: false,
      horizon: last?.horizon ?? '',
      pageRows: keys.length,
      pageLast: last ? { tx: last.tx, id: last.id } : null,
      rows,
      badRows,
    };
  }

  /** Reports a skipped row (or event) once per process. */
  private skipped(row: RowKey, position: FeedPosition, reason: string): void {
    const key = formatEventId(position);
    if (this.reported.has(key)) return;
    if (this.reported.size >= MAX_REPORTED_ROWS) this.reported.clear();
    this.reported.add(key);
    const skipped: SkippedRow = { position: key, tx: row.tx, id: row.id, reason };
    if (this.options.onSkipped) this.options.onSkipped(skipped);
    else this.options.onError(new Error(`push: history row ${row.tx}/${row.id} skipped (position ${key}): ${reason}`));
  }

  private async read(sql: string, bind: unknown[]): Promise<ReadResult> {
    type Answer = {
      pending: boolean;
      lagging: boolean;
      horizon: string;
      page_rows: number;
      page_last: RowKey | string | null;
      bad_rows: RowKey[] | string | null;
      rows: FeedRow[] | string;
    };
    const [row] = await this.select<Answer>(sql, bind);
    const parse = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);
    return {
      pending: row.pending,
      lagging: row.lagging,
      horizon: row.horizon,
      pageRows: row.page_rows,
      pageLast: row.page_last === null ? null : parse(row.page_last),
      rows: parse(row.rows),
      badRows: row.bad_rows === null ? [] : parse(row.bad_rows),
    };
  }

  private async select<T>(sql: string, bind: unknown[]): Promise<T[]> {
    return (await this.options.db.sequelize.query(sql, { bind, type: 'SELECT', raw: true })) as T[];
  }

  /**
   * Rows to events; a row whose task is gone (never, in practice) gives none. An event
   * that cannot be mapped (a malformed task or incident row) is reported and skipped.
   */
  private async decode(rows: FeedRow[]): Promise<FeedEvent[]> {
    const events: FeedEvent[] = [];
    for (const row of rows) {
      let event: FeedEvent | undefined;
      try {
        event = await this.decodeOne(row);
      } catch (error) {
        if (!(error instanceof MalformedRowError)) throw error;
        this.skipped(row, { tx: BigInt(row.tx), id: BigInt(row.id), seq: row.seq }, error.message);
      }
      if (event) events.push(event);
    }
    return events;
  }

  private async decodeOne(row: FeedRow): Promise<FeedEvent | undefined> {
    const kind = EVENT_OF_HISTORY_TYPE[row.type];
    if (!kind) return undefined;
    const position: FeedPosition = { tx: BigInt(row.tx), id: BigInt(row.id), seq: row.seq };
    const parsed = parseHistoryEvent(row.event);
    if (!parsed.ok) throw new MalformedRowError(`its event cannot be read: ${parsed.reason}`);
    if (parsed.event.type === 'incidentRaised') {
      const incident = parsed.event.incident;
      const agency = row.definitionId ? await this.agencyOf(row.definitionId, incident.elementId) : undefined;
      return malformedIfThrows(() => ({
        position,
        payload: {
          id: formatEventId(position),
          at: isoOf(row.at, 'at'),
          actor: row.actor,
          type: 'incident.created',
          incident: {
            id: incident.id,
            instanceId: row.instanceId,
            processId: row.processId,
            elementId: incident.elementId,
            kind: text(incident.kind) ?? 'unknown',
            cause: text(incident.cause) ?? null,
            message: text(incident.message) ?? null,
            jobId: text(incident.jobId) ?? null,
            agency: agency ?? null,
          },
        },
        access: { kind: 'incident', incident: { agency } },
      }));
    }
    if (!row.taskId || !row.elementId) return undefined;
    return malformedIfThrows(() => {
      const candidateGroups = textList(row.candidateGroups, 'candidateGroups');
      const candidateUsers = textList(row.candidateUsers, 'candidateUsers');
      const after: TaskAccessFacts = { agency: optional(row.agency), assignee: optional(text(row.assignee)), candidateGroups, candidateUsers };
      const movedHands = row.type === 'taskClaimed' || row.type === 'taskUnclaimed' || row.type === 'taskAssigned';
      const previous = optional(text(row.previousAssignee));
      const before = movedHands && previous !== after.assignee ? { ...after, assignee: previous } : undefined;
      return {
        position,
        payload: {
          id: formatEventId(position),
          at: isoOf(row.at, 'at'),
          actor: row.actor,
          type: kind.type as Exclude<typeof kind.type, 'incident.created'>,
          ...(kind.change ? { change: kind.change } : {}),
          task: {
            id: row.taskId!,
            instanceId: row.instanceId,
            processId: row.processId ?? '',
            elementId: row.elementId!,
            name: row.name,
            assignee: after.assignee ?? null,
            candidateGroups,
            agency: row.agency,
            dueAt: row.dueAt === null ? null : isoOf(row.dueAt, 'dueAt'),
            state: kind.state ?? row.state ?? 'open',
          },
        },
        access: { kind: 'task', after, before },
      };
    });
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
          // Gone, or stored XML that no longer compiles: no agency (never a stopped feed).
          if (error instanceof NotFoundError || error instanceof MotcuaError) return undefined;
          throw error;
        },
      );
      this.agencies.set(key, agency);
    }
    return agency;
  }
}
