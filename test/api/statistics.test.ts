/**
 * The statistics through the API on both databases, with an injected clock across real
 * November 2026 dates: seven dossiers of one agency run through the API (early, on time,
 * late, late by Decision 766 but on time legally after a supplement, refused at reception,
 * withdrawn, in progress then overdue) and every figure checked against a count by hand;
 * the drill-down, the CSV parsed back, the public aggregates and who may read what.
 */
import { testDatabases } from '../support/databases';
import { receiveDossier, SuiteUsers } from './dossier-e2e-support';
import { dossierProcessXml, putDossierProcedure, residenceProcedureAs } from './dossier-process';
import { useApi, type ApiHarness } from './harness';
import { complete as completeTask, vn } from './outbox-support';

const AG = '000.05.00.H31';
const AG_OTHER = '000.06.00.H31';
const PROCESS = 'statistics-e2e';

/** Receipt → examination → result at the desk (status result-ready) → returned. */
const xml = dossierProcessXml({ processId: PROCESS, agency: AG, name: 'statistics' });

/** The library's permanent-residence procedure (7 working days, restart after a supplement, fee 20,000 đ, fully online), as agency AG's. */
const procedureDocument = () => residenceProcedureAs({ code: 'stats-procedure', processId: PROCESS, agencies: [{ id: AG, name: 'Công an xã S', nameEn: 'S' }] });

const APPLICANT = { name: 'Trần Văn Bình', kind: 'citizen', idNumber: '001190099999' };
const DOCUMENTS: Array<{ code: string; name: string; form: string; copies: number; digitised?: boolean }> = [{ code: 'DKTT.TOKHAI', name: 'Tờ khai CT01', form: 'original', copies: 1 }];
const ONLINE_DOCUMENTS = DOCUMENTS.map((d) => ({ ...d, form: 'electronic' }));

