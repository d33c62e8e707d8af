/**
 * A calendar change moves the open steps of dossiers by the rule that set them (issue 16),
 * through the public API on both databases, with an injected clock across real 2026 dates
 * (Tuesday 24/11, Vietnam Culture Day, is a holiday). An agency admin replaces the 2026
 * schedule: a weekday becomes a day off, swapped with a Saturday worked in late December
 * (after every date here). Each step has its share of the 7 working days (receive 0.5,
 * examine 3, sign 2): counted again on the new data, a step open across a complete supplement
 * keeps its restart (or, under a procedure that pauses, what was left of its share), and no
 * step is ever due after the dossier's appointment, which the change never moves (the one
 * printed on the receipt, Decree 118/2025 art. 19(6)). Each move is a `taskUpdated` of the
 * instance's history and the dossier's audit chain, by the admin who made the change.
 */
import { bundledYears } from '../../onestop/src/clocks';
import { testDatabases } from '../support/databases';
import { vn } from './outbox-support';
import { iso, stepSharesXml, useDueDateSuite, type Move } from './step-due-dates-support';

const AG = '000.41.00.H41';
const RESTART = 'calendar-due-restart';
const PAUSE = 'calendar-due-pause';

const AGENCY = { id: AG, name: 'Công an xã Tân Hòa', nameEn: 'Tan Hoa commune police' };

/** The bundled 2026 schedule with each `[off, worked]` weekday off, swapped with the Saturday worked for it. */
function year2026With(...swaps: Array<[off: string, worked: string]>): Record<string, any> {
  const year = structuredClone(bundledYears().find((y) => y.year === 2026)!) as unknown as { daysOff: Array<{ date: string }>; workingDays: Array<{ date: string }> };
  for (const [off, worked] of swaps) {
    year.daysOff.push({ date: off, kind: 'swapped', workedOn: worked, ground: 'test notice' } as never);
    year.workingDays.push({ date: worked, replaces: off, ground: 'test notice' } as never);
  }
  year.daysOff.sort((a, b) => a.date.localeCompare(b.date));
  year.workingDays.sort((a, b) => a.date.localeCompare(b.date));
  return year;
}

const APPLICANT = { name: 'Trần Văn Bình', kind: 'citizen', idNumber: '001190077777' };
const DOCUMENTS = [{ code: 'DKTT.TOKHAI', name: 'Tờ khai thay đổi thông tin cư trú', form: 'original', copies: 1 }];

