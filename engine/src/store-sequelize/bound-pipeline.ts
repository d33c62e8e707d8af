/**
 * Several statements with bound values in one round trip, on a connection that is a
 * PostgreSQL session of its own (a server, not the embedded database).
 *
 * Shape: the extended query protocol allows any number of Parse/Bind/Describe/Execute
 * message groups before one Sync; PostgreSQL runs them in order and answers all of them
 * in one go. pg sends one such group per query, each followed by a Sync, and waits for
 * it; it has no way to send several. So a batch here is a pg "submittable" (the
 * documented way to write a query of one's own, as pg-cursor does) that writes the
 * messages of every statement and one Sync, in one socket write:
 *  - values travel as parameters, never quoted into SQL text (Node skips writing
 *    literals and PostgreSQL skips parsing them: a state of a kilobyte or more per step);
 *  - each statement text gets one name for the process (`statementName`, shared with
 *    pg's own named queries, `runBound`), parsed once per connection: what a connection
 *    has parsed is pg's own record, `connection.parsedStatements`, which this batch keeps
 *    up to date from the server's ParseComplete answers. A batch that fails half-way
 *    records exactly the statements the server parsed before the failure, so the next
 *    batch neither parses one twice nor binds one that is missing;
 *  - the first error fails the batch; the server skips the rest up to the Sync. A batch
 *    that began a transaction leaves it failed, so the caller rolls back, as after any
 *    failed statement.
 *
 * The embedded database does not use this: every pooled connection there is the same
 * session, so one connection's record of what is parsed would not hold for the others
 * (it keeps PREPARE/EXECUTE, pipelined-sql.ts).
 */
import pg from 'pg';
import { serialize } from 'pg-protocol';
import { inline, statementName } from './pipelined-sql';

type Row = Record<string, any>;

/** One statement of a batch: SQL text with `$n` parameters and their values. */
export interface BoundStatement {
  text: string;
  values?: readonly unknown[];
  /** Parsed anew each time, never named (a text seen once: a cursor's DECLARE with its values inlined). */
  unnamed?: boolean;
}

/** pg's value serializer for bound parameters (Dates, arrays, JSON objects), the one its own queries use. */
const { prepareValue } = require('pg/lib/utils') as { prepareValue: (value: unknown) => unknown };

/** The parts of pg's Connection a batch writes to and reads from. */
interface WireConnection {
  sendCopyFail(message: string): void;
  stream: { writable: boolean; write(data: Buffer): boolean };
  parsedStatements: Record<string, string>;
  on(event: 'parseComplete', listener: () => void): void;
  removeListener(event: 'parseComplete', listener: () => void): void;
}

/** The messages every statement ends with: describe the unnamed portal, run it for all its rows. */
const DESCRIBE_AND_EXECUTE = Buffer.concat([serialize.describe({ type: 'P', name: '' }), serialize.execute({ portal: '', rows: 0 })]);
const SYNC = serialize.sync();

/** pg's result of one statement, with the methods its own queries fill it through (not in its typings). */
interface WireResult {
  rows: Row[];
  addFields(fields: any[]): void;
  parseRow(fields: any[]): Row;
  addRow(row: Row): void;
  addCommandComplete(message: unknown): void;
}
const WireResult = pg.Result as unknown as new (rowMode?: string, types?: unknown) => WireResult & { _types?: unknown };

/** A row description or data row as pg's parser hands it over. */
interface FieldsMessage {
  fields: any[];
}

/** A batch as pg's client drives it: `submit` once it is the client's turn, then the server's answers in order. */
class BatchQuery {
  callback?: (error: Error | null, results?: WireResult[]) => void;
  /** pg gives this the client's type parsers (sequelize's included) when the batch is queued. */
  readonly _result = new WireResult();
  private readonly results: WireResult[] = [];
  private current: WireResult | undefined;
  /** Statements whose Parse went out, in order, awaiting the server's ParseComplete. */
  private readonly parsing: Array<{ name: string; text: string }> = [];
  private connection: WireConnection | undefined;
  private failure: Error | undefined;
  private readonly onParsed = (): void => {
    const parsed = this.parsing.shift();
    if (parsed?.name && this.connection) this.connection.parsedStatements[parsed.name] = parsed.text;
  };

  constructor(private readonly statements: ReadonlyArray<{ text: string; name: string; values: unknown[] }>) {}

  submit(connection: WireConnection): Error | null {
    this.connection = connection;
    // The whole batch as one buffer and one socket write, not four writes per statement.
    const messages: Buffer[] = [];
    const parsedHere = new Set<string>();
    try {
      for (const { text, name, values } of this.statements) {
        if (name === '' || (connection.parsedStatements[name] === undefined && !parsedHere.has(name))) {
          messages.push(serialize.parse({ text, name, types: [] }));
          this.parsing.push({ name, text });
          if (name !== '') parsedHere.add(name);
        }
        messages.push(serialize.bind({ portal: '', statement: name, values: values as never }), DESCRIBE_AND_EXECUTE);
      }
    } catch (error) {
      // Nothing was written: the batch fails alone and the connection stays usable.
      this.parsing.length = 0;
      return error as Error;
    }
    messages.push(SYNC);
    if (!connection.stream.writable) return new Error('the connection to PostgreSQL is closed');
    connection.on('parseComplete', this.onParsed);
    connection.stream.write(Buffer.concat(messages));
    return null;
  }

