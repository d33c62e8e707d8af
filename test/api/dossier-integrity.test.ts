/**
 * The dossier and its process stay one through the API, on a library procedure
 * (birth-registration) on both databases: the dossier's own variables cannot be set by a
 * task's form, a supplement that cannot reach the process is refused (not recorded for a
 * process that never sees it), the examine form needs the missing items of a supplement,
 * and a refused or rejected dossier and its process end together.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testDatabases } from '../support/databases';
import { deployLibraryProcedure, LIBRARY, libraryProcedure, LibraryOfficials, loadLibrary, receiveDossier, requiredDocuments, signIn } from './dossier-e2e-support';
import { type Client, useApi } from './harness';
import { vn } from './outbox-support';

const CODE = 'birth-registration';
const AGENCY = libraryProcedure(CODE).competentAgency.agency as string;
const DOCUMENTS = requiredDocuments(CODE);
const RECEIVE = { decision: 'accept', childName: 'Nguyễn Minh Khang', childBirthDate: '2026-11-20', childSex: 'nam' };

describe.each(testDatabases())('a dossier and its process on $name', (target) => {
  let clock = vn('2026-11-23');
  const api = useApi(target, { now: () => clock });
  const officials = new LibraryOfficials(api);
  const official = async (group: string): Promise<Client> => (await officials.of(AGENCY, group)).client;
  let citizen: Client;

  beforeAll(async () => {
    await deployLibraryProcedure(api, CODE);
    await loadLibrary(api, [CODE]);
    citizen = (await signIn(api, { username: `citizen-integrity-${target.name}`, roles: ['citizen'], groups: [] })).client;
  });

  beforeEach(() => {
    clock = vn('2026-11-23');
  });

  const receiveAtDesk = async () => receiveDossier(await official('desk'), { procedureCode: CODE, channel: 'desk', applicant: { name: 'Nguyễn Văn An', kind: 'citizen' }, documents: DOCUMENTS });
  const submitOnline = () => receiveDossier(citizen, { procedureCode: CODE, channel: 'online', applicant: { name: 'Nguyễn Văn An', kind: 'citizen' }, documents: requiredDocuments(CODE, 'electronic') });
  const openIds = async (instanceId: string) => (await api.openTasks(instanceId)).map((t) => t.elementId).sort();

  /** Completes the open task at `elementId` from the inbox of its group's official: the response. */
  const complete = (instanceId: string, elementId: string, variables: Record<string, unknown>) => officials.complete(instanceId, elementId, variables, AGENCY);
  const operate = async (id: string, body: unknown) => (await official('desk')).post(`/api/dossiers/${id}/operations`, body);
  const dossier = async (id: string) => (await (await official('desk')).get(`/api/dossiers/${id}`)).body;
  const instanceStatus = async (instanceId: string) => (await api.store.instance(instanceId))?.status;

  describe("the dossier's own variables", () => {
    it.each(['dossierCode', 'dossierId', 'channel', 'appointmentAt'])('should refuse a task completion that sets %s, naming it', async (name) => {
      const received = await receiveAtDesk();
      const res = await complete(received.instanceId, 'receive', { ...RECEIVE, [name]: name === 'appointmentAt' ? '2099-01-01T00:00:00Z' : 'ABC-999999-9999' });
      expect(res.status).toBe(400);
      expect(res.body.detail).toContain(`variable '${name}' belongs to the dossier`);
      expect(res.body.field ?? JSON.stringify(res.body)).toContain(`variables.${name}`);
      expect(await openIds(received.instanceId)).toEqual(['receive']);
      expect((await api.engine.variables(received.instanceId)).dossierCode).toBe(received.code);
    });

    it('should not ask for the dossier code or the channel in the library reception forms', () => {
      for (const code of readdirSync(LIBRARY)) {
        let form: { properties: Record<string, unknown>; required?: string[] };
        try {
          form = JSON.parse(readFileSync(join(LIBRARY, code, 'forms', 'receive.schema.json'), 'utf8'));
        } catch {
          continue;
        }
        expect({ code, asks: ['dossierCode', 'dossierId', 'channel', 'appointmentAt'].filter((n) => n in form.properties || form.required?.includes(n)) }).toEqual({ code, asks: [] });
      }
    });
  });

  describe('a supplement', () => {
    it('should need the missing items when the examination asks for one', async () => {
      const received = await receiveAtDesk();
      expect((await complete(received.instanceId, 'receive', RECEIVE)).status).toBe(200);
      const bare = await complete(received.instanceId, 'examine', { outcome: 'supplement' });
      const empty = await complete(received.instanceId, 'examine', { outcome: 'supplement', missingItems: [] });
      expect(bare.status).toBe(422);
      expect(JSON.stringify(bare.body)).toContain('missingItems');
      expect(empty.status).toBe(422);
      expect(await openIds(received.instanceId)).toEqual(['examine']);
      expect((await complete(received.instanceId, 'examine', { outcome: 'supplement', missingItems: ['Giấy chứng sinh'] })).status).toBe(200);
    });

    it('should be refused while the process does not wait for it, and reach it when it does', async () => {
      // given a supplement asked for at processing, the desk's request-supplement task still open
      const received = await receiveAtDesk();
      await complete(received.instanceId, 'receive', RECEIVE);
      await complete(received.instanceId, 'examine', { outcome: 'supplement', missingItems: ['Giấy chứng sinh'] });
      const requested = await operate(received.id, { type: 'request-supplement', items: [{ name: 'Giấy chứng sinh', reason: 'bị mờ' }] });
      expect(requested.body.status).toBe('supplement-requested');

      // when the supplement comes before the process waits for it
      const early = await operate(received.id, { type: 'supplement' });

      // then it is refused, and nothing is recorded
      expect(early.status).toBe(409);
      expect(early.body.detail).toContain("no instance waits for message 'dossier.supplemented'");
      expect((await dossier(received.id)).status).toBe('supplement-requested');

      // when the process waits, the supplement reaches it
      await complete(received.instanceId, 'requestSupplement', { missingItems: ['Giấy chứng sinh'] });
      const supplemented = await operate(received.id, { type: 'supplement' });
      expect([supplemented.status, supplemented.body.status]).toEqual([200, 'supplemented']);
      expect(await openIds(received.instanceId)).toEqual(['examine']);
    });
  });

  describe('refused or rejected', () => {
    it('should end the process of an online dossier refused by the desk: no task left in any inbox', async () => {
      const submitted = await submitOnline();
      expect(await openIds(submitted.instanceId)).toEqual(['receive']);
      const refused = await operate(submitted.id, { type: 'refuse', reasons: ['không thuộc thẩm quyền'] });
      expect(refused.body.status).toBe('refused');
      expect(await openIds(submitted.instanceId)).toEqual([]);
      expect(await instanceStatus(submitted.instanceId)).toBe('cancelled');
    });

    it('should leave a rejected dossier to the model that returns the rejection through a task of its own', async () => {
      const received = await receiveAtDesk();
      await complete(received.instanceId, 'receive', RECEIVE);
      clock = vn('2026-11-24', '10:00');
      const rejected = await operate(received.id, { type: 'reject', reasons: ['không đủ điều kiện'] });
      expect(rejected.body.status).toBe('rejected');
      // birth-registration returns the rejection at its returnRefusal task (dossierStatus rejected): its process goes on
      expect(await instanceStatus(received.instanceId)).toBe('active');
    });

    it('should refuse a step that would end the process at a status its dossier cannot take', async () => {
      // given an online dossier accepted by the desk
      const submitted = await submitOnline();
      expect((await operate(submitted.id, { type: 'accept' })).body.status).toBe('received');

      // when its reception task is completed with a refusal
      const res = await complete(submitted.instanceId, 'receive', { ...RECEIVE, decision: 'refuse', refusalReason: 'thiếu giấy chứng sinh' });

      // then the step is refused with the reason (a received dossier is not refused at reception: it is rejected with reasons through the dossier API)
      expect(res.status).toBe(409);
      expect(res.body.detail).toContain(`the process would end dossier '${submitted.code}' (received) as refused`);
      expect(await openIds(submitted.instanceId)).toEqual(['receive']);
      expect((await dossier(submitted.id)).status).toBe('received');

      // and the reception completed as accepted goes on
      expect((await complete(submitted.instanceId, 'receive', RECEIVE)).status).toBe(200);
      expect(await openIds(submitted.instanceId)).toEqual(['examine']);
    });
  });

  describe('a receipt', () => {
    const desk = async (body: Record<string, unknown>) => (await official('desk')).post('/api/dossiers', { procedureCode: CODE, channel: 'desk', applicant: { name: 'Nguyễn Văn An', kind: 'citizen' }, documents: DOCUMENTS, ...body });
    const online = (body: Record<string, unknown>) => citizen.post('/api/dossiers', { procedureCode: CODE, channel: 'online', applicant: { name: 'Nguyễn Văn An', kind: 'citizen' }, documents: DOCUMENTS.map((d) => ({ ...d, form: 'electronic' })), ...body });
    const count = async () => (await (await official('desk')).get('/api/dossiers?limit=200')).body.items.length;

    it('should list the required documents it lacks, at the desk and online', async () => {
      const before = await count();
      const none = await desk({ documents: [] });
      const one = await online({ documents: [{ ...DOCUMENTS[0], form: 'electronic' }] });
      expect([none.status, none.body.detail]).toEqual([400, "procedure 'birth-registration' requires the documents KS.TOKHAI, KS.CHUNGSINH, missing from the receipt"]);
      expect(none.body.field ?? JSON.stringify(none.body)).toContain('body.documents');
      expect([one.status, one.body.detail]).toEqual([400, "procedure 'birth-registration' requires the documents KS.CHUNGSINH, missing from the receipt"]);
      // the documents the national databases hold are never asked for
      expect((await desk({})).status).toBe(201);
      expect(await count()).toBe(before + 1);
    });

    it('should refuse a document given twice, a paper original online, a fee paid online but not paid', async () => {
      const twice = await desk({ documents: [...DOCUMENTS, DOCUMENTS[0]] });
      const original = await online({ documents: [{ ...DOCUMENTS[0], form: 'electronic' }, DOCUMENTS[1]] });
      const fee = await online({ fee: { paid: false, paidOnline: true } });
      expect([twice.status, twice.body.detail]).toEqual([400, "document type 'KS.TOKHAI' is given twice (body.documents.0 and body.documents.2): give it once, with its number of copies"]);
      expect(original.status).toBe(400);
      expect(original.body.detail).toContain("an online dossier carries no paper original: document 'KS.CHUNGSINH'");
      expect(fee.status).toBe(400);
      expect(fee.body.detail).toContain('paidOnline needs paid');
    });

    it("should name a document given without a name as its type is named in the procedure, and keep a name given", async () => {
      // given the two required documents, the first without its name, the second under a name of the desk's own
      const [first, second] = DOCUMENTS;
      const { name: _omitted, ...unnamed } = first;
      const res = await desk({ documents: [unnamed, { ...second, name: 'Giấy chứng sinh (bản chính, BV Bạch Mai)' }] });

      // then the receipt takes the catalogue's name for the first and keeps the given one
      expect(res.status).toBe(201);
      const catalogue = new Map(libraryProcedure(CODE).documents.map((d: { code: string; name: string }) => [d.code, d.name]));
      expect(res.body.documents.map((d: { code: string; name: string }) => [d.code, d.name])).toEqual([
        [first.code, catalogue.get(first.code)],
        [second.code, 'Giấy chứng sinh (bản chính, BV Bạch Mai)'],
      ]);
      expect((await dossier(res.body.id)).documents.map((d: { name: string }) => d.name)).toEqual([catalogue.get(first.code), 'Giấy chứng sinh (bản chính, BV Bạch Mai)']);
      // and a type the procedure does not have is still refused, named or not
      const unknown = await desk({ documents: [...DOCUMENTS, { code: 'KS.KHONGCO', form: 'copy', copies: 1 }] });
      expect([unknown.status, unknown.body.detail]).toEqual([400, expect.stringContaining("document type 'KS.KHONGCO' is not one of procedure 'birth-registration'")]);
    });

    it.each([
      ['blank', '   '],
      ['right-to-left override', 'Nguy\u202Eễn Văn An'],
      ['isolate', '\u2067An\u2069'],
    ])("should refuse an applicant's name that is %s", async (_, name) => {
      const res = await desk({ applicant: { name, kind: 'citizen' } });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain('body.applicant.name');
    });
  });
});