describe.each(testDatabases())('a calendar change and the due dates of dossiers’ steps through the API on $name', (target) => {
  let clock = vn('2026-11-23');
  const { api, users, as, operate, receiveAtDesk, taskOf, work, movesInHistory, movesInAudit, expectMoves, supplementAskedInExamination, signatureAfter } = useDueDateSuite(target, {
    clock: { now: () => clock, set: (ms) => (clock = ms) },
    suffix: `cal-${target.name}`,
    agency: AGENCY,
    receipt: { applicant: APPLICANT, documents: DOCUMENTS },
    processes: [stepSharesXml(RESTART, AG, { returnResult: false }), stepSharesXml(PAUSE, AG, { returnResult: false })],
    procedures: [['cal-restart', RESTART, 'restart'], ['cal-pause', PAUSE, 'pause']],
  });

  // Each test starts from the bundled schedule.
  afterEach(async () => {
    await as('admin').request('PUT', '/api/calendars/years/2026', { json: bundledYears().find((y) => y.year === 2026) });
  });

  // ------------------------------------------------------------------ helpers

  /** The admin replaces the 2026 schedule: the change as the API answers it. */
  async function changeYear(year: unknown): Promise<{ recomputedTasks: number }> {
    const res = await as('admin').request('PUT', '/api/calendars/years/2026', { json: year });
    expect([res.status, res.body.detail]).toEqual([200, undefined]);
    return res.body;
  }

  /** The dossier's appointment and its process's, which a calendar change never moves. */
  async function appointments(d: { id: string; instanceId: string }): Promise<[string, unknown]> {
    const dossier = await as('desk').get(`/api/dossiers/${d.id}`);
    expect(dossier.status).toBe(200);
    return [dossier.body.appointmentAt, (await api.engine.variables(d.instanceId)).appointmentAt];
  }

  // ------------------------------------------------------------------ restart

  it('should keep the restart of a step open across the supplement, and the restarted appointment as its bound, when days off are added', async () => {
    // given a dossier received on Monday 23/11 09:00 (7 working days, 24/11 skipped: 03/12 09:00), examined from 10:00 (due 27/11 10:00)
    clock = vn('2026-11-23');
    const d = await receiveAtDesk('cal-restart');
    // and a supplement asked for on 25/11, complete on Thursday 26/11 10:00: the 7 days restart (07/12 10:00), the examination's 3 too (01/12 10:00)
    const examine = await supplementAskedInExamination(d);
    clock = vn('2026-11-26', '10:00');
    expect(await operate('desk', d.id, { type: 'supplement' })).toMatchObject({ appointmentAt: iso(vn('2026-12-07', '10:00')) });
    expect((await taskOf('specialist', d.instanceId, 'examine')).dueAt).toBe(iso(vn('2026-12-01', '10:00')));

    // when on Friday 27/11 Monday 30/11 becomes a day off (Saturday 19/12 worked)
    clock = vn('2026-11-27');
    const change = await changeYear(year2026With(['2026-11-30', '2026-12-19']));

    // then the examination's 3 days still count from the supplement, on the new data: Wednesday 02/12 10:00 (not from its opening: 27/11)
    expect((await taskOf('specialist', d.instanceId, 'examine')).dueAt).toBe(iso(vn('2026-12-02', '10:00')));
    expect(change.recomputedTasks).toBeGreaterThanOrEqual(1);
    // and the appointment does not move, in the dossier or its process
    expect(await appointments(d)).toEqual([iso(vn('2026-12-07', '10:00')), iso(vn('2026-12-07', '10:00'))]);
    // and the move is the instance's and the dossier's, by the admin
    const moves: Move[] = [
      [examine.id, iso(vn('2026-12-01', '10:00')), users.id('desk')],
      [examine.id, iso(vn('2026-12-02', '10:00')), users.id('admin')],
    ];
    await expectMoves(d, moves);

    // when the examination ends on Friday 04/12 10:00: the signature's 2 days (08/12 10:00) end at the appointment
    clock = vn('2026-12-04', '10:00');
    await work('specialist', d.instanceId, 'examine');
    expect((await taskOf('head', d.instanceId, 'sign')).dueAt).toBe(iso(vn('2026-12-07', '10:00')));
    // and Monday 07/12 becomes a day off too (Saturday 26/12 worked): its share would now end Wednesday 09/12 10:00
    clock = vn('2026-12-04', '11:00');
    await changeYear(year2026With(['2026-11-30', '2026-12-19'], ['2026-12-07', '2026-12-26']));

    // then it stays due at the appointment, which stays too (a day off now, still the one given at the supplement)
    expect((await taskOf('head', d.instanceId, 'sign')).dueAt).toBe(iso(vn('2026-12-07', '10:00')));
    expect(await appointments(d)).toEqual([iso(vn('2026-12-07', '10:00')), iso(vn('2026-12-07', '10:00'))]);
    expect(await movesInHistory(d.instanceId)).toEqual(moves);
  });

  // ------------------------------------------------------------------ the appointment bounds every step

  it('should never push a step past the appointment printed on the receipt when days off are added, and give its share back when they are removed', async () => {
    // given a dossier received on Monday 23/11 09:00 (appointment Thursday 03/12 09:00), examined until Monday 30/11 10:00
    clock = vn('2026-11-23');
    const d = await receiveAtDesk('cal-restart');
    // and signed within 2 working days: Wednesday 02/12 10:00
    const sign = await signatureAfter(d, vn('2026-11-23', '10:00'), vn('2026-11-30', '10:00'));
    expect(sign.dueAt).toBe(iso(vn('2026-12-02', '10:00')));

    // when Tuesday 01/12 and Wednesday 02/12 become days off (Saturdays 19/12 and 26/12 worked): its share would end Friday 04/12 10:00
    clock = vn('2026-11-30', '11:00');
    await changeYear(year2026With(['2026-12-01', '2026-12-19'], ['2026-12-02', '2026-12-26']));

    // then the signature is due at the appointment, which does not move (the new data would count it to 07/12 09:00)
    expect((await taskOf('head', d.instanceId, 'sign')).dueAt).toBe(iso(vn('2026-12-03')));
    expect(await appointments(d)).toEqual([iso(vn('2026-12-03')), iso(vn('2026-12-03'))]);
    expect(await movesInHistory(d.instanceId)).toEqual([[sign.id, iso(vn('2026-12-03')), users.id('admin')]]);

    // when the days off are taken back
    await changeYear(bundledYears().find((y) => y.year === 2026));

    // then the signature gets its own share again: 02/12 10:00
    expect((await taskOf('head', d.instanceId, 'sign')).dueAt).toBe(iso(vn('2026-12-02', '10:00')));
    expect(await movesInAudit(d.id)).toEqual([
      [sign.id, iso(vn('2026-12-03')), users.id('admin')],
      [sign.id, iso(vn('2026-12-02', '10:00')), users.id('admin')],
    ]);
  });

  // ------------------------------------------------------------------ pause

  it('should keep resuming what was left of a step’s share under a procedure that pauses, counted on the new data', async () => {
    // given a dossier of a pausing procedure received on Monday 23/11 09:00, examined from 10:00 (due 27/11 10:00)
    clock = vn('2026-11-23');
    const d = await receiveAtDesk('cal-pause');
    // and a supplement asked for on Wednesday 25/11 10:00 (2 of the examination's days left), complete on Monday 30/11 10:00
    const examine = await supplementAskedInExamination(d);
    clock = vn('2026-11-30', '10:00');
    expect(await operate('desk', d.id, { type: 'supplement' })).toMatchObject({ appointmentAt: iso(vn('2026-12-08')) });
    expect((await taskOf('specialist', d.instanceId, 'examine')).dueAt).toBe(iso(vn('2026-12-02', '10:00')));

    // when Tuesday 01/12 becomes a day off (Saturday 19/12 worked)
    clock = vn('2026-11-30', '11:00');
    await changeYear(year2026With(['2026-12-01', '2026-12-19']));

    // then the 2 days left resume from the supplement on the new data: Thursday 03/12 10:00; the appointment stays
    expect((await taskOf('specialist', d.instanceId, 'examine')).dueAt).toBe(iso(vn('2026-12-03', '10:00')));
    expect(await appointments(d)).toEqual([iso(vn('2026-12-08')), iso(vn('2026-12-08'))]);
    expect(await movesInHistory(d.instanceId)).toEqual([
      [examine.id, iso(vn('2026-12-02', '10:00')), users.id('desk')],
      [examine.id, iso(vn('2026-12-03', '10:00')), users.id('admin')],
    ]);
  });
});