  handleRowDescription(message: FieldsMessage): void {
    this.result().addFields(message.fields);
  }

  handleDataRow(message: FieldsMessage): void {
    if (this.failure) return;
    const result = this.result();
    try {
      result.addRow(result.parseRow(message.fields));
    } catch (error) {
      this.failure = error as Error;
    }
  }

  handleCommandComplete(message: unknown): void {
    const result = this.result();
    result.addCommandComplete(message);
    this.results.push(result);
    this.current = undefined;
  }

  handleEmptyQuery(): void {
    this.results.push(this.result());
    this.current = undefined;
  }

  handlePortalSuspended(): void {
    // Never asked for (every Execute takes all rows).
  }

  handleCopyInResponse(connection: WireConnection): void {
    connection.sendCopyFail('a batch sends no COPY data');
  }

  handleCopyData(): void {
    // Not part of any batch.
  }

  handleError(error: Error): void {
    this.finish(error);
  }

  handleReadyForQuery(): void {
    this.finish(this.failure ?? null);
  }

  private result(): WireResult {
    return (this.current ??= new WireResult(undefined, this._result._types));
  }

  private finish(error: Error | null): void {
    this.connection?.removeListener('parseComplete', this.onParsed);
    this.parsing.length = 0;
    const callback = this.callback;
    this.callback = undefined;
    if (!callback) return;
    if (error) callback(error);
    else callback(null, this.results);
  }
}

/** The client a batch is queued on (pg's Client, as the pool hands it out). */
export interface BatchClient {
  query(query: unknown): unknown;
}

/**
 * Runs `statements` in one round trip, in order, each seeing what the ones before it
 * did; answers each one's rows. The first failure rejects with PostgreSQL's error.
 */
export function runBatch(client: BatchClient, statements: readonly BoundStatement[]): Promise<Row[][]> {
  const wire = statements.map((statement) => ({ text: statement.text, name: statement.unnamed ? '' : (statementName(statement.text) ?? ''), values: (statement.values ?? []).map(prepareValue) }));
  return new Promise((resolve, reject) => {
    const query = new BatchQuery(wire);
    query.callback = (error, results) => (error ? reject(error) : resolve((results ?? []).map((result) => result.rows)));
    client.query(query);
  });
}

const BEGIN: BoundStatement = { text: 'BEGIN' };
const COMMIT: BoundStatement = { text: 'COMMIT' };

/**
 * A transaction's statements on a server connection, with as few round trips as
 * possible (the same contract as `PipelinedSql`): statements whose result is not needed
 * wait and travel with the next one that is, or with COMMIT; BEGIN travels with the first.
 */
export class BoundPipelinedSql {
  private pending: BoundStatement[] = [];
  private begun = false;

  constructor(private readonly client: BatchClient) {}

  async select(text: string, values: unknown[] = []): Promise<Row[]> {
    const rows = await this.send({ text, values });
    return rows.at(-1) ?? [];
  }

  async selectEach(statements: ReadonlyArray<{ text: string; bind?: unknown[] }>): Promise<Row[][]> {
    if (statements.length === 0) return [];
    const rows = await this.send(...statements.map((statement) => ({ text: statement.text, values: statement.bind ?? [] })));
    return rows.slice(rows.length - statements.length);
  }

  /** A cursor's DECLARE, FETCH or CLOSE: its values inlined (as `PipelinedSql` does), unnamed. */
  async selectUnprepared(text: string, values: unknown[] = []): Promise<Row[]> {
    const rows = await this.send({ text: values.length > 0 ? inline(text, values) : text, unnamed: true });
    return rows.at(-1) ?? [];
  }

  async run(text: string, values: unknown[] = []): Promise<void> {
    this.pending.push({ text, values });
  }

  async commit(): Promise<void> {
    if (!this.begun && this.pending.length === 0) return;
    await this.send(COMMIT);
    this.begun = false;
  }

  async rollback(): Promise<void> {
    this.pending = [];
    if (!this.begun) return;
    this.begun = false;
    await runBatch(this.client, [{ text: 'ROLLBACK' }]);
  }

  private send(...last: BoundStatement[]): Promise<Row[][]> {
    const statements: BoundStatement[] = [];
    if (!this.begun) {
      this.begun = true;
      statements.push(BEGIN);
    }
    statements.push(...this.pending);
    this.pending = [];
    statements.push(...last);
    return runBatch(this.client, statements);
  }
}
