import fc from 'fast-check';
import {
  channelShare,
  digitisationRate,
  eResultRate,
  factsOfDossier,
  legalTimeliness,
  onlinePaymentRate,
  onTimeRate,
  processingTime,
  processingWorkingDays,
  satisfaction,
  timeliness766,
  timelinessCounts,
  type DossierFacts,
  type IndicatorOptions,
} from '../../../onestop/src/statistics/indicators';
import { at } from '../../support/local-time';
import { clock, newDossier, run } from '../dossiers/lifecycle-support';

const base: DossierFacts = {
  id: '',
  receivedAt: at('2026-11-02 09:30'),
  receiptAppointmentAt: at('2026-11-11 09:30'),
  appointmentAt: at('2026-11-11 09:30'),
  redated: false,
  supplementRequests: 0,
  channel: 'desk',
  resultRequired: true,
  eResult: false,
  digitisedInputs: false,
  fee: 0,
  paidOnline: false,
  complaints: 0,
};
const d = (fields: Partial<DossierFacts>): DossierFacts => ({ ...base, ...fields });

/** Eight dossiers of a 7-working-day procedure, received in November 2026 (hand-computed answers below). */
const dossiers: DossierFacts[] = [
  d({ id: 'D1', finishedAt: at('2026-11-10 16:00'), eResult: true, digitisedInputs: true }),
  d({ id: 'D2', finishedAt: at('2026-11-11 09:00'), channel: 'online', eResult: true, digitisedInputs: true, fee: 50_000, paidOnline: true }),
  d({ id: 'D3', finishedAt: at('2026-11-11 10:00'), digitisedInputs: true, fee: 50_000, complaints: 1 }),
  // supplement Wed 04/11 09:30 → Mon 09/11 14:00 = 27 working hours (3.375 working days); restart gives Wed 18/11 14:00
  d({ id: 'D4', finishedAt: at('2026-11-17 10:00'), channel: 'online', supplementRequests: 1, supplement: { requestedAt: at('2026-11-04 09:30'), completedAt: at('2026-11-09 14:00') }, appointmentAt: at('2026-11-18 14:00') }),
  // apology: re-dated to Fri 13/11 17:00, finished before it: still late
  d({ id: 'D5', finishedAt: at('2026-11-12 10:00'), channel: 'post', redated: true, appointmentAt: at('2026-11-13 17:00') }),
  // waiting for the supplement asked on Wed 18/11 (appointment Thu 26/11 09:30: Tue 24/11 is Culture Day)
  d({ id: 'D6', receivedAt: at('2026-11-16 09:30'), receiptAppointmentAt: at('2026-11-26 09:30'), appointmentAt: at('2026-11-26 09:30'), supplementRequests: 1, supplement: { requestedAt: at('2026-11-18 10:00') } }),
  d({ id: 'D7', receivedAt: at('2026-11-16 09:30'), receiptAppointmentAt: at('2026-11-26 09:30'), appointmentAt: at('2026-11-26 09:30'), channel: 'online' }),
  d({ id: 'D8', finishedAt: at('2026-11-05 15:00'), supplementRequests: 2, eResult: true, digitisedInputs: true }),
];
const options: IndicatorOptions = { asOf: at('2026-11-30 12:00'), clock };

