/** runtime/storable-text and store-sequelize/storable-json: text PostgreSQL can store, found and named. */
import { InvalidInputError } from '../../../engine/src/errors';
import { assertStorableText, findUnstorableText, storableText, unstorableReason } from '../../../engine/src/runtime/storable-text';
import { storableJson } from '../../../engine/src/store-sequelize/storable-json';

describe('runtime/storable-text', () => {
  it('should accept ordinary text, paired surrogates (emoji) and escaped-looking text', () => {
    for (const text of ['', 'Trần Thị B', 'hồ sơ 😀', '\\u0000 written out', 'tab\tand\nnewline']) expect(unstorableReason(text)).toBeUndefined();
  });

  it('should name U+0000 and lone surrogates with their position', () => {
    expect(unstorableReason('ab\u0000')).toMatch(/U\+0000 \(at position 2\)/);
    expect(unstorableReason('\ud800x')).toMatch(/lone UTF-16 surrogate U\+D800 \(at position 0\)/);
    expect(unstorableReason('x\udc00')).toMatch(/U\+DC00 \(at position 1\)/);
    expect(unstorableReason('\ud83d')).toMatch(/U\+D83D/);
  });

  it('should find the first bad string or key in a nested value, naming its path', () => {
    expect(findUnstorableText({ a: [1, { b: 'ok' }, { c: 'x\u0000' }] }, 'variables')).toEqual({ field: 'variables.a[2].c', reason: expect.stringMatching(/U\+0000/) });
    expect(findUnstorableText({ a: { ['k\u0000']: 1 } }, 'body')).toEqual({ field: 'body.a.k\\u0000', reason: expect.stringMatching(/^the name contains/) });
    expect(findUnstorableText({ a: [true, 1, null, 'fine'] }, 'v')).toBeUndefined();
  });

  it('should throw InvalidInputError naming the field', () => {
    expect(() => assertStorableText({ businessKey: 'H\u0000' }, '')).toThrow(InvalidInputError);
    try {
      assertStorableText({ businessKey: 'H\u0000' }, '');
    } catch (error) {
      expect((error as InvalidInputError).details).toEqual({ field: 'businessKey' });
    }
  });

  it('should replace what cannot be stored in descriptive text', () => {
    expect(storableText('a\u0000b\ud800c😀')).toBe('a\ufffdb\ufffdc😀');
    expect(storableText('plain')).toBe('plain');
  });
});

describe('store-sequelize/storable-json', () => {
  it('should serialise a storable value as JSON.stringify does, also with control characters and written-out escapes', () => {
    const value = { a: 'line\u0001', b: '\\u0000 as text', c: [1, 'ư'] };
    expect(storableJson(value, 'state')).toBe(JSON.stringify(value));
  });

  it('should refuse a value holding U+0000 or a lone surrogate, naming where', () => {
    expect(() => storableJson({ elements: { 3: { vars: { item: 'a\u0000' } } } }, 'state')).toThrow(/^state\.elements\.3\.vars\.item: contains the character U\+0000/);
    expect(() => storableJson([{ type: 'x', text: '\udfff' }], 'history')).toThrow(/^history\[0\]\.text: contains a lone UTF-16 surrogate/);
  });
});
