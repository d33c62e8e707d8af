/**
 * Every procedure of the library (processes/<code>/to-be.bpmn with its forms and procedure.json),
 * end to end through the public API on both databases: a dossier received at the desk by an
 * official of the competent agency, each user task completed from the inbox of a demo official
 * of the task's agency and group with valid form data, one supplement requested (mẫu 02) and
 * supplied, and the result returned. The appointments are checked against the test's own
 * working-day arithmetic (./vn-working-days.ts) on the real 2026 calendar: at receipt (with the
 * 15:00 cut-off where the procedure has one, across 24/11 and 1/1) and after the supplement
 * (restart from zero, or pause for the Decree 63/301 groups).
 */
import { testDatabases } from '../../support/databases';
import { deployLibraryProcedure, libraryProcedure, LibraryOfficials, loadLibrary, receiveDossier, requiredDocuments } from '../dossier-e2e-support';
import { useApi } from '../harness';
import { appointment, pausedAppointment, vn, type StatutoryTime } from './vn-working-days';

type Form = Record<string, unknown>;

interface ProcedureCase {
  code: string;
  /** The receipt at the desk, local time. */
  receivedAt: [string, string];
  /** The appointment printed on the receipt, worked out by hand (the arithmetic must agree). */
  expectedAppointment: [string, string];
  /** When the complete supplement arrives. */
  supplementedAt: [string, string];
  /** The reception form, without the dossier code. */
  receive: Form;
  /** The examination that finds the dossier complete (the first one asks for the supplement). */
  examine: Form;
  /** The procedure's own steps, by element id. */
  steps: Record<string, Form>;
}

const accept = { decision: 'accept' };
const approve = { outcome: 'propose-approve', opinion: 'Hồ sơ đủ điều kiện' };

const CASES: ProcedureCase[] = [
  {
    code: 'birth-registration',
    // after 15:00 on the eve of Vietnam Culture Day (Tue 24/11): returned on Wednesday
    receivedAt: ['2026-11-23', '15:30'],
    expectedAppointment: ['2026-11-25', '17:00'],
    supplementedAt: ['2026-11-25', '10:00'],
    receive: { ...accept, childName: 'Nguyễn Minh Khang', childBirthDate: '2026-11-20', childSex: 'nam' },
    examine: approve,
    steps: {},
  },
  {
    code: 'birth-group-63-301',
    // Friday after 15:00: the clock starts Monday 07:30; 3 working days skip Tuesday 24/11
    receivedAt: ['2026-11-20', '16:00'],
    expectedAppointment: ['2026-11-26', '17:00'],
    supplementedAt: ['2026-11-25', '09:00'],
    receive: { ...accept, childName: 'Trần An Nhiên', childBirthDate: '2026-11-18', childSex: 'nu' },
    examine: approve,
    steps: {
      registerResidence: { residenceAddress: 'Thôn Đông, xã Minh An' },
      approveResidence: { residenceApproved: true },
      issueInsuranceCard: { insuranceCardNumber: 'TE1010123456789' },
    },
  },
  {
    code: 'death-group-63-301',
    // after 15:00 on Monday 28/12: from Tuesday 07:30, 10 working days over New Year's Day 2027
    receivedAt: ['2026-12-28', '15:10'],
    expectedAppointment: ['2027-01-12', '17:00'],
    supplementedAt: ['2026-12-31', '09:00'],
    receive: { ...accept, deceasedName: 'Phạm Văn Lâm', dateOfDeath: '2026-12-27' },
    examine: approve,
    steps: {
      deleteResidence: { note: 'Đã xóa đăng ký thường trú' },
      approveDeletion: { deletionApproved: true },
      assessAllowance: { allowanceAmount: 18_720_000 },
      approveAllowance: { allowanceApproved: true },
    },
  },
  {
    code: 'business-registration',
    // Thursday 31/12 10:00 + 3 working days, Friday 1/1/2027 off
    receivedAt: ['2026-12-31', '10:00'],
    expectedAppointment: ['2027-01-06', '10:00'],
    supplementedAt: ['2027-01-04', '14:00'],
    receive: { ...accept, companyName: 'Công ty TNHH Minh An', companyType: 'tnhh-1tv' },
    examine: approve,
    steps: {
      confirmTaxCode: { taxCode: '0109876543' },
      registerInsurance: { insuranceUnitCode: 'TA0123456' },
    },
  },
  {
    code: 'construction-permit-house',
    // Wednesday 18/11 09:30 + 7 working days across 24/11
    receivedAt: ['2026-11-18', '09:30'],
    expectedAppointment: ['2026-11-30', '09:30'],
    supplementedAt: ['2026-11-20', '08:00'],
    receive: { ...accept, parcelNumber: '125', storeys: 3, floorArea: 180.5 },
    examine: approve,
    steps: {
      checkPlanning: { conformsToPlanning: true },
      inspectSite: { siteMatches: true },
    },
  },
  {
    code: 'judicial-record',
    // Tuesday 8/12 14:00 + 10 working days
    receivedAt: ['2026-12-08', '14:00'],
    expectedAppointment: ['2026-12-22', '14:00'],
    supplementedAt: ['2026-12-10', '09:00'],
    receive: { ...accept, applicantName: 'Lê Văn Tám', personalId: '001090012345', certificateType: 'so-1', copies: 1 },
    examine: { ...approve, needsVerification: true },
    steps: { verify: { findings: 'Không có án tích' } },
  },
  {
    code: 'land-use-certificate-first',
    // Monday 14/12 08:00 + 20 working days over New Year's Day 2027
    receivedAt: ['2026-12-14', '08:00'],
    expectedAppointment: ['2027-01-12', '08:00'],
    supplementedAt: ['2026-12-16', '15:00'],
    receive: { ...accept, applicantName: 'Hoàng Thị Mai', parcelNumber: '58', mapSheet: '12', area: 245.3 },
    examine: approve,
    steps: {
      confirmOrigin: { origin: 'Đất ở sử dụng ổn định từ năm 1995', inDispute: false },
      checkCadastre: { cadastreMatches: true },
      assessTax: { landLevy: 0, registrationFee: 1_226_500 },
    },
  },
  {
    code: 'permanent-residence',
    // after 15:00 on Monday 23/11 (no cut-off for this procedure): 7 working days at 16:00, 24/11 off
    receivedAt: ['2026-11-23', '16:00'],
    expectedAppointment: ['2026-12-03', '16:00'],
    supplementedAt: ['2026-11-26', '10:00'],
    receive: { ...accept, applicantName: 'Trần Văn Bình', personalId: '001085001234', newAddress: 'Số 5, thôn Tây, xã Minh An', basis: 'owner' },
    examine: approve,
    steps: {},
  },
];

