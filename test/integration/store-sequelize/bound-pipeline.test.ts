/**
 * Batches of bound statements in one round trip (bound-pipeline.ts) on real PostgreSQL: the
 * values arrive as they were sent, the statements see each other's work, and the record of
 * what a connection has parsed stays exact across failed batches and pg's own named queries
 * (`runBound`), so no later statement is parsed twice ("already exists") or bound unparsed
 * ("does not exist").
 */
import { BoundPipelinedSql, runBatch } from '../../../engine/src/store-sequelize/bound-pipeline';
import { withConnection, type Database } from '../../../engine/src/store-sequelize/connect';
import { runBound, statementName } from '../../../engine/src/store-sequelize/pipelined-sql';
import { openTestDatabase } from '../../support/databases';

const AWKWARD = `it's a "dossier" \\ with ễ, a tab\t, a newline\n and $1 ? :name`;

type Connection = Parameters<Parameters<typeof withConnection>[1]>[0];

/** Marks texts as seen once, as texts that run on every command are: their next use names them (statementName). */
function seen(...texts: string[]): void {
  for (const text of texts) statementName(text);
}

/** What the connection has parsed, by name, as pg records it. */
function parsedOn(connection: Connection): Record<string, string> {
  return (connection as unknown as { connection: { parsedStatements: Record<string, string> } }).connection.parsedStatements;
}

