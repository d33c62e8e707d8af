/** Statement texts built once per count, and the VALUES rows they are made of (pipelined-sql.ts). */
import { textsByCount, valueRows } from '../../../engine/src/store-sequelize/pipelined-sql';

describe('textsByCount', () => {
  it('should build the text of each count once and hand out that text again', () => {
    // given
    const built: number[] = [];
    const textOf = textsByCount((count) => {
      built.push(count);
      return `INSERT INTO t (a) VALUES ${Array.from({ length: count }, (_, i) => `($${i + 1})`).join(', ')}`;
    });

    // when
    const first = [textOf(1), textOf(3), textOf(1), textOf(3), textOf(2)];

    // then
    expect(first).toEqual(['INSERT INTO t (a) VALUES ($1)', 'INSERT INTO t (a) VALUES ($1), ($2), ($3)', 'INSERT INTO t (a) VALUES ($1)', 'INSERT INTO t (a) VALUES ($1), ($2), ($3)', 'INSERT INTO t (a) VALUES ($1), ($2)']);
    expect(built).toEqual([1, 3, 2]);
  });

  it('should build the text of a count above those it keeps on every call', () => {
    // given
    const built: number[] = [];
    const textOf = textsByCount((count) => {
      built.push(count);
      return `x${count}`;
    }, 2);

    // when
    const texts = [textOf(2), textOf(2), textOf(3), textOf(3)];

    // then
    expect(texts).toEqual(['x2', 'x2', 'x3', 'x3']);
    expect(built).toEqual([2, 3, 3]);
  });

  it('should number the parameters of VALUES rows in turn, leaving columns without one as they are', () => {
    expect(valueRows(2, ['?', '?::jsonb', 'now()'])).toBe('($1, $2::jsonb, now()), ($3, $4::jsonb, now())');
    expect(valueRows(2, ['?', '$1::timestamptz'], 2)).toBe('($2, $1::timestamptz), ($3, $1::timestamptz)');
  });
});
