/**
 * SQL inside one engine transaction, with as few round trips as possible.
 *
 * Why: a command's cost is dominated by round trips between Node and
 * PostgreSQL (each one a socket write and a wake-up on both sides), not by
 * the work PostgreSQL does. So statements that return nothing are held back
 * and sent together with the next statement that does, or with COMMIT, as one
 * simple-protocol query; `BEGIN` travels with the first statement. A typical
 * command is then two round trips: `BEGIN; SELECT … FOR UPDATE` and
 * `<write the step>; COMMIT`.
 *
 * The simple query protocol takes several statements but no bind
 * parameters, so each statement is prepared once per connection (`PREPARE`,
 * sent in the same round trip as its first use) and run as `EXECUTE name(…)`
 * with its values as SQL literals (pg's own escaping). Besides the round
 * trips, this keeps PostgreSQL from planning the same statement again for
 * every command: planning a step's write costs more than running it.
 * Errors of a held back statement surface at the next flush, inside the same
 * transaction, so the caller still rolls everything back.
 *
 * That is the embedded database's way. On a PostgreSQL server, transactions go
 * through bound-pipeline.ts instead: the same holding back, but every statement
 * sent with bound values in one extended-protocol batch, which saves PostgreSQL
 * parsing the literals (a state of a kilobyte or more) on every command. A
 * command that is one statement (the usual case: a guarded step, see
 * step-writer.ts) needs no pipelining; on a server it is one named statement that
 * pg prepares once per connection (`runBound`).
 */
import pg from 'pg';

type Row = Record<string, any>;

/** The parts of a pooled pg client this needs. */
export interface RawClient {
  query(text: string): Promise<pg.QueryResult | pg.QueryResult[]>;
  query(config: { name?: string; text: string; values: unknown[] }): Promise<pg.QueryResult>;
}

/**
 * A string as an SQL literal: quotes doubled; with backslashes, an `E'…'` literal with
 * them doubled too (right whatever `standard_conforming_strings` says). The same
 * result as pg's `escapeLiteral`, which walks the string a character at a time and
 * cost ~10 µs per kilobyte: the largest share of a command's own CPU in Node.
 */
export function quoteString(value: string): string {
  const quoted = `'${value.replace(/'/g, "''")}'`;
  return value.includes('\\') ? ` E${quoted.replace(/\\/g, '\\\\')}` : quoted;
}

