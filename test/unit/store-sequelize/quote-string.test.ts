/** SQL literals written by the pipelined store: the same as pg's escapeLiteral, for any string. */
import fc from 'fast-check';
import pg from 'pg';
import { literal, quoteString } from '../../../engine/src/store-sequelize/pipelined-sql';

describe('quoteString', () => {
  it('should quote exactly as pg.escapeLiteral does, for any string', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom("'", '\\', 'a', 'ễ', '"', '\n') })), (value) => {
        expect(quoteString(value)).toBe(pg.escapeLiteral(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('should write quotes and backslashes so that PostgreSQL reads them back', () => {
    expect(quoteString(`it's`)).toBe(`'it''s'`);
    expect(quoteString('a\\b')).toBe(` E'a\\\\b'`);
    expect(literal(['x', "o'k"])).toBe(`ARRAY['x', 'o''k']::text[]`);
    expect(literal(new Date(Date.UTC(2026, 10, 24)))).toBe(`'2026-11-24T00:00:00.000Z'::timestamptz`);
  });
});
