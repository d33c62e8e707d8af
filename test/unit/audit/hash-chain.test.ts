import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { canonicalJson, CanonicalJsonError } from '../../../onestop/src/audit/canonical-json';
import { appendEntry, chainEntry, entryHash, GENESIS_HASH, newHeads, sealHeads, verify, type AuditEntry, type AuditProblem, type AuditSeal } from '../../../onestop/src/audit/hash-chain';

/** Three dossiers: A with 4 entries, B with 2, C with 3; sealed after A3, B2, C1, and again at the end. */
function log(): { entries: AuditEntry[]; seals: AuditSeal[] } {
  const entries: AuditEntry[] = [];
  const heads = new Map<string, AuditEntry>();
  const seals: AuditSeal[] = [];
  const add = (dossierId: string, type: string, data: unknown) => {
    const entry = appendEntry(heads.get(dossierId), { dossierId, at: 1_700_000_000_000 + entries.length * 60_000, actor: 'lan', type, data });
    heads.set(dossierId, entry);
    entries.push(entry);
  };
  const seal = () => seals.push(sealHeads(seals.at(-1), newHeads(entries, seals), 1_700_000_000_000 + entries.length * 60_000 + 1));
  add('A', 'dossierReceived', { appointmentAt: 1_700_600_000_000, code: '000.00.15.H29-261102-0001' });
  add('B', 'dossierReceived', { appointmentAt: 1_700_700_000_000 });
  add('A', 'dossierHandedOff', { toHolder: 'land-office' });
  add('C', 'dossierReceived', { appointmentAt: 1_700_800_000_000 });
  add('A', 'supplementRequested', { items: [{ name: 'Bản vẽ', reason: 'thiếu chữ ký' }] });
  add('B', 'dossierRefused', { reasons: ['Không thuộc thẩm quyền'] });
  seal();
  add('C', 'dossierHandedOff', { toHolder: 'police' });
  add('A', 'dossierSupplemented', { clock: 'restart' });
  add('C', 'resultReady', { timeliness: 'early' });
  seal();
  return { entries, seals };
}

function failure(entries: AuditEntry[], seals: AuditSeal[]): AuditProblem {
  const result = verify(entries, seals);
  if (result.ok) throw new Error('expected verification to fail');
  return result.problem;
}

const find = (entries: AuditEntry[], dossierId: string, sequence: number) => entries.findIndex((e) => e.dossierId === dossierId && e.sequence === sequence);