function statutoryTimeOf(code: string): StatutoryTime & { afterSupplement: 'restart' | 'pause' } {
  const t = libraryProcedure(code).statutoryTime;
  return { amount: t.amount, unit: t.unit, ...(t.sameDay ? { sameDay: true } : {}), ...(t.cutoff ? { cutoff: t.cutoff } : {}), afterSupplement: t.afterSupplement };
}

const iso = ([date, time]: [string, string]): string => new Date(vn(date, time)).toISOString();

describe('the test calendar', () => {
  it.each(CASES)('should give the hand-worked receipt appointment of $code', ({ code, receivedAt, expectedAppointment }) => {
    expect(new Date(appointment(vn(...receivedAt), statutoryTimeOf(code))).toISOString()).toBe(iso(expectedAppointment));
  });
});

describe.each(testDatabases())('every library procedure end to end through the API on $name', (target) => {
  let clock = vn('2026-11-16');
  const api = useApi(target, { now: () => clock });
  const officials = new LibraryOfficials(api);

  beforeAll(async () => {
    for (const { code } of CASES) await deployLibraryProcedure(api, code);
    await loadLibrary(api);
  });

  it.each(CASES)('should take a $code dossier from receipt through one supplement to the returned result', async (c) => {
    const time = statutoryTimeOf(c.code);
    const competent = libraryProcedure(c.code).competentAgency.agency as string;
    const desk = await officials.of(competent, 'desk');
    const dossierPath = () => `/api/dossiers/${dossier.id}`;
    let minutes = 0;
    const tick = () => {
      minutes += 5;
      clock = vn(...c.receivedAt) + minutes * 60_000;
    };

    // given: received at the desk by an official of the competent agency
    clock = vn(...c.receivedAt);
    // every required document the national databases do not hold
    const dossier = await receiveDossier(desk.client, { procedureCode: c.code, channel: 'desk', applicant: { name: 'Nguyễn Văn An', kind: 'citizen' }, documents: requiredDocuments(c.code) });

    // then: the appointment on the real calendar
    const expectedAtReceipt = appointment(vn(...c.receivedAt), time);
    expect(dossier.appointmentAt).toBe(new Date(expectedAtReceipt).toISOString());
    expect(dossier.appointmentAt).toBe(iso(c.expectedAppointment));
    expect(dossier.status).toBe('received');

    /** Completes an open task from the inbox of the demo official of its agency and group. */
    const completed: string[] = [];
    async function completeOpen(elementId: string, form: Form): Promise<void> {
      tick();
      const res = await officials.complete(dossier.instanceId, elementId, form, competent);
      expect({ elementId, status: res.status, body: res.status === 200 ? undefined : res.body }).toEqual({ elementId, status: 200, body: undefined });
      completed.push(elementId);
    }

    // when: reception, and an examination that finds an item missing
    await completeOpen('receive', { ...c.receive });
    await completeOpen('examine', { outcome: 'supplement', missingItems: ['Bản chụp giấy tờ rõ nét'] });

    // then: the desk asks for it once (mẫu 02), through the dossier API and its task
    tick();
    const requestedAt = clock;
    const request = await desk.client.post(`${dossierPath()}/operations`, { type: 'request-supplement', items: [{ name: 'Bản chụp giấy tờ rõ nét', reason: 'Bản chụp bị mờ, không đọc được' }] });
    expect({ status: request.status, body: request.body.status }).toEqual({ status: 200, body: 'supplement-requested' });
    await completeOpen('requestSupplement', { missingItems: ['Bản chụp giấy tờ rõ nét'] });
    expect((await api.openTasks(dossier.instanceId)).map((t) => t.elementId)).toEqual([]);

    // when: the complete supplement arrives at the desk
    clock = vn(...c.supplementedAt);
    minutes = (clock - vn(...c.receivedAt)) / 60_000;
    const supplemented = await desk.client.post(`${dossierPath()}/operations`, { type: 'supplement' });
    expect(supplemented.status).toBe(200);

    // then: the clock restarts from zero (or resumes, for the groups), the receipt's appointment stays printed
    const expectedAfter = time.afterSupplement === 'pause' ? pausedAppointment(requestedAt, expectedAtReceipt, clock) : appointment(clock, time);
    const after = (await desk.client.get(dossierPath())).body;
    expect({ appointmentAt: after.appointmentAt, receiptAppointmentAt: after.receiptAppointmentAt, supplementRequests: after.supplementRequests }).toEqual({
      appointmentAt: new Date(expectedAfter).toISOString(),
      receiptAppointmentAt: iso(c.expectedAppointment),
      supplementRequests: 1,
    });
    expect((await api.openTasks(dossier.instanceId)).map((t) => t.elementId)).toEqual(['examine']);

    // when: examined again, the procedure's own steps done by their agencies, signed and returned
    await completeOpen('examine', c.examine);
    const finals: Form = { sign: { approved: true, opinion: 'Đồng ý' }, returnResult: { returnChannel: 'desk', resultNumber: `${c.code}/2026` } };
    let ready: { status?: string } = {};
    for (let guard = 0; guard < 20; guard++) {
      const open = (await api.openTasks(dossier.instanceId)).map((t) => t.elementId).sort();
      if (open.length === 0) break;
      for (const elementId of open) {
        const form = (c.steps[elementId] ?? finals[elementId]) as Form | undefined;
        if (!form) throw new Error(`${c.code}: task ${elementId} has no form data in the table`);
        if (elementId === 'returnResult') ready = (await desk.client.get(dossierPath())).body;
        await completeOpen(elementId, form);
      }
    }

    // then
    expect(ready.status).toBe('result-ready');
    expect([...Object.keys(c.steps), 'sign', 'returnResult'].filter((id) => !completed.includes(id))).toEqual([]);
    const done = (await desk.client.get(dossierPath())).body;
    expect({ status: done.status, supplementRequests: done.supplementRequests }).toEqual({ status: 'returned', supplementRequests: 1 });
    expect((await desk.client.get(`/api/instances/${dossier.instanceId}`)).body.status).toBe('completed');
    const history = (await desk.client.get(`${dossierPath()}/history`)).body.items.map((h: { type: string }) => h.type);
    expect(history).toEqual(expect.arrayContaining(['dossierReceived', 'supplementRequested', 'dossierSupplemented', 'resultReady', 'resultReturned']));
  });
});
