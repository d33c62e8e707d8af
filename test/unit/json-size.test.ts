import { jsonSize } from '../../engine/src/json-size';

describe('json-size', () => {
  it.each([
    ['an ASCII object', { a: 1, b: 'two', c: [true, false, null] }],
    ['Vietnamese text', { name: 'Nguyễn Văn A', address: 'Phường Bến Nghé, Quận 1' }],
    ['a surrogate pair', ['😀', { x: '𝄞' }]],
    ['a long non-ASCII string', 'ệ'.repeat(1_000)],
    ['numbers', [0, -1.5, 1e21, 123456789]],
    ['undefined entries (dropped or null, as JSON.stringify does)', { u: undefined, k: [undefined, 1] }],
    ['nested', { a: { b: { c: [[], {}, [1, [2]]] } } }],
  ])('should give the UTF-8 size of the JSON of %s', (_name, value) => {
    expect(jsonSize(value)).toBe(Buffer.byteLength(JSON.stringify(value), 'utf8'));
  });

  it('should stop early above the limit, returning more than it', () => {
    // given a list far over the limit
    const value = Array.from({ length: 100_000 }, () => 'xxxxxxxxxx');

    // when
    const size = jsonSize(value, 1_000);

    // then (the separators alone are over the limit: no element is measured)
    expect(size).toBe(100_001);
  });
});
