import fc from 'fast-check';
import { FINAL_STATUSES, type Dossier } from '../../../onestop/src/dossiers/dossier';
import { decide, type DossierOperation } from '../../../onestop/src/dossiers/lifecycle';
import { at } from '../../support/local-time';
import { context, newDossier, sevenDays } from './lifecycle-support';

const items = [{ name: 'Tờ khai', reason: 'thiếu' }];
const operation: fc.Arbitrary<DossierOperation> = fc.oneof(
  fc.constant<DossierOperation>({ type: 'receive' }),
  fc.constant<DossierOperation>({ type: 'refuse', reasons: ['x'] }),
  fc.constant<DossierOperation>({ type: 'requestSupplement', items }),
  fc.constant<DossierOperation>({ type: 'supplement' }),
  fc.constant<DossierOperation>({ type: 'stop' }),
  fc.constant<DossierOperation>({ type: 'withdraw' }),
  fc.constantFrom('desk', 'unit', 'head').map<DossierOperation>((to) => ({ type: 'handOff', to })),
  fc.integer({ min: 1, max: 20 * 24 }).map<DossierOperation>((hours) => ({ type: 'apologize', newAppointmentAt: at('2026-11-20 17:00') + hours * 3_600_000, reason: 'x' })),
  fc.constant<DossierOperation>({ type: 'reject', reasons: ['x'] }),
  fc.constant<DossierOperation>({ type: 'resultReady' }),
  fc.constant<DossierOperation>({ type: 'return', method: 'desk' }),
);
/** Steps of 0 to 4 days (in minutes), now and then 16 days (past the 15 days to supplement), so that deadlines are met and missed; 20 steps stay inside the bundled calendar years. */
const step = fc.tuple(operation, fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 0, max: 4 * 24 * 60 }) }, { weight: 1, arbitrary: fc.constant(16 * 24 * 60) }));
const procedure = fc.constantFrom(sevenDays, { ...sevenDays, clockAfterSupplement: 'pause' as const }, { id: 'birth', statutoryTime: { amount: 1, unit: 'sameDay' as const } });

describe('dossiers/lifecycle (properties)', () => {
  it('should keep the legal invariants whatever the officials try', () => {
    const reached = new Set<string>();
    fc.assert(
      fc.property(procedure, fc.array(step, { maxLength: 20 }), (proc, steps) => {
        let dossier: Dossier = newDossier('2026-11-02 08:00', { procedure: proc });
        let now = dossier.submittedAt;
        for (const [op, minutes] of steps) {
          now += minutes * 60_000;
          const before = dossier;
          const decision = decide(dossier, op, { ...context('2026-11-02 08:00'), now });
          if (!decision.ok) {
            // a refusal changes nothing and always names a rule
            expect(decision.refusal.reason.length).toBeGreaterThan(0);
            continue;
          }
          // a stored dossier (plain JSON) decides as the live one does
          expect(decide(JSON.parse(JSON.stringify(before)), op, { ...context('2026-11-02 08:00'), now })).toEqual(decision);
          dossier = decision.dossier;
          reached.add(dossier.status);
          // a final status is never left (art. 21, 22)
          expect(FINAL_STATUSES.includes(before.status)).toBe(false);
          // one supplement request (art. 11(2)(c)), one re-dated appointment (art. 19(6))
          expect(dossier.supplementRequests).toBeLessThanOrEqual(1);
          expect(dossier.redates).toBeLessThanOrEqual(1);
          // late for good once re-dated
          if (before.late) expect(dossier.late).toBe(true);
          // the appointment printed on the receipt never moves
          if (before.receiptAppointmentAt !== undefined) expect(dossier.receiptAppointmentAt).toBe(before.receiptAppointmentAt);
          // events chain the statuses and say who and when
          expect(decision.events[0].from).toBe(before.status);
          expect(decision.events.at(-1)!.to).toBe(dossier.status);
          for (const event of decision.events) expect(event).toMatchObject({ dossierId: 'd-1', at: now, actor: 'lan' });
          // the changes are exactly what moved
          expect({ ...before, ...decision.changes }).toEqual(dossier);
        }
      }),
      // a fixed seed keeps the coverage check below deterministic
      { numRuns: 300, seed: 20261123 },
    );
    // the runs went through the whole lifecycle, not only refusals
    expect([...reached].sort()).toEqual(['processing', 'received', 'refused', 'rejected', 'result-ready', 'returned', 'stopped', 'supplement-requested', 'supplemented', 'withdrawn']);
  });

  it('should be deterministic: the same inputs give the same decision', () => {
    fc.assert(
      fc.property(operation, fc.integer({ min: 0, max: 10 * 24 * 60 }), (op, minutes) => {
        const dossier = newDossier('2026-11-02 08:00');
        const ctx = { ...context('2026-11-02 08:00'), now: dossier.submittedAt + minutes * 60_000 };
        expect(decide(dossier, op, ctx)).toEqual(decide(structuredClone(dossier), op, ctx));
      }),
    );
  });
});