describe('batches of bound statements (PostgreSQL)', () => {
  let db: Database;

  beforeAll(async () => {
    db = await openTestDatabase('postgres');
    await db.sequelize.query('CREATE TABLE batch_rows (id text PRIMARY KEY, note text, tags text[], at timestamptz, doc jsonb, n int)');
  });
  afterAll(async () => {
    await db?.close();
  });

  it('should write values as sent and answer every statement its own rows, each seeing the ones before', async () => {
    const at = new Date(Date.UTC(2026, 11, 7, 20, 1, 2, 345));
    const insert = 'INSERT INTO batch_rows (id, note, tags, at, doc, n) VALUES ($1, $2, $3, $4, $5::jsonb, $6)';
    const answers = await withConnection(db, (connection) =>
      runBatch(connection, [
        { text: 'BEGIN' },
        { text: insert, values: ['a', AWKWARD, ['desk', "o'k", 'a\\b', 'with,comma', 'with"quote', 'NULL', ''], at, JSON.stringify({ note: AWKWARD, list: [1, null] }), 1] },
        { text: insert, values: ['b', null, [], null, null, 2] },
        { text: 'SELECT id, note, tags, at, doc, n FROM batch_rows WHERE id = ANY($1) ORDER BY id', values: [['a', 'b']] },
        { text: 'SELECT count(*)::int AS n FROM batch_rows' },
        { text: 'COMMIT' },
      ]),
    );
    expect(answers).toHaveLength(6);
    expect(answers[1]).toEqual([]);
    expect(answers[3]).toEqual([
      { id: 'a', note: AWKWARD, tags: ['desk', "o'k", 'a\\b', 'with,comma', 'with"quote', 'NULL', ''], at, doc: { note: AWKWARD, list: [1, null] }, n: 1 },
      { id: 'b', note: null, tags: [], at: null, doc: null, n: 2 },
    ]);
    expect(answers[4]).toEqual([{ n: 2 }]);
  });

  it('should record exactly what the server parsed when a batch fails half-way', async () => {
    const before = 'SELECT $1::int + 1 AS next /* before */';
    const failing = 'SELECT 10 / $1::int AS quotient /* failing */';
    const after = 'SELECT $1::text AS echoed /* after */';
    seen('BEGIN', 'COMMIT', before, failing, after);
    await withConnection(db, async (connection) => {
      const batch = (divisor: number) =>
        runBatch(connection, [
          { text: 'BEGIN' },
          { text: before, values: [1] },
          { text: failing, values: [divisor] },
          { text: after, values: [AWKWARD] },
          { text: 'COMMIT' },
        ]);
      await expect(batch(0)).rejects.toMatchObject({ code: '22012' });
      await connection.query('ROLLBACK');
      const parsed = parsedOn(connection);
      // The failing statement parsed (it failed running); the one after it was never reached.
      expect(parsed[statementName(before)!]).toBe(before);
      expect(parsed[statementName(failing)!]).toBe(failing);
      expect(parsed[statementName(after)!]).toBeUndefined();
      // Again, and right: parsed ones are only bound, the missing one is parsed.
      expect(await batch(5)).toEqual([[], [{ next: 2 }], [{ quotient: 2 }], [{ echoed: AWKWARD }], []]);
      expect(parsed[statementName(after)!]).toBe(after);
    });
  });

  it('should survive a statement the server cannot parse, and a transaction left failed', async () => {
    seen('SELEKT 1', 'SELECT 2 AS two');
    await withConnection(db, async (connection) => {
      await expect(runBatch(connection, [{ text: 'BEGIN' }, { text: 'SELEKT 1' }, { text: 'SELECT 2 AS two' }])).rejects.toMatchObject({ code: '42601' });
      expect(parsedOn(connection)[statementName('SELEKT 1')!]).toBeUndefined();
      // The batch began a transaction and failed inside it: what follows fails until rolled back.
      await expect(runBatch(connection, [{ text: 'SELECT 3 AS three' }])).rejects.toMatchObject({ code: '25P02' });
      await runBatch(connection, [{ text: 'ROLLBACK' }]);
      expect(await runBatch(connection, [{ text: 'SELECT 2 AS two' }, { text: 'SELECT 3 AS three' }])).toEqual([[{ two: 2 }], [{ three: 3 }]]);
    });
  });

  it('should share one record of parsed statements with pg own named queries (runBound), both ways', async () => {
    const first = 'SELECT $1::text || $2::text AS joined /* shared, batch first */';
    const second = 'SELECT $1::int * 2 AS doubled /* shared, runBound first */';
    seen(first, second);
    await withConnection(db, async (connection) => {
      expect(await runBatch(connection, [{ text: first, values: ['a', 'b'] }])).toEqual([[{ joined: 'ab' }]]);
      expect(await runBound(connection, first, ['c', 'd'])).toEqual([{ joined: 'cd' }]);
      expect(await runBound(connection, second, [4])).toEqual([{ doubled: 8 }]);
      expect(await runBatch(connection, [{ text: second, values: [5] }, { text: first, values: ['e', 'f'] }])).toEqual([[{ doubled: 10 }], [{ joined: 'ef' }]]);
    });
  });

  it('should hold writes back until a read or the commit, and roll them back on failure (BoundPipelinedSql)', async () => {
    await withConnection(db, async (connection) => {
      const sql = new BoundPipelinedSql(connection);
      await sql.run('INSERT INTO batch_rows (id, n) VALUES ($1, $2)', ['held', 7]);
      const [seen] = await sql.select('SELECT n FROM batch_rows WHERE id = $1', ['held']);
      expect(seen).toEqual({ n: 7 });
      const [[x], [y]] = await sql.selectEach([{ text: 'SELECT 1 AS x' }, { text: 'SELECT $1::int AS y', bind: [2] }]);
      expect([x, y]).toEqual([{ x: 1 }, { y: 2 }]);
      await sql.run('INSERT INTO batch_rows (id, n) VALUES ($1, $2)', ['held', 8]);
      await expect(sql.commit()).rejects.toMatchObject({ code: '23505' });
      await sql.rollback();
      const [rows] = await db.sequelize.query(`SELECT count(*)::int AS n FROM batch_rows WHERE id = 'held'`);
      expect(rows).toEqual([{ n: 0 }]);
    });
  });

  it('should name a text on its second use only, so texts built for one request never use up the names', () => {
    const hot = 'SELECT $1::int AS hot /* runs on every command */';
    expect(statementName(hot)).toBeUndefined();
    for (let i = 0; i < 1500; i += 1) expect(statementName(`SELECT ${i} AS once /* one request's filter */`)).toBeUndefined();
    const name = statementName(hot);
    expect(name).toMatch(/^motcua_b[0-9a-z]+$/);
    expect(statementName(hot)).toBe(name);
    // The 1,500 texts seen once took no name: this is one of the first few dozen handed out.
    expect(parseInt(name!.slice('motcua_b'.length), 36)).toBeLessThan(50);
  });

  it('should run a cursor whose text varies unnamed, inlining its values', async () => {
    await withConnection(db, async (connection) => {
      const sql = new BoundPipelinedSql(connection);
      await sql.selectUnprepared('DECLARE c NO SCROLL CURSOR FOR SELECT id FROM batch_rows WHERE id = ANY($1) ORDER BY id', [['a', 'b']]);
      expect(await sql.selectUnprepared('FETCH 10 FROM c')).toEqual([{ id: 'a' }, { id: 'b' }]);
      await sql.selectUnprepared('CLOSE c');
      await sql.commit();
      expect(Object.values(parsedOn(connection))).not.toContain('FETCH 10 FROM c');
    });
  });
});