describe('statistics/indicators', () => {
  describe('per dossier', () => {
    it.each<[id: string, rule: string, decision766: string, legal: string]>([
      ['D1', 'finished on an earlier day than the appointment: early', 'early', 'early'],
      ['D2', 'finished before the appointment on its day: on time', 'on-time', 'on-time'],
      ['D3', 'finished after the appointment: late', 'late', 'late'],
      ['D4', '766: the receipt’s appointment + 27 supplement working hours = Mon 16/11 14:00 (late); legal: restarted to Wed 18/11 14:00 (early)', 'late', 'early'],
      ['D5', 'Decree 118 art. 19(6): re-dated, late in every statistic even within the new appointment', 'late', 'late'],
      ['D6', '766: a dossier waiting for a supplement ends at the request', 'in-progress-on-time', 'in-progress-on-time'],
      ['D7', 'in progress past the appointment: overdue', 'in-progress-overdue', 'in-progress-overdue'],
      ['D8', '766: more than one supplement request counts as late', 'late', 'early'],
    ])('%s: %s', (id, _rule, decision766, legal) => {
      const dossier = dossiers.find((x) => x.id === id)!;
      expect([timeliness766(dossier, options), legalTimeliness(dossier, options)]).toEqual([decision766, legal]);
    });

    it.each<[id: string, days: number | undefined]>([
      ['D1', 6.625],
      ['D2', 6.9375],
      ['D3', 7.0625],
      ['D4', 11.0625 - 3.375],
      ['D5', 8.0625],
      ['D6', undefined],
      ['D8', 3.5],
    ])('%s took %s working days (supplement subtracted)', (id, days) => {
      const value = processingWorkingDays(dossiers.find((x) => x.id === id)!, clock);
      if (days === undefined) expect(value).toBeUndefined();
      else expect(value).toBeCloseTo(days, 9);
    });
  });

  describe('a dossier that finished while waiting for a supplement that never came', () => {
    // received Mon 23/11/2026 09:00, appointment Thu 03/12 09:00 (Tue 24/11, Culture Day, skipped), supplement asked Wed 25/11 10:00
    const waited = (finishedAt: number): DossierFacts =>
      d({ id: 'W', receivedAt: at('2026-11-23 09:00'), receiptAppointmentAt: at('2026-12-03 09:00'), appointmentAt: at('2026-12-03 09:00'), supplementRequests: 1, supplement: { requestedAt: at('2026-11-25 10:00') }, finishedAt });
    const later: IndicatorOptions = { asOf: at('2026-12-31 12:00'), clock };

    it.each<[how: string, finishedAt: number]>([
      ['stopped on Thu 10/12 10:30, after its appointment', at('2026-12-10 10:30')],
      ['rejected on Mon 07/12 14:00, after its appointment', at('2026-12-07 14:00')],
    ])('%s: measured up to the request, so finished early by both measures, in 1.125 working days', (_how, finishedAt) => {
      const dossier = waited(finishedAt);
      expect([timeliness766(dossier, later), legalTimeliness(dossier, later)]).toEqual(['early', 'early']);
      // 23/11 09:00 → 25/11 10:00: one working day (the 23rd from 09:00, the 24th a holiday) and one hour of the 25th
      expect(processingWorkingDays(dossier, clock)).toBeCloseTo(1.125, 9);
      expect(timelinessCounts([dossier], later)).toEqual({
        decision766: { early: 1, 'on-time': 0, late: 0, 'in-progress-on-time': 0, 'in-progress-overdue': 0 },
        legal: { early: 1, 'on-time': 0, late: 0, 'in-progress-on-time': 0, 'in-progress-overdue': 0 },
      });
    });
  });

  it('should count early, on time, late and in progress by both measures', () => {
    expect(timelinessCounts(dossiers, options)).toEqual({
      decision766: { early: 1, 'on-time': 1, late: 4, 'in-progress-on-time': 1, 'in-progress-overdue': 1 },
      legal: { early: 3, 'on-time': 1, late: 2, 'in-progress-on-time': 1, 'in-progress-overdue': 1 },
    });
  });

  it.each<[code: string, compute: () => { numerator: number; denominator: number; value: number | null }, numerator: number, denominator: number, value: number]>([
    ['2.1 (766): D1, D2, D6 of 8', () => onTimeRate(dossiers, options).decision766, 3, 8, 37.5],
    ['2.1 (legal): D1, D2, D4, D6, D8 of 8', () => onTimeRate(dossiers, options).legal, 5, 8, 62.5],
    ['2.2: 39.875 working days over 6 finished dossiers', () => processingTime(dossiers, options).average, 39.875, 6, 39.875 / 6],
    ['3.3 online: D2 and D7 (in progress); D4 has no e-result', () => channelShare(dossiers).online, 2, 8, 25],
    ['3.3 desk: D1, D3, D6, D8', () => channelShare(dossiers).desk, 4, 8, 50],
    ['3.3 post: D5', () => channelShare(dossiers).post, 1, 8, 12.5],
    ['3.6: D2 paid online of D2, D3', () => onlinePaymentRate(dossiers), 1, 2, 50],
    ['4.1: D1, D2, D8 of the 6 finished', () => eResultRate(dossiers), 3, 6, 50],
    ['4.2: digitised and e-result: D1, D2, D8 of 6', () => digitisationRate(dossiers), 3, 6, 50],
    ['5.4: 100 − (5 late + 1 complaint) / 8 × 100', () => satisfaction(dossiers, options), 6, 8, 25],
  ])('%s', (_code, compute, numerator, denominator, value) => {
    const indicator = compute();
    expect(indicator.numerator).toBeCloseTo(numerator, 9);
    expect(indicator.denominator).toBe(denominator);
    expect(indicator.value).toBeCloseTo(value, 9);
  });

  it('should give the p90 by nearest rank (the 6th of 6)', () => {
    expect(processingTime(dossiers, options).p90).toBeCloseTo(8.0625, 9);
  });

  it('should say how every figure is computed, and give null on an empty set', () => {
    const all = [onTimeRate([], options).decision766, onTimeRate([], options).legal, processingTime([], options).average, channelShare([]).online, onlinePaymentRate([]), eResultRate([]), digitisationRate([]), satisfaction([], options)];
    for (const indicator of all) {
      expect(indicator).toMatchObject({ numerator: 0, denominator: 0, value: null });
      expect(indicator.formula.length).toBeGreaterThan(20);
    }
    expect(processingTime([], options).p90).toBeNull();
  });

  it('should keep every rate between 0 and 100 and never count a re-dated dossier on time (property)', () => {
    const moment = fc.integer({ min: at('2026-11-02 07:30'), max: at('2026-12-20 17:00') });
    const facts = fc.record({
      finishedAt: fc.option(moment, { nil: undefined }),
      receiptAppointmentAt: moment,
      redated: fc.boolean(),
      supplementRequests: fc.integer({ min: 0, max: 3 }),
      channel: fc.constantFrom<DossierFacts['channel']>('online', 'desk', 'post'),
      eResult: fc.boolean(),
      complaints: fc.integer({ min: 0, max: 2 }),
    });
    fc.assert(
      fc.property(fc.array(facts, { maxLength: 30 }), (list) => {
        const set = list.map((f, i) => d({ ...f, id: `X${i}`, appointmentAt: f.receiptAppointmentAt, finishedAt: f.finishedAt === undefined ? undefined : Math.max(f.finishedAt, base.receivedAt) }));
        for (const indicator of [onTimeRate(set, options).decision766, onTimeRate(set, options).legal, channelShare(set).online, satisfaction(set, options)]) {
          if (set.length) expect(indicator.value).toBeGreaterThanOrEqual(0);
          if (set.length) expect(indicator.value).toBeLessThanOrEqual(100);
        }
        for (const dossier of set.filter((x) => x.redated)) {
          expect(['late', 'in-progress-overdue']).toContain(timeliness766(dossier, options));
          expect(['late', 'in-progress-overdue']).toContain(legalTimeliness(dossier, options));
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('statistics/factsOfDossier', () => {
  const outcome = { resultRequired: true, eResult: true, digitisedInputs: true, fee: 0, paidOnline: false, complaints: 0 };

  it('should take the lifecycle’s times: a restarted supplement and a re-dated appointment (D4 and D5 above, through decide)', () => {
    const items = [{ name: 'Bản vẽ', reason: 'thiếu' }];
    const d4 = run(newDossier('2026-11-02 09:00'), ['2026-11-02 09:30', { type: 'receive' }], ['2026-11-02 10:00', { type: 'handOff', to: 'unit' }], ['2026-11-04 09:30', { type: 'requestSupplement', items }], ['2026-11-09 14:00', { type: 'supplement' }], ['2026-11-17 10:00', { type: 'resultReady' }]);
    const facts4 = factsOfDossier(d4, outcome)!;
    expect(facts4).toMatchObject({ receiptAppointmentAt: at('2026-11-11 09:30'), appointmentAt: at('2026-11-18 14:00'), supplement: { requestedAt: at('2026-11-04 09:30'), completedAt: at('2026-11-09 14:00') }, redated: false });
    expect([timeliness766(facts4, options), legalTimeliness(facts4, options)]).toEqual(['late', 'early']);
    const d5 = run(newDossier('2026-11-02 09:00'), ['2026-11-02 09:30', { type: 'receive' }], ['2026-11-10 09:00', { type: 'apologize', newAppointmentAt: at('2026-11-13 17:00'), reason: 'x' }], ['2026-11-12 10:00', { type: 'resultReady' }]);
    expect(factsOfDossier(d5, outcome)).toMatchObject({ appointmentAt: at('2026-11-11 09:30'), redated: true, finishedAt: at('2026-11-12 10:00') });
  });

  it('should leave out a dossier never received', () => {
    expect(factsOfDossier(run(newDossier('2026-11-02 09:00'), ['2026-11-02 09:30', { type: 'refuse', reasons: ['x'] }]), outcome)).toBeUndefined();
  });
});