/** Renders one value as a PostgreSQL literal. */
export function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write the number ${value} to SQL`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return `'${value.toISOString()}'::timestamptz`;
  if (typeof value === 'string') return quoteString(value);
  if (Array.isArray(value)) {
    if (!value.every((v) => typeof v === 'string')) throw new Error('only text arrays can be written to SQL');
    return `ARRAY[${value.map((v) => quoteString(v as string)).join(', ')}]::text[]`;
  }
  throw new Error(`cannot write a ${typeof value} to SQL`);
}

/** Replaces `$1…$n` with the literals of `values`. Statement texts here never contain `$` otherwise. */
export function inline(text: string, values: unknown[]): string {
  return text.replace(/\$(\d+)/g, (_, n: string) => {
    const index = Number(n) - 1;
    if (index >= values.length) throw new Error(`statement refers to $${n} but has ${values.length} value(s)`);
    return literal(values[index]);
  });
}

/**
 * A statement text that depends only on a count (the rows of one INSERT), built once per
 * count and then handed out as the same string. Statements are prepared per connection by
 * their text, and a text built anew on every call is hashed anew (and first copied into one
 * piece) on every call: for the dossier layer's statements, 13 µs of Node's time per command
 * before their texts were built once. Texts of constant shape belong in module constants for
 * the same reason. Texts of counts up to `kept` are kept.
 */
export function textsByCount(build: (count: number) => string, kept = 64): (count: number) => string {
  const built: string[] = [];
  // Counts above `kept` (a change with hundreds of rows, rare) are built per call: texts of every count kept would grow as their square.
  return (count) => (count > kept ? build(count) : (built[count] ??= build(count)));
}

/**
 * `count` rows of a VALUES list, each row the `columns` with its `?` numbered in turn from
 * `first` on: `valueRows(2, ['?', '?::jsonb', 'now()'])` is `($1, $2::jsonb, now()), ($3, $4::jsonb, now())`.
 * A column without `?` (a constant, or a parameter the rows share) is written as it is.
 */
export function valueRows(count: number, columns: readonly string[], first = 1): string {
  const perRow = columns.filter((column) => column.includes('?')).length;
  return Array.from({ length: count }, (_, i) => {
    let n = first + i * perRow;
    return `(${columns.map((column) => (column.includes('?') ? column.replace('?', `$${n++}`) : column)).join(', ')})`;
  }).join(', ');
}

/** Statements prepared on one connection, by text. */
interface Prepared {
  names: Map<string, string>;
  /** Set after an error: some PREPARE may not have run; start over with DEALLOCATE ALL. */
  stale: boolean;
}

const PREPARED = new WeakMap<object, Prepared>();
/** Statements kept prepared per connection before starting over. */
const MAX_PREPARED = 500;
let nextName = 0;
/** Name prefixes of statements prepared by `PREPARE` (inlined values) and by pg (bound values): never the same name. */
const INLINED_PREFIX = 'motcua_s';
const BOUND_PREFIX = 'motcua_b';

/**
 * The SQL that runs `text` with `values` on this connection: `EXECUTE` of a
 * prepared statement, preceded by its `PREPARE` (and a reset) when needed.
 */
function preparedCall(client: object, text: string, values: unknown[]): string {
  return preparedParts(client, text, values).join(';\n');
}

/** {@link preparedCall} as its statements, the `EXECUTE` last (each has a result of its own). */
function preparedParts(client: object, text: string, values: unknown[]): string[] {
  let prepared = PREPARED.get(client);
  const parts: string[] = [];
  if (!prepared || prepared.stale || prepared.names.size >= MAX_PREPARED) {
    // Also on a connection's first use: on the embedded database every connection is the
    // same PGlite session, which may still hold statements prepared by an earlier
    // connection, perhaps for another schema.
    parts.push('DEALLOCATE ALL');
    forgetBound(client);
    prepared = { names: new Map(), stale: false };
    PREPARED.set(client, prepared);
  }
  let name = prepared.names.get(text);
  if (!name) {
    name = `${INLINED_PREFIX}${(nextName++).toString(36)}`;
    prepared.names.set(text, name);
    parts.push(`PREPARE ${name} AS ${text}`);
  }
  const args = values.length === 0 ? '' : `(${values.map(literal).join(', ')})`;
  parts.push(`EXECUTE ${name}${args}`);
  return parts;
}

/**
 * `DEALLOCATE ALL` also drops the statements {@link runBound} had pg prepare on this
 * connection; pg must then prepare them again. pg keeps that record in its connection
 * object with no public way to clear it, hence this reach inside (checked by
 * test/integration/store-sequelize/statement-paths.test.ts, which mixes both paths).
 */
function forgetBound(client: object): void {
  const connection = (client as { connection?: { parsedStatements?: Record<string, string> } }).connection;
  const parsed = connection?.parsedStatements;
  if (!parsed) return;
  for (const name of Object.keys(parsed)) if (name.startsWith(BOUND_PREFIX)) delete parsed[name];
}

/** After a failed query on a connection: its prepared statements may be incomplete. */
function markPreparedStale(client: object): void {
  const prepared = PREPARED.get(client);
  if (prepared) prepared.stale = true;
}

/** Runs one statement (prepared) on a connection outside any transaction: its own transaction. */
export async function runPrepared(client: RawClient, text: string, values: unknown[]): Promise<Row[]> {
  try {
    const result = await client.query(preparedCall(client, text, values));
    return (Array.isArray(result) ? result.at(-1) : result)?.rows ?? [];
  } catch (error) {
    markPreparedStale(client);
    throw error;
  }
}

/**
 * Names of statements run through the extended protocol, by text. pg prepares a
 * named statement on a connection the first time it runs there (Parse, Bind and
 * Execute in one write) and afterwards only binds it, so PostgreSQL neither parses
 * nor plans it again and no value is quoted into SQL text. A name lasts for the
 * process and its statement for the connection's life, so names are bounded
 * (MAX_NAMED) and given only to a text seen a second time: a query whose text is
 * built for one request (a statistics filter, an inbox search) runs unnamed and
 * never takes the place of the statements that run on every command.
 */
const NAMED = new Map<string, string>();
const MAX_NAMED = 500;
/** Texts seen once and not named yet (forgotten all at once when full). */
const SEEN_ONCE = new Set<string>();
const MAX_SEEN_ONCE = 2000;

/**
 * Runs one statement with bind parameters as its own transaction, through the
 * extended protocol: one round trip. Only for a connection that is a PostgreSQL
 * session of its own (on the embedded database every connection is the same
 * session, where another connection's DEALLOCATE ALL would drop pg's statements).
 */
export async function runBound(client: RawClient, text: string, values: unknown[]): Promise<Row[]> {
  return (await client.query({ name: statementName(text), text, values })).rows;
}

/**
 * The name of a statement run with bound values, the same for its text in every connection
 * and on both bound paths (`runBound` and bound-pipeline.ts); undefined the first time a text
 * is seen and once MAX_NAMED texts have names (the statement then runs unnamed).
 */
export function statementName(text: string): string | undefined {
  const named = NAMED.get(text);
  if (named !== undefined || NAMED.size >= MAX_NAMED) return named;
  if (!SEEN_ONCE.has(text)) {
    if (SEEN_ONCE.size >= MAX_SEEN_ONCE) SEEN_ONCE.clear();
    SEEN_ONCE.add(text);
    return undefined;
  }
  SEEN_ONCE.delete(text);
  const name = `${BOUND_PREFIX}${NAMED.size.toString(36)}`;
  NAMED.set(text, name);
  return name;
}

export class PipelinedSql {
  private pending: string[] = [];
  private begun = false;

  constructor(private readonly client: RawClient) {}

  /** Runs a statement whose rows are needed now (flushing what was held back). */
  async select(text: string, values: unknown[] = []): Promise<Row[]> {
    const results = await this.send([...this.prefix(), ...this.drain(), preparedCall(this.client, text, values)]);
    return results.at(-1)?.rows ?? [];
  }

  /**
   * Runs several statements whose rows are needed now, in one round trip (after what was held
   * back), each seeing what the ones before it did: their rows, in order.
   */
  async selectEach(statements: ReadonlyArray<{ text: string; bind?: unknown[] }>): Promise<Row[][]> {
    if (statements.length === 0) return [];
    // Each statement is sent as its parts (an optional `DEALLOCATE ALL` and `PREPARE`, then its
    // `EXECUTE`), each part answering one result. What was held back may answer several results
    // per queued call, so the EXECUTEs are found counting from the end.
    const parts = statements.map((statement) => preparedParts(this.client, statement.text, statement.bind ?? []));
    const results = await this.send([...this.prefix(), ...this.drain(), ...parts.flat()]);
    const rows: Row[][] = new Array(parts.length);
    let end = results.length;
    for (let i = parts.length - 1; i >= 0; i--) {
      rows[i] = results[end - 1]?.rows ?? [];
      end -= parts[i].length;
    }
    return rows;
  }

  /**
   * Runs a statement that `PREPARE` does not take (a cursor's DECLARE, FETCH, CLOSE) now, after
   * what was held back, its values inlined as literals; returns its rows.
   */
  async selectUnprepared(text: string, values: unknown[] = []): Promise<Row[]> {
    const results = await this.send([...this.prefix(), ...this.drain(), inline(text, values)]);
    return results.at(-1)?.rows ?? [];
  }

  /** Queues a statement whose result is not needed; it is sent with the next select or the commit. */
  async run(text: string, values: unknown[] = []): Promise<void> {
    this.pending.push(preparedCall(this.client, text, values));
  }

  /** Sends what is held back and commits (nothing at all when the transaction never began). */
  async commit(): Promise<void> {
    if (!this.begun && this.pending.length === 0) return;
    await this.send([...this.prefix(), ...this.drain(), 'COMMIT']);
    this.begun = false;
  }

  /** Rolls back; held-back statements are dropped. */
  async rollback(): Promise<void> {
    this.pending = [];
    if (!this.begun) return;
    this.begun = false;
    await this.client.query('ROLLBACK');
  }

  private prefix(): string[] {
    if (this.begun) return [];
    this.begun = true;
    return ['BEGIN'];
  }

  private drain(): string[] {
    const pending = this.pending;
    this.pending = [];
    return pending;
  }

  private async send(statements: string[]): Promise<pg.QueryResult[]> {
    try {
      const result = await this.client.query(statements.join(';\n'));
      return Array.isArray(result) ? result : [result];
    } catch (error) {
      markPreparedStale(this.client);
      throw error;
    }
  }
}