/** RFC 4180 fields, quotes and CRLF included. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += ch;
  }
  if (field !== '' || row.length) row.push(field), rows.push(row);
  return rows;
}

describe.each(testDatabases())('statistics through the API on $name', (target) => {
  let clock = vn('2026-11-02');
  const api: ApiHarness = useApi(target, { now: () => clock, dossiers: true });
  const users = new SuiteUsers(api, `stats-${target.name}`);
  const as = (name: string) => users.as(name);
  const operate = (who: string, id: string, body: unknown) => as(who).post(`/api/dossiers/${id}/operations`, body);

  const complete = (instanceId: string, elementId: string, variables?: Record<string, boolean>) => completeTask(api, instanceId, elementId, users.id('desk'), variables);

  async function atDesk(documents = DOCUMENTS): Promise<any> {
    const dossier = await receiveDossier(as('desk'), { procedureCode: 'stats-procedure', channel: 'desk', applicant: APPLICANT, documents, fee: { paid: true, paidOnline: false } });
    await complete(dossier.instanceId, 'receive');
    return dossier;
  }

  const online = () => receiveDossier(as('citizen'), { procedureCode: 'stats-procedure', channel: 'online', applicant: APPLICANT, documents: ONLINE_DOCUMENTS, fee: { paid: true, paidOnline: true } });

  const NOVEMBER = 'from=2026-11-01&to=2026-11-30';

  beforeAll(async () => {
    await users.add('desk', ['official'], AG, ['desk']);
    await users.add('admin', ['agency-admin'], AG, []);
    await users.add('other', ['official'], AG_OTHER, ['desk']);
    await users.add('analyst', ['analyst'], undefined, []);
    await users.add('citizen', ['citizen'], undefined, []);
    await putDossierProcedure(api, as('admin'), xml, AG, procedureDocument());
  });

  it('should count seven dossiers of November 2026 as counted by hand, by both measures, with drill-down, CSV and public figures', async () => {
    // given, on Monday 2/11/2026 at 09:00, five dossiers at the desk (appointment: 7 working days, Wednesday 11/11 09:00)
    clock = vn('2026-11-02');
    // (the on-time one with its inputs scanned and signed at the desk: digitised)
    const [early, onTime, late, supplemented, inProgress] = [await atDesk(), await atDesk([{ ...DOCUMENTS[0], digitised: true }]), await atDesk(), await atDesk(), await atDesk()];
    expect(early.appointmentAt).toBe(new Date(vn('2026-11-11')).toISOString());
    // and two online: one refused at reception, one accepted then withdrawn by the citizen on 4/11
    const refused = await online();
    expect((await operate('desk', refused.id, { type: 'refuse', reasons: ['không thuộc thẩm quyền'] })).status).toBe(200);
    const withdrawn = await online();
    expect((await operate('desk', withdrawn.id, { type: 'accept' })).status).toBe(200);
    // a supplement asked for on 3/11 and brought on 5/11 (2 working days): legally the 7 days restart (16/11); Decision 766 moves the receipt's 11/11 by 2 days (13/11)
    clock = vn('2026-11-03');
    expect((await operate('desk', supplemented.id, { type: 'request-supplement', items: [{ name: 'CT01', reason: 'thiếu chữ ký' }] })).status).toBe(200);
    clock = vn('2026-11-04');
    expect((await operate('citizen', withdrawn.id, { type: 'withdraw', reason: 'nộp nhầm' })).status).toBe(200);
    clock = vn('2026-11-05');
    const supplement = await operate('desk', supplemented.id, { type: 'supplement' });
    expect(supplement.body.appointmentAt).toBe(new Date(vn('2026-11-16')).toISOString());
    // when the results are ready: 5/11 (early, 3 working days), 11/11 09:00 (on time, 7), 12/11 (late, 8), 16/11 (supplemented: 10 − 2 = 8)
    await complete(early.instanceId, 'examine');

    // then on Friday 6/11 at 10:00: one finished early, four in progress on time (the withdrawn one is neither)
    clock = vn('2026-11-06', '10:00');
    const midway = await as('desk').get(`/api/statistics?${NOVEMBER}`);
    expect(midway.status).toBe(200);
    expect(midway.body.groups[0].counts).toMatchObject({ finished766: { early: 1, onTime: 0, late: 0 }, inProgress766: { onTime: 4, overdue: 0 }, inProgressLegal: { onTime: 4, overdue: 0 } });

    // the on-time and the supplemented ones get an electronic result (the process variable eResult, set by the official issuing it)
    clock = vn('2026-11-11');
    await complete(onTime.instanceId, 'examine', { eResult: true });
    clock = vn('2026-11-12');
    await complete(late.instanceId, 'examine', { eResult: false });
    clock = vn('2026-11-16');
    await complete(supplemented.instanceId, 'examine', { eResult: true });

    // then on 16/11 at 09:30, for the desk's own agency (the default)
    clock = vn('2026-11-16', '09:30');
    const report = await as('desk').get(`/api/statistics?${NOVEMBER}`);
    expect(report.status).toBe(200);
    const [group] = report.body.groups;
    expect(report.body.groups).toHaveLength(1);
    expect(group.counts).toMatchObject({
      dossiers: 7, // the refused one counts by its submission
      received: 6,
      desk: 5,
      online: 1,
      post: 0,
      finished766: { early: 1, onTime: 1, late: 2 }, // the supplemented one is late against 13/11
      finishedLegal: { early: 1, onTime: 2, late: 1 }, // and on time against 16/11
      inProgress766: { onTime: 0, overdue: 1 }, // the one left since 11/11
      inProgressLegal: { onTime: 0, overdue: 1 },
      withSupplement: 1,
      supplementRequests: 1,
      refused: 1,
      rejected: 0,
      stopped: 0,
      withdrawn: 1,
      timed: 4,
      workingDaysSum: 26, // 3 + 7 + 8 + 8
      workingDaysP90: 8,
      feeBearing: 6,
      feeBearingPaidOnline: 1,
      withResult: 4,
      eResult: 2,
      digitised: 1, // the on-time one: digitised inputs and an e-result
    });
    const indicator = (code: string) => group.indicators.find((i: { code: string }) => i.code === code);
    expect(indicator('2.1')).toMatchObject({ numerator: 2, denominator: 5, value: 40, unit: 'percent' }); // early + on time, of 6 received less the withdrawn
    expect(indicator('2.1-legal')).toMatchObject({ numerator: 3, denominator: 5, value: 60 });
    expect(indicator('2.1').formula).toMatch(/supplement time/);
    expect(indicator('2.2')).toMatchObject({ numerator: 26, denominator: 4, value: 6.5, unit: 'workingDays' });
    expect(indicator('2.2-p90')).toMatchObject({ value: 8 });
    expect(indicator('3.3')).toMatchObject({ numerator: 1, denominator: 6, value: 16.67, fullPointsAt: 50 });
    expect(indicator('3.6')).toMatchObject({ numerator: 1, denominator: 6, value: 16.67 });
    expect(indicator('4.1')).toMatchObject({ numerator: 2, denominator: 4, value: 50 });
    expect(indicator('4.2')).toMatchObject({ numerator: 1, denominator: 4, value: 25, fullPointsAt: 80 });
    const eResults = await as('desk').get(`/api/statistics/dossiers?${NOVEMBER}&indicator=e-result`);
    expect(eResults.body.items.map((d: { code: string }) => d.code).sort()).toEqual([onTime.code, supplemented.code].sort());
    expect(indicator('5.4')).toMatchObject({ numerator: 3, denominator: 5, value: 40 }); // late: 2 finished + 1 overdue

    // the drill-down lists exactly the dossiers counted, without personal data
    const lateOnes = await as('desk').get(`/api/statistics/dossiers?${NOVEMBER}&indicator=finished-late`);
    expect(lateOnes.status).toBe(200);
    expect(lateOnes.body.items.map((d: { code: string }) => d.code).sort()).toEqual([late.code, supplemented.code].sort());
    expect(lateOnes.text).not.toContain(APPLICANT.name);
    const legalLate = await as('desk').get(`/api/statistics/dossiers?${NOVEMBER}&indicator=legal-finished-late`);
    expect(legalLate.body.items.map((d: { code: string }) => d.code)).toEqual([late.code]);
    const overdue = await as('desk').get(`/api/statistics/dossiers?${NOVEMBER}&indicator=in-progress-overdue`);
    expect(overdue.body.items.map((d: { code: string }) => d.code)).toEqual([inProgress.code]);

    // per official: every received dossier by the desk official (the online one by its acceptance)
    const byOfficial = await as('desk').get(`/api/statistics?${NOVEMBER}&groupBy=official`);
    expect(byOfficial.body.groups.filter((g: any) => g.counts.received > 0).map((g: any) => [g.key, g.counts.received])).toEqual([[users.id('desk'), 6]]);

    // the CSV, by Accept and by ?format, parses back to the same figures
    const csv = await as('desk').get(`/api/statistics?${NOVEMBER}`, { headers: { accept: 'text/csv' } });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const rows = parseCsv(csv.text);
    expect(rows[0]).toEqual(['group', 'indicator', 'name', 'numerator', 'denominator', 'value', 'unit', 'formula']);
    const row = (code: string) => rows.find((r) => r[1] === code)!;
    expect(row('2.1').slice(3, 7)).toEqual(['2', '5', '40', 'percent']);
    expect(row('2.1-legal').slice(3, 6)).toEqual(['3', '5', '60']);
    expect(row('received').slice(3, 4)).toEqual(['6']);
    expect(row('2.1')[7]).toBe(indicator('2.1').formula);
    expect((await as('desk').get(`/api/statistics?${NOVEMBER}&format=csv`)).text).toBe(csv.text);

    // the public figures: aggregates of the agency, its online procedures with their dossiers
    const pub = await api.as('anonymous').get(`/api/public/statistics?agency=${AG}&${NOVEMBER}`);
    expect(pub.status).toBe(200);
    expect(pub.body).toMatchObject({ agency: AG, received: 6, procedures: [{ code: 'stats-procedure', onlineLevel: 'full', received: 6 }] });
    expect(pub.body.indicators.find((i: { code: string }) => i.code === '2.1')).toMatchObject({ numerator: 2, denominator: 5 });
    expect(pub.text).not.toContain(APPLICANT.name);
    expect(pub.text).not.toContain(users.id('desk'));
  });

  it('should let analysts read any agency and staff only their own', async () => {
    clock = vn('2026-11-16', '09:30');
    expect((await as('analyst').get(`/api/statistics?agency=${AG}&${NOVEMBER}`)).status).toBe(200);
    expect((await as('admin').get(`/api/statistics?agency=${AG}&${NOVEMBER}`)).status).toBe(200);
    const foreign = await as('other').get(`/api/statistics?agency=${AG}&${NOVEMBER}`);
    expect(foreign.status).toBe(403);
    expect((await as('other').get(`/api/statistics/dossiers?agency=${AG}&indicator=received`)).status).toBe(403);
    expect((await as('citizen').get(`/api/statistics?agency=${AG}`)).status).toBe(403);
    expect((await api.as('anonymous').get(`/api/statistics?agency=${AG}`)).status).toBe(401);
    const own = await as('other').get(`/api/statistics?${NOVEMBER}`);
    expect(own.body.groups).toEqual([]);
    const bad = await as('desk').get('/api/statistics?from=2026-12-01&to=2026-11-01');
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toMatch(/before it starts/);
    expect((await as('desk').get('/api/statistics?indicator=x')).status).toBe(400);
  });
});
