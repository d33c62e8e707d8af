/**
 * A dossier through a real procedure of the library (processes/permanent-residence): the
 * catalogue loaded from processes/ as `serve` does, the to-be model deployed, and the
 * statuses its steps carry moving the dossier, on both databases.
 */
import type { DossierSink } from '../../onestop/src/dossiers/dossier-sink';
import { testDatabases } from '../support/databases';
import { deployLibraryModel, receiveDossier, signIn } from './dossier-e2e-support';
import { useApi, type Client } from './harness';
import { complete as completeTask, vn } from './outbox-support';

const POLICE = '000.02.00.H29';

describe.each(testDatabases())('a library procedure through the dossier API on $name', (target) => {
  let clock = vn('2026-12-07');
  const api = useApi(target, { now: () => clock, publicRateLimit: 5 });
  let desk: Client;
  let deskId: string;

  beforeAll(async () => {
    ({ id: deskId, client: desk } = await signIn(api, { username: `police-desk-${target.name}`, roles: ['official'], agency: POLICE, groups: ['desk', 'specialist', 'head'] }));
    await deployLibraryModel(api, 'permanent-residence');
  });

  const complete = (instanceId: string, elementId: string, variables: Record<string, string | boolean> = {}) => completeTask(api, instanceId, elementId, deskId, variables);
  const receive = () =>
    receiveDossier(desk, { procedureCode: 'permanent-residence', channel: 'desk', applicant: { name: 'Trần Văn Bình', kind: 'citizen' }, documents: [{ code: 'DKTT.TOKHAI', name: 'Tờ khai CT01', form: 'original', copies: 1 }] });

  it('should list every procedure of processes/ in the catalogue', async () => {
    const list = await desk.get('/api/procedures');
    expect(list.body.items.map((p: { code: string }) => p.code)).toEqual(expect.arrayContaining(['birth-registration', 'permanent-residence', 'judicial-record', 'birth-group-63-301']));
    const residence = list.body.items.find((p: { code: string }) => p.code === 'permanent-residence');
    expect(residence.document.competentAgency.agency).toBe(POLICE);
  });

  it('should follow the model from receipt to the returned result', async () => {
    // given a dossier received on Monday 7/12/2026 at 09:00: 7 working days end on Wednesday 16/12
    clock = vn('2026-12-07');
    const dossier = await receive();
    expect(dossier.appointmentAt).toBe(new Date(vn('2026-12-16')).toISOString());

    // when the police desk, officer and head do their steps
    clock = vn('2026-12-07', '10:00');
    await complete(dossier.instanceId, 'receive', { decision: 'accept' });
    clock = vn('2026-12-09');
    await complete(dossier.instanceId, 'examine', { outcome: 'ok' });
    clock = vn('2026-12-10');
    await complete(dossier.instanceId, 'sign', { approved: true });
    const ready = (await desk.get(`/api/dossiers/${dossier.id}`)).body;
    clock = vn('2026-12-11');
    await complete(dossier.instanceId, 'returnResult');

    // then
    expect(ready.status).toBe('result-ready');
    const done = (await desk.get(`/api/dossiers/${dossier.id}`)).body;
    expect(done.status).toBe('returned');
    const history = (await desk.get(`/api/dossiers/${dossier.id}/history`)).body.items.map((h: { type: string }) => h.type);
    expect(history).toEqual(['dossierSubmitted', 'dossierReceived', 'processingStarted', 'dossierHandedOff', 'dossierHandedOff', 'dossierHandedOff', 'resultReady', 'resultReturned']);
  });

  it('should keep a rejection recorded by the official while the model returns it to the applicant', async () => {
    clock = vn('2026-12-07');
    const dossier = await receive();
    await complete(dossier.instanceId, 'receive', { decision: 'accept' });
    await complete(dossier.instanceId, 'examine', { outcome: 'ok' });

    // when the head rejects it with reasons, then the model's refusal steps run
    clock = vn('2026-12-08');
    const rejected = await desk.post(`/api/dossiers/${dossier.id}/operations`, { type: 'reject', reasons: ['chỗ ở không hợp pháp'] });
    await complete(dossier.instanceId, 'sign', { approved: false });
    await complete(dossier.instanceId, 'returnRefusal');

    // then one rejection, and the process ended on its own
    expect(rejected.body.status).toBe('rejected');
    expect((await desk.get(`/api/dossiers/${dossier.id}`)).body.status).toBe('rejected');
    const history = (await desk.get(`/api/dossiers/${dossier.id}/history`)).body.items.map((h: { type: string }) => h.type);
    expect(history.filter((t: string) => t === 'dossierRejected')).toHaveLength(1);
    expect((await api.store.instance(dossier.instanceId))?.status).toBe('completed');
  });

  describe('sinks', () => {
    it('should call every sink in the change\'s transaction, and roll the receipt back with its number when one throws', async () => {
      // given a sink that writes its own rows, and one that refuses the second change it sees
      await api.sql('CREATE TABLE IF NOT EXISTS sink_log (dossier_id text NOT NULL, events text NOT NULL)');
      const dossiers = api.server.app.locals.services.ctx.dossiers!;
      const writing: DossierSink = {
        name: 'log',
        onDossierChange: async (tx, change) => {
          await tx.run('INSERT INTO sink_log (dossier_id, events) VALUES ($1, $2)', [change.dossier.id, change.events.map((e) => e.type).join(',')]);
        },
      };
      let refuse = false;
      const refusing: DossierSink = {
        name: 'refusing',
        onDossierChange: async () => {
          if (refuse) throw new Error('the audit chain is broken');
        },
      };
      const removeWriting = dossiers.addSink(writing);
      const removeRefusing = dossiers.addSink(refusing);
      try {
        clock = vn('2026-12-14');
        const first = await receive();

        // when the next receipt of the day meets the refusing sink, and then one gets through
        refuse = true;
        const failed = await desk.post('/api/dossiers', { procedureCode: 'permanent-residence', channel: 'desk', applicant: { name: 'X', kind: 'citizen' }, documents: [{ code: 'DKTT.TOKHAI', name: 'Tờ khai CT01', form: 'original', copies: 1 }] });
        refuse = false;
        const next = await receive();

        // then the failed receipt left nothing: no dossier, no instance, its number is the next one's
        expect(failed.status).toBe(500);
        expect(Number(next.code.slice(-4))).toBe(Number(first.code.slice(-4)) + 1);
        const logged = await api.sql<{ dossier_id: string; events: string }>('SELECT dossier_id, events FROM sink_log ORDER BY events');
        expect(logged).toEqual(expect.arrayContaining([{ dossier_id: first.id, events: 'dossierSubmitted,dossierReceived' }, { dossier_id: next.id, events: 'dossierSubmitted,dossierReceived' }]));
        expect(await api.sql("SELECT id FROM instances WHERE process_id = 'permanent-residence' AND business_key NOT IN ($1, $2) AND started_at >= $3", [first.id, next.id, new Date(vn('2026-12-14')).toISOString()])).toEqual([]);
      } finally {
        removeWriting();
        removeRefusing();
      }
    });
  });

  describe('tracking rate limit', () => {
    it('should answer 429 once a client passed the public limit', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await api.as('anonymous').get('/api/tracking/unknown-code?secret=x')).status);
      expect(statuses.slice(0, 5).every((s) => s === 404)).toBe(true);
      expect(statuses[5]).toBe(429);
    });
  });
});
