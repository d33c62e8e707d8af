import { agencyWorkingCalendar, bundledLegalSettings, settingsInForce, type VnYearData } from '../../../onestop/src/clocks';
import { DOSSIER_STATUSES, type Dossier, type DossierStatus } from '../../../onestop/src/dossiers/dossier';
import { dossierClockOf } from '../../../onestop/src/dossiers/dossier-clock';
import { decide, onlineAcceptanceDeadline, processingSupplementDeadline, transferDeadline, type DossierOperation, type RefusalCode } from '../../../onestop/src/dossiers/lifecycle';
import { rulesInForce } from '../../../onestop/src/dossiers/dossier-rules';
import { at, local } from '../../support/local-time';
import { clock, context, newDossier, rules, run, sevenDays, years } from './lifecycle-support';

const version = rulesInForce(rules, '2026-11-02');
const items = [{ name: 'Bản vẽ thiết kế', reason: 'thiếu chữ ký' }];

/** A dossier received Mon 02/11/2026 09:30 at the desk (appointment Wed 11/11 09:30) and handed to the unit at 10:00. */
function inProcessing(procedure = sevenDays): Dossier {
  return run(newDossier('2026-11-02 09:00', { procedure }), ['2026-11-02 09:30', { type: 'receive', code: '000.00.15.H29-261102-0001' }], ['2026-11-02 10:00', { type: 'handOff', to: 'land-office' }]);
}

function refusal(dossier: Dossier, operation: DossierOperation, now: string): { code: RefusalCode; reason: string } {
  const decision = decide(dossier, operation, context(now));
  if (decision.ok) throw new Error(`expected ${operation.type} at ${now} to be refused`);
  return decision.refusal;
}

