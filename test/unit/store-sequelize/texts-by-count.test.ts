/** Statement texts that depend only on a count are built once per count (pipelined-sql.ts). */
import { textsByCount } from '../../../engine/src/store-sequelize/pipelined-sql';

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
});