describe('audit/hash-chain', () => {
  describe('canonicalJson', () => {
    it.each<[value: unknown, text: string]>([
      [{ b: 1, a: [true, null, 'x'], c: { z: 1, y: 'é' } }, '{"a":[true,null,"x"],"b":1,"c":{"y":"é","z":1}}'],
      [{ a: undefined, b: 2 }, '{"b":2}'],
      [[undefined], '[null]'],
      ['line\nbreak "quoted"', '"line\\nbreak \\"quoted\\""'],
      [-0, '0'],
    ])('%j → %s', (value, text) => {
      expect(canonicalJson(value)).toBe(text);
    });

    it.each<[value: unknown, message: string]>([
      [{ a: { b: Number.NaN } }, '$.a.b: NaN has no JSON form'],
      [{ f: () => 1 }, '$.f: a function has no JSON form'],
      [{ d: new Date(0) }, '$.d: a Date object is not plain JSON'],
      [[1n], '$[0]: a bigint has no JSON form'],
    ])('should refuse %p', (value, message) => {
      expect(() => canonicalJson(value)).toThrow(new CanonicalJsonError(message, ''));
    });

    it('should not depend on key order (property)', () => {
      fc.assert(
        fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (record) => {
          const reversed = Object.fromEntries(Object.entries(record).reverse());
          expect(canonicalJson(reversed)).toBe(canonicalJson(record));
          expect(JSON.parse(canonicalJson(record))).toEqual(JSON.parse(JSON.stringify(record)));
        }),
      );
    });
  });

  describe('chain', () => {
    it('should hash SHA-256 over the previous hash and the canonical entry', () => {
      const first = appendEntry(undefined, { dossierId: 'A', at: 1, actor: 'lan', type: 'dossierReceived', data: { b: 2, a: 1 } });
      const text = `${GENESIS_HASH}\n{"actor":"lan","at":1,"data":{"a":1,"b":2},"dossierId":"A","sequence":1,"type":"dossierReceived"}`;
      expect(first.hash).toBe(createHash('sha256').update(text).digest('hex'));
      expect(appendEntry(first, { dossierId: 'A', at: 2, actor: 'lan', type: 'x', data: null })).toMatchObject({ sequence: 2, previousHash: first.hash });
      expect(() => appendEntry(first, { dossierId: 'B', at: 2, actor: 'lan', type: 'x', data: null })).toThrow('audit entry of dossier B cannot follow the head of dossier A');
    });

    it('should give the canonical text of the data its hash covers, for the store to write', () => {
      // given
      const data: Record<string, unknown> = { taskId: 't1', assignee: undefined, groups: ['desk'], b: 2 };

      // when
      const { entry, dataText } = chainEntry(undefined, { dossierId: 'A', at: 1, actor: 'lan', type: 'taskOpened', data });

      // then
      expect(dataText).toBe('{"b":2,"groups":["desk"],"taskId":"t1"}');
      expect(entry.hash).toBe(entryHash(GENESIS_HASH, { dossierId: 'A', sequence: 1, at: 1, actor: 'lan', type: 'taskOpened', data: JSON.parse(dataText) }));
      expect(appendEntry(undefined, { dossierId: 'A', at: 1, actor: 'lan', type: 'taskOpened', data })).toEqual(entry);
    });

    it('should hash the canonical JSON of the whole content, whatever the fields hold (property)', () => {
      // appendEntry and entryHash write the usual content's text directly: it must be canonicalJson's, byte for byte.
      const field = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.constant(undefined), fc.constant(null));
      fc.assert(
        fc.property(fc.oneof(fc.string(), field), fc.oneof(fc.integer(), field), fc.oneof(fc.string(), field), fc.oneof(fc.string(), field), fc.oneof(fc.jsonValue(), fc.constant(undefined)), fc.integer({ min: 1 }), (dossierId, at, actor, type, data, sequence) => {
          const content = { dossierId, sequence, at, actor, type, data } as unknown as Parameters<typeof entryHash>[1];
          let text: string;
          try {
            text = canonicalJson({ dossierId, sequence, at, actor, type, data });
          } catch {
            expect(() => entryHash(GENESIS_HASH, content)).toThrow();
            return;
          }
          expect(entryHash(GENESIS_HASH, content)).toBe(createHash('sha256').update(`${GENESIS_HASH}\n${text}`).digest('hex'));
          if (data === undefined || typeof dossierId !== 'string') return;
          const { sequence: _s, ...rest } = content;
          const entry = appendEntry({ dossierId, sequence: sequence - 1, hash: GENESIS_HASH }, rest);
          expect(entry.hash).toBe(entryHash(GENESIS_HASH, { ...content, data: entry.data }));
        }),
      );
    });

    it('should seal the new heads only, sorted, chained to the previous seal', () => {
      const { seals } = log();
      expect(seals[0].heads.map((h) => `${h.dossierId}${h.sequence}`)).toEqual(['A3', 'B2', 'C1']);
      expect(seals[1].heads.map((h) => `${h.dossierId}${h.sequence}`)).toEqual(['A4', 'C3']);
      expect(seals[1].previousHash).toBe(seals[0].hash);
    });

    it('should verify an untouched log, and survive a database round trip', () => {
      const { entries, seals } = log();
      expect(verify(entries, seals)).toEqual({ ok: true, entries: 9, dossiers: 3, seals: 2 });
      expect(verify(JSON.parse(JSON.stringify(entries)), JSON.parse(JSON.stringify(seals))).ok).toBe(true);
    });
  });

  describe('tampering', () => {
    it.each<[what: string, tamper: (entries: AuditEntry[], seals: AuditSeal[]) => void, expected: Partial<AuditProblem>]>([
      ['a changed reason', (e) => ((e[find(e, 'B', 2)].data as { reasons: string[] }).reasons[0] = 'Hồ sơ giả'), { kind: 'entry-changed', dossierId: 'B', sequence: 2 }],
      ['a changed actor', (e) => (e[find(e, 'A', 2)].actor = 'someone'), { kind: 'entry-changed', dossierId: 'A', sequence: 2 }],
      ['a changed time', (e) => (e[find(e, 'C', 1)].at += 1), { kind: 'entry-changed', dossierId: 'C', sequence: 1 }],
      ['a deleted entry', (e) => e.splice(find(e, 'A', 2), 1), { kind: 'entry-deleted', dossierId: 'A', sequence: 2 }],
      [
        'a deleted entry, the later ones renumbered',
        (e) => {
          e.splice(find(e, 'A', 2), 1);
          for (const entry of e) if (entry.dossierId === 'A' && entry.sequence > 2) entry.sequence -= 1;
        },
        { kind: 'entry-deleted', dossierId: 'A', sequence: 2 },
      ],
      ['a deleted sealed tail', (e) => e.splice(find(e, 'C', 3), 1), { kind: 'entry-deleted', dossierId: 'C', sequence: 3, seal: 2 }],
      [
        'two entries swapped',
        (e) => {
          const i = find(e, 'A', 2);
          const j = find(e, 'A', 3);
          [e[i], e[j]] = [e[j], e[i]];
        },
        { kind: 'entry-reordered', dossierId: 'A', sequence: 3 },
      ],
      [
        'an entry inserted with a duplicate sequence',
        (e) => {
          const i = find(e, 'A', 3);
          const forged = appendEntry(e[find(e, 'A', 2)], { dossierId: 'A', at: e[i].at - 1, actor: 'lan', type: 'dossierRejected', data: { reasons: ['forged'] } });
          e.splice(i, 0, forged);
        },
        { kind: 'entry-inserted', dossierId: 'A', sequence: 3 },
      ],
      [
        'an entry inserted, the later ones renumbered',
        (e) => {
          const i = find(e, 'A', 3);
          const forged = appendEntry(e[find(e, 'A', 2)], { dossierId: 'A', at: e[i].at - 1, actor: 'lan', type: 'dossierRejected', data: { reasons: ['forged'] } });
          for (const entry of e) if (entry.dossierId === 'A' && entry.sequence >= 3) entry.sequence += 1;
          e.splice(i, 0, forged);
        },
        { kind: 'entry-inserted', dossierId: 'A', sequence: 3 },
      ],
      [
        'a chain rewritten with recomputed hashes',
        (e) => {
          // change A2, then recompute A2…A4 so that the dossier's own chain verifies
          let head = e[find(e, 'A', 1)];
          for (const seq of [2, 3, 4]) {
            const i = find(e, 'A', seq);
            const data = seq === 2 ? { toHolder: 'elsewhere' } : e[i].data;
            head = appendEntry(head, { dossierId: 'A', at: e[i].at, actor: e[i].actor, type: e[i].type, data });
            e[i] = head;
          }
        },
        { kind: 'chain-rewritten', dossierId: 'A', sequence: 3, seal: 1 },
      ],
      ['a whole dossier deleted after it was sealed', (e) => e.splice(0, e.length, ...e.filter((x) => x.dossierId !== 'B')), { kind: 'dossier-missing', dossierId: 'B', seal: 1 }],
      ['a changed seal', (_e, s) => (s[0].heads[1].sequence = 1), { kind: 'seal-changed', seal: 1 }],
      ['a deleted seal', (_e, s) => s.splice(0, 1), { kind: 'seal-missing', seal: 1 }],
      [
        'a seal rebuilt over a rewritten chain but not re-chained',
        (_e, s) => {
          s[0] = sealHeads(undefined, s[0].heads.filter((h) => h.dossierId !== 'B'), s[0].at);
        },
        { kind: 'seal-changed', seal: 2 },
      ],
    ])('should find %s exactly there', (_what, tamper, expected) => {
      const { entries, seals } = log();
      tamper(entries, seals);
      const found = failure(entries, seals);
      expect(found).toMatchObject(expected);
      expect(found.reason.length).toBeGreaterThan(20);
    });

    it('should find any single changed entry, at that entry (property)', () => {
      const { entries: original, seals } = log();
      fc.assert(
        fc.property(fc.integer({ min: 0, max: original.length - 1 }), fc.string({ minLength: 1 }), (index, text) => {
          const entries = structuredClone(original);
          const target = entries[index];
          fc.pre(canonicalJson(target.data) !== canonicalJson({ ...(target.data as object), tampered: text }));
          target.data = { ...(target.data as object), tampered: text };
          expect(failure(entries, seals)).toMatchObject({ kind: 'entry-changed', dossierId: target.dossierId, sequence: target.sequence });
        }),
      );
    });
  });

  it('entryHash should change with every field (property)', () => {
    const base = { dossierId: 'A', sequence: 1, at: 1, actor: 'lan', type: 't', data: { x: 1 } };
    const hash = entryHash(GENESIS_HASH, base);
    for (const change of [{ dossierId: 'B' }, { sequence: 2 }, { at: 2 }, { actor: 'x' }, { type: 'u' }, { data: { x: 2 } }]) {
      expect(entryHash(GENESIS_HASH, { ...base, ...change })).not.toBe(hash);
    }
    expect(entryHash('1'.repeat(64), base)).not.toBe(hash);
  });
});