describe('dossiers/lifecycle', () => {
  describe('appointments', () => {
    it.each<[rule: string, procedure: Dossier['procedure'], receivedAt: string, appointment: string]>([
      ['art. 16–17: the clock starts at full and valid receipt; 7 working days, elapsed', sevenDays, '2026-11-02 09:30', '2026-11-11 09:30'],
      ['Resolution 28/2026: Culture Day Tue 24/11 is not a working day', sevenDays, '2026-11-19 10:00', '2026-12-01 10:00'],
      ['Civil Code art. 147 counting (per procedure): the day of receipt is not counted', { ...sevenDays, dayCounting: 'next-day' }, '2026-11-02 09:30', '2026-11-11 17:00'],
      ['Law on Civil Status art. 5(3): same day before 15:00', { id: 'birth', statutoryTime: { amount: 1, unit: 'sameDay' } }, '2026-11-02 14:00', '2026-11-02 17:00'],
      ['Law on Civil Status art. 5(3): after 15:00, the next working day', { id: 'birth', statutoryTime: { amount: 1, unit: 'sameDay' } }, '2026-11-02 15:30', '2026-11-03 17:00'],
      ['Decree 301/2026: the group’s clock starts the next working day after 15:00', { id: 'group-1', statutoryTime: { amount: 3, unit: 'workingDays' }, cutoff: '15:00' }, '2026-11-06 15:30', '2026-11-11 17:00'],
    ])('%s', (_rule, procedure, receivedAt, appointment) => {
      const decision = decide(newDossier('2026-11-02 07:30', { procedure }), { type: 'receive' }, context(receivedAt));
      expect(decision.ok && local(decision.dossier.appointmentAt!)).toBe(appointment);
      expect(decision.ok && decision.dossier.receiptAppointmentAt).toBe(decision.ok && decision.dossier.appointmentAt);
    });

    it('should keep the appointment printed on the receipt when the calendar data changes afterwards', () => {
      // given a dossier received Mon 02/11 with its appointment printed: Wed 11/11 09:30
      const dossier = inProcessing();
      // and a calendar where Thu 05/11 became a day off after the receipt was printed
      const changed = structuredClone(years) as VnYearData[];
      const y2026 = changed.find((y) => y.year === 2026)!;
      y2026.holidays.push({ ...y2026.holidays[0], date: '2026-11-05' });
      const newClock = dossierClockOf(agencyWorkingCalendar(changed, settingsInForce(bundledLegalSettings(), '2026-11-30'), { agency: 'test' }));
      expect(local(newClock.add(at('2026-11-02 09:30'), 7, 'workingDays'))).toBe('2026-11-12 09:30');
      // when the dossier is handled further on the new calendar
      const handed = decide(dossier, { type: 'handOff', to: 'head' }, { ...context('2026-11-06 09:00'), clock: newClock });
      const ready = handed.ok ? decide(handed.dossier, { type: 'resultReady' }, { ...context('2026-11-11 10:00'), clock: newClock }) : handed;
      // then the printed appointment stands, and the result at 10:00 on 11/11 is late against it
      expect(ready.ok && local(ready.dossier.receiptAppointmentAt!)).toBe('2026-11-11 09:30');
      expect(ready.ok && local(ready.dossier.appointmentAt!)).toBe('2026-11-11 09:30');
      expect(ready.ok && ready.events[0]).toMatchObject({ type: 'resultReady', timeliness: 'late' });
    });
  });

  describe('reception', () => {
    it('should receive a dossier: status, rules kept, code, event with who and when', () => {
      const decision = decide(newDossier('2026-11-02 09:00'), { type: 'receive', code: '000.00.15.H29-261102-0001' }, context('2026-11-02 09:30'));
      expect(decision).toEqual({
        ok: true,
        dossier: expect.objectContaining({ status: 'received', receivedAt: at('2026-11-02 09:30'), rulesFrom: '2025-07-01', code: '000.00.15.H29-261102-0001' }),
        changes: expect.objectContaining({ status: 'received' }),
        events: [{ type: 'dossierReceived', dossierId: 'd-1', at: at('2026-11-02 09:30'), actor: 'lan', from: 'submitted', to: 'received', code: '000.00.15.H29-261102-0001', channel: 'desk', appointmentAt: at('2026-11-11 09:30'), rulesFrom: '2025-07-01' }],
      });
    });

    it.each<[rule: string, now: string, withinTime: boolean]>([
      ['art. 17(2): accepted at the 8th working hour (Mon 16:00 + 1 h + 4 h + 3 h)', '2026-11-03 16:00', true],
      ['art. 17(2): accepted a minute after the 8 working hours is recorded as late', '2026-11-03 16:01', false],
    ])('%s', (_rule, now, withinTime) => {
      const dossier = newDossier('2026-11-02 16:00', { channel: 'online' });
      const decision = decide(dossier, { type: 'receive' }, context(now));
      expect(decision.ok && decision.events[0]).toMatchObject({ online: { dueAt: at('2026-11-03 16:00'), withinTime } });
    });

    it('art. 17(2): the 8 working hours run from the portal submission, so a supplemented dossier received later is not marked', () => {
      const dossier = run(newDossier('2026-11-02 16:00', { channel: 'online' }), ['2026-11-03 09:00', { type: 'requestSupplement', items }], ['2026-11-05 09:00', { type: 'supplement' }]);
      const decision = decide(dossier, { type: 'receive' }, context('2026-11-05 10:00'));
      expect(decision.ok && decision.events[0]).not.toHaveProperty('online');
    });

    it('should warn 2 working hours before the online deadline (a setting)', () => {
      const deadline = onlineAcceptanceDeadline(newDossier('2026-11-02 16:00', { channel: 'online' }), version, clock)!;
      expect([local(deadline.dueAt), local(deadline.warnAt)]).toEqual(['2026-11-03 16:00', '2026-11-03 14:00']);
      expect(onlineAcceptanceDeadline(newDossier('2026-11-02 16:00'), version, clock)).toBeUndefined();
    });

    it('should refuse at reception with reasons (mẫu 03), and ask for reasons', () => {
      const dossier = newDossier('2026-11-02 09:00');
      expect(refusal(dossier, { type: 'refuse', reasons: [] }, '2026-11-02 09:10')).toEqual({ code: 'REASONS_REQUIRED', reason: 'a refusal at reception states its reasons (mẫu 03) (Decree 118/2025/NĐ-CP art. 16)', article: 'Decree 118/2025/NĐ-CP art. 16' });
      const decision = decide(dossier, { type: 'refuse', reasons: ['Không thuộc thẩm quyền'] }, context('2026-11-02 09:10'));
      expect(decision.ok && decision.dossier.status).toBe('refused');
    });

    it('should request a supplement at reception, then receive the supplemented dossier (clock starts at the full receipt)', () => {
      const dossier = run(newDossier('2026-11-02 09:00'), ['2026-11-02 09:00', { type: 'requestSupplement', items }], ['2026-11-06 10:00', { type: 'supplement' }], ['2026-11-06 10:30', { type: 'receive' }]);
      expect(dossier.supplement).toEqual({ stage: 'reception', requestedAt: at('2026-11-02 09:00'), dueAt: at('2026-11-17 09:00'), items, completedAt: at('2026-11-06 10:00') });
      expect([dossier.status, local(dossier.appointmentAt!)]).toEqual(['received', '2026-11-17 10:30']);
    });

    it('should not let a supplemented dossier at reception be handed off before it is received', () => {
      const dossier = run(newDossier('2026-11-02 09:00'), ['2026-11-02 09:00', { type: 'requestSupplement', items }], ['2026-11-06 10:00', { type: 'supplement' }]);
      expect(refusal(dossier, { type: 'handOff', to: 'unit' }, '2026-11-06 11:00').code).toBe('NOT_ALLOWED_IN_STATUS');
    });
  });

  describe('supplement', () => {
    it.each<[rule: string, build: () => Dossier, operation: DossierOperation, now: string, code: RefusalCode, reason: string]>([
      [
        'art. 11(2)(c), 16(3): a second supplement request is refused',
        () => run(inProcessing(), ['2026-11-03 09:00', { type: 'requestSupplement', items }], ['2026-11-04 09:00', { type: 'supplement' }]),
        { type: 'requestSupplement', items },
        '2026-11-04 10:00',
        'SUPPLEMENT_ALREADY_REQUESTED',
        'the dossier already had 1 supplement request; every missing item is asked for at once (Decree 118/2025/NĐ-CP art. 11(2)(c), 16(3): one supplement request per dossier)',
      ],
      [
        'art. 11(2)(c): a request at reception then one in processing is a second request',
        () => run(newDossier('2026-11-02 09:00'), ['2026-11-02 09:00', { type: 'requestSupplement', items }], ['2026-11-03 09:00', { type: 'supplement' }], ['2026-11-03 09:30', { type: 'receive' }]),
        { type: 'requestSupplement', items },
        '2026-11-03 10:00',
        'SUPPLEMENT_ALREADY_REQUESTED',
        'the dossier already had 1 supplement request; every missing item is asked for at once (Decree 118/2025/NĐ-CP art. 11(2)(c), 16(3): one supplement request per dossier)',
      ],
      [
        'art. 19(5): the processing unit asks within 3 working days of receiving the dossier (Mon 10:00 → Thu 10:00)',
        inProcessing,
        { type: 'requestSupplement', items },
        '2026-11-05 10:01',
        'SUPPLEMENT_WINDOW_PASSED',
        'the processing unit may ask for a supplement until 2026-11-05 10:00 (UTC+07:00), 3 working days after it received the dossier (Decree 118/2025/NĐ-CP art. 19(5))',
      ],
      ['mẫu 02: every item with its reason', inProcessing, { type: 'requestSupplement', items: [{ name: 'Bản vẽ', reason: '' }] }, '2026-11-03 09:00', 'ITEMS_REQUIRED', 'a supplement request lists every missing or wrong item, each with its reason (mẫu 02) (Decree 118/2025/NĐ-CP art. 11(2)(c), 16(3): one supplement request per dossier, listing every item)'],
      [
        'art. 19(5): a supplement after the 15 days is refused',
        () => run(inProcessing(), ['2026-11-03 09:00', { type: 'requestSupplement', items }]),
        { type: 'supplement' },
        '2026-11-18 09:01',
        'SUPPLEMENT_DEADLINE_PASSED',
        'the time to supplement ended at 2026-11-18 09:00 (UTC+07:00); the dossier is to be stopped (Decree 118/2025/NĐ-CP art. 19(5))',
      ],
      [
        'art. 19(5): the dossier is stopped only after the 15 days',
        () => run(inProcessing(), ['2026-11-03 09:00', { type: 'requestSupplement', items }]),
        { type: 'stop' },
        '2026-11-18 09:00',
        'SUPPLEMENT_TIME_NOT_OVER',
        'the applicant may still supplement until 2026-11-18 09:00 (UTC+07:00) (Decree 118/2025/NĐ-CP art. 19(5))',
      ],
    ])('%s', (_rule, build, operation, now, code, reason) => {
      expect(refusal(build(), operation, now)).toMatchObject({ code, reason });
    });

    it('should keep the rules in force at receipt: a later text allowing two requests applies to dossiers received under it only', () => {
      // given a hypothetical text in force from Tue 10/11/2026 allowing two supplement requests
      const later = structuredClone(rules);
      later.versions.push({ ...structuredClone(later.versions[0]), effectiveFrom: '2026-11-10', sources: ['hypothetical'], supplementRequests: { max: 2, ground: 'hypothetical' } });
      const twice = (received: string, requests: [string, string, string]) => {
        let dossier = newDossier(received);
        const ctx = (now: string) => ({ ...context(now), rules: later });
        for (const [now, operation] of [[received, { type: 'receive' }], [requests[0], { type: 'requestSupplement', items }], [requests[1], { type: 'supplement' }]] as Array<[string, DossierOperation]>) {
          const decision = decide(dossier, operation, ctx(now));
          if (!decision.ok) throw new Error(decision.refusal.reason);
          dossier = decision.dossier;
        }
        return decide(dossier, { type: 'requestSupplement', items }, ctx(requests[2]));
      };
      // then a dossier received on Mon 09/11 keeps one request, even when asked on 11/11
      const before = twice('2026-11-09 09:00', ['2026-11-09 10:00', '2026-11-10 10:00', '2026-11-11 09:00']);
      expect(before.ok || before.refusal.code).toBe('SUPPLEMENT_ALREADY_REQUESTED');
      // and one received on Tue 10/11 may get a second one
      const after = twice('2026-11-10 09:00', ['2026-11-10 10:00', '2026-11-11 10:00', '2026-11-12 09:00']);
      expect(after.ok && [after.dossier.supplementRequests, after.dossier.rulesFrom]).toEqual([2, '2026-11-10']);
    });

    it('art. 19(5): a request at the last moment of the 3 working days is accepted', () => {
      const decision = decide(inProcessing(), { type: 'requestSupplement', items }, context('2026-11-05 10:00'));
      expect(decision.ok && decision.events[0]).toMatchObject({ type: 'supplementRequested', stage: 'processing', dueAt: at('2026-11-20 10:00'), from: 'processing', to: 'supplement-requested' });
    });

    it('art. 19(5): stopped after 15 days without a supplement (mẫu 05)', () => {
      const dossier = run(inProcessing(), ['2026-11-03 09:00', { type: 'requestSupplement', items }]);
      const decision = decide(dossier, { type: 'stop' }, context('2026-11-18 09:01'));
      expect(decision.ok && decision.events).toEqual([{ type: 'dossierStopped', dossierId: 'd-1', at: at('2026-11-18 09:01'), actor: 'lan', from: 'supplement-requested', to: 'stopped', cause: 'no-supplement', requestedAt: at('2026-11-03 09:00'), supplementDueAt: at('2026-11-18 09:00') }]);
    });

    it.each<[rule: string, clockRule: 'restart' | 'pause' | undefined, appointment: string]>([
      ['art. 19(5): restart from zero by default (7 working days from Mon 09/11 14:00)', undefined, '2026-11-18 14:00'],
      ['Decree 301/2026 groups: pause (5 working days were left on Wed 04/11 09:30)', 'pause', '2026-11-16 14:00'],
    ])('%s', (_rule, clockRule, appointment) => {
      const procedure = { ...sevenDays, ...(clockRule ? { clockAfterSupplement: clockRule } : {}) };
      const dossier = run(inProcessing(procedure), ['2026-11-04 09:30', { type: 'requestSupplement', items }], ['2026-11-09 14:00', { type: 'supplement' }]);
      expect([dossier.status, local(dossier.appointmentAt!), local(dossier.receiptAppointmentAt!)]).toEqual(['supplemented', appointment, '2026-11-11 09:30']);
    });
  });

  describe('late', () => {
    // the day before the due date (Wed 11/11 09:30), late in the afternoon, is still in time
    const redated = () => run(inProcessing(), ['2026-11-10 16:30', { type: 'apologize', newAppointmentAt: at('2026-11-13 17:00'), reason: 'Chờ ý kiến cơ quan thuế' }]);

    it('art. 19(6): an apology 1 day before the due date re-dates the appointment once, and the dossier is late for good', () => {
      const dossier = redated();
      expect(dossier).toMatchObject({ appointmentAt: at('2026-11-13 17:00'), originalAppointmentAt: at('2026-11-11 09:30'), receiptAppointmentAt: at('2026-11-11 09:30'), redates: 1, late: true });
      const ready = decide(dossier, { type: 'resultReady', eResult: true }, context('2026-11-12 10:00'));
      expect(ready.ok && ready.events[0]).toMatchObject({ type: 'resultReady', timeliness: 'late', eResult: true });
    });

    it.each<[rule: string, build: () => Dossier, operation: DossierOperation, now: string, code: RefusalCode, reason: string]>([
      ['art. 19(6): the appointment is re-set once only', redated, { type: 'apologize', newAppointmentAt: at('2026-11-20 17:00'), reason: 'again' }, '2026-11-11 08:00', 'APPOINTMENT_ALREADY_REDATED', 'the appointment was already re-dated 1 time; it is re-set once only (Decree 118/2025/NĐ-CP art. 19(6): one new appointment)'],
      ['art. 19(6): at the latest 1 day before the due date (not on the due date itself)', inProcessing, { type: 'apologize', newAppointmentAt: at('2026-11-13 17:00'), reason: 'late' }, '2026-11-11 07:30', 'APOLOGY_TOO_LATE', 'the apology is due at the latest 1 day before the appointment (2026-11-11 09:30 (UTC+07:00)), counted in dates (Decree 118/2025/NĐ-CP art. 19(6): at the latest 1 day before the due date)'],
      ['art. 19(6): the new appointment is later', inProcessing, { type: 'apologize', newAppointmentAt: at('2026-11-11 09:30'), reason: 'late' }, '2026-11-09 09:00', 'NEW_APPOINTMENT_NOT_LATER', 'the new appointment must be after the current one (2026-11-11 09:30 (UTC+07:00)) (Decree 118/2025/NĐ-CP art. 19(6))'],
      ['mẫu 04: the apology states its reason', inProcessing, { type: 'apologize', newAppointmentAt: at('2026-11-13 17:00'), reason: ' ' }, '2026-11-09 09:00', 'REASONS_REQUIRED', 'the apology (mẫu 04) states the reason of the delay (Decree 118/2025/NĐ-CP art. 19(6))'],
    ])('%s', (_rule, build, operation, now, code, reason) => {
      expect(refusal(build(), operation, now)).toEqual({ code, reason, article: expect.any(String) });
    });

    it.each<[now: string, timeliness: string]>([
      ['2026-11-10 16:00', 'early'],
      ['2026-11-11 09:30', 'on-time'],
      ['2026-11-11 09:31', 'late'],
    ])('a result ready at %s is %s against Wed 11/11 09:30', (now, timeliness) => {
      const decision = decide(inProcessing(), { type: 'resultReady' }, context(now));
      expect(decision.ok && decision.events[0]).toMatchObject({ type: 'resultReady', timeliness });
    });
  });

  describe('processing and hand-offs', () => {
    it.each<[rule: string, channel: 'desk' | 'online', receivedAt: string, handOffAt: string, dueAt: string, onTime: boolean]>([
      ['art. 18(2): paper received before 15:00 goes the same working day', 'desk', '2026-11-02 14:00', '2026-11-02 16:59', '2026-11-02 17:00', true],
      ['art. 18(2): paper received after 15:00 goes at the start of the next working day', 'desk', '2026-11-06 15:30', '2026-11-09 08:00', '2026-11-09 17:00', true],
      ['art. 18(2): paper transferred the day after (received before 15:00) is late', 'desk', '2026-11-02 14:00', '2026-11-03 08:00', '2026-11-02 17:00', false],
      ['art. 18(2): electronic data at once', 'online', '2026-11-02 14:00', '2026-11-02 14:00', '2026-11-02 14:00', true],
    ])('%s', (_rule, channel, receivedAt, handOffAt, dueAt, onTime) => {
      const dossier = run(newDossier('2026-11-02 08:00', { channel }), [receivedAt, { type: 'receive' }]);
      expect(local(transferDeadline(dossier, version, clock)!)).toBe(dueAt);
      const decision = decide(dossier, { type: 'handOff', to: 'land-office' }, context(handOffAt));
      expect(decision.ok && decision.events[0]).toMatchObject({ type: 'processingStarted', unit: 'land-office', transferDueAt: at(dueAt), transferOnTime: onTime });
    });

    it('should record each hand-off from holder to holder with its due date (mẫu 06)', () => {
      const dossier = inProcessing();
      const decision = decide(dossier, { type: 'handOff', to: 'head', dueAt: at('2026-11-10 17:00') }, context('2026-11-09 09:00'));
      expect(decision.ok && decision.events).toEqual([{ type: 'dossierHandedOff', dossierId: 'd-1', at: at('2026-11-09 09:00'), actor: 'lan', from: 'processing', to: 'processing', fromHolder: 'land-office', toHolder: 'head', dueAt: at('2026-11-10 17:00') }]);
      expect(processingSupplementDeadline(dossier, version, clock)).toBe(at('2026-11-05 10:00'));
    });

    it('art. 19(3): rejection after examination states reasons and records whether it came in time', () => {
      const decision = decide(inProcessing(), { type: 'reject', reasons: ['Không đủ điều kiện cấp phép'] }, context('2026-11-12 08:00'));
      expect(decision.ok && decision.events[0]).toMatchObject({ type: 'dossierRejected', withinTime: false, to: 'rejected' });
    });

    it('art. 22: a ready result is returned; art. 21: withdrawal before the result only', () => {
      const ready = run(inProcessing(), ['2026-11-10 09:00', { type: 'resultReady', eResult: true }]);
      expect(refusal(ready, { type: 'withdraw' }, '2026-11-10 10:00')).toMatchObject({ code: 'NOT_ALLOWED_IN_STATUS', reason: 'cannot withdraw a dossier that is result-ready (Decree 118/2025/NĐ-CP art. 21)' });
      expect(run(ready, ['2026-11-10 10:00', { type: 'return', method: 'online' }])).toMatchObject({ status: 'returned', returnedAt: at('2026-11-10 10:00') });
    });

    it('should refuse an operation dated before the last change', () => {
      expect(refusal(inProcessing(), { type: 'resultReady' }, '2026-11-02 09:59')).toMatchObject({
        code: 'TIME_BEFORE_LAST_CHANGE',
        reason: "the operation is dated 2026-11-02 09:59 (UTC+07:00), before the dossier's last change at 2026-11-02 10:00 (UTC+07:00) (the dossier lifecycle)",
      });
    });
  });

  describe('status guards', () => {
    // The statuses each operation may start from (Decree 118 art. 16–22); `supplemented` depends on the stage.
    const table: Record<DossierOperation['type'], DossierStatus[]> = {
      receive: ['submitted', 'supplemented'],
      refuse: ['submitted', 'supplemented'],
      requestSupplement: ['submitted', 'received', 'processing', 'supplemented'],
      supplement: ['supplement-requested'],
      stop: ['supplement-requested'],
      withdraw: ['submitted', 'received', 'processing', 'supplement-requested', 'supplemented'],
      handOff: ['received', 'processing', 'supplemented'],
      apologize: ['received', 'processing', 'supplemented'],
      reject: ['received', 'processing', 'supplemented'],
      resultReady: ['received', 'processing', 'supplemented'],
      return: ['result-ready'],
    };
    const operations: Record<DossierOperation['type'], DossierOperation> = {
      receive: { type: 'receive' },
      refuse: { type: 'refuse', reasons: ['x'] },
      requestSupplement: { type: 'requestSupplement', items },
      supplement: { type: 'supplement' },
      stop: { type: 'stop' },
      withdraw: { type: 'withdraw' },
      handOff: { type: 'handOff', to: 'x' },
      apologize: { type: 'apologize', newAppointmentAt: at('2026-11-30 17:00'), reason: 'x' },
      reject: { type: 'reject', reasons: ['x'] },
      resultReady: { type: 'resultReady' },
      return: { type: 'return', method: 'desk' },
    };
    const rows = Object.keys(table).flatMap((op) => DOSSIER_STATUSES.map((status) => [op as DossierOperation['type'], status] as const));

    it.each(rows)('%s from %s', (op, status) => {
      const dossier: Dossier = { ...inProcessing(), status, supplementRequests: 0, supplement: { stage: 'processing', requestedAt: at('2026-11-02 11:00'), dueAt: at('2026-11-17 11:00'), items, remaining: { amount: 5, unit: 'workingDays' } } };
      const decision = decide(dossier, operations[op], context('2026-11-03 09:00'));
      const allowed = table[op].includes(status) && !(status === 'supplemented' && (op === 'receive' || op === 'refuse'));
      // an allowed operation may still meet another guard (the 15 days of `stop`), never the status one
      if (allowed) expect(decision.ok || decision.refusal.code).not.toBe('NOT_ALLOWED_IN_STATUS');
      else expect(decision.ok || decision.refusal.code).toBe('NOT_ALLOWED_IN_STATUS');
    });

    it.each<[what: string, operation: DossierOperation, reason: string]>([
      ['a return by pigeon', { type: 'return', method: 'pigeon' } as unknown as DossierOperation, 'a result is returned at the desk, by post or online, not "pigeon"'],
      ['a hand-off to nobody', { type: 'handOff', to: '' }, 'a hand-off names the unit or agency that receives the dossier'],
      ['a hand-off due at NaN', { type: 'handOff', to: 'x', dueAt: Number.NaN }, "a hand-off's due date must be epoch milliseconds, got null"],
    ])('should refuse %s with a clear reason', (_what, operation, reason) => {
      const dossier = operation.type === 'return' ? run(inProcessing(), ['2026-11-03 08:00', { type: 'resultReady' }]) : inProcessing();
      expect(refusal(dossier, operation, '2026-11-03 09:00')).toMatchObject({ code: 'INVALID_OPERATION', reason: expect.stringContaining(reason) });
    });

    it('should refuse an unknown operation with a clear reason', () => {
      expect(refusal(inProcessing(), { type: 'archive' } as unknown as DossierOperation, '2026-11-03 09:00')).toMatchObject({ code: 'INVALID_OPERATION', reason: 'unknown operation "archive" (the dossier lifecycle)' });
    });
  });
});

describe('dossiers/lifecycle (a procedure with its own time to supplement)', () => {
  it('should give the applicant the procedure\'s 7 working days instead of the rules\' 15 days', () => {
    // given a Decree 301 group procedure (7 working days to supplement) received on Monday 2/11/2026
    const group = { ...sevenDays, id: 'birth-group', supplementDeadline: { amount: 7, unit: 'workingDays' as const } };
    const dossier = run(newDossier('2026-11-02 09:00', { procedure: group }), ['2026-11-02 09:00', { type: 'receive' }]);

    // when the processing unit asks for a supplement the next day
    const asked = run(dossier, ['2026-11-03 09:00', { type: 'requestSupplement', items: [{ name: 'CT01', reason: 'thiếu' }] }]);

    // then the applicant has until Thursday 12/11 09:00, and the desk may stop it after that
    expect(local(asked.supplement!.dueAt)).toBe('2026-11-12 09:00');
    expect(decide(asked, { type: 'stop' }, context('2026-11-12 10:00')).ok).toBe(true);
  });
});
