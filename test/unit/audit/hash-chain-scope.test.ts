import fc from 'fast-check';
import { appendEntry, newHeads, sealHeads, verify, type AuditEntry, type AuditSeal } from '../../../onestop/src/audit/hash-chain';

/**
 * Four dossiers, interleaved: A1 and A2 are agency A's, B1 and B2 agency B's. Sealed after
 * A1 3, A2 1, B1 2, B2 1; then sealed again after more entries of B1 and A1 (B2 and A2 not).
 */
function log(): { entries: AuditEntry[]; seals: AuditSeal[] } {
  const entries: AuditEntry[] = [];
  const heads = new Map<string, AuditEntry>();
  const seals: AuditSeal[] = [];
  const add = (dossierId: string, type: string) => {
    const entry = appendEntry(heads.get(dossierId), { dossierId, at: 1_700_000_000_000 + entries.length * 60_000, actor: 'lan', type, data: { n: entries.length } });
    heads.set(dossierId, entry);
    entries.push(entry);
  };
  const seal = () => seals.push(sealHeads(seals.at(-1), newHeads(entries, seals), 1_700_000_000_000 + entries.length * 60_000 + 1));
  add('A1', 'dossierReceived');
  add('B1', 'dossierReceived');
  add('A1', 'dossierHandedOff');
  add('A2', 'dossierReceived');
  add('B2', 'dossierReceived');
  add('B1', 'resultReady');
  add('A1', 'resultReady');
  seal();
  add('B1', 'resultReturned');
  seal();
  add('A1', 'resultReturned');
  add('A2', 'dossierRefused');
  return { entries, seals };
}

const OF_A: ReadonlySet<string> = new Set(['A1', 'A2']);
const OF_B: ReadonlySet<string> = new Set(['B1', 'B2']);

describe('audit/hash-chain verify with a scope', () => {
  it("should count the scope's entries, dossiers and the seals that recorded one of them", () => {
    // given
    const { entries, seals } = log();

    // then
    expect(verify(entries, seals)).toEqual({ ok: true, entries: 10, dossiers: 4, seals: 2 });
    expect(verify(entries, seals, OF_A)).toEqual({ ok: true, entries: 6, dossiers: 2, seals: 1 });
    expect(verify(entries, seals, OF_B)).toEqual({ ok: true, entries: 4, dossiers: 2, seals: 2 });
    expect(verify(entries, seals, new Set())).toEqual({ ok: true, entries: 0, dossiers: 0, seals: 0 });
  });

  it('should read only the entries of the scope when handed its entries alone', () => {
    const { entries, seals } = log();
    expect(verify(entries.filter((e) => OF_A.has(e.dossierId)), seals, OF_A)).toEqual(verify(entries, seals, OF_A));
  });

  it("should pass a scope whatever was done to other dossiers' entries, and name the scope's first bad row as the whole log does", () => {
    const { entries, seals } = log();
    const intact = { A: verify(entries, seals, OF_A), B: verify(entries, seals, OF_B) };
    const tampers: Array<[string, (list: AuditEntry[], at: number) => AuditEntry[]]> = [
      ['changed', (list, at) => list.map((e, i) => (i === at ? { ...e, actor: 'mallory' } : e))],
      ['deleted', (list, at) => list.filter((_, i) => i !== at)],
      ['moved last', (list, at) => [...list.filter((_, i) => i !== at), list[at]]],
      ['dossier deleted whole', (list, at) => list.filter((e) => e.dossierId !== list[at].dossierId)],
    ];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: entries.length - 1 }), fc.constantFrom(...tampers), (at, [, tamper]) => {
        // when one entry (or its dossier) is tampered with
        const tampered = tamper(entries, at);
        const whole = verify(tampered, seals);
        const [own, other] = OF_A.has(entries[at].dossierId) ? [OF_A, 'B' as const] : [OF_B, 'A' as const];

        // then the other agency's verification is untouched; the owner's names what the whole log names, when it names anything
        expect(verify(tampered, seals, other === 'A' ? OF_A : OF_B)).toEqual(intact[other]);
        const scoped = verify(tampered, seals, own);
        if (whole.ok) expect(scoped.ok).toBe(true);
        else expect(scoped).toEqual(whole);
      }),
    );
  });

  it("should find a sealed dossier of the scope whose entries are gone, and a sealed head that no longer matches, and ignore other dossiers' seals", () => {
    const { entries, seals } = log();
    const withoutB2 = entries.filter((e) => e.dossierId !== 'B2');
    expect(verify(withoutB2, seals, OF_B)).toEqual({ ok: false, problem: expect.objectContaining({ kind: 'dossier-missing', dossierId: 'B2', seal: 1 }) });
    expect(verify(withoutB2, seals, OF_A)).toEqual({ ok: true, entries: 6, dossiers: 2, seals: 1 });

    // A2's one sealed entry rebuilt with other content: its chain is sound, its seal disagrees
    const forged = appendEntry(undefined, { dossierId: 'A2', at: 1, actor: 'mallory', type: 'dossierReceived', data: null });
    const rewritten = entries.map((e) => (e.dossierId === 'A2' && e.sequence === 1 ? forged : e)).map((e) => (e.dossierId === 'A2' && e.sequence === 2 ? appendEntry(forged, { dossierId: 'A2', at: e.at, actor: e.actor, type: e.type, data: e.data }) : e));
    expect(verify(rewritten, seals, OF_A)).toEqual({ ok: false, problem: expect.objectContaining({ kind: 'chain-rewritten', dossierId: 'A2', sequence: 1, seal: 1 }) });
    expect(verify(rewritten, seals, OF_B)).toEqual(verify(entries, seals, OF_B));
  });

  it('should check the seal chain whole for every scope', () => {
    const { entries, seals } = log();
    // seal 2 records B1 only, yet a change to it fails A's verification too: A's sealed heads hang on the chain
    const changed = seals.map((s) => (s.sequence === 2 ? { ...s, at: s.at + 1 } : s));
    for (const scope of [OF_A, OF_B, undefined]) {
      expect(verify(entries, changed, scope)).toEqual({ ok: false, problem: expect.objectContaining({ kind: 'seal-changed', seal: 2 }) });
    }
  });
});
